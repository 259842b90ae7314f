"""``interlayer map``: a regime map (phase diagram) over two design axes."""

from __future__ import annotations

import typer

from interlayer.cli._common import (
    FIGURE_SUFFIXES,
    emit_json,
    err_console,
    interval,
    output_path,
    require,
    save_figure,
    save_netcdf,
)
from interlayer.units import DISPLAY

#: The map's axes: (SI unit, unit of a bare number), from the one display table.
AXIS_UNITS = {name: (DISPLAY[name].si, DISPLAY[name].unit)
              for name in ("sigma_e", "sigma_ion", "contact_angle", "thickness", "porosity", "current_density",
                           "half_cycle_time", "capacity", "temperature")}


def _axis(name: str, text: str, n: int):
    import numpy as np

    from interlayer.errors import InputError

    if name not in AXIS_UNITS:
        raise InputError("axis", f"unknown axis {name!r}; allowed: {', '.join(AXIS_UNITS)}")
    unit, default = AXIS_UNITS[name]
    # a bare temperature is ambiguous (degC or K): ask for units
    example = "'20degC:80degC' or '293K:353K'" if name == "temperature" else None
    lo, hi = interval(text, unit, name, default_unit=default, require_unit=example)
    if not 0 < lo < hi:
        raise InputError(name, f"need 0 < LOW < HIGH, got {text!r}")
    return np.geomspace(lo, hi, n) if name in ("sigma_e", "sigma_ion") else np.linspace(lo, hi, n)


def map_command(
    x: str = typer.Option("sigma_e", help="Horizontal axis name."),
    x_range: str = typer.Option("1e-8:1e-1", "--x-range", help="LOW:HIGH in the axis' display unit (S/cm, um, mA/cm2, deg, h...)."),
    y: str = typer.Option("current_density", help="Vertical axis name."),
    y_range: str = typer.Option("0.1:4", "--y-range", help="LOW:HIGH."),
    material: str = typer.Option("lni-5cnt", help="Library material for the fixed parameters."),
    points: int = typer.Option(200, help="Points per axis."),
    plot: str = typer.Option(None, "--plot", help="Write the regime map to this PNG."),
    out: str = typer.Option(None, "--out", help="Write the map as NetCDF."),
    as_json: bool = typer.Option(False, "--json", help="Print regime fractions as JSON."),
) -> None:
    """Stability regimes over two axes (others fixed at the material's values), paper materials marked."""
    from interlayer import materials
    from interlayer.design.maps import design_map

    require(x != y, "y", "must differ from x")
    require(2 <= points <= 2000, "points", f"must be in [2, 2000], got {points}")
    output_path(plot, "plot", FIGURE_SUFFIXES)  # fail before any work
    # a map's NetCDF: about 8 float64 variables per point plus headers
    output_path(out, "out", (".nc",), size_hint=8 * 8 * points * points + 65536)
    axes = {x: _axis(x, x_range, points), y: _axis(y, y_range, points)}
    ds = design_map(material=material, **axes)
    if out:
        save_netcdf(ds, out, "out")
    if plot:
        from interlayer.plotting.design import regime_map

        # the paper's LNI-CNT materials: a point where both axes are material properties, else a line
        marks = {}
        for name in ("lni-0p5cnt", "lni-5cnt", "lni-50cnt"):
            m = materials.get(name)
            props = {"sigma_e": m["sigma_e"], "sigma_ion": m["sigma_ion"]}
            if x in props or y in props:
                marks[name] = (props.get(x), props.get(y))
        save_figure(regime_map(ds, x, y, marks), plot)
    meanings = ds.regime.attrs["flag_meanings"].split()
    fractions = {m: float((ds.regime == k).mean()) for k, m in enumerate(meanings)}
    if as_json:
        emit_json({"x": x, "y": y, "material": material, "points": points * points, "regime_fractions": fractions})
    else:
        from rich.table import Table

        table = Table(title=f"{material}: regimes over {x} x {y} ({points} x {points} points)")
        table.add_column("regime")
        table.add_column("share of the map", justify="right")
        for regime, share in fractions.items():
            table.add_row(regime, f"{share:.1%}")
        err_console.print(table)


def register(app: typer.Typer) -> None:
    app.command("map")(map_command)
