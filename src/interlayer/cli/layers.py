"""``interlayer layers``: homogeneous vs dual vs gradient interlayers at equal thickness."""

from __future__ import annotations

import math

import typer

from interlayer.cli._common import TIME_EXAMPLE, emit_json, err_console, output_path, quantity, require
from interlayer.units import MA_CM2, UM


def layers_command(
    thickness: str = typer.Option("54.5 um", help="Total thickness of every architecture."),
    anode_cnt: float = typer.Option(0.07, "--anode-cnt", help="CNT mass fraction on the Li side."),
    sse_cnt: float = typer.Option(0.02, "--sse-cnt", help="CNT mass fraction on the SSE side."),
    time: str = typer.Option(None, "--time", help="Plating time per half cycle with a unit, e.g. '1 h' (default 1 h)."),
    capacity: str = typer.Option(None, "--capacity", help="Plated capacity per half cycle (instead of --time)."),
    report: str = typer.Option(None, "--report", help="Write a self-contained HTML report (FILE.html)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output on stdout."),
) -> None:
    """Critical current and failure mode of homogeneous, dual-layer and gradient LNI-CNT interlayers (and LNI-Mg)."""
    from interlayer.design.failure import HIGHEST_CURRENT, LOWEST_CURRENT
    from interlayer.design.layered import compare_architectures, composition_rule, describe_rule

    output_path(report, "report", (".html", ".htm"))  # fail before any work
    from interlayer.limits import check_bound  # the bounds every command checks

    l_i = check_bound("thickness", quantity(thickness, "m", "thickness", default_unit="um"), "thickness")
    for name, f in (("anode-cnt", anode_cnt), ("sse-cnt", sse_cnt)):
        require(0 < f < 1, name, f"must be in (0, 1), got {f:g}")
    require(not (time and capacity), "time", "give --time or --capacity, not both")
    half = check_bound("time", quantity(time, "s", "time", require_unit=TIME_EXAMPLE), "time") if time else 3600.0
    cap = quantity(capacity, "C/m^2", "capacity", default_unit="mAh/cm^2") if capacity else None
    require(cap is None or cap > 0, "capacity", "must be > 0")
    result = compare_architectures(l_i, anode_cnt, sse_cnt, half_cycle_time=half, capacity=cap, with_modes=True)
    rule = composition_rule()
    currents = {k: (v * MA_CM2 if math.isfinite(v) else None) for k, (v, _) in result.items()}
    modes = {k: mode for k, (_, mode) in result.items()}
    if report:
        from interlayer.report.commands import layers_report

        layers_report(report, {k: v for k, (v, _) in result.items()}, l_i, anode_cnt, sse_cnt, describe_rule())
    if as_json:
        emit_json({"thickness_um": round(l_i * UM, 9), "anode_cnt": anode_cnt, "sse_cnt": sse_cnt,
                   "max_stable_current_mA_cm2": currents,
                   "critical_current_mA_cm2": currents,
                   "limiting_mode": modes,
                   "composition_rule": {"sigma_e_S_m": f"{rule.sigma_0:.4g} * f^{rule.exponent_e:.4f}",
                                        "sigma_ion_S_m": f"{rule.sigma_lni:.4g} * (1 - f)^{rule.exponent_ion:.4f}",
                                        "residuals_e_decades": rule.residuals_e_decades,
                                        "residuals_ion_decades": rule.residuals_ion_decades}})
        return
    err_console.print(f"composition rule: {describe_rule()}")
    err_console.print("critical current of a step test (failure physics) and the mode that ends it:")
    for name, value in currents.items():
        if value is None:
            text = f"> {HIGHEST_CURRENT * MA_CM2:g} mA/cm2"
        elif value <= LOWEST_CURRENT * MA_CM2:
            text = "fails at every current"
        else:
            text = f"{value:.3g} mA/cm2"
        err_console.print(f"  {name:>20}: {text}  {modes[name]}")


def register(app: typer.Typer) -> None:
    app.command("layers")(layers_command)
