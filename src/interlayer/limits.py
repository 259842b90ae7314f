"""Resource limits and physical bounds: one declaration each, checked before anything is allocated.

Two tables (documented in ``docs/limits.md``):

* :data:`LIMITS`: how much a run may ask of the machine (worker processes, sweep points, memory of a
  phase-field run, image pixels, config file size and nesting, solver wall time). Each has a default
  and an environment variable ``INTERLAYER_LIMIT_<NAME>`` that overrides it (e.g.
  ``INTERLAYER_LIMIT_SWEEP_POINTS=5000000``); :func:`limit` reads the value in force.
* :data:`BOUNDS`: the physically meaningful range of each model input (temperature, thickness,
  current density, ...), in SI. :func:`check_bound` raises :class:`~interlayer.errors.InputError`
  naming the field, the value and the range, in the unit the user typed it in.

>>> check_bound("temperature", 298.15, "temperature")
298.15
>>> check_bound("temperature", 1e300, "temperature")
Traceback (most recent call last):
...
interlayer.errors.InputError: temperature: 1e+300 K is outside the allowed range [173.15, 453.65] K (-100 degC to the melting point of Li, 180.5 degC)
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass

from interlayer.errors import InputError


@dataclass(frozen=True)
class Limit:
    """A resource limit.

    Parameters
    ----------
    name : str
        Key in :data:`LIMITS`; the environment variable is ``INTERLAYER_LIMIT_`` + ``name.upper()``.
    default : callable
        Returns the default value (a callable, so that e.g. the CPU count is read when asked).
    unit : str
        What the value counts ("processes", "points", "bytes", "s", ...).
    description : str
        One line for the docs and for refusals.
    """

    name: str
    default: Callable[[], float]
    unit: str
    description: str

    @property
    def env(self) -> str:
        return "INTERLAYER_LIMIT_" + self.name.upper()


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _physical_memory() -> int:
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not POSIX
        return 8 * 2**30


LIMITS: dict[str, Limit] = {
    "workers": Limit("workers", _cpu_count, "processes",
                     "local sweep worker processes without --oversubscribe (default: the CPU count)"),
    "workers_oversubscribed": Limit("workers_oversubscribed", lambda: 8 * _cpu_count(), "processes",
                                    "local sweep worker processes with --oversubscribe (default: 8 x CPU count)"),
    "sweep_points": Limit("sweep_points", lambda: 1_000_000, "points",
                          "points in one sweep (grid product or [[points]] list)"),
    "memory": Limit("memory", lambda: min(_physical_memory() // 2, 4 * 2**30), "bytes",
                    "memory one phase-field run may need (default: half the physical memory, at most 4 GiB)"),
    "image_pixels": Limit("image_pixels", lambda: 4096 * 4096, "pixels",
                          "pixels of an image microstructure (read from the header before decoding)"),
    "config_bytes": Limit("config_bytes", lambda: 1_048_576, "bytes", "size of a sweep config file"),
    "config_depth": Limit("config_depth", lambda: 6, "levels", "nesting of tables and lists in a sweep config"),
    "config_values": Limit("config_values", lambda: 100_000, "values",
                           "values (list items and table entries) in a sweep config"),
    "solver_wall_time": Limit("solver_wall_time", lambda: 3600.0, "s",
                              "wall time of one PNP or phase-field solve before it stops with SolverError"),
    "solver_attempts": Limit("solver_attempts", lambda: 20_000, "Newton solves",
                             "Newton solves (accepted and rejected steps) of one PNP solve"),
}


def limit(name: str) -> float:
    """The value of limit ``name`` in force: ``INTERLAYER_LIMIT_<NAME>`` if set, else the default.

    Raises
    ------
    InputError
        If the environment variable is not a positive number (field: the variable's name).
    """
    spec = LIMITS[name]
    text = os.environ.get(spec.env)
    if text is None or not text.strip():
        return spec.default()
    try:
        value = float(text)
    except ValueError:
        raise InputError(spec.env, f"must be a number ({spec.unit}), got {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise InputError(spec.env, f"must be a finite number > 0 ({spec.unit}), got {text!r}")
    return value


def describe(name: str) -> str:
    """``"NAME = VALUE UNIT (set INTERLAYER_LIMIT_NAME to change it)"`` for refusal messages."""
    spec = LIMITS[name]
    value = limit(name)
    shown = format_bytes(value) if spec.unit == "bytes" else f"{value:g} {spec.unit}"
    return f"the limit {name} = {shown} ({spec.env} changes it)"


def format_bytes(n: float) -> str:
    """``1.5 GiB`` style sizes."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if abs(n) < 1024 or unit == "PiB":
            return f"{n:.3g} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1024.0
    return f"{n:.3g} PiB"  # pragma: no cover


# ------------------------------------------------------------------------------------ physical bounds


@dataclass(frozen=True)
class Bound:
    """The allowed range of one physical input, SI.

    ``low_open``/``high_open``: the end itself is excluded. ``display``: (unit name, factor from SI)
    for messages; ``why``: the reason for the range, shown with it.
    """

    low: float
    high: float
    unit: str
    low_open: bool = False
    high_open: bool = False
    display: tuple[str, float] | None = None
    why: str = ""


BOUNDS: dict[str, Bound] = {
    "temperature": Bound(173.15, 453.65, "K", why="-100 degC to the melting point of Li, 180.5 degC"),
    "thickness": Bound(0.0, 1e-2, "m", low_open=True, display=("um", 1e6), why="a layer up to 10 mm"),
    # plating current densities: 100 mA/cm2 is an order above any all-solid-state cell
    "current_density": Bound(0.0, 1000.0, "A/m^2", low_open=True, display=("mA/cm2", 0.1)),
    "time": Bound(0.0, 1e7, "s", low_open=True, why="up to about 116 days"),
    "voltage": Bound(-0.5, 2.0, "V",
                     why="potentiostatic SSE-side potential; at -1 and -2 V the PNP solve did not converge in our checks"),
    "overpotential": Bound(-0.5, 0.5, "V", why="the phase-field time step resolves |eta| <= 0.5 V"),
    "pressure": Bound(0.0, 1e9, "Pa", display=("MPa", 1e-6), why="stack pressure up to 1 GPa"),
    "pf_current_density": Bound(-1000.0, 1000.0, "A/m^2", display=("mA/cm2", 0.1),
                                why="up to 100 mA/cm2 either way"),
    "pf_size": Bound(0.0, 1e-3, "m", low_open=True, display=("um", 1e6), why="a domain up to 1 mm"),
    "carrier_density": Bound(0.0, 1e30, "1/m^3", low_open=True, why="up to a metal's electron density"),
    "electron_mobility": Bound(0.0, 100.0, "m^2/(V s)", low_open=True),
    "exchange_current": Bound(0.0, 1e5, "A/m^2", low_open=True, display=("mA/cm2", 0.1)),
    "contact_angle": Bound(0.0, math.pi, "rad", display=("deg", 180.0 / math.pi)),
    "seed": Bound(0.0, 2.0**32 - 1, "1", why="numpy seeds are 0 to 2^32 - 1"),
}


def check_bound(name: str, value: float, field: str) -> float:
    """Return ``value`` if it lies in ``BOUNDS[name]``, else raise InputError naming ``field``.

    Parameters
    ----------
    name : str
        Key in :data:`BOUNDS`.
    value : float
        SI value.
    field : str
        The option or parameter the user set (named in the message).
    """
    b = BOUNDS[name]
    ok = isinstance(value, (int, float)) and math.isfinite(value)
    if ok:
        ok = (value > b.low if b.low_open else value >= b.low) and (value < b.high if b.high_open else value <= b.high)
    if ok:
        return value
    unit, factor = b.display or (b.unit, 1.0)
    lo, hi = "(" if b.low_open else "[", ")" if b.high_open else "]"
    shown = f"{value * factor:g}" if isinstance(value, (int, float)) and math.isfinite(value) else repr(value)
    why = f" ({b.why})" if b.why else ""
    raise InputError(field, f"{shown} {unit} is outside the allowed range "
                            f"{lo}{_g(b.low * factor)}, {_g(b.high * factor)}{hi} {unit}{why}")


def _g(x: float) -> str:
    return f"{x:.6g}"
