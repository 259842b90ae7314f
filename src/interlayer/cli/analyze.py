"""``interlayer analyze`` (cycling files) and ``interlayer eis`` (impedance spectra)."""

from __future__ import annotations

import typer

from interlayer.cli._common import FIGURE_SUFFIXES, emit_json, err_console, output_path, require, save_figure
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
    columns: str = typer.Option(
        None, "--columns", help="Column mapping for CSV files: time=t/s,voltage=E/V,current=I/mA (header/unit; "
        "a header in the file is used as it is)."
    ),
) -> None:
    """Half-cycles, overpotential, nucleation spikes, short circuits and CCD of a cycling record."""
    from interlayer.analysis import analyze
    from interlayer.cli.eis import read_for_cli, save_atomic
    from interlayer.units import MA_CM2, UM, parse

    # options first (fail fast, naming the option typed), then the possibly large file
    plot = output_path(plot, "--plot", FIGURE_SUFFIXES)
    report = output_path(report, "--report", REPORT_SUFFIXES)
    require(0 < spike_window < 0.5, "--spike-window", f"must be a fraction in (0, 0.5), got {spike_window}")
    require(cell in _CELLS, "--cell", f"must be one of {', '.join(_CELLS)}, got {cell!r}")
    area_arg = parse(area, "m^2", "--area", default_unit="cm^2") if area is not None else None
    require(area_arg is None or 0 < area_arg <= 1.0, "--area", "must be in (0, 10^4 cm2]")
    require(coefficient is None or design_material is None, "--coefficient", "give --coefficient or --design-material, not both")
    mapping = parse_columns(columns)
    eis_items = []
    for item in eis or []:
        path, sep, when = item.rpartition("@")
        require(bool(sep) and bool(path), "--eis", f"expected FILE@TIME (e.g. spec.z@120h), got {item!r}")
        eis_items.append((path, parse(when, "s", "--eis time", default_unit="s")))
    record = read_for_cli(file, mapping=mapping)
    if record.kind == "impedance":
        from interlayer.analysis import dc_current_flows

        d = record.data
        dc = "dc_current" in d and dc_current_flows(d["dc_current"].to_numpy())
        require(dc, "FILE", f"{file} holds impedance spectra only (no cycling, no DC current); use 'interlayer eis'")
    area_m2 = area_arg if area_arg is not None else record.area
    spectra = []
    for path, at in eis_items:
        spec = read_for_cli(path)
        require(spec.kind == "impedance", "--eis", f"{path} is not an impedance spectrum")
        spectra.append((at, spec))
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
        payload["design"] = {"material": design_material, "thickness_um": round(thickness * UM, 9),
                             "spike_coefficient_S_m": design.spike_coefficient(),
                             "critical_overpotential_V": design.anode_critical_overpotential()}
        for row in payload["cycles"]:
            j = (row["current_density_mA_cm2"] or 0.0) / MA_CM2  # A/m^2 (0: no area, no prediction)
            row["predicted_spike_V"] = float(design.spike(j)) if j > 0 else None
            row["predicted_l_n_um"] = float(design.lengths([j], [1.0])[0][0]) * UM if j > 0 else None
    if coefficient is not None or design is not None:
        from interlayer.analysis.spikes import nucleation_length

        if design is not None:
            c = design.spike_coefficient()
        else:
            c = parse(coefficient, "S/m", "--coefficient", default_unit="S/m")
        require(c > 0, "--coefficient", "must be > 0")
        for row in payload["cycles"]:
            j = (row["current_density_mA_cm2"] or 0.0) / MA_CM2  # A/m^2
            row["nucleation_length_um"] = (
                nucleation_length(row["spike_V"], j, c) * UM if row["spike_detected"] and j > 0 else None
            )
    if plot:
        from interlayer.plotting.analysis import analysis_figure

        fig = analysis_figure(record, result)
        save_figure(fig, plot, "--plot")  # atomic; ENOSPC/EROFS -> exit 2, one line, nothing written
    if report:
        save_atomic(report, lambda p: _write_report(p, record, result, payload))
    if as_json:
        emit_json(payload)
        return
    _print_summary(payload)


