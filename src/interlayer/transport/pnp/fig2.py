"""Paper Fig. 2e-j side by side: the three interlayer classes under one set of PNP conditions,
classified the way the paper describes its nucleation maps.

Paper (Wang et al. 2024; issue 3): the ionic conductor (LNI-0.5% CNT) grows Li at the protrusion tip
and does not nucleate in the layer; the mixed conductor (LNI-5% CNT) nucleates only near the anode;
the electronic conductor (LNI-50% CNT) nucleates throughout the layer, the SSE surface included.

Classification of a run (:func:`nucleation_pattern`), from the :func:`~interlayer.transport.pnp.summary`:

* ``none``: the nucleation rate stays below J_th everywhere;
* ``throughout``: at least :data:`THROUGHOUT_REGION` of the layer nucleates and so does the SSE face;
* ``anode-side``: at least :data:`ANODE_SIDE_SHARE` of the integrated rate lies in the anode half and
  the SSE face does not nucleate;
* ``sse-side``: at most ``1 - ANODE_SIDE_SHARE`` of it lies in the anode half;
* ``split``: anything else (both halves, less than half the layer).

The electron carrier density of the CNT composites is the least certain input (docs/pnp.md):
``cnt_carrier_density`` sets the free-electron density inside the CNTs (library: 1e26 m^-3, the top of
the 1e25-1e26 m^-3 literature range), and every layer's density is its CNT volume fraction times it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import xarray as xr

from interlayer import carriers, materials
from interlayer.errors import InputError
from interlayer.progress import Progress, as_progress
from interlayer.transport.pnp.api import run, summary
from interlayer.transport.pnp.params import from_material

#: The paper's reading of Fig. 2e-j, one pattern per interlayer class.
PAPER_PATTERNS = {"lni-0p5cnt": "none", "lni-5cnt": "anode-side", "lni-50cnt": "throughout"}
PATTERNS = ("none", "anode-side", "sse-side", "split", "throughout")
#: Share of the integrated nucleation rate in the anode half that counts as "near the anode".
ANODE_SIDE_SHARE = 0.9
#: Volume fraction of the layer above J_th that counts as "throughout".
THROUGHOUT_REGION = 0.5

ROW_KEYS = ("relaxation_time_s", "critical_overpotential_V", "eta_anode_V", "eta_sse_V", "nucleation_region_fraction",
            "nucleation_fraction_anode_half", "nucleation_depth_90_um", "nucleation_distance_90_um", "nucleation_rate_max_m3_s",
            "nucleation_rate_sse_m3_s", "growth_tip_to_base_ratio", "growth_flat_spread",
            "electron_concentration_m3", "nucleation_onset_s", "nucleation_onset_resolution_s", "time_s",
            "nucleation_present", "nucleation_threshold_m3_s", "wall_time_s")


def nucleation_pattern(s: dict) -> str:
    """One of :data:`PATTERNS` for a PNP summary (module docstring)."""
    if not s["nucleation_present"]:
        return "none"
    sse = s["nucleation_rate_sse_m3_s"] >= s["nucleation_threshold_m3_s"]
    if s["nucleation_region_fraction"] >= THROUGHOUT_REGION and sse:
        return "throughout"
    share = s["nucleation_fraction_anode_half"]
    if share >= ANODE_SIDE_SHARE and not sse:
        return "anode-side"
    if share <= 1.0 - ANODE_SIDE_SHARE:
        return "sse-side"
    return "split"


@dataclass
class PaperComparison:
    """Rows (JSON-able dicts, one per layer) and the solved datasets, keyed by material."""

    conditions: dict
    rows: list[dict]
    datasets: dict[str, xr.Dataset] = field(repr=False)

    @property
    def agreements(self) -> int:
        """How many of the three layers show the paper's pattern."""
        return sum(row["agrees"] for row in self.rows)

    def to_dict(self) -> dict:
        return {"conditions": self.conditions, "layers": self.rows,
                "agreements": self.agreements, "of": len(self.rows)}


def compare_with_paper(
    dim: int = 1,
    current_density: float = 10.0,
    time: float | None = 2.0,
    contact_angle: float | None = None,
    cnt_carrier_density: float = carriers.CNT_CARRIER_DENSITY,
    exchange_current_density: float | None = None,
    resolution: str = "normal",
    progress: Progress | None = None,
    until_nucleation: bool = False,
) -> PaperComparison:
    """Run LNI-0.5/5/50% CNT under the same conditions and classify each against the paper.

    Parameters
    ----------
    dim : {1, 2}
        1D stack or 2D with the protrusion (the paper's geometry; growth tip/base only in 2D).
    current_density : float
        A/m^2 (10 A/m^2 = 1 mA/cm^2; the paper does not state Fig. 2's current).
    time : float or None
        Evolution time from equilibrium, s (the paper: 2 s); None: steady state.
    contact_angle : float, optional
        rad; default each material's (120 deg for LNI).
    cnt_carrier_density : float
        Free-electron density inside the CNTs, 1/m^3 (module docstring).
    exchange_current_density : float, optional
        i0 of the Li|layer contact, A/m^2 (default: from the interface resistance, as :func:`from_material`).
    progress : interlayer.progress.Progress, optional
        Told ``start(3, "interlayer classes")``, then ``describe(material)`` before each layer runs and
        ``advance()`` after it, and ``close()``, also on an error (:mod:`interlayer.progress`).
    until_nucleation : bool
        Stop each layer at its first nucleation (``time`` is the limit) and classify where it starts,
        a comparison that does not hang on the paper's arbitrary 2 s.
    """
    if not (math.isfinite(cnt_carrier_density) and cnt_carrier_density > 0):
        raise InputError("cnt_carrier_density", f"must be > 0 1/m^3, got {cnt_carrier_density!r}")
    rows, datasets = [], {}
    report = as_progress(progress)
    report.start(len(PAPER_PATTERNS), "interlayer classes")
    try:
        for name, paper in PAPER_PATTERNS.items():
            report.describe(name)
            n = float(carriers.cnt_electron_density(materials.get(name)["cnt_fraction"], carrier_density=cnt_carrier_density))
            params = from_material(name, contact_angle=contact_angle, electron_concentration=n,
                                   exchange_current_density=exchange_current_density)
            ds = run(params, dim=dim, current_density=current_density, time=time, resolution=resolution,
                     until_nucleation=until_nucleation)
            s = summary(ds)
            pattern = nucleation_pattern(s)
            # with until_nucleation, "none" means only "not within the time limit"
            limit_reached = bool(until_nucleation and s["nucleation_onset_s"] is None)
            row = {"material": name, "paper_pattern": paper, "pattern": pattern,
                   "agrees": pattern == paper and not limit_reached, "limit_reached": limit_reached}
            row.update({k: s[k] for k in ROW_KEYS})
            rows.append(row)
            datasets[name] = ds
            report.advance()
    finally:
        report.close()
    conditions = {"dim": dim, "current_density_A_m2": current_density, "time_s": time,
                  "contact_angle_deg": None if contact_angle is None else round(math.degrees(contact_angle), 9),
                  "cnt_carrier_density_m3": cnt_carrier_density,
                  "exchange_current_density_A_m2": exchange_current_density, "resolution": resolution,
                  "until_nucleation": until_nucleation}
    return PaperComparison(conditions, rows, datasets)
