"""Figures for cell-data analysis: voltage with events, overpotential per cycle, Nyquist plots.

Built on ``matplotlib.figure.Figure`` (no pyplot state), so they work headless. These functions only
draw what :mod:`interlayer.analysis` computed.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from interlayer.units import HOUR, MA_CM2, MV

# Plot at most this many points per line: a 10^6-sample record drawn in full is slow and looks
# the same at screen resolution (min/max per bucket keep spikes and shorts visible).
MAX_POINTS = 20000


def _envelope(t: np.ndarray, v: np.ndarray, max_points: int = MAX_POINTS):
    """Min/max per bucket so that spikes survive the thinning."""
    if t.size <= max_points:
        return t, v
    n = max_points // 2
    edges = np.linspace(0, t.size, n + 1).astype(np.int64)
    lo = np.minimum.reduceat(v, edges[:-1])
    hi = np.maximum.reduceat(v, edges[:-1])
    tt = t[edges[:-1]]
    return np.repeat(tt, 2), np.column_stack([lo, hi]).ravel()


def voltage_axes(ax, record, result) -> None:
    """Voltage vs time (hours) with shorts (red) and detected spikes (triangles) marked."""
    d = record.data
    t, v = _envelope(d["time"].to_numpy() * HOUR, d["voltage"].to_numpy())
    ax.plot(t, v, lw=0.6, color="0.2")
    hc = result.half_cycles
    det = hc["spike_detected"].values
    if det.any():
        ts = hc["spike_time"].values[det] * HOUR
        sign = np.sign(hc["current"].values[det])
        ax.plot(ts, hc["spike_peak_V"].values[det] * sign, "v", color="tab:orange", ms=4, label="nucleation spike")
    for ev in result.shorts:
        ax.axvline(ev.time * HOUR, color="tab:red", lw=1.2, ls="--", label=f"{ev.kind} short")
    ax.set_xlabel("time (h)")
    ax.set_ylabel("voltage (V)")
    if det.any() or result.shorts:
        ax.legend(loc="best", fontsize=8)


def overpotential_axes(ax, result) -> None:
    """Plateau overpotential and spike height per cycle."""
    cyc = result.cycles
    c = cyc["cycle"].values
    ax.plot(c, cyc["overpotential_V"].values * MV, "o-", ms=3, label="plateau overpotential")
    det = cyc["spike_detected"].values.astype(bool)
    ax.plot(c[det], cyc["spike_V"].values[det] * MV, "v", color="tab:orange", ms=4, label="spike V_sp")
    for ev in result.shorts:
        ax.axvline(ev.cycle, color="tab:red", lw=1.2, ls="--")
    ax.set_xlabel("cycle")
    ax.set_ylabel("voltage (mV)")
    ax.legend(loc="best", fontsize=8)


def analysis_figure(record, result) -> Figure:
    """Two panels: voltage vs time with events; overpotential and V_sp vs cycle."""
    fig = Figure(figsize=(8, 6), layout="constrained")
    ax1, ax2 = fig.subplots(2, 1)
    voltage_axes(ax1, record, result)
    overpotential_axes(ax2, result)
    title = record.source.split("/")[-1]
    if result.ccd.ccd is not None:
        title += f"  -  CCD {result.ccd.ccd * MA_CM2:.3g} mA/cm2"
    fig.suptitle(title, fontsize=10)
    return fig


def nyquist_figure(fit) -> Figure:
    """Nyquist plot (-Im Z vs Re Z, equal axes) of the data and the fitted circuit."""
    fig = Figure(figsize=(6, 5), layout="constrained")
    ax = fig.subplots()
    ax.plot(fit.z.real, -fit.z.imag, "o", ms=3, label="measured")
    order = np.argsort(fit.frequency)
    ax.plot(fit.z_fit.real[order], -fit.z_fit.imag[order], "-", label=f"fit {fit.circuit}")
    ax.set_xlabel("Re Z (ohm)")
    ax.set_ylabel("-Im Z (ohm)")
    ax.set_aspect("equal", adjustable="datalim")
    ax.legend(loc="best", fontsize=8)
    return fig


def spectra_figure(res) -> Figure:
    """Several spectra of one record: Nyquist plots (colour = time) and the fitted resistances
    against time, with the cycle on a top axis. ``res``: :class:`interlayer.analysis.spectra.SpectrumFits`."""
    from matplotlib import colormaps

    fig = Figure(figsize=(11, 4.5), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    t = res.table
    cmap = colormaps["viridis"]
    n = max(len(res.fits) - 1, 1)
    for k, fit in enumerate(res.fits):
        if fit is None:
            continue
        c = cmap(k / n)
        ax1.plot(fit.z.real, -fit.z.imag, "o", ms=2, color=c)
        order = np.argsort(fit.frequency)
        ax1.plot(fit.z_fit.real[order], -fit.z_fit.imag[order], "-", lw=0.8, color=c)
    ax1.set_xlabel("Re Z (ohm)")
    ax1.set_ylabel("-Im Z (ohm)")
    ax1.set_aspect("equal", adjustable="datalim")
    ax1.set_title(f"{len(res.fits)} spectra, {res.circuit} (dark: first)", fontsize=9)
    x = t["time"].to_numpy() * HOUR if np.isfinite(t["time"]).all() else t["spectrum"].to_numpy()
    rnames = [c for c in t.columns if c.startswith("R") and c[1:].isdigit()]
    for name in rnames:
        ok = t["fit_ok"].to_numpy()
        ax2.plot(x, t[name], "-", lw=0.6, color="0.6")
        if ok.any():
            ax2.plot(x[ok], t[name].to_numpy()[ok], "o", ms=3, label=f"{name} (fit trusted)")
        if (~ok).any():
            ax2.plot(x[~ok], t[name].to_numpy()[~ok], "x", ms=4, label=f"{name} (not trusted)")
    ax2.set_yscale("log")
    ax2.set_xlabel("time (h)" if np.isfinite(t["time"]).all() else "spectrum")
    ax2.set_ylabel("fitted resistance (ohm)")
    if t["cycle"].max() > 0:
        top = ax2.twiny()
        top.set_xlim(ax2.get_xlim())
        top.set_xticks(x)
        top.set_xticklabels([str(c) for c in t["cycle"]], fontsize=6)
        top.set_xlabel("cycle before the spectrum", fontsize=8)
    ax2.legend(loc="best", fontsize=7)
    return fig
