"""Readers for cycler and impedance files, all returning one canonical table (:class:`Record`).

>>> import pathlib, tempfile
>>> from interlayer.io import read
>>> path = pathlib.Path(tempfile.mkdtemp()) / "cell.csv"
>>> _ = path.write_text("time/s,Ewe/V,I/mA\\n0,0.10,1\\n10,0.11,1\\n20,-0.10,-1\\n")
>>> rec = read(path)                                    # or read("cell.mpr"), read("cell.ndax"), ...
>>> rec.format, rec.data["current"].tolist()            # SI: s, V, A
('csv', [0.001, 0.001, -0.001])
>>> import shutil; shutil.rmtree(path.parent)

The reader is chosen by the file's content (magic bytes, zip members, header lines); the
extension is only a hint for text files. Supported formats:

=================  ===================================  ===========================
format             files                                parser
=================  ===================================  ===========================
biologic-mpr       BioLogic EC-Lab binary ``.mpr``      galvani
biologic-mpt       BioLogic EC-Lab ASCII ``.mpt``       ours
neware-nda(x)      Neware ``.nda`` / ``.ndax``          NewareNDA
arbin-xlsx         Arbin Excel export                   pandas (calamine/openpyxl)
arbin-res          Arbin ``.res`` (Access database)     galvani + mdbtools, if present
land-xlsx/-text    Land CT2001A Excel / CSV / TXT       ours, from the column layouts
gamry-dta          Gamry ``.DTA`` (EIS, CURVE tables)   ours
zplot-z            ZView/ZPlot ``.z``                   ours
csv                any delimited table + mapping        pandas C parser
=================  ===================================  ===========================

See :mod:`interlayer.io._record` for the columns, units and the sign convention.
"""

from __future__ import annotations

import importlib
import zipfile
from pathlib import Path

from interlayer.errors import InputError
from interlayer.io._record import (
    CYCLING_UNITS,
    IMPEDANCE_UNITS,
    SIGN_CONVENTION,
    PartialDataWarning,
    Record,
    UnitWarning,
)
from interlayer.io._text import describe

__all__ = [
    "CYCLING_UNITS",
    "IMPEDANCE_UNITS",
    "SIGN_CONVENTION",
    "FORMATS",
    "PartialDataWarning",
    "READERS",
    "Record",
    "TEXT_SIGNATURES",
    "UnitWarning",
    "from_arrays",
    "read",
    "read_text",
    "sniff",
]

#: format -> (module, function) of its reader, the one dispatch table of :func:`read` and
#: :func:`read_text` (the text formats' readers also take ``text=``; only ``text`` takes ``mapping=``).
#: Modules are imported when a file of theirs is read, so a missing reader library fails only there.
READERS = {
    "biologic-mpr": ("interlayer.io.biologic", "read_mpr"),
    "biologic-mpt": ("interlayer.io.biologic", "read_mpt"),
    "neware-nda": ("interlayer.io.neware", "read_nda"),
    "arbin-xlsx": ("interlayer.io.excel", "read_excel"),
    "arbin-res": ("interlayer.io.excel", "read_arbin_res"),
    "excel": ("interlayer.io.excel", "read_excel"),
    "gamry-dta": ("interlayer.io.impedance_text", "read_gamry"),
    "zplot-z": ("interlayer.io.impedance_text", "read_zplot"),
    "text": ("interlayer.io.delimited", "read_delimited"),
}

FORMATS = tuple(READERS)

#: (first line, format, match): the text formats recognised by their first line (after a BOM,
#: stripped), by prefix or as the whole line; any other text is a delimited table ("text").
TEXT_SIGNATURES = (
    ("EC-Lab ASCII FILE", "biologic-mpt", "prefix"),
    ("EXPLAIN", "gamry-dta", "line"),
    ("ZPLOT2 ASCII", "zplot-z", "prefix"),
)


def _text_format(first: str) -> str:
    """The format of a text file from its first line (:data:`TEXT_SIGNATURES`)."""
    for signature, fmt, match in TEXT_SIGNATURES:
        if (first == signature) if match == "line" else first.startswith(signature):
            return fmt
    return "text"


def _reader(fmt: str):
    """The reader function of a format (imports its module)."""
    module, name = READERS[fmt]
    return getattr(importlib.import_module(module), name)


