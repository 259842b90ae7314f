"""Hypothesis properties of the detectors over randomly drawn realistic symmetric-cell traces."""

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from interlayer.analysis import analyze
from interlayer.analysis.synthetic import plateau_polarisation, symmetric_trace

AREA = 0.503e-4

traces = st.fixed_dictionaries(
    {
        "n_cycles": st.integers(3, 8),
        "current_density": st.sampled_from([0.5, 1.0, 4.0, 10.0, 40.0]),  # 0.05-4 mA/cm2
        "half_cycle_time": st.sampled_from([900.0, 1800.0, 3600.0]),
        "dt": st.sampled_from([1.0, 5.0, 10.0, 30.0]),
        "asr": st.floats(0.005, 0.5),  # 50-5000 ohm cm2
        "noise": st.floats(0.0, 1e-3),
        "ec_noise": st.floats(0.0, 0.01),
        "rest_time": st.sampled_from([0.0, 60.0, 600.0]),
        "seed": st.integers(0, 10_000),
    }
)


def _snr(params):
    u = plateau_polarisation(params["current_density"], asr=params["asr"])
    sigma = np.hypot(params["noise"], params["ec_noise"] * u)
    return u / sigma if sigma > 1e-9 else np.inf  # noiseless: any collapse is visible


def _planted(params, where, residual):
    block = params["half_cycle_time"] + params["rest_time"]
    k = 2 * params["n_cycles"] - 3  # a late half-cycle, with references before it
    t_short = k * block + where * params["half_cycle_time"]
    return symmetric_trace(short_time=t_short, short_residual=residual, **params)


def _check(params, where, residual):
    # the detector asks for a drop of 5 noise standard deviations (k_noise): below a
    # polarisation-to-noise ratio of 10 a collapse to half is not claimed, by design
    assume(_snr(params) >= 10)
    result = analyze(symmetric_trace(**params), area=AREA)
    assert result.shorts == []
    rec = _planted(params, where, residual)
    result = analyze(rec, area=AREA)
    assert result.shorts, "planted short not found"
    assert abs(result.shorts[0].row - rec.metadata["planted"]["short_row"]) <= 1


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(traces, st.floats(0.05, 0.95), st.sampled_from([0.0, 0.02, 0.3]))
def test_no_false_short_and_planted_short_found(params, where, residual):
    _check(params, where, residual)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(traces, st.floats(0.05, 0.95), st.sampled_from([0.0, 0.02, 0.3]))
def test_no_false_short_and_planted_short_found_many(params, where, residual):
    _check(params, where, residual)
