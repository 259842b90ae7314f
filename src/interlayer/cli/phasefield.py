"""``interlayer phasefield``: Li growth into a lithiophilic or lithiophobic porous interlayer (2D)."""

from __future__ import annotations

import math
from pathlib import Path

import typer

from interlayer.cli._common import emit_json, err_console, output_path, quantity, require
from interlayer.errors import InputError
from interlayer.limits import check_bound

WETTING_CHOICES = ("lithiophobic", "lithiophilic")
MICROSTRUCTURE_CHOICES = ("particles", "pores")

#: Options that only apply to one kind of microstructure (CLI name -> kinds it applies to).
GEOMETRY_OPTIONS = {
    "--pore-width": ("pores",),
    "--pore-count": ("pores",),
    "--particle-diameter": ("particles",),
    "--porosity": ("particles",),
    "--seed": ("particles",),
    "--grid": ("particles", "pores"),
    "--pixel-size": ("image",),
}


def _exclusive(given: dict[str, object]) -> None:
    """InputError naming the options if more than one of ``given`` (CLI name -> value or None) is set."""
    names = [name for name, value in given.items() if value is not None]
    if len(names) > 1:
        raise InputError(names[0].lstrip("-"), f"conflicts with {', '.join(names[1:])}: give only one of "
                                               f"{', '.join(given)}")


def _contact_angle(wetting: str | None, contact_angle: str | None, material: str | None) -> tuple[float, str]:
    """theta (rad) and where it came from: exactly one of --contact-angle, --material, --wetting
    (default: --wetting lithiophobic, 120 deg); two of them are a conflict (InputError)."""
    from interlayer.phasefield.parameters import DEFAULT_CONTACT_ANGLES

    _exclusive({"--wetting": wetting, "--contact-angle": contact_angle, "--material": material})
    if contact_angle is not None:
        theta = quantity(contact_angle, "rad", "contact-angle", default_unit="deg")
        require(0 < theta < math.pi, "contact-angle", f"must be in (0, 180) deg exclusive, got {contact_angle!r}")
        return theta, "--contact-angle"
    if material is not None:
        try:
            from interlayer import materials
        except ImportError:
            require(False, "material", "the materials library is not available in this build; use --contact-angle")
        record = materials.get(material)
        try:
            theta = float(record["contact_angle"])
        except KeyError:
            require(False, "material", f"{material!r} has no contact_angle; use --contact-angle")
        require(0 < theta < math.pi, "material", f"{material!r} contact angle {math.degrees(theta):.1f} deg is out of (0, 180)")
        return theta, f"material {material}"
    wetting = "lithiophobic" if wetting is None else wetting
    require(wetting in WETTING_CHOICES, "wetting", f"must be one of {', '.join(WETTING_CHOICES)}, got {wetting!r}")
    return DEFAULT_CONTACT_ANGLES[wetting], f"--wetting {wetting} (default angle)"


def _microstructure_kind(microstructure: str, geometry: dict[str, object]) -> str:
    """'particles', 'pores' or 'image'; InputError for a missing file or an option of another kind."""
    if microstructure in MICROSTRUCTURE_CHOICES:
        kind = microstructure
    else:
        path = Path(microstructure)
        if not path.exists():
            raise InputError("microstructure", f"file {microstructure!r} does not exist; give one of "
                                               f"{', '.join(MICROSTRUCTURE_CHOICES)} or an image (.png, ...) or .npy mask")
        require(path.is_file(), "microstructure", f"{microstructure!r} is not a file; give one of "
                                                  f"{', '.join(MICROSTRUCTURE_CHOICES)} or an image/.npy mask")
        kind = "image"
    for name, value in geometry.items():
        if value is not None and kind not in GEOMETRY_OPTIONS[name]:
            where = "an image microstructure" if GEOMETRY_OPTIONS[name] == ("image",) else (
                "--microstructure " + " or ".join(GEOMETRY_OPTIONS[name]))
            extra = " (an image sets its own grid: one pixel is one cell)" if name == "--grid" else ""
            raise InputError(name.lstrip("-"), f"applies only to {where}, not to --microstructure "
                                               f"{microstructure!r}{extra}")
    return kind


