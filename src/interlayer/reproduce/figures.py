"""The reproduced figure panels (Matplotlib ``Figure`` objects; drawing only, no physics).

Each function takes :class:`~interlayer.reproduce.runs.Results` and returns one figure; the names
match the files ``reproduce`` writes (``fig2ej_physical``, ``fig2ej_paper_literal``, ``fig2kl``,
``fig4e``, ``fig4f``, ``fig5ac``).
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from interlayer.reproduce.runs import CNT_LAYERS, Results, failure_labels
from interlayer.units import MA_CM2, UM

LAYER_LABEL = {"lni-0p5cnt": "LNI-0.5% CNT (ionic)", "lni-5cnt": "LNI-5% CNT (mixed)", "lni-50cnt": "LNI-50% CNT (electronic)"}
#: Regime colours; labels the design model may add later get colours from the cycle below.
KNOWN_COLOURS = {"stable": "#d9f0d3", "dead-li": "#fee8c8", "sse-nucleation": "#fcbba1", "growth-through": "#d4b9da"}
EXTRA_COLOURS = ("#c6dbef", "#fdd0a2", "#e5e5e5", "#fde0ef", "#c7e9c0")


def _colour(label: str, seen: dict) -> str:
    if label in KNOWN_COLOURS:
        return KNOWN_COLOURS[label]
    if label not in seen:
        seen[label] = EXTRA_COLOURS[len(seen) % len(EXTRA_COLOURS)]
    return seen[label]


def fig2ej_physical(results: Results, condition: str = "library") -> Figure:
    """Fig. 2e-j as this package evaluates eq. 10: the local overpotential (default)."""
    from interlayer.plotting.transport import paper_comparison_figure

    return paper_comparison_figure(results.fig2[(condition, results.dim_for(condition))])


def fig2ej_paper_literal(results: Results, condition: str = "library") -> Figure:
    """Fig. 2e-j evaluated paper-literally (see :func:`literal_figure`)."""
    key = (condition, results.dim_for(condition))
    return literal_figure(results.fig2[key], results.fig2_literal[key])


def literal_figure(comparison, literal) -> Figure:
    """Paper-literal maps: c_Li+ c_e over one shared maximum, the visible-fraction contour in white.

    ``comparison`` from :func:`interlayer.transport.pnp.fig2.compare_with_paper`, ``literal`` from
    :func:`interlayer.reproduce.paper_literal.paper_literal` on its datasets.
    """
    rows = {row["material"]: row for row in literal.rows}
    names = list(comparison.datasets)
    dim = int(comparison.datasets[names[0]].attrs["dim"])
    fig = Figure(figsize=(4 * len(names), 4.6), layout="constrained")
    axes = fig.subplots(1, len(names), squeeze=False)[0]
    f = literal.visible_fraction
    mappable = None
    for ax, name in zip(axes, names, strict=True):
        ds = comparison.datasets[name]
        values = literal.maps[name]
        row = rows[name]
        verdict = "agrees" if row["agrees"] else "DISAGREES"
        ax.set_title(f"{name}: {row['pattern']}\npaper: {row['paper_pattern']} ({verdict})", fontsize=10)
        if dim == 1:
            x = ds["x"].values * UM
            ax.plot(x, values, color="C3")
            ax.axhline(f, color="0.3", ls="--", lw=1, label=f"visible from {f:g}")
            ax.fill_between(x, 0, 1, where=values >= f, color="C3", alpha=0.15, transform=ax.get_xaxis_transform())
            ax.set_ylim(0, 1.05)
            ax.set_xlabel("distance from Li anode (µm)")
            ax.set_ylabel("J / J_max (shared, paper-literal)")
            ax.legend(fontsize=8)
        else:
            x, y = ds["x"].values * UM, ds["y"].values * UM
            tri = ds["triangles"].values
            mappable = ax.tripcolor(x, y, tri, values, shading="gouraud", cmap="magma", vmin=0.0, vmax=1.0)
            ax.tricontour(x, y, tri, values, levels=[f], colors="w", linewidths=0.8)
            ax.set_aspect("equal")
            ax.set_xlabel("x (µm)")
            ax.set_ylabel("distance from anode (µm)")
    if mappable is not None:
        fig.colorbar(mappable, ax=axes.tolist(), shrink=0.8,
                     label=f"J / J_max = c_Li+ c_e / shared max (white: {f:g})")
    c = comparison.conditions
    fig.suptitle(f"Paper-literal eq. 10 (uniform applied overpotential): {c['current_density_A_m2'] * MA_CM2:g} mA/cm2, "
                 f"t = {c['time_s']:g} s, CNT carriers {c['cnt_carrier_density_m3']:.2g} m^-3 - "
                 f"{literal.agreements}/{len(names)} agree")
    return fig


def fig2kl(results: Results) -> Figure:
    """Fig. 2k,l: Li (zeta) in the same particle packing, lithiophilic vs lithiophobic, at the last frame."""
    names = [n for n in ("lithiophilic", "lithiophobic") if n in results.phasefield]
    fig = Figure(figsize=(4.6 * len(names), 4.6), layout="constrained")
    axes = fig.subplots(1, len(names), squeeze=False)[0]
    im = None
    for ax, name in zip(axes, names, strict=True):
        ds = results.phasefield[name]
        x, y = ds.x.values * UM, ds.y.values * UM
        dx, dy = x[1] - x[0], y[1] - y[0]
        extent = (x[0] - dx / 2, x[-1] + dx / 2, y[0] - dy / 2, y[-1] + dy / 2)
        im = ax.imshow(ds.zeta.isel(time=-1).values, origin="lower", extent=extent, vmin=0, vmax=1, cmap="viridis",
                       interpolation="nearest")
        ax.contour(x, y, ds.phi_host.values, levels=[0.5], colors="w", linewidths=0.6)
        depth = float(ds.penetration_depth.values[-1]) * UM
        ax.set_title(f"{name}, θ = {ds.attrs['contact_angle_deg']:.0f}°: depth {depth:.2f} µm\n"
                     f"t = {float(ds.time.values[-1]):.3g} s, {ds.attrs['stop_reason']}", fontsize=10)
        ax.set_xlabel("x (µm)")
        ax.set_ylabel("y from current collector (µm)")
    if im is not None:
        fig.colorbar(im, ax=axes.tolist(), shrink=0.8, label="ζ (1 = Li); white: host grains")
    fig.suptitle("Phase field, Fig. 2k,l: same packing, same 50 mV, lithiophilic vs lithiophobic host")
    return fig


def _lengths_axes(ax, ds, title: str) -> None:
    i = ds.current_density.values * MA_CM2
    labels = failure_labels(ds)
    edges = np.concatenate([[i[0]], 0.5 * (i[1:] + i[:-1]), [i[-1]]]) if i.size > 1 else np.array([0.9 * i[0], 1.1 * i[0]])
    seen_extra: dict = {}
    shown = set()
    for k, label in enumerate(labels):
        ax.axvspan(edges[k], edges[k + 1], color=_colour(label, seen_extra), lw=0,
                   label=None if label in shown else label)
        shown.add(label)
    ax.plot(i, ds.l_n.values * UM, "o-", ms=3, color="#b2182b", label="nucleation length $l_n$")
    ax.plot(i, ds.l_g.values * UM, "s-", ms=3, color="#2166ac", label="growth length $l_g$")
    l_i = float(ds.attrs["thickness_m"]) * UM
    ax.axhline(l_i, ls="--", color="k", lw=1, label="thickness $l_i$")
    ax.set_ylim(0, l_i * 1.08)
    ax.set_xlim(edges[0], edges[-1])
    ax.set_xlabel("current density (mA cm$^{-2}$)")
    ax.set_ylabel("length (µm)")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="upper left")


def fig4e(results: Results) -> Figure:
    """Fig. 4e: l_n and l_g against current for the three 90 um layers (1 h half cycles), regimes shaded."""
    names = [n for n in CNT_LAYERS if n in results.design]
    fig = Figure(figsize=(4.6 * len(names), 4.2), layout="constrained")
    axes = fig.subplots(1, len(names), squeeze=False)[0]
    for ax, name in zip(axes, names, strict=True):
        ds = results.design[name]
        _lengths_axes(ax, ds, f"{LAYER_LABEL.get(name, name)}, {float(ds.attrs['thickness_m']) * UM:g} µm")
    fig.suptitle("Fig. 4e: nucleation and growth lengths against current (1 h half cycles)")
    return fig


def fig4f(results: Results) -> Figure:
    """Fig. 4f: V_sp/i (read by analyze from the virtual cell's trace) against the model's l_n."""
    fig = Figure(figsize=(6.4, 4.6), layout="constrained")
    ax = fig.add_subplot()
    vs = results.virtual_spikes
    if vs:
        i, v, ln = vs["current"], vs["spike"], vs["l_n"]
        sel = (v > 0) & (ln > 0)
        sc = ax.scatter(ln[sel] * UM, v[sel] / (i[sel] * MA_CM2), c=i[sel] * MA_CM2, s=12, cmap="viridis")
        fig.colorbar(sc, ax=ax, label="current density (mA cm$^{-2}$)")
        ax.set_xlabel("model nucleation length $l_n$ (µm)")
        ax.set_ylabel("V$_{sp}$ / i read from the trace (V per mA cm$^{-2}$)")
    else:
        ax.text(0.5, 0.5, results.virtualcell, transform=ax.transAxes, ha="center", va="center", fontsize=9, wrap=True)
    ax.set_title("Fig. 4f: spike V_sp/i vs l_n (LNI-5% CNT, 90 µm)", fontsize=10)
    return fig


def fig5ac(results: Results) -> Figure:
    """Fig. 5a-c: homogeneous, dual and gradient LNI-CNT layers (lengths vs current) and their critical currents."""
    archs = ("homogeneous", "dual", "gradient")
    fig = Figure(figsize=(17, 4.2), layout="constrained")
    axes = fig.subplots(1, 4)
    for ax, name in zip(axes[:3], archs, strict=True):
        ds = results.layers_designs.get(name)
        if ds is None or isinstance(ds, str):
            ax.text(0.5, 0.5, f"not available:\n{ds}", ha="center", va="center", transform=ax.transAxes, fontsize=8,
                    wrap=True)
            ax.set_title(name)
            continue
        n_layers = len(str(ds.attrs.get("layers", "")).split(","))
        _lengths_axes(ax, ds, f"{name} ({n_layers} layer{'s' if n_layers > 1 else ''}), "
                              f"{float(ds.attrs['thickness_m']) * UM:g} µm")
    keys = [k for k in results.layers]
    values = [results.layers[k] * MA_CM2 for k in keys]
    finite = [v if math.isfinite(v) else np.nan for v in values]
    bars = axes[3].barh(keys, finite, color=["#2166ac", "#b2182b", "#1a9850", "#999999", "#555555"][: len(keys)])
    for bar, v in zip(bars, values, strict=True):
        axes[3].annotate("> 1000" if not math.isfinite(v) else f"{v:.3g}", (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                         xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    axes[3].invert_yaxis()
    axes[3].set_xlabel("critical current (mA cm$^{-2}$)")
    axes[3].set_title("largest stable current, equal thickness", fontsize=10)
    fig.suptitle("Fig. 5a-c: homogeneous vs dual vs gradient interlayers (54.5 µm, mean 4.5 wt% CNT, 1 h)")
    return fig


#: File stem -> (figure function, title, what it shows).
PANELS = {
    "fig2ej_physical": (fig2ej_physical, "Fig. 2e-j, physical evaluation (default)",
                        "Eq. 10 with the local overpotential eta = phi_ion - phi_e from the PNP fields after 2 s."),
    "fig2ej_paper_literal": (fig2ej_paper_literal, "Fig. 2e-j, paper-literal evaluation",
                             "Eq. 10 with the applied (uniform) overpotential, as the paper's Methods state: only "
                             "c_Li+ c_e varies, shown over one shared maximum of the three layers."),
    "fig2kl": (fig2kl, "Fig. 2k,l, phase field", "Li (zeta) grown at 50 mV into the same particle packing."),
    "fig4e": (fig4e, "Fig. 4e, design lengths", "l_n and l_g against current, 90 um, 1 h half cycles."),
    "fig4f": (fig4f, "Fig. 4f, spike vs l_n", "V_sp read by analyze from the virtual cell's trace against the model's l_n."),
    "fig5ac": (fig5ac, "Fig. 5a-c, architectures", "Homogeneous, dual and gradient layers at equal thickness."),
}
