"""BioLogic EC-Lab files: binary ``.mpr`` (through galvani) and ASCII ``.mpt`` exports.

EC-Lab's sign convention is the canonical one (I > 0 anodic at the working electrode, Ewe or
Ecell measured working minus counter), so no sign changes are made. Units are read from the
column headers (``I/mA``, ``(Q-Qo)/mA.h``, ``time/s``).

Current: the measured ``I/mA`` (or ``<I>/mA``) when the file has it. Galvanostatic (GCPL)
files often store only the set-point ``control/V/mA``; then that set-point is used on the rows
the ``flags`` column marks galvanostatic (mode 1), zero on rest rows (mode 3) and dq/dt on
potentiostatic rows (mode 2, where the control column holds a voltage). The set-point is what the
instrument applied; the measured current of a working potentiostat follows it to well within a
per cent. Failing both, the current is dq/dt from the ``dq/mA.h`` column.

Voltage: ``Ecell/V`` when present (the cell voltage in 3-electrode set-ups), else ``Ewe/V``.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from interlayer.errors import InputError
from interlayer.io._columns import UNIT_FACTORS, match_columns
from interlayer.io._record import Record, finish_cycling, finish_impedance
from interlayer.io._text import decode, describe, last_row_cut, numeric_table, read_bytes
from interlayer.units import CM2

MPR_MAGIC = b"BIO-LOGIC MODULAR FILE"
MPT_MAGIC = "EC-Lab ASCII FILE"


def _impedance_columns(df, cols, rows, path) -> dict:
    """Frequency, Z and the DC state of the impedance rows ``rows`` (an index array)."""
    def col(name, factor=1.0):
        return np.asarray(df[name], dtype=float)[rows] * factor

    out = {"frequency": col(*cols["frequency"])}
    if "z_real" in cols and ("z_imag" in cols or "z_imag_neg" in cols):
        out["z_real"] = col(*cols["z_real"])
        out["z_imag"] = col(*cols["z_imag"]) if "z_imag" in cols else -col(*cols["z_imag_neg"])
    elif "|Z|/Ohm" in df and "Phase(Z)/deg" in df:
        # Modulo Bat tables store |Z| and the phase (negative for capacitive behaviour)
        modulus, phase = col("|Z|/Ohm"), np.deg2rad(col("Phase(Z)/deg"))
        out["z_real"], out["z_imag"] = modulus * np.cos(phase), modulus * np.sin(phase)
    else:
        raise InputError(str(path), "impedance rows (freq > 0) without Re(Z)/Im(Z) or |Z|/Phase(Z) columns")
    if "time" in cols:
        out["time"] = col(*cols["time"])
    for key, names in (("dc_voltage", ("<Ewe>/V", "Ecell/V", "Ewe/V")), ("dc_current", ("<I>/mA", "I/mA"))):
        name = next((n for n in names if n in df), None)
        if name is not None:
            out[key] = col(name, 1e-3 if name.endswith("mA") else 1.0)
    return out


def _from_columns(df, path, fmt: str, metadata: dict, area=None) -> Record:
    """``df``: a DataFrame or a dict of column name -> array.

    Rows with ``freq/Hz > 0`` are impedance points: they go to ``record.impedance`` (one spectrum
    per sweep), the other rows to the cycling table with their technique from the control mode.
    """
    from interlayer.io._record import rest_mask
    from interlayer.io._techniques import run_ids, split_spectra

    names = list(df.keys())
    cols = match_columns(names)
    if "Ecell/V" in df:
        cols["voltage"] = ("Ecell/V", 1.0)
    n = len(np.asarray(df[names[0]])) if names else 0
    freq = (np.asarray(df[cols["frequency"][0]], dtype=float) * cols["frequency"][1]
            if "frequency" in cols else np.zeros(n))
    # a NaN or negative frequency is a corrupt row; check_plausible names it below
    is_imp = ~(freq == 0) if "frequency" in cols else np.zeros(n, dtype=bool)
    mode = None
    for name in ("flags", "mode"):
        if name in df:
            mode = np.asarray(df[name]).astype(np.int64) & 3
            break
    step_all = np.asarray(df["Ns"], dtype=np.int64) if "Ns" in df else np.zeros(n, dtype=np.int64)
    impedance = None
    if is_imp.any():
        rows = np.flatnonzero(is_imp)
        imp = _impedance_columns(df, cols, rows, path)
        gap = np.cumsum(np.r_[False, np.diff(rows) > 1])
        spectrum = split_spectra(imp["frequency"], gap, step_all[rows])
        # GEIS when the sweep runs under galvanostatic control (mode 1), PEIS otherwise
        if mode is not None:
            m = mode[rows]
            galv = np.bincount(spectrum, weights=(m == 1).astype(float)) / np.bincount(spectrum)
            imp["technique"] = np.where(galv[spectrum] > 0.5, "GEIS", "PEIS")
        else:
            imp["technique"] = np.full(rows.size, "EIS", dtype=object)
        impedance = finish_impedance(imp, path, fmt, area=area, metadata=dict(metadata), spectrum=spectrum)
        if is_imp.all():
            return impedance
    keep = np.flatnonzero(~is_imp)
    sub = {k: np.asarray(df[k])[keep] for k in names}
    rec = _cycling(sub, cols, path, fmt, metadata, area, mode[keep] if mode is not None else None, impedance)
    if impedance is not None:
        # time-domain rows inside an impedance step (the wait before a sweep, its closing point)
        # belong to that technique, not to cycling
        seg_imp = set(run_ids(step_all)[is_imp].tolist())
        inside = np.isin(run_ids(step_all)[keep], list(seg_imp))
        if inside.any():
            tech = np.array(rec.data["technique"].astype(object), dtype=object)
            tech_imp = dict(zip(run_ids(step_all)[is_imp].tolist(), impedance.data["technique"].tolist(), strict=True))
            tech[inside] = [tech_imp[s] for s in run_ids(step_all)[keep][inside].tolist()]
            d = rec.data
            rec = finish_cycling(d, path, fmt, area=area, metadata=rec.metadata, technique=tech,
                                 impedance=impedance)
    _ = rest_mask  # (rest is recomputed by finish_cycling)
    return rec


def _cycling(df, cols, path, fmt, metadata, area, mode, impedance) -> Record:
    """The time-domain rows of an EC-Lab table as a cycling Record."""
    from interlayer.io._record import rest_mask
    from interlayer.io._techniques import biologic_techniques

    missing = [c for c in ("time", "voltage") if c not in cols]
    if missing:
        raise InputError(str(path), f"no {' or '.join(missing)} column among {list(df.keys())[:12]}")
    t = np.asarray(df[cols["time"][0]], dtype=float) * cols["time"][1]
    out = {"time": t, "voltage": np.asarray(df[cols["voltage"][0]], dtype=float) * cols["voltage"][1]}
    control = [c for c in df.keys() if str(c).startswith("control/") and str(c).endswith("mA")]
    if "current" in cols:
        out["current"] = np.asarray(df[cols["current"][0]], dtype=float) * cols["current"][1]
        metadata["current_source"] = cols["current"][0]
    elif control and mode is not None:
        # EC-Lab's control column is a current (mA) only in galvanostatic mode (flags & 3 == 1,
        # or the .mpt "mode" column); in potentiostatic mode (2) it is a voltage, at rest (3)
        # nothing flows
        ctrl = np.asarray(df[control[0]], dtype=float) * UNIT_FACTORS["ma"][1]
        current = np.where(mode == 1, ctrl, 0.0)
        if np.any(mode == 2):
            if "dq/mA.h" not in df:
                raise InputError(
                    str(path), "potentiostatic rows without a measured current (no I/mA and no dq/mA.h column)"
                )
            current = np.where(mode == 2, _dq_dt(df, t), current)
        out["current"] = current
        metadata["current_source"] = f"{control[0]} (set-point, galvanostatic rows)"
    elif control:
        out["current"] = np.asarray(df[control[0]], dtype=float) * UNIT_FACTORS["ma"][1]
        metadata["current_source"] = f"{control[0]} (set-point)"
    elif "dq/mA.h" in df:
        out["current"] = _dq_dt(df, t)
        metadata["current_source"] = "dq/dt"
    else:
        raise InputError(str(path), "no current column (I/mA, control/mA or dq/mA.h)")
    if "charge" in cols:
        out["charge"] = np.asarray(df[cols["charge"][0]], dtype=float) * cols["charge"][1]
    step = None
    if "Ns" in df:
        step = out["step"] = np.asarray(df["Ns"], dtype=np.int64)
    rest = rest_mask(out["current"])
    technique = biologic_techniques(mode, rest, np.zeros(t.size, dtype=bool), out["voltage"], out["current"], step)
    return finish_cycling(out, path, fmt, area=area, metadata=metadata, technique=technique, impedance=impedance)


def _dq_dt(df, t: np.ndarray) -> np.ndarray:
    """Current [A] from the charge passed since the previous point (``dq/mA.h``) over the time step."""
    dq = np.asarray(df["dq/mA.h"], dtype=float) * UNIT_FACTORS["ma.h"][1]
    dt = np.diff(t, prepend=t[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(dt > 0, dq / dt, 0.0)


def read_mpr(path: str | Path) -> Record:
    """Read a BioLogic ``.mpr`` binary file (galvani's parser) into the canonical table.

    Raises
    ------
    InputError
        When galvani cannot parse it (truncated or corrupt); the message gives the file size.
    """
    from galvani import BioLogic

    size = Path(path).stat().st_size
    try:
        with open(path, "rb") as fh:  # galvani leaves a path it opened unclosed
            mpr = BioLogic.MPRfile(fh)
        data = mpr.data  # a NumPy structured array: no DataFrame needed
        df = {name: data[name] for name in data.dtype.names}
    except Exception as exc:  # galvani raises ValueError, struct.error, NotImplementedError, ...
        raise InputError(
            str(path),
            f"cannot read BioLogic .mpr (corrupt or truncated; the file has {size} bytes): "
            f"{describe(exc)}",
        ) from None
    metadata = {"instrument": "BioLogic"}
    area = mpr_area(mpr)
    start = getattr(mpr, "timestamp", None)
    if start is not None:
        metadata["start_time"] = str(start)
    if len(data) == 0:
        raise InputError(str(path), f"BioLogic .mpr holds no data rows ({size} bytes)")
    return _from_columns(df, path, "biologic-mpr", metadata, area=area)


#: EC-Lab fills the electrode area with 0.001 cm2 when the user leaves it unset; that value is
#: not a statement about the cell.
ECLAB_DEFAULT_AREA_CM2 = 0.001
#: Offset of the electrode surface area (float32, cm2) in the data of the ``VMP Set`` module
#: (the layout documented by yadg's EC-Lab parser).
_MPR_AREA_OFFSET = 0x0211


def mpr_area(mpr) -> float | None:
    """Electrode area [m^2] from an .mpr's settings module, or None (absent, unset or implausible)."""
    for module in getattr(mpr, "modules", None) or []:
        if bytes(module.get("shortname", b"")).strip() != b"VMP Set":
            continue
        data = module.get("data", b"")
        if len(data) < _MPR_AREA_OFFSET + 4:
            return None
        cm2 = float(np.frombuffer(data, offset=_MPR_AREA_OFFSET, dtype="<f4", count=1)[0])
        if np.isfinite(cm2) and 0 < cm2 <= 1e4 and not np.isclose(cm2, ECLAB_DEFAULT_AREA_CM2):
            return cm2 / CM2
        return None
    return None


_HEADER_LINES = re.compile(r"Nb header lines\s*:\s*(\d+)")
_AREA = re.compile(r"Electrode surface area\s*:\s*([-+0-9.,eE]+)\s*(\S+)")
_MASS = re.compile(r"Characteristic mass\s*:\s*([-+0-9.,eE]+)\s*(\S+)")


def read_mpt(path: str | Path, text: str | None = None) -> Record:
    """Read a BioLogic EC-Lab ASCII export (``.mpt``): header block, tab-separated table.

    The header states its own length (``Nb header lines : N``); the last header line holds the
    column names. A decimal comma (European Windows locales) is detected from the first data row.
    Electrode area and characteristic mass are taken from the header when present and non-zero.
    """
    if text is None:
        text = decode(read_bytes(path))
    lines = text.splitlines()
    if not lines or not lines[0].startswith(MPT_MAGIC):
        raise InputError(str(path), "line 1: not an EC-Lab ASCII file (expected 'EC-Lab ASCII FILE')")
    n_header = 1
    if len(lines) > 1:
        m = _HEADER_LINES.search(lines[1])
        if not m:
            raise InputError(str(path), "line 2: missing 'Nb header lines : N'")
        n_header = int(m.group(1))
    if n_header < 1 or n_header > len(lines):
        raise InputError(str(path), f"line 2: header length {n_header} exceeds the file ({len(lines)} lines)")
    names = [c for c in lines[n_header - 1].split("\t")]
    while names and not names[-1].strip():
        names.pop()
    if not names:
        raise InputError(str(path), f"line {n_header}: empty column header")
    data = lines[n_header:]
    first = next((ln for ln in data if ln.strip()), "")
    decimal = "," if ("," in first and "." not in first) else "."
    # rows end with a trailing tab in EC-Lab exports: parse with one spare column and drop it
    width = max((ln.count("\t") + 1 for ln in data[:1]), default=len(names))
    padded = names + [f"_extra{k}" for k in range(max(0, width - len(names)))]
    table = numeric_table(data, n_header + 1, "\t", path, names=padded, decimal=decimal, keep=names)
    header = "\n".join(lines[:n_header])
    metadata: dict = {"instrument": "BioLogic"}
    if last_row_cut(text, "\t") and len(table) > 1:
        from interlayer.io._record import flag_partial

        table = table.iloc[:-1]
        flag_partial(metadata, path, f"the file ends without a line break: its last row may be cut, left out "
                                     f"({len(table)} rows kept)")
    area = _quantity(_AREA, header, "m^2")
    if area is not None and np.isclose(area, ECLAB_DEFAULT_AREA_CM2 / CM2):
        area = None  # EC-Lab's placeholder for "not set"
    mass = _quantity(_MASS, header, "kg")
    record = _from_columns(table, path, "biologic-mpt", metadata, area=area)
    record.mass = mass
    return record


def _quantity(pattern: re.Pattern, header: str, unit: str) -> float | None:
    m = pattern.search(header)
    if not m:
        return None
    from interlayer.units import parse

    try:
        value = parse(f"{m.group(1).replace(',', '.')} {m.group(2).replace('²', '2')}", unit, "header")
    except InputError:
        return None
    return value if value > 0 else None
