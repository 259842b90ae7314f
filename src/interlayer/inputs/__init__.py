"""One typed declaration of a model's inputs, from which everything else is generated.

A model declares its inputs once, as a frozen dataclass whose fields carry an :class:`Input` in their
metadata (SI unit, the unit a bare number is read in, physical bound, description, CLI option name).
From that one declaration come:

* validation of SI values (:meth:`Inputs.validate`, the API path) and of text with units
  (:meth:`Inputs.from_text`, the CLI and config path), with errors naming the option or key;
* the Typer options of the model's command (:func:`cli_command`);
* the sweep's :class:`~interlayer.sweep.registry.ModelSpec` parameters (:meth:`Inputs.sweep_parameters`);
* the input attrs a result records (:meth:`Inputs.attrs`).

So a parameter added once appears everywhere, and ``tests/test_model_declarations.py`` fails if a
model's function, command and sweep spec disagree.

Inputs that several models take (thickness, temperature, stack pressure, conductivities, porosity,
contact angle, material, current density...) come from the factories of :mod:`interlayer.inputs.fields`,
which declare their unit, bare-number unit, bound, description and help once
(``tests/test_shared_fields.py`` fails if a declaration writes one out again or drifts from it).

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Demo(Inputs):
...     thickness: float = quantity(90e-6, "m", "layer thickness", display="um", bound="thickness")
...     label: str = text("a", "a label", choices=("a", "b"))
>>> f"{Demo.from_text({'thickness': '40'}).thickness:.3g}"
'4e-05'
>>> Demo.from_text({"label": "c"})
Traceback (most recent call last):
...
interlayer.errors.InputError: label: must be one of a, b; got 'c'
>>> Demo.sweep_parameters()["thickness"].default_unit
'um'
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import math
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Literal

from interlayer.errors import InputError

Kind = Literal["quantity", "integer", "text", "flag", "array"]
#: Examples shown when a bare number is refused (its unit would be ambiguous).
TEMPERATURE_EXAMPLE = "'25 degC' or '298.15 K'"
TIME_EXAMPLE = "'2 s', '30 min' or '1 h'"
_MISSING = dataclasses.MISSING


@dataclasses.dataclass(frozen=True)
class Input:
    """What one model input is: the metadata of a declaration field.

    Parameters
    ----------
    unit : str
        SI unit of the value the model takes (``"1"``: dimensionless; unused for text and flags).
    description : str
        One line: the CLI help, the sweep docs and the result attrs' ``long_name``.
    kind : {"quantity", "integer", "text", "flag", "array"}
        A float in ``unit``; a whole number; a text choice; a yes/no switch (CLI and API only); a 1D
        array of quantities (CLI ``START:STOP:STEP`` or one value; fixed in a sweep).
    display : str, optional
        Unit a bare number is read in (``thickness = 40`` means 40 um) and values are shown in.
    bound : str, optional
        Key of :data:`interlayer.limits.BOUNDS`: the physical range every value must lie in.
    needs_unit : str, optional
        Refuse bare numbers (a temperature in degC or K?) and show this example instead.
    choices : tuple of str, optional
        Allowed texts.
    minimum, maximum : float, optional
        Range (SI) for counts and fractions that no physical bound in ``limits`` covers.
    open_low, open_high : bool
        ``minimum`` / ``maximum`` excluded (a porosity in (0, 1), a conductivity > 0).
    option : str, optional
        The CLI option's name without ``--`` (default: the field name with ``-`` for ``_``).
    aliases : tuple of str
        Other names the CLI accepts for the option (without ``--``): the name another command gives
        the same field, so ``--current`` and ``--current-density`` both work everywhere.
    cli, sweep : bool
        Whether the input is a CLI option / a sweep parameter (a flag such as ``extrapolate`` is not
        swept; a structural input such as a grid size may be sweep-only).
    cli_default : str, optional
        Default shown and parsed on the CLI when it differs from the SI default's text (``"90 um"``).
    help : str, optional
        Longer CLI help than ``description`` (examples, what the default means).
    """

    unit: str = "1"
    description: str = ""
    kind: Kind = "quantity"
    display: str | None = None
    bound: str | None = None
    needs_unit: str | None = None
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    open_low: bool = False
    open_high: bool = False
    option: str | None = None
    aliases: tuple[str, ...] = ()
    cli: bool = True
    sweep: bool = True
    cli_default: str | None = None
    help: str | None = None


def _field(default: Any, spec: Input) -> Any:
    return dataclasses.field(default=default, metadata={"input": spec})


def quantity(default: float | None, unit: str, description: str, **spec: Any) -> Any:
    """A float input in SI ``unit`` (``None``: the model's own default, e.g. the material's value)."""
    return _field(default, Input(unit=unit, description=description, kind="quantity", **spec))


def integer(default: int | None, description: str, **spec: Any) -> Any:
    """A whole-number input (grid cells, steps, seeds, cycles)."""
    return _field(default, Input(unit="1", description=description, kind="integer", **spec))


def text(default: str | None, description: str, **spec: Any) -> Any:
    """A text input (a material name, a mode); ``choices`` restricts it."""
    return _field(default, Input(description=description, kind="text", **spec))


def flag(default: bool, description: str, **spec: Any) -> Any:
    """A yes/no switch (not swept)."""
    spec.setdefault("sweep", False)
    return _field(default, Input(description=description, kind="flag", **spec))


def array(unit: str, description: str, **spec: Any) -> Any:
    """A 1D array of quantities (default ``None``: the model's own)."""
    return _field(None, Input(unit=unit, description=description, kind="array", **spec))


class Inputs:
    """Base of every model's inputs declaration (subclasses are frozen dataclasses).

    Subclasses may override :meth:`check` for conditions between inputs (``--time`` or
    ``--capacity``, not both); each input alone is checked from its :class:`Input`.
    """

    #: The model's name (its command and its sweep model).
    model: ClassVar[str] = ""

    # ------------------------------------------------------------------------------ the declaration
    @classmethod
    def declared(cls) -> dict[str, tuple[Input, Any]]:
        """``name -> (Input, SI default)`` in declaration order."""
        out = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            spec = f.metadata.get("input")
            if spec is not None:
                out[f.name] = (spec, None if f.default is _MISSING else f.default)
        return out

    @classmethod
    def option_name(cls, name: str) -> str:
        """The CLI option (without ``--``) of input ``name``."""
        spec = cls.declared()[name][0]
        return spec.option or name.replace("_", "-")

    # ------------------------------------------------------------------------------- validation
    def __post_init__(self) -> None:
        self._coerce()
        self.validate()

    def _coerce(self) -> None:
        # a sweep passes whole numbers as floats (2.0 cycles); the model takes ints
        for name, (spec, _) in self.declared().items():
            value = getattr(self, name)
            if spec.kind == "integer" and isinstance(value, float) and value.is_integer():
                object.__setattr__(self, name, int(value))

    def validate(self, names: Mapping[str, str] | None = None) -> None:
        """Check every input against its declaration; InputError naming ``names[field]`` (or the field).

        Raises
        ------
        InputError
            A value outside its bound, choices or range, or a cross-input condition (:meth:`check`).
        """
        names = dict(names or {})
        for name, (spec, _) in self.declared().items():
            check_value(spec, getattr(self, name), names.get(name, name))
        self.check(names)

    def check(self, names: dict[str, str]) -> None:
        """Conditions between inputs (override); ``names`` maps fields to what the user called them."""

    @classmethod
    def from_text(cls, values: Mapping[str, Any], *, names: Mapping[str, str] | None = None,
                  **si: Any):
        """Build from text with units (CLI options, config values); ``None`` or absent: the default.

        Parameters
        ----------
        values : mapping
            ``field -> text`` (``"90 um"``, ``"0.1:4:0.1"`` for an array, ``"lni-5cnt"``); numbers pass.
        names : mapping, optional
            ``field -> name`` to use in errors (the CLI passes ``--option`` names).
        **si
            Further inputs already in SI (not parsed).
        """
        names = dict(names or {})
        try:
            return cls._from_text(values, names, si)
        except InputError as exc:
            # the field as the user wrote it: "--sigma-ion" is reported as "sigma-ion: ..."
            field = names.get(exc.field, exc.field)
            if field.startswith("--") or exc.field.startswith("--"):
                raise InputError(field.lstrip("-"), exc.message) from None
            raise

    @classmethod
    def _from_text(cls, values: Mapping[str, Any], names: dict[str, str], si: dict[str, Any]):
        kwargs = dict(si)
        declared = cls.declared()
        for key in values:
            if key not in declared:
                raise InputError(key, f"unknown input of {cls.model or cls.__name__}; known: "
                                      + ", ".join(declared))
        for name, raw in values.items():
            if raw is None:
                continue
            kwargs[name] = parse_text(declared[name][0], raw, names.get(name, name))
        obj = cls.__new__(cls)
        for name, (_, default) in declared.items():
            object.__setattr__(obj, name, kwargs.get(name, default))
        obj._coerce()
        obj.validate(names)  # errors name the inputs as the user wrote them
        return obj

    # --------------------------------------------------------------------------- generated views
    @classmethod
    def sweep_parameters(cls) -> dict[str, Any]:
        """The sweep ModelSpec's parameters, one per sweepable input."""
        from interlayer.sweep.registry import Parameter, ParameterKind

        out = {}
        for name, (spec, default) in cls.declared().items():
            if not spec.sweep:
                continue
            kinds: dict[str, ParameterKind] = {"text": "text", "array": "array"}
            kind = kinds.get(spec.kind, "quantity")
            out[name] = Parameter(
                name, unit=spec.unit if kind != "text" else "1",
                default=float(default) if isinstance(default, (int, float)) and not isinstance(default, bool)
                else default,
                kind=kind, description=spec.description, default_unit=spec.display,
                needs_unit=spec.needs_unit, bound=spec.bound, integer=spec.kind == "integer",
                minimum=spec.minimum if spec.kind == "integer" else None, declared=spec)
        return out

    @classmethod
    def model_spec(cls, description: str, target: str, requires: str | None = None) -> Any:
        """The sweep :class:`~interlayer.sweep.registry.ModelSpec` of this model (named ``cls.model``)."""
        from interlayer.sweep.registry import ModelSpec

        return ModelSpec(name=cls.model, parameters=cls.sweep_parameters(), target=target,
                         description=description, requires=requires)

    def attrs(self) -> dict[str, Any]:
        """The inputs as result attrs: ``<name>`` SI values (text as is; ``None`` left out)."""
        out: dict[str, Any] = {}
        for name in self.declared():
            value = getattr(self, name)
            if value is None:
                continue
            out[name] = int(value) if isinstance(value, bool) else value
        return out

    def record(self, ds: Any) -> Any:
        """Write the inputs into a result Dataset's attrs, generated from the declaration, and return it.

        ``input_<name>``: the SI value (``None`` left out, flags as 0/1, arrays as arrays);
        ``input_units``: JSON ``{name: SI unit}`` of the recorded quantities; ``input_model``: the
        declaration's model. What the model writes itself (``thickness_m``, ...) stays.
        """
        import json

        import numpy as np

        declared = self.declared()
        units = {}
        for name, value in self.attrs().items():
            spec = declared[name][0]
            if spec.kind not in ("text", "flag"):
                value = np.asarray(value, dtype=float) if spec.kind == "array" else value
                units[name] = spec.unit
            ds.attrs[f"input_{name}"] = value
        ds.attrs["input_units"] = json.dumps(units)
        ds.attrs["input_model"] = self.model
        return ds

    def kwargs(self) -> dict[str, Any]:
        """``field -> value`` for the model function (every declared input)."""
        return {name: getattr(self, name) for name in self.declared()}


# ------------------------------------------------------------------------------------ parsing/checks
def parse_text(spec: Input, raw: Any, name: str) -> Any:
    """One input's text (or number) to its SI value, InputError naming ``name``."""
    from interlayer.units import is_bare_number, parse

    if spec.kind == "flag":
        return bool(raw)
    if spec.kind == "text":
        return str(raw)
    if isinstance(raw, str) and not raw.strip():
        raise InputError(name, "empty value; give a number" + (" with a unit" if spec.unit != "1" else ""))
    if spec.kind == "array":
        return _parse_array(spec, raw, name)
    if spec.kind == "integer":
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise InputError(name, f"expected a whole number, got {raw!r}") from None
        if not math.isfinite(value) or value != int(value):
            raise InputError(name, f"expected a whole number, got {raw!r}")
        return int(value)
    if spec.needs_unit is not None and isinstance(raw, str) and is_bare_number(raw):
        raise InputError(name, f"{raw!r} needs a unit, e.g. {spec.needs_unit}")
    return parse(raw, spec.unit, name, default_unit=spec.display)


def _parse_array(spec: Input, raw: Any, name: str) -> Any:
    import numpy as np

    from interlayer.units import parse, parse_range

    if isinstance(raw, str) and ":" in raw:
        start, stop, step = parse_range(raw, spec.unit, name, default_unit=spec.display)
        if not start > 0:
            raise InputError(name, f"START must be > 0, got {raw!r}")
        n = int(math.floor((stop - start) / step + 1e-9)) + 1
        if n > 100000:
            raise InputError(name, f"range gives {n} points; at most 100000")
        return start + step * np.arange(n)
    if isinstance(raw, str):
        return np.array([parse(raw, spec.unit, name, default_unit=spec.display)])
    return np.atleast_1d(np.asarray(raw, dtype=float))


def check_value(spec: Input, value: Any, name: str) -> None:
    """Raise InputError naming ``name`` unless ``value`` fits its declaration (None: the default)."""
    if value is None:
        return
    if spec.kind == "text":
        if spec.choices is not None and value not in spec.choices:
            raise InputError(name, f"must be one of {', '.join(spec.choices)}; got {value!r}")
        return
    if spec.kind == "flag":
        return
    if spec.kind == "array":
        import numpy as np

        values = np.atleast_1d(np.asarray(value, dtype=float))
        if values.size == 0:
            raise InputError(name, "needs at least one value")
        for v in values:
            _check_number(spec, float(v), name)
        return
    _check_number(spec, value, name)


def _check_number(spec: Input, value: Any, name: str) -> None:
    from interlayer.limits import check_bound

    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise InputError(name, f"must be a finite number, got {value!r}")
    if spec.kind == "integer" and value != int(value):
        raise InputError(name, f"must be a whole number, got {value!r}")
    if spec.bound is not None:
        check_bound(spec.bound, float(value), name)
    lo, hi = spec.minimum, spec.maximum
    below = lo is not None and (value <= lo if spec.open_low else value < lo)
    above = hi is not None and (value >= hi if spec.open_high else value > hi)
    if below or above:
        from interlayer.units import parse

        # shown in the unit a user types (S/cm, ohm cm2), not SI
        shown = spec.display or spec.unit
        factor = 1.0 / parse(f"1 {shown}", spec.unit) if spec.display else 1.0
        a, b = "(" if spec.open_low else "[", ")" if spec.open_high else "]"
        unit = "" if shown == "1" else f" {shown}"
        lo_s = "-inf" if lo is None else f"{lo * factor:g}"
        hi_s = "inf" if hi is None else f"{hi * factor:g}"
        raise InputError(name, f"must be in {a}{lo_s}, {hi_s}{b}{unit}, got {value * factor:g}{unit}")


# ------------------------------------------------------------------------------------- the CLI side
def cli_command(inputs: type[Inputs], *, exclude: tuple[str, ...] = ()) -> Callable[[Callable], Callable]:
    """Give a command function the Typer options of ``inputs`` (declared once, not in the command).

    The decorated function takes ``inputs`` (an instance of the declaration, parsed from the options
    and validated, errors naming ``--option``) followed by its own, CLI-only options (``--plot``,
    ``--json``...), declared as usual. The options of the declaration come first in ``--help``.

    Parameters
    ----------
    inputs : type
        The model's :class:`Inputs` subclass.
    exclude : tuple of str
        Declared inputs the command does not offer (set by the command itself).
    """
    import typer

    declared = {k: v for k, v in inputs.declared().items() if v[0].cli and k not in exclude}

    def decorate(func: Callable) -> Callable:
        own = inspect.signature(func)
        own_params = [p for name, p in own.parameters.items() if name != "inputs"]
        clash = set(declared) & {p.name for p in own_params}
        if clash:
            raise TypeError(f"{func.__name__} declares {sorted(clash)} again; they come from {inputs.__name__}")
        generated, annotations = [], {}
        for name, (spec, default) in declared.items():
            option = f"--{inputs.option_name(name)}"
            if spec.kind == "flag":
                annotation: Any = bool
                cli_default: Any = bool(default)
            elif spec.kind == "integer":
                annotation = int
                cli_default = default if spec.cli_default is None else int(spec.cli_default)
            else:
                annotation = str
                cli_default = spec.cli_default if spec.cli_default is not None else (
                    default if isinstance(default, str) else None)
            generated.append(inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation,
                default=typer.Option(cli_default, option, *(f"--{a}" for a in spec.aliases),
                                     help=_help(spec, default))))
            annotations[name] = annotation
        for p in own_params:
            annotations[p.name] = p.annotation

        @functools.wraps(func)
        def command(**options: Any) -> Any:
            given = {k: options.pop(k) for k in declared}
            names = {k: "--" + inputs.option_name(k) for k in declared}
            return func(inputs.from_text(given, names=names), **options)

        command.__signature__ = own.replace(  # type: ignore[attr-defined]
            parameters=generated + [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own_params])
        command.__annotations__ = annotations
        del command.__wrapped__  # Typer must read the generated signature, not the function's
        return command

    return decorate


def _help(spec: Input, default: Any) -> str:
    text = spec.help or (spec.description[:1].upper() + spec.description[1:] + ".")
    if spec.help is None and spec.kind in ("quantity", "array") and spec.display and spec.needs_unit is None:
        text += f" Bare number: {spec.display}."
    if spec.choices and "one of" not in text:
        text += " One of " + ", ".join(spec.choices) + "."
    from rich.markup import escape  # Typer reads help as Rich markup: "[default: 2 um]" would vanish

    return escape(text)