def parse_columns(text: str | None) -> dict | None:
    """``time=t/s,voltage=E/V,current=I/mA`` -> the reader's mapping {canonical: spec}.

    Each value is a header of the file (used with its own unit, SI when it has none) or
    ``HEADER/UNIT`` (the header without the unit suffix, e.g. ``t/s`` for a column ``t`` in s);
    the reader decides which, from the file's header row.
    """
    if text is None or not str(text).strip():
        return None
    allowed = ("time", "voltage", "current", "charge", "frequency", "z_real", "z_imag")
    out = {}
    for item in str(text).split(","):
        key, sep, spec = item.partition("=")
        key, spec = key.strip(), spec.strip()
        require(bool(sep) and bool(spec), "--columns", f"expected NAME=HEADER[/UNIT] items separated by ',', got {item!r}")
        require(key in allowed, "--columns", f"unknown column {key!r}; allowed: {', '.join(allowed)}")
        out[key] = spec
    for needed in ("time", "voltage", "current"):
        if needed not in out and not {"frequency", "z_real", "z_imag"} <= out.keys():
            raise InputError("--columns", f"missing {needed}= (a cycling table needs time, voltage and current)")
    return out


def _f(value, spec: str, none: str = "-") -> str:
    return none if value is None else format(value, spec)


