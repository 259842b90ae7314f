"""Failure physics: which failure mode ends a Li | interlayer | SSE cell, and at what current.

The criterion follows one plating half cycle of the Li side of a symmetric cell (the other side
strips) from a known contact state, in ``steps`` equal charge increments, and judges each failure
mode by its own criterion. Every array argument broadcasts, so design maps run vectorised.

Sub-models (derivations and every assumption: docs/theory.md, "Failure physics"):

* **The contact** (:mod:`interlayer.contact`): planar spots (``R_p = r_w / f_c``) in parallel with
  the Li grown into the pores (a transmission line through the pore walls).
* **Where plated Li goes.** The current reaching the anode splits between the pore walls of the
  Li-filled zone and the planar spots. Li plated at a spot spreads into the pores around it where
  the electronic network wires them (fraction ``W/(1+W)``, :func:`interlayer.contact.wired_fraction`)
  or where Li creeps in against the capillary entry pressure (:mod:`interlayer.mechanics`); the rest
  stays at the spot (filaments, the anode thickens).
* **The SSE face.** The relaxed (t >> tau) overpotential at the SSE face of a layer whose Li contact
  passes ions is ``eta_sse = i (R_front + ionic resistance of the unfilled layer)`` (the profile
  rises toward the SSE); nuclei form there when ``integral J(eta_sse) dt * pi r^3 >= 1`` (one
  nucleus per pore-sized volume per half cycle). Once nucleated, Li at the SSE face takes the share
  ``R_a / (R_a + R_b)`` of the current (R_a: ionic path to the anode; R_b: the SSE-face contact
  ``r_w / eps`` plus the electronic path ``sum l / sigma_e`` back to the anode).
* **Failure modes** (:data:`MODES`), each judged over the half cycle:

  - ``contact-focusing`` (short): the Li plated at the spots that the layer cannot spread grows
    as filaments of the spots' cross-section (f_c of the face) through the pores and reaches the
    electrolyte within the half cycle (tip growth; thinner layers short sooner);
  - ``sse-nucleation`` (short): the SSE face nucleates and the mean current density into the Li
    there (``i_sse / eps``) exceeds the electrolyte's ``i_pen``;
  - ``growth-through`` (short): the Li front in the pores reaches the electrolyte;
  - ``contact-loss`` (voltage rise on stripping): the planar part of the plated Li must be
    stripped from the planar contact faster than Li creeps back, ``(F/V_m) r eps_dot(P)``;
  - ``dead-li`` (slow): Li at the SSE face that the electronic network does not wire back is left
    behind each cycle; fails when it fills the pores within the protocol's cycles.

SI in and out: A/m^2, C/m^2, s, m, ohm m^2, Pa, K.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from interlayer import contact, kinetics, materials, mechanics
from interlayer.cell import Cell, Interlayer, Layer
from interlayer.errors import InputError
from interlayer.numerics import bisect
from interlayer.temperature import DEFAULT_RANGE, arrhenius, check_temperature
from interlayer.units import FARADAY, OHM_CM2

MODES = ("stable", "contact-focusing", "sse-nucleation", "growth-through", "contact-loss", "dead-li")
STABLE, FOCUSING, SSE_NUCLEATION, GROWTH_THROUGH, CONTACT_LOSS, DEAD_LI = range(len(MODES))
SHORTS = (FOCUSING, SSE_NUCLEATION, GROWTH_THROUGH)

MODE_DESCRIPTIONS = {
    "stable": "no failure mode reached",
    "contact-focusing": "short: current focused at the few Li contact spots penetrates the layer (tip growth)",
    "sse-nucleation": "short: Li nucleates on the electrolyte face and penetrates the electrolyte",
    "growth-through": "short: Li grown into the pores reaches the electrolyte",
    "contact-loss": "voltage rise on stripping: Li leaves the planar contact faster than it creeps back (voids)",
    "dead-li": "slow failure: Li left at the electrolyte face, not wired back, fills the pores within the cycles",
}

#: Charge increments per half cycle. The shares change smoothly with the Li depth; 32 steps put the
#: half-cycle means within 0.1% of 512 steps for the paper's cells (tests/design/test_failure.py).
DEFAULT_STEPS = 32
#: Lowest current (A/m^2) :func:`critical_current` scans: 0.001 mA/cm^2.
LOWEST_CURRENT = 0.01
#: Highest current (A/m^2) :func:`critical_current` scans: 100 mA/cm^2 (the current bound's top).
HIGHEST_CURRENT = 1e3


@dataclass(frozen=True)
class HostParameters:
    """Properties of the Li | host contact and of Li penetration into the separator, at 25 degC (SI)."""

    wall_contact_resistance: float  # r_w, ohm m^2
    activation_energy_contact: float  # J/mol
    electrolyte_penetration_current_density: float  # i_pen of the separator, A/m^2

    @classmethod
    def for_cell(cls, cell: Cell) -> HostParameters:
        host = materials.get("lni")  # every library interlayer is LNI-based (composites inherit from it)
        sse = materials.get(cell.electrolyte)
        i_pen_sse = (sse["penetration_current_density"] if sse.has("penetration_current_density")
                     else host["penetration_current_density"])
        return cls(host["wall_contact_resistance"], host["activation_energy_contact"], i_pen_sse)


def _lni_default(layer: Layer, name: str):
    value = getattr(layer, name)
    if value is not None:
        return value
    lni = materials.get("lni")
    key = {"temperature_range": None}.get(name, name)
    if key is None:
        return (lni["temperature_min"], lni["temperature_max"]) if lni.has("temperature_min") else DEFAULT_RANGE
    return lni[key]


def penetration_scaling(temperature):
    """i_pen(T) / i_pen(25 degC): Li creep rate at fixed stress to the power 1/n (stated assumption).

    The current a Li | solid contact carries without penetrating is taken to rise as the stress the
    Li relaxes at a given strain rate falls: i_pen ~ rate^(1/n) ~ exp(-(Q/n)/R (1/T - 1/T_ref)).
    """
    p = mechanics.creep_parameters()
    return arrhenius(1.0, p["activation_energy"] / p["exponent"], temperature)


def cell_properties(cell: Cell) -> dict:
    """Per-layer properties at the cell temperature and the cell-level constants the criterion needs.

    Raises InputError when the temperature is outside a material's data range (unless
    ``cell.extrapolate``).
    """
    t = cell.temperature
    il = cell.interlayer
    for layer in il.layers:
        lo, hi = _lni_default(layer, "temperature_range")
        check_temperature(t, lo, hi, what=f"layer {layer.name!r}", extrapolate=cell.extrapolate)
    sse = materials.get(cell.electrolyte)
    if sse.has("temperature_min"):
        check_temperature(t, sse["temperature_min"], sse["temperature_max"], what=f"electrolyte {sse.name!r}",
                          extrapolate=cell.extrapolate)
    host = HostParameters.for_cell(cell)
    # resistances fall as the charge-transfer rate rises
    contact_scale = 1.0 / float(arrhenius(1.0, host.activation_energy_contact, t))
    layers = [_layer_properties(layer, t) for layer in il.layers]
    first = il.layers[0]
    planar = first.planar_contact_resistance
    if planar is None:
        planar = materials.get("lni")["planar_contact_resistance"]
    return _cell_constants(layers, t, cell.stack_pressure, planar * contact_scale,
                           host.wall_contact_resistance * contact_scale,
                           host.electrolyte_penetration_current_density)


def _layer_properties(layer: Layer, temperature) -> dict:
    """One layer at ``temperature``: SI values, Arrhenius-scaled from 25 degC."""
    ea_e = _lni_default(layer, "activation_energy_e")
    if layer.sigma_e_profile is not None:
        # graded layer: electronic resistance of the profile (sublayers in series), ends for the wiring
        xi = (np.arange(64) + 0.5) / 64
        sub = arrhenius(layer.sigma_e_profile(xi), ea_e, temperature)
        r_e = float(layer.thickness * np.mean(1.0 / sub))
        anode, sse = (float(arrhenius(layer.sigma_e_profile(np.array([x])), ea_e, temperature)[0]) for x in (0.0, 1.0))
    else:
        anode = sse = float(arrhenius(layer.sigma_e, ea_e, temperature))
        r_e = layer.thickness / anode
    return {
        "thickness": layer.thickness,
        "sigma_ion": float(arrhenius(layer.sigma_ion, _lni_default(layer, "activation_energy_ion"), temperature)),
        "sigma_e_anode": anode,
        "sigma_e_sse": sse,
        "electronic_resistance": r_e,
        "porosity": layer.porosity,
        "pore_radius": _lni_default(layer, "pore_radius"),
        "contact_angle": layer.contact_angle,
        "factors": layer.nucleation_factors(),
    }


def _cell_constants(layers, temperature, stack_pressure, planar_resistance, wall_resistance, i_pen_sse) -> dict:
    # f_c = r_w / R_p is a fraction of the face: a planar contact cannot beat a fully wetted one
    if np.any(np.asarray(planar_resistance) < np.asarray(wall_resistance) * (1 - 1e-12)):
        raise InputError("interface_resistance", "the planar contact resistance must be at least that of a fully wetted "
                         f"Li | LNI contact, r_w = {float(np.min(wall_resistance)) * OHM_CM2:.3g} ohm cm2 at this temperature "
                         "(its contact fraction r_w / R_p cannot exceed 1)")
    li = materials.get("li")
    return {
        "layers": layers,
        "temperature": temperature,
        "stack_pressure": stack_pressure,
        "planar_resistance": planar_resistance,
        "wall_resistance": wall_resistance,
        "i_pen_sse": i_pen_sse * penetration_scaling(temperature),
        "li_surface_energy": li["surface_energy"],
        "gamma_eff": li["nucleation_interfacial_energy"],
    }


def uniform_properties(material: str, *, sigma_ion, sigma_e, contact_angle, thickness, porosity, temperature,
                       planar_resistance=None, pore_radius=None, stack_pressure=1e6, electron_factor=None,
                       li_factor=None, electrolyte="lni") -> dict:
    """:func:`cell_properties` of a one-layer cell from arrays (design maps): every argument broadcasts.

    Conductivities are 25 degC values of ``material``'s kind, scaled with its activation energies;
    ``planar_resistance`` (ohm m^2 at 25 degC) defaults to the material's.
    """
    m = materials.get(material)
    lni = materials.get("lni")

    def prop(key, fallback):
        return m[key] if m.has(key) else fallback

    t = np.asarray(temperature, dtype=float)
    ea_c = lni["activation_energy_contact"]
    contact_scale = 1.0 / arrhenius(1.0, ea_c, t)
    s_e = arrhenius(np.asarray(sigma_e, dtype=float), prop("activation_energy_e", lni["activation_energy_e"]), t)
    layer = {
        "thickness": np.asarray(thickness, dtype=float),
        "sigma_ion": arrhenius(np.asarray(sigma_ion, dtype=float), prop("activation_energy_ion", lni["activation_energy_ion"]), t),
        "sigma_e_anode": s_e,
        "sigma_e_sse": s_e,
        "electronic_resistance": np.asarray(thickness, dtype=float) / s_e,
        "porosity": np.asarray(porosity, dtype=float),
        "pore_radius": np.asarray(prop("pore_radius", lni["pore_radius"]) if pore_radius is None else pore_radius),
        "contact_angle": np.asarray(contact_angle, dtype=float),
        "factors": (1.0 if li_factor is None else li_factor, 1.0 if electron_factor is None else electron_factor),
    }
    r_p = prop("planar_contact_resistance", lni["planar_contact_resistance"]) if planar_resistance is None else planar_resistance
    sse = materials.get(electrolyte, field="electrolyte")
    i_pen = sse["penetration_current_density"] if sse.has("penetration_current_density") else lni["penetration_current_density"]
    return _cell_constants([layer], t, stack_pressure, np.asarray(r_p) * contact_scale,
                           lni["wall_contact_resistance"] * contact_scale, i_pen)


def _ionic_resistance_beyond(depth, layers):
    """Ionic resistance (ohm m^2) from depth ``depth`` to the electrolyte, through the stack."""
    total = 0.0
    x0 = 0.0
    for la in layers:
        inside = np.clip(la["thickness"] - np.maximum(depth - x0, 0.0), 0.0, la["thickness"])
        total = total + inside / la["sigma_ion"]
        x0 += la["thickness"]
    return total


def _electronic_resistance(layers):
    """Electronic resistance (ohm m^2) of the whole stack (graded layers: sublayers in series)."""
    return sum(la["electronic_resistance"] for la in layers)


def _depth_of_charge(charge, layers, molar_volume):
    """Depth (m) to which ``charge`` (C/m^2) of Li fills the stack's pores from the anode side."""
    depth = np.zeros_like(np.asarray(charge, dtype=float))
    left = np.asarray(charge, dtype=float)
    for la in layers:
        capacity = FARADAY * la["porosity"] * la["thickness"] / molar_volume
        used = np.minimum(left, capacity)
        depth = depth + used / capacity * la["thickness"]
        left = left - used
    # beyond the stack: counted in the last layer's porosity (growth-through has happened)
    last = layers[-1]
    return depth + left * molar_volume / (FARADAY * last["porosity"])


