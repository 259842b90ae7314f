r"""One equivalent-circuit fit per impedance spectrum of a record, and what the series shows.

Cycler programs loop impedance sweeps between plating and stripping; each sweep is a spectrum of
its own (``record.spectra.data["spectrum"]``, see :mod:`interlayer.io._techniques`). Every
spectrum is fitted separately (:func:`interlayer.analysis.eis.fit_circuit`), and the table carries
its time, the cycle it follows and the DC state it was measured on, so that the interface
resistance can be followed cycle by cycle and a short confirmed by its collapse.

>>> import numpy as np
>>> from interlayer.analysis.synthetic import mixed_record
>>> rec = mixed_record(n_cycles=3, seed=0)
>>> res = fit_spectra(rec.spectra, "R0-p(R1,C1)", cycling=rec)
>>> len(res.table) == rec.spectra.data["spectrum"].nunique()
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from interlayer.errors import InputError, SolverError
from interlayer.units import MA

#: A short is confirmed when the impedance after it is below this fraction of the impedance before
#: (a parallel electronic path at least halves the cell's resistance: the same threshold as the
#: soft-short collapse of the polarisation).
CONFIRM_RATIO = 0.5


@dataclass
class SpectrumFits:
    """The fits of every spectrum of a record.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per spectrum: ``spectrum``, ``technique``, ``time`` [s, first point],
        ``t_end`` [s], ``points``, ``f_max``, ``f_min`` [Hz], ``dc_voltage`` [V], ``dc_current``
        [A] (medians over the sweep, NaN when not recorded), ``cycle`` and ``half_cycle`` (of the
        last CC/CV sample before the sweep; 0 before any), ``lf_modulus`` [ohm] (|Z| at the
        lowest frequency), ``rms_relative`` [1], ``fit_ok``, one column per resistor [ohm]
        (``R0``, ``R1``...), ``r_total`` [ohm] (sum of the resistors), ``error`` (why a fit
        failed; empty when it converged).
    fits : list of EISFit or None
        The fits, in the table's order (None where the fit failed).
    circuit : str
    """

    table: pd.DataFrame
    fits: list
    circuit: str
    settings: dict = field(default_factory=dict)

    def _repr_html_(self) -> str:  # notebooks: one row per spectrum (analysis/_html.py)
        from interlayer.analysis._html import spectrum_fits_html

        return spectrum_fits_html(self)

    def to_dict(self) -> list[dict]:
        """One JSON-ready dict per spectrum (times in s, currents in mA, resistances in ohm)."""
        out = []
        for (_, row), fit in zip(self.table.iterrows(), self.fits, strict=True):
            item = {
                "spectrum": int(row["spectrum"]), "technique": str(row["technique"]),
                "time_s": _num(row["time"]), "t_end_s": _num(row["t_end"]), "cycle": int(row["cycle"]),
                "half_cycle": int(row["half_cycle"]), "points": int(row["points"]),
                "f_max_Hz": _num(row["f_max"]), "f_min_Hz": _num(row["f_min"]),
                "dc_voltage_V": _num(row["dc_voltage"]),
                "dc_current_mA": None if pd.isna(row["dc_current"]) else float(row["dc_current"]) * MA,
                "lf_modulus_ohm": _num(row["lf_modulus"]), "r_total_ohm": _num(row["r_total"]),
                "error": row["error"] or None,
            }
            if fit is not None:
                item.update(fit.to_dict())
            out.append(item)
        return out


def _num(x):
    return None if x is None or pd.isna(x) else float(x)


def spectrum_summary(imp, cycling=None) -> pd.DataFrame:
    """Per-spectrum timing, DC state and cycle position (no fits): the first columns of
    :attr:`SpectrumFits.table`."""
    d = imp.data
    sid = d["spectrum"].to_numpy()
    g = d.groupby("spectrum", sort=True)
    f = d["frequency"].to_numpy()
    zmod = np.hypot(d["z_real"].to_numpy(), d["z_imag"].to_numpy())
    lowest = d.assign(_f=f, _m=zmod).sort_values(["spectrum", "_f"]).groupby("spectrum")["_m"].first()
    nan = pd.Series(np.nan, index=d.index)
    time = d["time"] if "time" in d else nan
    table = pd.DataFrame({
        "spectrum": g["spectrum"].first().to_numpy(),
        "technique": (d["technique"] if "technique" in d else pd.Series("EIS", index=d.index)).groupby(sid).first().to_numpy(),
        "time": time.groupby(sid).min().to_numpy(),
        "t_end": time.groupby(sid).max().to_numpy(),
        "points": g.size().to_numpy(),
        "f_max": g["frequency"].max().to_numpy(),
        "f_min": g["frequency"].min().to_numpy(),
        "dc_voltage": (d["dc_voltage"] if "dc_voltage" in d else nan).groupby(sid).median().to_numpy(),
        "dc_current": (d["dc_current"] if "dc_current" in d else nan).groupby(sid).median().to_numpy(),
        "lf_modulus": lowest.to_numpy(),
    })
    cyc = np.zeros(len(table), dtype=np.int64)
    half = np.zeros(len(table), dtype=np.int64)
    if cycling is not None and cycling.kind == "cycling" and len(cycling.data) and np.isfinite(table["time"]).all():
        cd = cycling.data
        flowing = cd["technique"].isin(["CC", "CV"]).to_numpy() if "technique" in cd else ~cd["rest"].to_numpy()
        tt = cd["time"].to_numpy()[flowing]
        k = np.searchsorted(tt, table["time"].to_numpy(), side="right") - 1
        ok = k >= 0
        cyc[ok] = cd["cycle"].to_numpy()[flowing][k[ok]]
        half[ok] = cd["half_cycle"].to_numpy()[flowing][k[ok]]
    table["cycle"] = cyc
    table["half_cycle"] = half
    return table


def fit_spectra(imp, circuit: str = "R0-p(R1,CPE1)", guess: dict | None = None, fmin: float | None = None,
                fmax: float | None = None, drop_inductive: bool = True, cycling=None) -> SpectrumFits:
    """Fit ``circuit`` to every spectrum of an impedance record, separately.

    Parameters
    ----------
    imp : interlayer.io.Record
        An impedance record (``record.spectra`` of a mixed record).
    circuit : str
        impedance.py circuit string.
    guess : dict, optional
        Starting values {parameter name: value} used for every spectrum (others from the data).
    fmin, fmax : float, optional
        Frequency window [Hz].
    drop_inductive : bool
        Leave out points with Im Z > 0.
    cycling : interlayer.io.Record, optional
        The cycling record the spectra belong to (gives each spectrum its cycle).

    A fit that fails (too few points after cropping, no convergence) is recorded in the
    ``error`` column; the other spectra are still fitted.
    """
    from interlayer.analysis.eis import fit_circuit, validate_circuit

    try:
        import impedance  # noqa: F401
    except ImportError as exc:
        from interlayer.io import missing_library

        raise missing_library(exc, "equivalent-circuit fits") from None

    if imp is None or getattr(imp, "kind", None) != "impedance" or len(imp.data) == 0:
        raise InputError("record", "no impedance spectra in this record")
    validate_circuit(circuit)
    table = spectrum_summary(imp, cycling)
    d = imp.data
    z_all = d["z_real"].to_numpy() + 1j * d["z_imag"].to_numpy()
    f_all = d["frequency"].to_numpy()
    sid = d["spectrum"].to_numpy()
    order = np.argsort(sid, kind="stable")
    bounds = np.searchsorted(sid[order], table["spectrum"].to_numpy())
    bounds = np.r_[bounds, sid.size]
    fits: list = []  # EISFit, or None where the fit failed
    errors, rms, ok = [], [], []
    resistors: dict[str, list] = {}
    for k in range(len(table)):
        rows = order[bounds[k]: bounds[k + 1]]
        try:
            fit = fit_circuit(f_all[rows], z_all[rows], circuit, guess=guess, fmin=fmin, fmax=fmax,
                              drop_inductive=drop_inductive)
        except (SolverError, InputError) as exc:
            if isinstance(exc, InputError) and exc.field in ("circuit", "guess"):
                raise
            fits.append(None)
            errors.append(str(exc))
            rms.append(np.nan)
            ok.append(False)
            continue
        fits.append(fit)
        errors.append("")
        rms.append(fit.rms_relative)
        ok.append(fit.fit_ok)
        for name, value in fit.resistances().items():
            resistors.setdefault(name, [np.nan] * len(table))[k] = value
    table["rms_relative"] = rms
    table["fit_ok"] = ok
    for name in sorted(resistors, key=lambda n: int(re.sub(r"\D", "", n) or 0)):
        table[name] = resistors[name]
    table["r_total"] = table[list(resistors)].sum(axis=1, min_count=1) if resistors else np.nan
    table["error"] = errors
    settings = {"circuit": circuit, "guess": dict(guess or {}), "fmin_Hz": fmin, "fmax_Hz": fmax,
                "drop_inductive": drop_inductive}
    return SpectrumFits(table, fits, circuit, settings)


def confirm_shorts(events: list, table: pd.DataFrame, ratio: float = CONFIRM_RATIO) -> list:
    """Confirm (True) or contradict (False) each short with the spectra either side of it.

    The cell's impedance is the total fitted resistance where both fits are trusted, else |Z| at
    the lowest frequency. Confirmed when the first spectrum after the event is below ``ratio``
    times the last one before; contradicted otherwise; left None when there is no spectrum on one
    side. Each event gets ``impedance_before`` and ``impedance_after`` [ohm].
    """
    if table is None or len(table) == 0:
        return events
    times = table["time"].to_numpy(dtype=float)
    use_fit = "r_total" in table and "fit_ok" in table
    for ev in events:
        before = np.flatnonzero(times <= ev.time)
        after = np.flatnonzero(times > ev.time)
        if not (before.size and after.size):
            continue
        b, a = table.iloc[before[-1]], table.iloc[after[0]]
        if use_fit and bool(b["fit_ok"]) and bool(a["fit_ok"]) and np.isfinite(b["r_total"]) and np.isfinite(a["r_total"]):
            zb, za, how = float(b["r_total"]), float(a["r_total"]), "fitted total resistance"
        else:
            zb, za, how = float(b["lf_modulus"]), float(a["lf_modulus"]), "|Z| at the lowest frequency"
        ev.confirmed_by_impedance = bool(za < ratio * zb)
        ev.impedance_before = zb
        ev.impedance_after = za
        ev.impedance_measure = how
    return events
