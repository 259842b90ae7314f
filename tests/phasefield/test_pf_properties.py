"""Property tests (hypothesis) of the wetting map, the builders and the Li balance."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from interlayer import phasefield as pf
from interlayer.phasefield import wetting


@settings(max_examples=15, deadline=None)
@given(deg=st.floats(5.0, 175.0), b=st.sampled_from([1.0, 4.0, 8.0]))
def test_wetting_map_inverts_for_any_angle(deg, b):
    c = wetting.coupling_from_contact_angle(math.radians(deg), b)
    assert c <= 0.0  # every angle below 180 deg needs a negative coupling (see wetting.py)
    assert abs(math.degrees(math.acos(wetting.cos_contact_angle(c, b))) - deg) < 1e-6


@settings(max_examples=10, deadline=None)
@given(porosity=st.floats(0.5, 0.9), seed=st.integers(0, 10_000), n=st.integers(32, 64))
def test_particle_builder_bounds(porosity, seed, n):
    ms = pf.packed_particles(n, n, 2.5e-7, diameter=2e-6, porosity=porosity, seed=seed)
    assert ms.phi.shape == (n, n)
    assert 0.0 <= ms.phi.min() and ms.phi.max() <= 1.0
    # never denser than asked beyond discreteness: the builder stops at the disc count nearest the
    # target, so the error is at most half the largest disc (r = 1.2 um with 20% polydispersity) over
    # the layer area, plus 0.06 for the smoothed (logistic) edges counted as partly solid
    layer_area = n * 2.5e-7 * (ms.info["y_sse"] - ms.info["anode_thickness"])
    slack = 0.5 * math.pi * (1.2e-6) ** 2 / layer_area + 0.06
    assert porosity - slack < ms.porosity


@settings(max_examples=6, deadline=None)
@given(deg=st.floats(20.0, 160.0), eta=st.floats(-0.05, 0.1), pressure=st.floats(0.0, 1e6))
def test_li_balance_holds_for_any_inputs(deg, eta, pressure):
    # Li counted in zeta equals the integrated plating current whatever wets, drives or presses.
    ms = pf.packed_particles(32, 32, 2.5e-7, diameter=2e-6, porosity=0.55, seed=1)
    ds = pf.simulate(ms, math.radians(deg), overpotential=eta, pressure=pressure, steps=150,
                     potential="uniform", stop_at_breakthrough=False)
    assert np.all(np.isfinite(ds.zeta.values))
    assert float(ds.li_inventory_error) < 1e-6  # round-off level (the check's floor is one Li row)
