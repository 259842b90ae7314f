"""``interlayer transport``: the Poisson-Nernst-Planck interlayer model, 1D or 2D."""

from __future__ import annotations

import typer

from interlayer.cli._common import FIGURE_SUFFIXES, emit_json, err_console, output_path, save_figure
from interlayer.inputs import cli_command
from interlayer.inputs.transport import TransportInputs
from interlayer.units import MA_CM2


@cli_command(TransportInputs)
def transport_command(
    inputs: TransportInputs,
    out: str = typer.Option(None, "--out", help="Write the result to this NetCDF file."),
    plot: str = typer.Option(None, "--plot", help="Write a figure (PNG) of the profiles or maps."),
    report: str = typer.Option(None, "--report", help="Write a self-contained HTML report (FILE.html)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable summary on stdout."),
) -> None:
    """Solve Li+/electron PNP transport in the interlayer; growth (eq. 9) and nucleation (eq. 10) maps."""
    from interlayer.transport import pnp

    output_path(plot, "plot", FIGURE_SUFFIXES)  # fail before any work
    output_path(out, "out", (".nc",))
    output_path(report, "report", (".html", ".htm"))
    kwargs = inputs.kwargs()
    material, t = kwargs.pop("material"), kwargs["time"]
    if not as_json:
        err_console.print(f"[bold]PNP[/bold] {material}, {inputs.dim}D, {kwargs['current_density'] * MA_CM2:g} mA/cm2, "
                          f"{'steady state' if t is None else f'{t:g} s'} ...")
    if t is None:  # a steady solve: no time to show progress against
        ds = pnp.run(material, **kwargs)
    else:
        from interlayer.progress import RichProgress

        ds = pnp.run(material, progress=RichProgress(err_console), **kwargs)
    inputs.record(ds)  # the inputs as declared, in the result's attrs (and its --out file)
    if out is not None:
        pnp.write_netcdf(ds, out)
    result = pnp.summary(ds)
    if plot:
        from interlayer.plotting.transport import pnp_figure

        save_figure(pnp_figure(ds), plot)
    if report:
        from interlayer.report.commands import transport_report

        transport_report(report, ds)
    if as_json:
        emit_json(result)
        return
    for key, value in result.items():
        err_console.print(f"  {key:32s} {value}")


def register(app: typer.Typer) -> None:
    app.command("transport")(transport_command)
