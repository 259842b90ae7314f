"""The virtual cell's trace: voltage over time with the state underneath, failure marked."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from interlayer.units import HOUR, MA_CM2, MAH_CM2, UM


def trace(ds, title: str | None = None) -> Figure:
    """Three stacked panels over time (h): voltage; Li in the pores and at the electrolyte face per
    side (mAh/cm^2) with the filament length; cell resistance (ohm). The failure is marked."""
    fig = Figure(figsize=(8.0, 7.0), layout="constrained")
    ax_v, ax_li, ax_r = fig.subplots(3, 1, sharex=True, height_ratios=[2, 1.3, 1])
    t = ds.time.values * HOUR
    ax_v.plot(t, ds.voltage.values, lw=0.8, color="k")
    ax_v.set_ylabel("voltage (V)")
    for side, colour in (("A", "#2166ac"), ("B", "#b2182b")):
        ax_li.plot(t, ds[f"li_in_pores_{side}"].values * MAH_CM2, color=colour, lw=1, label=f"Li in pores, {side}")
        ax_li.plot(t, ds[f"li_at_sse_{side}"].values * MAH_CM2, color=colour, lw=1, ls="--",
                   label=f"Li at electrolyte face, {side}")
    ax_li.set_ylabel("Li (mAh cm$^{-2}$)")
    ax_li.legend(fontsize=7, ncol=2, loc="upper left")
    ax_f = ax_li.twinx()
    ax_f.plot(t, np.maximum(ds.filament_A.values, ds.filament_B.values) * UM, color="#762a83", lw=0.8, alpha=0.7)
    ax_f.set_ylabel("filament (µm)", color="#762a83")
    r = ds.resistance.values
    ax_r.plot(t, np.where(np.isfinite(r), r, np.nan), color="#1b7837", lw=1)
    ax_r.set_yscale("log")
    ax_r.set_ylabel("resistance (Ω)")
    ax_r.set_xlabel("time (h)")
    mode = ds.failure_mode.item() if "failure_mode" in ds else "none"
    if mode != "none" and math.isfinite(float(ds.get("failure_time", math.nan))):
        tf = float(ds.failure_time) * HOUR
        for ax in (ax_v, ax_li, ax_r):
            ax.axvline(tf, color="r", ls=":", lw=1)
        ax_v.annotate(f"{mode} at {float(ds.critical_current) * MA_CM2:.3g} mA/cm$^2$", (tf, 0.95),
                      xycoords=("data", "axes fraction"), ha="right", va="top", fontsize=8, color="r")
    ax_v.set_title(title or f"{ds.attrs.get('layers', '')}, {ds.attrs.get('electrolyte', '')} separator")
    return fig
