import numpy as np
import pytest

from interlayer import kinetics, materials
from interlayer.units import AVOGADRO, BOLTZMANN, ELEMENTARY_CHARGE, GAS_CONSTANT, thermal_voltage

T = 298.15
GAMMA, VM = 0.5, 1.2998e-5


@pytest.mark.parametrize("deg, expected", [(0, 0.0), (30, 0.01286), (60, 0.15625), (90, 0.5), (120, 0.84375), (180, 1.0)])
def test_heterogeneous_factor_values(deg, expected):
    # docs/equations.md (E10); 30 deg is given to 4 significant figures there
    assert kinetics.heterogeneous_factor(np.radians(deg)) == pytest.approx(expected, abs=5e-6)


def test_heterogeneous_factor_monotonic():
    theta = np.linspace(0, np.pi, 500)
    assert np.all(np.diff(kinetics.heterogeneous_factor(theta)) > 0)


def test_barrier_is_per_nucleus_not_per_mole():
    # B = 16 pi gamma^3 Vm^2 / (3 F^2 k_B T) = 9.234 V^2 for these numbers (docs/equations.md (E11))
    assert kinetics.barrier_coefficient(GAMMA, VM, T) == pytest.approx(9.234, rel=1e-3)
    b_per_kt = kinetics.homogeneous_barrier(0.1, GAMMA, VM, T)
    # Independent, atomistic derivation: one nucleus of atoms of volume v = Vm/N_A, each carrying
    # charge e: dG* = 16 pi gamma^3 v^2 / (3 (e eta)^2), an energy per nucleus, compared with k_B T.
    v_atom = VM / AVOGADRO
    per_nucleus = 16 * np.pi * GAMMA**3 * v_atom**2 / (3 * (ELEMENTARY_CHARGE * 0.1) ** 2)
    assert b_per_kt == pytest.approx(per_nucleus / (BOLTZMANN * T), rel=1e-6)
    assert b_per_kt == pytest.approx(923.4, rel=1e-3)
    # The paper's printed form divides the same number by RT, i.e. N_A times too small a barrier.
    printed = per_nucleus / (GAS_CONSTANT * T)
    assert b_per_kt / printed == pytest.approx(AVOGADRO, rel=1e-6)
    assert kinetics.critical_radius(0.01, GAMMA, VM) == pytest.approx(13.5e-9, rel=3e-3)


def test_critical_overpotential_inverts_the_rate_and_grows_with_angle():
    theta = np.radians([60, 90, 120, 150])
    eta_c = kinetics.critical_overpotential(theta, T, GAMMA, VM, 1e33, 1e18)
    rates = kinetics.nucleation_rate(eta_c, theta, T, GAMMA, VM, 1e33)
    assert rates == pytest.approx(np.full(4, 1e18), rel=1e-9)
    assert np.all(np.diff(eta_c) > 0)
    # no driving force, no nucleation; rate never reaching the threshold -> eta_c infinite
    assert kinetics.nucleation_rate(0.0, theta[0], T, GAMMA, VM, 1e33) == 0.0
    assert np.isinf(kinetics.critical_overpotential(theta[0], T, GAMMA, VM, 1e17, 1e18))


def test_butler_volmer_linear_and_tafel_limits():
    i0 = 10.0
    small = 1e-5
    assert kinetics.butler_volmer(small, i0, T) == pytest.approx(i0 * small / thermal_voltage(T), rel=1e-4)
    assert kinetics.butler_volmer(-small, i0, T) == pytest.approx(-i0 * small / thermal_voltage(T), rel=1e-4)
    # Tafel: 118 mV/decade for alpha = 0.5 at 25 degC (docs/equations.md (E15))
    eta = np.array([0.3, 0.418])
    i = kinetics.butler_volmer(eta, i0, T)
    slope = (eta[1] - eta[0]) / np.log10(i[1] / i[0])
    assert slope == pytest.approx(2 * np.log(10) * thermal_voltage(T), rel=1e-3)
    assert slope == pytest.approx(0.118, abs=1e-3)


def test_library_values_have_sources():
    for name in materials.names():
        for key, prop in materials.get(name).properties.items():
            assert prop.source.strip(), f"{name}.{key} has no source"


def test_nucleation_rate_at_perfect_wetting_is_finite():
    eta = np.array([-0.01, 0.0, 1e-4, 0.05])
    rate = kinetics.nucleation_rate(eta, 0.0, T, GAMMA, VM, 1e33)
    assert np.all(np.isfinite(rate))
    assert rate[0] == 0.0 and rate[1] == 0.0
    assert rate[2] == pytest.approx(1e33) and rate[3] == pytest.approx(1e33)


def test_butler_volmer_bracket_symmetric_and_asymmetric_limits():
    f = 1.0 / thermal_voltage(T)
    eta = np.array([-0.2, -0.05, 0.0, 0.05, 0.2])
    # alpha = 1/2 with equal concentrations: 2 sinh(F eta / 2RT), odd in eta
    sym = kinetics.butler_volmer_bracket(eta, T)
    assert sym == pytest.approx(2 * np.sinh(0.5 * f * eta), rel=1e-12)
    assert sym == pytest.approx(-sym[::-1], rel=1e-12)
    # asymmetric: far cathodic (plating) it is exp(alpha f eta), far anodic -exp(-(1 - alpha) f eta)
    alpha = 0.3
    assert kinetics.butler_volmer_bracket(0.5, T, alpha) == pytest.approx(np.exp(alpha * f * 0.5), rel=1e-6)
    assert kinetics.butler_volmer_bracket(-0.5, T, alpha) == pytest.approx(-np.exp((1 - alpha) * f * 0.5), rel=1e-6)
    # n electrons scale the exponent; the concentration ratio multiplies only the plating branch
    assert kinetics.butler_volmer_bracket(0.01, T, n=2) == pytest.approx(kinetics.butler_volmer_bracket(0.02, T))
    assert kinetics.butler_volmer_bracket(0.0, T, c_ratio=0.5) == pytest.approx(-0.5)


def test_butler_volmer_is_i0_times_the_bracket_and_phase_field_uses_it():
    from interlayer.phasefield.parameters import PhaseFieldParameters, bv_factor

    eta = np.linspace(-0.1, 0.1, 11)
    assert np.array_equal(kinetics.butler_volmer(eta, 7.0, T, 0.4, 0.8, 1.1),
                          7.0 * kinetics.butler_volmer_bracket(eta, T, 0.4, 0.8 * 1.1))
    p = PhaseFieldParameters()
    assert np.array_equal(bv_factor(eta, p), kinetics.butler_volmer_bracket(eta, p.temperature, p.alpha,
                                                                              p.li_ion_ratio, n=p.n))
