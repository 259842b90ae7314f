"""Growth (eq. 9) and nucleation (eq. 10) maps from solved PNP fields, and their scalar summaries.

* Growth: the Butler-Volmer current density on every Li surface node (A/m^2, > 0 plates), also as a
  Li thickening velocity ``v = i V_m / F`` (m/s), and normalised to ``[0, 1]`` by its maximum.
* Nucleation: the classical heterogeneous rate at every node, ``J = J0 (c_Li+/c0)(c_e/c_e,Li)
  exp(-kappa(theta) dG*/(k_B T))`` with the local overpotential ``eta = phi_ion - phi_e``
  (:func:`interlayer.kinetics.nucleation_rate`), normalised by its maximum. "No nucleation" means
  ``max J < J_th`` (``li.nucleation_rate_threshold``); the normalised map is then all zeros.
"""

from __future__ import annotations

import numpy as np

from interlayer.kinetics import REFERENCE_CONCENTRATION, critical_overpotential, nucleation_rate
from interlayer.units import AVOGADRO, FARADAY, UM


def nucleation_field(model, fields: dict[str, np.ndarray]) -> np.ndarray:
    """Nucleation rate at every node, 1/(m^3 s) (zero where eta <= 0)."""
    p = model.params
    eta = fields["eta"]
    plating = eta > 0
    # kinetics gives 0 * inf = NaN at theta = 0 (barrierless) where eta <= 0; there is no driving force
    # there, so evaluate only where eta > 0 and set the rest to zero explicitly
    solid = 1.0 - p.porosity  # eq. 10 sees the solid's local concentrations
    rate = nucleation_rate(
        np.where(plating, eta, 1.0),
        p.contact_angle,
        p.temperature,
        p.interfacial_energy,
        p.molar_volume,
        p.nucleation_prefactor,
        c_ratio=fields["c_li"] / (solid * REFERENCE_CONCENTRATION),
        ce_ratio=fields["c_e"] / (solid * p.c_e_li),
    )
    return np.where(plating, rate, 0.0)


def critical_overpotential_of(p) -> float:
    """eta_c (V) at the equilibrium concentrations: the design criterion's eta_c for the same layer."""
    solid = 1.0 - p.porosity
    return float(critical_overpotential(
        p.contact_angle, p.temperature, p.interfacial_energy, p.molar_volume, p.nucleation_prefactor,
        p.nucleation_threshold, c_ratio=p.c_li / (solid * REFERENCE_CONCENTRATION), ce_ratio=p.c_e / (solid * p.c_e_li)))


def normalise(values: np.ndarray, floor: float = 0.0) -> np.ndarray:
    """``values / max(values)`` in ``[0, 1]``; all zeros when the maximum is not above ``floor``."""
    vmax = float(np.max(values)) if values.size else 0.0
    if not vmax > floor:
        return np.zeros_like(values)
    return np.clip(values / vmax, 0.0, 1.0)


def growth_velocity(current_density: np.ndarray, molar_volume: float) -> np.ndarray:
    """Li surface velocity for a plating current density, m/s: ``i V_m / F``."""
    return np.asarray(current_density) * molar_volume / FARADAY


def depth_quantile(depth: np.ndarray, weight: np.ndarray, q: float = 0.9) -> float:
    """Depth (same unit as ``depth``) from the anode that holds the fraction ``q`` of ``sum(weight)``.

    Nodes are sorted by depth and the cumulative weight is interpolated linearly between them.
    """
    order = np.argsort(depth, kind="stable")
    d, w = depth[order], weight[order]
    cum = np.cumsum(w)
    total = cum[-1]
    if not total > 0:
        return float("nan")
    return float(np.interp(q * total, cum, d))


def li_surface_distance(coords: np.ndarray, surface: np.ndarray) -> np.ndarray:
    """Distance of every node to the Li surface, same unit as the coordinates.

    ``surface`` holds the Li-surface nodes; in 2D the surface (flat anode and triangular protrusion) is
    a graph of x, so sorted by x (then y) they form its polyline, and the distance is to the nearest of
    its segments. In 1D it is the coordinate itself (the anode sits at 0).
    """
    if coords.shape[1] == 1:
        return np.abs(coords[:, 0] - surface[:, 0].min())
    order = np.lexsort((surface[:, 1], surface[:, 0]))
    a, b = surface[order[:-1]], surface[order[1:]]
    ab = b - a
    length2 = np.maximum(np.einsum("sk,sk->s", ab, ab), 1e-300)
    best = np.full(coords.shape[0], np.inf)
    for start in range(0, coords.shape[0], 4096):  # bounded memory: chunk x segments
        pts = coords[start:start + 4096, None, :]
        t = np.clip(np.einsum("nsk,sk->ns", pts - a[None], ab) / length2, 0.0, 1.0)
        nearest = a[None] + t[..., None] * ab[None]
        best[start:start + 4096] = np.sqrt(np.min(np.sum((pts - nearest) ** 2, axis=-1), axis=1))
    return best


