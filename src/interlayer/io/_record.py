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
=============  ====  ==========================================================================

Sign convention: the instruments' own. ``current > 0`` oxidises the working electrode (charging a
full cell whose positive electrode is the working electrode; in a Li | Li symmetric cell it strips
Li from the working electrode and plates it on the counter electrode). ``voltage`` is measured in the
same sense, so in a symmetric cell ``voltage * sign(current) > 0`` is the polarisation.

Impedance records (``kind == "impedance"``)
--------------------------------------------
``frequency`` [Hz], ``z_real`` [ohm], ``z_imag`` [ohm] with ``Z = z_real + 1j * z_imag``
(capacitive arcs have ``z_imag < 0``), optionally ``time`` [s].
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

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
}
IMPEDANCE_UNITS = {
    "frequency": ("Hz", "frequency"),
    "z_real": ("ohm", "real part of the impedance"),
    "z_imag": ("ohm", "imaginary part of the impedance (negative for capacitive arcs)"),
    "time": ("s", "time of the measurement point"),
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
            unit, long_name = table.get(c, ("1", c))
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


def finish_cycling(
    df, source: str, fmt: str, area=None, mass=None, metadata=None
) -> Record:
    """Complete a cycling table (charge, step, rest, half_cycle, cycle) and wrap it in a Record.

    ``df`` (a DataFrame or a dict of arrays) must hold at least ``time`` [s], ``voltage`` [V] and
    ``current`` [A]; ``charge`` [C] and ``step`` are used when present.
    """
    t = np.asarray(df["time"], dtype=float)
    i = np.asarray(df["current"], dtype=float)
    cols = {"time": t, "voltage": np.asarray(df["voltage"], dtype=float), "current": i}
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
    hc = half_cycles(i, rest)
    cols.update(half_cycle=hc, cycle=(hc + 1) // 2, rest=rest)
    return Record(pd.DataFrame(cols), "cycling", str(source), fmt, area, mass, dict(metadata or {}))


def finish_impedance(df: pd.DataFrame, source: str, fmt: str, area=None, metadata=None) -> Record:
    """Wrap an impedance table (``frequency``, ``z_real``, ``z_imag``, optional ``time``) in a Record."""
    cols = [c for c in ("frequency", "z_real", "z_imag", "time") if c in df.columns]
    df = df[cols].reset_index(drop=True).astype(float)
    return Record(df, "impedance", str(source), fmt, area, None, dict(metadata or {}))


def display_name(path: str | Path) -> str:
    """The file name used in error messages."""
    return str(path)


class PartialDataWarning(UserWarning):
    """A file was read only in part (an aborted or truncated measurement); the data kept are valid."""
