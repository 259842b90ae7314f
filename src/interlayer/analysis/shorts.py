r"""Short-circuit detection in galvanostatic records of symmetric (or any polarised) cells.

Physics. A Li filament that bridges the cell puts an electronic path in parallel with the
electrolyte: the current bypasses the interfaces, so the polarisation ``u = V sign(I)`` collapses
from the cell's overpotential to the ohmic drop of the filament (hard short: near zero) or to a
fraction of it (soft short: a resistive, partial bridge), while current still flows, and it stays
collapsed (a filament is not removed by continued current in the same direction). The
electrochemical noise of plating and stripping goes with it.

Criterion (every threshold relative to the cell's own recent behaviour, none tuned to a trace):

1. Reference. For each half-cycle the reference polarisation ``u_ref`` and current ``i_ref`` are
   the medians of the plateau polarisation and current of the previous ``n_ref`` half-cycles *in
   the same current direction* that were not shorted (plating and stripping may polarise
   differently; the first half-cycle of each direction uses its own plateau median). The noise
   reference
   ``s_ref`` is their plateau noise.
2. Expected lower bound. For a monotonic current-voltage curve that is ohmic or flatter
   (Butler-Volmer, Tafel), ``u(i) >= u_ref min(1, i / i_ref)``: raising the current never lowers
   the polarisation and lowering it lowers the polarisation at most proportionally. So
   ``u_low = u_ref min(1, |i| / i_ref)`` is a safe floor even in step-increase (CCD) protocols.
3. Collapse. A sample is collapsed when the 3-point median of ``u`` is below
   ``alpha_soft * u_low`` **and** below ``u_low - k_noise * s_ref`` (a drop that is large compared
   with both the overpotential and the noise; the median rejects single-sample glitches).
   It is *hard* when also below ``alpha_hard * u_low``.
4. Persistence. An event starts at the first collapsed sample ``s`` after which at least
   ``persist`` of the half-cycle's remaining samples are collapsed, and also of the next tenth of
   them (at least ``min_samples``): the collapse is solid from its start on. If fewer samples
   remain, it must carry on through the next half-cycle (or the record ends there); a collapse
   in the first ``min_samples`` samples of a half-cycle must last ``10 min_samples`` samples.
   Current reversals (the voltage swings through zero in milliseconds), rests (no current:
   excluded) and sampling gaps (counted in samples, not seconds) cannot satisfy this.

After a soft event the references are frozen and only an escalation to a hard short is looked for.
An impedance collapse (spectra before and after) can be attached as confirmation with
:func:`confirm_with_impedance`.

Defaults and why: ``alpha_soft = 0.5`` (a parallel path carrying half the current or more),
``alpha_hard = 0.1`` (the remaining polarisation is at most a tenth: ohmic filament),
``k_noise = 5`` (five noise standard deviations: about 3e-7 false collapses per sample before the
persistence test), ``persist = 0.8`` (brief recoveries of a flickering soft short are tolerated;
a clean cell never spends most of a half-cycle below half its own overpotential),
``min_samples = 3``, ``n_ref = 3``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from interlayer.analysis.segments import median3


@dataclass
class ShortEvent:
    """One detected short circuit.

    Attributes
    ----------
    time : float
        Time of the first collapsed sample [s].
    half_cycle, cycle : int
        Where it happened.
    current : float
        Current at that sample [A] (signed, canonical convention).
    kind : {"hard", "soft"}
        Hard: polarisation below ``alpha_hard`` of the expected floor; soft: below ``alpha_soft``.
    u_before : float
        The expected polarisation floor ``u_low`` at that sample [V].
    u_after : float
        Median polarisation over the collapsed samples of the half-cycle [V].
    noise_ratio : float
        Noise after / noise before (robust standard deviations); < 1 is the expected collapse.
    row : int
        Row of the canonical table.
    confirmed_by_impedance : bool or None
        Set by :func:`confirm_with_impedance` or :func:`interlayer.analysis.spectra.confirm_shorts`:
        True when the impedance collapses across the event, False when the spectra either side
        contradict it, None when there is no spectrum on one side.
    impedance_before, impedance_after : float or None
        The impedance measure [ohm] of the last spectrum before and the first after the event.
    impedance_measure : str or None
        Which measure: the fitted total resistance or |Z| at the lowest frequency.
    """

    time: float
    half_cycle: int
    cycle: int
    current: float
    kind: str
    u_before: float
    u_after: float
    noise_ratio: float
    row: int
    confirmed_by_impedance: bool | None = None
    impedance_before: float | None = None
    impedance_after: float | None = None
    impedance_measure: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def detect_shorts(
    table: pd.DataFrame,
    view: dict,
    alpha_soft: float = 0.5,
    alpha_hard: float = 0.1,
    k_noise: float = 5.0,
    persist: float = 0.8,
    min_samples: int = 3,
    n_ref: int = 3,
) -> list[ShortEvent]:
    """Find short circuits (see the module docstring for the criterion). Vectorised over samples.

    Parameters
    ----------
    table, view
        From :func:`interlayer.analysis.segments.half_cycle_table`.

    Returns
    -------
    list of ShortEvent
        At most two: the first event and, if that was soft, a later escalation to hard.
    """
    if len(table) == 0:
        return []
    t, u, i, seg, starts = view["t"], view["u"], view["i"], view["seg"], view["starts"]
    nseg = starts.size
    ends = np.r_[starts[1:], t.size]
    plateau = table["plateau_V"].to_numpy()
    noise = table["noise_V"].to_numpy()
    icur = table["abs_current"].to_numpy()
    um = median3(u, seg)
    ai = np.abs(i)
    # references of half-cycle k: medians over half-cycles k-n_ref .. k-1 (all unshorted until
    # the first event, after which they are frozen); the first half-cycle uses its own plateau
    # median (its first minutes are no reference: solid-state cells often start far above their
    # plateau while contact forms)
    u_ref, i_ref, s_ref = (_previous_median(x, n_ref) for x in (plateau, icur, noise))
    for k in range(min(2, nseg)):  # no earlier half-cycle in the same direction
        u_ref[k], i_ref[k], s_ref[k] = plateau[k], icur[k], noise[k]
    usable = (u_ref > 0) & (i_ref > 0)

    def masks(ur, ir, sr):
        low = ur[seg] * np.minimum(1.0, ai / np.where(ir[seg] > 0, ir[seg], 1.0))
        soft = (um < alpha_soft * low) & (um < low - k_noise * sr[seg]) & usable_of(seg)
        return soft, soft & (um < alpha_hard * low), low

    usable_of = usable.__getitem__
    soft, hard, low = masks(u_ref, i_ref, s_ref)
    j = _first_persistent(soft, seg, starts, ends, persist, min_samples)
    if j is None:
        return []
    events = [_event(j, soft, hard, low, t, u, i, seg, ends, view, s_ref, persist)]
    if events[0].kind == "soft":
        k = seg[j]
        frozen = [np.full(nseg, x[k]) for x in (u_ref, i_ref, s_ref)]
        usable_of = np.full(nseg, bool(usable[k])).__getitem__
        soft2, hard2, low2 = masks(*frozen)
        later = np.arange(seg.size) > j  # escalation: any later sample, same half-cycle included
        j2 = _first_persistent(hard2 & later, seg, starts, ends, persist, min_samples)
        if j2 is not None:
            events.append(_event(j2, hard2, hard2, low2, t, u, i, seg, ends, view, frozen[2], persist))
    return events


def _previous_median(x: np.ndarray, n: int) -> np.ndarray:
    """For each k, the median of x[k-2], x[k-4], ..., x[k-2n]: the previous half-cycles with the
    same current direction (plating and stripping polarisations may differ, e.g. an interlayer
    on one electrode only). NaN for k < 2."""
    lagged = np.full((x.size, n), np.nan)
    for m in range(1, n + 1):
        lag = 2 * m
        if lag < x.size:
            lagged[lag:, m - 1] = x[:-lag]
    out = np.full(x.size, np.nan)
    ok = np.isfinite(lagged).any(axis=1)
    out[ok] = np.nanmedian(lagged[ok], axis=1)
    return out


def _first_persistent(want, seg, starts, ends, persist, min_samples):
    """First sample whose collapse persists (module docstring, step 4), or None. Vectorised."""
    if not want.any():
        return None
    c = want.astype(np.float64)
    csum = np.r_[0.0, np.cumsum(c)]
    pos = np.arange(c.size)
    end = ends[seg]
    remaining = (end - pos).astype(np.float64)
    frac = (csum[end] - csum[pos]) / remaining
    # solid from its start: over the next tenth of the remaining samples (at least min_samples)
    # it holds for a fraction `persist` too, so a current-reversal transient followed much later
    # by a real short is not merged into one early event
    span = np.minimum(np.maximum(min_samples, np.ceil(0.1 * remaining)), remaining).astype(np.int64)
    local = (csum[pos + span] - csum[pos]) / span
    solid = want & (np.minimum(frac, local) >= persist)
    # a collapse in the opening samples of a half-cycle looks like a current-reversal transient
    # until it has lasted 10x longer
    opening = (pos - starts[seg]) < min_samples
    ok = solid & (remaining >= np.where(opening, 10 * min_samples, min_samples))
    # too few samples left in the half-cycle: the collapse must carry on through the next one,
    # or the record ends there (cyclers stop a test on a short; not in the opening samples)
    nseg = starts.size
    seg_frac = (csum[ends] - csum[starts]) / np.maximum(ends - starts, 1)
    has_next = seg < nseg - 1
    next_ok = np.r_[seg_frac[1:] >= persist, False][seg]
    ok |= solid & ~ok & np.where(has_next, next_ok, ~opening)
    hits = np.flatnonzero(ok)
    return int(hits[0]) if hits.size else None


def _event(j, want, hard, low, t, u, i, seg, ends, view, s_ref, persist) -> ShortEvent:
    k = seg[j]
    collapsed = j + np.flatnonzero(want[j : ends[k]])
    u_after = float(np.median(u[collapsed]))
    d = np.diff(u[collapsed])
    after_noise = 1.4826 / np.sqrt(2) * float(np.median(np.abs(d - np.median(d)))) if d.size > 2 else 0.0
    kind = "hard" if hard[j : ends[k]].mean() >= persist else "soft"
    return ShortEvent(
        time=float(t[j]),
        half_cycle=int(view["hc"][j]),
        cycle=int((view["hc"][j] + 1) // 2),
        current=float(i[j]),
        kind=kind,
        u_before=float(low[j]),
        u_after=u_after,
        noise_ratio=after_noise / s_ref[k] if s_ref[k] > 0 else float("inf"),
        row=int(view["row"][j]),
    )


def confirm_with_impedance(events: list[ShortEvent], spectra: list, ratio: float = 0.5) -> list[ShortEvent]:
    """Mark each event confirmed when the low-frequency impedance collapses across it.

    Parameters
    ----------
    events : list of ShortEvent
    spectra : list of (time [s], impedance Record)
        Spectra measured during the same test; the modulus at the lowest frequency of each is
        compared between the last spectrum before and the first after the event.
    ratio : float
        Confirmed when ``|Z|_after < ratio * |Z|_before`` (a parallel electronic path at least
        halves the cell's resistance, the same threshold as ``alpha_soft``).
    """
    if not spectra:
        return events
    times = np.array([s[0] for s in spectra], dtype=float)
    moduli = []
    for _, rec in spectra:
        d = rec.data
        j = int(np.argmin(d["frequency"].to_numpy()))
        moduli.append(float(np.hypot(d["z_real"].to_numpy()[j], d["z_imag"].to_numpy()[j])))
    modulus = np.array(moduli)
    for ev in events:
        before = np.flatnonzero(times <= ev.time)
        after = np.flatnonzero(times > ev.time)
        if before.size and after.size:
            ev.confirmed_by_impedance = bool(modulus[after[0]] < ratio * modulus[before[-1]])
    return events
