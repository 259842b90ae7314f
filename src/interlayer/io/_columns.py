"""Recognise vendor column headers ("I/mA", "Current(A)", "TestTime/h", ...) and their units.

Vendors write a quantity name and a unit in one header. We split the two, match the name against
known aliases and convert the unit with a small table (no pint here: this runs on every file and
the set of units cyclers write is small and fixed).
"""

from __future__ import annotations

import re

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
