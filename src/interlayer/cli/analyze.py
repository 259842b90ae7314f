"""``interlayer analyze`` (cycling files) and ``interlayer eis`` (impedance spectra)."""

from __future__ import annotations

import typer

from interlayer.cli._common import FIGURE_SUFFIXES, emit_json, err_console, output_path, require
from interlayer.errors import InputError

#: File types --report writes (a self-contained HTML page).
REPORT_SUFFIXES = (".html", ".htm")
_CELLS = ("auto", "symmetric", "full")


def analyze_command(
    file: str = typer.Argument(..., help="Cycler file (.mpr, .mpt, .nda/.ndax, Arbin/Land .xlsx, CSV...)."),
    area: str = typer.Option(None, "--area", help="Electrode area, e.g. 0.503cm2 (bare number: cm2). Default: from the file."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output on stdout."),
    plot: str = typer.Option(None, "--plot", help="Write voltage/overpotential figure (PNG, PDF, SVG)."),
    report: str = typer.Option(None, "--report", help="Write a self-contained HTML report."),
    spike_window: float = typer.Option(0.1, "--spike-window", help="Spike window as a fraction of each half-cycle."),
    eis: list[str] = typer.Option(
        None, "--eis", help="FILE@TIME: a spectrum of the same test and when it was taken (e.g. spec.z@120h; bare number: s). Repeatable; confirms shorts."
    ),
    cell: str = typer.Option("auto", "--cell", help="auto | symmetric | full: short detection is for symmetric cells."),
    coefficient: str = typer.Option(
        None, "--coefficient", help="C in l_n = C V_sp / i (a conductivity, e.g. 2.8e-5S/cm): adds nucleation lengths."
    ),
    design_material: str = typer.Option(
        None, "--design-material", help="Read the data against a design: C from this interlayer's model (e.g. lni-5cnt) "
        "and its predicted spike and l_n per cycle."
    ),
    design_thickness: str = typer.Option("90 um", "--design-thickness", help="Interlayer thickness for --design-material."),
) -> None:
    """Half-cycles, overpotential, nucleation spikes, short circuits and CCD of a cycling record."""
    from interlayer.analysis import analyze
    from interlayer.io import read
    from interlayer.units import parse

    # options first (fail fast, naming the option typed), then the possibly large file
    plot = output_path(plot, "--plot", FIGURE_SUFFIXES)
    report = output_path(report, "--report", REPORT_SUFFIXES)
    require(0 < spike_window < 0.5, "--spike-window", f"must be a fraction in (0, 0.5), got {spike_window}")
    require(cell in _CELLS, "--cell", f"must be one of {', '.join(_CELLS)}, got {cell!r}")
    area_arg = parse(area, "m^2", "--area", default_unit="cm^2") if area is not None else None
    require(area_arg is None or area_arg > 0, "--area", "must be > 0")
    require(coefficient is None or design_material is None, "--coefficient", "give --coefficient or --design-material, not both")
    record = read(file)
    require(record.kind == "cycling", "FILE", f"{file} holds an impedance spectrum; use 'interlayer eis'")
    area_m2 = area_arg if area_arg is not None else record.area
    require(area_m2 is not None and area_m2 > 0, "--area", "the file states no electrode area; give --area (e.g. 0.503cm2)")
    spectra = []
    for item in eis or []:
        path, sep, when = item.rpartition("@")
        require(bool(sep) and bool(path), "--eis", f"expected FILE@TIME (e.g. spec.z@120h), got {item!r}")
        spec = read(path)
        require(spec.kind == "impedance", "--eis", f"{path} is not an impedance spectrum")
        spectra.append((parse(when, "s", "--eis time", default_unit="s"), spec))
    result = analyze(record, area=area_m2, spike_fraction=spike_window, spectra=spectra, cell=cell)
    payload = result.to_dict()
    # the library's hint names its keyword; here the user needs the option
    settings = payload["settings"]
    settings["short_detection"] = settings["short_detection"].replace("cell='symmetric'", "--cell symmetric")
    design = None
    if design_material is not None:
        from interlayer.design import Design, build_interlayer

        thickness = parse(design_thickness, "m", "--design-thickness", default_unit="um")
        require(thickness > 0, "--design-thickness", "must be > 0")
        design = Design(build_interlayer(design_material, thickness))
        payload["design"] = {"material": design_material, "thickness_um": round(thickness * 1e6, 9),
                             "spike_coefficient_S_m": design.spike_coefficient(),
                             "critical_overpotential_V": design.anode_critical_overpotential()}
        for row in payload["cycles"]:
            j = row["current_density_mA_cm2"] * 10.0  # A/m^2
            row["predicted_spike_V"] = float(design.spike(j)) if j > 0 else None
            row["predicted_l_n_um"] = float(design.lengths([j], [1.0])[0][0]) * 1e6 if j > 0 else None
    if coefficient is not None or design is not None:
        from interlayer.analysis.spikes import nucleation_length

        if design is not None:
            c = design.spike_coefficient()
        else:
            c = parse(coefficient, "S/m", "--coefficient", default_unit="S/m")
        require(c > 0, "--coefficient", "must be > 0")
        for row in payload["cycles"]:
            j = row["current_density_mA_cm2"] * 10.0  # A/m^2
            row["nucleation_length_um"] = (
                nucleation_length(row["spike_V"], j, c) * 1e6 if row["spike_detected"] and j > 0 else None
            )
    if plot:
        from interlayer.plotting.analysis import analysis_figure

        analysis_figure(record, result).savefig(plot, dpi=150)
    if report:
        _write_report(report, record, result, payload)
    if as_json:
        emit_json(payload)
        return
    _print_summary(payload)


def _print_summary(payload: dict) -> None:
    from rich.table import Table

    table = Table(title=f"{payload['source']}  (area {payload['area_cm2']:.4g} cm2)", title_justify="left")
    for col in ("cycle", "j (mA/cm2)", "overpotential (V)", "V_sp (V)", "spike"):
        table.add_column(col, justify="right")
    cycles = payload["cycles"]
    # long tests: the first and last 20 cycles (the JSON and the report have them all)
    shown = cycles if len(cycles) <= 40 else cycles[:20] + [None] + cycles[-20:]
    for c in shown:
        if c is None:
            table.add_row("...", f"({len(cycles) - 40} more)", "", "", "")
            continue
        table.add_row(
            str(c["cycle"]),
            f"{c['current_density_mA_cm2']:.4g}",
            f"{c['overpotential_V']:.4g}",
            f"{c['spike_V']:.3g}",
            "yes" if c["spike_detected"] else "-",
        )
    err_console.print(table)
    if payload["shorts"]:
        for s in payload["shorts"]:
            err_console.print(
                f"[red]{s['kind']} short[/red] at t = {s['time_s']:.1f} s (cycle {s['cycle']}, "
                f"{s['current_density_mA_cm2']:.4g} mA/cm2): polarisation {s['polarisation_before_V']:.4g} V "
                f"-> {s['polarisation_after_V']:.4g} V"
            )
    elif payload["settings"]["short_detection"] != "on":
        err_console.print(f"short detection {payload['settings']['short_detection']}")
    else:
        err_console.print("no short circuit detected")
    proto = payload["ccd_protocol"]
    if payload["ccd_mA_cm2"] is not None:
        stable = proto["last_stable_mA_cm2"]
        before = (f"last stable level {stable:.4g} mA/cm2" if stable is not None
                  else "no lower current level completed before it")
        err_console.print(f"CCD = {payload['ccd_mA_cm2']:.4g} mA/cm2 ({before})")
    elif proto["lower_bound_mA_cm2"] is not None:
        err_console.print(f"no CCD: stable up to {proto['lower_bound_mA_cm2']:.4g} mA/cm2 (CCD above that)")
    line = _capacity_line(payload["capacity_summary"])
    if line:
        err_console.print(line)


def _capacity_line(summary: dict) -> str:
    """One line: CE and retention over the complete cycles, and which cycle was left out."""
    parts = []
    if summary["complete_cycles"]:
        parts.append(
            f"capacity: {summary['complete_cycles']} complete cycle(s), CE first {summary['first_coulombic_efficiency']:.4f}, "
            f"mean {summary['mean_coulombic_efficiency']:.4f}, retention {summary['retention']:.3f} "
            f"at cycle {summary['last_complete_cycle']}"
        )
    if summary["incomplete_cycles"]:
        cut = ", ".join(str(c) for c in summary["incomplete_cycles"])
        parts.append(f"cycle {cut} incomplete (record ends inside it; left out)")
    return "; ".join(parts)


def _write_report(path: str, record, result, payload: dict) -> None:
    """A single HTML file: summary, figure (embedded PNG), per-cycle table, events, protocol."""
    import base64
    import html
    import io

    from interlayer.plotting.analysis import analysis_figure

    buf = io.BytesIO()
    analysis_figure(record, result).savefig(buf, format="png", dpi=120)
    img = base64.b64encode(buf.getvalue()).decode("ascii")
    rows = "".join(
        f"<tr><td>{c['cycle']}</td><td>{c['current_density_mA_cm2']:.4g}</td><td>{c['overpotential_V']:.4g}</td>"
        f"<td>{c['spike_V']:.3g}</td><td>{'yes' if c['spike_detected'] else ''}</td></tr>"
        for c in payload["cycles"]
    )
    shorts = "".join(
        f"<li>{s['kind']} short at {s['time_s']:.1f} s, cycle {s['cycle']}, {s['current_density_mA_cm2']:.4g} mA/cm2</li>"
        for s in payload["shorts"]
    ) or "<li>none detected</li>"
    levels = "".join(
        f"<tr><td>{lv['current_density_mA_cm2']:.4g}</td><td>{lv['half_cycles']}</td>"
        f"<td>{lv['half_cycle_time_s']:.0f}</td><td>{lv['capacity_mAh_cm2']:.4g}</td></tr>"
        for lv in payload["ccd_protocol"]["levels"]
    )
    ccd = "none (no short)" if payload["ccd_mA_cm2"] is None else f"{payload['ccd_mA_cm2']:.4g} mA/cm2"
    capacity = "".join(
        f"<tr><td>{c['cycle']}</td><td>{c['capacity_first_mAh']:.4g}</td><td>{c['capacity_second_mAh']:.4g}</td>"
        f"<td>{_fmt(c['coulombic_efficiency'], '.4f')}</td><td>{_fmt(c['retention'], '.3f')}</td>"
        f"<td>{'yes' if c['complete'] else 'no (record ends inside it)'}</td></tr>"
        for c in payload["capacity"]
    )
    doc = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>interlayer analysis</title>
<style>body{{font-family:sans-serif;max-width:900px;margin:auto}}td,th{{padding:2px 8px;text-align:right}}</style>
</head><body><h1>{html.escape(str(payload['source']))}</h1>
<p>Electrode area {payload['area_cm2']:.4g} cm2. Sign convention: current &gt; 0 anodic at the working electrode.</p>
<img src="data:image/png;base64,{img}" style="width:100%">
<h2>Short circuits</h2><ul>{shorts}</ul>
<h2>Critical current density</h2><p>CCD: {ccd}</p>
<table><tr><th>j (mA/cm2)</th><th>half-cycles</th><th>half-cycle time (s)</th><th>capacity (mAh/cm2)</th></tr>{levels}</table>
<h2>Capacity</h2><p>{html.escape(_capacity_line(payload['capacity_summary']))}</p>
<table><tr><th>cycle</th><th>Q first (mAh)</th><th>Q second (mAh)</th><th>CE</th><th>retention</th><th>complete</th></tr>{capacity}</table>
<h2>Cycles</h2><table><tr><th>cycle</th><th>j (mA/cm2)</th><th>overpotential (V)</th><th>V_sp (V)</th><th>spike</th></tr>{rows}</table>
</body></html>"""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(doc)


def _fmt(value, spec: str) -> str:
    """A number in ``spec`` format, or an em dash for a missing (null) value."""
    return "&mdash;" if value is None else format(value, spec)


def eis_command(
    file: str = typer.Argument(..., help="Impedance file (.z, .DTA, .mpt, CSV of f, Re Z, Im Z)."),
    circuit: str = typer.Option("R0-p(R1,CPE1)", "--circuit", help="Equivalent circuit (impedance.py syntax)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output on stdout."),
    plot: str = typer.Option(None, "--plot", help="Write a Nyquist plot with the fit."),
    thickness: str = typer.Option(None, "--thickness", help="Layer thickness for sigma = L/(R A), e.g. 400um."),
    area: str = typer.Option(None, "--area", help="Area for sigma = L/(R A), e.g. 1.267cm2 (bare number: cm2)."),
) -> None:
    """Fit an equivalent circuit to an impedance spectrum; conductivities when L and A are given."""
    import warnings

    from interlayer.analysis.eis import conductivity, fit_circuit
    from interlayer.io import PartialDataWarning, read
    from interlayer.units import parse

    plot = output_path(plot, "--plot", FIGURE_SUFFIXES)
    length = parse(thickness, "m", "--thickness", default_unit="um") if thickness else None
    require(length is None or length > 0, "--thickness", "must be > 0")
    area_arg = parse(area, "m^2", "--area", default_unit="cm^2") if area else None
    require(area_arg is None or area_arg > 0, "--area", "must be > 0")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PartialDataWarning)
        record = read(file)
    for w in caught:
        err_console.print(f"[yellow]warning:[/yellow] {w.message}")
    require(record.kind == "impedance", "FILE", f"{file} holds cycling data; use 'interlayer analyze'")
    d = record.data
    try:
        fit = fit_circuit(d["frequency"].to_numpy(), d["z_real"].to_numpy() + 1j * d["z_imag"].to_numpy(), circuit)
    except InputError as exc:  # the library names its argument; the user typed the option
        if exc.field == "circuit":
            raise InputError("--circuit", exc.message) from None
        raise
    payload = {"source": file, **fit.to_dict(), "points": int(len(d)), "partial": bool(record.metadata.get("aborted", False))}
    a = area_arg if area_arg is not None else record.area
    if length is not None:
        require(a is not None, "--area", "the file states no area; give --area to compute conductivities")
        payload["conductivity_S_m"] = {name: conductivity(r, length, a) for name, r in fit.resistances().items() if r > 0}
    if plot:
        from interlayer.plotting.analysis import nyquist_figure

        nyquist_figure(fit).savefig(plot, dpi=150)
    if as_json:
        emit_json(payload)
        return
    from rich.table import Table

    table = Table(title=f"{file}: {circuit}  (rms misfit {fit.rms_relative:.2%})", title_justify="left")
    for col in ("parameter", "value", "unit", "std. error"):
        table.add_column(col)
    for name, p in fit.parameters.items():
        err = "" if p["stderr"] is None else f"{p['stderr']:.3g}"
        table.add_row(name, f"{p['value']:.5g}", p["unit"], err)
    err_console.print(table)
    for note in fit.notes:
        err_console.print(f"[yellow]note:[/yellow] {note}")
    if not fit.fit_ok:
        err_console.print("[yellow]fit not trusted[/yellow] (fit_ok: false); try another circuit (e.g. add elements)")
    for name, s in payload.get("conductivity_S_m", {}).items():
        err_console.print(f"sigma from {name}: {s:.4g} S/m = {s / 100:.4g} S/cm")


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze_command)
    app.command("eis")(eis_command)
