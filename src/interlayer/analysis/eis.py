r"""Equivalent-circuit fits of impedance spectra (impedance.py underneath) and conductivity.

Circuits use impedance.py's string syntax: ``"R0-p(R1,CPE1)"`` is R0 in series with (R1 parallel
to a constant-phase element). Initial guesses are built from the spectrum itself, so users only
name the circuit:

* ``R0`` (a leading series resistor): Re Z at the highest frequency (the bulk/ohmic intercept);
* other resistors: the span of Re Z, shared equally;
* capacitors: ``1 / (2 pi f_peak R)`` with ``f_peak`` the apex of -Im Z (an RC arc's apex is at
  ``omega R C = 1``); CPE: the same Q with exponent 0.9; inductors: from a positive Im Z at the
  highest frequency, else 1e-8 H; Warburg elements: the span of Re Z.

Conductivity from a resistance: ``sigma = L / (R A)`` [S/m] for a layer of thickness ``L`` [m] and
area ``A`` [m^2].
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import cast

import numpy as np

from interlayer.errors import InputError, SolverError

_ELEMENT = re.compile(r"([A-Za-z]+)(\d*)")


#: A fit is flagged when its rms relative misfit exceeds this. Impedance analysers are accurate to
#: ~1% of |Z| over the usual range; 5% leaves room for drift during a sweep, while a model whose
#: shape does not match the spectrum (a missing arc or diffusion tail) misses by more.
MAX_RMS_RELATIVE = 0.05
#: A resistor this many times the largest measured |Z| lies outside the spectrum: its arc would
#: close at frequencies below the measured ones, so the data do not determine it.
MAX_RESISTANCE_RATIO = 100.0


@dataclass
class EISFit:
    """A converged equivalent-circuit fit (converged is not the same as good: see ``fit_ok``).

    Attributes
    ----------
    circuit : str
    parameters : dict
        name -> {"value": float, "unit": str, "stderr": float or None} (impedance.py's names:
        ``R0``, ``CPE1_0`` (Q), ``CPE1_1`` (exponent), ...; units ohm, F, H, ohm s^-a ...).
    rms_relative : float
        Root-mean-square of ``|Z_fit - Z| / |Z|`` over the spectrum [1].
    frequency, z, z_fit : numpy arrays
        The data and the fitted model, for plots.
    notes : list of str
        Why the fit should not be trusted (empty for a good fit); see :func:`fit_notes`.
    """

    circuit: str
    parameters: dict
    rms_relative: float
    frequency: np.ndarray
    z: np.ndarray
    z_fit: np.ndarray
    notes: list[str] = field(default_factory=list)
    preprocessing: list[str] = field(default_factory=list)

    @property
    def fit_ok(self) -> bool:
        """True when :func:`fit_notes` found nothing wrong."""
        return not self.notes

    def resistances(self) -> dict[str, float]:
        """Resistor values [ohm] by name."""
        return {k: v["value"] for k, v in self.parameters.items() if re.fullmatch(r"R\d*", k)}

    def _repr_html_(self) -> str:  # notebooks: the parameters as a table (analysis/_html.py)
        from interlayer.analysis._html import eis_fit_html

        return eis_fit_html(self)

    def to_dict(self) -> dict:
        """JSON-ready: circuit, parameters (value, unit, stderr), ``rms_relative``, ``fit_ok``, ``notes``."""
        return {"circuit": self.circuit, "parameters": self.parameters, "rms_relative": self.rms_relative,
                "fit_ok": self.fit_ok, "notes": list(self.notes), "points_fitted": int(self.frequency.size),
                "preprocessing": list(self.preprocessing)}

    def to_xarray(self):
        """Measured and fitted spectrum as an xarray Dataset (dimension ``frequency``)."""
        import xarray as xr

        ds = xr.Dataset(
            {
                "z_real": ("frequency", self.z.real, {"units": "ohm", "long_name": "measured Re Z"}),
                "z_imag": ("frequency", self.z.imag, {"units": "ohm", "long_name": "measured Im Z"}),
                "z_fit_real": ("frequency", self.z_fit.real, {"units": "ohm", "long_name": "fitted Re Z"}),
                "z_fit_imag": ("frequency", self.z_fit.imag, {"units": "ohm", "long_name": "fitted Im Z"}),
            },
            coords={"frequency": ("frequency", self.frequency, {"units": "Hz", "long_name": "frequency"})},
        )
        ds.attrs.update(circuit=self.circuit, rms_relative=self.rms_relative)
        return ds


_TOKEN = re.compile(r"\s*(?:(p\()|([A-Za-z]+\d*(?:_\d+)?)|(-)|(,)|(\)))")
#: Deepest nesting of ``p(...)`` accepted in a circuit string (impedance.py recurses on it).
MAX_CIRCUIT_DEPTH = 20


def validate_circuit(circuit: str) -> list[str]:
    """Check an impedance.py circuit string; return its element names in order.

    Grammar: ``series := term ('-' term)*``, ``term := ELEMENT | 'p(' series (',' series)+ ')'``,
    ``ELEMENT`` a known impedance.py element type followed by a number (``R0``, ``CPE1``, ``Wo2``).

    Raises
    ------
    InputError
        (field ``circuit``) naming the position and what was expected, e.g. for ``R0-p(R1,C1``:
        ``unbalanced parenthesis: 'p(' at position 3 is never closed``.
    """
    from impedance.models.circuits import elements

    text = str(circuit).strip()
    if not text:
        raise InputError("circuit", "empty circuit string (e.g. 'R0-p(R1,CPE1)')")
    if len(text) > 500:
        raise InputError("circuit", f"circuit string of {len(text)} characters; at most 500")
    tokens, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise InputError("circuit", f"unexpected character {text[pos]!r} at position {pos} of {text!r}")
        kind = next(k for k, g in zip(("open", "elem", "dash", "comma", "close"), m.groups(), strict=True) if g)
        last = cast(int, m.lastindex)  # the group of ``kind`` matched
        tokens.append((kind, m.group(last), m.start(last)))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    names: list[str] = []
    known = sorted(k for k in elements.circuit_elements if k not in ("p", "s"))
    k = 0

    def expect_series(depth: int) -> None:
        nonlocal k
        expect_term(depth)
        while k < len(tokens) and tokens[k][0] == "dash":
            k += 1
            expect_term(depth)

    def expect_term(depth: int) -> None:
        nonlocal k
        if k >= len(tokens):
            raise InputError("circuit", f"{text!r} ends where an element or 'p(' is expected")
        kind, value, at = tokens[k]
        if kind == "elem":
            m = re.fullmatch(r"([A-Za-z]+)(\d+)", value)
            if not m:
                raise InputError("circuit", f"element {value!r} at position {at} needs a number (e.g. R0, CPE1)")
            if m.group(1) not in elements.circuit_elements or m.group(1) in ("p", "s"):
                raise InputError("circuit", f"unknown element {value!r}; known element types: {', '.join(known)}")
            if value in names:
                raise InputError("circuit", f"element {value!r} appears twice; number each element once")
            names.append(value)
            k += 1
            return
        if kind == "open":
            if depth >= MAX_CIRCUIT_DEPTH:
                raise InputError("circuit", f"parallel blocks nested deeper than {MAX_CIRCUIT_DEPTH}")
            k += 1
            expect_series(depth + 1)
            branches = 1
            while k < len(tokens) and tokens[k][0] == "comma":
                k += 1
                expect_series(depth + 1)
                branches += 1
            if k >= len(tokens) or tokens[k][0] != "close":
                raise InputError("circuit", f"unbalanced parenthesis: 'p(' at position {at} of {text!r} is never closed")
            if branches < 2:
                raise InputError("circuit", f"'p(' at position {at} needs at least two branches separated by ','")
            k += 1
            return
        raise InputError("circuit", f"unexpected {value!r} at position {at} of {text!r}; expected an element or 'p('")

    expect_series(0)
    if k != len(tokens):
        kind, value, at = tokens[k]
        raise InputError("circuit", f"unexpected {value!r} at position {at} of {text!r}")
    return names


def parameter_names(circuit: str) -> list[str]:
    """impedance.py's parameter names of ``circuit`` (``R0``, ``CPE1_0``, ``CPE1_1``, ...)."""
    from impedance.models.circuits import elements

    out = []
    for name in validate_circuit(circuit):
        named = re.fullmatch(r"([A-Za-z]+)\d+", name)
        if named is None:  # not reached: validate_circuit refuses an element without a number
            raise InputError("circuit", f"element {name!r} needs a number (e.g. R0, CPE1)")
        kind = named.group(1)
        n = elements.circuit_elements[kind].num_params
        out += [name] if n == 1 else [f"{name}_{j}" for j in range(n)]
    return out


def parse_guess(text: str | None, circuit: str) -> dict[str, float]:
    """``"R0=80,R1=900,CPE1_0=1e-6"`` -> {name: value}; names checked against the circuit.

    Raises
    ------
    InputError
        (field ``guess``) for a malformed item, a non-number, or a name the circuit lacks.
    """
    if text is None or not str(text).strip():
        return {}
    allowed = parameter_names(circuit)
    out = {}
    for item in str(text).split(","):
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InputError("guess", f"expected NAME=VALUE items separated by ',', got {item!r}")
        if name not in allowed:
            raise InputError("guess", f"{name!r} is not a parameter of {circuit!r}; its parameters: {', '.join(allowed)}")
        try:
            v = float(value)
        except ValueError:
            raise InputError("guess", f"{name}: cannot read {value.strip()!r} as a number") from None
        if not np.isfinite(v):
            raise InputError("guess", f"{name}: must be finite, got {value.strip()!r}")
        out[name] = v
    return out


def prepare_spectrum(frequency, z, fmin: float | None = None, fmax: float | None = None,
                     drop_inductive: bool = True) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Crop a spectrum to ``fmin <= f <= fmax`` [Hz] and drop its inductive points (Im Z > 0, the
    high-frequency tail of the cables), with impedance.py's own preprocessing functions.

    Returns the kept frequency [Hz], impedance [ohm] and notes saying what was dropped.
    """
    from impedance import preprocessing

    f = np.asarray(frequency, dtype=float)
    z = np.asarray(z, dtype=complex)
    keep = np.isfinite(f) & np.isfinite(z) & (f > 0)
    f, z = f[keep], z[keep]
    notes = []
    n0 = f.size
    if fmin is not None or fmax is not None:
        f, z = preprocessing.cropFrequencies(f, z, freqmin=fmin or 0, freqmax=fmax)
        if f.size < n0:
            notes.append(f"{n0 - f.size} point(s) outside {fmin or 0:g}..{fmax if fmax is not None else np.inf:g} Hz left out")
    if drop_inductive:
        n1 = f.size
        f, z = preprocessing.ignoreBelowX(f, z)
        if f.size < n1:
            notes.append(f"{n1 - f.size} inductive point(s) (Im Z > 0) left out")
    return np.asarray(f, dtype=float), np.asarray(z, dtype=complex), notes


def initial_guess(circuit: str, frequency: np.ndarray, z: np.ndarray) -> list[float]:
    """Data-driven starting values for every parameter of ``circuit`` (see module docstring)."""
    from impedance.models.circuits import elements

    validate_circuit(circuit)

    names = [m.group(1) + m.group(2) for m in _ELEMENT.finditer(circuit) if m.group(1) not in ("p", "s")]
    if not names:
        raise InputError("circuit", f"no elements in {circuit!r} (e.g. 'R0-p(R1,CPE1)')")
    order = np.argsort(frequency)[::-1]
    f, zz = frequency[order], z[order]
    r_hf = max(float(zz.real[0]), 1e-3 * float(np.max(np.abs(zz))))
    span = max(float(zz.real.max() - zz.real.min()), 1e-3 * float(np.max(np.abs(zz))))
    resistors = [n for n in names if re.fullmatch(r"R\d*", n)]
    series_r0 = bool(re.match(r"\s*R\d*\s*-", circuit))
    others = resistors[1:] if series_r0 else resistors
    r_each = span / max(len(others), 1)
    f_peak = float(f[int(np.argmax(-zz.imag))])
    c_guess = 1.0 / (2 * np.pi * f_peak * r_each)
    guess: list[float] = []
    for name in names:
        named = _ELEMENT.fullmatch(name)
        if named is None:  # not reached: validate_circuit returns letters + digits
            raise InputError("circuit", f"element {name!r} is not letters and a number (e.g. R0, CPE1)")
        kind = named.group(1)
        if kind not in elements.circuit_elements:
            known = sorted(k for k in elements.circuit_elements if k not in ("p", "s"))
            raise InputError("circuit", f"unknown element {name!r}; known element types: {', '.join(known)}")
        if kind == "R":
            guess.append(r_hf if (series_r0 and name == resistors[0]) else r_each)
        elif kind == "C":
            guess.append(c_guess)
        elif kind == "CPE":
            guess += [c_guess, 0.9]
        elif kind == "L":
            guess.append(float(zz.imag[0]) / (2 * np.pi * f[0]) if zz.imag[0] > 0 else 1e-8)
        elif kind == "W":
            guess.append(span)
        elif kind in ("Wo", "Ws"):
            guess += [span, 1.0 / f_peak]
        else:
            n = elements.circuit_elements[kind].num_params
            guess += [1.0] * n
    return guess


def fit_circuit(frequency, z, circuit: str = "R0-p(R1,CPE1)", guess: list[float] | dict | None = None,
                fmin: float | None = None, fmax: float | None = None, drop_inductive: bool = False) -> EISFit:
    """Fit an equivalent circuit to a spectrum.

    Parameters
    ----------
    frequency : array [Hz]
    z : complex array [ohm]
        ``Re Z + 1j Im Z`` (capacitive: Im Z < 0).
    circuit : str
        impedance.py circuit string (checked by :func:`validate_circuit`).
    guess : list of float or dict, optional
        Initial parameter values: a full list, or {name: value} for some of them (the others
        built from the data, see :func:`initial_guess`).
    fmin, fmax : float, optional
        Fit only ``fmin <= f <= fmax`` [Hz].
    drop_inductive : bool
        Leave out points with Im Z > 0 (the inductive tail at high frequency).

    Raises
    ------
    SolverError
        When the least-squares fit does not converge or returns non-finite parameters.
    """
    from impedance.models.circuits import CustomCircuit

    validate_circuit(circuit)
    f, z, prep_notes = prepare_spectrum(frequency, z, fmin, fmax, drop_inductive)
    if f.size < 3:
        raise InputError("spectrum", f"need at least 3 points with f > 0, got {f.size}")
    if guess is None or isinstance(guess, dict):
        given = dict(guess or {})
        guess = initial_guess(circuit, f, z)
        names = parameter_names(circuit)
        for name, value in given.items():
            guess[names.index(name)] = value
    elif len(guess) != len(parameter_names(circuit)):
        raise InputError("guess", f"{len(guess)} values for the {len(parameter_names(circuit))} parameters of {circuit!r}")
    try:
        model = CustomCircuit(circuit=circuit, initial_guess=list(guess))
    except Exception as exc:  # impedance.py raises bare exceptions for malformed strings
        raise InputError("circuit", f"cannot build {circuit!r}: {exc}") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # scipy's OptimizeWarning on covariance; checked below
            model.fit(f, z, weight_by_modulus=True, maxfev=20000)
    except (RuntimeError, ValueError, np.linalg.LinAlgError) as exc:
        raise SolverError(f"equivalent-circuit fit of {circuit!r} failed: {' '.join(str(exc).split())}",
                          hint="give starting values (--guess R0=...,R1=...) or crop the spectrum (--fmin/--fmax)") from None
    params = np.asarray(model.parameters_, dtype=float)
    if not np.all(np.isfinite(params)):
        raise SolverError(f"fit of {circuit!r} returned non-finite parameters", hint="try another circuit")
    z_fit = model.predict(f)
    rms = float(np.sqrt(np.mean(np.abs(z_fit - z) ** 2 / np.abs(z) ** 2)))
    names, units = model.get_param_names()
    conf = getattr(model, "conf_", None)
    table = {}
    for k, (name, unit) in enumerate(zip(names, units, strict=True)):
        err = float(conf[k]) if conf is not None and np.isfinite(conf[k]) else None
        table[name] = {"value": float(params[k]), "unit": unit, "stderr": err}
    fit = EISFit(circuit, table, rms, f, z, z_fit, fit_notes(table, rms, z))
    fit.preprocessing = prep_notes
    return fit


def fit_notes(parameters: dict, rms_relative: float, z: np.ndarray) -> list[str]:
    """Reasons not to trust a converged fit; an empty list means the fit is acceptable.

    A fit is flagged when (1) its rms relative misfit exceeds :data:`MAX_RMS_RELATIVE`, (2) a
    parameter's standard error exceeds its magnitude (the data do not determine it, e.g. a series
    resistance driven to 0), or (3) a resistor exceeds :data:`MAX_RESISTANCE_RATIO` times the
    largest measured |Z| (its arc lies outside the measured frequencies).

    Parameters
    ----------
    parameters : dict
        name -> {"value", "unit", "stderr"} as in :attr:`EISFit.parameters`.
    rms_relative : float
        rms of ``|Z_fit - Z| / |Z|`` [1].
    z : complex array
        The measured impedance [ohm].
    """
    notes = []
    if rms_relative > MAX_RMS_RELATIVE:
        notes.append(f"the model misses the data by {rms_relative:.0%} rms (more than {MAX_RMS_RELATIVE:.0%}); "
                     "the circuit may not describe this spectrum")
    for name, p in parameters.items():
        if p["stderr"] is not None and p["stderr"] > abs(p["value"]):
            notes.append(f"{name} = {p['value']:.3g} {p['unit']} is not determined by the data "
                         f"(standard error {p['stderr']:.3g})")
    z_max = float(np.max(np.abs(z)))
    for name, r in ((k, v["value"]) for k, v in parameters.items() if re.fullmatch(r"R\d*", k)):
        if r > MAX_RESISTANCE_RATIO * z_max:
            notes.append(f"{name} = {r:.3g} ohm is over {MAX_RESISTANCE_RATIO:.0f} x the largest measured "
                         f"|Z| ({z_max:.3g} ohm): its arc lies outside the measured frequencies")
    return notes


def conductivity(resistance: float, thickness: float, area: float) -> float:
    """Conductivity ``sigma = L / (R A)`` [S/m] from R [ohm], L [m], A [m^2].

    >>> round(conductivity(100.0, 400e-6, 1.267e-4), 4)   # 400 um LNI pellet, 0.5 inch, 100 ohm
    0.0316
    """
    for name, value in (("resistance", resistance), ("thickness", thickness), ("area", area)):
        if not value > 0:
            raise InputError(name, f"must be > 0, got {value}")
    return thickness / (resistance * area)
