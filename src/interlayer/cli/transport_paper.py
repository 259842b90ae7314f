"""``interlayer transport-paper``: the three interlayer classes of paper Fig. 2e-j, ours vs the paper's."""

from __future__ import annotations

import typer

from interlayer.cli._common import (
    FIGURE_SUFFIXES,
    TIME_EXAMPLE,
    emit_json,
    err_console,
    output_path,
    quantity,
    require,
    save_figure,
)
from interlayer.limits import check_bound
from interlayer.units import MV


def transport_paper_command(
    dim: int = typer.Option(1, "--dim", help="1: planar stack; 2: Li anode with a triangular protrusion (the paper's)."),
    current: str = typer.Option("1 mA/cm2", "--current", help="Plating current density (bare number: mA/cm2)."),
    time: str = typer.Option(None, "--time", help="Evolution time from equilibrium with a unit (default 2 s; with --until-nucleation the limit, default 1 h)."),
    until_nucleation: bool = typer.Option(False, "--until-nucleation", help="Stop each layer at its first nucleation and classify where it starts."),
    steady: bool = typer.Option(False, "--steady", help="Steady state instead of --time."),
    contact_angle: str = typer.Option(None, "--contact-angle", help="Li contact angle, e.g. '90 deg' (default: 120 deg)."),
    cnt_carrier_density: str = typer.Option(
        "1e26 1/m^3", "--cnt-carrier-density",
        help="Free-electron density inside the CNTs (literature 1e25-1e26 1/m^3; bare number: 1/m^3)."),
    exchange_current: str = typer.Option(
        None, "--exchange-current", help="i0 of the Li|layer contact (default: from its interface resistance; bare number: mA/cm2)."),
    resolution: str = typer.Option("normal", "--resolution", help="Mesh: coarse, normal or fine."),
    evaluation: str = typer.Option("physical", "--evaluation", help="physical: eq. 10 with the local overpotential (default); paper-literal: with the applied (uniform) one, as the paper's Methods state."),
    plot: str = typer.Option(None, "--plot", help="Write the side-by-side figure (PNG)."),
    report: str = typer.Option(None, "--report", help="Write a self-contained HTML report (FILE.html)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable comparison on stdout."),
) -> None:
    """Run LNI-0.5/5/50% CNT under one set of conditions and classify each nucleation map against the paper."""
    from interlayer.transport.pnp.fig2 import compare_with_paper

    output_path(plot, "plot", FIGURE_SUFFIXES)  # fail before any work
    output_path(report, "report", (".html", ".htm"))
    require(evaluation in ("physical", "paper-literal"), "evaluation", f"must be physical or paper-literal, got {evaluation!r}")
    require(dim in (1, 2), "dim", f"must be 1 or 2, got {dim}")
    require(resolution in ("coarse", "normal", "fine"), "resolution", f"must be coarse, normal or fine, got {resolution!r}")
    i = quantity(current, "A/m^2", "current", default_unit="mA/cm^2")
    check_bound("current_density", i, "current")
    require(not (steady and until_nucleation), "until-nucleation", "needs a time limit, not --steady")
    require(not (steady and time is not None), "time", "give --time or --steady, not both")
    if time is None:
        time = "1 h" if until_nucleation else "2 s"
    t = None if steady else quantity(time, "s", "time", require_unit=TIME_EXAMPLE)
    if t is not None:
        check_bound("time", t, "time")
    theta = quantity(contact_angle, "rad", "contact-angle", default_unit="deg")
    if theta is not None:
        check_bound("contact_angle", theta, "contact-angle")
    rho = quantity(cnt_carrier_density, "1/m^3", "cnt-carrier-density", default_unit="1/m^3")
    check_bound("carrier_density", rho, "cnt-carrier-density")
    i0 = quantity(exchange_current, "A/m^2", "exchange-current", default_unit="mA/cm^2")
    if i0 is not None:
        check_bound("exchange_current", i0, "exchange-current")
    kwargs: dict = dict(dim=dim, current_density=i, time=t, contact_angle=theta, cnt_carrier_density=rho,
                  exchange_current_density=i0, resolution=resolution, until_nucleation=until_nucleation)
    from interlayer.progress import RichProgress

    # progress on stderr in every mode (stdout stays one JSON document with --json): the layer now running
    comparison = compare_with_paper(progress=RichProgress(err_console, unit="layers"), **kwargs)
    literal = None
    if evaluation == "paper-literal" or report:
        from interlayer.reproduce.paper_literal import paper_literal

        literal = paper_literal(comparison.datasets)
    if plot:
        from interlayer.plotting.transport import paper_comparison_figure
        from interlayer.reproduce.figures import literal_figure

        figure = literal_figure(comparison, literal) if evaluation == "paper-literal" else paper_comparison_figure(comparison)
        save_figure(figure, plot)
    if report:
        from interlayer.report.commands import transport_paper_report

        transport_paper_report(report, comparison, literal)
    if as_json:
        emit_json({**comparison.to_dict(), "evaluation": evaluation,
                   **({"paper_literal": literal.to_dict()} if evaluation == "paper-literal" and literal is not None else {})})
        return
    from rich.table import Table

    table = Table(title=f"Fig. 2e-j: {comparison.agreements}/3 layers show the paper's pattern")
    for col in ("layer", "ours", "paper", "eta anode/SSE mV", "eta_c mV", "d90 um", "t s"):
        table.add_column(col, no_wrap=True)
    for r in comparison.rows:
        depth = r["nucleation_depth_90_um"]
        ours = f"none by {r['time_s']:g} s" if r["limit_reached"] else r["pattern"]
        table.add_row(r["material"].removeprefix("lni-"), ours, r["paper_pattern"],
                      f"{r['eta_anode_V'] * MV:.1f}/{r['eta_sse_V'] * MV:.1f}", f"{r['critical_overpotential_V'] * MV:.1f}",
                      "-" if depth is None else f"{depth:.2f}",
                      "steady" if r["time_s"] is None else f"{r['time_s']:.3g}")
    err_console.print(table)
    if evaluation == "paper-literal" and literal is not None:  # literal is set for paper-literal
        window = literal.window.get("all")
        err_console.print(f"paper-literal (uniform overpotential, visible from {literal.visible_fraction:g} of the shared "
                          f"maximum): {literal.agreements}/3 agree: " + ", ".join(
                              f"{r['material'].removeprefix('lni-')} {r['pattern']} (paper {r['paper_pattern']})"
                              for r in literal.rows)
                          + ("; all three hold for visible fractions " + f"{window[0]:.3g}-{window[1]:.3g}" if window else ""))


def register(app: typer.Typer) -> None:
    app.command("transport-paper")(transport_paper_command)