def pore_capacity(layers, molar_volume=None):
    """Li charge (C/m^2) that fills the pores of the whole stack."""
    vm = materials.get("li")["molar_volume"] if molar_volume is None else molar_volume
    return sum(FARADAY * la["porosity"] * la["thickness"] / vm for la in layers)


def half_cycle(current_density, capacity, props, steps=DEFAULT_STEPS, initial_depth=0.0):
    """Follow one plating half cycle; returns a dict of arrays (broadcast over the inputs).

    Parameters
    ----------
    current_density, capacity : float or array
        A/m^2 and C/m^2 plated in the half cycle.
    props : dict
        :func:`cell_properties`.
    steps : int
        Charge increments (SSE nucleation counted at the start of each, the current split at its midpoint).
    initial_depth : float or array
        Depth (m) of Li already in the pores at the start (0: emptied by the previous stripping).

    Returns
    -------
    dict
        ``mode`` (int8 codes of :data:`MODES`), ``shorts``/per-mode flags, mean current densities
        ``spot_current_density`` and ``sse_current_density`` (A/m^2, at the contact), charges
        ``q_pores``, ``q_spots``, ``q_sse`` (C/m^2, summing to ``capacity``), ``front_depth`` (m),
        ``filament_length`` (m), ``sse_nucleated`` (bool), ``spike`` (V), ``eta_sse_start`` (V),
        ``dead_li_per_cycle`` (C/m^2) and ``cycles_to_dead_li``.
    """
    if steps < 1:
        raise InputError("steps", f"must be >= 1, got {steps}")
    i = np.asarray(current_density, dtype=float)
    q_total = np.asarray(capacity, dtype=float)
    i, q_total, depth0 = np.broadcast_arrays(i, q_total, np.asarray(initial_depth, dtype=float))
    layers = props["layers"]
    first, last = layers[0], layers[-1]
    l_total = sum(la["thickness"] for la in layers)
    t = props["temperature"]
    li = materials.get("li")
    vm = li["molar_volume"]
    r_p, r_w = props["planar_resistance"], props["wall_resistance"]
    f_c = r_w / r_p  # contact fraction of the planar spots
    # electron wiring of the pores around a spot, and creep of spot Li into them
    wired = contact.wired_fraction(first["sigma_e_anode"], r_p, f_c, first["pore_radius"])
    p_cap = mechanics.capillary_entry_pressure(props["li_surface_energy"], first["contact_angle"], first["pore_radius"])
    duration = q_total / i
    creep_depth = mechanics.creep_fill_depth(duration, props["stack_pressure"] - p_cap, first["pore_radius"], t)
    creep_charge = FARADAY * first["porosity"] * np.minimum(creep_depth, l_total) / vm
    # the SSE face: contact of Li deposited there with the electrolyte, electronic path back
    r_b = r_w / last["porosity"] + _electronic_resistance(layers)
    li_f, e_f = last["factors"]
    nucleus_volume = math.pi * last["pore_radius"] ** 3
    rate_args = dict(contact_angle=last["contact_angle"], temperature=t, surface_energy=props["gamma_eff"],
                     molar_volume=vm, prefactor=li["nucleation_prefactor"], c_ratio=li_f, ce_ratio=e_f)

    dq = q_total / steps
    dt = duration / steps
    q_pores_spread = np.zeros_like(i)  # spread, laterally uniform Li in the pores (C/m^2)
    q_spots = np.zeros_like(i)
    q_sse = np.zeros_like(i)
    nuclei = np.zeros_like(i)
    spot_cd = np.zeros_like(i)
    sse_cd = np.zeros_like(i)
    charge0 = FARADAY * first["porosity"] * depth0 / vm
    eta_sse_start = None

    def state(spread_charge):
        """(R_a, eta_sse) with ``spread_charge`` C/m^2 of spread Li in the pores."""
        depth = _depth_of_charge(charge0 + spread_charge, layers, vm)
        front = contact.contact_resistance(np.minimum(depth, l_total), r_p, r_w, first["sigma_ion"],
                                           first["porosity"], first["pore_radius"])
        r_a = front + _ionic_resistance_beyond(depth, layers)
        return r_a, i * r_a

    for _ in range(steps):
        # nuclei at the SSE face counted from the state at the start of the increment; the current
        # split from the midpoint state (predictor-corrector: second order in the increment)
        r_a, eta_sse = state(q_pores_spread)
        if eta_sse_start is None:
            eta_sse_start = eta_sse
        nuclei = nuclei + kinetics.nucleation_rate(eta_sse, **rate_args) * dt * nucleus_volume
        nucleated = nuclei >= 1.0
        share_sse = np.where(nucleated, r_a / (r_a + r_b), 0.0)
        r_a, _ = state(q_pores_spread + 0.5 * dq * (1.0 - share_sse) * wired)
        share_sse = np.where(nucleated, r_a / (r_a + r_b), 0.0)
        to_anode = 1.0 - share_sse
        through_spots = to_anode * (1.0 - wired)  # stays at the spots: filaments of the spots' cross-section
        spread = to_anode * wired  # spreads over the wired pores (and the Li already in them)
        q_sse = q_sse + share_sse * dq
        q_spots = q_spots + through_spots * dq
        q_pores_spread = q_pores_spread + spread * dq
        spot_cd = spot_cd + i * through_spots / f_c / steps
        sse_cd = sse_cd + i * share_sse / last["porosity"] / steps
    # spot Li pushed into the pores by creep (against the capillary entry pressure) spreads too
    crept = np.minimum(q_spots, creep_charge)
    q_spots_left = q_spots - crept
    q_pores = q_pores_spread + crept
    front_depth = _depth_of_charge(charge0 + q_pores, layers, vm)
    filament = q_spots_left * vm / (FARADAY * first["porosity"] * f_c)
    # nucleation at the front (the spike): eta at the anode-side layer vs its eta_c for this half cycle
    li_a, e_a = first["factors"]
    threshold = 1.0 / (duration * math.pi * first["pore_radius"] ** 3)
    eta_c_front = kinetics.critical_overpotential(first["contact_angle"], t, props["gamma_eff"], vm,
                                                  li["nucleation_prefactor"], threshold, c_ratio=li_a, ce_ratio=e_a)
    front0 = contact.contact_resistance(depth0, r_p, r_w, first["sigma_ion"], first["porosity"], first["pore_radius"])
    spike = np.maximum(0.0, i * front0 - eta_c_front)
    # stripping the planar part back: the face-average rate the planar contact must give up
    planar_strip = i * q_spots_left / q_total
    creep_supply = FARADAY / vm * first["pore_radius"] * mechanics.creep_strain_rate(props["stack_pressure"], t)
    # dead Li: SSE-face Li the network does not wire back (same wiring rule, SSE-side layer)
    wired_sse = contact.wired_fraction(last["sigma_e_sse"], r_p, f_c, last["pore_radius"])
    dead = q_sse * (1.0 - wired_sse)
    capacity_pores = pore_capacity(layers, vm)
    with np.errstate(divide="ignore"):
        cycles_dead = np.where(dead > 0, capacity_pores / np.where(dead > 0, dead, 1.0), np.inf)
    cycles_dead = np.broadcast_to(cycles_dead, np.broadcast_shapes(np.shape(cycles_dead), np.shape(i), np.shape(dead)))

    shape = np.broadcast_shapes(*(np.shape(x) for x in (i, q_total, spot_cd, sse_cd, filament, front_depth, nuclei,
                                                         planar_strip, creep_supply, wired, dead)))
    i, spot_cd, sse_cd, filament, front_depth, nuclei, planar_strip, dead = (
        np.broadcast_to(x, shape) for x in (i, spot_cd, sse_cd, filament, front_depth, nuclei, planar_strip, dead))
    l_total = np.broadcast_to(l_total, shape)
    flags = {
        FOCUSING: filament >= l_total,
        SSE_NUCLEATION: (nuclei >= 1.0) & (sse_cd >= props["i_pen_sse"]),
        GROWTH_THROUGH: front_depth >= l_total,
        CONTACT_LOSS: planar_strip > creep_supply,
    }
    # no stack pressure, no creep supply: any stripping from the planar contact loses it (margin inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        contact_margin = np.where(planar_strip > 0, planar_strip / creep_supply, 0.0)
    # margins: how far each mode is from its threshold (>= 1 fails), used to name the limiting one
    margins = {
        FOCUSING: filament / l_total,
        SSE_NUCLEATION: np.where(nuclei >= 1.0, sse_cd / props["i_pen_sse"], 0.0),
        GROWTH_THROUGH: front_depth / l_total,
        CONTACT_LOSS: contact_margin,
    }
    # shorts end the plating half cycle, before the stripping that would show contact loss; among
    # shorts the one furthest past its threshold is named
    mode = np.where(flags[CONTACT_LOSS], CONTACT_LOSS, STABLE).astype(np.int8)
    worst = np.zeros(i.shape)
    for code in SHORTS:
        take = flags[code] & (margins[code] >= worst)
        mode = np.where(take, code, mode)
        worst = np.where(take, margins[code], worst)
    return {
        "mode": mode,
        "flags": flags,
        "margins": margins,
        "spot_current_density": spot_cd,
        "sse_current_density": sse_cd,
        "q_pores": q_pores,
        "q_spots": q_spots_left,
        "q_sse": q_sse,
        "front_depth": front_depth,
        "filament_length": filament,
        "sse_nucleated": nuclei >= 1.0,
        "sse_nuclei": nuclei,
        "eta_sse_start": eta_sse_start,
        "spike": spike,
        "eta_c_front": eta_c_front,
        "wired_fraction": np.broadcast_to(wired, shape),
        "planar_strip_current_density": planar_strip,
        "creep_supply_current_density": np.broadcast_to(creep_supply, shape),
        "dead_li_per_cycle": dead,
        "cycles_to_dead_li": cycles_dead,
        "contact_fraction": f_c,
    }


