"""Paper Fig. 2e-j evaluated as the paper's Methods state it: a uniform overpotential in eq. 10.

The Methods say the overpotential in eq. 10 "is the applied overpotential": one number for the whole
layer. Then the exponential factor exp(-kappa dG*/(k_B T)) is the same at every point of every layer
(all three have the same contact angle), and the nucleation-rate map is the prefactor alone,

    J(x) / J_max = (c_Li+ c_e)(x) / max over the three layers of (c_Li+ c_e),

c_Li+ and c_e the solid's local concentrations after the same 2 s transient (the fields of the
physical evaluation, :func:`interlayer.transport.pnp.fig2.compare_with_paper`). Its value does not
depend on which applied overpotential is assumed, so long as it is the same for the three layers.

Such a map has no threshold: every point nucleates at some rate. What a reader of a colour map sees is
where the colour stands out, so a node counts as "nucleating" when its normalised rate is at least
:data:`VISIBLE_FRACTION` of the shared maximum (a tenth of the colour scale). The choice matters and is
reported: :func:`threshold_window` gives the range of that fraction over which each reading holds.
Each map is then classified by the package's own classifier,
:func:`interlayer.transport.pnp.fig2.nucleation_pattern`, on a summary built from the map the same way
the physical summary is built from J and J_th (volume fraction above threshold, share of the
above-threshold weight in the anode half, the SSE face).

Only public outputs of :mod:`interlayer.transport.pnp` are read: the dataset variables ``c_li``,
``c_e``, ``volume`` and the coordinates, and the attributes ``porosity``, ``l_i_um`` and ``dim``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from interlayer.errors import InputError
from interlayer.transport.pnp.fig2 import PAPER_PATTERNS, nucleation_pattern

#: A node "nucleates" in the paper-literal map when J / J_max >= this (see the module docstring).
VISIBLE_FRACTION = 0.1


def depth_of(ds: xr.Dataset) -> np.ndarray:
    """Distance of every node from the flat anode plane, m (1D: ``x``; 2D: ``y``)."""
    return np.asarray(ds["x"].values if int(ds.attrs["dim"]) == 1 else ds["y"].values, dtype=float)


def prefactor(ds: xr.Dataset) -> np.ndarray:
    """c_Li+ c_e of the solid at every node, (mol/m^3)^2 (eq. 10's prefactor up to constants)."""
    solid = 1.0 - float(ds.attrs.get("porosity", 0.0))
    return np.asarray(ds["c_li"].values, dtype=float) * np.asarray(ds["c_e"].values, dtype=float) / solid**2


def literal_summary(ds: xr.Dataset, normalised: np.ndarray, visible_fraction: float) -> dict:
    """The keys :func:`nucleation_pattern` reads, from a normalised paper-literal map.

    The rate keys hold dimensionless normalised rates here (J / J_max and the threshold fraction):
    the classifier only compares them with each other.
    """
    depth = depth_of(ds)
    l_i = float(ds.attrs["l_i_um"]) * 1e-6
    volume = np.asarray(ds["volume"].values, dtype=float)
    visible = normalised >= visible_fraction
    weight = np.where(visible, normalised * volume, 0.0)
    total = float(weight.sum())
    sse = depth >= l_i * (1.0 - 1e-9)
    half = depth <= 0.5 * l_i
    present = bool(visible.any())
    return {
        "nucleation_present": present,
        "nucleation_rate_sse_m3_s": float(normalised[sse].max()) if sse.any() else 0.0,
        "nucleation_threshold_m3_s": float(visible_fraction),
        "nucleation_region_fraction": float(volume[visible].sum() / volume.sum()),
        "nucleation_fraction_anode_half": float(weight[half].sum() / total) if present and total > 0 else None,
        "normalised_max": float(normalised.max()),
        "normalised_sse": float(normalised[sse].max()) if sse.any() else 0.0,
        "normalised_anode": float(normalised[depth <= depth.min() + 1e-12 * l_i].max()),
    }


@dataclass
class LiteralComparison:
    """Rows (JSON-able dicts, one per layer) and the normalised maps, keyed by material."""

    visible_fraction: float
    rows: list[dict]
    maps: dict[str, np.ndarray] = field(repr=False)
    window: dict = field(default_factory=dict)

    @property
    def agreements(self) -> int:
        return sum(row["agrees"] for row in self.rows)

    def to_dict(self) -> dict:
        return {"evaluation": "paper-literal", "visible_fraction": self.visible_fraction, "layers": self.rows,
                "agreements": self.agreements, "of": len(self.rows), "threshold_window": self.window,
                "meaning": MEANING}


MEANING = ("eq. 10 with the applied (uniform) overpotential, as the paper's Methods state: the map is "
           "c_Li+ c_e normalised to one shared maximum over the three layers; a node counts as nucleating "
           "where it is at least the visible fraction of that maximum")


def _patterns(datasets: dict[str, xr.Dataset], maps: dict[str, np.ndarray], fraction: float) -> dict[str, str]:
    return {name: nucleation_pattern(literal_summary(datasets[name], maps[name], fraction)) for name in maps}


def threshold_window(datasets: dict[str, xr.Dataset], maps: dict[str, np.ndarray], n: int = 301) -> dict:
    """Visible fractions (log grid 1e-3 .. 1) over which each layer, and all three, read as the paper's.

    Returns ``{"all": [low, high] or None, "<material>": [low, high] or None, ...}``: the smallest and
    largest fraction on the grid at which the pattern equals the paper's (the set need not be one
    interval; ``all_intervals`` lists the contiguous runs where all three agree).
    """
    grid = np.geomspace(1e-3, 1.0, n)
    ok: dict[str, list[bool]] = {name: [] for name in maps}
    for f in grid:
        for name, pattern in _patterns(datasets, maps, float(f)).items():
            ok[name].append(pattern == PAPER_PATTERNS.get(name))
    result: dict = {}
    for name, flags in ok.items():
        hits = grid[np.asarray(flags)]
        result[name] = [float(hits.min()), float(hits.max())] if hits.size else None
    every = np.all([np.asarray(v) for v in ok.values()], axis=0)
    result["all"] = [float(grid[every].min()), float(grid[every].max())] if every.any() else None
    runs, start = [], None
    for k, flag in enumerate(every):
        if flag and start is None:
            start = k
        if start is not None and (not flag or k == len(every) - 1):
            end = k if flag else k - 1
            runs.append([float(grid[start]), float(grid[end])])
            start = None
    result["all_intervals"] = runs
    return result


def paper_literal(datasets: dict[str, xr.Dataset], visible_fraction: float = VISIBLE_FRACTION) -> LiteralComparison:
    """Evaluate the three layers' fields the paper-literal way and classify each against the paper.

    Parameters
    ----------
    datasets : dict of str to xarray.Dataset
        Solved PNP fields keyed by material, e.g. ``compare_with_paper(...).datasets`` (all the same
        dimension).
    visible_fraction : float
        Fraction of the shared maximum from which a node counts as nucleating, in (0, 1].

    Returns
    -------
    LiteralComparison
    """
    if not (0.0 < visible_fraction <= 1.0):
        raise InputError("visible_fraction", f"must be in (0, 1], got {visible_fraction!r}")
    if not datasets:
        raise InputError("datasets", "needs at least one solved layer")
    raw = {name: prefactor(ds) for name, ds in datasets.items()}
    shared = max(float(np.max(v)) for v in raw.values())
    if not shared > 0:
        raise InputError("datasets", "c_Li+ c_e is zero everywhere")
    maps = {name: v / shared for name, v in raw.items()}
    rows = []
    for name, ds in datasets.items():
        s = literal_summary(ds, maps[name], visible_fraction)
        pattern = nucleation_pattern(s)
        paper = PAPER_PATTERNS.get(name)
        rows.append({"material": name, "paper_pattern": paper, "pattern": pattern, "agrees": pattern == paper,
                     "region_fraction": s["nucleation_region_fraction"],
                     "anode_half_share": s["nucleation_fraction_anode_half"],
                     "normalised_max": s["normalised_max"], "normalised_anode": s["normalised_anode"],
                     "normalised_sse": s["normalised_sse"]})
    return LiteralComparison(visible_fraction, rows, maps, threshold_window(datasets, maps))