def _print_summary(payload: dict) -> None:
    from rich.table import Table

    area = payload["area_cm2"]
    title = f"{payload['source']}  (area {area:.4g} cm2)" if area is not None else f"{payload['source']}  (no area)"
    table = Table(title=title, title_justify="left")
    design = "design" in payload
    lengths = any("nucleation_length_um" in c for c in payload["cycles"])
    cols = ["cycle", "I (mA)", "j (mA/cm2)", "overpotential (V)", "spike peak (V)", "at t (s)", "V_sp (V)", "spike"]
    if design:
        cols += ["predicted V_sp (V)", "predicted l_n (um)"]
    if lengths:
        cols += ["l_n (um)"]
    for col in cols:
        table.add_column(col, justify="right")
    cycles = payload["cycles"]
    # long tests: the first and last 20 cycles (the JSON and the report have them all)
    shown = cycles if len(cycles) <= 40 else cycles[:20] + [None] + cycles[-20:]
    for c in shown:
        if c is None:
            table.add_row("...", f"({len(cycles) - 40} more)", *[""] * (len(cols) - 2))
            continue
        row = [
            str(c["cycle"]), f"{c['current_mA']:.4g}", _f(c["current_density_mA_cm2"], ".4g"),
            f"{c['overpotential_V']:.4g}", _f(c["spike_peak_V"], ".4g"), _f(c["spike_time_s"], ".1f"),
            f"{c['spike_V']:.3g}", "yes" if c["spike_detected"] else "-",
        ]
        if design:
            row += [_f(c.get("predicted_spike_V"), ".3g"), _f(c.get("predicted_l_n_um"), ".3g")]
        if lengths:
            row += [_f(c.get("nucleation_length_um"), ".3g")]
        table.add_row(*row)
    err_console.print(table)
    segs = payload.get("segments") or []
    if segs:
        from collections import Counter

        count = Counter(s["technique"] for s in segs)
        err_console.print("segments: " + ", ".join(f"{n} {k}" for k, n in sorted(count.items())))
    if payload.get("spectra"):
        sp = payload["spectra"]
        err_console.print(f"impedance: {len(sp)} spectra between {sp[0]['time_s']:.0f} s and {sp[-1]['time_s']:.0f} s, "
                          f"|Z| at the lowest frequency {sp[0]['lf_modulus_ohm']:.4g} -> {sp[-1]['lf_modulus_ohm']:.4g} ohm "
                          "(fits: 'interlayer eis FILE')")
    for note in payload.get("notes", []):
        err_console.print(f"note: {note}")
    if payload["shorts"]:
        for s in payload["shorts"]:
            conf = s["confirmed_by_impedance"]
            imp = ("" if conf is None else
                   f"; {'confirmed' if conf else 'contradicted'} by impedance ({s['impedance_measure']} "
                   f"{s['impedance_before_ohm']:.4g} -> {s['impedance_after_ohm']:.4g} ohm)"
                   if s.get("impedance_measure") else f"; impedance {'confirms' if conf else 'contradicts'} it")
            j = "" if s["current_density_mA_cm2"] is None else f", {s['current_density_mA_cm2']:.4g} mA/cm2"
            err_console.print(
                f"[red]{s['kind']} short[/red] at t = {s['time_s']:.1f} s (cycle {s['cycle']}, {s['current_mA']:.4g} mA{j}): "
                f"polarisation {s['polarisation_before_V']:.4g} V -> {s['polarisation_after_V']:.4g} V{imp}"
            )
    elif payload["settings"]["short_detection"] != "on":
        err_console.print(f"short detection {payload['settings']['short_detection']}")
    else:
        err_console.print("no short circuit detected")
    for f in payload.get("failures", []):
        again = f" (and {f['repeats'] - 1} later half-cycle(s))" if f.get("repeats", 1) > 1 else ""
        err_console.print(f"[red]{f['kind'].replace('_', ' ')}[/red] at t = {f['time']:.1f} s (cycle {f['cycle']}): "
                          f"{f['description']}{again}")
    proto = payload["ccd_protocol"]
    if payload["ccd_mA_cm2"] is not None:
        stable = proto["last_stable_mA_cm2"]
        before = (f"last stable level {stable:.4g} mA/cm2" if stable is not None
                  else "no lower current level completed before it")
        err_console.print(f"CCD = {payload['ccd_mA_cm2']:.4g} mA/cm2 ({before})")
    elif payload.get("stable_up_to_mA_cm2") is not None:
        err_console.print(f"no CCD: stable up to {payload['stable_up_to_mA_cm2']:.4g} mA/cm2 (CCD above that)")
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
    design = "design" in payload
    head = ("<tr><th>cycle</th><th>I (mA)</th><th>j (mA/cm2)</th><th>overpotential (V)</th><th>spike peak (V)</th>"
            "<th>at t (s)</th><th>V_sp (V)</th><th>spike</th>"
            + ("<th>predicted V_sp (V)</th><th>predicted l_n (um)</th>" if design else "")
            + "<th>l_n (um)</th></tr>")
    rows = "".join(
        f"<tr><td>{c['cycle']}</td><td>{c['current_mA']:.4g}</td><td>{_fmt(c['current_density_mA_cm2'], '.4g')}</td>"
        f"<td>{c['overpotential_V']:.4g}</td><td>{_fmt(c['spike_peak_V'], '.4g')}</td><td>{_fmt(c['spike_time_s'], '.1f')}</td>"
        f"<td>{c['spike_V']:.3g}</td><td>{'yes' if c['spike_detected'] else ''}</td>"
        + (f"<td>{_fmt(c.get('predicted_spike_V'), '.3g')}</td><td>{_fmt(c.get('predicted_l_n_um'), '.3g')}</td>"
           if design else "")
        + f"<td>{_fmt(c.get('nucleation_length_um'), '.3g')}</td></tr>"
        for c in payload["cycles"]
    )

    def _conf(s):
        if s["confirmed_by_impedance"] is None:
            return "no spectrum on both sides"
        word = "confirmed" if s["confirmed_by_impedance"] else "contradicted"
        if s.get("impedance_measure"):
            return (f"{word} by impedance ({s['impedance_measure']} {s['impedance_before_ohm']:.4g} -> "
                    f"{s['impedance_after_ohm']:.4g} ohm)")
        return f"{word} by impedance"

    shorts = "".join(
        f"<li>{s['kind']} short at {s['time_s']:.1f} s, cycle {s['cycle']}, {s['current_mA']:.4g} mA "
        f"({_fmt(s['current_density_mA_cm2'], '.4g')} mA/cm2): polarisation {s['polarisation_before_V']:.4g} V -&gt; "
        f"{s['polarisation_after_V']:.4g} V; {html.escape(_conf(s))}</li>"
        for s in payload["shorts"]
    ) or "<li>none detected</li>"
    failures = "".join(
        f"<li>{html.escape(f['kind'].replace('_', ' '))} at {f['time']:.1f} s, cycle {f['cycle']}: "
        f"{html.escape(f['description'])}</li>" for f in payload.get("failures", [])
    ) or "<li>none detected</li>"
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in payload.get("notes", []))
    spectra = "".join(
        f"<tr><td>{sp['spectrum']}</td><td>{sp['technique']}</td><td>{sp['time_s']:.1f}</td><td>{sp['cycle']}</td>"
        f"<td>{sp['points']}</td><td>{sp['lf_modulus_ohm']:.4g}</td></tr>" for sp in payload.get("spectra", [])
    )
    levels = "".join(
        f"<tr><td>{_fmt(lv['current_density_mA_cm2'], '.4g')}</td><td>{lv['half_cycles']}</td>"
        f"<td>{lv['half_cycle_time_s']:.0f}</td><td>{_fmt(lv['capacity_mAh_cm2'], '.4g')}</td></tr>"
        for lv in payload["ccd_protocol"]["levels"]
    )
    ccd = "none (no short)" if payload["ccd_mA_cm2"] is None else f"{payload['ccd_mA_cm2']:.4g} mA/cm2"
    if payload["ccd_mA_cm2"] is None and payload.get("stable_up_to_mA_cm2") is not None:
        ccd += f"; stable up to {payload['stable_up_to_mA_cm2']:.4g} mA/cm2"
    elif payload["ccd_mA_cm2"] is None and payload.get("failed"):
        ccd += "; the cell failed otherwise (see Failures)"
    area = "no electrode area given" if payload["area_cm2"] is None else f"Electrode area {payload['area_cm2']:.4g} cm2"
    capacity = "".join(
        f"<tr><td>{c['cycle']}</td><td>{c['capacity_first_mAh']:.4g}</td><td>{c['capacity_second_mAh']:.4g}</td>"
        f"<td>{_fmt(c['coulombic_efficiency'], '.4f')}</td><td>{_fmt(c['retention'], '.3f')}</td>"
        f"<td>{'yes' if c['complete'] else 'no (record ends inside it)'}</td></tr>"
        for c in payload["capacity"]
    )
    doc = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>interlayer analysis</title>
