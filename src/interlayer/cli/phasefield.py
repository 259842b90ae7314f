"""``interlayer phasefield``: Li growth into a lithiophilic or lithiophobic porous interlayer (2D)."""

from __future__ import annotations

import math
from pathlib import Path

import typer

from interlayer.cli._common import emit_json, err_console, quantity, require

WETTING_CHOICES = ("lithiophobic", "lithiophilic")


def _contact_angle(wetting: str | None, contact_angle: str | None, material: str | None) -> tuple[float, str]:
    """theta (rad) and where it came from: --contact-angle > --material > --wetting (default lithiophobic)."""
    from interlayer.phasefield.parameters import DEFAULT_CONTACT_ANGLES

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
    wetting = wetting or "lithiophobic"
    require(wetting in WETTING_CHOICES, "wetting", f"must be one of {', '.join(WETTING_CHOICES)}, got {wetting!r}")
    return DEFAULT_CONTACT_ANGLES[wetting], f"--wetting {wetting} (default angle)"


def phasefield_command(
    wetting: str = typer.Option(None, "--wetting", help="lithiophobic (120 deg) or lithiophilic (30 deg)."),
    contact_angle: str = typer.Option(None, "--contact-angle", help="Li contact angle on the host, e.g. '120deg'."),
    material: str = typer.Option(None, "--material", help="Take the contact angle from the materials library."),
    microstructure: str = typer.Option("particles", "--microstructure", help="particles, pores, or an image/.npy mask."),
    pore_width: str = typer.Option("1 um", "--pore-width", help="Slit width for --microstructure pores."),
    pore_count: int = typer.Option(2, "--pore-count", help="Number of slits for --microstructure pores."),
    particle_diameter: str = typer.Option("2 um", "--particle-diameter", help="Mean particle diameter."),
    porosity: float = typer.Option(0.5, "--porosity", help="Target porosity of the particle packing."),
    seed: int = typer.Option(0, "--seed", help="Random seed of the particle packing."),
    size: str = typer.Option("16 um", "--size", help="Domain width and height (square domain)."),
    pixel_size: str = typer.Option(None, "--pixel-size", help="Pixel size of an image microstructure (default size/width)."),
    grid: int = typer.Option(256, "--grid", help="Cells per direction (>= 8); an image sets its own grid."),
    steps: int = typer.Option(2000, "--steps", help="Number of time steps."),
    dt: str = typer.Option(None, "--dt", help="Time step, e.g. '1 ms' (default: 0.8 of the stability bound)."),
    overpotential: str = typer.Option("50 mV", "--overpotential", help="Applied deposition overpotential (> 0 plates)."),
    current_density: str = typer.Option(None, "--current-density", help="Galvanostatic control, mA/cm2 unless a unit follows."),
    pressure: str = typer.Option("0 MPa", "--pressure", help="Stack pressure, e.g. '1 MPa'."),
    potential: str = typer.Option("poisson", "--potential", help="poisson (conductivity-weighted solve) or uniform."),
    wetting_form: str = typer.Option("h", "--wetting-form", help="Wetting term: h (default) or digest (eq. 11 as printed)."),
    storage_every: int = typer.Option(None, "--storage-every", help="Snapshot interval in steps (default steps/20)."),
    keep_going: bool = typer.Option(False, "--keep-going", help="Do not stop at breakthrough."),
    out: str = typer.Option(None, "--out", help="Directory for PNG frames, GIF and summary figure."),
    netcdf: bool = typer.Option(False, "--netcdf", help="Also write the Dataset as NetCDF into --out."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable summary on stdout."),
) -> None:
    """Grow Li from the anode into a porous interlayer and report penetration and Li balance."""
    from interlayer import phasefield as pf

    require(grid >= 8, "grid", f"needs at least 8 cells per direction, got {grid}")
    require(grid <= 4096, "grid", f"at most 4096 cells per direction, got {grid}")
    require(steps >= 1, "steps", f"must be >= 1, got {steps}")
    theta, theta_source = _contact_angle(wetting, contact_angle, material)
    side = quantity(size, "m", "size", default_unit="um")
    require(side > 0, "size", f"must be > 0 um, got {size!r}")
    eta = quantity(overpotential, "V", "overpotential", default_unit="mV")
    require(abs(eta) <= 1.0, "overpotential", f"must be within +-1 V, got {overpotential!r}")
    i_app = quantity(current_density, "A/m^2", "current-density", default_unit="mA/cm^2")
    p_stack = quantity(pressure, "Pa", "pressure", default_unit="MPa")
    require(p_stack >= 0, "pressure", f"must be >= 0, got {pressure!r}")
    time_step = quantity(dt, "s", "dt", default_unit="s")
    if time_step is not None:
        require(time_step > 0, "dt", f"must be > 0 s, got {dt!r}")
    require(potential in ("poisson", "uniform"), "potential", f"must be poisson or uniform, got {potential!r}")
    require(wetting_form in ("h", "digest"), "wetting-form", f"must be h or digest, got {wetting_form!r}")
    dx = side / grid
    if microstructure == "particles":
        d = quantity(particle_diameter, "m", "particle-diameter", default_unit="um")
        require(d > 0, "particle-diameter", f"must be > 0 um, got {particle_diameter!r}")
        ms = pf.packed_particles(grid, grid, dx, diameter=d, porosity=porosity, seed=seed)
    elif microstructure == "pores":
        w = quantity(pore_width, "m", "pore-width", default_unit="um")
        require(w > 0, "pore-width", f"must be > 0 um, got {pore_width!r}")
        ms = pf.straight_pores(grid, grid, dx, width=w, count=pore_count)
    else:
        path = Path(microstructure)
        require(path.is_file(), "microstructure", f"must be particles, pores or an image file; {microstructure!r} is none")
        mask = pf.microstructure._read_mask(path)
        require(mask.ndim == 2, "image", f"must be a 2D mask, got an array of shape {mask.shape}")
        px = quantity(pixel_size, "m", "pixel-size", default_unit="um") if pixel_size else side / mask.shape[1]
        require(px > 0, "pixel-size", f"must be > 0, got {pixel_size!r}")
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
        progress=not as_json,
        stop_at_breakthrough=not keep_going,
        current_density=i_app,
        wetting_form=wetting_form,
    )
    outputs = []
    if out:
        from interlayer.plotting import phasefield as pfplot

        out_dir = Path(out)
        out_dir.mkdir(parents=True, exist_ok=True)
        outputs += [str(p) for p in pfplot.save_frames(ds, out_dir / "frames")]
        outputs.append(str(pfplot.save_gif(ds, out_dir / "zeta.gif")))
        summary = out_dir / "penetration.png"
        pfplot.penetration_and_inventory(ds).savefig(summary, dpi=120)
        outputs.append(str(summary))
        if netcdf:
            nc = out_dir / "phasefield.nc"
            ds.to_netcdf(nc)
            outputs.append(str(nc))
    elif netcdf:
        require(False, "netcdf", "needs --out DIR")
    depth = float(ds.penetration_depth.values[-1])
    summary = {
        "penetration_depth_um": depth * 1e6,
        "li_inventory_error": ds.attrs["li_inventory_error"],
        "breakthrough": bool(ds.attrs["breakthrough"]),
        "wall_time_s": ds.attrs["wall_time_s"],
        "plated_capacity_mAh_cm2": float(ds.plated_charge.values[-1]) / 36000.0,
        "contact_angle_deg": math.degrees(theta),
        "contact_angle_source": theta_source,
        "microstructure": ms.kind,
        "porosity": ms.porosity,
        "interlayer_thickness_um": ms.interlayer_thickness * 1e6,
        "steps": ds.attrs["steps"],
        "time_s": float(ds.time.values[-1]),
        "dt_s": ds.attrs["dt_s"],
        "stop_reason": ds.attrs["stop_reason"],
        "outputs": outputs,
    }
    if "young_laplace_entry_pressure_Pa" in ds.attrs:
        summary["young_laplace_entry_pressure_MPa"] = ds.attrs["young_laplace_entry_pressure_Pa"] / 1e6
    if as_json:
        emit_json(summary)
        return
    from rich.table import Table

    table = Table(title=f"phase field: {ms.kind}, θ = {math.degrees(theta):.0f}° ({theta_source})", title_justify="left")
    table.add_column("quantity")
    table.add_column("value", justify="right")
    for key, value in summary.items():
        if key != "outputs":
            table.add_row(key, f"{value:.4g}" if isinstance(value, float) else str(value))
    err_console.print(table)
    for path in outputs[-3:]:
        err_console.print(f"wrote {path}")


def register(app: typer.Typer) -> None:
    app.command("phasefield")(phasefield_command)
