"""Cycling protocols as researchers write them, in the style of PyBaMM's ``Experiment`` strings.

One instruction per string (case-insensitive; units with every number):

* ``"Rest for 10 minutes"``
* ``"Plate at 0.1 mA/cm2 for 1 hour"`` / ``"Plate at 0.1 mA/cm2 until 0.1 mAh/cm2"``: plate on the
  working electrode (side A; the counter electrode B strips). ``"Strip at ..."``: the reverse.
* ``"Cycle at 0.1 mA/cm2 for 1 hour"``: plate on A, then strip it back (one cycle).
* ``"Step from 0.1 to 4 mA/cm2 by 0.1 mA/cm2 for 1 hour"``: the step-increased current (CCD) test,
  one cycle per current (``..., 2 cycles each`` for more).
* Any instruction followed by ``, 20 times`` is repeated (``"Cycle at 0.1 mA/cm2 until 0.1 mAh/cm2, 20 times"``).

:func:`parse` turns a list of strings into :class:`HalfCycle` and rest steps; the TOML form is
``[protocol] steps = ["...", "..."]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from interlayer.errors import InputError
from interlayer.units import MA_CM2
from interlayer.units import parse as parse_unit

#: Refused beyond this many half cycles: ~100 years of 1 h half cycles.
MAX_HALF_CYCLES = 10**6


@dataclass(frozen=True)
class HalfCycle:
    """Constant current on one side: ``side`` "A" plates on the working electrode, "B" on the counter."""

    side: str
    current_density: float  # A/m^2, > 0
    duration: float | None  # s
    capacity: float | None  # C/m^2
    label: str

    def time(self) -> float:
        if self.duration is not None:
            return self.duration
        if self.capacity is None:  # not reached: parse() sets one of the two
            raise InputError("protocol", f"step {self.label!r}: needs a duration or a capacity")
        return self.capacity / self.current_density


@dataclass(frozen=True)
class Rest:
    duration: float  # s
    label: str


_NUM = r"([-+]?\d*\.?\d+(?:[eE][-+]?\d+)?)"
_AMOUNT = rf"{_NUM}\s*([^,]+?)"


def _current(text, step):
    value = parse_unit(text, "A/m^2", field=f"protocol step {step!r}")
    if not value > 0:
        raise InputError("protocol", f"step {step!r}: the current must be > 0 (the word plate/strip sets the direction)")
    if value > 1000 / MA_CM2:
        raise InputError("protocol", f"step {step!r}: {value * MA_CM2:g} mA/cm2 is above the 1000 mA/cm2 limit")
    return value


def _limit(kind, text, step):
    """(duration s, capacity C/m^2) from 'for 1 hour' / 'until 0.1 mAh/cm2'."""
    if kind == "for":
        t = parse_unit(text, "s",
                       field=f"protocol step {step!r}")
        if not t > 0:
            raise InputError("protocol", f"step {step!r}: the duration must be > 0")
        return t, None
    q = parse_unit(text, "C/m^2", field=f"protocol step {step!r}")
    if not q > 0:
        raise InputError("protocol", f"step {step!r}: the capacity must be > 0")
    return None, q


def _one(step: str) -> list:
    s = step.strip()
    repeat = 1
    m = re.fullmatch(r"(.*?),\s*(\d+)\s+times", s, flags=re.I)
    if m:
        s, repeat = m.group(1).strip(), int(m.group(2))
        if repeat < 1:
            raise InputError("protocol", f"step {step!r}: repeat count must be >= 1")
    out: list[HalfCycle | Rest]
    if m := re.fullmatch(r"rest for (.+)", s, flags=re.I):
        t, _ = _limit("for", m.group(1), step)
        out = [Rest(t, step)]
    elif m := re.fullmatch(r"(plate|strip) at (.+?) (for|until) (.+)", s, flags=re.I):
        i = _current(m.group(2), step)
        t, q = _limit(m.group(3).lower(), m.group(4), step)
        out = [HalfCycle("A" if m.group(1).lower() == "plate" else "B", i, t, q, step)]
    elif m := re.fullmatch(r"cycle at (.+?) (for|until) (.+)", s, flags=re.I):
        i = _current(m.group(1), step)
        t, q = _limit(m.group(2).lower(), m.group(3), step)
        out = [HalfCycle("A", i, t, q, step), HalfCycle("B", i, t, q, step)]
    elif m := re.fullmatch(r"step from (.+?) to (.+?) by (.+?) (for|until) (.+?)(?:,\s*(\d+) cycles? each)?", s, flags=re.I):
        by = re.match(rf"\s*{_NUM}\s*(.*)", m.group(3))  # None: not a number (_current below says so)
        unit = (by.group(2).strip() if by else "") or "mA/cm2"
        lo = _current(m.group(1) if re.search(r"[a-zA-Z]", m.group(1)) else f"{m.group(1)} {unit}", step)
        hi = _current(m.group(2), step)
        inc = _current(m.group(3), step)
        if hi <= lo:
            raise InputError("protocol", f"step {step!r}: the current never rises (from {lo * MA_CM2:g} to {hi * MA_CM2:g} mA/cm2)")
        n = int((hi - lo) / inc + 1e-9) + 1
        if n > MAX_HALF_CYCLES:
            raise InputError("protocol", f"step {step!r}: {n} current steps; at most {MAX_HALF_CYCLES}")
        t, q = _limit(m.group(4).lower(), m.group(5), step)
        each = int(m.group(6) or 1)
        out = []
        for k in range(n):
            i = lo + k * inc
            for _ in range(each):
                out += [HalfCycle("A", i, t, q, step), HalfCycle("B", i, t, q, step)]
    else:
        raise InputError("protocol", f"unknown step {step!r}; known forms: 'Rest for T', 'Plate|Strip at I for T|until Q', "
                         "'Cycle at I for T|until Q', 'Step from I0 to I1 by dI for T|until Q', each optionally ', N times'")
    return out * repeat


def parse(steps) -> list:
    """Protocol strings -> list of :class:`HalfCycle` / :class:`Rest` (validated; InputError names the step)."""
    if isinstance(steps, str):
        steps = [steps]
    steps = list(steps)
    if not steps:
        raise InputError("protocol", "needs at least one step")
    out = []
    for step in steps:
        if not isinstance(step, str) or not step.strip():
            raise InputError("protocol", f"every step must be a non-empty string, got {step!r}")
        out += _one(step)
        if sum(isinstance(x, HalfCycle) for x in out) > MAX_HALF_CYCLES:
            raise InputError("protocol", f"step {step!r}: the protocol exceeds {MAX_HALF_CYCLES} half cycles")
    return out


def paper_step_test(start=1.0, stop=40.0, step=1.0, half_cycle_time=3600.0, activation=True) -> list[str]:
    """The paper's protocol: 20 activation cycles at 0.1 mA/cm2, 0.1 mAh/cm2, then the step test."""
    out = ["Cycle at 0.1 mA/cm2 until 0.1 mAh/cm2, 20 times"] if activation else []
    out.append(f"Step from {start * MA_CM2:g} mA/cm2 to {stop * MA_CM2:g} mA/cm2 by {step * MA_CM2:g} mA/cm2 "
               f"for {half_cycle_time:g} s")
    return out
