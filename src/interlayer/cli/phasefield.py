"""``interlayer phasefield``: Li growth into a lithiophilic or lithiophobic porous interlayer (2D)."""

from __future__ import annotations

import math
from pathlib import Path

import typer

from interlayer.cli._common import emit_json, err_console, output_path, require
from interlayer.errors import InputError
from interlayer.inputs import cli_command
from interlayer.inputs.phasefield import PhaseFieldInputs
from interlayer.units import MAH_CM2, MPA, UM


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
    from interlayer.plotting import phasefield as pfplot
    from interlayer.progress import NullProgress, Part, RichProgress

    n = int(ds.sizes["time"])
    outputs: list[str] = []
    bar = RichProgress(err_console, unit="steps") if show_progress else NullProgress()  # nothing drawn off a terminal
    bar.start(2 * n + 1 + int(netcdf), "writing frames")  # frames, GIF frames, summary figure (, NetCDF)
    try:
        frames = pfplot.save_frames(ds, out_dir / "frames", progress=Part(bar))
        outputs += [str(p) for p in frames]
        bar.describe("writing GIF")
        outputs.append(str(pfplot.save_gif(ds, out_dir / "zeta.gif", progress=Part(bar), frames=frames)))
        bar.describe("writing summary figure")
        summary = out_dir / "penetration.png"
        pfplot.penetration_and_inventory(ds).savefig(summary, dpi=120)
        bar.advance()
        outputs.append(str(summary))
        if netcdf:
            bar.describe("writing NetCDF")
            nc = out_dir / "phasefield.nc"
            ds.to_netcdf(nc)
            bar.advance()
            outputs.append(str(nc))
    finally:
        bar.close()
    return outputs


@cli_command(PhaseFieldInputs)
def phasefield_command(
    inputs: PhaseFieldInputs,
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

    theta, theta_source = inputs.contact_angle_and_source()
    output_path(report, "report", (".html", ".htm"))
    out_dir = _prepare_out(out, netcdf)
    ms = inputs.build_microstructure({k: PhaseFieldInputs.option_name(k) for k in PhaseFieldInputs.declared()})
    ds = pf.simulate(
        ms,
        progress=True,  # stderr: stdout stays pure JSON with --json
        allow_stabilisation=False,
        **inputs.simulate_kwargs(),
    )
    inputs.record(ds)  # the inputs as declared (the NetCDF file keeps them)
    outputs = _write_outputs(ds, out_dir, netcdf, show_progress=True) if out_dir is not None else []
    depth = float(ds.penetration_depth.values[-1])
    warnings = ds.attrs["warnings"].split(" | ") if ds.attrs["warnings"] else []
    summary = {
        "penetration_depth_um": depth * UM,
        "li_volume_change_mAh_cm2": float(ds.li_inventory.values[-1]) * MAH_CM2,
        "plated_capacity_mAh_cm2": float(ds.plated_charge.values[-1]) * MAH_CM2,
        "faradaic_capacity_mAh_cm2": float(ds.faradaic_charge.values[-1]) * MAH_CM2,
        "nonfaradaic_capacity_mAh_cm2": float(ds.nonfaradaic_charge.values[-1]) * MAH_CM2,
        "li_inventory_error": float(ds.li_inventory_error),
        "li_volume_decreased_under_plating": bool(ds.li_volume_decreased_under_plating),
        "breakthrough": bool(ds.breakthrough),
        "wall_time_s": ds.attrs["wall_time_s"],
        "contact_angle_deg": math.degrees(theta),
        "contact_angle_source": theta_source,
        "microstructure": ms.kind,
        "porosity": ms.porosity,
        "interlayer_thickness_um": ms.interlayer_thickness * UM,
        "initial_front_height_um": float(ds.initial_front_height) * UM,
        "steps": int(ds.steps_taken),
        "time_s": float(ds.time.values[-1]),
        "dt_s": ds.attrs["dt_s"],
        "dt_stability_limit_s": float(ds.dt_stability_limit),
        "stop_reason": ds.attrs["stop_reason"],
        "warnings": warnings,
        "definitions": DEFINITIONS,
        "outputs": outputs,
    }
    if "young_laplace_entry_pressure" in ds:
        summary["young_laplace_entry_pressure_MPa"] = float(ds.young_laplace_entry_pressure) * MPA
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
