"""``interlayer design``: the stability criterion of one interlayer over a current range."""

from __future__ import annotations

import math

import typer

from interlayer.cli._common import (
    FIGURE_SUFFIXES,
    TEMPERATURE_EXAMPLE,
    TIME_EXAMPLE,
    emit_json,
    err_console,
    output_path,
    quantity,
    require,
)


def design_command(
    material: str = typer.Option("lni-5cnt", help="Interlayer material (see `interlayer materials`)."),
    thickness: str = typer.Option("90 um", help="Interlayer thickness, e.g. '90 um'."),
    porosity: float = typer.Option(None, help="Porosity in (0, 1) (default: the material's)."),
    contact_angle: str = typer.Option(None, "--contact-angle", help="Li contact angle, e.g. '120 deg' (default: the material's)."),
    temperature: str = typer.Option("25 degC", help="Temperature with a unit, e.g. '25 degC' or '298 K' (failure criterion: Arrhenius conductivities, contacts, creep and kinetics)."),
    sigma_ion: str = typer.Option(None, "--sigma-ion", help="Ionic conductivity of the dense layer material, e.g. '2.9e-4 S/cm' (default: the material's, at 25 degC)."),
    sigma_e: str = typer.Option(None, "--sigma-e", help="Electronic conductivity of the dense layer material, e.g. '2.8e-5 S/cm' (default: the material's, at 25 degC)."),
    interface_resistance: str = typer.Option(None, "--interface-resistance", help="Li|layer area-specific resistance, e.g. '145 ohm*cm^2' (failure criterion: the planar contact after activation; default: the material's)."),
    electron_density: str = typer.Option(None, "--electron-density", help="Free-electron density of the layer's solid, e.g. '6.5e24 1/m^3' (default: the material's; enters eta_c)."),
    current: str = typer.Option("0.1:4.0:0.1", help="One current or START:STOP:STEP, mA/cm2 unless a unit follows (e.g. '4 mA/cm2', '0.1:4:0.1')."),
    time: str = typer.Option(None, "--time", help="Plating time per half cycle with a unit, e.g. '1 h' (default 1 h)."),
    capacity: str = typer.Option(None, "--capacity", help="Plated capacity per half cycle, e.g. '4 mAh/cm2' (instead of --time)."),
    stack_pressure: str = typer.Option("1 MPa", "--stack-pressure", help="Stack pressure, e.g. '1 MPa' (failure criterion)."),
    electrolyte: str = typer.Option("lni", "--electrolyte", help="Separator material, e.g. 'lni' (the paper's pellet), 'lpsc', 'llzo' (failure criterion)."),
    cycles: int = typer.Option(None, "--cycles", help="Cycles the cell must survive (failure criterion: then dead Li counts as a failure)."),
    extrapolate: bool = typer.Option(False, "--extrapolate", help="Allow temperatures outside the materials' data range."),
    criterion: str = typer.Option("failure", "--criterion", help="'failure' (default: named failure modes, docs/theory.md) or 'legacy' (the first release's l_n/l_g criterion)."),
    plot: str = typer.Option(None, "--plot", help="Write l_n and l_g against current to this PNG."),
    report: str = typer.Option(None, "--report", help="Write a self-contained HTML report (FILE.html)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output on stdout."),
) -> None:
    """Nucleation and growth lengths, regimes and the largest stable current of an interlayer."""
    import numpy as np

    from interlayer.design import evaluate, regime_labels
    from interlayer.units import parse_range

    output_path(plot, "plot", FIGURE_SUFFIXES)  # fail before any work
    output_path(report, "report", (".html", ".htm"))  # fail before any work
    l_i = quantity(thickness, "m", "thickness", default_unit="um")
    require(l_i > 0, "thickness", f"must be > 0 um, got {thickness!r}")
    require(l_i <= 1e-2, "thickness", f"must be <= 10 mm, got {thickness!r}")
    if porosity is not None:
        require(0 < porosity < 1, "porosity", f"must be in (0, 1), got {porosity:g}")
    theta = quantity(contact_angle, "rad", "contact-angle", default_unit="deg")
    if theta is not None:
        require(0 <= theta <= math.pi + 1e-12, "contact-angle", f"must be in [0, 180] deg, got {contact_angle!r}")
    temp = quantity(temperature, "K", "temperature", require_unit=TEMPERATURE_EXAMPLE)
    require(temp > 0, "temperature", f"must be above absolute zero, got {temperature!r}")
    if ":" in current:
        start, stop, step = parse_range(current, "A/m^2", "current", default_unit="mA/cm^2")
        require(start > 0, "current", f"START must be > 0, got {current!r}")
        n = int(math.floor((stop - start) / step + 1e-9)) + 1
        require(n <= 100000, "current", f"range gives {n} points; at most 100000")
        currents = start + step * np.arange(n)
    else:  # one current, e.g. '4 mA/cm2'
        one = quantity(current, "A/m^2", "current", default_unit="mA/cm^2")
        require(one > 0, "current", f"must be > 0, got {current!r}")
        currents = np.array([one])
    require(not (time and capacity), "time", "give --time or --capacity, not both")
    half_cycle = quantity(time, "s", "time", require_unit=TIME_EXAMPLE) if time else 3600.0
    require(half_cycle > 0, "time", f"must be > 0, got {time!r}")
    cap = quantity(capacity, "C/m^2", "capacity", default_unit="mAh/cm^2") if capacity else None
    if cap is not None:
        require(cap > 0, "capacity", f"must be > 0, got {capacity!r}")

    s_ion = quantity(sigma_ion, "S/m", "sigma-ion", default_unit="S/cm")
    s_e = quantity(sigma_e, "S/m", "sigma-e", default_unit="S/cm")
    r_int = quantity(interface_resistance, "ohm*m^2", "interface-resistance", default_unit="ohm*cm^2")
    n_e = quantity(electron_density, "1/m^3", "electron-density", default_unit="1/m^3")
    for name, value in (("sigma-ion", s_ion), ("sigma-e", s_e), ("electron-density", n_e)):
        require(value is None or value > 0, name, "must be > 0")
    # no solid Li+ conductor reaches 1 S/cm (the best sulfides ~0.03); electronic: below metallic Li's 1e5 S/cm
    require(s_ion is None or s_ion <= 100.0, "sigma-ion", f"must be in (0, 1] S/cm, got {sigma_ion!r}")
    require(s_e is None or s_e <= 1.1e7, "sigma-e", f"must be in (0, 1.1e5] S/cm, got {sigma_e!r}")
    require(r_int is None or r_int >= 0, "interface-resistance", "must be >= 0 ohm cm2")
    if criterion == "failure" and r_int is not None:
        from interlayer import materials

        r_w = materials.get("lni")["wall_contact_resistance"]
        require(r_int >= r_w, "interface-resistance",
                f"must be >= {r_w * 1e4:.3g} ohm cm2 (a fully wetted Li | LNI contact; the contact fraction r_w / R_p cannot exceed 1)")
    require(float(np.max(currents)) <= 1e4, "current", "must be <= 1000 mA/cm2")
    require(criterion in ("failure", "legacy"), "criterion", f"must be 'failure' or 'legacy', got {criterion!r}")
    pressure = quantity(stack_pressure, "Pa", "stack-pressure", default_unit="MPa")
    require(0 <= pressure <= 500e6, "stack-pressure", f"must be in [0, 500] MPa, got {stack_pressure!r}")
    require(cycles is None or 1 <= cycles <= 10**6, "cycles", f"must be in [1, 1000000], got {cycles}")
    if criterion == "legacy" and abs(temp - 298.15) > 0.5 and (s_ion is None or s_e is None or r_int is None) and not as_json:
        err_console.print("[yellow]note:[/yellow] the temperature enters the nucleation kinetics only; conductivities "
                          "and R_int not given are the library's 25 degC values (give --sigma-ion, --sigma-e, "
                          "--interface-resistance measured at your temperature)")

    ds = evaluate(material, thickness=l_i, porosity=porosity, contact_angle=theta, temperature=temp,
                  current_density=currents, half_cycle_time=half_cycle, capacity=cap, sigma_ion=s_ion, sigma_e=s_e,
                  interface_resistance=r_int, electron_density=n_e, criterion=criterion, stack_pressure=pressure,
                  electrolyte=electrolyte, cycles=cycles, extrapolate=extrapolate)
    labels = regime_labels(ds)
    failure_criterion = criterion == "failure"
    custom = any(v is not None for v in (s_ion, s_e, r_int, n_e, porosity, theta))
    title_material = ds.attrs["material"] + (" (custom values)" if custom else "")
    i_max = ds.attrs["max_stable_current_A_m2"]
    flat = np.asarray(ds.attrs["stable_windows_A_m2"], dtype=float)
    windows = list(zip(flat[0::2], flat[1::2], strict=True))
    points = [
        {"current_density_mA_cm2": round(float(i) * 0.1, 10), "l_n_um": float(ln) * 1e6, "l_g_um": float(lg) * 1e6,
         "l_i_um": round(l_i * 1e6, 9), "regime": label}
        for i, ln, lg, label in zip(ds.current_density.values, ds.l_n.values, ds.l_g.values, labels, strict=True)
    ]
    if failure_criterion:
        for k, p in enumerate(points):
            p["failure_mode"] = p["regime"]
            p["spike_mV"] = float(ds.spike.values[k]) * 1e3
            p["filament_length_um"] = float(ds.filament_length.values[k]) * 1e6
            p["spot_current_density_mA_cm2"] = float(ds.spot_current_density.values[k]) * 0.1
            p["sse_current_density_mA_cm2"] = float(ds.sse_current_density.values[k]) * 0.1
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
            "inputs": {"material": ds.attrs["material"], "thickness_um": round(l_i * 1e6, 9), "porosity": ds.attrs["porosity"],
                       "contact_angle_deg": round(math.degrees(ds.attrs["contact_angle_rad"]), 9), "temperature_K": temp,
                       "half_cycle_time_s": None if cap else half_cycle,
                       "capacity_mAh_cm2": cap / 36000.0 if cap else None,
                       "sigma_ion_S_cm": ds.attrs["sigma_ion_S_m"] / 100.0, "sigma_e_S_cm": ds.attrs["sigma_e_S_m"] / 100.0,
                       "interface_resistance_ohm_cm2": ds.attrs["interface_resistance_ohm_m2"] * 1e4,
                       "electron_density_m3": ds.attrs["electron_density_m3"],
                       "conductivities_given": s_ion is not None and s_e is not None,
                       "criterion": criterion, "label": title_material,
                       "stack_pressure_MPa": pressure / 1e6 if failure_criterion else None,
                       "electrolyte": ds.attrs.get("electrolyte"), "cycles": cycles},
            "critical_overpotential_mV": ds.attrs["critical_overpotential_V"] * 1e3,
            "points": points,
            "max_stable_current_mA_cm2": i_max * 0.1 if math.isfinite(i_max) else None,
            # every stable interval (a second window above a dead-Li band happens at small contact angles);
            # null upper end: stable up to the end of the scan (1000 mA/cm2)
            "stable_windows_mA_cm2": [[lo * 0.1, hi * 0.1 if math.isfinite(hi) else None] for lo, hi in windows],
            "limiting_mode": ds.attrs.get("limiting_mode"),
            "modes": _mode_legend(criterion),
        })
        return
    from rich.table import Table

    layers_label = ds.attrs["layers"] + (" (custom values)" if custom else "")
    table = Table(title=f"{layers_label}, {temp - 273.15:.0f} degC, "
                  + (f"{cap / 36000:.3g} mAh/cm2" if cap else f"{half_cycle / 3600:.3g} h") + " per half cycle"
                  + (f", {pressure / 1e6:.3g} MPa, {ds.attrs['electrolyte']} separator" if failure_criterion else ""))
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
        from interlayer.design.failure import LOWEST_CURRENT

        if i_max <= LOWEST_CURRENT * (1 + 1e-9):
            err_console.print(f"[red]fails at every current[/red] from {LOWEST_CURRENT * 0.1:g} mA/cm2 up: "
                              f"[bold]{ds.attrs['limiting_mode']}[/bold] ({_mode_legend(criterion)[ds.attrs['limiting_mode']]})")
        elif math.isfinite(i_max):
            err_console.print(f"critical current {i_max * 0.1:.3g} mA/cm2 in a step test: "
                              f"[bold]{ds.attrs['limiting_mode']}[/bold] ({_mode_legend(criterion)[ds.attrs['limiting_mode']]})")
        else:
            err_console.print("no failure mode reached up to 100 mA/cm2")
        if "contact-loss" in set(labels) | {ds.attrs["limiting_mode"]}:
            err_console.print("[yellow]note:[/yellow] contact loss rests on Li creep (rate ~ pressure^6.6) and on no "
                              "calibration datum: check it against --stack-pressure")
        used = sorted(set(labels) | ({ds.attrs["limiting_mode"]} - {"stable"}))
        legend = _mode_legend(criterion)
        err_console.print("modes: " + "; ".join(f"{k}: {legend[k]}" for k in used))
        return
    if not math.isfinite(i_max):
        err_console.print("stable over the whole scanned range (up to 1000 mA/cm2)")
    elif i_max > 0:
        err_console.print(f"stable from 0 up to {i_max * 0.1:.3g} mA/cm2 (every current below is stable)")
    else:
        err_console.print("[yellow]not stable at the lowest currents[/yellow] (largest stable current from zero: none)")
    if len(windows) > 1 or (windows and windows[0][0] > 0):
        text = ", ".join(f"{lo * 0.1:.3g}-{hi * 0.1:.3g}" if math.isfinite(hi) else f"above {lo * 0.1:.3g}"
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
