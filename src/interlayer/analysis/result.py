"""The result of :func:`interlayer.analysis.analyze`: :class:`CellAnalysis`, its Datasets and JSON view."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from interlayer.analysis.capacity import capacity_summary
from interlayer.analysis.ccd import CCDResult
from interlayer.analysis.failures import FailureEvent
from interlayer.analysis.shorts import ShortEvent
from interlayer.units import CM2, MA, MA_CM2, MAH, MAH_CM2

#: half-cycle table column -> (unit, long name), the attrs of :attr:`CellAnalysis.half_cycles`
HALF_CYCLE_UNITS = {
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


#: cycle and capacity table column -> (unit, long name)
CYCLE_UNITS = {
    "overpotential_V": ("V", "mean plateau polarisation of the cycle"),
    "spike_V": ("V", "largest detected nucleation spike V_sp of the cycle (0: none)"),
    "capacity_first": ("C", "charge of the first half-cycle"),
    "capacity_second": ("C", "charge of the second half-cycle"),
    "coulombic_efficiency": ("1", "Q_second / Q_first"),
    "retention": ("1", "Q_second / Q_second of the first complete cycle"),
    "complete": ("1", "both half-cycles finished (False: the record ends inside this cycle)"),
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
        return _dataset(self.half_cycle_table, "half_cycle", self.attrs, HALF_CYCLE_UNITS)

    @cached_property
    def cycles(self):
        return _dataset(self.cycle_table, "cycle", self.attrs, {**HALF_CYCLE_UNITS, **CYCLE_UNITS})

    @cached_property
    def capacity(self):
        return _dataset(self.capacity_table, "cycle", self.attrs, CYCLE_UNITS)

    def _repr_html_(self) -> str:  # notebooks: a table of name, value, unit, source (analysis/_html.py)
        from interlayer.analysis._html import cell_analysis_html

        return cell_analysis_html(self)

    def to_dict(self) -> dict:
        """JSON-ready summary in the units the CLI prints (mA/cm2, mAh, V, s).

        Keys: ``source``, ``area_cm2``, ``cycles``, ``half_cycles``, ``capacity`` (per cycle:
        ``capacity_first_mAh``, ``capacity_second_mAh``, ``coulombic_efficiency``, ``retention``
        [1, null for an incomplete cycle], ``complete``), ``capacity_summary`` (complete cycles
        only, see :func:`interlayer.analysis.capacity.capacity_summary`), ``shorts``,
        ``ccd_mA_cm2``, ``ccd_protocol``, ``settings``.
        """
        def jd(x):  # A/m^2 -> mA/cm^2, null without an area
            return None if x is None or not np.isfinite(x) else float(x) * MA_CM2

        cyc = self.cycle_table
        cycles = [
            {
                "cycle": int(c),
                "current_mA": float(cur) * MA,
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
                "current_mA": float(cur) * MA,
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
                "current_mA": abs(ev.current) * MA,
                "current_density_mA_cm2": None if self.area is None else abs(ev.current) / self.area * MA_CM2,
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
        spectra = [] if self.spectra is None else [
            {"spectrum": int(r.spectrum), "technique": str(r.technique), "time_s": float(r.time),
             "cycle": int(r.cycle), "points": int(r.points), "lf_modulus_ohm": float(r.lf_modulus),
             "f_min_Hz": float(r.f_min),
             "dc_current_mA": None if not np.isfinite(r.dc_current) else float(r.dc_current) * MA,
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
            "area_cm2": None if self.area is None else self.area * CM2,
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
            "ccd_mA_cm2": None if ccd.ccd is None else ccd.ccd * MA_CM2,
            "stable_up_to_mA_cm2": (None if self.failed or ccd.lower_bound is None or self.area is None
                                    else ccd.lower_bound * MA_CM2),
            "ccd_protocol": {
                "step_increase": ccd.step_increase,
                "last_stable_mA_cm2": None if ccd.last_stable is None else ccd.last_stable * MA_CM2,
                "lower_bound_mA_cm2": None if ccd.lower_bound is None else ccd.lower_bound * MA_CM2,
                "levels": [
                    {
                        "current_density_mA_cm2": jd(lv["current_density"]),
                        "half_cycles": lv["half_cycles"],
                        "half_cycle_time_s": lv["half_cycle_time"],
                        "capacity_mAh_cm2": (None if not np.isfinite(lv["capacity"])
                                             else lv["capacity"] * MAH_CM2),
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
            "capacity_first_mAh": float(q1) * MAH,
            "capacity_second_mAh": float(q2) * MAH,
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


__all__ = ["CYCLE_UNITS", "HALF_CYCLE_UNITS", "CellAnalysis"]
