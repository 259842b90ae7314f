"""Design figures: l_n and l_g against current with the regimes shaded (the paper's Fig. 4e)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from interlayer.units import DISPLAY, MA_CM2, UM

REGIME_COLOURS = {"stable": "#d9f0d3", "dead-li": "#fee8c8", "sse-nucleation": "#fcbba1", "growth-through": "#d4b9da",
                  "contact-focusing": "#fb6a4a", "contact-loss": "#fdd0a2"}


def lengths_vs_current(ds, title: str | None = None) -> Figure:
    """l_n and l_g (um) against current density (mA/cm^2), regimes shaded, l_i dashed."""
    fig = Figure(figsize=(6.4, 4.2), layout="constrained")
    ax = fig.add_subplot()
    i = ds.current_density.values * MA_CM2
    meanings = ds.regime.attrs["flag_meanings"].split()
    codes = ds.regime.values
    edges = np.concatenate([[i[0]], 0.5 * (i[1:] + i[:-1]), [i[-1]]])
    if edges[-1] == edges[0]:  # one current: give its band a width
        edges = np.array([0.9 * i[0], 1.1 * i[0]])
    seen = set()
    for k, code in enumerate(codes):
        label = meanings[int(code)]
        ax.axvspan(edges[k], edges[k + 1], color=REGIME_COLOURS[label], lw=0,
                   label=None if label in seen else label)
        seen.add(label)
    ax.plot(i, ds.l_n.values * UM, "o-", ms=3, color="#b2182b", label="nucleation length $l_n$")
    ax.plot(i, ds.l_g.values * UM, "s-", ms=3, color="#2166ac", label="growth length $l_g$")
    ax.axhline(ds.attrs["thickness_m"] * UM, ls="--", color="k", lw=1, label="thickness $l_i$")
    ax.set_xlabel("current density (mA cm$^{-2}$)")
    ax.set_ylabel("length (µm)")
    ax.set_ylim(0, ds.attrs["thickness_m"] * UM * 1.08)
    ax.set_xlim(edges[0], edges[-1])
    ax.set_title(title or ds.attrs.get("layers", ""))
    ax.legend(fontsize=8, loc="upper left")
    return fig


# display units: the ones the CLI reads bare numbers in (S/cm, deg, um, mA/cm2, ...), from one table
AXIS_SCALE = {name: (d.factor, d.scale) for name, d in DISPLAY.items()}
AXIS_LABEL = {name: d.axis_label for name, d in DISPLAY.items()}


def _unit(axis: str) -> str:
    """The display unit inside an axis label, e.g. 'S/cm' (empty for dimensionless axes)."""
    label = AXIS_LABEL[axis]
    return label[label.index("(") + 1:label.rindex(")")] if "(" in label else ""


def regime_map(ds, x: str, y: str, points: dict[str, tuple[float | None, float | None]] | None = None) -> Figure:
    """Phase diagram of the stability regime over two map axes (others fixed), with labelled points.

    ``points`` maps a label to (x, y) in the dataset's SI units (e.g. the paper's materials); a None
    coordinate draws a line across that axis instead of a point.
    """
    from matplotlib.colors import BoundaryNorm, ListedColormap

    meanings = ds.regime.attrs["flag_meanings"].split()
    cmap = ListedColormap([REGIME_COLOURS[m] for m in meanings])
    norm = BoundaryNorm(np.arange(len(meanings) + 1) - 0.5, len(meanings))
    fig = Figure(figsize=(6.4, 4.8), layout="constrained")
    ax = fig.add_subplot()
    sx, scale_x = AXIS_SCALE[x]
    sy, scale_y = AXIS_SCALE[y]
    regime = ds.regime.transpose(y, x).values
    mesh = ax.pcolormesh(ds[x].values * sx, ds[y].values * sy, regime, cmap=cmap, norm=norm, shading="nearest")
    cbar = fig.colorbar(mesh, ax=ax, ticks=range(len(meanings)))
    cbar.ax.set_yticklabels(meanings)
    ax.set_xscale(scale_x)
    ax.set_yscale(scale_y)
    ax.set_xlabel(AXIS_LABEL[x])
    ax.set_ylabel(AXIS_LABEL[y])
    for label, (px, py) in (points or {}).items():
        if px is not None and py is not None:
            ax.plot(px * sx, py * sy, "k*", ms=10)
            ax.annotate(label, (px * sx, py * sy), textcoords="offset points", xytext=(5, -12), fontsize=8)
        elif px is not None:
            ax.axvline(px * sx, color="k", ls=":", lw=1)
            ax.annotate(label, (px * sx, 0.98), xycoords=("data", "axes fraction"), rotation=90, va="top",
                        ha="right", fontsize=8)
        elif py is not None:
            ax.axhline(py * sy, color="k", ls=":", lw=1)
            ax.annotate(label, (0.01, py * sy), xycoords=("axes fraction", "data"), va="bottom", fontsize=8)
    fixed = [f"{AXIS_LABEL[k].split(' (')[0]} {v * AXIS_SCALE[k][0]:.3g} {_unit(k)}".rstrip()
             for k, v in ds.attrs.items() if k in AXIS_SCALE and k not in (x, y)]
    half = (len(fixed) + 1) // 2
    ax.set_title("fixed: " + ", ".join(fixed[:half]) + "\n" + ", ".join(fixed[half:]), fontsize=7)
    return fig
