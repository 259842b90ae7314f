"""The canonical table every reader returns.

One :class:`Record` holds one measurement: a ``pandas.DataFrame`` in SI units with fixed column names,
plus metadata (source file, format, electrode area and mass when the file states them).

Cycling records (``kind == "cycling"``)
----------------------------------------
=============  ====  ==========================================================================
column         unit  meaning
=============  ====  ==========================================================================
``time``       s     time as the instrument counts it (from the start of its experiment)
``voltage``    V     working-electrode potential minus counter-electrode potential
``current``    A     positive = anodic (oxidation) at the working electrode
``charge``     C     cumulative charge passed, integral of ``current`` dt (same sign)
``step``       1     instrument step / sequence number when the file has one, else 0
``half_cycle`` 1     0 before the first current; +1 at every change of the current's sign
``cycle``      1     ceil(half_cycle / 2): half-cycles 2k-1 and 2k form cycle k
``rest``       bool  True where no current flows (``|current|`` <= 0.1% of its 99th percentile)
``technique``  -     CC, CV, rest or other (see :mod:`interlayer.io._techniques`)
``segment``    1     technique segment: a run of one technique and one program step (0-based)
=============  ====  ==========================================================================

Half-cycles and cycles count the CC and CV rows only. A record that also holds impedance sweeps
(a cycler program looping PEIS or GEIS between plating and stripping) keeps them apart, in
``record.impedance`` (an impedance Record, one ``spectrum`` id per sweep), so that its cycling
table holds time-domain rows only.

Sign convention: the instruments' own. ``current > 0`` oxidises the working electrode (charging a
full cell whose positive electrode is the working electrode; in a Li | Li symmetric cell it strips
Li from the working electrode and plates it on the counter electrode). ``voltage`` is measured in the
same sense, so in a symmetric cell ``voltage * sign(current) > 0`` is the polarisation.

Impedance records (``kind == "impedance"``)
--------------------------------------------
``frequency`` [Hz], ``z_real`` [ohm], ``z_imag`` [ohm] with ``Z = z_real + 1j * z_imag``
(capacitive arcs have ``z_imag < 0``), ``spectrum`` (0-based sweep id), optionally ``time`` [s],
``dc_voltage`` [V] and ``dc_current`` [A] (the DC state the spectrum was measured on) and
``technique`` (PEIS, GEIS or EIS).

Plausibility. A file that parses is not necessarily intact: a flipped bit in a binary file gives
times of 1e264 s or frequencies of -1e38 Hz. Every table is checked before it is returned
(:func:`check_plausible`): finite values, time non-decreasing, |voltage| <= 100 V, |current|
<= 1000 A, 0 < frequency <= 100 MHz, |Z| <= 1e12 ohm, time within 0..1e10 s; a violation is an
InputError naming the row, the column and the allowed range.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, cast

import numpy as np
import pandas as pd

CYCLING_UNITS = {
    "time": ("s", "time since start of record"),
    "voltage": ("V", "cell voltage, working minus counter electrode"),
    "current": ("A", "current, positive = anodic at the working electrode"),
    "charge": ("C", "cumulative charge passed"),
    "step": ("1", "instrument step index"),
    "half_cycle": ("1", "half-cycle index (changes with the sign of the current)"),
    "cycle": ("1", "cycle index, ceil(half_cycle / 2)"),
    "rest": ("1", "True where no current flows"),
    "technique": ("1", "technique of the row: CC, CV, rest, other"),
    "segment": ("1", "technique segment index"),
}
IMPEDANCE_UNITS = {
    "frequency": ("Hz", "frequency"),
    "z_real": ("ohm", "real part of the impedance"),
    "z_imag": ("ohm", "imaginary part of the impedance (negative for capacitive arcs)"),
    "time": ("s", "time of the measurement point"),
    "spectrum": ("1", "spectrum (frequency sweep) index"),
    "dc_voltage": ("V", "DC voltage during the measurement"),
    "dc_current": ("A", "DC current during the measurement"),
    "technique": ("1", "PEIS, GEIS or EIS"),
}

#: Plausibility bounds (instrument ranges with a wide margin): anything outside is a corrupt file.
PLAUSIBLE = {
    "time": (-1.0, 1e10, "s"),
    "voltage": (-100.0, 100.0, "V"),
    "current": (-1000.0, 1000.0, "A"),
    "frequency": (0.0, 1e8, "Hz"),
    "z_real": (-1e12, 1e12, "ohm"),
    "z_imag": (-1e12, 1e12, "ohm"),
    "dc_voltage": (-100.0, 100.0, "V"),
    "dc_current": (-1000.0, 1000.0, "A"),
}

SIGN_CONVENTION = (
    "current > 0 is anodic (oxidation) at the working electrode; voltage = E(working) - E(counter)"
)

# Relative rest threshold: a sample is at rest when |I| is at most this fraction of the record's
# typical |I| (its 99th percentile). Instruments report rest currents as exact zeros or a few nA
# (1e-6 to 1e-5 of a mA range); 0.1% is far above that and far below any protocol's smallest
# step (CCD ramps span 40-100x, e.g. 0.05 -> 5 mA/cm2).
REST_FRACTION = 1e-3


@dataclass
class Record:
    """One measurement in the canonical form (see the module docstring for columns and units).

    Attributes
    ----------
    data : pandas.DataFrame
        The canonical table.
    kind : {"cycling", "impedance"}
        What the table holds.
    source : str
        Path of the file it was read from.
    format : str
        Reader that produced it (``"biologic-mpr"``, ``"neware-nda"``, ...).
    area : float or None
        Electrode area in m^2 when the file states it.
    mass : float or None
        Active mass in kg when the file states it.
    metadata : dict
        Anything else the file says (start time, instrument, ...), as plain values.
    """

    data: pd.DataFrame
    kind: Literal["cycling", "impedance"]
    source: str
    format: str
    area: float | None = None
    mass: float | None = None
    metadata: dict = field(default_factory=dict)
    impedance: Record | None = None

    @property
    def spectra(self) -> Record | None:
        """The impedance sweeps of this record (itself for an impedance record), or None."""
        return self if self.kind == "impedance" else self.impedance

    @property
    def partial(self) -> bool:
        """True when the reader found the file cut short or aborted (rows kept are valid)."""
        return bool(self.metadata.get("partial") or self.metadata.get("aborted"))

    def segments(self):
        """Technique segments as a DataFrame: ``technique``, ``t_start``, ``t_end`` [s], ``rows``,
        ``step``; impedance sweeps appear as one segment each (``spectrum`` set)."""
        parts = []
        if self.kind == "cycling" and len(self.data):
            d = self.data
            g = d.groupby("segment", sort=True)
            parts.append(pd.DataFrame({
                "technique": g["technique"].first().astype(str), "t_start": g["time"].min(),
                "t_end": g["time"].max(), "rows": g.size(), "step": g["step"].first(),
                "spectrum": -1,
            }))
        imp = self.spectra
        if imp is not None and len(imp.data):
            d = imp.data
            g = d.groupby("spectrum", sort=True)
            tt = d["time"] if "time" in d else pd.Series(np.nan, index=d.index)
            tech = d["technique"] if "technique" in d else pd.Series("EIS", index=d.index)
            parts.append(pd.DataFrame({
                "technique": tech.groupby(d["spectrum"]).first().astype(str),
                "t_start": tt.groupby(d["spectrum"]).min(), "t_end": tt.groupby(d["spectrum"]).max(),
                "rows": g.size(), "step": -1, "spectrum": g["spectrum"].first(),
            }))
        if not parts:
            return pd.DataFrame(columns=["technique", "t_start", "t_end", "rows", "step", "spectrum"])
        out = pd.concat(parts, ignore_index=True).sort_values("t_start", kind="stable", na_position="last")
        return out.reset_index(drop=True)

    @property
    def units(self) -> dict[str, str]:
        """Column name -> unit string."""
        table = CYCLING_UNITS if self.kind == "cycling" else IMPEDANCE_UNITS
        return {c: table[c][0] for c in self.data.columns if c in table}

    def __len__(self) -> int:
        return len(self.data)

    def to_xarray(self):
        """The table as an ``xarray.Dataset`` indexed by row, with units and long names in attrs."""
        import xarray as xr

        table = CYCLING_UNITS if self.kind == "cycling" else IMPEDANCE_UNITS
        ds = xr.Dataset({c: ("row", self.data[c].to_numpy()) for c in self.data.columns})
        for c in ds.data_vars:
            unit, long_name = table.get(cast(str, c), ("1", c))  # the columns are names
            ds[c].attrs.update(units=unit, long_name=long_name)
        ds.attrs.update(
            source=self.source, format=self.format, kind=self.kind, sign_convention=SIGN_CONVENTION
        )
        if self.area is not None:
            ds.attrs["area_m2"] = self.area
        if self.mass is not None:
            ds.attrs["mass_kg"] = self.mass
        return ds


def rest_mask(current: np.ndarray, fraction: float = REST_FRACTION) -> np.ndarray:
    """True where ``|current|`` is below ``fraction`` of the record's 99th-percentile ``|current|``."""
    a = np.abs(np.asarray(current, dtype=float))
    if a.size == 0:
        return np.zeros(0, dtype=bool)
    scale = np.percentile(a, 99.0)
    if not scale > 0:
        return np.ones(a.size, dtype=bool)
    return a <= fraction * scale