def lengths(result: dict, current_density, props) -> tuple[np.ndarray, np.ndarray]:
    """(l_n, l_g) in m of a half cycle: the paper's design lengths in this model.

    l_g is the depth the spread Li reaches in the pores at the end of plating; l_n is the nucleation
    length the spike implies through the paper's eq. 1, ``l_n = sigma_e V_sp / i`` (the region ahead
    of the Li front where eta exceeds eta_c falls at the slope i / sigma_e), at most the thickness.
    """
    l_total = sum(la["thickness"] for la in props["layers"])
    i = np.asarray(current_density, dtype=float)
    l_n = np.minimum(props["layers"][0]["sigma_e_anode"] * result["spike"] / i, l_total)
    l_n, l_g = np.broadcast_arrays(l_n, np.minimum(result["front_depth"], l_total))
    return l_n, l_g


def margin(result: dict, props) -> np.ndarray:
    """Stability margin in m: l_i (1 - r) with r the largest mode ratio (>= 1 fails); < 0 fails."""
    l_total = sum(la["thickness"] for la in props["layers"])
    worst = np.max(np.stack([np.asarray(v, dtype=float) for v in result["margins"].values()]), axis=0)
    return l_total * (1.0 - worst)


def evaluate_uniform(props, current_density, capacity, cycles=None, steps=DEFAULT_STEPS):
    """(l_n, l_g, mode, margin) of a one-layer cell from :func:`uniform_properties` (maps, inverse design)."""
    r = half_cycle(current_density, capacity, props, steps=steps)
    mode = judge(r, cycles)
    l_n, l_g = lengths(r, current_density, props)
    return l_n, l_g, mode, margin(r, props)


