"""The stability criterion: nucleation length l_n, growth length l_g and the regime.

Pure vectorised functions on SI arrays (they broadcast), shared by :func:`evaluate` and the design
maps so that the criterion exists exactly once. Derivation: ``docs/theory.md``.
"""

from __future__ import annotations

import numpy as np

from interlayer import kinetics, materials
from interlayer.cell import BRUGGEMAN_EXPONENT, effective_conductivity
from interlayer.transport import miec
from interlayer.units import FARADAY

#: Regime codes (CF flag_values) and their labels (flag_meanings).
REGIMES = ("stable", "dead-li", "sse-nucleation", "growth-through")
STABLE, DEAD_LI, SSE_NUCLEATION, GROWTH_THROUGH = range(4)


def kinetic_parameters() -> dict[str, float]:
    """Li nucleation parameters from the materials library (SI)."""
    li = materials.get("li")
    return {
        "surface_energy": li["effective_interfacial_energy"],
        "molar_volume": li["molar_volume"],
        "prefactor": li["nucleation_prefactor"],
        "threshold": li["nucleation_rate_threshold"],
    }


def critical_overpotential(contact_angle, temperature, electron_factor, li_factor, surface_energy=None, params=None):
    """eta_c (V) of Li nucleation in a host, at its equilibrium carrier concentrations.

    Parameters
    ----------
    electron_factor, li_factor : float or array
        c_e/c_e,Li and c_Li+/c0 of eq. 10 (:meth:`interlayer.cell.Layer.nucleation_factors`); the
        PNP model evaluates eq. 10 with the same factors at its local concentrations.
    """
    p = params or kinetic_parameters()
    gamma = p["surface_energy"] if surface_energy is None else surface_energy
    return kinetics.critical_overpotential(
        contact_angle, temperature, gamma, p["molar_volume"], p["prefactor"], p["threshold"],
        c_ratio=li_factor, ce_ratio=electron_factor,
    )


def growth_length(capacity, porosity, molar_volume=None, fill_fraction=1.0):
    """l_g = Q V_m / (F eps phi_f), m: how far Li grown from the anode fills the pores.

    Parameters
    ----------
    capacity : float or array
        Plated charge per area Q = i t, C/m^2.
    porosity : float or array
        Pore volume fraction eps.
    fill_fraction : float
        Fraction phi_f of the pore volume Li fills behind the front (1: dense filling).
    """
    vm = materials.get("li")["molar_volume"] if molar_volume is None else molar_volume
    return np.asarray(capacity, dtype=float) * vm / (FARADAY * np.asarray(porosity) * fill_fraction)


def nucleation_length_uniform(current_density, thickness, sigma_ion_eff, sigma_e_eff, interface_resistance, eta_c):
    """l_n (m) of a uniform layer, closed form; equals ``thickness`` when the SSE side nucleates.

    Overpotential profile (blocking-contact pseudo-steady shape, level i R_int at the anode):
    ``eta(x) = i R_int + i/(2 sigma_amb l_i) [(x - x_m)^2 - x_m^2]``. Nucleation where eta >= eta_c.
    The profile is a parabola with its minimum at x_m, so the nucleating set is [0, x1] (anode side)
    and/or [x2, l_i] (SSE side); l_n is the farthest nucleating point from the anode.
    """
    i = np.asarray(current_density, dtype=float)
    s_amb = miec.ambipolar_conductivity(sigma_ion_eff, sigma_e_eff)
    x_m = thickness * miec.uniform_initial_split(sigma_ion_eff, sigma_e_eff)
    excess = interface_resistance - eta_c / i  # (eta(0) - eta_c) / i, ohm m^2
    discriminant = x_m**2 - 2.0 * s_amb * thickness * excess
    with np.errstate(invalid="ignore"):
        x1 = x_m - np.sqrt(np.maximum(discriminant, 0.0))
    anode_side = np.where(excess > 0, np.where(discriminant > 0, x1, thickness), 0.0)
    eta_sse = miec.uniform_blocking_profile(thickness, thickness, i, sigma_ion_eff, sigma_e_eff, i * interface_resistance)
    return np.where(eta_sse >= eta_c, thickness, anode_side)