#: Builder parameter names (API) -> the CLI options that set them.
_BUILDER_FIELDS = {"diameter": "particle-diameter", "pore_width": "pore-width", "count": "pore-count",
                   "porosity": "porosity", "grid": "grid", "dx": "size"}


class _option_names:
    """Re-raise a microstructure builder's InputError under the CLI option's name, with the grid spacing.

    ``packed_particles(..., diameter=...)`` names its own argument; the user set ``--particle-diameter``
    (and the size limit it hits depends on ``--grid`` and ``--size``), so say that.
    """

    def __init__(self, side: float, grid: int):
        self.side, self.grid = side, grid

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is InputError and exc.field in _BUILDER_FIELDS:
            option = _BUILDER_FIELDS[exc.field]
            spacing = (f" (cell {self.side / self.grid * 1e6:.3g} um = --size {self.side * 1e6:.4g} um / "
                       f"--grid {self.grid}; a finer --grid or a larger --{option} may help)")
            raise InputError(option, exc.message + spacing) from None
        return False


def _prepare_out(out: str | None, netcdf: bool) -> Path | None:
    """Check (and create) the --out folder before the run; InputError (exit 2) if it cannot be."""
    if out is None:
        require(not netcdf, "netcdf", "needs --out DIR")
        return None
    out_dir = Path(output_path(out, "out", directory=True))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError("out", f"cannot create folder {out!r} ({exc.strerror or exc})") from None
    return out_dir


def _write_outputs(ds, out_dir: Path, netcdf: bool, show_progress: bool) -> list[str]:
    """Frames, GIF, summary figure (and NetCDF) with a progress bar on stderr; returns the paths.

    Everything is written into a hidden temporary folder inside ``out_dir`` and moved into place only
    when all of it was written: a full disk or a read-only folder leaves no partial frame, GIF or
    NetCDF file (InputError naming ``out``, exit 2).
    """
    import contextlib
    import os
    import shutil
    import tempfile

    from interlayer.cli._common import _why

    try:
        staging = Path(tempfile.mkdtemp(prefix=".partial-", dir=out_dir))
    except OSError as exc:
        raise InputError("out", f"cannot write into {str(out_dir)!r}: {_why(exc)} (nothing written)") from None
    try:
        written = _write_outputs_into(ds, staging, netcdf, show_progress)
        final = []
        for path in written:
            target = out_dir / Path(path).relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            final.append(str(target))
        return final
    except OSError as exc:
        raise InputError("out", f"cannot write into {str(out_dir)!r}: {_why(exc)} (nothing written)") from None
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(staging)


def _write_outputs_into(ds, out_dir: Path, netcdf: bool, show_progress: bool) -> list[str]:
    from rich.progress import BarColumn, Progress, TextColumn

    from interlayer.plotting import phasefield as pfplot

    n = int(ds.sizes["time"])
    outputs: list[str] = []
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  console=err_console, transient=True, disable=not (show_progress and err_console.is_terminal)) as bar:
        task = bar.add_task("writing frames", total=2 * n + 1 + int(netcdf))

        def advance(_k: int) -> None:
            bar.advance(task)

        frames = pfplot.save_frames(ds, out_dir / "frames", callback=advance)
        outputs += [str(p) for p in frames]
        bar.update(task, description="writing GIF")
        outputs.append(str(pfplot.save_gif(ds, out_dir / "zeta.gif", callback=advance, frames=frames)))
        summary = out_dir / "penetration.png"
        pfplot.penetration_and_inventory(ds).savefig(summary, dpi=120)
        bar.advance(task)
        outputs.append(str(summary))
        if netcdf:
            nc = out_dir / "phasefield.nc"
            ds.to_netcdf(nc)
            bar.advance(task)
            outputs.append(str(nc))
    return outputs


