"""Temperature dependence: Arrhenius scaling of conductivities and rates, and its range of validity.

Every temperature-dependent property ``p`` of the library is stored at the reference temperature
T_ref = 298.15 K with an activation energy E_a (J/mol) and the temperature range its data cover:

    p(T) = p(T_ref) exp(-E_a / R (1/T - 1/T_ref))

>>> round(float(arrhenius(1.0, 0.0, 333.15)), 12)
1.0
>>> round(float(arrhenius(2.0, 30e3, 298.15)), 12)
2.0
"""

from __future__ import annotations

import math

import numpy as np

from interlayer.errors import InputError
from interlayer.units import GAS_CONSTANT, ROOM_TEMPERATURE

#: Default range (K) over which a property's Arrhenius law is trusted when its material gives none:
#: 0-100 degC, the range of the room- and elevated-temperature measurements solid-state cells use.
DEFAULT_RANGE = (273.15, 373.15)


def arrhenius(value_ref, activation_energy, temperature, reference_temperature=ROOM_TEMPERATURE):
    """``value_ref`` (any unit) scaled from ``reference_temperature`` to ``temperature`` (K).

    Parameters
    ----------
    value_ref : float or array
        Value at the reference temperature.
    activation_energy : float or array
        J/mol (>= 0 for a thermally activated property).
    temperature, reference_temperature : float or array
        K.
    """
    t = np.asarray(temperature, dtype=float)
    return np.asarray(value_ref) * np.exp(-np.asarray(activation_energy) / GAS_CONSTANT * (1.0 / t - 1.0 / reference_temperature))


def activation_energy_from(values, temperatures):
    """E_a (J/mol) from two (value, T) pairs: the inverse of :func:`arrhenius` (for checks)."""
    (v1, v2), (t1, t2) = values, temperatures
    return float(-GAS_CONSTANT * math.log(v2 / v1) / (1.0 / t2 - 1.0 / t1))


def check_temperature(temperature: float, low: float, high: float, *, what: str, extrapolate: bool = False) -> float:
    """Raise InputError unless ``low <= temperature <= high`` (or ``extrapolate``); returns T.

    The message names the field and the allowed range, and how to go beyond it.
    """
    if not math.isfinite(temperature) or temperature <= 0:
        raise InputError("temperature", f"{temperature:g} K is not a temperature (must be finite and > 0 K)")
    if extrapolate or low <= temperature <= high:
        return temperature
    raise InputError("temperature", f"{temperature:g} K ({temperature - 273.15:.1f} degC) is outside the range "
                     f"[{low:g}, {high:g}] K of the data behind {what}; pass extrapolate=True (--extrapolate) to go beyond it")
