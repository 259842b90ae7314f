"""``interlayer predict``: critical currents and failure modes of cells the model was not fitted to."""

from __future__ import annotations

import typer

from interlayer.cli._common import emit_json, err_console, output_path


def predict_command(
    markdown: str = typer.Option(None, "--markdown", help="Also write the table as Markdown to this file (docs/predictions.md)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output on stdout."),
) -> None:
    """The prediction table: the calibration cells with what was measured, then layers nobody fitted to."""
    from interlayer.design.predictions import markdown as to_markdown
    from interlayer.design.predictions import prediction_table

    output_path(markdown, "markdown", (".md",))
    rows = prediction_table()
    if markdown:
        with open(markdown, "w", encoding="utf-8") as fh:
            fh.write(to_markdown(rows))
    if as_json:
        emit_json({"predictions": [r.to_dict() for r in rows]})
        return
    from rich.table import Table

    table = Table(title="failure physics: step-test critical currents (nothing in this table is fitted but the rows marked 'fitted')")
    for col in ("cell", "conditions", "i_c (mA/cm2)", "mode", "measured", "status"):
        table.add_column(col)
    for r in rows:
        d = r.to_dict()
        i = "> 100" if d["critical_current_mA_cm2"] is None else f"{d['critical_current_mA_cm2']:.3g}"
        table.add_row(r.name, r.conditions, i, r.mode, r.measured or "-", r.status.split(" (")[0])
    err_console.print(table)


def register(app: typer.Typer) -> None:
    app.command("predict")(predict_command)
