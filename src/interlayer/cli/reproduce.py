"""``interlayer reproduce``: the paper's modelling figures regenerated, every claim judged, one HTML report."""

from __future__ import annotations

import typer

from interlayer.cli._common import emit_json, err_console


def reproduce_command(
    out: str = typer.Option(..., "--out", help="Output folder (created; must be absent or empty unless --force)."),
    quick: bool = typer.Option(False, "--quick", help="Normal 2D mesh instead of the fine one, no resolved-interface "
                                                      "phase field (minutes instead of tens of minutes)."),
    force: bool = typer.Option(False, "--force", help="Replace a non-empty --out folder (as a whole, at the end)."),
    as_json: bool = typer.Option(False, "--json", help="Claims, verdicts and file list as JSON on stdout."),
) -> None:
    """Regenerate Fig. 2e-l, 4e,f and 5a-c (PNG, SVG), the claims table (Markdown, JSON) and report.html."""
    from interlayer.progress import RichProgress
    from interlayer.reproduce import check_out, reproduce

    check_out(out, force)  # exit 2 before any work
    preset = "quick" if quick else "full"
    # a bar on stderr (stdout stays one JSON document with --json): the step now running, steps done/total
    summary = reproduce(out, preset=preset, force=force,
                        progress=RichProgress(err_console, unit="steps", elapsed=True))
    if as_json:
        emit_json(summary)
        return
    from rich.table import Table

    c = summary["counts"]
    table = Table(title=f"{c['agrees']} agree, {c['partial']} partial, {c['disagrees']} disagree "
                        f"({summary['wall_time_s']:.0f} s, {preset})", title_justify="left")
    for col in ("claim", "verdict", "ours"):
        table.add_column(col, overflow="fold")
    style = {"agrees": "green", "partial": "yellow", "disagrees": "red"}
    for claim in summary["claims"]:
        table.add_row(claim["id"], f"[{style[claim['verdict']]}]{claim['verdict']}[/]", claim["ours"])
    err_console.print(table)
    err_console.print(f"wrote {out}/report.html, claims.md, claims.json and {len(summary['files']) - 3} figure files")


def register(app: typer.Typer) -> None:
    app.command("reproduce")(reproduce_command)
