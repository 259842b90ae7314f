"""Full cells and half cells: capacity per cycle, coulombic efficiency, retention.

Cycle k is half-cycles 2k-1 (the first current direction of the test) and 2k (the reverse).
``capacity_first`` and ``capacity_second`` are the charges passed in each [C]. The coulombic
efficiency is the fraction of the charge put in by the first half-cycle that the second one takes
back, ``CE = Q_second / Q_first`` (for a cathode tested charge-first that is discharge/charge; for
a graphite or Li-metal electrode tested lithiation-first it is delithiation/lithiation). Retention
is ``Q_second(k) / Q_second(first complete cycle)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def cycle_capacity(table: pd.DataFrame) -> pd.DataFrame:
    """Per-cycle ``capacity_first``, ``capacity_second`` [C], ``coulombic_efficiency`` and ``retention`` [1].

    Cycles without both half-cycles (or with no charge in the first) are left out: no CE is
    invented for them. Retention is 0 when the first complete cycle returned no charge.
    """
    hc = table.index.to_numpy()
    q = table["charge"].to_numpy()
    odd = hc % 2 == 1
    first = dict(zip((hc[odd] + 1) // 2, q[odd], strict=True))
    second = dict(zip(hc[~odd] // 2, q[~odd], strict=True))
    cycles = np.array(sorted(c for c in first if c in second and first[c] > 0), dtype=np.int64)
    q1 = np.array([first[c] for c in cycles], dtype=float)
    q2 = np.array([second[c] for c in cycles], dtype=float)
    retention = q2 / q2[0] if cycles.size and q2[0] > 0 else np.zeros(cycles.size)
    out = pd.DataFrame(
        {"capacity_first": q1, "capacity_second": q2, "coulombic_efficiency": q2 / np.where(q1 > 0, q1, 1.0),
         "retention": retention},
        index=pd.Index(cycles, name="cycle"),
    )
    return out
