"""Delimited text (CSV / TXT): Land CT2001A text exports and any table with a column mapping.

The header row is found by content: the first of the first 200 lines whose fields name a time, a
voltage and a current (``TestTime/h``, ``Voltage/V``, ``Current/mA``, ``Time (s)``, ...), or a
frequency and an impedance. Units come from the header suffixes, or from ``mapping``. A file of
exactly three numeric columns with no header is read as impedance (frequency, Re Z, Im Z), the
convention of impedance.py's CSV files.

Separators: tab, ``;`` or ``,`` (sniffed); with ``;`` or tab, numbers written with a decimal comma
(``-0,08``, European locales) are read as such. Times may be numbers (unit from the header) or
clock strings (``hh:mm:ss``, ``d-hh:mm:ss``: seconds, whatever the header's unit).

Column mapping: ``{"time": "t", "voltage": ("E", "mV"), "current": ("I", "uA")}`` - a column name
(units from its header, else SI) or a (column, unit) pair.
"""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from interlayer.errors import InputError
from interlayer.io._columns import UNIT_FACTORS, clock_seconds, looks_like_clock, match_columns
from interlayer.io._record import Record, finish_cycling, finish_impedance, flag_partial
from interlayer.io._text import decode, first_long_line, last_row_cut, numeric_table, read_bytes

_SEPARATORS = ("\t", ",", ";")


def _guess_separator(lines: list[str]) -> str | None:
    """The delimiter found on every one of the last sample lines (tab, then ``;``, then ``,``).

    ``;`` wins over ``,`` whenever every sampled line has one: European-locale exports separate
    with ``;`` *because* the comma is their decimal mark, so such lines hold commas as well, while
    a comma-separated table has no reason to put a semicolon on every line.
    """
    sample = [ln for ln in lines if ln.strip()][:20]
    if not sample:
        return None
    counts = {s: min(ln.count(s) for ln in sample[-5:]) for s in _SEPARATORS}
    for sep in ("\t", ";", ","):
        if counts[sep] > 0:
            return sep
    return None


_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d*,\d+(?:[eE][-+]?\d+)?\s*$")
_DECIMAL_POINT = re.compile(r"^\s*[-+]?\d*\.\d+(?:[eE][-+]?\d+)?\s*$")


def _guess_decimal(lines: list[str], sep: str | None) -> str:
    """``","`` when a ``;``- or tab-separated table writes numbers like ``-0,08`` (and none like ``0.08``)."""
    if sep not in (";", "\t"):
        return "."  # with a comma separator a comma cannot also be the decimal mark
    cells = [c.strip().strip('"') for ln in lines if ln.strip() for c in ln.split(sep)]
    comma = any(_DECIMAL_COMMA.match(c) for c in cells)
    point = any(_DECIMAL_POINT.match(c) for c in cells)
    return "," if comma and not point else "."


def _resolve(spec, fields: list[str]):
    """``(column, unit or None)`` for a mapping value, or None when the column is not in ``fields``.

    A string naming a header is that header (unit from its suffix); otherwise ``"HEADER/UNIT"``
    is split at its last ``/`` (``"t/s"``: column ``t`` in seconds). A pair is (column, unit).
    """
    if not isinstance(spec, str):
        column, unit = tuple(spec)
        return (column, unit) if column in fields else None
    if spec in fields:
        return spec, None
    column, sep, unit = spec.rpartition("/")
    if sep and column in fields and unit.strip():
        return column, unit.strip()
    return None


def _mapping_to_columns(mapping: dict, headers: list[str], path) -> dict[str, tuple[str, float]]:
    from interlayer.units import parse

    si = {"time": "s", "voltage": "V", "current": "A", "charge": "C", "frequency": "Hz", "z_real": "ohm", "z_imag": "ohm"}
    recognised = match_columns(headers)
    by_header = {h: f for (h, f) in recognised.values()}
    out = {}
    for key, spec in mapping.items():
        if key not in si:
            raise InputError("mapping", f"unknown canonical column {key!r}; allowed: {sorted(si)}")
        found = _resolve(spec, headers)
        if found is None:
            raise InputError("mapping", f"column {spec!r} not in {path} (columns: {headers[:15]})")
        column, unit = found
        if unit is None:
            factor = by_header.get(column, 1.0)
        else:
            known = UNIT_FACTORS.get(str(unit).lower().replace(" ", ""))
            factor = known[1] if known else parse(f"1 {unit}", si[key], field=f"mapping[{key}]")
        out[key] = (column, factor)
    return out