<style>body{{font-family:sans-serif;max-width:900px;margin:auto}}td,th{{padding:2px 8px;text-align:right}}</style>
</head><body><h1>{html.escape(str(payload['source']))}</h1>
<p>{area}. Sign convention: current &gt; 0 anodic at the working electrode.</p>
<ul>{notes}</ul>
<img src="data:image/png;base64,{img}" style="width:100%">
<h2>Short circuits</h2><ul>{shorts}</ul>
<h2>Failures other than shorts</h2><ul>{failures}</ul>
<h2>Impedance spectra</h2><table><tr><th>#</th><th>technique</th><th>time (s)</th><th>cycle</th><th>points</th><th>|Z| at f_min (ohm)</th></tr>{spectra}</table>
<h2>Critical current density</h2><p>CCD: {ccd}</p>
<table><tr><th>j (mA/cm2)</th><th>half-cycles</th><th>half-cycle time (s)</th><th>capacity (mAh/cm2)</th></tr>{levels}</table>
<h2>Capacity</h2><p>{html.escape(_capacity_line(payload['capacity_summary']))}</p>
<table><tr><th>cycle</th><th>Q first (mAh)</th><th>Q second (mAh)</th><th>CE</th><th>retention</th><th>complete</th></tr>{capacity}</table>
<h2>Cycles</h2><table>{head}{rows}</table>
</body></html>"""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(doc)


def _fmt(value, spec: str) -> str:
    """A number in ``spec`` format, or an em dash for a missing (null) value."""
    return "&mdash;" if value is None else format(value, spec)


def register(app: typer.Typer) -> None:
    from interlayer.cli.eis import eis_command

    app.command("analyze")(analyze_command)
    app.command("eis")(eis_command)
