"""Technique segments: which part of a record is constant current, constant voltage, rest or impedance.

Cycler programs loop techniques: rest, impedance (PEIS, GEIS), constant-current plating and
stripping, constant-voltage holds. A record is cut into *technique segments* (runs of one
technique and one program step) so that cycling analysis runs on the CC/CV rows only and each
impedance sweep becomes a spectrum of its own.

Where the technique comes from, per reader:

* BioLogic ``.mpr`` / ``.mpt``: a row with ``freq/Hz > 0`` is an impedance point (PEIS when the
  control mode is potentiostatic or rest, GEIS when galvanostatic, EIS when the file has no mode);
  otherwise the control mode of the ``flags``/``mode`` column: 1 galvanostatic (CC), 2
  potentiostatic (CV), 3 rest; the program step is ``Ns``.
* Neware: the step type (``CC_Chg``, ``CC_DChg``, ``CV_Chg``, ``CCCV_Chg``, ``Rest``, ...); in a
  CC-CV step the rows at the step's full current are CC, the rest of it CV.
* Arbin, Land, CSV (a step index at most): from the current and voltage within each step, see
  :func:`classify_steps`.
* Gamry ``.DTA``: the file kind (``ZCURVE``: an impedance spectrum; ``CURVE``: chronopotentiometry,
  CC); ZView ``.z``: an impedance spectrum.

Codes (the ``technique`` column, a pandas Categorical): see :data:`TECHNIQUES`.
"""

from __future__ import annotations

import numpy as np

#: Technique names used in the ``technique`` column. ``rest`` is any segment without current
#: (EC-Lab's OCV and rest steps, Neware's Rest); ``other`` a current-carrying step that is neither
#: CC nor CV (constant power or resistance, pulses).
TECHNIQUES = ("CC", "CV", "rest", "PEIS", "GEIS", "EIS", "other")
CYCLING_TECHNIQUES = ("CC", "CV")
IMPEDANCE_TECHNIQUES = ("PEIS", "GEIS", "EIS")

# Within one program step, the current of a CC step varies by well under 1% (cyclers regulate to
# 0.1% of range); a CV hold's current decays by orders of magnitude. A step is CC when the robust
# spread of |I| is below 5% of its median, CV when the current varies more while the voltage is
# held within 5 mV (robust spread).
CC_CURRENT_SPREAD = 0.05
CV_VOLTAGE_SPREAD = 5e-3


def run_ids(*keys: np.ndarray) -> np.ndarray:
    """0-based id of each run of equal consecutive key tuples (vectorised)."""
    n = len(keys[0]) if keys else 0
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    change = np.zeros(n, dtype=bool)
    for k in keys:
        k = np.asarray(k)
        change[1:] |= k[1:] != k[:-1]
    return np.cumsum(change)


def classify_steps(voltage: np.ndarray, current: np.ndarray, rest: np.ndarray,
                   step: np.ndarray | None = None) -> np.ndarray:
    """Technique per row from the signals alone (no technique recorded), one verdict per segment.

    Segments are runs of one step index (when given) and one rest state. A segment without
    current is ``rest``; one whose |I| varies by less than :data:`CC_CURRENT_SPREAD` (robust
    spread over median) is ``CC``; one whose current varies more while the voltage stays within
    :data:`CV_VOLTAGE_SPREAD` is ``CV``; anything else carrying current is ``CC`` (a cycler step we
    cannot name; cycling analysis treats it as galvanostatic, as before segmentation existed).
    """
    from interlayer.io._segstats import seg_median

    v = np.asarray(voltage, dtype=float)
    a = np.abs(np.asarray(current, dtype=float))
    n = v.size
    out = np.full(n, "CC", dtype=object)
    if n == 0:
        return out
    seg = run_ids(rest, step if step is not None else np.zeros(n, dtype=np.int8))
    ns = int(seg[-1]) + 1
    med_i = seg_median(a, seg, ns)
    spread_i = seg_median(np.abs(a - med_i[seg]), seg, ns) * 1.4826
    med_v = seg_median(v, seg, ns)
    spread_v = seg_median(np.abs(v - med_v[seg]), seg, ns) * 1.4826
    with np.errstate(divide="ignore", invalid="ignore"):
        cc = spread_i <= CC_CURRENT_SPREAD * med_i
    cv = ~cc & (spread_v <= CV_VOLTAGE_SPREAD)
    verdict = np.where(cv, "CV", "CC").astype(object)
    out[:] = verdict[seg]
    out[np.asarray(rest, dtype=bool)] = "rest"
    return out


