"""``interlayer materials``: list the materials library with sources."""

from __future__ import annotations

import typer

from interlayer.cli._common import emit_json, err_console


def materials_command(
    name: str = typer.Argument(None, help="Show one material in full (e.g. lni-5cnt)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output on stdout."),
) -> None:
    """List the materials library: every value with its unit, source and note."""
    from rich.table import Table

    from interlayer import materials

    names = [name] if name else materials.names()
    records = [materials.get(n).to_dict() for n in names]
    if as_json:
        emit_json({"materials": records})
        return
    for record in records:
        table = Table(title=f"{record['name']}: {record['description']}", title_justify="left")
        for col in ("property", "value", "unit", "source", "note"):
            table.add_column(col, overflow="fold")
        for key, prop in record["properties"].items():
            table.add_row(key, f"{prop['value']:.4g}", prop["unit"], prop["source"], prop.get("note", ""))
        err_console.print(table)


def register(app: typer.Typer) -> None:
    app.command("materials")(materials_command)
