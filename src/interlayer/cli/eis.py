"""``interlayer eis``: one equivalent-circuit fit per impedance spectrum of a file."""

from __future__ import annotations

import typer

from interlayer.cli._common import FIGURE_SUFFIXES, emit_json, err_console, output_path, require
from interlayer.errors import InputError
from interlayer.units import HOUR, MA, S_CM


def read_for_cli(file: str, mapping: dict | None = None):
    """Read a file, printing the readers' warnings (assumed units, partial files) on stderr."""
    import warnings

    from interlayer.io import PartialDataWarning, UnitWarning, read

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        record = read(file, mapping=mapping)
    for w in caught:
        if issubclass(w.category, (PartialDataWarning, UnitWarning)):
            err_console.print(f"[yellow]warning:[/yellow] {w.message}", highlight=False)
    return record


def save_atomic(path: str, write) -> None:
    """Write through ``write(tmp_path)`` to a temporary file in the same folder, then rename:
    a failed write leaves no half-written file; OSError -> InputError (exit 2, one line)."""
    import os
    import tempfile
    from pathlib import Path

    p = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.stem}.", suffix=p.suffix, dir=str(p.parent))
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, p)
    except OSError as exc:
        raise InputError(str(path), f"cannot write ({exc.strerror or exc}); nothing was written") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def eis_command(
    file: str = typer.Argument(..., help="Impedance or mixed cycler file (.z, .DTA, .mpr, .mpt, CSV of f, Re Z, Im Z)."),
    circuit: str = typer.Option("R0-p(R1,CPE1)", "--circuit", help="Equivalent circuit (impedance.py syntax), e.g. R0-p(R1,CPE1)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output on stdout."),
    plot: str = typer.Option(None, "--plot", help="Write a Nyquist plot with the fit (several spectra: also R vs time/cycle)."),
    thickness: str = typer.Option(None, "--thickness", help="Layer thickness for sigma = L/(R A), e.g. 400um."),
    area: str = typer.Option(None, "--area", help="Area for sigma = L/(R A), e.g. 1.267cm2 (bare number: cm2)."),
    fmin: str = typer.Option(None, "--fmin", help="Fit only frequencies >= this, e.g. 1Hz (bare number: Hz)."),
    fmax: str = typer.Option(None, "--fmax", help="Fit only frequencies <= this, e.g. 100kHz (bare number: Hz)."),
    guess: str = typer.Option(None, "--guess", help="Starting values, e.g. R0=80,R1=900,CPE1_0=1e-6,CPE1_1=0.9 (SI units)."),
    keep_inductive: bool = typer.Option(False, "--keep-inductive", help="Keep points with Im Z > 0 (dropped by default)."),
) -> None:
    """Fit an equivalent circuit to every impedance spectrum of a file, one fit per spectrum."""
    from interlayer.analysis.eis import conductivity, parse_guess, validate_circuit
    from interlayer.analysis.spectra import fit_spectra
    from interlayer.units import parse

    plot = output_path(plot, "--plot", FIGURE_SUFFIXES)
    length = parse(thickness, "m", "--thickness", default_unit="um") if thickness else None
    require(length is None or 0 < length <= 0.1, "--thickness", "must be in (0, 10 cm]")
    area_arg = parse(area, "m^2", "--area", default_unit="cm^2") if area else None
    require(area_arg is None or 0 < area_arg <= 1.0, "--area", "must be in (0, 10^4 cm2]")
    f_lo = parse(fmin, "Hz", "--fmin", default_unit="Hz") if fmin else None
    f_hi = parse(fmax, "Hz", "--fmax", default_unit="Hz") if fmax else None
    require(f_lo is None or f_lo >= 0, "--fmin", "must be >= 0 Hz")
    require(f_hi is None or f_hi > 0, "--fmax", "must be > 0 Hz")
    require(f_lo is None or f_hi is None or f_lo < f_hi, "--fmin", f"must be below --fmax ({fmin} >= {fmax})")
    try:
        validate_circuit(circuit)
        starts = parse_guess(guess, circuit)
    except InputError as exc:  # the library names its argument; the user typed the option
        raise InputError(f"--{exc.field}", exc.message) from None
    record = read_for_cli(file)
    imp = record.spectra
    require(imp is not None and len(imp.data) > 0, "FILE",
            f"{file} holds cycling data without impedance spectra; use 'interlayer analyze'")
    try:
        res = fit_spectra(imp, circuit, guess=starts, fmin=f_lo, fmax=f_hi, drop_inductive=not keep_inductive,
                          cycling=record if record.kind == "cycling" else None)
    except InputError as exc:
        if exc.field in ("circuit", "guess"):
            raise InputError(f"--{exc.field}", exc.message) from None
        raise
    items = res.to_dict()
    a = area_arg if area_arg is not None else record.area
    if length is not None:
        require(a is not None, "--area", "the file states no area; give --area to compute conductivities")
        for item, fit in zip(items, res.fits, strict=True):
            if fit is not None:
                item["conductivity_S_m"] = {n: conductivity(r, length, a) for n, r in fit.resistances().items() if r > 0}
    payload = {"source": file, "circuit": circuit, "spectra_count": len(items), "partial": record.partial,
               "settings": res.settings, "spectra": items}
    if len(items) == 1:  # one spectrum: its fit at the top level as well
        only = items[0]
        require(only["error"] is None, "FILE", f"{file}: {only['error']}")
        payload.update({k: only[k] for k in ("parameters", "rms_relative", "fit_ok", "notes", "points_fitted",
                                             "preprocessing") if k in only})
        payload["points"] = int(only["points"])
        if "conductivity_S_m" in only:
            payload["conductivity_S_m"] = only["conductivity_S_m"]
    if plot:
        from interlayer.plotting.analysis import nyquist_figure, spectra_figure

        fig = nyquist_figure(res.fits[0]) if len(items) == 1 else spectra_figure(res)
        save_atomic(plot, lambda p: fig.savefig(p, dpi=150, format=plot.rsplit(".", 1)[-1]))
    if as_json:
        emit_json(payload)
        return
    _print(file, circuit, res, items)


