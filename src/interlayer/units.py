"""Units at the edges: parse unit strings into SI floats; physical constants in one place.

Everything inside the package is SI (m, s, A, V, K, mol, J, S/m, rad). Strings such as
``"90 um"``, ``"2.8e-5 S/cm"``, ``"4 mA/cm2"``, ``"60 degC"`` or ``"120 deg"`` are parsed here
with pint and nowhere else.

>>> round(parse("90 um", "m"), 12)
9e-05
>>> parse("4 mA/cm2", "A/m^2")
40.0
>>> round(parse("60 degC", "K"), 2)
333.15
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from interlayer.errors import InputError

# CODATA 2018 exact values (SI redefinition), so no source beyond the SI brochure is needed.
FARADAY = 96485.33212  # C/mol
GAS_CONSTANT = 8.314462618  # J/(mol K)
BOLTZMANN = 1.380649e-23  # J/K
AVOGADRO = 6.02214076e23  # 1/mol
ELEMENTARY_CHARGE = 1.602176634e-19  # C
VACUUM_PERMITTIVITY = 8.8541878128e-12  # F/m
ZERO_CELSIUS = 273.15  # K
ROOM_TEMPERATURE = 298.15  # K

# ---------------------------------------------------------------------- display factors, declared once
# Each name is a unit people read, its value the factor from the SI unit:
#
#     value_in_display_unit = value_SI * FACTOR        value_SI = value_in_display_unit / FACTOR
#
# so ``thickness * UM`` is the thickness in um and ``current / MA_CM2`` reads a mA/cm2 number back
# into A/m^2. (Not scipy's convention: ``HOUR`` is hours per second, 1/3600, not 3600 s.) Prefer these
# names to typed numbers wherever an SI value is shown, written under a key with a unit in its name
# (``*_um``, ``*_mA_cm2``) or read from a file in lab units. ``DISPLAY_FACTORS`` names each one's
# units; tests/test_units.py checks every factor against pint and against ``DISPLAY``.
UM = 1e6  # m -> um
CM2 = 1e4  # m^2 -> cm^2
MA = 1e3  # A -> mA
MV = 1e3  # V -> mV
MA_CM2 = 0.1  # A/m^2 -> mA/cm^2
MAH = 1 / 3.6  # C -> mAh
MAH_CM2 = 1 / 36000  # C/m^2 -> mAh/cm^2
UAH_CM2 = 1 / 36  # C/m^2 -> uAh/cm^2
S_CM = 0.01  # S/m -> S/cm
OHM_CM2 = 1e4  # ohm m^2 -> ohm cm^2
MPA = 1e-6  # Pa -> MPa
HOUR = 1 / 3600  # s -> h
DEG = 180 / math.pi  # rad -> deg (what math.degrees multiplies by)
PERCENT = 100.0  # 1 (a fraction) -> %

#: Factor name -> (SI unit, display unit), in pint's spelling: what each factor above converts.
DISPLAY_FACTORS: dict[str, tuple[str, str]] = {
    "UM": ("m", "um"), "CM2": ("m^2", "cm^2"), "MA": ("A", "mA"), "MV": ("V", "mV"),
    "MA_CM2": ("A/m^2", "mA/cm^2"), "MAH": ("C", "mAh"), "MAH_CM2": ("C/m^2", "mAh/cm^2"),
    "UAH_CM2": ("C/m^2", "uAh/cm^2"), "S_CM": ("S/m", "S/cm"), "OHM_CM2": ("ohm*m^2", "ohm*cm^2"),
    "MPA": ("Pa", "MPa"), "HOUR": ("s", "h"), "DEG": ("rad", "deg"), "PERCENT": ("1", "percent"),
}


def thermal_voltage(temperature: float) -> float:
    """RT/F in V for a temperature in K."""
    return GAS_CONSTANT * temperature / FARADAY


@lru_cache(maxsize=1)
def registry():
    """The package's single pint UnitRegistry (created lazily: pint is slow to import)."""
    import pint

    ureg: pint.UnitRegistry = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    return ureg


_NUMBER = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")
# "cm2" -> "cm**2", "m-3" -> "m**-3": exponents glued to a unit name, as people write them.
_GLUED_EXPONENT = re.compile(r"([A-Za-zµΩ])(-?\d+)(?![\d.])")


def _normalise_unit(unit: str) -> str:
    unit = unit.replace("µ", "u").replace("μ", "u").replace("^", "**").replace("Ω", "ohm")
    return _GLUED_EXPONENT.sub(r"\1**\2", unit)


