"""Li growth and nucleation kinetics: pure, vectorised functions (SI in, SI out).

Sign convention (used everywhere in the package): ``eta`` is the local *deposition* overpotential,
``eta = (mu~_Li+ + mu~_e - mu_Li) / F`` in V. ``eta > 0`` favours plating (Li+ + e- -> Li); the paper's
eqs. 9-10 write the same physics with ``phi = -eta``.

References
----------
Z. Wang et al., Nat. Energy 9, 251 (2024), eqs. 9-10 (DOI 10.1038/s41560-023-01426-1).
D. Kashchiev, *Nucleation: Basic Theory with Applications* (Butterworth-Heinemann, 2000), ch. 3 and 13.
"""

from __future__ import annotations

import numpy as np

from interlayer.units import BOLTZMANN, FARADAY, GAS_CONSTANT

#: c0 of eqs. 9-10 (1 mol/L), in mol/m^3.
REFERENCE_CONCENTRATION = 1000.0


def heterogeneous_factor(contact_angle):
    """Heterogeneous nucleation factor kappa_het(theta) = (2 - 3 cos(theta) + cos(theta)^3) / 4.

    The fraction of the homogeneous barrier left for a spherical-cap nucleus on a flat substrate.

    Parameters
    ----------
    contact_angle : float or array
        Contact angle theta of Li on the substrate, rad, in [0, pi].

    Returns
    -------
    float or array
        kappa_het in [0, 1]: 0 for perfect wetting, 0.5 at 90 deg, 1 for no wetting (homogeneous).

    >>> round(float(heterogeneous_factor(np.pi / 2)), 12)
    0.5
    """
    c = np.cos(np.asarray(contact_angle, dtype=float))
    return (2.0 - 3.0 * c + c**3) / 4.0


def homogeneous_barrier(eta, surface_energy, molar_volume, temperature, n=1):
    """Homogeneous nucleation barrier in units of k_B T (dimensionless).

    ``dG*_hom = 16 pi gamma^3 V_m^2 / (3 (n F eta)^2)`` with V_m molar (m^3/mol): ``gamma^3 V_m^2 / (F eta)^2``
    has units J^3 m^-6 m^6 mol^-2 / (C^2 mol^-2 V^2) = J. Careful: with V_m in m^3/mol and F in C/mol the
    mol^-2 cancel, so the expression is joules *per nucleus*, not per mole; dividing by R T (as the paper's
    printed eq. 10 does) would be off by Avogadro's number. We divide by k_B T (docs/equations.md (E9)).

    Parameters
    ----------
    eta : float or array
        Deposition overpotential, V (> 0; the barrier is infinite at eta <= 0).
    surface_energy : float
        Interfacial energy gamma of the nucleus, J/m^2.
    molar_volume : float
        Molar volume of Li, m^3/mol.
    temperature : float
        K.
    n : int
        Electrons per Li (1).

    Returns
    -------
    float or array
        dG*_hom / (k_B T).

    >>> round(float(homogeneous_barrier(0.1, 0.5, 1.2998e-5, 298.15)), 1)
    923.4
    """
    eta = np.asarray(eta, dtype=float)
    coefficient = 16.0 * np.pi * surface_energy**3 * molar_volume**2 / (3.0 * (n * FARADAY) ** 2)  # J V^2
    with np.errstate(divide="ignore"):
        barrier = np.where(eta > 0, coefficient / np.where(eta > 0, eta, 1.0) ** 2, np.inf)
    return barrier / (BOLTZMANN * temperature)


def barrier_coefficient(surface_energy, molar_volume, temperature, n=1):
    """B in V^2 such that dG*_hom/(k_B T) = B / eta^2 (9.23 V^2 for gamma = 0.5 J/m^2 at 25 degC)."""
    return 16.0 * np.pi * surface_energy**3 * molar_volume**2 / (3.0 * (n * FARADAY) ** 2 * BOLTZMANN * temperature)


def critical_radius(eta, surface_energy, molar_volume, n=1):
    """Critical nucleus radius r* = 2 gamma V_m / (n F eta), m."""
    return 2.0 * surface_energy * molar_volume / (n * FARADAY * np.asarray(eta, dtype=float))


def nucleation_rate(
    eta,
    contact_angle,
    temperature,
    surface_energy,
    molar_volume,
    prefactor,
    c_ratio=1.0,
    ce_ratio=1.0,
):
    """Classical heterogeneous nucleation rate (paper eq. 10, units-safe: docs/equations.md (E9)-(E13)), 1/(m^3 s).

    ``J = J0 (c_Li+/c0) (c_e/c_e,Li) exp(-kappa_het(theta) dG*_hom / (k_B T))``; zero for eta <= 0.

    Parameters
    ----------
    eta : float or array
        Deposition overpotential, V.
    contact_angle : float or array
        rad.
    temperature : float
        K.
    surface_energy, molar_volume : float
        J/m^2 and m^3/mol.
    prefactor : float
        J0, 1/(m^3 s).
    c_ratio, ce_ratio : float or array
        c_Li+/c0 and c_e/c_e,Li (dimensionless).
    """
    eta = np.asarray(eta, dtype=float)
    barrier = homogeneous_barrier(eta, surface_energy, molar_volume, temperature)
    kappa = heterogeneous_factor(contact_angle)
    # no driving force, no nucleation; at perfect wetting (kappa = 0) any eta > 0 is barrier-free
    with np.errstate(invalid="ignore"):
        exponent = np.where(eta > 0, -kappa * np.where(np.isfinite(barrier), barrier, 0.0), -np.inf)
    return prefactor * np.asarray(c_ratio) * np.asarray(ce_ratio) * np.exp(exponent)


