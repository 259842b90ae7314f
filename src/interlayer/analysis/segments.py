r"""Half-cycle segmentation and per-half-cycle overpotential, vectorised over the whole record.

A *half-cycle* is a run of samples with current of one sign (rests inside it do not split it;
see :func:`interlayer.io._record.half_cycles`). For each half-cycle we work with the
*polarisation* ``u = voltage * sign(current)``: in a symmetric Li | Li cell it is the cell
overpotential (positive), whichever way the current flows.

Windows inside a half-cycle of duration ``T`` (time measured from its first flowing sample):

* spike window   ``0 <= t < f_s T``  (the nucleation spike lives here)
* plateau window ``f_s T <= t <= T``  (the overpotential plateau)

``plateau_V`` is the median of ``u`` over the plateau window, ``end_V`` the last flowing sample,
``noise_V`` the robust standard deviation (1.4826 MAD) of ``u`` about its median over the window
``f_s T <= t < 2 f_s T`` right after the spike window: instrument plus electrochemical noise,
white and correlated, but not the slow drift of a whole half-cycle.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from interlayer.analysis._segstats import seg_argmax, seg_max, seg_median, seg_min

# Default spike window, as a fraction of the half-cycle duration. Nucleation spikes relax in tens
# of seconds to minutes (the paper's Fig. 4 at 1-h half-cycles); 10% of a half-cycle leaves the
# plateau window 90% of the data. Configurable wherever it is used.
SPIKE_FRACTION = 0.1

_ROBUST_SIGMA = 1.4826  # MAD -> standard deviation for a normal distribution


def median3(x: np.ndarray, segment: np.ndarray) -> np.ndarray:
    """Running median of 3 samples that never mixes two segments (edges repeat their own sample)."""
    x = np.asarray(x, dtype=float)
    if x.size < 2:
        return x.copy()
    same_prev = np.zeros(x.size, dtype=bool)
    same_prev[1:] = segment[1:] == segment[:-1]
    left = np.where(same_prev, np.roll(x, 1), x)
    same_next = np.zeros(x.size, dtype=bool)
    same_next[:-1] = segment[:-1] == segment[1:]
    right = np.where(same_next, np.roll(x, -1), x)
    lo = np.minimum(left, x)
    hi = np.maximum(left, x)
    return np.maximum(lo, np.minimum(hi, right))


def flowing_view(data: pd.DataFrame) -> dict[str, np.ndarray]:
    """Arrays of the flowing samples (current on, half_cycle >= 1) with segment bookkeeping."""
    keep = (~data["rest"].to_numpy()) & (data["half_cycle"].to_numpy() >= 1)
    if "technique" in data:  # cycling analysis runs on the CC and CV segments only
        keep &= data["technique"].isin(["CC", "CV"]).to_numpy()
    idx = np.flatnonzero(keep)
    t = data["time"].to_numpy(dtype=float)[idx]
    v = data["voltage"].to_numpy(dtype=float)[idx]
    i = data["current"].to_numpy(dtype=float)[idx]
    hc = data["half_cycle"].to_numpy()[idx]
    if idx.size:
        starts = np.flatnonzero(np.r_[True, hc[1:] != hc[:-1]])
    else:
        starts = np.zeros(0, dtype=np.int64)
    seg = np.cumsum(np.r_[True, hc[1:] != hc[:-1]]) - 1 if idx.size else np.zeros(0, dtype=np.int64)
    return {"row": idx, "t": t, "v": v, "i": i, "hc": hc, "starts": starts, "seg": seg}


def half_cycle_table(data: pd.DataFrame, spike_fraction: float = SPIKE_FRACTION) -> tuple[pd.DataFrame, dict]:
    """One row per half-cycle: timing, current, charge, plateau and end polarisation, noise, spike.

    Returns
    -------
    table : pandas.DataFrame
        Indexed by ``half_cycle`` with columns ``cycle``, ``t_start`` [s], ``t_end`` [s],
        ``duration`` [s], ``n`` [1], ``current`` [A, signed mean], ``abs_current`` [A, median],
        ``charge`` [C, |integral of I dt|], ``plateau_V``, ``end_V``, ``noise_V``,
        ``spike_peak_V``, ``spike_following_V``, ``spike_V`` (all V, polarisation ``u``),
        ``spike_time`` [s], ``spike_sharp`` (the peak relaxes within half a spike window) and
        ``spike_null_V`` (the same statistic over the later windows of the half-cycle).
    view : dict
        The flowing-sample arrays (see :func:`flowing_view`) plus ``u`` and ``phase``
        (time since half-cycle start / duration), reused by the short detector.
    """
    view = flowing_view(data)
    t, v, i, seg, starts = view["t"], view["v"], view["i"], view["seg"], view["starts"]
    if t.size == 0:
        return pd.DataFrame(), view
    ns = starts.size
    n = np.diff(np.r_[starts, t.size])
    sign = np.sign(np.add.reduceat(i, starts))
    sign[sign == 0] = 1.0
    u = v * sign[seg]
    t0 = t[starts]
    t1 = t[np.r_[starts[1:], t.size] - 1]
    # Duration: first to last flowing sample plus one typical step, so that a one-sample
    # half-cycle still has a positive duration.
    dt = np.diff(t, prepend=t[0])
    dt[starts] = 0.0
    step = np.nan_to_num(seg_median(dt, seg, ns))
    duration = t1 - t0 + step
    phase = (t - t0[seg]) / np.where(duration[seg] > 0, duration[seg], 1.0)
    view.update(u=u, phase=phase, sign=sign)
    # charge passed: trapezoid inside each half-cycle (the step into the half-cycle is excluded)
    dq = np.zeros_like(t)
    dq[1:] = 0.5 * (i[1:] + i[:-1]) * (t[1:] - t[:-1])
    dq[starts] = 0.0
    charge = np.abs(np.add.reduceat(dq, starts))
    plateau = phase >= spike_fraction
    # a half-cycle too short to have a plateau window falls back to all its samples
    has_plateau = np.add.reduceat(plateau.astype(np.int64), starts) > 0
    plateau |= ~has_plateau[seg]
    plateau_V = seg_median(u[plateau], seg[plateau], ns)
    # spike: extreme of u in the spike window minus the plateau that follows (the median of u over
    # the next window of the same length); both contain the same ohmic drop i*R, so the difference
    # excludes the ohmic step at the current switch. The raw extreme is used (a 3-point median
    # would clip spikes that span one or two samples); its noise bias is ~2-3 noise_V.
    in_spike = phase < spike_fraction
    idx_spike = np.flatnonzero(in_spike)
    arg = seg_argmax(u[idx_spike], seg[idx_spike], ns)
    has_peak = arg >= 0
    peak = np.where(has_peak, u[idx_spike[np.maximum(arg, 0)]] if idx_spike.size else np.nan, np.nan)
    t_peak = np.where(has_peak, t[idx_spike[np.maximum(arg, 0)]] if idx_spike.size else t0, t0)
    follow_mask = (phase >= spike_fraction) & (phase < 2 * spike_fraction)
    following = seg_median(u[follow_mask], seg[follow_mask], ns)
    following = np.where(np.isfinite(following), following, plateau_V)
    # noise: robust spread of u about its median in the same window (white and slow, correlated
    # noise alike, which is what a peak-minus-median comparison has to beat)
    dev = np.abs(u[follow_mask] - following[seg[follow_mask]])
    noise = _ROBUST_SIGMA * np.nan_to_num(seg_median(dev, seg[follow_mask], ns))
    spike = np.where(has_peak, np.maximum(peak - following, 0.0), 0.0)
    # sharpness: a nucleation spike relaxes (to within half its height of the plateau) within half
    # a spike window after its peak; slow drifts over the half-cycle do not
    late = t_peak[seg] + 0.5 * spike_fraction * duration[seg]
    relaxed = in_spike & (t > t_peak[seg]) & (t <= late) & (u <= following[seg] + 0.5 * spike[seg])
    sharp = np.zeros(ns, dtype=bool)
    sharp[np.unique(seg[relaxed])] = True
    # empirical null: the same statistic (window extreme minus the next window's median, either
    # sign) over the later windows of the same half-cycle, where no nucleation spike is expected.
    # Correlated noise and drifts raise it; a real spike must stand well above it.
    nw = int(np.ceil(1 / spike_fraction))
    key = seg * nw + np.minimum((phase / spike_fraction).astype(np.int64), nw - 1)
    wmax = seg_max(u, key, ns * nw).reshape(ns, nw)
    wmin = seg_min(u, key, ns * nw).reshape(ns, nw)
    wmed = seg_median(u, key, ns * nw).reshape(ns, nw)
    # both signs: a monotonic drift shows up as one or the other
    with np.errstate(invalid="ignore"):
        excursion = np.fmax(wmax[:, 1:-1] - wmed[:, 2:], wmed[:, 2:] - wmin[:, 1:-1])
    null = np.zeros(ns)
    if excursion.size:
        has_null = np.isfinite(excursion).any(axis=1)
        null[has_null] = np.nanmax(excursion[has_null], axis=1)
    hc = view["hc"][starts]
    table = pd.DataFrame(
        {
            "cycle": (hc + 1) // 2,
            "t_start": t0,
            "t_end": t1,
            "duration": duration,
            "n": n,
            "current": np.add.reduceat(i, starts) / n,
            "abs_current": seg_median(np.abs(i), seg, ns),
            "charge": charge,
            "plateau_V": plateau_V,
            "end_V": u[np.r_[starts[1:], t.size] - 1],
            "noise_V": noise,
            "spike_peak_V": np.where(has_peak, peak, plateau_V),
            "spike_following_V": following,
            "spike_V": spike,
            "spike_time": np.where(has_peak, t_peak, t0),
            "spike_sharp": sharp & has_peak,
            "spike_null_V": np.maximum(null, 0.0),
        },
        index=pd.Index(hc, name="half_cycle"),
    )
    return table, view
