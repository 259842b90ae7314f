"""Design: nucleation and growth lengths, stability regimes, stable currents and capacities.

The one-call facade is :func:`evaluate` (keywords) or :func:`assess` (a ``Cell`` and a ``Protocol``); :mod:`interlayer.design.criterion` holds the criterion
itself (vectorised), used by every other design tool.
"""

from interlayer.design.criterion import REGIMES
from interlayer.design.evaluate import (
    Design,
    assess,
    build_interlayer,
    evaluate,
    max_stable_capacity,
    max_stable_current,
    regime_labels,
)

__all__ = [
    "REGIMES",
    "Design",
    "assess",
    "build_interlayer",
    "evaluate",
    "max_stable_capacity",
    "max_stable_current",
    "regime_labels",
]
