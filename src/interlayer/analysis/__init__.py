"""Analysis of cell records: half-cycles, overpotential, nucleation spikes, shorts, CCD, capacity, EIS.

The one-call facade is :func:`analyze`; each step is also public:

* :func:`interlayer.analysis.segments.half_cycle_table` - segmentation and per-half-cycle
  plateau/end polarisation, noise and spike V_sp;
* :mod:`interlayer.analysis.spikes` - V_sp definition, ``l_n = C V_sp / i``;
* :func:`interlayer.analysis.shorts.detect_shorts` - hard and soft short circuits;
* :func:`interlayer.analysis.ccd.critical_current_density` - CCD with its protocol;
* :func:`interlayer.analysis.capacity.cycle_capacity` - capacity, CE, retention;
* :mod:`interlayer.analysis.eis` - equivalent-circuit fits, ``sigma = L / (R A)``;
* :mod:`interlayer.analysis.density` - Archimedes density;
* :mod:`interlayer.analysis.synthetic` - traces with known answers to check all of the above.

>>> from interlayer.analysis.synthetic import symmetric_trace
>>> rec = symmetric_trace(n_cycles=4, seed=1)
>>> result = analyze(rec, area=0.503e-4)
>>> len(result.shorts)
0
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from interlayer.analysis.capacity import capacity_summary, cycle_capacity
from interlayer.analysis.ccd import CCDResult, critical_current_density
from interlayer.analysis.failures import FailureEvent, detect_failures
from interlayer.analysis.segments import SPIKE_FRACTION, half_cycle_table
from interlayer.analysis.shorts import ShortEvent, confirm_with_impedance, detect_shorts
from interlayer.analysis.spikes import SPIKE_NULL_FACTOR, SPIKE_SIGNIFICANCE
from interlayer.errors import InputError

__all__ = ["CellAnalysis", "analyze", "ShortEvent", "FailureEvent", "CCDResult", "confirm_with_impedance"]

_HALF_UNITS = {
    "cycle": ("1", "cycle index"),
    "t_start": ("s", "start of the half-cycle"),
    "t_end": ("s", "last flowing sample of the half-cycle"),
    "duration": ("s", "half-cycle duration"),
    "n": ("1", "samples with current flowing"),
    "current": ("A", "mean current (signed)"),
    "abs_current": ("A", "median |current|"),
    "current_density": ("A/m^2", "median |current| / area"),
    "charge": ("C", "charge passed"),
    "capacity": ("C/m^2", "charge passed per area"),
    "plateau_V": ("V", "plateau polarisation (median of |V| after the spike window)"),
    "end_V": ("V", "polarisation at the end of the half-cycle"),
    "noise_V": ("V", "robust noise of the plateau polarisation"),
    "spike_peak_V": ("V", "extreme polarisation in the spike window"),
    "spike_following_V": ("V", "plateau polarisation right after the spike window"),
    "spike_V": ("V", "nucleation spike height V_sp = peak - following plateau"),
    "spike_time": ("s", "time of the spike extreme"),
    "spike_sharp": ("1", "the spike relaxes within half a spike window"),
    "spike_null_V": ("V", "largest window extreme minus following median later in the half-cycle"),
    "spike_detected": ("1", "V_sp above the significance threshold"),
    "plating": ("1", "half-cycle plates Li on the working electrode (current < 0)"),
}


@dataclass
class CellAnalysis:
    """Everything :func:`analyze` finds in one cycling record.

    Attributes
    ----------
    half_cycles : xarray.Dataset
        Dimension ``half_cycle``; variables listed with units in their attrs.
    cycles : xarray.Dataset
        Dimension ``cycle``: ``current_density`` [A/m^2], ``overpotential_V`` [V] (mean plateau
        polarisation of the cycle's half-cycles), ``spike_V`` [V] (largest detected V_sp of the
        cycle, 0 when none was detected; raw values per half-cycle are in ``half_cycles``).
    capacity : xarray.Dataset
        Dimension ``cycle``: ``capacity_first``, ``capacity_second`` [C],
        ``coulombic_efficiency``, ``retention`` [1] and ``complete`` (False for a last cycle the
        record cut short; its ratios are left out of summaries, see
        :mod:`interlayer.analysis.capacity`).
    shorts : list of ShortEvent
    ccd : CCDResult
    area : float
        Electrode area used [m^2].
    half_cycle_table, cycle_table, capacity_table : pandas.DataFrame
        The same numbers as plain tables (the Datasets are built from them on first access).
    """

    half_cycle_table: pd.DataFrame
    cycle_table: pd.DataFrame
    capacity_table: pd.DataFrame
    shorts: list[ShortEvent]
    ccd: CCDResult
    area: float | None
    source: str = ""
    settings: dict = field(default_factory=dict)
    attrs: dict = field(default_factory=dict)
    failures: list[FailureEvent] = field(default_factory=list)
    spectra: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    segments: pd.DataFrame | None = None

    @property
    def failed(self) -> bool:
        """True when a short or another failure (runaway, climb, growing overpotential) was found."""
        return bool(self.shorts or self.failures)

    @cached_property
    def half_cycles(self):
        return _dataset(self.half_cycle_table, "half_cycle", self.attrs, _HALF_UNITS)

    @cached_property
    def cycles(self):
        return _dataset(self.cycle_table, "cycle", self.attrs, {**_HALF_UNITS, **_CYCLE_UNITS})

    @cached_property
    def capacity(self):
        return _dataset(self.capacity_table, "cycle", self.attrs, _CYCLE_UNITS)

    def to_dict(self) -> dict:
        """JSON-ready summary in the units the CLI prints (mA/cm2, mAh, V, s).

        Keys: ``source``, ``area_cm2``, ``cycles``, ``half_cycles``, ``capacity`` (per cycle:
        ``capacity_first_mAh``, ``capacity_second_mAh``, ``coulombic_efficiency``, ``retention``
        [1, null for an incomplete cycle], ``complete``), ``capacity_summary`` (complete cycles
        only, see :func:`interlayer.analysis.capacity.capacity_summary`), ``shorts``,
        ``ccd_mA_cm2``, ``ccd_protocol``, ``settings``.
        """
        def jd(x):  # A/m^2 -> mA/cm^2, null without an area
            return None if x is None or not np.isfinite(x) else float(x) * 0.1

        cyc = self.cycle_table
        cycles = [
            {
                "cycle": int(c),
                "current_mA": float(cur) * 1e3,
                "current_density_mA_cm2": jd(j),
                "overpotential_V": float(eta),
                "spike_V": float(vsp),
                "spike_detected": bool(det),
                "spike_peak_V": None if not det else float(pk),
                "spike_time_s": None if not det else float(ts),
            }
            for c, cur, j, eta, vsp, det, pk, ts in zip(
                cyc.index, cyc["abs_current"], cyc["current_density"], cyc["overpotential_V"], cyc["spike_V"],
                cyc["spike_detected"], cyc["spike_peak_V"], cyc["spike_time"], strict=True,
            )
        ]
        hc = self.half_cycle_table
        half = [
            {
                "half_cycle": int(h),
                "cycle": int(c),
                "t_start_s": float(t0),
                "duration_s": float(dur),
                "current_mA": float(cur) * 1e3,
                "current_density_mA_cm2": jd(j),
                "plating": bool(pl_),
                "plateau_V": float(pl),
                "end_V": float(end),
                "noise_V": float(nz),
                "spike_peak_V": float(pk),
                "spike_time_s": float(ts),
                "spike_following_V": float(fol),
                "spike_V": float(vsp),
                "spike_detected": bool(det),
            }
            for h, c, t0, dur, cur, j, pl_, pl, end, nz, pk, ts, fol, vsp, det in zip(
                hc.index, hc["cycle"], hc["t_start"], hc["duration"], hc["current"], hc["current_density"],
                hc["plating"], hc["plateau_V"], hc["end_V"], hc["noise_V"], hc["spike_peak_V"], hc["spike_time"],
                hc["spike_following_V"], hc["spike_V"], hc["spike_detected"], strict=True,
            )
        ]
        shorts = [
            {
                "time_s": ev.time,
                "cycle": ev.cycle,
                "half_cycle": ev.half_cycle,
                "current_mA": abs(ev.current) * 1e3,
                "current_density_mA_cm2": None if self.area is None else abs(ev.current) / self.area * 0.1,
                "kind": ev.kind,
                "polarisation_before_V": ev.u_before,
                "polarisation_after_V": ev.u_after,
                "noise_ratio": ev.noise_ratio,
                "confirmed_by_impedance": ev.confirmed_by_impedance,
                "impedance_before_ohm": ev.impedance_before,
                "impedance_after_ohm": ev.impedance_after,
                "impedance_measure": ev.impedance_measure,
            }
            for ev in self.shorts
        ]
        ccd = self.ccd
        to_ma = 0.1
        spectra = [] if self.spectra is None else [
            {"spectrum": int(r.spectrum), "technique": str(r.technique), "time_s": float(r.time),
             "cycle": int(r.cycle), "points": int(r.points), "lf_modulus_ohm": float(r.lf_modulus),
             "f_min_Hz": float(r.f_min),
             "dc_current_mA": None if not np.isfinite(r.dc_current) else float(r.dc_current) * 1e3,
             "dc_voltage_V": None if not np.isfinite(r.dc_voltage) else float(r.dc_voltage)}
            for r in self.spectra.itertuples()
        ]
        segments = [] if self.segments is None else [
            {"technique": str(r.technique), "t_start_s": float(r.t_start), "t_end_s": float(r.t_end),
             "rows": int(r.rows), "spectrum": None if r.spectrum < 0 else int(r.spectrum)}
            for r in self.segments.itertuples()
        ]
        return {
            "source": self.source,
            "area_cm2": None if self.area is None else self.area * 1e4,
            "failed": self.failed,
            "failures": [ev.to_dict() for ev in self.failures],
            "notes": list(self.notes),
            "segments": segments,
            "spectra": spectra,
            "cycles": cycles,
            "half_cycles": half,
            "capacity": _capacity_rows(self.capacity_table),
            "capacity_summary": capacity_summary(self.capacity_table),
            "shorts": shorts,
            "ccd_mA_cm2": None if ccd.ccd is None else ccd.ccd * to_ma,
            "stable_up_to_mA_cm2": (None if self.failed or ccd.lower_bound is None or self.area is None
                                    else ccd.lower_bound * to_ma),
            "ccd_protocol": {
                "step_increase": ccd.step_increase,
                "last_stable_mA_cm2": None if ccd.last_stable is None else ccd.last_stable * to_ma,
                "lower_bound_mA_cm2": None if ccd.lower_bound is None else ccd.lower_bound * to_ma,
                "levels": [
                    {
                        "current_density_mA_cm2": jd(lv["current_density"]),
                        "half_cycles": lv["half_cycles"],
                        "half_cycle_time_s": lv["half_cycle_time"],
                        "capacity_mAh_cm2": (None if not np.isfinite(lv["capacity"])
                                             else lv["capacity"] / 36000.0),  # 1 mAh/cm2 = 36000 C/m2
                    }
                    for lv in ccd.levels
                ],
            },
            "settings": self.settings,
        }


def _capacity_rows(cap: pd.DataFrame) -> list[dict]:
    """Per-cycle capacity rows for JSON: mAh (1 mAh = 3.6 C); CE and retention null when incomplete."""
    rows = []
    for c, q1, q2, ce, ret, done in zip(cap.index, cap["capacity_first"], cap["capacity_second"],
                                        cap["coulombic_efficiency"], cap["retention"], cap["complete"], strict=True):
        rows.append({
            "cycle": int(c),
            "capacity_first_mAh": float(q1) / 3.6,
            "capacity_second_mAh": float(q2) / 3.6,
            # a cut cycle's ratios describe where the record stopped, not the cell
            "coulombic_efficiency": float(ce) if done else None,
            "retention": float(ret) if done else None,
            "complete": bool(done),
        })
    return rows


def _dataset(frame: pd.DataFrame, dim: str, attrs: dict, units: dict):
    import xarray as xr

    data_vars = {}
    for c in frame.columns:
        unit, long_name = units.get(c, ("1", c))
        data_vars[c] = (dim, frame[c].to_numpy(), {"units": unit, "long_name": long_name})
    coords = {dim: (dim, frame.index.to_numpy(), {"units": "1", "long_name": dim.replace("_", " ")})}
    return xr.Dataset(data_vars, coords=coords, attrs=attrs)


_CYCLE_UNITS = {
    "overpotential_V": ("V", "mean plateau polarisation of the cycle"),
    "spike_V": ("V", "largest detected nucleation spike V_sp of the cycle (0: none)"),
    "capacity_first": ("C", "charge of the first half-cycle"),
    "capacity_second": ("C", "charge of the second half-cycle"),
    "coulombic_efficiency": ("1", "Q_second / Q_first"),
    "retention": ("1", "Q_second / Q_second of the first complete cycle"),
    "complete": ("1", "both half-cycles finished (False: the record ends inside this cycle)"),
}


def analyze(
    record,
    area: float | None = None,
    spike_fraction: float = SPIKE_FRACTION,
    spike_significance: float = SPIKE_SIGNIFICANCE,
    spectra: list | None = None,
    cell: str = "auto",
    **short_options,
) -> CellAnalysis:
    """Analyse a cycling record: segmentation, overpotential, spikes, shorts, other failures, CCD, capacity.

    Parameters
    ----------
    record : interlayer.io.Record
        A cycling record (``kind == "cycling"``), possibly with impedance sweeps in between
        (``record.impedance``): cycling analysis runs on its CC/CV segments; its spectra confirm
        or contradict shorts (:func:`interlayer.analysis.spectra.confirm_shorts`). An impedance
        record whose sweeps ran on a DC current (GEIS on DC) is analysed through that DC trace
        (one sample per impedance point), so a voltage running away under it is seen.
    area : float, optional
        Electrode area [m^2]; defaults to the area stated in the file. Without one, everything
        that needs no area (voltages, spikes, shorts, failures, times) is reported and current
        densities and the CCD are NaN/None, with a note.
    spike_fraction : float
        Spike window as a fraction of each half-cycle (0 < f < 0.5).
    spike_significance : float
        A spike counts as detected when V_sp > this many noise standard deviations.
    spectra : list of (time [s], impedance Record), optional
        Impedance spectra of the same test from other files, used to confirm shorts.
    cell : {"auto", "symmetric", "full"}
        Short detection, failure detection and CCD apply to symmetric (Li | Li) cells, whose
        polarisation ``V sign(I)`` is positive in both current directions; a full or half cell's
        voltage is an open-circuit voltage that changes through each half-cycle by design, so a
        "collapse" or "climb" of it means nothing. ``"auto"`` calls a record symmetric unless 10%
        or more of its clearly signed half-cycles (|plateau| above the larger of 5 noise_V and a
        fifth of the median |plateau|) have a negative plateau polarisation. When 90% or more are
        negative, the record is taken as a symmetric cell recorded with the opposite voltage sense
        and analysed as ``-V`` (``settings["voltage_inverted"]``).
    **short_options
        Passed to :func:`interlayer.analysis.shorts.detect_shorts`.
    """
    from interlayer.analysis.spectra import confirm_shorts, spectrum_summary

    notes: list[str] = []
    if getattr(record, "kind", None) == "impedance":
        record = _dc_trace(record)
        notes.append("no time-domain rows: analysed through the DC state of the impedance sweeps "
                     "(one sample per impedance point; spikes are not looked for)")
    if getattr(record, "kind", None) != "cycling":
        raise InputError("record", "analyze needs a cycling record (time, voltage, current); got impedance data")
    area = area if area is not None else record.area
    if area is not None and not area > 0:
        raise InputError("area", f"electrode area must be > 0 m^2, got {area}")
    if area is not None and not area <= 1.0:
        raise InputError("area", f"electrode area must be at most 1 m^2 (10^4 cm2), got {area:g} m^2")
    if area is None:
        notes.append("no electrode area (none in the file, no --area): current densities and the CCD are null; "
                     "voltages, spikes, shorts and failures need none")
    if not 0 < spike_fraction < 0.5:
        raise InputError("spike_fraction", f"must be in (0, 0.5), got {spike_fraction}")
    table, view = half_cycle_table(record.data, spike_fraction)
    if len(table) == 0:
        raise InputError(record.source, "no current flows in the CC/CV segments of this record: nothing to analyse")
    if cell not in ("auto", "symmetric", "full"):
        raise InputError("cell", f"must be 'auto', 'symmetric' or 'full', got {cell!r}")
    # A half-cycle contradicts a symmetric cell when its polarisation is clearly negative (beyond
    # its noise and a fifth of the record's typical polarisation): the voltage then does not follow
    # the current, as in full and half cells. Near-zero values (a shorted symmetric cell) do not.
    pl = table["plateau_V"].to_numpy()
    margin = np.maximum(5 * table["noise_V"].to_numpy(), 0.2 * np.median(np.abs(pl)))
    signed = np.abs(pl) > margin  # near-zero half-cycles (e.g. after a short) have no say
    negative = float(np.mean(pl[signed] < 0)) if signed.any() else 0.0
    inverted = cell != "full" and negative >= 0.9
    if inverted:
        # every half-cycle polarised against the current: a symmetric cell recorded with the
        # voltage leads swapped (or a cycler with the opposite voltage sense); analyse -V
        table, view = half_cycle_table(record.data.assign(voltage=-record.data["voltage"]), spike_fraction)
        negative = 0.0
    symmetric = cell == "symmetric" or (cell == "auto" and negative < 0.1)
    if symmetric:
        shorts = detect_shorts(table, view, **short_options)
        failures = detect_failures(table, view, shorts)
    else:
        shorts, failures = [], []
    # a spike counts when it stands clear of the noise, relaxes like a nucleation spike, and the
    # half-cycle is not (yet) shorted (a short inside the spike windows fakes a huge V_sp)
    hc = table.index.to_numpy()
    vsp = table["spike_V"].to_numpy()
    detected = (
        (vsp > spike_significance * table["noise_V"].to_numpy())
        & (vsp > SPIKE_NULL_FACTOR * table["spike_null_V"].to_numpy())
        & table["spike_sharp"].to_numpy()
        & (hc < (shorts[0].half_cycle if shorts else hc.max() + 1))
    )
    if notes and record.metadata.get("dc_from_impedance"):
        detected[:] = False
    area_or_nan = area if area is not None else np.nan
    table = table.assign(
        current_density=table["abs_current"].to_numpy() / area_or_nan,
        capacity=table["charge"].to_numpy() / area_or_nan,
        plating=table["current"].to_numpy() < 0,
        spike_detected=detected,
    )
    summary = None
    if record.impedance is not None and len(record.impedance.data):
        summary = spectrum_summary(record.impedance, record)
        confirm_shorts(shorts, summary)
    if spectra:
        confirm_with_impedance(shorts, spectra)
    ccd = critical_current_density(table, shorts, area if area is not None else 1.0)
    if area is None:
        ccd = CCDResult(None, None, None, ccd.step_increase,
                        [{**lv, "current_density": np.nan, "capacity": np.nan} for lv in ccd.levels])
    if not symmetric:  # no CCD statement without short detection; the levels stay informative
        ccd = CCDResult(None, None, None, ccd.step_increase, ccd.levels)
    if failures and ccd.ccd is None:  # a cell that failed otherwise was not "stable up to" anything
        ccd = CCDResult(None, None, None, ccd.step_increase, ccd.levels)
        notes.append(f"no CCD: the cell failed by {failures[0].kind.replace('_', ' ')} at {failures[0].time:.1f} s, "
                     "not by a short")
    # per-cycle aggregates in NumPy (cycles are consecutive runs of half-cycles)
    cyc = table["cycle"].to_numpy()
    first = np.flatnonzero(np.r_[True, cyc[1:] != cyc[:-1]])
    count = np.diff(np.r_[first, cyc.size])
    # the cycle's spike: the largest *detected* V_sp of its half-cycles (0 if none), its peak and time
    det_v = np.where(detected, vsp, -np.inf)
    best = np.array([first[k] + int(np.argmax(det_v[first[k]: first[k] + count[k]])) for k in range(first.size)],
                    dtype=np.int64)
    cycles = pd.DataFrame(
        {
            "abs_current": np.maximum.reduceat(table["abs_current"].to_numpy(), first),
            "current_density": np.maximum.reduceat(table["current_density"].to_numpy(), first),
            "overpotential_V": np.add.reduceat(table["plateau_V"].to_numpy(), first) / count,
            "spike_V": np.maximum.reduceat(np.where(detected, vsp, 0.0), first),
            "spike_detected": np.logical_or.reduceat(table["spike_detected"].to_numpy(), first),
            "spike_peak_V": table["spike_peak_V"].to_numpy()[best],
            "spike_time": table["spike_time"].to_numpy()[best],
        },
        index=pd.Index(cyc[first], name="cycle"),
    )
    cycles = cycles[cycles.index >= 1]
    cap = cycle_capacity(table)
    settings = {
        "spike_fraction": spike_fraction,
        "spike_significance": spike_significance,
        "cell": "symmetric" if symmetric else "full/half",
        "voltage_inverted": bool(inverted),
        "short_detection": "on" if symmetric else (
            f"skipped: {negative:.0%} of half-cycles have a clearly negative polarisation V*sign(I), "
            "so this is not a symmetric cell (force with cell='symmetric')"
        ),
        **short_options,
    }
    attrs = {"source": record.source, "format": record.format}
    if area is not None:
        attrs["area_m2"] = float(area)
    return CellAnalysis(table, cycles, cap, shorts, ccd, None if area is None else float(area), record.source,
                        settings, attrs, failures=failures, spectra=summary, notes=notes,
                        segments=record.segments())


#: A DC current below this [A] under an impedance sweep is the instrument's offset, not a DC bias.
DC_CURRENT_FLOOR = 1e-7


def dc_current_flows(dc_current) -> bool:
    """True when impedance sweeps ran on a DC current: median |I_dc| above :data:`DC_CURRENT_FLOOR`
    and above 5 times the spread of I_dc (GEIS on DC; a zero-bias sweep reads noise only)."""
    i = np.asarray(dc_current, dtype=float)
    i = i[np.isfinite(i)]
    if i.size == 0:
        return False
    med = float(np.median(np.abs(i)))
    return med > DC_CURRENT_FLOOR and med > 5 * float(np.std(i))


def _dc_trace(imp):
    """A cycling record from the DC state of impedance sweeps run on a DC current (GEIS on DC)."""
    from interlayer.io._record import finish_cycling

    d = imp.data
    if not {"dc_current", "dc_voltage", "time"} <= set(d.columns):
        raise InputError("record", "analyze needs a cycling record (time, voltage, current); this file holds "
                                   "impedance spectra only (use 'interlayer eis')")
    i = d["dc_current"].to_numpy()
    if not dc_current_flows(i):
        raise InputError("record", "analyze needs a cycling record; this file holds impedance spectra measured "
                                   "without DC current (use 'interlayer eis')")
    order = np.argsort(d["time"].to_numpy(), kind="stable")
    rec = finish_cycling({"time": d["time"].to_numpy()[order], "voltage": d["dc_voltage"].to_numpy()[order],
                          "current": i[order]}, imp.source, imp.format, area=imp.area,
                         metadata={**imp.metadata, "dc_from_impedance": True},
                         technique=np.full(i.size, "CC", dtype=object), impedance=imp)
    return rec
