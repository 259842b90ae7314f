"""Design figures: l_n and l_g against current with the regimes shaded (the paper's Fig. 4e)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

REGIME_COLOURS = {"stable": "#d9f0d3", "dead-li": "#fee8c8", "sse-nucleation": "#fcbba1", "growth-through": "#d4b9da"}


def lengths_vs_current(ds, title: str | None = None) -> Figure:
    """l_n and l_g (um) against current density (mA/cm^2), regimes shaded, l_i dashed."""
    fig = Figure(figsize=(6.4, 4.2), layout="constrained")
    ax = fig.add_subplot()
    i = ds.current_density.values * 0.1
    meanings = ds.regime.attrs["flag_meanings"].split()
    codes = ds.regime.values
    edges = np.concatenate([[i[0]], 0.5 * (i[1:] + i[:-1]), [i[-1]]])
    seen = set()
    for k, code in enumerate(codes):
        label = meanings[int(code)]
        ax.axvspan(edges[k], edges[k + 1], color=REGIME_COLOURS[label], lw=0,
                   label=None if label in seen else label)
        seen.add(label)
    ax.plot(i, ds.l_n.values * 1e6, "o-", ms=3, color="#b2182b", label="nucleation length $l_n$")
    ax.plot(i, ds.l_g.values * 1e6, "s-", ms=3, color="#2166ac", label="growth length $l_g$")
    ax.axhline(ds.attrs["thickness_m"] * 1e6, ls="--", color="k", lw=1, label="thickness $l_i$")
    ax.set_xlabel("current density (mA cm$^{-2}$)")
    ax.set_ylabel("length (µm)")
    ax.set_ylim(0, ds.attrs["thickness_m"] * 1e6 * 1.08)
    ax.set_xlim(edges[0], edges[-1])
    ax.set_title(title or ds.attrs.get("layers", ""))
    ax.legend(fontsize=8, loc="upper left")
    return fig
