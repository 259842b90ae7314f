"""Recognise vendor column headers ("I/mA", "Current(A)", "TestTime/h", ...) and their units.

Vendors write a quantity name and a unit in one header. We split the two, match the name against
known aliases and convert the unit with a small table (no pint here: this runs on every file and
the set of units cyclers write is small and fixed).
"""

from __future__ import annotations

import re

import numpy as np

# unit text (lower case, spaces removed) -> (dimension, factor to SI)
UNIT_FACTORS: dict[str, tuple[str, float]] = {
    "s": ("time", 1.0),
    "sec": ("time", 1.0),
    "ms": ("time", 1e-3),
    "min": ("time", 60.0),
    "h": ("time", 3600.0),
    "hr": ("time", 3600.0),
    "v": ("voltage", 1.0),
    "mv": ("voltage", 1e-3),
    "a": ("current", 1.0),
    "ma": ("current", 1e-3),
    "ua": ("current", 1e-6),
    "µa": ("current", 1e-6),
    "μa": ("current", 1e-6),
    "na": ("current", 1e-9),
    "c": ("charge", 1.0),
    "mc": ("charge", 1e-3),
    "ah": ("charge", 3600.0),
    "a.h": ("charge", 3600.0),
    "mah": ("charge", 3.6),
    "ma.h": ("charge", 3.6),
    "uah": ("charge", 3.6e-3),
    "µah": ("charge", 3.6e-3),
    "ua.h": ("charge", 3.6e-3),
    "µa.h": ("charge", 3.6e-3),
    "hz": ("frequency", 1.0),
    "khz": ("frequency", 1e3),
    "ohm": ("impedance", 1.0),
    "ω": ("impedance", 1.0),
    "kohm": ("impedance", 1e3),
}

# canonical name -> accepted quantity names (lower case, non-alphanumerics removed)
ALIASES: dict[str, tuple[str, ...]] = {
    "time": ("time", "testtime", "totaltime", "t", "elapsedtime", "runtime"),
    "voltage": ("voltage", "ewe", "ecell", "e", "potential", "cellvoltage", "ewece", "u"),
    "current": ("current", "i", "<i>", "ia", "cellcurrent"),
    "charge": ("qqo", "charge", "q"),
    "frequency": ("freq", "frequency", "f"),
    "z_real": ("rez", "zreal", "zre", "z'", "realz", "zr"),
    "z_imag": ("imz", "zimag", "zim", "z''", "imagz", "zi"),
    "z_imag_neg": ("imz-", "-imz", "minusimz"),
}

_UNIT_SPLIT = re.compile(r"^\s*(.*?)\s*(?:/\s*([^/()]+?)|\(\s*([^()]+?)\s*\))\s*$")


def split_header(header: str) -> tuple[str, str]:
    """Split ``"I/mA"`` -> ``("i", "ma")``, ``"Current(A)"`` -> ``("current", "a")``.

    The name is lower-cased with everything but letters, digits, ``<>'`` and a leading ``-``
    removed; the unit is lower-cased without spaces. Headers without a unit give ``(name, "")``.
    """
    text = str(header).strip()
    unit = ""
    m = _UNIT_SPLIT.match(text)
    if m and (m.group(2) or m.group(3)):
        candidate = (m.group(2) or m.group(3)).strip().lower().replace(" ", "")
        if candidate in UNIT_FACTORS:
            text, unit = m.group(1), candidate
    negative = text.strip().startswith("-")
    name = re.sub(r"[^a-z0-9<>']", "", text.lower())
    if negative:
        name = "-" + name
    return name, unit