def critical_overpotential(
    contact_angle,
    temperature,
    surface_energy,
    molar_volume,
    prefactor,
    threshold,
    c_ratio=1.0,
    ce_ratio=1.0,
):
    """Critical nucleation overpotential eta_c in V: the eta at which J(eta) equals ``threshold``.

    Solving ``J(eta_c) = J_th`` gives ``eta_c = sqrt(B kappa_het(theta) / Lambda)`` with
    ``Lambda = ln(J0 (c+/c0)(c_e/c_e,Li) / J_th)`` and B from :func:`barrier_coefficient`.
    Where Lambda <= 0 the rate never reaches the threshold: eta_c = inf.

    Parameters
    ----------
    contact_angle : float or array
        rad.
    temperature : float or array
        K.
    surface_energy, molar_volume, prefactor, threshold : float
        J/m^2, m^3/mol, 1/(m^3 s), 1/(m^3 s).
    c_ratio, ce_ratio : float or array
        Concentration ratios of eq. 10.

    >>> eta_c = critical_overpotential(np.pi / 2, 298.15, 0.5, 1.2998e-5, 1e33, 1e18)
    >>> bool(abs(float(nucleation_rate(eta_c, np.pi / 2, 298.15, 0.5, 1.2998e-5, 1e33)) / 1e18 - 1) < 1e-9)
    True
    """
    ln_ratio = np.log(prefactor * np.asarray(c_ratio) * np.asarray(ce_ratio) / threshold)
    b = barrier_coefficient(surface_energy, molar_volume, np.asarray(temperature, dtype=float))
    kappa = heterogeneous_factor(contact_angle)
    with np.errstate(divide="ignore", invalid="ignore"):
        eta_c = np.sqrt(b * kappa / ln_ratio)
    return np.where(ln_ratio > 0, eta_c, np.inf)


def butler_volmer(eta, exchange_current_density, temperature, alpha=0.5, c_ratio=1.0, ce_ratio=1.0):
    """Butler-Volmer Li growth current density (paper eq. 9, docs/equations.md (E14)), A/m^2, positive for plating.

    ``i = i0 [ (c_Li+/c0)(c_e/c_e,Li) exp(alpha F eta / RT) - exp(-(1 - alpha) F eta / RT) ]``
    (the paper's form with phi = -eta). Linear near zero: i ~ i0 F eta / RT; Tafel far from it.

    Parameters
    ----------
    eta : float or array
        Deposition overpotential, V (> 0 plates).
    exchange_current_density : float
        i0, A/m^2.
    temperature : float
        K.
    alpha : float
        Cathodic (plating) transfer coefficient.
    c_ratio, ce_ratio : float or array
        c_Li+/c0 and c_e/c_e,Li.

    >>> round(float(butler_volmer(1e-4, 10.0, 298.15) / (10.0 * 1e-4 / 0.025693)), 4)
    1.0
    """
    c = np.asarray(c_ratio) * np.asarray(ce_ratio)
    return exchange_current_density * butler_volmer_bracket(eta, temperature, alpha, c)


def symmetric_overpotential(current_density, exchange_current_density, temperature):
    """The overpotential (V) that drives ``current_density`` through symmetric Butler-Volmer kinetics.

    The inverse of :func:`butler_volmer` for alpha = 1/2 and equal concentrations,
    ``i = 2 i0 sinh(F eta / 2RT)``: ``eta = (2RT/F) asinh(i / (2 i0))``; same sign as the current.

    >>> eta = symmetric_overpotential(25.0, 10.0, 298.15)
    >>> round(float(butler_volmer(eta, 10.0, 298.15)), 9)
    25.0
    """
    j = np.asarray(current_density, dtype=float)
    return 2 * GAS_CONSTANT * temperature / FARADAY * np.arcsinh(j / (2 * exchange_current_density))


def butler_volmer_bracket(eta, temperature, alpha=0.5, c_ratio=1.0, n=1):
    """The Butler-Volmer bracket Delta(eta), dimensionless: the current density over i0.

    ``Delta = c_ratio exp(alpha n F eta / RT) - exp(-(1 - alpha) n F eta / RT)``, eta > 0 plates (the
    package sign convention; the paper writes the same with phi = -eta). :func:`butler_volmer` is
    ``i0 * Delta``; the phase field's drive (eq. 16) is ``L_eta h'(zeta) Delta``.

    Parameters
    ----------
    eta : float or array
        Overpotential, V (> 0 plates).
    temperature : float
        K.
    alpha : float
        Cathodic (plating) transfer coefficient; 1/2 is the symmetric case.
    c_ratio : float or array
        Concentration ratio multiplying the plating branch (c_Li+/c0, times c_e/c_e,Li in eq. 9).
    n : int
        Electrons per Li (1).

    >>> float(butler_volmer_bracket(0.0, 298.15))
    0.0
    >>> f = 96485.33212 / (8.314462618 * 298.15)
    >>> round(float(butler_volmer_bracket(0.1, 298.15) / (2 * np.sinh(0.05 * f))), 12)  # alpha = 1/2
    1.0
    """
    f = n * FARADAY / (GAS_CONSTANT * np.asarray(temperature, dtype=float))
    eta = np.asarray(eta, dtype=float)
    forward = np.asarray(c_ratio) * np.exp(alpha * f * eta)
    return forward - np.exp(-(1.0 - alpha) * f * eta)
