import numpy as np
import pytest

from interlayer.transport import miec

L = 90e-6
S_I, S_E = 0.029, 0.0028  # LNI-5% CNT pellet values, S/m
CURRENT = 10.0  # 1 mA/cm2


def test_theory_notes_numbers():
    # docs/equations.md section 11 (pellet values): initial split 10.36, steady eta(l_i) 31.0 mV, R_ct 250 ohm cm2 ->
    # 250.0 / 281.0 mV, blocking minimum at 82.08 um, tau 0.317 s for C_v = 1e5 F/m3
    split = miec.uniform_initial_split(S_I, S_E)
    assert split / (1 - split) == pytest.approx(10.357, rel=1e-3)
    assert miec.uniform_steady(L, CURRENT, S_I) == pytest.approx(0.0310, rel=2e-3)
    assert miec.uniform_steady([0, L], CURRENT, S_I, 0.025) == pytest.approx([0.250, 0.281], rel=2e-3)
    x = np.linspace(0, L, 100001)
    assert x[np.argmin(miec.uniform_blocking_profile(x, L, CURRENT, S_I, S_E))] == pytest.approx(82.08e-6, rel=1e-4)
    assert miec.relaxation_time(L, S_I, S_E, 1e5) == pytest.approx(0.317, rel=2e-3)


def test_fv_steady_matches_closed_form():
    faces = np.linspace(0, L, 201)
    ds = miec.solve_steady(faces, S_I, S_E, CURRENT, contact="ohmic", contact_resistance=0.025)
    expected = miec.uniform_steady(ds.x.values, CURRENT, S_I, 0.025)
    assert np.max(np.abs(ds.eta.values - expected)) < 1e-10 * expected.max()
    assert np.allclose(ds.ionic_current.values, CURRENT)  # all current ionic at steady state


@pytest.mark.parametrize("s_e", [6.7e-6, 2.8e-3, 5.0])
def test_fv_transient_reaches_blocking_parabola(s_e):
    faces = np.linspace(0, L, 401)
    tau = miec.relaxation_time(L, S_I, s_e)
    ds = miec.solve_transient(faces, S_I, s_e, CURRENT, t_end=40 * tau, contact="blocking", n_steps=300)
    eta = ds.eta.isel(time=-1).values
    shape = eta - eta[0]
    exact = miec.uniform_blocking_profile(ds.x.values, L, CURRENT, S_I, s_e)
    exact -= exact[0]
    assert np.max(np.abs(shape - exact)) < 1e-6 * np.ptp(exact)
    # charge conservation: all injected charge is stored in the interphase capacitance
    assert ds.attrs["charge_error"] < 1e-9


def test_transient_split_at_early_time():
    faces = np.linspace(0, L, 801)
    ds = miec.solve_transient(faces, S_I, S_E, CURRENT, t_end=1e-4, contact="blocking", n_steps=60)
    mid = ds.ionic_current.isel(time=-1).values[400]
    assert mid / CURRENT == pytest.approx(miec.uniform_initial_split(S_I, S_E), rel=1e-3)


def test_quadrature_profile_exact_for_a_stack():
    # two layers: quadrature vs the FV transient at long times
    faces = np.linspace(0, L, 401)
    s_i = np.where(faces[:-1] < L / 2, 0.02, 0.03)
    s_e = np.where(faces[:-1] < L / 2, 0.01, 0.001)
    quad = miec.blocking_profile(faces, s_i, s_e, CURRENT)
    tau = miec.relaxation_time(L, s_i.min(), s_e.min())
    ds = miec.solve_transient(faces, s_i, s_e, CURRENT, t_end=40 * tau, contact="blocking", n_steps=300)
    fv = ds.eta.isel(time=-1).values
    quad_mid = 0.5 * (quad[1:] + quad[:-1])
    # cell-centre FV values vs face quadrature averaged: second-order (h^2) agreement
    assert np.max(np.abs((fv - fv[0]) - (quad_mid - quad_mid[0]))) < 1e-4 * np.ptp(quad)


def test_blocking_has_no_steady_state():
    from interlayer.errors import InputError

    with pytest.raises(InputError, match="blocking"):
        miec.solve_steady(np.linspace(0, L, 11), S_I, S_E, CURRENT, contact="blocking")