def match_columns(headers) -> dict[str, tuple[str, float]]:
    """Map canonical names to ``(header, factor to SI)`` for the headers we recognise.

    The first header that matches a canonical name wins, except that a measured current
    (``I``, ``<I>``, ``Current``) beats a set-point (``control``) whatever the order.
    """
    found: dict[str, tuple[str, float]] = {}
    for header in headers:
        name, unit = split_header(header)
        dimension, factor = UNIT_FACTORS.get(unit, ("", 1.0))
        for canonical, names in ALIASES.items():
            if canonical in found:
                continue
            if name in names or (canonical == "z_imag_neg" and name.startswith("-") and name[1:] in ALIASES["z_imag"]):
                expected = {
                    "time": "time",
                    "voltage": "voltage",
                    "current": "current",
                    "charge": "charge",
                    "frequency": "frequency",
                    "z_real": "impedance",
                    "z_imag": "impedance",
                    "z_imag_neg": "impedance",
                }[canonical]
                if unit and dimension != expected:
                    continue
                if canonical == "z_imag" and name.startswith("-"):
                    continue
                found[canonical] = (header, factor)
                break
    return found


# Clock times as cyclers and spreadsheets write them: ``hh:mm:ss[.f]`` (hours may exceed 24 in
# long tests), ``d-hh:mm:ss`` (Land), and ``1 day, 2:03:04`` / ``1 days 02:03:04``, which is how
# a duration cell read from Excel (Python timedelta, pandas Timedelta) prints.
_CLOCK = re.compile(r"^\s*(?:(\d+)(?:-|\s*days?,?\s+))?(\d+):(\d{1,2}):(\d{1,2}(?:\.\d*)?)\s*$")


def looks_like_clock(values) -> bool:
    """True when the first non-empty cell of ``values`` is a clock time (``[d-]hh:mm:ss``)."""
    for cell in values:
        if cell is None or (isinstance(cell, float) and cell != cell):
            continue
        return _CLOCK.match(str(cell)) is not None
    return False


def clock_seconds(values) -> np.ndarray:
    """Clock-time cells (``hh:mm:ss[.f]``, ``d-hh:mm:ss``, ``1 day, hh:mm:ss``) -> seconds [s].

    The clock is a duration, so it is in seconds whatever unit the column header states
    (``TestTime/h`` with ``01:30:00`` is 5400 s). Cells that are not clock times give NaN, for the
    caller to report with their row.

    >>> clock_seconds(["00:00:00", "07:59:30.5", "1-02:00:00", "1 day, 2:00:00", "x"]).tolist()
    [0.0, 28770.5, 93600.0, 93600.0, nan]
    """
    import pandas as pd

    text = pd.Series(np.asarray(values, dtype=object)).astype(str)
    fast = _plain_clock_seconds(text)
    if fast is not None:
        return fast
    # the general forms (days, bad cells): pandas' regex extraction, ~4 us per cell
    parts = text.str.extract(_CLOCK)
    days, hours, minutes, seconds = (pd.to_numeric(parts[k]).to_numpy(dtype=float) for k in range(4))
    return np.nan_to_num(days, nan=0.0) * 86400.0 + hours * 3600.0 + minutes * 60.0 + seconds


def _plain_clock_seconds(text) -> np.ndarray | None:
    """Seconds [s] when every cell is a plain ``h:mm:ss[.f]``; None otherwise.

    Long Land exports have 10^6 rows: pandas' C parser with ``:`` as separator reads them about
    seven times faster than a regular expression per cell.
    """
    import io
    import warnings

    import pandas as pd

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a malformed cell just sends us to the general path
            df = pd.read_csv(io.StringIO("\n".join(text.tolist())), sep=":", header=None, names=["h", "m", "s"],
                             engine="c", skip_blank_lines=False, index_col=False)
    except (ValueError, pd.errors.ParserError):
        return None
    if len(df) != len(text) or any(df[c].dtype.kind not in "iuf" for c in df.columns):
        return None
    h, m, s = (df[c].to_numpy(dtype=float) for c in df.columns)
    if not (np.all(np.isfinite(h + m + s)) and np.all((m >= 0) & (m < 60) & (s >= 0) & (s < 61) & (h >= 0))):
        return None
    return h * 3600.0 + m * 60.0 + s
