"""``interlayer optimize``: the thinnest stable LNI-CNT interlayer for a target, and the Pareto front."""

from __future__ import annotations

import math

import typer

from interlayer.cli._common import emit_json, err_console, interval, quantity, require
from interlayer.units import HOUR, MA_CM2, MAH_CM2, PERCENT, UM

UNITS = {"thickness": ("m", "um"), "cnt_fraction": ("dimensionless", None), "porosity": ("dimensionless", None),
         "contact_angle": ("rad", "deg")}


def _parse_bounds(text: str | None) -> dict:
    from interlayer.errors import InputError

    bounds: dict[str, tuple[float, float]] = {}
    if not text:
        return bounds
    for item in text.split(","):
        name, _, rng = item.partition("=")
        name = name.strip().replace("-", "_")
        if name not in UNITS:
            raise InputError("bounds", f"unknown variable {name!r}; allowed: {', '.join(UNITS)}")
        unit, default = UNITS[name]
        lo, hi = interval(rng, unit, f"bounds.{name}", default_unit=default)
        bounds[name] = (lo, hi)
    return bounds


def _design_dict(point) -> dict:
    # 9 decimals: no 31.099999999999998 for a thickness rounded to 0.1 um
    return {"thickness_um": round(point.thickness * UM, 9), "cnt_fraction": point.cnt_fraction,
            "porosity": point.porosity, "contact_angle_deg": round(math.degrees(point.contact_angle), 9),
            "l_n_um": point.l_n * UM,
            "l_g_um": point.l_g * UM, "regime": point.regime, "margin_um": point.margin * UM}


def optimize_command(
    target_current: str = typer.Option("4 mA/cm2", "--target-current", help="Plating current to survive."),
    target_capacity: str = typer.Option("4 mAh/cm2", "--target-capacity", help="Plated capacity per half cycle."),
    free: str = typer.Option("thickness,cnt_fraction", help="Free variables: thickness,cnt_fraction,porosity,contact_angle."),
    bounds: str = typer.Option(None, help="e.g. 'thickness=5um:200um,cnt_fraction=0.01:0.5,contact_angle=90deg:160deg'."),
    pareto: bool = typer.Option(False, "--pareto", help="Also print the front of thickness against largest stable current."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output on stdout."),
) -> None:
    """Find the thinnest LNI-CNT interlayer that is stable at the target current and capacity."""
    import numpy as np

    from interlayer.design.inverse import pareto_front, thinnest_stable

    i = quantity(target_current, "A/m^2", "target-current", default_unit="mA/cm^2")
    q = quantity(target_capacity, "C/m^2", "target-capacity", default_unit="mAh/cm^2")
    from interlayer.limits import check_bound  # the current bound every command checks (100 mA/cm2)

    check_bound("current_density", i, "target-current")
    require(q > 0, "target-capacity", f"must be > 0, got {target_capacity!r}")
    require(q <= 1000 / MAH_CM2, "target-capacity", f"must be <= 1000 mAh/cm2, got {target_capacity!r}")
    free_vars = tuple(sorted({v.strip().replace("-", "_") for v in free.split(",") if v.strip()} | {"thickness"}))
    parsed_bounds = _parse_bounds(bounds)
    with err_console.status("searching designs..."):
        best = thinnest_stable(i, q, free_vars, parsed_bounds)
    result: dict = {"target": {"current_density_mA_cm2": i * MA_CM2, "capacity_mAh_cm2": q * MAH_CM2},
              "free": list(free_vars), "feasible": best.feasible, "design": _design_dict(best), "notes": best.notes,
              "method": "global grid over the free variables + bisection in thickness (vectorised failure physics, "
                        "25 degC, 1 MPa, LNI pellet)"}
    if pareto:
        from interlayer.design.inverse import validate

        lo, hi = validate(free_vars, parsed_bounds)["thickness"]
        thick = np.geomspace(max(lo, 5e-6), min(hi, 300e-6), 25)
        with err_console.status("computing the Pareto front..."):
            front = pareto_front(q / i, thick, free_vars, parsed_bounds)
        result["pareto"] = [{"thickness_um": t * UM, "max_stable_current_mA_cm2": c * MA_CM2,
                             "design": _design_dict(d) if d else None} for t, c, d in front]
        result["pareto_half_cycle_time_s"] = q / i
    if as_json:
        emit_json(result)
        return
    d = result["design"]
    err_console.print(f"target: {i * MA_CM2:.3g} mA/cm2 and {q * MAH_CM2:.3g} mAh/cm2 per half cycle "
                      f"(free: {', '.join(free_vars)})")
    head = "thinnest stable design" if best.feasible else "[red]no stable design within the bounds[/]; closest design"
    err_console.print(f"{head}: {d['thickness_um']:.2f} um, CNT {d['cnt_fraction'] * PERCENT:.3g} wt%, porosity "
                      f"{d['porosity']:.2f}, contact angle {d['contact_angle_deg']:.0f} deg -> l_n {d['l_n_um']:.2f} um, "
                      f"l_g {d['l_g_um']:.2f} um, {d['regime']}, margin {d['margin_um']:.3g} um")
    for note in best.notes:
        err_console.print(f"note: {note}")
    if pareto:
        err_console.print(f"Pareto front at {q / i * HOUR:.3g} h half cycles (thickness -> largest stable current):")
        for row in result["pareto"]:
            err_console.print(f"  {row['thickness_um']:8.2f} um -> {row['max_stable_current_mA_cm2']:.3g} mA/cm2")


def register(app: typer.Typer) -> None:
    app.command("optimize")(optimize_command)