def _print(file, circuit, res, items) -> None:
    from rich.table import Table

    if len(items) == 1:
        fit, item = res.fits[0], items[0]
        table = Table(title=f"{file}: {circuit}  (rms misfit {fit.rms_relative:.2%}, {item['points_fitted']} of "
                            f"{item['points']} points)", title_justify="left")
        for col in ("parameter", "value", "unit", "std. error"):
            table.add_column(col)
        for name, p in fit.parameters.items():
            err = "" if p["stderr"] is None else f"{p['stderr']:.3g}"
            table.add_row(name, f"{p['value']:.5g}", p["unit"], err)
        err_console.print(table)
        for note in fit.preprocessing:
            err_console.print(f"preprocessing: {note}")
        for note in fit.notes:
            err_console.print(f"[yellow]note:[/yellow] {note}")
        if not fit.fit_ok:
            err_console.print("[yellow]fit not trusted[/yellow] (fit_ok: false); try another circuit, --guess or --fmin/--fmax")
        for name, s in item.get("conductivity_S_m", {}).items():
            err_console.print(f"sigma from {name}: {s:.4g} S/m = {s * S_CM:.4g} S/cm")
        return
    t = res.table
    rnames = [c for c in t.columns if c.startswith("R") and c[1:].isdigit()]
    table = Table(title=f"{file}: {circuit}, {len(items)} spectra, one fit each", title_justify="left")
    for col in ["#", "technique", "time (h)", "cycle", "DC (V)", "DC (mA)"] + [f"{n} (ohm)" for n in rnames] + ["rms", "ok"]:
        table.add_column(col, justify="right")
    shown = list(range(len(t))) if len(t) <= 60 else list(range(30)) + [None] + list(range(len(t) - 30, len(t)))
    for k in shown:
        if k is None:
            table.add_row("...", f"({len(t) - 60} more)", *[""] * (6 + len(rnames)))
            continue
        r = t.iloc[k]
        dc_v = "" if r["dc_voltage"] != r["dc_voltage"] else f"{r['dc_voltage']:.4g}"
        dc_i = "" if r["dc_current"] != r["dc_current"] else f"{r['dc_current'] * MA:.4g}"
        rs = [("" if r[n] != r[n] else f"{r[n]:.4g}") for n in rnames]
        ok = "yes" if r["fit_ok"] else ("failed" if r["error"] else "no")
        rms = "" if r["rms_relative"] != r["rms_relative"] else f"{r['rms_relative']:.1%}"
        time_h = "" if r["time"] != r["time"] else f"{r['time'] * HOUR:.3f}"
        table.add_row(str(int(r["spectrum"])), str(r["technique"]), time_h, str(int(r["cycle"])), dc_v, dc_i,
                      *rs, rms, ok)
    err_console.print(table)
    bad = int((~t["fit_ok"]).sum())
    if bad:
        err_console.print(f"[yellow]{bad} of {len(t)} fits not trusted[/yellow] (fit_ok: false; --json has the notes)")