def biologic_techniques(mode: np.ndarray | None, rest: np.ndarray, impedance: np.ndarray,
                        voltage: np.ndarray, current: np.ndarray, step: np.ndarray | None) -> np.ndarray:
    """Technique per row of an EC-Lab table from its control mode (1 CC, 2 CV, 3 rest) and ``freq``."""
    if mode is None:
        out = classify_steps(voltage, current, rest, step)
        out[impedance] = "EIS"
        return out
    mode = np.asarray(mode).astype(np.int64) & 3
    out = np.where(mode == 1, "CC", np.where(mode == 2, "CV", "rest")).astype(object)
    # a galvanostatic or potentiostatic row without current is a rest (I = 0 set-points)
    out[(mode != 3) & np.asarray(rest, dtype=bool) & ~impedance] = "rest"
    out[impedance & (mode == 1)] = "GEIS"
    out[impedance & (mode != 1)] = "PEIS"
    return out


def neware_techniques(status, current: np.ndarray, rest: np.ndarray, step: np.ndarray) -> np.ndarray:
    """Technique per row from Neware's step type (``CC_Chg``, ``CCCV_DChg``, ``Rest``, ...)."""
    from interlayer.io._segstats import seg_max

    s = np.asarray([str(x).upper() for x in status], dtype=object) if len(status) else np.zeros(0, dtype=object)
    out = np.full(s.size, "other", dtype=object)
    if s.size == 0:
        return out
    is_rest = np.array([x.startswith("REST") for x in s])
    cccv = np.array([x.startswith("CCCV") or x.startswith("CC-CV") for x in s])
    cc = np.array([x.startswith("CC") for x in s]) & ~cccv
    cv = np.array([x.startswith("CV") for x in s])
    out[cc] = "CC"
    out[cv] = "CV"
    if cccv.any():
        seg = run_ids(step)
        a = np.abs(np.asarray(current, dtype=float))
        peak = seg_max(a, seg, int(seg[-1]) + 1)[seg]
        out[cccv] = np.where(a[cccv] >= (1 - CC_CURRENT_SPREAD) * peak[cccv], "CC", "CV")
    out[is_rest | np.asarray(rest, dtype=bool)] = "rest"
    return out


def split_spectra(frequency: np.ndarray, *keys: np.ndarray) -> np.ndarray:
    """Spectrum id (0-based) of each impedance point: a new sweep starts when a key changes
    (program step, row gap, cycle counter) or the frequency turns back (sweeps run one way:
    high to low, or low to high; a step against the file's usual direction starts a new one)."""
    f = np.asarray(frequency, dtype=float)
    if f.size == 0:
        return np.zeros(0, dtype=np.int64)
    change = np.zeros(f.size, dtype=bool)
    for k in keys:
        k = np.asarray(k)
        change[1:] |= k[1:] != k[:-1]
    d = np.diff(f)
    down = np.sum(d < 0) >= np.sum(d > 0)
    back = d > 0 if down else d < 0
    # a point may be repeated (drift correction); only a clear turn-back (x 1.5) starts a sweep
    ratio = f[1:] / np.where(f[:-1] > 0, f[:-1], np.inf)
    clear = ratio > 1.5 if down else ratio < 1 / 1.5
    change[1:] |= back & clear
    return np.cumsum(change)