def judge(result: dict, cycles: int | None) -> np.ndarray:
    """Limiting mode per point: a short or contact loss first; dead Li only within ``cycles``."""
    mode = result["mode"].copy()
    if cycles is not None:
        slow = (mode == STABLE) & (result["cycles_to_dead_li"] < cycles)
        mode = np.where(slow, DEAD_LI, mode)
    return mode


def evaluate_cell(cell: Cell, current_density, capacity, cycles=None, steps=DEFAULT_STEPS) -> dict:
    """:func:`half_cycle` of ``cell`` at each current (A/m^2) and capacity (C/m^2), modes judged."""
    props = cell_properties(cell)
    result = half_cycle(current_density, capacity, props, steps=steps)
    result["mode"] = judge(result, cycles)
    result["props"] = props
    return result


def relaxation_times(cell: Cell, capacitance=None) -> list[float]:
    """tau (s) of each layer at the cell temperature: the relaxed profile holds for t >> tau."""
    from interlayer.transport import miec

    props = cell_properties(cell)
    kw = {} if capacitance is None else {"capacitance": capacitance}
    return [float(miec.relaxation_time(la["thickness"], la["sigma_ion"], la["thickness"] / la["electronic_resistance"], **kw))
            for la in props["layers"]]


def critical_current(cell: Cell, half_cycle_time=None, capacity=None, cycles=None, i_low=LOWEST_CURRENT, i_high=HIGHEST_CURRENT,
                     steps=DEFAULT_STEPS):
    """(critical current A/m^2, mode name) of a step test: the lowest current at which a mode fails.

    Scans 400 log-spaced currents in [i_low, i_high] and bisects the first failing edge to 1e-4
    relative. Returns (inf, "stable") if nothing fails up to ``i_high``, and (i_low, mode) if the
    lowest current already fails.
    """
    if (half_cycle_time is None) == (capacity is None):
        raise InputError("half_cycle_time", "give a half-cycle time or a capacity (one of them)")
    props = cell_properties(cell)

    def modes(i):
        i = np.atleast_1d(np.asarray(i, dtype=float))
        q = i * half_cycle_time if capacity is None else np.full_like(i, capacity)
        r = half_cycle(i, q, props, steps=steps)
        return judge(r, cycles)

    grid = np.geomspace(i_low, i_high, 400)
    m = modes(grid)
    bad = np.flatnonzero(m != STABLE)
    if bad.size == 0:
        return math.inf, MODES[STABLE]
    k = int(bad[0])
    if k == 0:
        return float(grid[0]), MODES[int(m[0])]
    _, hi = bisect(lambda i: modes(i)[0] != STABLE, grid[k - 1], grid[k], rtol=1e-4, scale="log")
    return float(hi), MODES[int(modes(hi)[0])]


def build_cell(interlayer: Interlayer, **kw) -> Cell:
    """A :class:`~interlayer.cell.Cell` of the paper's geometry around ``interlayer`` (keywords override)."""
    return Cell(interlayer=interlayer, **kw)


__all__ = ["MODES", "MODE_DESCRIPTIONS", "HostParameters", "cell_properties", "half_cycle", "judge",
           "evaluate_cell", "critical_current", "relaxation_times", "penetration_scaling", "pore_capacity"]