def read_delimited(
    path: str | Path, text: str | None = None, mapping: dict | None = None, fmt: str | None = None
) -> Record:
    """Read a delimited text table (Land CSV/TXT export, or any CSV with ``mapping``)."""
    path = Path(path)
    if text is None:
        with open(path, "rb") as fh:
            head_bytes = fh.read(65536)
        head = decode(head_bytes)
    else:
        head = text[:65536]
    head_lines = head.splitlines()[:200]
    sep = _guess_separator(head_lines)
    header_idx = None
    cols: dict = {}
    headers: list[str] = []
    for k, line in enumerate(head_lines):
        fields = [f.strip().strip('"') for f in (line.split(sep) if sep else line.split())]
        if mapping:
            if all(_resolve(spec, fields) is not None for spec in mapping.values()):
                header_idx, headers = k, fields
                cols = _mapping_to_columns(mapping, fields, path)
                break
            continue
        found = match_columns(fields)
        if {"time", "voltage", "current"} <= found.keys() or (
            "frequency" in found and "z_real" in found and ({"z_imag", "z_imag_neg"} & found.keys())
        ):
            header_idx, headers, cols = k, fields, found
            break
    if header_idx is None:
        if mapping:
            raise InputError(str(path), f"no header row containing the mapped columns {mapping} in the first 200 lines")
        return _headerless(path, text, head_lines, sep)
    is_impedance = "frequency" in cols and "z_real" in cols
    decimal = _guess_decimal(head_lines[header_idx + 1: header_idx + 21], sep)
    step_col = next((h for h in ("Step_Index", "Step", "step", "Ns", "StepID") if h in headers), None)
    usecols = sorted({cols[k][0] for k in cols} | ({step_col} if step_col else set()), key=headers.index)
    source = path if text is None else io.StringIO(text)
    try:
        with warnings.catch_warnings():
            # a row longer than the header: pandas would drop cells with only a warning
            warnings.simplefilter("error", pd.errors.ParserWarning)
            raw = pd.read_csv(
                source, sep=sep or r"\s+", skiprows=header_idx + 1, header=None, names=headers,
                usecols=usecols, engine="c", index_col=False, skip_blank_lines=False, decimal=decimal,
                encoding="latin-1" if text is None else None,
            )
    except pd.errors.ParserWarning:
        lines = (text if text is not None else decode(read_bytes(path))).splitlines()[header_idx + 1:]
        k = first_long_line(lines, sep, len(headers))
        raise InputError(str(path), f"line {header_idx + 2 + k}: more fields than the {len(headers)} header columns") from None
    except (pd.errors.ParserError, ValueError, UnicodeError) as exc:
        m = re.search(r"line (\d+)", str(exc))
        where = f"line {header_idx + 1 + int(m.group(1))}" if m else f"after line {header_idx + 1}"
        raise InputError(str(path), f"{where}: malformed row ({str(exc).splitlines()[0]})") from None
    # blank trailing lines are not rows
    valid = raw.notna().any(axis=1).to_numpy()
    last = np.flatnonzero(valid)
    raw = raw.iloc[: (last[-1] + 1 if last.size else 0)]
    if len(raw) == 0:
        raise InputError(str(path), f"no data rows after the header on line {header_idx + 1}")
    out = {}
    clock = False
    for key, (column, factor) in cols.items():
        series = raw[column]
        what = "a number"
        if series.dtype.kind in "fi":
            values = series.to_numpy(dtype=float)
        elif key == "time" and looks_like_clock(series):
            # hh:mm:ss is a duration in seconds already: a header's /h must not scale it again
            values, factor, what = clock_seconds(series), 1.0, "a clock time (hh:mm:ss)"
            clock = True
        else:
            values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(values)
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            cell = series.iloc[k]
            reason = "missing value (truncated row?)" if pd.isna(cell) else f"cannot read {str(cell)[:30]!r} as {what}"
            if decimal == "." and isinstance(cell, str) and _DECIMAL_COMMA.match(cell):
                reason += (" (a decimal comma in a comma-separated file: export with ';' separators)" if sep == ","
                           else " (a decimal comma, but the first rows use decimal points)")
            raise InputError(str(path), f"line {header_idx + 2 + k}, column {column!r}: {reason}")
        out[key] = values * factor
    metadata: dict = {"header_line": header_idx + 1}
    if not _ends_with_newline(path, text) and len(raw) > 1 and last_row_cut(_tail(path, text), sep):
        # the last row parsed, but a file cut inside a number parses too (-0.00335 cut to -0.003):
        # leave it out and say so
        out = {k: v[:-1] for k, v in out.items()}
        raw = raw.iloc[:-1]
        flag_partial(metadata, path, f"the file ends without a line break: its last row may be cut, left out "
                                     f"({len(raw)} rows kept)")
    if not mapping:  # clock times are seconds whatever the header says: no unit to assume
        _warn_unitless({k: v for k, v in cols.items() if not (k == "time" and clock)}, path)
    if "z_imag_neg" in out:
        out["z_imag"] = -out.pop("z_imag_neg")
    df = pd.DataFrame(out)
    if step_col and not is_impedance:
        df["step"] = pd.to_numeric(raw[step_col], errors="coerce").fillna(0).to_numpy().astype(np.int64)
    land = any("/ma" in h.lower().replace(" ", "") for h in headers) and any(
        h.lower().startswith(("testtime", "capacity/")) for h in headers
    )
    name = fmt or ("land-text" if land else "csv")
    if is_impedance:
        return finish_impedance(df, path, name, metadata=metadata)
    return finish_cycling(df, path, name, metadata=metadata)