def from_arrays(time, voltage, current, source: str = "arrays", area: float | None = None, **metadata) -> Record:
    """Build a canonical cycling Record from arrays in SI units (s, V, A; sign as documented).

    >>> rec = from_arrays([0, 1, 2, 3], [0.1, 0.1, -0.1, -0.1], [1e-3, 1e-3, -1e-3, -1e-3])
    >>> rec.data["half_cycle"].tolist()
    [1, 1, 2, 2]
    """
    import numpy as np

    from interlayer.io._record import finish_cycling

    cols = {k: np.asarray(v, dtype=float) for k, v in (("time", time), ("voltage", voltage), ("current", current))}
    if not (cols["time"].shape == cols["voltage"].shape == cols["current"].shape and cols["time"].ndim == 1):
        raise InputError("arrays", "time, voltage and current must be 1-D arrays of one length")
    return finish_cycling(cols, source, "arrays", area=area, metadata=metadata)


def sniff(path: str | Path) -> str:
    """Name the reader for a file from its first bytes (extension only breaks ties for text).

    Returns one of :data:`FORMATS`. Raises InputError for unreadable or unrecognised binaries.
    """
    from interlayer.io.biologic import MPR_MAGIC
    from interlayer.io.neware import NDA_MAGIC

    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise InputError(str(path), f"cannot open file ({exc.strerror or exc})") from None
    if not head:
        raise InputError(str(path), "byte 0: the file is empty")
    if head.startswith(MPR_MAGIC):
        return "biologic-mpr"
    if head.startswith(NDA_MAGIC):
        return "neware-nda"
    if head[4:19] == b"Standard Jet DB" or head[4:19] == b"Standard ACE DB":
        return "arbin-res"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise InputError(str(path), f"zip container is corrupt or truncated ({describe(exc)})") from None
        if any(n.startswith("xl/") for n in names):
            return "excel"
        if any(n.endswith(".ndc") for n in names):
            return "neware-nda"
        raise InputError(str(path), f"zip archive with unknown members {names[:5]}")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "excel"  # legacy OLE2 .xls
    if b"\x00" in head:
        raise InputError(str(path), "binary file of unknown format (not BioLogic, Neware, Arbin or Excel)")
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip()
    return _text_format(first.decode("latin-1"))  # byte for byte: the signatures are ASCII


#: import name -> the pip requirement that provides it (the readers' libraries)
LIBRARIES = {"galvani": "galvani", "NewareNDA": "NewareNDA", "openpyxl": "openpyxl",
             "python_calamine": "python-calamine", "impedance": "impedance"}


def missing_library(exc: ImportError, what: str) -> InputError:
    """An InputError naming the exact ``pip install`` line for a reader library that is absent."""
    name = (getattr(exc, "name", None) or "").split(".")[0]
    req = LIBRARIES.get(name, name or "the missing package")
    return InputError("dependency", f"reading {what} needs the Python package {req!r}, which is not installed: "
                                    f"pip install {req}")


def read(path: str | Path, mapping: dict | None = None, format: str | None = None) -> Record:
    """Read a cycler or impedance file into the canonical :class:`Record`.

    Parameters
    ----------
    path : str or Path
        The file.
    mapping : dict, optional
        Column mapping for delimited text (see :mod:`interlayer.io.delimited`).
    format : str, optional
        Force a reader (one of :data:`FORMATS`) instead of sniffing.

    Raises
    ------
    InputError
        Unknown format, unreadable, truncated or corrupt file; the message names the file and
        the line (text) or the byte count (binary) where reading failed.
    """
    import pandas as pd

    fmt = format or sniff(path)
    if fmt not in FORMATS:
        raise InputError("format", f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    try:
        reader = _reader(fmt)
        return reader(path, mapping=mapping) if fmt == "text" else reader(path)
    except InputError:
        raise
    except ImportError as exc:
        raise missing_library(exc, f"{fmt} files") from None
    except (ValueError, KeyError, IndexError, TypeError, OverflowError, UnicodeError, pd.errors.ParserError,
            ArithmeticError, AttributeError, MemoryError, EOFError, OSError) as exc:
        # A parser path we did not anticipate: still one line naming the file, never a traceback.
        raise InputError(str(path), f"cannot read as {fmt}: {describe(exc)}") from None


def read_text(text: str, name: str = "<text>", mapping: dict | None = None) -> Record:
    """Parse text already in memory (used by the fuzz tests); same dispatch as :func:`read`."""
    import pandas as pd

    first = text.lstrip("\ufeff").split("\n", 1)[0].strip()
    fmt = _text_format(first)
    reader = _reader(fmt)
    try:
        return reader(name, text=text, mapping=mapping) if fmt == "text" else reader(name, text=text)
    except InputError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, OverflowError, UnicodeError, pd.errors.ParserError) as exc:
        raise InputError(name, f"cannot parse: {describe(exc)}") from None