def half_cycles(current: np.ndarray, rest: np.ndarray) -> np.ndarray:
    """Half-cycle index: 0 before the first current, +1 whenever the sign of the flowing current changes.

    Rest samples keep the index of the half-cycle before them, so a rest inside a half-cycle
    (or after it) does not start a new one. Vectorised: O(n).
    """
    current = np.asarray(current, dtype=float)
    sign = np.where(rest, 0, np.sign(current)).astype(np.int8)
    idx = np.flatnonzero(sign)
    out = np.zeros(current.size, dtype=np.int64)
    if idx.size == 0:
        return out
    s = sign[idx]
    change = np.empty(idx.size, dtype=bool)
    change[0] = True
    change[1:] = s[1:] != s[:-1]
    counter = np.cumsum(change)
    # Spread each flowing sample's counter forward over the rest samples that follow it.
    marks = np.zeros(current.size, dtype=np.int64)
    marks[idx] = counter
    np.maximum.accumulate(marks, out=marks)
    return marks


def check_plausible(cols, source: str | Path, first_row: int = 1, monotonic_time: bool = True) -> None:
    """Refuse a table that parsed but cannot be a measurement (see :data:`PLAUSIBLE`).

    Parameters
    ----------
    cols : mapping
        Column name -> array (SI units).
    source : str
        The file, for the message.
    first_row : int
        Row number of the first element, for the message (1-based data rows).
    monotonic_time : bool
        Require ``time`` to be non-decreasing.

    Raises
    ------
    InputError
        Naming the row, the column, the value and the allowed range.
    """
    from interlayer.errors import InputError

    for name, (lo, hi, unit) in PLAUSIBLE.items():
        if name not in cols:
            continue
        x = np.asarray(cols[name], dtype=float)
        if name == "frequency":
            bad = ~(np.isfinite(x) & (x > lo) & (x <= hi))
        else:
            bad = ~(np.isfinite(x) & (x >= lo) & (x <= hi))
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            rng = f"0 < {name} <= {hi:g} {unit}" if name == "frequency" else f"{lo:g} .. {hi:g} {unit}"
            raise InputError(str(source), f"row {first_row + k}: {name} = {x[k]:.6g} {unit} is outside the "
                                          f"plausible range {rng} (corrupt file?)")
    if monotonic_time and "time" in cols:
        t = np.asarray(cols["time"], dtype=float)
        if t.size > 1:
            back = np.flatnonzero(np.diff(t) < 0)
            if back.size:
                k = int(back[0]) + 1
                raise InputError(str(source), f"row {first_row + k}: time goes back from {t[k - 1]:.6g} s to "
                                              f"{t[k]:.6g} s; time must not decrease (corrupt or merged file?)")


