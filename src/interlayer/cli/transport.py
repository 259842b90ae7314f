"""``interlayer transport``: the Poisson-Nernst-Planck interlayer model, 1D or 2D."""

from __future__ import annotations

import typer

from interlayer.cli._common import (
    FIGURE_SUFFIXES,
    TEMPERATURE_EXAMPLE,
    TIME_EXAMPLE,
    emit_json,
    err_console,
    output_path,
    quantity,
    require,
    save_figure,
)
from interlayer.limits import check_bound


def transport_command(
    material: str = typer.Option("lni-5cnt", "--material", help="Interlayer material (see `interlayer materials`)."),
    dim: int = typer.Option(1, "--dim", help="1: planar stack; 2: Li anode with a triangular protrusion."),
    contact_angle: str = typer.Option(None, "--contact-angle", help="Li contact angle, e.g. '120 deg' (default: the material's)."),
    current: str = typer.Option(None, "--current", help="Plating current density (default 1 mA/cm2; bare number: mA/cm2)."),
    voltage: str = typer.Option(None, "--voltage", help="Potentiostatic: SSE-side potential vs Li, e.g. '50 mV' (bare number: V); replaces --current."),
    time: str = typer.Option(None, "--time", help="Evolution time from equilibrium with a unit (default 2 s; with --until-nucleation the limit, default 1 h)."),
    steady: bool = typer.Option(False, "--steady", help="Solve for the steady state instead of --time."),
    until_nucleation: bool = typer.Option(False, "--until-nucleation", help="Stop at the first nucleation (--time is then the limit): where and when it starts."),
    thickness: str = typer.Option("90 um", "--thickness", help="Interlayer thickness (bare number: um)."),
    temperature: str = typer.Option("25 degC", "--temperature", help="Temperature with a unit, e.g. '25 degC' or '298 K'."),
    anode_contact: str = typer.Option("butler-volmer", "--anode-contact", help="butler-volmer or blocking."),
    electron_concentration: str = typer.Option(
        None, "--electron-concentration",
        help="Electron carrier density, e.g. '1e24 1/m^3' (default: the material's library value; bare number: 1/m^3)."),
    electron_mobility: str = typer.Option(
        None, "--electron-mobility",
        help="Use the mobility route c_e = sigma_e/(F mu_e) instead, e.g. '1e-3 m^2/(V*s)' (bare number: m^2/(V s))."),
    resolution: str = typer.Option("normal", "--resolution", help="Mesh: coarse, normal or fine."),
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
    require(dim in (1, 2), "dim", f"must be 1 or 2, got {dim}")
    require(anode_contact in ("butler-volmer", "blocking"), "anode-contact",
            f"must be butler-volmer or blocking, got {anode_contact!r}")
    require(resolution in ("coarse", "normal", "fine"), "resolution", f"must be coarse, normal or fine, got {resolution!r}")
    require(current is None or voltage is None, "voltage", "give --current (galvanostatic) or --voltage "
            "(potentiostatic), not both")
    i = quantity("1 mA/cm2" if current is None else current, "A/m^2", "current", default_unit="mA/cm^2")
    check_bound("current_density", i, "current")
    theta = quantity(contact_angle, "rad", "contact-angle", default_unit="deg")
    if theta is not None:
        check_bound("contact_angle", theta, "contact-angle")
    require(not (steady and time is not None), "time", "give --time or --steady, not both")
    if time is None:
        time = "1 h" if until_nucleation else "2 s"
    t = None if steady else quantity(time, "s", "time", require_unit=TIME_EXAMPLE)
    if t is not None:
        check_bound("time", t, "time")
    require(not (steady and until_nucleation), "until-nucleation", "needs a time limit, not --steady")
    l_i = quantity(thickness, "m", "thickness", default_unit="um")
    check_bound("thickness", l_i, "thickness")
    temp = quantity(temperature, "K", "temperature", require_unit=TEMPERATURE_EXAMPLE)
    check_bound("temperature", temp, "temperature")
    n_e = quantity(electron_concentration, "1/m^3", "electron-concentration", default_unit="1/m^3")
    mu_e = quantity(electron_mobility, "m^2/(V*s)", "electron-mobility", default_unit="m^2/(V*s)")
    require(n_e is None or mu_e is None, "electron-mobility", "give --electron-mobility or --electron-concentration, not both")
    if n_e is not None:
        check_bound("carrier_density", n_e, "electron-concentration")
    if mu_e is not None:
        check_bound("electron_mobility", mu_e, "electron-mobility")
    v_app = quantity(voltage, "V", "voltage", default_unit="V")
    if v_app is not None:
        check_bound("voltage", v_app, "voltage")
    if not as_json:
        err_console.print(f"[bold]PNP[/bold] {material}, {dim}D, {i / 10:g} mA/cm2, "
                          f"{'steady state' if t is None else f'{t:g} s'} ...")
    kwargs = dict(dim=dim, current_density=i, contact_angle=theta, time=t, out=out, thickness=l_i,
                  until_nucleation=until_nucleation,
                  temperature=temp, anode_contact=anode_contact, resolution=resolution)
    if n_e is not None:
        kwargs["electron_concentration"] = n_e
    if mu_e is not None:
        kwargs["electron_mobility"] = mu_e
    if v_app is not None:
        kwargs.update(mode="potentiostatic", voltage=v_app, current_density=0.0)
    if t is None:  # a steady solve: no time to show progress against
        ds = pnp.run(material, **kwargs)
    else:
        from rich.progress import Progress

        with Progress(console=err_console, transient=True, disable=not err_console.is_terminal) as bar:
            task = bar.add_task("time stepping", total=t)
            ds = pnp.run(material, progress=lambda now: bar.update(task, completed=now), **kwargs)
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
