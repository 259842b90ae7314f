"""The one-call analysis of a cycling record (:func:`analyze`), step by step through the submodules."""

from __future__ import annotations

import numpy as np
import pandas as pd

from interlayer.analysis.capacity import cycle_capacity
from interlayer.analysis.ccd import CCDResult, critical_current_density
from interlayer.analysis.dc_trace import dc_trace
from interlayer.analysis.failures import detect_failures
from interlayer.analysis.result import CellAnalysis
from interlayer.analysis.segments import SPIKE_FRACTION, half_cycle_table
from interlayer.analysis.shorts import confirm_with_impedance, detect_shorts
from interlayer.analysis.spikes import SPIKE_NULL_FACTOR, SPIKE_SIGNIFICANCE
from interlayer.errors import InputError


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
        record = dc_trace(record)
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


__all__ = ["analyze"]