def phasefield_command(
    wetting: str = typer.Option(
        None, "--wetting", help="lithiophobic (120 deg, the default) or lithiophilic (30 deg). "
        "Exclusive with --contact-angle and --material."),
    contact_angle: str = typer.Option(None, "--contact-angle", help="Li contact angle on the host, e.g. '120deg'."),
    material: str = typer.Option(None, "--material", help="Take the contact angle from the materials library."),
    microstructure: str = typer.Option(
        "particles", "--microstructure", help="particles, pores, or the path of an image/.npy mask."),
    pore_width: str = typer.Option(None, "--pore-width", help="Slit width for --microstructure pores [default: 1 um]."),
    pore_count: int = typer.Option(None, "--pore-count", help="Number of slits for --microstructure pores [default: 2]."),
    particle_diameter: str = typer.Option(
        None, "--particle-diameter", help="Mean particle diameter (particles) [default: 2 um]."),
    porosity: float = typer.Option(None, "--porosity", help="Target porosity of the particle packing [default: 0.5]."),
    seed: int = typer.Option(None, "--seed", help="Random seed of the particle packing [default: 0]."),
    size: str = typer.Option(
        None, "--size", help="Domain width and height (square domain) [default: 16 um]; for an image, its "
        "width (exclusive with --pixel-size)."),
    pixel_size: str = typer.Option(
        None, "--pixel-size", help="Pixel size of an image microstructure (default size/width); images only."),
    grid: int = typer.Option(
        None, "--grid", help="Cells per direction, 8-4096, particles and pores only [default: 256]; an image "
        "sets its own grid."),
    steps: int = typer.Option(2000, "--steps", help="Number of time steps."),
    dt: str = typer.Option(
        None, "--dt", help="Time step, e.g. '1 ms'; at most the explicit stability bound (printed in the "
        "error if exceeded). Default: 0.8 of it."),
    overpotential: str = typer.Option(
        None, "--overpotential", help="Applied deposition overpotential (> 0 plates) [default: 50 mV]; "
        "exclusive with --current-density."),
    current_density: str = typer.Option(
        None, "--current-density", help="Galvanostatic control, mA/cm2 unless a unit follows (uniform potential)."),
    pressure: str = typer.Option("0 MPa", "--pressure", help="Stack pressure, e.g. '1 MPa'."),
    potential: str = typer.Option(
        None, "--potential", help="poisson (conductivity-weighted solve, the default) or uniform; galvanostatic "
        "runs are always uniform."),
    wetting_form: str = typer.Option("h", "--wetting-form", help="Wetting term: h (default) or digest (eq. 11 as printed)."),
    storage_every: int = typer.Option(None, "--storage-every", help="Snapshot interval in steps (default steps/20)."),
    keep_going: bool = typer.Option(False, "--keep-going", help="Do not stop at breakthrough."),
    out: str = typer.Option(None, "--out", help="Folder for PNG frames, GIF and summary figure (created)."),
    netcdf: bool = typer.Option(False, "--netcdf", help="Also write the Dataset as NetCDF into --out."),
    report: str = typer.Option(None, "--report", help="Write a self-contained HTML report (FILE.html)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable summary on stdout (progress stays on stderr)."),
) -> None:
    """Grow Li from the anode into a porous interlayer and report penetration and Li balance.

    Depth: advance of the highest anode-connected Li surface since t = 0 (negative: it receded).

    Li volume change = Faradaic (Butler-Volmer) + non-Faradaic (capillarity, wetting, pressure) charge.
    """
    from interlayer import phasefield as pf

    theta, theta_source = _contact_angle(wetting, contact_angle, material)
    geometry = {"--pore-width": pore_width, "--pore-count": pore_count, "--particle-diameter": particle_diameter,
                "--porosity": porosity, "--seed": seed, "--grid": grid, "--pixel-size": pixel_size}
    kind = _microstructure_kind(microstructure, geometry)
    grid = 256 if grid is None else grid
    require(grid >= 8, "grid", f"needs at least 8 cells per direction, got {grid}")
    require(grid <= 4096, "grid", f"at most 4096 cells per direction, got {grid}")
    require(steps >= 1, "steps", f"must be >= 1, got {steps}")
    require(storage_every is None or storage_every >= 1, "storage-every", f"must be >= 1, got {storage_every}")
    if kind != "image":  # the memory a run needs, before anything is built (an image: once its size is read)
        from interlayer.phasefield.memory import check_memory

        check_memory(grid, grid, steps, storage_every, field="grid")
    require(seed is None or 0 <= seed <= 2**32 - 1, "seed", f"must be in [0, 2^32 - 1], got {seed}")
    require(pore_count is None or pore_count >= 1, "pore-count", f"must be >= 1, got {pore_count}")
    require(porosity is None or 0.45 <= porosity <= 0.95, "porosity",
            f"must be in [0.45, 0.95] for a random packing, got {porosity}")
    if kind == "image":
        _exclusive({"--size": size, "--pixel-size": pixel_size})
    side = quantity("16 um" if size is None else size, "m", "size", default_unit="um")
    check_bound("pf_size", side, "size")
    _exclusive({"--overpotential": overpotential, "--current-density": current_density})
    eta = quantity("50 mV" if overpotential is None else overpotential, "V", "overpotential", default_unit="mV")
    check_bound("overpotential", eta, "overpotential")
    i_app = quantity(current_density, "A/m^2", "current-density", default_unit="mA/cm^2")
    if i_app is not None:
        check_bound("pf_current_density", i_app, "current-density")
        require(i_app != 0, "current-density", "must not be 0 (give --overpotential 0 for no drive)")
        require(potential in (None, "uniform"), "potential",
                f"{potential!r} conflicts with --current-density (galvanostatic control uses a uniform potential)")
    if potential is None:
        potential = "uniform" if i_app is not None else "poisson"
    p_stack = quantity(pressure, "Pa", "pressure", default_unit="MPa")
    check_bound("pressure", p_stack, "pressure")
    time_step = quantity(dt, "s", "dt", default_unit="s")
    if time_step is not None:
        require(time_step > 0, "dt", f"must be > 0 s, got {dt!r}")
    require(potential in ("poisson", "uniform"), "potential", f"must be poisson or uniform, got {potential!r}")
    require(wetting_form in ("h", "digest"), "wetting-form", f"must be h or digest, got {wetting_form!r}")
    output_path(report, "report", (".html", ".htm"))
    out_dir = _prepare_out(out, netcdf)
    dx = side / grid
    if kind == "particles":
        d = quantity("2 um" if particle_diameter is None else particle_diameter, "m", "particle-diameter",
                     default_unit="um")
        require(d > 0, "particle-diameter", f"must be > 0 um, got {particle_diameter!r}")
        with _option_names(side, grid):
            ms = pf.packed_particles(grid, grid, dx, diameter=d, porosity=0.5 if porosity is None else porosity,
                                     seed=0 if seed is None else seed)
    elif kind == "pores":
        w = quantity("1 um" if pore_width is None else pore_width, "m", "pore-width", default_unit="um")
        require(w > 0, "pore-width", f"must be > 0 um, got {pore_width!r}")
        with _option_names(side, grid):
            ms = pf.straight_pores(grid, grid, dx, width=w, count=2 if pore_count is None else pore_count)
    else:
        path = Path(microstructure)
        mask = pf.microstructure._read_mask(path)
        require(mask.ndim == 2, "image", f"must be a 2D mask, got an array of shape {mask.shape}")
        if pixel_size is not None:
            px = quantity(pixel_size, "m", "pixel-size", default_unit="um")
            require(px > 0, "pixel-size", f"must be > 0, got {pixel_size!r}")
            check_bound("pf_size", px * mask.shape[1], "pixel-size")
        else:
            px = side / mask.shape[1]
        ms = pf.from_image(mask, px)
        ms.info["image"] = str(path)
    ds = pf.simulate(
        ms,
        theta,
        overpotential=eta,
        pressure=p_stack,
        steps=steps,
        dt=time_step,
        potential=potential,
        storage_every=storage_every,
        progress=True,  # stderr: stdout stays pure JSON with --json
        stop_at_breakthrough=not keep_going,
        current_density=i_app,
        wetting_form=wetting_form,
        allow_stabilisation=False,
    )
    outputs = _write_outputs(ds, out_dir, netcdf, show_progress=True) if out_dir is not None else []
    depth = float(ds.penetration_depth.values[-1])
    to_mah_cm2 = 1.0 / 36000.0  # C/m^2 -> mAh/cm^2
    warnings = [] if ds.attrs["warnings"] == "none" else ds.attrs["warnings"].split(" | ")
    summary = {
        "penetration_depth_um": depth * 1e6,
        "li_volume_change_mAh_cm2": float(ds.li_inventory.values[-1]) * to_mah_cm2,
        "plated_capacity_mAh_cm2": float(ds.plated_charge.values[-1]) * to_mah_cm2,
        "faradaic_capacity_mAh_cm2": float(ds.faradaic_charge.values[-1]) * to_mah_cm2,
        "nonfaradaic_capacity_mAh_cm2": float(ds.nonfaradaic_charge.values[-1]) * to_mah_cm2,
        "li_inventory_error": ds.attrs["li_inventory_error"],
        "li_volume_decreased_under_plating": bool(ds.attrs["li_volume_decreased_under_plating"]),
        "breakthrough": bool(ds.attrs["breakthrough"]),
        "wall_time_s": ds.attrs["wall_time_s"],
        "contact_angle_deg": math.degrees(theta),
        "contact_angle_source": theta_source,
        "microstructure": ms.kind,
        "porosity": ms.porosity,
        "interlayer_thickness_um": ms.interlayer_thickness * 1e6,
        "initial_front_height_um": ds.attrs["initial_front_height_m"] * 1e6,
        "steps": ds.attrs["steps"],
        "time_s": float(ds.time.values[-1]),
        "dt_s": ds.attrs["dt_s"],
        "dt_stability_limit_s": ds.attrs["dt_stability_limit_s"],
        "stop_reason": ds.attrs["stop_reason"],
        "warnings": warnings,
        "definitions": DEFINITIONS,
        "outputs": outputs,
    }
    if "young_laplace_entry_pressure_Pa" in ds.attrs:
        summary["young_laplace_entry_pressure_MPa"] = ds.attrs["young_laplace_entry_pressure_Pa"] / 1e6
    for text in warnings:
        err_console.print(f"[yellow]warning:[/] {text}", highlight=False)
    if report:
        from interlayer.report.commands import phasefield_report

        phasefield_report(report, ds, summary)
    if as_json:
        emit_json(summary)
        return
    from rich.table import Table

    table = Table(title=f"phase field: {ms.kind}, θ = {math.degrees(theta):.0f}° ({theta_source})", title_justify="left")
    table.add_column("quantity")
    table.add_column("value", justify="right")
    table.add_column("meaning")
    for key, value in summary.items():
        if key not in ("outputs", "warnings", "definitions"):
            table.add_row(key, f"{value:.4g}" if isinstance(value, float) else str(value), DEFINITIONS.get(key, ""))
    err_console.print(table)
    for written in outputs[-3:]:
        err_console.print(f"wrote {written}")


#: What each reported number means (also in the --json output under "definitions").
DEFINITIONS = {
    "penetration_depth_um": "advance of the highest anode-connected Li surface (zeta = 0.5) since t = 0; "
    "negative: it receded",
    "li_volume_change_mAh_cm2": "change of the Li counted in zeta since t = 0 (= plated, to li_inventory_error)",
    "plated_capacity_mAh_cm2": "integral of the total plating current (Chen 2015 accounting) = Faradaic + "
    "non-Faradaic",
    "faradaic_capacity_mAh_cm2": "integral of i0 Delta(eta) over the Li surface, the Butler-Volmer part "
    "(>= 0 when eta > 0)",
    "nonfaradaic_capacity_mAh_cm2": "Li volume change by capillarity, wetting and stack pressure (Allen-Cahn "
    "is not conservative; can be negative under plating)",
    "li_inventory_error": "relative difference of Li counted in zeta and the integrated current (max over time)",
    "initial_front_height_um": "height of the zeta = 0.5 Li surface above the nominal anode surface at t = 0",
}


def register(app: typer.Typer) -> None:
    app.command("phasefield")(phasefield_command)
