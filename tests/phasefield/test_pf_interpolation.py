"""The phase field's interpolation function h(zeta), written once (interlayer.phasefield.interpolation)."""

import doctest

import numpy as np
import pytest

from interlayer.phasefield import interpolation
from interlayer.phasefield.interpolation import H2_MAX, d2h, dh, h


def test_end_values_and_flat_ends():
    assert h(0.0) == 0.0 and h(1.0) == 1.0
    assert dh(0.0) == 0.0 and dh(1.0) == 0.0
    assert d2h(0.0) == 0.0 and d2h(1.0) == 0.0
    z = np.linspace(0, 1, 101)
    assert h(z) + h(1 - z) == pytest.approx(np.ones_like(z), abs=1e-14)  # symmetric about 1/2
    assert np.all(np.diff(h(z)) > 0)


def test_derivatives_match_finite_differences():
    z = np.linspace(0.01, 0.99, 99)
    step = 1e-6
    assert dh(z) == pytest.approx((h(z + step) - h(z - step)) / (2 * step), abs=1e-7)
    assert d2h(z) == pytest.approx((dh(z + step) - dh(z - step)) / (2 * step), abs=1e-6)


def test_clip_only_when_asked():
    assert h(1.2) == 1.0 and h(-0.1) == 0.0
    assert h(1.2, clip=False) == pytest.approx(1.2**3 * (6 * 1.44 - 18 + 10))


def test_h2_max_is_half_the_true_maximum_as_documented():
    z = np.linspace(0, 1, 200001)
    true_max = np.max(np.abs(d2h(z)))
    assert true_max == pytest.approx(10 / np.sqrt(3), rel=1e-9)
    assert H2_MAX == pytest.approx(true_max / 2, rel=1e-9)  # kept as it was: see the module docstring


def test_model_and_wetting_use_this_h():
    from interlayer.phasefield import model, potential, wetting

    assert model.h is h and model.dh is dh and potential.h is h
    assert wetting.dh is dh and wetting.d2h is d2h


def test_docstring_examples():
    result = doctest.testmod(interpolation)
    assert result.attempted > 0 and result.failed == 0
