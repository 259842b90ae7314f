"""``interlayer sweep``: run a model over a grid or list of points (local pool or Dask), resumably."""

from __future__ import annotations

from pathlib import Path

import typer

from interlayer.cli._common import emit_json, err_console


def sweep_command(
    config: Path = typer.Argument(None, help="Sweep config (TOML); see docs/sweep.md.", show_default=False),
    scheduler: str = typer.Option(
        None, "--scheduler", help="Dask scheduler address (tcp://HOST:PORT); default: local process pool."
    ),
    workers: int = typer.Option(
        None, "--workers", help="Local worker processes (default and limit: the CPU count; 0 = in this process)."
    ),
    oversubscribe: bool = typer.Option(
        False, "--oversubscribe", help="Allow --workers above the CPU count (up to 8x; docs/limits.md)."
    ),
    out: str = typer.Option(
        None, "--out", help="Zarr store (default: the config's sweep.out, else CONFIG.zarr next to CONFIG)."
    ),
    retry_failed: bool = typer.Option(
        True, "--retry-failed/--skip-failed", help="On a rerun, rerun points that failed before."
    ),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar on stderr."),
    list_models: bool = typer.Option(False, "--list-models", help="List the sweepable models and exit."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON summary on stdout."),
) -> None:
    """Run CONFIG's model over its grid or points; each finished point goes to a Zarr store at once.

    A rerun of the same config resumes (finished points are skipped); a failed point is recorded with
    its error and the sweep goes on. Open the result with xarray.open_zarr(STORE).
    """
    from interlayer.cli._common import output_path, require
    from interlayer.errors import StoreError
    from interlayer.sweep import run_sweep

    if list_models:
        _print_models(as_json)
        return
    require(config is not None, "config", "missing CONFIG.toml argument (or use --list-models)")
    if out is not None:
        require(bool(str(out).strip()), "out", "empty path; give a STORE.zarr folder")
        output_path(str(out), "out", directory=True)  # its folder exists and takes a write
    try:
        summary = run_sweep(
            config,
            out,
            workers=workers,
            scheduler=scheduler,
            progress=progress,
            retry_failed=retry_failed,
            oversubscribe=oversubscribe,
        )
    except StoreError as exc:  # the run had started: exit 1, one line
        err_console.print(f"error: {exc}", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    payload = summary.to_dict()
    if as_json:
        emit_json(payload)
        return
    err_console.print(
        f"[bold]{summary.store}[/bold]: {summary.done}/{summary.n_points} done, {summary.failed} failed, "
        f"{summary.skipped} skipped (finished before), {summary.ran} run in {summary.wall_time_s:.2f} s "
        f"on {summary.executor}"
    )
    for note in summary.notes:
        err_console.print(f"[yellow]note:[/yellow] {note}")
    if summary.failed:
        err_console.print(
            "failed points keep their message in the store's 'error' variable: "
            "ds = xarray.open_zarr(STORE); ds.error.where(ds.status == 2, drop=True)"
        )


def _print_models(as_json: bool) -> None:
    from interlayer.sweep import get_model, model_names

    records: list[dict] = []
    for name in model_names():
        spec = get_model(name)
        records.append(
            {
                "name": name,
                "description": spec.description,
                "parameters": {
                    p.name: {
                        "unit": p.unit,
                        # what a bare number in a config means (e.g. thickness = 90 is 90 um)
                        "bare_number_unit": (None if p.kind == "text" or p.needs_unit
                                             else (p.default_unit or p.unit)),
                        "unit_required": p.needs_unit is not None,
                        "default": p.default,
                        "kind": p.kind,
                        "description": p.description,
                    }
                    for p in spec.parameters.values()
                },
            }
        )
    if as_json:
        emit_json({"models": records})
        return
    from rich.markup import escape
    from rich.table import Table

    for record in records:  # descriptions are plain text ("[default: 2 um]" is not Rich markup)
        table = Table(title=escape(f"{record['name']}: {record['description']}"), title_justify="left")
        for col in ("parameter", "kind", "SI unit", "bare number in", "default (SI)", "description"):
            table.add_column(col, overflow="fold")
        for pname, p in record["parameters"].items():
            default = p["default"]
            if isinstance(default, tuple):
                default = f"{len(default)} values"
            table.add_row(
                pname,
                p["kind"],
                p["unit"],
                "unit required" if p["unit_required"] else (p["bare_number_unit"] or ""),
                "(model's)" if default is None else escape(str(default)),
                escape(p["description"]),
            )
        err_console.print(table)


def register(app: typer.Typer) -> None:
    app.command("sweep")(sweep_command)
