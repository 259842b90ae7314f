"""Critical current density (CCD) from step-increase protocols, reported with the protocol.

A step-increase protocol holds the current constant for a few cycles, then raises it, with a fixed
half-cycle time (so the capacity per half-cycle rises with the current) or a fixed capacity. The
CCD is the current density of the half-cycle in which the cell shorts (the paper's definition: the
current at which the voltage suddenly drops); the last current it survived is reported with it.
A CCD is meaningless without the protocol, so :class:`CCDResult` carries the levels.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

# Two half-cycles are at the same current level when their currents differ by less than 3%:
# cyclers regulate current to better than 0.1% of range, and the smallest protocol steps in use
# (0.05 mA/cm2 at 1 mA/cm2) are 5%.
LEVEL_TOLERANCE = 0.03


@dataclass
class CCDResult:
    """Critical current density and the protocol it was measured with.

    Attributes
    ----------
    ccd : float or None
        Current density of the half-cycle that shorted [A/m^2]; None if the cell did not short.
    last_stable : float or None
        The highest current density completed before the short [A/m^2].
    lower_bound : float or None
        When there is no short: the highest current density survived (CCD > this) [A/m^2].
    step_increase : bool
        True when the currents rise in at least two steps.
    levels : list of dict
        One per current level: ``current_density`` [A/m^2], ``half_cycles`` [1],
        ``half_cycle_time`` [s, median], ``capacity`` [C/m^2, median per half-cycle].
    """

    ccd: float | None
    last_stable: float | None
    lower_bound: float | None
    step_increase: bool
    levels: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    def _repr_html_(self) -> str:  # notebooks: the CCD and the current levels as a table (analysis/_html.py)
        from interlayer.analysis._html import ccd_html

        return ccd_html(self)


def current_levels(table: pd.DataFrame, area: float) -> list[dict]:
    """Group consecutive half-cycles of (nearly) equal |current| into protocol levels."""
    if len(table) == 0:
        return []
    cur = table["abs_current"].to_numpy()
    new = np.r_[True, np.abs(cur[1:] - cur[:-1]) > LEVEL_TOLERANCE * np.maximum(cur[1:], cur[:-1])]
    level = np.cumsum(new) - 1
    out = []
    for k in range(level.max() + 1):
        sel = level == k
        out.append(
            {
                "current_density": float(np.median(cur[sel]) / area),
                "half_cycles": int(sel.sum()),
                "first_half_cycle": int(table.index.to_numpy()[sel][0]),
                "half_cycle_time": float(np.median(table["duration"].to_numpy()[sel])),
                "capacity": float(np.median(table["charge"].to_numpy()[sel]) / area),
            }
        )
    return out


def critical_current_density(table: pd.DataFrame, shorts: list, area: float) -> CCDResult:
    """CCD from the half-cycle table and the detected shorts (see module docstring)."""
    levels = current_levels(table, area)
    values = [lv["current_density"] for lv in levels]
    step_increase = len(values) >= 2 and all(b > a for a, b in zip(values, values[1:], strict=False))
    if not shorts:
        return CCDResult(None, None, max(values) if values else None, step_increase, levels)
    first = shorts[0]
    row = table.loc[first.half_cycle]
    ccd = float(row["abs_current"] / area)
    before = [lv["current_density"] for lv in levels if lv["first_half_cycle"] < first.half_cycle]
    stable = [v for v in before if v < ccd * (1 - LEVEL_TOLERANCE)]
    return CCDResult(ccd, max(stable) if stable else None, None, step_increase, levels)
