"""Figures for the PNP transport results (``interlayer.transport.pnp``): never computes physics."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from interlayer.units import MA_CM2, MV, UM


def pnp_figure(ds) -> Figure:
    """Profiles (1D) or maps (2D) of a :func:`interlayer.transport.pnp.run` dataset.

    1D: overpotential ``eta`` and the normalised nucleation rate against depth. 2D: the normalised
    nucleation-rate map with the Li surface coloured by the normalised growth rate (as paper Fig. 2e-j).
    """
    fig = Figure(figsize=(9, 4), layout="constrained")
    t = ds.attrs.get("time_s")  # absent for a steady state
    when = "steady state" if t is None else f"t = {float(t):g} s"
    if ds.attrs.get("control_mode") == "potentiostatic":
        drive = f"{ds.attrs.get('voltage_V', 0) * MV:g} mV at the SSE"
    else:
        drive = f"{ds.attrs.get('current_density_A_m2', 0) * MA_CM2:g} mA/cm2"
    title = (f"{ds.attrs.get('material', '')}, {drive}, "
             f"{when}, theta = {ds.attrs.get('contact_angle_deg', 0):.0f} deg")
    tau = ds.attrs.get("relaxation_time_s")
    if isinstance(tau, int | float | np.floating):  # the electron-concentration assumption behind the maps
        title += f"\nelectrons: {ds.attrs.get('electron_route', '') or 'given c_e'}, relaxation time tau = {float(tau):.3g} s"
    if int(ds.attrs.get("dim", 1)) == 1:
        ax1, ax2 = fig.subplots(1, 2)
        x_um = ds["x"].values * UM
        ax1.plot(x_um, ds["eta"].values * MV, color="C0")
        ax1.set_xlabel("distance from Li anode (um)")
        ax1.set_ylabel("eta = phi_ion - phi_e (mV)")
        ax2.plot(x_um, ds["nucleation_rate_normalised"].values, color="C3")
        ax2.set_xlabel("distance from Li anode (um)")
        ax2.set_ylabel("nucleation rate (normalised)")
        ax2.set_ylim(-0.05, 1.05)
        nucleation_depth_marker(ax2, ds)
    else:
        ax1, ax2 = fig.subplots(1, 2)
        x_um, y_um = ds["x"].values * UM, ds["y"].values * UM
        tri = ds["triangles"].values
        tc = ax1.tripcolor(x_um, y_um, tri, ds["eta"].values * MV, shading="gouraud", cmap="viridis")
        fig.colorbar(tc, ax=ax1, label="eta (mV)")
        tn = ax2.tripcolor(x_um, y_um, tri, ds["nucleation_rate_normalised"].values, shading="gouraud",
                           cmap="magma", vmin=0, vmax=1)
        fig.colorbar(tn, ax=ax2, label="nucleation rate (normalised)")
        sx, sy = ds["surface_x"].values * UM, ds["surface_y"].values * UM
        for ax in (ax1, ax2):
            sc = ax.scatter(sx, sy, c=ds["growth_rate_normalised"].values, cmap="coolwarm", vmin=0, vmax=1, s=12,
                            edgecolors="none")
            ax.set_aspect("equal")
            ax.set_xlabel("x (um)")
            ax.set_ylabel("distance from anode (um)")
        fig.colorbar(sc, ax=ax2, label="growth rate on Li (normalised)", location="bottom", shrink=0.6)
    fig.suptitle(title)
    return fig


def nucleation_depth_marker(ax, ds) -> None:
    """Draw the 90 % nucleation depth (if any) as a vertical line on a 1D axis."""
    if "nucleation_depth_90" in ds and np.isfinite(ds.nucleation_depth_90.values):
        ax.axvline(float(ds.nucleation_depth_90.values) * UM, color="0.4", ls="--", lw=1)


def paper_comparison_figure(comparison) -> Figure:
    """Paper Fig. 2e-j, ours beside the paper's reading: one column per interlayer class.

    1D: eta(x) with eta_c and the nucleating depths shaded; 2D: the normalised nucleation-rate maps.
    Each title names our pattern and the paper's.
    """
    rows = comparison.rows
    fig = Figure(figsize=(4 * len(rows), 4.6), layout="constrained")
    axes = fig.subplots(1, len(rows), squeeze=False)[0]
    for ax, row in zip(axes, rows, strict=True):
        ds = comparison.datasets[row["material"]]
        verdict = "agrees" if row["agrees"] else "DISAGREES"
        onset = row.get("nucleation_onset_s")
        when = f" at t = {onset:.3g} s" if onset is not None else ""
        if row.get("limit_reached"):
            when = f" by the {row['time_s']:g} s limit"
        ax.set_title(f"{row['material']}: {row['pattern']}{when}\npaper: {row['paper_pattern']} ({verdict})", fontsize=10)
        if int(ds.attrs.get("dim", 1)) == 1:
            x_um = ds["x"].values * UM
            ax.plot(x_um, ds["eta"].values * MV, color="C0", label="eta")
            ax.axhline(row["critical_overpotential_V"] * MV, color="C3", ls="--", lw=1, label="eta_c")
            nucleating = ds["nucleation_rate"].values >= ds.attrs["nucleation_threshold_m3_s"]
            ax.fill_between(x_um, 0, 1, where=nucleating, color="C3", alpha=0.15, transform=ax.get_xaxis_transform(),
                            label="J >= J_th")
            ax.set_xlabel("distance from Li anode (um)")
            ax.set_ylabel("eta (mV)")
            ax.legend(fontsize=8, loc="best")
        else:
            x_um, y_um = ds["x"].values * UM, ds["y"].values * UM
            # log10(J / J_th) where nucleation counts (>= 0), so the nucleating region and how far above the
            # threshold it is both show; a linear normalised map is dark except at its maximum
            excess = np.log10(np.maximum(ds["nucleation_rate"].values, 1e-300) / ds.attrs["nucleation_threshold_m3_s"])
            tn = ax.tripcolor(x_um, y_um, ds["triangles"].values, np.clip(excess, 0.0, None), shading="gouraud",
                              cmap="magma", vmin=0.0, vmax=12.0)
            ax.set_aspect("equal")
            ax.set_xlabel("x (um)")
            ax.set_ylabel("distance from anode (um)")
    if len(rows) and int(comparison.datasets[rows[-1]["material"]].attrs.get("dim", 1)) == 2:
        fig.colorbar(tn, ax=axes.tolist(), label="log10(J / J_th) where J >= J_th", shrink=0.8)
    c = comparison.conditions
    if c.get("until_nucleation"):
        when = f"first nucleation (limit {c['time_s']:g} s)"
    else:
        when = "steady state" if c["time_s"] is None else f"t = {c['time_s']:g} s"
    fig.suptitle(f"PNP vs paper Fig. 2e-j: {c['current_density_A_m2'] * MA_CM2:g} mA/cm2, {when}, "
                 f"CNT carrier density {c['cnt_carrier_density_m3']:.2g} m^-3 - {comparison.agreements}/{len(rows)} agree")
    return fig