def is_bare_number(value) -> bool:
    """True for a number without a unit (``25``, ``"25"``, ``" 3.6e3 "``): what ``parse`` would read in a
    default unit. Callers refuse it where that unit would be ambiguous (temperatures, times)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    try:
        float(str(value).strip())
    except ValueError:
        return False
    return True


def parse(text: str | float | int, unit: str, field: str = "value", default_unit: str | None = None) -> float:
    """Parse a quantity string and return its value in the SI unit ``unit``.

    Parameters
    ----------
    text : str or float
        ``"90 um"``, ``"4 mA/cm2"``, ``"120 deg"``... A bare number is taken in ``default_unit``
        (or in ``unit`` when no default is given).
    unit : str
        The SI unit to convert to, e.g. ``"m"``, ``"A/m^2"``, ``"K"``, ``"rad"``.
    field : str
        Name of the input, used in error messages.
    default_unit : str, optional
        Unit assumed for a bare number (the CLI takes ``--current 4`` as mA/cm2, say).

    Returns
    -------
    float
        The value in ``unit``.

    Raises
    ------
    InputError
        If the string cannot be parsed or has the wrong dimension.
    """
    ureg = registry()
    if isinstance(text, (int, float)):
        number, unit_text = float(text), ""
    else:
        match = _NUMBER.match(str(text))
        if not match:
            raise InputError(field, f"cannot parse {text!r} as a quantity (expected e.g. '90 um')")
        number, unit_text = float(match.group(1)), match.group(2)
    if not unit_text:
        unit_text = default_unit or unit
    try:
        quantity = ureg.Quantity(number, _normalise_unit(unit_text))
        value = quantity.to(_normalise_unit(unit)).magnitude
    except Exception as exc:  # pint raises several unrelated types
        raise InputError(field, f"cannot read {text!r} in {unit} ({type(exc).__name__}: {exc})") from None
    value = float(value)
    if not math.isfinite(value):
        raise InputError(field, f"{text!r} is not a finite number")
    return value


def parse_range(text: str, unit: str, field: str, default_unit: str | None = None) -> tuple[float, float, float]:
    """Parse ``START:STOP:STEP`` (each optionally with units; a unit after STEP applies to all).

    >>> parse_range("0.1:4.0:0.1", "A/m^2", "current", default_unit="mA/cm^2")
    (1.0, 40.0, 1.0)
    """
    parts = [p.strip() for p in str(text).split(":")]
    if len(parts) != 3 or not all(parts):
        raise InputError(field, f"expected START:STOP:STEP, got {text!r}")
    trailing = _NUMBER.match(parts[2])
    shared_unit = trailing.group(2) if trailing and trailing.group(2) else None
    values = []
    for part in parts:
        m = _NUMBER.match(part)
        has_unit = bool(m and m.group(2))
        values.append(parse(part, unit, field, default_unit=None if has_unit else (shared_unit or default_unit)))
    start, stop, step = values
    if step <= 0:
        raise InputError(field, f"STEP must be > 0, got {text!r}")
    if stop < start:
        raise InputError(field, f"range is reversed ({text!r}): STOP must be >= START")
    return start, stop, step


# --------------------------------------------------------------------------- display units, declared once
@dataclass(frozen=True)
class Display:
    """How a named quantity is shown and read: its SI unit, the unit people use, a plot label.

    ``factor`` converts SI to the display unit (no offset units: temperatures are shown in K).
    """

    si: str
    unit: str | None  # None: dimensionless, shown as is
    label: str  # plot label without the unit, e.g. "σ$_e$"
    scale: str = "linear"  # "log" for axes over decades

    @property
    def factor(self) -> float:
        return 1.0 if self.unit is None else parse(f"1 {self.si}", self.unit)

    @property
    def axis_label(self) -> str:
        """``"σ$_e$ (S/cm)"``: label and display unit, in matplotlib's mathtext."""
        return self.label if self.unit is None else f"{self.label} ({_PRETTY.get(self.unit, self.unit)})"


_PRETTY = {"um": "µm", "mA/cm^2": "mA cm$^{-2}$", "mAh/cm^2": "mAh cm$^{-2}$", "ohm*cm^2": "Ω cm$^2$"}

#: The one table of display units (the map axes, plots, tables): quantity name -> :class:`Display`.
DISPLAY: dict[str, Display] = {
    "sigma_e": Display("S/m", "S/cm", "σ$_e$", "log"),
    "sigma_ion": Display("S/m", "S/cm", "σ$_{ion}$", "log"),
    "contact_angle": Display("rad", "deg", "contact angle"),
    "thickness": Display("m", "um", "thickness"),
    "porosity": Display("1", None, "porosity"),
    "current_density": Display("A/m^2", "mA/cm^2", "current density"),
    "half_cycle_time": Display("s", "h", "half-cycle time"),
    "capacity": Display("C/m^2", "mAh/cm^2", "capacity"),
    "temperature": Display("K", "K", "temperature"),
    "interface_resistance": Display("ohm*m^2", "ohm*cm^2", "R$_{int}$"),
    "stack_pressure": Display("Pa", "MPa", "stack pressure", "log"),
    "pore_radius": Display("m", "um", "pore radius", "log"),
}
