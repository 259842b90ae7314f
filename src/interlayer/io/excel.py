"""Excel exports: Arbin (``Channel_*`` sheets) and Land CT2001A (``Record`` sheets).

Both are read with python-calamine when installed (several times faster), else openpyxl.

Arbin (MITS Pro / DataPro "export to Excel"): one ``Global_Info`` sheet and one or more
``Channel_<n>_<k>`` data sheets (large tests are split across sheets) with columns
``Test_Time(s)``, ``Step_Index``, ``Cycle_Index``, ``Voltage(V)``, ``Current(A)``,
``Charge_Capacity(Ah)``, ``Discharge_Capacity(Ah)``. Arbin's sign: charge current > 0 (canonical).

Land CT2001A (LANDdt / LAND BTS "export"): data sheets named ``Record`` (long tests continue in
``Record1``, ``Record2``, ...; only the first has a header in older exports) with columns
``Index``, ``TestTime/h`` (or ``Time/s``), ``StepTime/h``, ``Current/mA``, ``Capacity/mAh``,
``SpeCap/mAh/g``, ``Voltage/V``, ``Energy/mWh``, ``Cycle``, ``Step``. Land's sign: charge > 0.
The layout is read through the unit suffixes of the headers, so ``Current/uA`` or ``Time/min``
variants convert correctly. Times written as clock strings (``07:59:30``, ``1-02:00:00``) or stored
as Excel durations are seconds whatever the header's unit says.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from interlayer.errors import InputError
from interlayer.io._columns import clock_seconds, looks_like_clock, match_columns
from interlayer.io._record import Record, finish_cycling
from interlayer.io._text import describe


def _excel(path):
    try:
        import python_calamine  # noqa: F401

        engine = "calamine"
    except ImportError:  # pragma: no cover - calamine is optional
        engine = "openpyxl"
    try:
        return pd.ExcelFile(str(path), engine=engine)
    except Exception as exc:  # zip / xml errors of every kind
        raise InputError(str(path), f"cannot open Excel workbook ({describe(exc)})") from None


def read_excel(path: str | Path) -> Record:
    """Read an Arbin or Land Excel export (chosen by sheet names and headers)."""
    with _excel(path) as book:
        try:
            return _read_book(book, path)
        except InputError:
            raise
        except Exception as exc:  # calamine's XmlError, zip and xml errors of a damaged workbook
            raise InputError(str(path), f"cannot read Excel workbook (corrupt or truncated; "
                                        f"{describe(exc)})") from None


def _read_book(book, path) -> Record:
    names = book.sheet_names
    channel = [n for n in names if n.lower().startswith("channel") and "chart" not in n.lower()]
    record = [n for n in names if n.lower().startswith("record")]
    if channel:
        frames = [pd.read_excel(book, sheet_name=n) for n in channel]
        df = pd.concat(frames, ignore_index=True)
        return table_to_record(df, path, "arbin-xlsx", {"instrument": "Arbin", "sheets": channel})
    if record:
        first = pd.read_excel(book, sheet_name=record[0])
        frames = [first]
        for n in record[1:]:
            more = pd.read_excel(book, sheet_name=n, header=None)
            if len(more) and not isinstance(more.iloc[0, 0], str):
                more.columns = first.columns[: more.shape[1]]
            else:
                more = pd.read_excel(book, sheet_name=n)
            frames.append(more)
        df = pd.concat(frames, ignore_index=True)
        return table_to_record(df, path, "land-xlsx", {"instrument": "Land", "sheets": record})
    if len(names) == 1:
        df = pd.read_excel(book, sheet_name=names[0])
        return table_to_record(df, path, "excel", {"sheets": names})
    raise InputError(
        str(path),
        f"Excel sheets {names[:6]} are neither an Arbin export (Channel_* sheets) nor a Land export "
        "(Record sheets); use the generic CSV reader with a column mapping",
    )


def table_to_record(df: pd.DataFrame, path, fmt: str, metadata: dict, mapping: dict | None = None) -> Record:
    """Turn a vendor table (headers with units) into a canonical cycling Record.

    ``mapping`` (canonical name -> (column, factor to SI)) overrides the header recognition.
    Rows whose time, voltage or current cell is not a number are an error naming the row
    (spreadsheet row = index + 2, counting the header).
    """
    cols = match_columns(df.columns)
    if mapping:
        cols.update(mapping)
    missing = [c for c in ("time", "voltage", "current") if c not in cols]
    if missing:
        raise InputError(
            str(path), f"no {', '.join(missing)} column recognised among {[str(c) for c in df.columns][:15]}"
        )
    out: dict[str, np.ndarray] = {}
    for key in ("time", "voltage", "current", "charge"):
        if key not in cols:
            continue
        column, factor = cols[key]
        raw = df[column]
        if key == "time" and raw.dtype.kind == "m":  # Excel duration cells read as timedelta
            values, factor, what = raw.dt.total_seconds().to_numpy(dtype=float), 1.0, "a duration"
        elif key == "time" and not pd.api.types.is_numeric_dtype(raw) and looks_like_clock(raw):  # object or str dtype (pandas 3)
            # hh:mm:ss is already a duration in seconds: the header's /h must not scale it again
            values, factor, what = clock_seconds(raw), 1.0, "a clock time (hh:mm:ss)"
        else:
            values, what = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float), "a number"
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            k = int(bad[0])
            raise InputError(str(path), f"row {k + 2}, column {column!r}: cannot read {raw.iloc[k]!r} as {what}")
        out[key] = values * factor
    for step_name in ("Step_Index", "Step", "step", "Ns"):
        if step_name in df.columns:
            step = pd.to_numeric(df[step_name], errors="coerce").fillna(0).to_numpy()
            out["step"] = step.astype(np.int64)
            break
    return finish_cycling(pd.DataFrame(out), path, fmt, metadata=metadata)


def read_arbin_res(path: str | Path) -> Record:
    """Arbin ``.res`` files are Microsoft Access databases: not supported without mdbtools.

    galvani's ``res2sqlite`` converts them by calling the external ``mdb-export`` program
    (mdbtools, a C package, not on PyPI); when it is on PATH the file is converted and read,
    otherwise an InputError explains how to proceed.
    """
    import shutil

    if shutil.which("mdb-export") is None:
        raise InputError(
            str(path),
            "Arbin .res files are Microsoft Access databases; reading them needs the external "
            "'mdb-export' program (mdbtools, e.g. 'apt install mdbtools'), which is not installed. "
            "Export the test from MITS Pro/DataPro to Excel (.xlsx) and read that instead.",
        )
    import sqlite3
    import tempfile

    from galvani import res2sqlite

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "res.sqlite"
        try:
            res2sqlite.convert_arbin_to_sqlite(str(path), str(db))
            with sqlite3.connect(db) as con:
                df = pd.read_sql_query("SELECT * FROM Channel_Normal_Table ORDER BY Data_Point", con)
        except Exception as exc:
            raise InputError(str(path), f"cannot convert Arbin .res ({describe(exc)})") from None
    mapping = {
        "time": ("Test_Time", 1.0),
        "voltage": ("Voltage", 1.0),
        "current": ("Current", 1.0),
    }
    return table_to_record(df, path, "arbin-res", {"instrument": "Arbin"}, mapping=mapping)
