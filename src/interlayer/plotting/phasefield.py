"""Phase-field figures: Li (zeta) over the host, penetration and Li inventory vs time, frames and GIF.

Every function takes the Dataset of :func:`interlayer.phasefield.simulate`; nothing here computes
physics.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from interlayer.units import UAH_CM2, UM


def frame(ds, index: int = -1, title: str | None = None) -> Figure:
    """zeta at one stored time (Li yellow), host grains outlined, penetration depth in the title."""
    fig = Figure(figsize=(4.8, 4.6), layout="constrained")
    ax = fig.add_subplot()
    x = ds.x.values * UM
    y = ds.y.values * UM
    extent = (x[0] - 0.5 * (x[1] - x[0]), x[-1] + 0.5 * (x[1] - x[0]), y[0] - 0.5 * (y[1] - y[0]), y[-1] + 0.5 * (y[1] - y[0]))
    zeta = ds.zeta.isel(time=index).values
    im = ax.imshow(zeta, origin="lower", extent=extent, vmin=0, vmax=1, cmap="viridis", interpolation="nearest")
    ax.contour(x, y, ds.phi_host.values, levels=[0.5], colors="w", linewidths=0.6)
    t = float(ds.time.values[index])
    depth = float(ds.penetration_depth.values[index]) * UM
    ax.set_title(title or f"t = {t:.3g} s, θ = {ds.attrs['contact_angle_deg']:.0f}°, depth {depth:.2f} µm", fontsize=9)
    ax.set_xlabel("x (µm)")
    ax.set_ylabel("y (µm)")
    fig.colorbar(im, ax=ax, shrink=0.8, label="ζ (1 = Li)")
    return fig


def penetration_and_inventory(ds) -> Figure:
    """Penetration depth (µm) and Li inventory vs integrated current and its Faradaic part (µAh/cm^2) vs time."""
    fig = Figure(figsize=(8.0, 3.4), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    t = ds.time.values
    ax1.plot(t, ds.penetration_depth.values * UM, "o-", ms=3)
    ax1.axhline(ds.attrs["interlayer_thickness_m"] * UM, ls="--", color="k", lw=1, label="interlayer thickness")
    ax1.set_xlabel("time (s)")
    ax1.set_ylabel("penetration depth (µm)")
    ax1.legend(fontsize=8)
    ax2.plot(t, ds.li_inventory.values * UAH_CM2, "o-", ms=3, label="Li counted in ζ")
    ax2.plot(t, ds.plated_charge.values * UAH_CM2, "--", label="∫ plating current dt")
    if "faradaic_charge" in ds:
        ax2.plot(t, ds.faradaic_charge.values * UAH_CM2, ":", label="Faradaic (Butler-Volmer) part")
    ax2.set_xlabel("time (s)")
    ax2.set_ylabel("Li (µAh cm$^{-2}$)")
    ax2.legend(fontsize=8)
    return fig


def save_frames(ds, directory, prefix: str = "frame", dpi: int = 80, progress=None) -> list[Path]:
    """Write one PNG per stored time into ``directory``; returns the paths.

    Parameters
    ----------
    ds : xarray.Dataset
        From :func:`interlayer.phasefield.simulate`.
    directory : str or Path
        Created if missing.
    prefix : str
        File names are ``{prefix}_{k:04d}.png``.
    dpi : int
        Resolution, dots per inch.
    progress : interlayer.progress.Progress, optional
        Told ``start(stored times, "writing frames")``, ``advance()`` after each frame is written and
        ``close()``, also on an error (:mod:`interlayer.progress`).
    """
    from interlayer.progress import as_progress

    n = ds.sizes["time"]
    report = as_progress(progress)
    report.start(n, "writing frames")
    try:
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for k in range(n):
            path = out / f"{prefix}_{k:04d}.png"
            frame(ds, k).savefig(path, dpi=dpi)
            paths.append(path)
            report.advance()
        return paths
    finally:
        report.close()


def save_gif(ds, path, dpi: int = 70, duration_ms: int = 250, progress=None, frames=None) -> Path:
    """Animated GIF of the stored frames (pillow).

    Parameters
    ----------
    ds : xarray.Dataset
        From :func:`interlayer.phasefield.simulate`.
    path : str or Path
        The GIF file.
    dpi : int
        Resolution, dots per inch.
    duration_ms : int
        Display time per frame, ms.
    progress : interlayer.progress.Progress, optional
        Told ``start(stored times, "writing GIF")``, ``advance()`` after each frame is rendered (or
        read) and ``close()``, also on an error (:mod:`interlayer.progress`).
    frames : sequence of path, optional
        PNG files already written by :func:`save_frames` (one per stored time): read instead of
        rendering every frame again (rendering is most of the time; ``dpi`` is then theirs).
    """
    from PIL import Image

    from interlayer.progress import as_progress

    n = ds.sizes["time"]
    if frames is not None and len(frames) != n:
        raise ValueError(f"frames: {len(frames)} files for {n} stored times")
    report = as_progress(progress)
    report.start(n, "writing GIF")
    try:
        images = []
        for k in range(n):
            if frames is not None:
                with Image.open(frames[k]) as img:
                    images.append(img.convert("RGB").convert("P", palette=Image.Palette.ADAPTIVE))
            else:
                buf = io.BytesIO()
                frame(ds, k).savefig(buf, format="png", dpi=dpi)
                buf.seek(0)
                images.append(Image.open(buf).convert("P", palette=Image.Palette.ADAPTIVE))
            report.advance()
        path = Path(path)
        images[0].save(path, save_all=True, append_images=images[1:], duration=duration_ms, loop=0)
        return path
    finally:
        report.close()


def frames_array(ds) -> np.ndarray:
    """zeta of all stored times as a (time, y, x) array, top row first (image orientation)."""
    return ds.zeta.values[:, ::-1, :]