def nucleation_length_profile(current_density, faces, shape, eta_c_cells, interface_resistance):
    """l_n (m) for any stack: ``shape`` is eta(x)/i - eta(0)/i at the faces (ohm m^2).

    ``eta(x) = i (R_int + shape(x))``; a cell nucleates where its mean eta >= its eta_c; l_n is the
    far face of the farthest nucleating cell (``faces[-1]`` when the SSE-side cell nucleates).
    Vectorised over currents (any shape of ``current_density``).
    """
    i = np.asarray(current_density, dtype=float)[..., None]
    cell_shape = 0.5 * (shape[1:] + shape[:-1])
    eta = i * (interface_resistance + cell_shape)
    nucleates = eta >= eta_c_cells
    last = nucleates.shape[-1] - 1 - np.argmax(nucleates[..., ::-1], axis=-1)
    return np.where(nucleates.any(axis=-1), faces[1:][last], 0.0)


def classify(l_n, l_g, thickness):
    """Regime code per point: sse-nucleation (l_n = l_i) > growth-through (l_g >= l_i) >
    dead-li (l_g < l_n) > stable (l_n <= l_g < l_i).

    SSE nucleation is checked first: it happens at the start of a plating half cycle, before the
    growth front can arrive.
    """
    l_n = np.asarray(l_n)
    l_g = np.asarray(l_g)
    thickness = np.asarray(thickness)
    regime = np.full(np.broadcast(l_n, l_g, thickness).shape, STABLE, dtype=np.int8)
    regime = np.where(l_n > l_g, DEAD_LI, regime)
    regime = np.where(l_g >= thickness, GROWTH_THROUGH, regime)
    regime = np.where(l_n >= thickness * (1 - 1e-12), SSE_NUCLEATION, regime)
    return regime.astype(np.int8)


def stability_margin(l_n, l_g, thickness):
    """Signed margin (m): min(l_g - l_n, l_i - l_g); > 0 stable, <= 0 not (SSE nucleation: -l_i)."""
    margin = np.minimum(np.asarray(l_g) - l_n, np.asarray(thickness) - l_g)
    return np.where(np.asarray(l_n) >= np.asarray(thickness) * (1 - 1e-12), -np.asarray(thickness) + 0 * margin, margin)


def evaluate_uniform(sigma_ion, sigma_e, contact_angle, thickness, porosity, current_density, capacity, temperature,
                     interface_resistance, *, electron_factor, li_factor, bruggeman_exponent=BRUGGEMAN_EXPONENT):
    """The whole criterion for uniform layers on broadcastable SI arrays.

    Conductivities are dense-pellet values (the porous layer uses them times (1 - eps)^1.5);
    ``electron_factor``, ``li_factor`` are the eq.-10 composition factors (c_e/c_e,Li, c_Li+/c0).
    Returns ``(l_n, l_g, regime, margin)`` broadcast to a common shape.
    """
    porosity = np.asarray(porosity, dtype=float)
    s_i = effective_conductivity(np.asarray(sigma_ion), porosity, bruggeman_exponent)
    s_e = effective_conductivity(np.asarray(sigma_e), porosity, bruggeman_exponent)
    eta_c = critical_overpotential(contact_angle, temperature, electron_factor, li_factor)
    l_n = nucleation_length_uniform(current_density, thickness, s_i, s_e, interface_resistance, eta_c)
    l_g = growth_length(capacity, porosity)
    l_n, l_g, thick = np.broadcast_arrays(l_n, l_g, thickness)
    return l_n, l_g, classify(l_n, l_g, thick), stability_margin(l_n, l_g, thick)
