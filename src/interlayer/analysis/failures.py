r"""Failures as a cycler shows them, besides the short: voltage runaway, steady climb, growing overpotential.

A short circuit *collapses* the polarisation (:mod:`interlayer.analysis.shorts`). Loss of contact
at a stripping Li electrode (voids under the current collector or at the electrolyte) does the
opposite: the area that carries the current shrinks, so the polarisation ``u = V sign(I)`` climbs
during the half-cycle, often until the cycler's voltage limit stops the step. A slowly degrading
interface raises the plateau from cycle to cycle instead. All three end a CCD test as surely as a
short, so a cell that shows one is never reported "stable up to" a current.

Per half-cycle (statistics from :func:`interlayer.analysis.segments.half_cycle_table`):

* reference ``u_ref``: the lower of the polarisation right after the spike window
  (``spike_following_V``) and the median plateau of the previous 3 half-cycles in the same
  direction (when there are any); noise ``s``: its ``noise_V``;
* **climb**: the polarisation at the end of the half-cycle exceeds the reference by
  ``max(CLIMB_FRACTION u_ref, CLIMB_NOISE s)`` (50% and 10 noise standard deviations) and the
  last tenth of the half-cycle is above the first plateau tenth by the same margin (a rise that
  persists, not a last-sample glitch);
* **runaway**: a climb that ends at or above ``RUNAWAY_FACTOR u_ref`` (3x), i.e. a polarisation
  running away towards the cycler's limit; the record or the half-cycle usually stops there;
* the event's ``time`` is its onset: the first sample from which the 3-point median of ``u`` stays
  above ``u_ref`` + the margin until the end of the half-cycle; ``limit_time`` the time of the
  largest polarisation;
* **growing overpotential** over cycles, per direction, on the polarisation per current
  ``plateau / |I|`` (a resistance, so that a current ramp does not count): at least
  ``GROWTH_MIN_HALF_CYCLES`` (4) half-cycles, the last at least ``GROWTH_FACTOR`` (1.5x) the median
  of the first three (after the first, which often starts high while contact forms), and at
  least 70% of the cycle-to-cycle steps upward; dated to the first half-cycle that passes 1.5x.
* the reference from earlier half-cycles is scaled up with the current when it rises
  (polarisation grows at most proportionally), so step-increase protocols are not climbs.

A half-cycle at or after a detected short is not examined (a shorted cell does not climb).
On 1000 noisy clean synthetic records no failure is reported (tests); a planted runaway is named
as such and never as a short.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from interlayer.analysis.segments import median3

CLIMB_FRACTION = 0.5
CLIMB_NOISE = 10.0
RUNAWAY_FACTOR = 3.0
GROWTH_FACTOR = 1.5
GROWTH_MIN_HALF_CYCLES = 4
GROWTH_UP_FRACTION = 0.7


@dataclass
class FailureEvent:
    """One failure other than a short.

    Attributes
    ----------
    kind : {"runaway", "climb", "growing_overpotential"}
    time : float
        Onset [s].
    half_cycle, cycle : int
    direction : {"stripping", "plating"}
        Of the working electrode (current > 0: stripping).
    u_before : float
        Reference polarisation [V].
    u_after : float
        Polarisation reached [V] (end of the half-cycle, or the last plateau for growth).
    limit_time : float or None
        Time of the largest polarisation [s] (runaway and climb).
    description : str
        One line for people.
    repeats : int
        Half-cycles that show the same failure (the event is the first of them).
    """

    kind: str
    time: float
    half_cycle: int
    cycle: int
    direction: str
    u_before: float
    u_after: float
    limit_time: float | None
    description: str
    repeats: int = 1

    def to_dict(self) -> dict:
        return asdict(self)


def _previous_same_direction(x: np.ndarray, n: int = 3) -> np.ndarray:
    out = np.full(x.size, np.nan)
    for k in range(2, x.size):
        prev = x[k - 2::-2][:n]
        prev = prev[np.isfinite(prev)]
        if prev.size:
            out[k] = np.median(prev)
    return out


def detect_failures(table: pd.DataFrame, view: dict, shorts: list | None = None) -> list[FailureEvent]:
    """Runaway, climb and growing-overpotential events (see the module docstring).

    Parameters
    ----------
    table, view
        From :func:`interlayer.analysis.segments.half_cycle_table` (polarisation ``u`` in view).
    shorts : list of ShortEvent, optional
        Half-cycles from the first short on are not examined.
    """
    if len(table) == 0 or "u" not in view:
        return []
    t, u, seg, starts = view["t"], view["u"], view["seg"], view["starts"]
    ends = np.r_[starts[1:], t.size]
    ns = starts.size
    hc = table.index.to_numpy()
    plateau = table["plateau_V"].to_numpy()
    following = table["spike_following_V"].to_numpy()
    noise = table["noise_V"].to_numpy()
    cur = table["abs_current"].to_numpy()
    prev = _previous_same_direction(plateau)
    prev_i = _previous_same_direction(cur)
    # a higher current than before raises the polarisation at most proportionally (ohmic or
    # flatter): scale the reference up with it, never down, so that a step-increase protocol is
    # not a "climb"
    with np.errstate(divide="ignore", invalid="ignore"):
        prev = prev * np.maximum(1.0, np.where(prev_i > 0, cur / prev_i, 1.0))
    u_ref = np.where(np.isfinite(prev), np.fmin(prev, following), following)
    first_short = shorts[0].half_cycle if shorts else np.inf
    um = median3(u, seg)
    events: list[FailureEvent] = []
    for k in range(ns):
        if hc[k] >= first_short or not u_ref[k] > 0:
            continue
        a, b = starts[k], ends[k]
        n = b - a
        if n < 10:
            continue
        tail = max(3, n // 10)
        margin = max(CLIMB_FRACTION * u_ref[k], CLIMB_NOISE * noise[k])
        end_level = float(np.median(u[b - tail: b]))
        if not end_level > u_ref[k] + margin:
            continue
        above = um[a:b] > u_ref[k] + margin
        # onset: first sample from which the polarisation stays above the margin
        stay = np.flatnonzero(~above)
        j = (stay[-1] + 1) if stay.size else 0
        if j >= n:
            continue
        top = a + int(np.argmax(u[a:b]))
        kind = "runaway" if end_level >= RUNAWAY_FACTOR * u_ref[k] else "climb"
        direction = "stripping" if table["current"].iloc[k] > 0 else "plating"
        what = ("voltage runaway towards the limit" if kind == "runaway" else "steady climb of the polarisation")
        events.append(FailureEvent(
            kind=kind, time=float(t[a + j]), half_cycle=int(hc[k]), cycle=int(table["cycle"].iloc[k]),
            direction=direction, u_before=float(u_ref[k]), u_after=float(u[b - 1]), limit_time=float(t[top]),
            description=(f"{what} on {direction} (contact loss / voids): {u_ref[k]:.4g} V -> {float(u[top]):.4g} V"),
        ))
    # one event per kind and direction: the first, with the count of half-cycles that show it
    first: dict = {}
    for ev in events:
        key = (ev.kind, ev.direction)
        if key in first:
            first[key].repeats += 1
        else:
            first[key] = ev
    events = list(first.values())
    # growth in a direction that already runs away or climbs is the same failure
    climbing = {ev.direction for ev in events}
    events += [ev for ev in _growth(table, first_short) if ev.direction not in climbing]
    events.sort(key=lambda e: e.time)
    return events


def _growth(table: pd.DataFrame, first_short) -> list[FailureEvent]:
    out = []
    hc = table.index.to_numpy()
    keep = hc < first_short
    for sign, direction in ((1, "stripping"), (-1, "plating")):
        sel = keep & (np.sign(table["current"].to_numpy()) == sign)
        # polarisation per current (a resistance): a current ramp raises the plateau by design
        r = table["plateau_V"].to_numpy() / table["abs_current"].to_numpy()
        p = r[sel][1:]  # the first often starts high (contact forming)
        u = table["plateau_V"].to_numpy()[sel][1:]
        if p.size < GROWTH_MIN_HALF_CYCLES or not np.all(np.isfinite(p)):
            continue
        base = float(np.median(p[:3]))
        if not base > 0 or not p[-1] >= GROWTH_FACTOR * base:
            continue
        if np.mean(np.diff(p) > 0) < GROWTH_UP_FRACTION:
            continue
        j = int(np.flatnonzero(p >= GROWTH_FACTOR * base)[0])
        rows = table[sel].iloc[1:]
        out.append(FailureEvent(
            kind="growing_overpotential", time=float(rows["t_start"].iloc[j]), half_cycle=int(rows.index[j]),
            cycle=int(rows["cycle"].iloc[j]), direction=direction, u_before=float(np.median(u[:3])),
            u_after=float(u[-1]), limit_time=None,
            description=(f"growing overpotential on {direction}: plateau {np.median(u[:3]):.4g} V -> {u[-1]:.4g} V "
                         f"over {p.size} half-cycles (polarisation per current x{p[-1] / base:.2f})"),
        ))
    return out
