"""Full cells and half cells: capacity per cycle, coulombic efficiency, retention.

Cycle k is half-cycles 2k-1 (the first current direction of the test) and 2k (the reverse).
``capacity_first`` and ``capacity_second`` are the charges passed in each [C]. The coulombic
efficiency is the fraction of the charge put in by the first half-cycle that the second one takes
back, ``CE = Q_second / Q_first`` (for a cathode tested charge-first that is discharge/charge; for
a graphite or Li-metal electrode tested lithiation-first it is delithiation/lithiation). Retention
is ``Q_second(k) / Q_second(first complete cycle)``.

**Incomplete last cycle.** A record usually ends in the middle of a cycle (the test was stopped,
or exported while running). The last cycle is *incomplete* when its second half-cycle is missing,
or when it is the record's final half-cycle and lasted less than :data:`INCOMPLETE_FRACTION` of
the cycle's first half-cycle: under the constant-current protocols of these tests the two halves
of a cycle take similar times (CE > 50% is needed for that), so a second half cut to a fraction
of the first was stopped, not finished. Only the record's last cycle can be cut this way; its CE
and retention describe the charge passed before the record ended and are left out of
:func:`capacity_summary`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The record's final half-cycle counts as cut short below this fraction of the duration of its
#: cycle's first half-cycle (see the module docstring for why durations, not charges).
INCOMPLETE_FRACTION = 0.5


def cycle_capacity(table: pd.DataFrame) -> pd.DataFrame:
    """Per-cycle charges, coulombic efficiency, retention and completeness.

    Parameters
    ----------
    table : pandas.DataFrame
        Half-cycle table indexed by half-cycle number (1, 2, ...) with ``charge`` [C] and
        ``duration`` [s] columns (see :func:`interlayer.analysis.segments.half_cycle_table`).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``cycle``: ``capacity_first``, ``capacity_second`` [C] (0 when the second
        half-cycle is missing), ``coulombic_efficiency`` = Q_second / Q_first [1],
        ``retention`` = Q_second / Q_second of the first complete cycle [1] (0 when that is 0),
        ``complete`` [bool]. Cycles whose first half-cycle passed no charge are left out: no CE is
        invented for them.
    """
    hc = table.index.to_numpy()
    q = table["charge"].to_numpy(dtype=float)
    duration = table["duration"].to_numpy(dtype=float) if "duration" in table else np.ones(hc.size)
    odd = hc % 2 == 1
    first = {int(c): (qq, d) for c, qq, d in zip((hc[odd] + 1) // 2, q[odd], duration[odd], strict=True)}
    second = {int(c): (qq, d) for c, qq, d in zip(hc[~odd] // 2, q[~odd], duration[~odd], strict=True)}
    cycles = np.array(sorted(c for c in first if first[c][0] > 0), dtype=np.int64)
    q1 = np.array([first[c][0] for c in cycles], dtype=float)
    q2 = np.array([second.get(c, (0.0, 0.0))[0] for c in cycles], dtype=float)
    complete = np.array([c in second for c in cycles], dtype=bool)
    last_half = int(hc.max()) if hc.size else 0
    if cycles.size and complete[-1] and 2 * int(cycles[-1]) == last_half:
        # the record ends with this cycle's second half: was it finished or cut?
        d1, d2 = first[int(cycles[-1])][1], second[int(cycles[-1])][1]
        complete[-1] = d2 >= INCOMPLETE_FRACTION * d1
    reference = q2[complete][0] if complete.any() else 0.0
    retention = q2 / reference if reference > 0 else np.zeros(cycles.size)
    return pd.DataFrame(
        {"capacity_first": q1, "capacity_second": q2, "coulombic_efficiency": q2 / q1,
         "retention": retention, "complete": complete},
        index=pd.Index(cycles, name="cycle"),
    )


def capacity_summary(capacity: pd.DataFrame) -> dict:
    """CE and retention over the complete cycles only (an incomplete last cycle is left out).

    Returns
    -------
    dict
        ``complete_cycles`` [1], ``incomplete_cycles`` (cycle numbers), and, when there is at
        least one complete cycle: ``first_coulombic_efficiency``, ``mean_coulombic_efficiency``
        (cycles after the first, whose CE includes formation losses; equal to the first when
        there is one cycle), ``last_complete_cycle`` and ``retention`` [1] at that cycle.
    """
    done = capacity[capacity["complete"].to_numpy(dtype=bool)]
    out: dict = {"complete_cycles": int(len(done)),
                 "incomplete_cycles": [int(c) for c in capacity.index[~capacity["complete"].to_numpy(dtype=bool)]]}
    if len(done):
        ce = done["coulombic_efficiency"].to_numpy()
        out.update(
            first_coulombic_efficiency=float(ce[0]),
            mean_coulombic_efficiency=float(np.mean(ce[1:] if ce.size > 1 else ce)),
            last_complete_cycle=int(done.index[-1]),
            retention=float(done["retention"].iloc[-1]),
        )
    return out
