"""``interlayer cell``: run a cycling protocol on a virtual symmetric cell; record what a cycler would."""

from __future__ import annotations

import tomllib
from pathlib import Path

import typer

from interlayer.cli._common import (
    FIGURE_SUFFIXES,
    emit_json,
    err_console,
    output_path,
    require,
    save_figure,
    save_netcdf,
)
from interlayer.inputs import cli_command
from interlayer.inputs.cell import CellInputs
from interlayer.units import CM2, MPA, ZERO_CELSIUS


def _config(path: str) -> dict:
    p = Path(path)
    require(p.is_file(), "config", f"no such file: {path}")
    require(p.stat().st_size <= 1_000_000, "config", f"{path} is larger than 1 MB; a cell TOML is a few lines")
    try:
        return tomllib.loads(p.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise typer.BadParameter(str(exc)) from None


@cli_command(CellInputs)
def cell_command(
    inputs: CellInputs,
    protocol: list[str] = typer.Option(None, "--protocol", help="A protocol step, e.g. 'Cycle at 0.1 mA/cm2 until 0.1 mAh/cm2, 20 times' or 'Step from 0.1 to 4 mA/cm2 by 0.1 mA/cm2 for 1 hour'; repeat the option for more steps (default: the paper's activation and step test)."),
    config: str = typer.Option(None, "--config", help=r"A cell TOML: \[cell] with any of the cell options (material, thickness, electrolyte, temperature, stack_pressure, ...; config values replace options); \[protocol] steps = \[...]."),
    csv: str = typer.Option(None, "--csv", help="Write a cycler-like CSV (Time (s), Voltage (V), Current (mA)) that `interlayer analyze` reads."),
    out: str = typer.Option(None, "--out", help="Write the full record (voltage, current, state) as NetCDF."),
    plot: str = typer.Option(None, "--plot", help="Draw the trace with the state underneath to this PNG."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable summary on stdout."),
) -> None:
    """Run a protocol on a virtual Li | interlayer | electrolyte | interlayer | Li cell."""
    from interlayer.virtualcell import paper_step_test, parse, simulate, summary, write_csv

    output_path(plot, "plot", FIGURE_SUFFIXES)
    output_path(csv, "csv", (".csv",))
    output_path(out, "out", (".nc",))
    steps = list(protocol) if protocol else None
    if config:
        doc = _config(config)
        unknown = set(doc) - {"cell", "protocol"}
        require(not unknown, "config", f"unknown table(s) {sorted(unknown)}; known: cell, protocol")
        cell_doc = doc.get("cell", {})
        known = [k for k, (spec, _) in CellInputs.declared().items() if spec.kind != "flag"]
        bad = set(cell_doc) - set(known)
        require(not bad, "config", f"unknown [cell] key(s) {sorted(bad)}; known: {', '.join(known)}")
        given = {k: getattr(inputs, k) for k in CellInputs.declared() if k not in cell_doc}
        inputs = CellInputs.from_text(cell_doc, names={k: f"[cell] {k}" for k in cell_doc}, **given)
        if steps is None and "protocol" in doc:
            steps = doc["protocol"].get("steps")
            require(isinstance(steps, list), "config", "[protocol] steps must be a list of strings")
    parsed = parse(steps if steps else paper_step_test())
    cell = inputs.cell()
    temp, pressure = inputs.temperature, inputs.stack_pressure
    from interlayer.progress import RichProgress

    ds = inputs.record(simulate(cell, parsed, progress=RichProgress(err_console)))
    if csv:
        write_csv(ds, csv)
    if out:
        save_netcdf(ds, out)
    if plot:
        from interlayer.plotting.virtualcell import trace

        save_figure(trace(ds), plot)
    doc = summary(ds)
    if as_json:
        emit_json(doc)
        return
    err_console.print(f"{doc['layers']}, {doc['electrolyte']} separator, {temp - ZERO_CELSIUS:.0f} degC, {pressure * MPA:.3g} MPa: "
                      f"{doc['cycles_run']} cycles run")
    if doc["failure_mode"] == "none":
        err_console.print("[green]no failure[/green]: the protocol ran to its end")
    else:
        err_console.print(f"[red]{doc['failure_mode']}[/red] at {doc['critical_current_mA_cm2']:.3g} mA/cm2 after "
                          f"{doc['failure_time_h']:.3g} h: {doc['failure_description']}")
    shown = [s for s in doc["spikes"] if s["spike_mV"] > 0][-5:]
    if shown:
        err_console.print("last spikes: " + ", ".join(f"{s['spike_mV']:.0f} mV at {s['current_mA_cm2']:.3g} mA/cm2"
                                                      for s in shown))
    if csv:
        area = cell.electrode_area * CM2
        err_console.print(f"read it back: interlayer analyze {csv} --area {area:.3f}cm2")


def register(app: typer.Typer) -> None:
    app.command("cell")(cell_command)