def finish_cycling(
    df, source: str | Path, fmt: str, area=None, mass=None, metadata=None, technique=None, impedance=None
) -> Record:
    """Complete a cycling table (charge, step, rest, half_cycle, cycle, technique, segment) and wrap it.

    ``df`` (a DataFrame or a dict of arrays) must hold at least ``time`` [s], ``voltage`` [V] and
    ``current`` [A]; ``charge`` [C] and ``step`` are used when present. ``technique``: one name
    per row (:data:`interlayer.io._techniques.TECHNIQUES`); when omitted it is inferred from the
    signals within each step (:func:`interlayer.io._techniques.classify_steps`). Half-cycles count
    CC and CV rows only. ``impedance``: the record's impedance sweeps (an impedance Record).
    The table is checked with :func:`check_plausible`.
    """
    from interlayer.io._techniques import CYCLING_TECHNIQUES, TECHNIQUES, classify_steps, run_ids

    t = np.asarray(df["time"], dtype=float)
    i = np.asarray(df["current"], dtype=float)
    cols = {"time": t, "voltage": np.asarray(df["voltage"], dtype=float), "current": i}
    check_plausible(cols, source)
    if "charge" in df:
        cols["charge"] = np.asarray(df["charge"], dtype=float)
    else:
        q = np.zeros_like(i)
        if i.size > 1:
            # trapezoidal integral of the current: the charge column the instrument did not give
            q[1:] = np.cumsum(0.5 * (i[1:] + i[:-1]) * np.diff(t))
        cols["charge"] = q
    cols["step"] = np.asarray(df["step"], dtype=np.int64) if "step" in df else np.zeros(i.size, dtype=np.int64)
    rest = rest_mask(i)
    if technique is None:
        tech = classify_steps(cols["voltage"], i, rest, cols["step"] if "step" in df else None)
    else:
        tech = np.asarray(technique, dtype=object)
        tech = np.where(rest & np.isin(tech, CYCLING_TECHNIQUES), "rest", tech)
    cycling = np.isin(tech, CYCLING_TECHNIQUES)
    hc = half_cycles(i, rest | ~cycling)
    cols.update(half_cycle=hc, cycle=(hc + 1) // 2, rest=rest)
    cols["technique"] = pd.Categorical(tech, categories=TECHNIQUES)
    cols["segment"] = run_ids(tech, cols["step"])
    return Record(pd.DataFrame(cols), "cycling", str(source), fmt, area, mass, dict(metadata or {}),
                  impedance=impedance)


def finish_impedance(df, source: str | Path, fmt: str, area=None, metadata=None, spectrum=None) -> Record:
    """Wrap an impedance table in a Record: ``frequency``, ``z_real``, ``z_imag``, optional ``time``,
    ``dc_voltage``, ``dc_current``, ``technique``; ``spectrum`` ids (default: a new sweep wherever
    the frequency turns back, :func:`interlayer.io._techniques.split_spectra`). Checked with
    :func:`check_plausible` (time need not increase: ZView writes its own clock)."""
    from interlayer.io._techniques import split_spectra

    df = pd.DataFrame(df)
    cols = [c for c in ("frequency", "z_real", "z_imag", "time", "dc_voltage", "dc_current") if c in df.columns]
    out = df[cols].reset_index(drop=True).astype(float)
    check_plausible({c: out[c].to_numpy() for c in out.columns}, source, monotonic_time=False)
    f = out["frequency"].to_numpy()
    out["spectrum"] = np.asarray(spectrum, dtype=np.int64) if spectrum is not None else split_spectra(f)
    if spectrum is not None and out["spectrum"].size:  # renumber 0.. in order of appearance
        out["spectrum"] = np.cumsum(np.r_[True, out["spectrum"].to_numpy()[1:] != out["spectrum"].to_numpy()[:-1]]) - 1
    if "technique" in df.columns:
        out["technique"] = df["technique"].astype(str).to_numpy()
    return Record(out, "impedance", str(source), fmt, area, None, dict(metadata or {}))


def flag_partial(metadata: dict, source, message: str, stacklevel: int = 3) -> None:
    """Mark a record partial (``metadata["partial"]``, with the reason) and warn with
    :class:`PartialDataWarning`: the rows kept are valid, but the file holds less than it says."""
    import warnings

    metadata["partial"] = True
    metadata.setdefault("partial_reasons", []).append(message)
    warnings.warn(f"{source}: {message}", PartialDataWarning, stacklevel=stacklevel)


def sweep_end_check(frequency, f_initial: float | None, f_final: float | None, metadata: dict, source) -> None:
    """Flag a spectrum partial when it stops short of the final frequency its header programs
    (by more than a factor 1.5: a sweep cut off, or a file cut at a record boundary)."""
    f = np.asarray(frequency, dtype=float)
    if f.size == 0 or f_final is None or not (np.isfinite(f_final) and f_final > 0):
        return
    down = f_initial is None or f_initial >= f_final
    reached = f.min() if down else f.max()
    short = reached > 1.5 * f_final if down else reached < f_final / 1.5
    if short:
        flag_partial(metadata, source, f"the sweep stops at {reached:.4g} Hz but its header programs it to "
                                       f"{f_final:.4g} Hz ({f.size} points): a cut or aborted measurement", stacklevel=4)


def display_name(path: str | Path) -> str:
    """The file name used in error messages."""
    return str(path)


class UnitWarning(UserWarning):
    """A column's unit was assumed (its header names none): the message says which unit."""


class PartialDataWarning(UserWarning):
    """A file was read only in part (an aborted or truncated measurement); the data kept are valid."""
