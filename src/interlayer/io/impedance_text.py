"""Impedance text formats: Gamry ``.DTA`` (EIS and chronopotentiometry curves) and ZView/ZPlot ``.z``.

Written here (not impedance.py's readers) because those readers drop the metadata we need (area,
abort flag) and do not report where a bad file breaks.

Gamry ``.DTA``: a tagged header (``TAG``, ``AREA QUANT 1.0 &Area (cm^2)``, ...), then tables such as
``ZCURVE TABLE`` followed by a tab-indented header row, a units row and data rows, each starting
with a tab. Gamry's ``Zimag`` is signed (negative for capacitive behaviour), which is our
convention. An aborted experiment carries ``EXPERIMENTABORTED TOGGLE T``: its rows up to the abort
are valid, so they are returned with a :class:`PartialDataWarning`.

ZView/ZPlot ``.z`` (``ZPLOT2 ASCII``): a header ending in ``End Comments``, then rows of
frequency, AC amplitude, DC bias, time, Z', Z'', ... separated by tabs or commas; Z'' is signed.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from interlayer.errors import InputError
from interlayer.io._record import (
    PartialDataWarning,
    Record,
    finish_cycling,
    finish_impedance,
    flag_partial,
    sweep_end_check,
)
from interlayer.io._text import decode, last_row_cut, numeric_table, read_bytes
from interlayer.units import CM2

GAMRY_MAGIC = "EXPLAIN"
ZPLOT_MAGIC = "ZPLOT2 ASCII"

_TABLE = re.compile(r"^(\w*CURVE\w*)\tTABLE")


def read_gamry(path: str | Path, text: str | None = None) -> Record:
    """Read a Gamry ``.DTA`` file: ``ZCURVE`` as an impedance record, else ``CURVE`` as cycling.

    Warns
    -----
    PartialDataWarning
        When the file says the experiment was aborted (the rows before the abort are returned).
    """
    if text is None:
        text = decode(read_bytes(path))
    lines = text.splitlines()
    if not lines or lines[0].strip() != GAMRY_MAGIC:
        raise InputError(str(path), "line 1: not a Gamry .DTA file (expected 'EXPLAIN')")
    tables: dict[str, int] = {}  # table name -> its line
    for k, line in enumerate(lines):
        m = _TABLE.match(line)
        if m:
            tables.setdefault(m.group(1), k)
    metadata: dict = {"instrument": "Gamry"}
    area = None
    for line in lines[:200]:
        fields = line.split("\t")
        if fields[0] == "TAG" and len(fields) > 1:
            metadata["technique"] = fields[1]
        if fields[0] == "AREA" and len(fields) > 2:
            try:
                area = float(fields[2]) / CM2  # Gamry states the area in cm^2
            except ValueError:
                raise InputError(str(path), f"line {lines.index(line) + 1}: cannot read area {fields[2]!r}") from None
            if not area > 0:
                area = None
    aborted = any(line.startswith("EXPERIMENTABORTED\tTOGGLE\tT") for line in lines)
    if "ZCURVE" in tables:
        name, wanted = "ZCURVE", {"Freq": "frequency", "Zreal": "z_real", "Zimag": "z_imag", "Time": "time"}
    elif "CURVE" in tables:
        name, wanted = "CURVE", {"T": "time", "Vf": "voltage", "Im": "current"}
    else:
        raise InputError(str(path), "no ZCURVE or CURVE table in the Gamry file")
    start = tables[name]
    if start + 2 >= len(lines):
        raise InputError(str(path), f"line {start + 1}: {name} table has no header (truncated file?)")
    header = lines[start + 1].split("\t")
    rows = []
    k = start + 3
    while k < len(lines) and lines[k].startswith("\t"):
        rows.append(lines[k])
        k += 1
    if not rows:
        raise InputError(str(path), f"line {start + 4}: {name} table has no data rows")
    names = [h.strip() or f"_c{j}" for j, h in enumerate(header)]
    missing = [w for w in wanted if w not in names and w != "Time"]
    if missing:
        raise InputError(str(path), f"line {start + 2}: {name} header lacks {missing}")
    keep = [w for w in wanted if w in names]
    table = numeric_table(rows, start + 4, "\t", path, names=names, keep=keep)
    df = pd.DataFrame({wanted[w]: table[w].to_numpy() for w in keep})
    if aborted:
        warnings.warn(
            f"{path}: Gamry experiment was aborted; returning the {len(df)} rows measured before the abort",
            PartialDataWarning,
            stacklevel=2,
        )
        metadata["aborted"] = True
    if last_row_cut(text, "\t") and len(df) > 1 and k == len(lines):
        df = df.iloc[:-1]
        flag_partial(metadata, path, f"the file ends without a line break: its last row may be cut, left out "
                                     f"({len(df)} rows kept)")
    if name == "ZCURVE":
        if not aborted:
            sweep_end_check(df["frequency"].to_numpy(), _gamry_quant(lines, "FREQINIT"),
                            _gamry_quant(lines, "FREQFINAL"), metadata, path)
        # the technique tag names the control: EISGALV galvanostatic, EISPOT potentiostatic
        tag = str(metadata.get("technique", "")).upper()
        df["technique"] = "GEIS" if "GALV" in tag else ("PEIS" if "POT" in tag else "EIS")
        return finish_impedance(df, path, "gamry-dta", area=area, metadata=metadata)
    # a CURVE table: chronopotentiometry (galvanostatic) unless the current says otherwise
    return finish_cycling(df, path, "gamry-dta", area=area, metadata=metadata)


def _gamry_quant(lines: list[str], tag: str) -> float | None:
    for line in lines[:300]:
        fields = line.split("\t")
        if fields[0] == tag and len(fields) > 2:
            try:
                return float(fields[2])
            except ValueError:
                return None
    return None


def _zplot_header(lines: list[str], key: str) -> float | None:
    for line in lines[:200]:
        name, sep, value = line.partition(":")
        if sep and name.strip() == key:
            try:
                return float(value.strip())
            except ValueError:
                return None
    return None


def read_zplot(path: str | Path, text: str | None = None) -> Record:
    """Read a ZView/ZPlot ``.z`` file (``ZPLOT2 ASCII``) into an impedance record."""
    if text is None:
        text = decode(read_bytes(path))
    lines = text.splitlines()
    if not lines or not lines[0].startswith(ZPLOT_MAGIC):
        raise InputError(str(path), "line 1: not a ZPlot file (expected 'ZPLOT2 ASCII')")
    end = next((k for k, line in enumerate(lines) if line.strip() == "End Comments"), None)
    if end is None:
        raise InputError(str(path), f"line {len(lines)}: no 'End Comments' line before the data (truncated header?)")
    data = lines[end + 1 :]
    sep = "," if data and "," in data[0] and "\t" not in data[0] else r"\s+"
    first = next((ln for ln in data if ln.strip()), "")
    width = len(re.split(r"[,\s]+", first.strip())) if first else 0
    if width < 6:
        raise InputError(str(path), f"line {end + 2}: expected at least 6 columns (f, ..., Z', Z''), got {width}")
    names = [f"c{j}" for j in range(width)]
    table = numeric_table(
        [ln.strip() for ln in data], end + 2, sep, path, names=names, keep=["c0", "c4", "c5", "c3"]
    )
    df = pd.DataFrame(
        {"frequency": table["c0"], "z_real": table["c4"], "z_imag": table["c5"], "time": table["c3"]}
    )
    if not np.all(df["frequency"].to_numpy() > 0):
        k = int(np.flatnonzero(~(df["frequency"].to_numpy() > 0))[0])
        raise InputError(str(path), f"line {end + 2 + k}: frequency must be > 0")
    metadata = {"instrument": "Scribner ZPlot"}
    if last_row_cut(text, sep) and len(df) > 1:
        df = df.iloc[:-1]
        flag_partial(metadata, path, f"the file ends without a line break: its last row may be cut, left out "
                                     f"({len(df)} rows kept)")
    sweep_end_check(df["frequency"].to_numpy(), _zplot_header(lines, "vs Freq-Initial"),
                    _zplot_header(lines, "vs Freq-Final"), metadata, path)
    return finish_impedance(df, path, "zplot-z", metadata=metadata)
