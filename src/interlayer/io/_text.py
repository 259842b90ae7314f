"""Shared helpers for text tables: decoding, numeric conversion with row numbers in errors."""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from interlayer.errors import InputError


def read_bytes(path: str | Path) -> bytes:
    """The file's bytes, or an InputError naming it."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot open file ({exc.strerror or exc})") from None


def decode(raw: bytes) -> str:
    """UTF-8 when valid (BOM stripped), else Latin-1 (EC-Lab and Gamry write Windows code pages)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def numeric_table(
    lines: list[str],
    first_line: int,
    sep: str | None,
    path: str | Path,
    names: list[str] | None = None,
    decimal: str = ".",
    keep: list[str] | None = None,
) -> pd.DataFrame:
    """Parse data lines into a float DataFrame; any bad cell -> InputError with its line number.

    Parameters
    ----------
    lines : list of str
        The data lines (no header).
    first_line : int
        1-based line number of ``lines[0]`` in the file, for error messages.
    sep : str or None
        Delimiter; None splits on runs of whitespace.
    names : list of str, optional
        Column names; the width of the table. Missing trailing cells are an error (truncated row).
    keep : list of str, optional
        Only these columns are converted and checked (default: all).
    """
    while lines and not lines[-1].strip():  # trailing blank lines are not rows
        lines = lines[:-1]
    text = "\n".join(lines)
    if not text.strip():
        raise InputError(str(path), f"no data rows after line {first_line - 1}")
    try:
        with warnings.catch_warnings():
            # pandas only warns when a row has more fields than the header and drops the extra
            # cells; for us that row is malformed
            warnings.simplefilter("error", pd.errors.ParserWarning)
            df = pd.read_csv(
                io.StringIO(text),
                sep=sep if sep is not None else r"\s+",
                header=None,
                names=names,
                engine="c",
                decimal=decimal,
                skip_blank_lines=False,
                index_col=False,
            )
    except pd.errors.ParserWarning:
        width = len(names) if names else 0
        k = first_long_line(lines, sep, width)
        raise InputError(str(path), f"line {first_line + k}: more fields than the {width} columns of the header") from None
    except (pd.errors.ParserError, ValueError) as exc:
        row = _row_from_parser_message(str(exc))
        where = f"line {first_line + row - 1}" if row else f"after line {first_line - 1}"
        raise InputError(str(path), f"{where}: malformed row ({str(exc).splitlines()[0]})") from None
    out = {}
    for col in keep if keep is not None else df.columns:
        if col not in df.columns:
            raise InputError(str(path), f"line {first_line - 1}: column {col!r} not found")
        raw = df[col]
        values = raw if raw.dtype.kind in "fi" else pd.to_numeric(raw, errors="coerce")
        bad = values.isna().to_numpy()
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            cell = raw.iloc[k]
            if isinstance(cell, float) and np.isnan(cell):
                reason = "missing value (truncated row?)"
            else:
                reason = f"cannot read {str(cell)[:30]!r} as a number"
            raise InputError(str(path), f"line {first_line + k}, column {col!r}: {reason}")
        out[col] = values.to_numpy(dtype=float)
    result = pd.DataFrame(out)
    if not np.all(np.isfinite(result.to_numpy())):
        k = int(np.flatnonzero(~np.isfinite(result.to_numpy()).all(axis=1))[0])
        raise InputError(str(path), f"line {first_line + k}: non-finite value")
    return result


def first_long_line(lines: list[str], sep: str | None, width: int) -> int:
    """Index of the first line with more than ``width`` fields (0 if none is found)."""
    for k, line in enumerate(lines):
        n = len(re.split(sep, line.rstrip("\r\n"))) if sep not in (None, r"\s+") else len(line.split())
        if n > width:
            return k
    return 0


def _row_from_parser_message(message: str) -> int | None:
    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else None


def describe(exc: BaseException, limit: int = 300) -> str:
    """``"TypeName: message"`` on one line (whitespace collapsed, at most ``limit`` characters).

    Third-party parsers (galvani, NewareNDA, zip/xml libraries) raise multi-line messages; the
    CLI promises one line per error.

    >>> describe(OSError("Unexpected end of file\\n     length read: 17732"))
    'OSError: Unexpected end of file length read: 17732'
    """
    text = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def last_row_cut(text: str, sep: str | None = None) -> bool:
    """True when ``text`` ends without a line break inside what looks like a cut number.

    A file cut inside its last number still parses (``-0.00335`` cut to ``-0.003``). When the file
    does not end with a line break, the last non-empty field of its last line is compared with
    the same field of the lines before it: shorter than all of the (up to) 10 previous ones means
    it was cut. Tables written with fixed-width numbers (most instruments) show a cut this way;
    a complete last line keeps its width.
    """
    if not text or text.endswith(("\n", "\r")):
        return False
    lines = [ln for ln in text.splitlines()[-12:] if ln.strip()]
    if len(lines) < 2:
        return False

    def last_field(line: str) -> str:
        fields = [f.strip() for f in (re.split(sep, line) if sep not in (None, r"\s+") else line.split())]
        fields = [f for f in fields if f]
        return fields[-1] if fields else ""

    *before, last = lines
    widths = [len(last_field(ln)) for ln in before[-10:]]
    return bool(widths) and len(last_field(last)) < min(widths)
