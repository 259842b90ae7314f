"""``interlayer materials``: list the materials library with sources."""

from __future__ import annotations

import typer

from interlayer.cli._common import emit_json, err_console
from interlayer.units import S_CM


def materials_command(
    name: str = typer.Argument(None, help="Show one material in full (e.g. lni-5cnt)."),
    show_all: bool = typer.Option(False, "--all", help="Every material in full (without NAME: a short list)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output on stdout (every value)."),
) -> None:
    """The materials library: a short list, or one material (NAME) / all (--all) with every value's unit and source."""
    from rich.table import Table

    from interlayer import materials

    names = [name] if name else materials.names()
    records = [materials.get(n).to_dict() for n in names]
    if as_json:
        emit_json({"materials": records})
        return
    if name is None and not show_all:
        overview = Table(title="materials library (interlayer materials NAME for values and sources)",
                         title_justify="left")
        for col in ("name", "kind", "sigma_ion (S/cm)", "sigma_e (S/cm)", "description"):
            overview.add_column(col, overflow="fold")
        for record in records:
            props = record["properties"]

            def s_cm(key, props=props):
                return f"{props[key]['value'] * S_CM:.3g}" if key in props else ""

            overview.add_row(record["name"], record.get("kind", ""), s_cm("sigma_ion"), s_cm("sigma_e"),
                             record["description"])
        err_console.print(overview)
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