_SI_NAMES = {"time": "s", "voltage": "V", "current": "A", "charge": "C", "frequency": "Hz", "z_real": "ohm",
             "z_imag": "ohm", "z_imag_neg": "ohm"}


def _warn_unitless(cols: dict, path) -> None:
    """Warn (:class:`UnitWarning`) for each recognised column whose header names no unit."""
    from interlayer.io._columns import split_header
    from interlayer.io._record import UnitWarning

    missing = [(key, header) for key, (header, _) in cols.items() if not split_header(header)[1]]
    if not missing:
        return
    said = ", ".join(f"{h!r} as {_SI_NAMES[k]}" for k, h in missing)
    example = ",".join(f"{'z_imag' if k == 'z_imag_neg' else k}={h}/{'mA' if k == 'current' else _SI_NAMES[k]}"
                       for k, h in missing)
    warnings.warn(f"{path}: no unit in the header; read {said} (SI). If that is wrong, map the columns: "
                  f"--columns {example}", UnitWarning, stacklevel=3)


def _headerless(path, text, head_lines, sep) -> Record:
    """Three numeric columns without a header: frequency, Re Z, Im Z (impedance.py's CSV layout)."""
    if text is None:
        text = decode(read_bytes(path))
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    fields = first.split(sep) if sep else first.split()
    try:
        [float(f) for f in fields]
    except ValueError:
        raise InputError(
            str(path),
            "line 1: no header naming time, voltage and current (or frequency and impedance) in the first "
            "200 lines; give a column mapping",
        ) from None
    if len(fields) != 3:
        raise InputError(
            str(path), f"line 1: {len(fields)} unnamed columns; only 3 (frequency, Re Z, Im Z) are understood "
            "without a header - give a column mapping",
        )
    table = numeric_table(lines, 1, sep, path, names=["frequency", "z_real", "z_imag"])
    if not np.all(table["frequency"].to_numpy() > 0):
        k = int(np.flatnonzero(~(table["frequency"].to_numpy() > 0))[0])
        raise InputError(str(path), f"line {k + 1}: frequency must be > 0")
    metadata: dict = {}
    if last_row_cut(text, sep) and len(table) > 1:
        table = table.iloc[:-1]
        flag_partial(metadata, path, f"the file ends without a line break: its last row may be cut, left out "
                                     f"({len(table)} rows kept)")
    return finish_impedance(table, path, "csv-impedance", metadata=metadata)


def _ends_with_newline(path, text) -> bool:
    if text is not None:
        return text.endswith(("\n", "\r"))
    try:
        with open(path, "rb") as fh:
            fh.seek(0, 2)
            if fh.tell() == 0:
                return True
            fh.seek(-1, 2)
            return fh.read(1) in (b"\n", b"\r")
    except OSError:
        return True


def _tail(path, text, size: int = 4096) -> str:
    """The last ``size`` characters of the file (or of ``text``)."""
    if text is not None:
        return text[-size:]
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        n = fh.tell()
        fh.seek(max(0, n - size))
        return decode(fh.read())
