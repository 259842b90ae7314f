"""Inverse design: the thinnest LNI-CNT layer stable at a target current and capacity.

Method: a bracketing search on the vectorised criterion, not a gradient optimiser. The regime is a
discontinuous function of the design variables (it flips between stable, dead-Li, SSE nucleation and
growth-through), so SciPy's local optimisers would stall on its plateaus; the criterion costs
~0.5 us a point, so a global grid over the free variables followed by bisection in thickness is both
robust and fast (about a second for 10^6 candidate designs).

Free variables: ``thickness`` (always), ``cnt_fraction`` (conductivities from the fitted LNI-CNT
composition rule, :mod:`interlayer.design.layered`), ``porosity`` and ``contact_angle``; the others
stay at the LNI-5% CNT library values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from interlayer import carriers, materials
from interlayer.design import criterion
from interlayer.design.layered import composition_rule
from interlayer.errors import InputError
from interlayer.numerics import bisect
from interlayer.units import ROOM_TEMPERATURE, UM

FREE_VARIABLES = ("thickness", "cnt_fraction", "porosity", "contact_angle")
DEFAULT_BOUNDS = {
    "thickness": (1e-6, 500e-6),
    # ionic layers (< 1% CNT) are inside the range: the failure physics judges them (contact focusing)
    "cnt_fraction": (0.002, 0.6),
    "porosity": (0.1, 0.6),
    "contact_angle": (np.radians(90.0), np.radians(170.0)),
}
GRID_POINTS = {"thickness": 160, "cnt_fraction": 40, "porosity": 21, "contact_angle": 17}


@dataclass
class DesignPoint:
    thickness: float
    cnt_fraction: float
    porosity: float
    contact_angle: float
    l_n: float
    l_g: float
    regime: str
    margin: float
    feasible: bool
    notes: list[str] = field(default_factory=list)


def _fixed_values() -> dict[str, float]:
    m = materials.get("lni-5cnt")
    return {"cnt_fraction": m["cnt_fraction"], "porosity": m["porosity"], "contact_angle": m["contact_angle"],
            "interface_resistance": m["interface_resistance"]}


def _axes(free, bounds):
    fixed = _fixed_values()
    axes = {}
    for name in ("cnt_fraction", "porosity", "contact_angle"):
        if name in free:
            lo, hi = bounds[name]
            n = GRID_POINTS[name]
            axes[name] = np.geomspace(lo, hi, n) if name == "cnt_fraction" else np.linspace(lo, hi, n)
        else:
            axes[name] = np.array([fixed[name]])
    return axes


def _conductivities(cnt):
    """Measured LNI-5% CNT values at its own composition, the fitted composition rule elsewhere."""
    m = materials.get("lni-5cnt")
    rule = composition_rule()
    at_library = np.isclose(cnt, m["cnt_fraction"], rtol=1e-12, atol=0)
    return (np.where(at_library, m["sigma_ion"], rule.sigma_ion(cnt)),
            np.where(at_library, m["sigma_e"], rule.sigma_e(cnt)))


def _evaluate(thickness, cnt, porosity, theta, current, capacity, temperature):
    """(l_n, l_g, mode, margin) of the failure physics (codes of :data:`failure.MODES`)."""
    from interlayer.design import failure
    from interlayer.design.layered import planar_contact_resistance

    s_i, s_e = _conductivities(cnt)
    li_factor = carriers.li_factor(materials.get("lni")["li_concentration"])
    electron_factor = carriers.electron_factor(carriers.cnt_electron_density(cnt))
    props = failure.uniform_properties("lni-5cnt", sigma_ion=s_i, sigma_e=s_e, contact_angle=theta, thickness=thickness,
                                       porosity=porosity, temperature=temperature,
                                       planar_resistance=planar_contact_resistance(cnt),
                                       electron_factor=electron_factor, li_factor=li_factor)
    return failure.evaluate_uniform(props, current, capacity)


def validate(free, bounds):
    unknown = [f for f in free if f not in FREE_VARIABLES]
    if unknown:
        raise InputError("free", f"unknown variable {unknown[0]!r}; allowed: {', '.join(FREE_VARIABLES)}")
    merged = dict(DEFAULT_BOUNDS)
    for name, (lo, hi) in (bounds or {}).items():
        if name not in FREE_VARIABLES:
            raise InputError("bounds", f"unknown variable {name!r}; allowed: {', '.join(FREE_VARIABLES)}")
        if not lo < hi:
            raise InputError("bounds", f"{name}: lower bound must be below the upper bound")
        limits = {"thickness": (0, 1e-2), "cnt_fraction": (0, 1), "porosity": (0, 1), "contact_angle": (0, np.pi)}[name]
        if lo < limits[0] or hi > limits[1] or (name != "contact_angle" and lo <= limits[0]):
            raise InputError("bounds", f"{name} bounds must lie within ({limits[0]:g}, {limits[1]:g}] SI units")
        merged[name] = (lo, hi)
    return merged


#: Resolution a recommended thickness is rounded up to, m (0.1 um: below any coating tolerance).
THICKNESS_STEP = 1e-7


def thinnest_stable(current_density, capacity, free=("thickness", "cnt_fraction"), bounds=None,
                    temperature=ROOM_TEMPERATURE) -> DesignPoint:
    """The thinnest layer that is stable at ``current_density`` (A/m^2) and ``capacity`` (C/m^2).

    When no design in the bounds is stable, returns the closest one (largest margin) with
    ``feasible=False``.
    """
    if not (current_density > 0 and capacity > 0):
        raise InputError("target", "target current and capacity must be > 0")
    bounds = validate(free, bounds)
    axes = _axes(free, bounds)
    t_lo, t_hi = bounds["thickness"]
    thickness = np.geomspace(t_lo, t_hi, GRID_POINTS["thickness"])
    c, p, a, t = np.meshgrid(axes["cnt_fraction"], axes["porosity"], axes["contact_angle"], thickness, indexing="ij")
    l_n, l_g, regime, margin = _evaluate(t, c, p, a, current_density, capacity, temperature)
    stable = regime == criterion.STABLE
    if not stable.any():
        # closest: the largest margin, preferring designs whose SSE side does not nucleate (their
        # margin measures how far the growth or nucleation front is from fitting the layer)
        score = np.where(regime == criterion.SSE_NUCLEATION, -np.inf, margin)
        if np.all(np.isneginf(score)):
            score = margin
        k = np.unravel_index(np.argmax(score), score.shape)
        return _point(c[k], p[k], a[k], t[k], l_n[k], l_g[k], regime[k], margin[k], False,
                      ["no stable design within the bounds; this is the closest one (largest stability margin)"])
    thinnest = np.where(stable, t, np.inf)
    k = np.unravel_index(np.argmin(thinnest), thinnest.shape)
    # refine the thickness by bisection between the grid neighbours (unstable below, stable at k)
    hi = t[k]
    j = int(np.searchsorted(thickness, hi))
    lo = thickness[j - 1] if j > 0 else hi
    args = (c[k], p[k], a[k])
    if lo < hi:
        def stable_at(x):
            return _evaluate(x, *args, current_density, capacity, temperature)[2] == criterion.STABLE

        lo, hi = bisect(stable_at, lo, hi, rtol=1e-9, max_iter=60, scale="log")
    # The bisected thickness sits on the stability boundary (zero margin): a value a user copies
    # (rounded to the printed 0.01 um) can fall on the unstable side. Round up to THICKNESS_STEP and
    # report the boundary in a note.
    notes = []
    boundary = hi
    # what sets the boundary: just below it the layer is too thin for the growth front (pore volume:
    # only porosity matters) or nuclei outrun the front / reach the SSE (all free variables matter)
    below = _evaluate(boundary * (1 - 1e-6), *args, current_density, capacity, temperature)[2]
    pore_limited = below == criterion.GROWTH_THROUGH
    rounded = round(math.ceil(hi / THICKNESS_STEP - 1e-9) * THICKNESS_STEP, 12)
    if rounded <= t_hi and _evaluate(rounded, *args, current_density, capacity, temperature)[2] == criterion.STABLE:
        hi = rounded
        notes.append(f"thickness rounded up to {THICKNESS_STEP * UM:g} um; the stability boundary is at "
                     f"{boundary * UM:.4f} um (zero margin there)")
    else:
        notes.append(f"on the stability boundary ({boundary * UM:.4f} um, zero margin): rounding up to "
                     f"{THICKNESS_STEP * UM:g} um leaves the thickness bounds; any thinner is unstable")
    if pore_limited:
        notes.append("the thickness is set by the pore volume the growth front needs (l_g = l_i): only "
                     "porosity can make it thinner")
    ln, lg, rg, mg = _evaluate(hi, *args, current_density, capacity, temperature)
    relevant = ("porosity",) if pore_limited else ("cnt_fraction", "porosity", "contact_angle")
    for name, value in (("cnt_fraction", c[k]), ("porosity", p[k]), ("contact_angle", a[k])):
        if name not in relevant:
            continue
        if name in free and len(axes[name]) > 1 and np.isclose(value, bounds[name], rtol=1e-9).any():
            lo, hi_b = bounds[name]
            shown = (f"{math.degrees(lo):.0f}-{math.degrees(hi_b):.0f} deg" if name == "contact_angle"
                     else f"{lo:g}-{hi_b:g}")
            notes.append(f"{name} is at a bound of its search range ({shown}): a wider range may do better")
    return _point(c[k], p[k], a[k], hi, ln, lg, rg, mg, True, notes)


def pareto_front(half_cycle_time, thicknesses, free=("thickness", "cnt_fraction"), bounds=None,
                 temperature=ROOM_TEMPERATURE, currents=None):
    """For each thickness (m): the largest stable current (A/m^2) over the free variables, at a
    fixed plating time per half cycle (s), and the design that reaches it.

    "Largest stable current" is in the CCD sense: every current up to it is stable. Currents are
    scanned on a log grid (default 0.01 to 100 mA/cm^2, 400 points); returns a list of
    ``(thickness, current, DesignPoint or None)``.
    """
    bounds = validate(free, bounds)
    axes = _axes(free, bounds)
    grid_i = np.geomspace(0.1, 1000.0, 400) if currents is None else np.asarray(currents, dtype=float)
    c, p, a, i = np.meshgrid(axes["cnt_fraction"], axes["porosity"], axes["contact_angle"], grid_i, indexing="ij")
    front = []
    for t in np.atleast_1d(thicknesses):
        l_n, l_g, regime, margin = _evaluate(t, c, p, a, i, i * half_cycle_time, temperature)
        stable_up_to = np.cumprod(regime == criterion.STABLE, axis=-1).astype(bool)
        count = stable_up_to.sum(axis=-1)
        k = np.unravel_index(np.argmax(count), count.shape)
        n = int(count[k])
        if n == 0:
            front.append((float(t), 0.0, None))
            continue
        j = n - 1
        idx = k + (j,)
        point = _point(c[idx], p[idx], a[idx], t, l_n[idx], l_g[idx], regime[idx], margin[idx], True, [])
        front.append((float(t), float(grid_i[j]), point))
    return front


def _point(c, p, a, t, ln, lg, rg, mg, feasible, notes):
    from interlayer.design.failure import MODES

    return DesignPoint(float(t), float(c), float(p), float(a), float(ln), float(lg), MODES[int(rg)],
                       float(mg), feasible, notes)
