"""``interlayer design``: the stability criterion of one interlayer over a current range."""

from __future__ import annotations

import math

import typer

from interlayer.cli._common import FIGURE_SUFFIXES, emit_json, err_console, output_path
from interlayer.inputs import cli_command
from interlayer.inputs.design import DesignInputs
from interlayer.units import HOUR, MA_CM2, MAH_CM2, MPA, MV, OHM_CM2, S_CM, UM, ZERO_CELSIUS


@cli_command(DesignInputs)
def design_command(
    inputs: DesignInputs,
    plot: str = typer.Option(None, "--plot", help="Write l_n and l_g against current to this PNG."),
    report: str = typer.Option(None, "--report", help="Write a self-contained HTML report (FILE.html)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output on stdout."),
) -> None:
    """Nucleation and growth lengths, regimes and the largest stable current of an interlayer."""

    from interlayer.design import evaluate, regime_labels

    output_path(plot, "plot", FIGURE_SUFFIXES)  # fail before any work
    output_path(report, "report", (".html", ".htm"))  # fail before any work
    l_i, temp, criterion = inputs.thickness, inputs.temperature, inputs.criterion
    cap, cycles, pressure = inputs.capacity, inputs.cycles, inputs.stack_pressure
    half_cycle = inputs.kwargs()["half_cycle_time"]
    if criterion == "legacy" and abs(temp - 298.15) > 0.5 and None in (inputs.sigma_ion, inputs.sigma_e,
                                                                      inputs.interface_resistance) and not as_json:
        err_console.print("[yellow]note:[/yellow] the temperature enters the nucleation kinetics only; conductivities "
                          "and R_int not given are the library's 25 degC values (give --sigma-ion, --sigma-e, "
                          "--interface-resistance measured at your temperature)")

    ds = evaluate(**inputs.kwargs())
    labels = regime_labels(ds)
    failure_criterion = criterion == "failure"
    custom = inputs.custom
    title_material = ds.attrs["material"] + (" (custom values)" if custom else "")
    i_max = float(ds.max_stable_current)
    windows = [(float(lo), float(hi)) for lo, hi in ds.stable_windows.values]
    limiting = str(ds.limiting_mode.item()) if "limiting_mode" in ds else ""  # the legacy criterion has none
    points: list[dict] = [
        {"current_density_mA_cm2": round(float(i) * MA_CM2, 10), "l_n_um": float(ln) * UM, "l_g_um": float(lg) * UM,
         "l_i_um": round(l_i * UM, 9), "regime": label}
        for i, ln, lg, label in zip(ds.current_density.values, ds.l_n.values, ds.l_g.values, labels, strict=True)
    ]
    if failure_criterion:
        for k, p in enumerate(points):
            p["failure_mode"] = p["regime"]
            p["spike_mV"] = float(ds.spike.values[k]) * MV
            p["filament_length_um"] = float(ds.filament_length.values[k]) * UM
            p["spot_current_density_mA_cm2"] = float(ds.spot_current_density.values[k]) * MA_CM2
            p["sse_current_density_mA_cm2"] = float(ds.sse_current_density.values[k]) * MA_CM2
            p["sse_nucleated"] = bool(ds.sse_nucleated.values[k])
            cyc = float(ds.cycles_to_dead_li.values[k])
            p["cycles_to_dead_li"] = cyc if math.isfinite(cyc) else None
    if plot:
        from interlayer.cli._common import save_figure
        from interlayer.plotting.design import lengths_vs_current

        save_figure(lengths_vs_current(ds), plot)
    if report:
        from interlayer.report.commands import design_report

        design_report(report, ds)
    if as_json:
        emit_json({
            "inputs": {"material": ds.attrs["material"], "thickness_um": round(l_i * UM, 9), "porosity": ds.attrs["porosity"],
                       "contact_angle_deg": round(math.degrees(ds.attrs["contact_angle_rad"]), 9), "temperature_K": temp,
                       "half_cycle_time_s": None if cap else half_cycle,
                       "capacity_mAh_cm2": cap * MAH_CM2 if cap else None,
                       "sigma_ion_S_cm": ds.attrs["sigma_ion_S_m"] * S_CM, "sigma_e_S_cm": ds.attrs["sigma_e_S_m"] * S_CM,
                       "interface_resistance_ohm_cm2": ds.attrs["interface_resistance_ohm_m2"] * OHM_CM2,
                       "electron_density_m3": ds.attrs["electron_density_m3"],
                       "conductivities_given": inputs.sigma_ion is not None and inputs.sigma_e is not None,
                       "criterion": criterion, "label": title_material,
                       "stack_pressure_MPa": pressure * MPA if failure_criterion else None,
                       "electrolyte": ds.attrs.get("electrolyte"), "cycles": cycles},
            "critical_overpotential_mV": float(ds.critical_overpotential) * MV,
            "points": points,
            "max_stable_current_mA_cm2": i_max * MA_CM2 if math.isfinite(i_max) else None,
            # every stable interval (a second window above a dead-Li band happens at small contact angles);
            # null upper end: stable up to the end of the scan (failure: 100 mA/cm2; legacy: 1000 mA/cm2)
            "stable_windows_mA_cm2": [[lo * MA_CM2, hi * MA_CM2 if math.isfinite(hi) else None] for lo, hi in windows],
            "limiting_mode": limiting or None,
            "modes": _mode_legend(criterion),
        })
        return
    from rich.table import Table

    layers_label = ds.attrs["layers"] + (" (custom values)" if custom else "")
    table = Table(title=f"{layers_label}, {temp - ZERO_CELSIUS:.0f} degC, "
                  + (f"{cap * MAH_CM2:.3g} mAh/cm2" if cap else f"{half_cycle * HOUR:.3g} h") + " per half cycle"
                  + (f", {pressure * MPA:.3g} MPa, {ds.attrs['electrolyte']} separator" if failure_criterion else ""))
    columns = ["i (mA/cm2)", "l_n (um)", "l_g (um)", "l_i (um)"]
    columns += ["spike (mV)", "filament (um)", "SSE face (mA/cm2)", "mode"] if failure_criterion else ["regime"]
    for col in columns:
        table.add_column(col, justify="right")
    style = {"stable": "green", "dead-li": "yellow", "sse-nucleation": "red", "growth-through": "magenta",
             "contact-focusing": "red", "contact-loss": "yellow"}
    for p in points:
        row = [f"{p['current_density_mA_cm2']:.3g}", f"{p['l_n_um']:.2f}", f"{p['l_g_um']:.2f}", f"{p['l_i_um']:.1f}"]
        if failure_criterion:
            row += [f"{p['spike_mV']:.1f}", f"{p['filament_length_um']:.3g}", f"{p['sse_current_density_mA_cm2']:.3g}"]
        row.append(f"[{style[p['regime']]}]{p['regime']}[/]")
        table.add_row(*row)
    err_console.print(table)
    if failure_criterion:
        from interlayer.design.failure import HIGHEST_CURRENT, LOWEST_CURRENT

        if i_max <= LOWEST_CURRENT * (1 + 1e-9):
            err_console.print(f"[red]fails at every current[/red] from {LOWEST_CURRENT * MA_CM2:g} mA/cm2 up: "
                              f"[bold]{limiting}[/bold] ({_mode_legend(criterion)[limiting]})")
        elif math.isfinite(i_max):
            err_console.print(f"critical current {i_max * MA_CM2:.3g} mA/cm2 in a step test: "
                              f"[bold]{limiting}[/bold] ({_mode_legend(criterion)[limiting]})")
        else:
            err_console.print(f"no failure mode reached up to {HIGHEST_CURRENT * MA_CM2:g} mA/cm2")
        if "contact-loss" in set(labels) | {limiting}:
            err_console.print("[yellow]note:[/yellow] contact loss rests on Li creep (rate ~ pressure^6.6) and on no "
                              "calibration datum: check it against --stack-pressure")
        used = sorted(set(labels) | ({limiting} - {"stable"}))
        legend = _mode_legend(criterion)
        err_console.print("modes: " + "; ".join(f"{k}: {legend[k]}" for k in used))
        return
    if not math.isfinite(i_max):
        err_console.print("stable over the whole scanned range (up to 1000 mA/cm2)")
    elif i_max > 0:
        err_console.print(f"stable from 0 up to {i_max * MA_CM2:.3g} mA/cm2 (every current below is stable)")
    else:
        err_console.print("[yellow]not stable at the lowest currents[/yellow] (largest stable current from zero: none)")
    if len(windows) > 1 or (windows and windows[0][0] > 0):
        text = ", ".join(f"{lo * MA_CM2:.3g}-{hi * MA_CM2:.3g}" if math.isfinite(hi) else f"above {lo * MA_CM2:.3g}"
                         for lo, hi in windows)
        err_console.print(f"stable windows: {text} mA/cm2 (unstable in between)")


def _mode_legend(criterion: str) -> dict[str, str]:
    """What each regime or failure-mode label means, for tables, JSON and plots."""
    if criterion == "failure":
        from interlayer.design.failure import MODE_DESCRIPTIONS

        return dict(MODE_DESCRIPTIONS)
    return {"stable": "l_n <= l_g < l_i: nuclei absorbed by the growth front",
            "dead-li": "l_g < l_n: nuclei beyond the growth front stay behind as dead Li",
            "sse-nucleation": "l_n = l_i: Li nucleates on the electrolyte face",
            "growth-through": "l_g >= l_i: Li grows through the layer"}


def register(app: typer.Typer) -> None:
    app.command("design")(design_command)
