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
from interlayer.analysis.segments import SPIKE_FRACTION, half_cycle_table
from interlayer.analysis.shorts import ShortEvent, confirm_with_impedance, detect_shorts
from interlayer.analysis.spikes import SPIKE_NULL_FACTOR, SPIKE_SIGNIFICANCE
from interlayer.errors import InputError

__all__ = ["CellAnalysis", "analyze", "ShortEvent", "CCDResult", "confirm_with_impedance"]

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
    area: float
    source: str = ""
    settings: dict = field(default_factory=dict)
    attrs: dict = field(default_factory=dict)

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
        cyc = self.cycle_table
        cycles = [
            {
                "cycle": int(c),
                "current_density_mA_cm2": float(j) * 0.1,
                "overpotential_V": float(eta),
                "spike_V": float(vsp),
                "spike_detected": bool(det),
            }
            for c, j, eta, vsp, det in zip(
                cyc.index, cyc["current_density"], cyc["overpotential_V"], cyc["spike_V"], cyc["spike_detected"],
                strict=True,
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
                "plateau_V": float(pl),
                "end_V": float(end),
                "spike_V": float(vsp),
                "spike_detected": bool(det),
            }
            for h, c, t0, dur, cur, pl, end, vsp, det in zip(
                hc.index, hc["cycle"], hc["t_start"], hc["duration"], hc["current"], hc["plateau_V"],
                hc["end_V"], hc["spike_V"], hc["spike_detected"], strict=True,
            )
        ]
        shorts = [
            {
                "time_s": ev.time,
                "cycle": ev.cycle,
                "half_cycle": ev.half_cycle,
                "current_density_mA_cm2": abs(ev.current) / self.area * 0.1,
                "kind": ev.kind,
                "polarisation_before_V": ev.u_before,
                "polarisation_after_V": ev.u_after,
                "noise_ratio": ev.noise_ratio,
                "confirmed_by_impedance": ev.confirmed_by_impedance,
            }
            for ev in self.shorts
        ]
        ccd = self.ccd
        to_ma = 0.1
        return {
            "source": self.source,
            "area_cm2": self.area * 1e4,
            "cycles": cycles,
            "half_cycles": half,
            "capacity": _capacity_rows(self.capacity_table),
            "capacity_summary": capacity_summary(self.capacity_table),
            "shorts": shorts,
            "ccd_mA_cm2": None if ccd.ccd is None else ccd.ccd * to_ma,
            "ccd_protocol": {
                "step_increase": ccd.step_increase,
                "last_stable_mA_cm2": None if ccd.last_stable is None else ccd.last_stable * to_ma,
                "lower_bound_mA_cm2": None if ccd.lower_bound is None else ccd.lower_bound * to_ma,
                "levels": [
                    {
                        "current_density_mA_cm2": lv["current_density"] * to_ma,
                        "half_cycles": lv["half_cycles"],
                        "half_cycle_time_s": lv["half_cycle_time"],
                        "capacity_mAh_cm2": lv["capacity"] / 36000.0,  # 1 mAh/cm2 = 36000 C/m2
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
    """Analyse a cycling record: segmentation, overpotential, spikes, shorts, CCD, capacity.

    Parameters
    ----------
    record : interlayer.io.Record
        A cycling record (``kind == "cycling"``).
    area : float, optional
        Electrode area [m^2]; defaults to the area stated in the file. Required if neither.
    spike_fraction : float
        Spike window as a fraction of each half-cycle (0 < f < 0.5).
    spike_significance : float
        A spike counts as detected when V_sp > this many noise standard deviations.
    spectra : list of (time [s], impedance Record), optional
        Impedance spectra of the same test, used to confirm shorts.
    cell : {"auto", "symmetric", "full"}
        Short detection and CCD apply to symmetric (Li | Li) cells, whose polarisation
        ``V sign(I)`` is positive in both current directions; a full or half cell's voltage is an
        open-circuit voltage that changes through each half-cycle by design, so a "collapse" of it
        means nothing. ``"auto"`` calls a record symmetric unless 10% or more of its clearly
        signed half-cycles (|plateau| above the larger of 5 noise_V and a fifth of the median
        |plateau|) have a negative plateau polarisation. When 90% or more are negative, the record is taken
        as a symmetric cell recorded with the opposite voltage sense and analysed as ``-V``
        (``settings["voltage_inverted"]``).
    **short_options
        Passed to :func:`interlayer.analysis.shorts.detect_shorts`.
    """
    if getattr(record, "kind", None) != "cycling":
        raise InputError("record", "analyze needs a cycling record (time, voltage, current); got impedance data")
    area = area if area is not None else record.area
    if area is None or not area > 0:
        raise InputError("area", "electrode area must be given and > 0 (e.g. --area 0.503cm2)")
    if not 0 < spike_fraction < 0.5:
        raise InputError("spike_fraction", f"must be in (0, 0.5), got {spike_fraction}")
    table, view = half_cycle_table(record.data, spike_fraction)
    if len(table) == 0:
        raise InputError(record.source, "no current flows in this record: nothing to analyse")
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
    else:
        shorts = []
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
    table = table.assign(
        current_density=table["abs_current"].to_numpy() / area,
        capacity=table["charge"].to_numpy() / area,
        plating=table["current"].to_numpy() < 0,
        spike_detected=detected,
    )
    if spectra:
        confirm_with_impedance(shorts, spectra)
    ccd = critical_current_density(table, shorts, area)
    if not symmetric:  # no CCD statement without short detection; the levels stay informative
        ccd = CCDResult(None, None, None, ccd.step_increase, ccd.levels)
    # per-cycle aggregates in NumPy (cycles are consecutive runs of half-cycles)
    cyc = table["cycle"].to_numpy()
    first = np.flatnonzero(np.r_[True, cyc[1:] != cyc[:-1]])
    count = np.diff(np.r_[first, cyc.size])
    cycles = pd.DataFrame(
        {
            "current_density": np.maximum.reduceat(table["current_density"].to_numpy(), first),
            "overpotential_V": np.add.reduceat(table["plateau_V"].to_numpy(), first) / count,
            # the cycle's spike: the largest *detected* V_sp of its half-cycles (0 if none)
            "spike_V": np.maximum.reduceat(np.where(detected, vsp, 0.0), first),
            "spike_detected": np.logical_or.reduceat(table["spike_detected"].to_numpy(), first),
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
    attrs = {"source": record.source, "format": record.format, "area_m2": float(area)}
    return CellAnalysis(table, cycles, cap, shorts, ccd, float(area), record.source, settings, attrs)
