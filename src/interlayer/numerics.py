"""Small numerical helpers shared by the models (one implementation each).

:func:`bisect` narrows the bracket of a yes/no test: the edge between the values where a
predicate is False (the lower end) and where it is True (the upper end). It serves the design
searches (stability edges in current and thickness, bisected in log space), the PNP mesh grading
and the first-nucleation time. For the root of a continuous function use
:func:`scipy.optimize.brentq` instead (the phase field does).

>>> lo, hi = bisect(lambda x: x * x >= 2.0, 1.0, 2.0, rtol=1e-12)
>>> abs(hi - 2 ** 0.5) < 1e-11
True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal


def bisect(
    predicate: Callable[[float], bool],
    lo: float,
    hi: float,
    *,
    rtol: float = 0.0,
    max_iter: int | None = None,
    scale: Literal["linear", "log"] = "linear",
) -> tuple[float, float]:
    """Halve ``[lo, hi]`` around the edge where ``predicate`` turns from False (at ``lo``) to True.

    Each step evaluates ``predicate(mid)`` and moves ``hi`` to ``mid`` when it is True, ``lo``
    otherwise, so the predicate stays False at ``lo`` and True at ``hi`` (as far as it was at the
    start; the ends themselves are never evaluated).

    Parameters
    ----------
    predicate : callable
        ``predicate(x) -> bool``, False below the edge and True above it.
    lo, hi : float
        The bracket, ``lo < hi`` (both > 0 for ``scale="log"``).
    rtol : float
        Stop once the bracket is this narrow, relative, tested before every step:
        ``hi / lo - 1 <= rtol`` (log) or ``hi - lo <= rtol * |hi|`` (linear). With 0 (default) the
        bisection runs ``max_iter`` steps (or until ``lo`` and ``hi`` meet in floating point).
    max_iter : int, optional
        At most this many predicate evaluations (default: no limit; then give ``rtol`` > 0).
    scale : {"linear", "log"}
        Midpoint ``(lo + hi) / 2`` or the geometric mean ``sqrt(lo hi)`` (for quantities spanning
        decades: currents, thicknesses).

    Returns
    -------
    (lo, hi) : tuple of float
        The final bracket.

    >>> lo, hi = bisect(lambda x: x >= 10.0, 1.0, 100.0, rtol=1e-9, scale="log")
    >>> lo < 10.0 <= hi and hi / lo - 1 <= 1e-9
    True
    >>> bisect(lambda x: x > 0.25, 0.0, 1.0, max_iter=2)
    (0.25, 0.5)
    """
    if max_iter is None and rtol <= 0:
        raise ValueError("bisect needs rtol > 0 or max_iter")
    log = scale == "log"
    steps = 0
    while max_iter is None or steps < max_iter:
        if (hi / lo - 1 <= rtol) if log else (hi - lo <= rtol * abs(hi)):
            break
        mid = math.sqrt(lo * hi) if log else 0.5 * (lo + hi)
        if predicate(mid):
            hi = mid
        else:
            lo = mid
        steps += 1
    return lo, hi


__all__ = ["bisect"]