#: The scalar results of a solve, stored as 0-d data variables (SI, NaN where a quantity does not
#: exist): variable -> (unit, long name, key in :func:`~interlayer.transport.pnp.summary`, factor from
#: SI to that key's unit; None for a yes/no).
RESULTS: dict[str, tuple[str, str, str, float | None]] = {
    "debye_length": ("m", "Debye length", "debye_length_m", 1.0),
    "nucleation_rate_max": ("1/(m^3*s)", "largest Li nucleation rate", "nucleation_rate_max_m3_s", 1.0),
    "nucleation_present": ("1", "1 if the nucleation rate reaches the threshold anywhere", "nucleation_present", None),
    "nucleation_depth_90": ("m", "depth from the flat anode plane holding 90 % of the nucleation",
                            "nucleation_depth_90_um", 1e6),
    "nucleation_distance_90": ("m", "distance from the nearest Li surface holding 90 % of the nucleation",
                               "nucleation_distance_90_um", 1e6),
    "nucleation_fraction_anode_half": ("1", "fraction of the nucleation in the anode half",
                                       "nucleation_fraction_anode_half", 1.0),
    "nucleation_region_fraction": ("1", "volume fraction where the nucleation rate reaches the threshold",
                                   "nucleation_region_fraction", 1.0),
    "nucleation_rate_sse": ("1/(m^3*s)", "Li nucleation rate at the SSE face", "nucleation_rate_sse_m3_s", 1.0),
    "critical_overpotential": ("V", "critical nucleation overpotential eta_c", "critical_overpotential_V", 1.0),
    "eta_anode": ("V", "mean deposition overpotential at the Li anode", "eta_anode_V", 1.0),
    "eta_sse": ("V", "mean deposition overpotential at the SSE face", "eta_sse_V", 1.0),
    "eta_max": ("V", "largest deposition overpotential in the layer", "eta_max_V", 1.0),
    "growth_rate_max": ("A/m^2", "largest Li growth current density", "growth_rate_max_A_m2", 1.0),
    "growth_tip_to_base_ratio": ("1", "growth rate at the protrusion tip / at its base (2D)",
                                 "growth_tip_to_base_ratio", 1.0),
    "growth_flat_spread": ("1", "(max - min) / mean growth rate on the flat anode (2D)", "growth_flat_spread", 1.0),
    "nucleation_onset": ("s", "time of the first nucleation (run to the first nucleation)", "nucleation_onset_s", 1.0),
    "nucleation_onset_resolution": ("s", "half-width of the bracket of the first-nucleation time",
                                    "nucleation_onset_resolution_s", 1.0),
}


def summarise(model, fields, nucleation, volume_si, depth, anode_nodes, growth) -> dict:
    """Scalar results by :data:`RESULTS` variable name (SI; ``None`` where a quantity does not exist)
    and the parameters they rest on (units in the key names)."""
    p = model.params
    j_max = float(np.max(nucleation))
    present = j_max >= p.nucleation_threshold
    weight = nucleation * volume_si
    total = float(weight.sum())
    half = depth <= 0.5 * p.thickness
    g = model.graph
    sse_nodes = g.boundaries["sse"].nodes
    result = {
        "debye_length": model.scales.debye_length,
        "l_i_um": round(p.thickness * UM, 9),  # 90e-6 * 1e6 = 89.99999999999999 otherwise
        "nucleation_rate_max": j_max,
        "nucleation_present": bool(present),
        "nucleation_depth_90": depth_quantile(depth, weight, 0.9) if present else None,
        "nucleation_fraction_anode_half": float(weight[half].sum() / total) if present and total > 0 else None,
        # 2D: from the nearest Li surface (protrusion included) rather than from the flat anode plane
        "nucleation_distance_90": (depth_quantile(li_surface_distance(g.coords, g.coords[anode_nodes]) * p.thickness,
                                                  weight, 0.9) if present else None),
        "nucleation_region_fraction": float(volume_si[nucleation >= p.nucleation_threshold].sum() / volume_si.sum()),
        "nucleation_rate_sse": float(np.max(nucleation[sse_nodes])),
        "nucleation_threshold_m3_s": p.nucleation_threshold,
        # the electron-concentration assumption and the time scale it sets (docs/pnp.md)
        "relaxation_time_s": p.relaxation_time,
        "electron_concentration_m3": p.c_e * AVOGADRO / (1.0 - p.porosity),  # of the solid, as given
        "porosity": p.porosity,
        "critical_overpotential": critical_overpotential_of(p),
        # of the solid: sigma_e/(e n) of the dense material (the layer's is smaller by the tortuosity (1 - eps)^0.5)
        "electron_mobility_m2_V_s": p.electron_mobility / (1.0 - p.porosity) ** 0.5,
        "electron_route": p.electron_route,
        "eta_anode": float(np.mean(fields["eta"][anode_nodes])),
        "eta_sse": float(np.mean(fields["eta"][sse_nodes])),
        "eta_max": float(np.max(fields["eta"])),
        "growth_rate_max": float(np.max(growth)),
    }
    if "tip" in g.boundaries:
        where = {int(n): k for k, n in enumerate(anode_nodes)}
        tip = where[int(g.boundaries["tip"].nodes[0])]
        base = where[int(g.boundaries["base"].nodes[0])]
        result["growth_tip_to_base_ratio"] = float(growth[tip] / growth[base]) if growth[base] != 0 else None
        # flatness of the plating front on the flat part of the anode: (max - min) / mean
        flat = g.coords[anode_nodes, -1] < 1e-12
        mean = float(np.mean(growth[flat]))
        result["growth_flat_spread"] = float(np.ptp(growth[flat]) / mean) if mean != 0 else None
    else:
        result["growth_tip_to_base_ratio"] = None
        result["growth_flat_spread"] = None
    return result
