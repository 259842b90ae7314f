"""The model registry: a sweepable model is a name, its parameters (SI unit, default) and a callable.

A model callable takes ``params``, a dict of SI floats (text parameters are strings, array parameters
1D float arrays), and returns its outputs as an :class:`xarray.Dataset` or a dict of
:class:`xarray.DataArray` / ``(value, unit)`` pairs (see :func:`interlayer.sweep.runner.normalise_outputs`).
The sweep engine never looks inside a model: parameters go down, results come back.

Built-in models name their callable by a ``"module:function"`` string, so the physics module is only
imported when (and where: on the worker) the model runs; a missing physics module fails only its own
model, with a message saying what is missing.

>>> from interlayer.sweep.registry import get_model
>>> get_model("toy").parameters["x"].unit
'm'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from interlayer.errors import InputError

ParameterKind = Literal["quantity", "text", "array"]


@dataclass(frozen=True)
class Parameter:
    """One input of a sweepable model.

    Parameters
    ----------
    name : str
        Key in the config file and in ``params``.
    unit : str
        SI unit the model expects (``"m"``, ``"A/m^2"``, ``"rad"``, ``"1"`` for dimensionless);
        config values are converted to it with :func:`interlayer.units.parse`. Unused for text.
    default : float, str, tuple of float or None
        Value used when the config does not set the parameter; ``None`` means "not passed": the
        model uses its own default (e.g. the material's porosity).
    kind : {"quantity", "text", "array"}
        A scalar quantity (sweepable), a text choice (sweepable, e.g. a material name) or a 1D array
        of quantities (fixed only, e.g. the current densities a design evaluation is vectorised over).
    description : str
        One line for ``docs/sweep.md`` and error messages.
    default_unit : str, optional
        Unit of a bare number in the config (``porosity = 0.3`` is dimensionless, ``contact_angle =
        120`` is read in deg). Defaults to ``unit``.
    required : bool
        The config must set it.
    needs_unit : str, optional
        Refuse bare numbers in a config (their unit would be ambiguous: a temperature in degC or K,
        a time in s or h) and show this example instead, as the CLI does.
    bound : str, optional
        Key of :data:`interlayer.limits.BOUNDS`: the physical range every value (and every element
        of an array parameter) must lie in, checked when the config is read.
    integer : bool
        Values must be whole numbers (grid cells, steps, seeds).
    minimum : float, optional
        Smallest allowed value (for counts such as grid cells), when no physical bound applies.
    declared : interlayer.inputs.Input, optional
        The model declaration's field this parameter comes from; then every config value is checked
        as the model's command checks it (ranges, open ends, choices), when the config is read.
    """

    name: str
    unit: str = "1"
    default: Any = None
    kind: ParameterKind = "quantity"
    description: str = ""
    default_unit: str | None = None
    required: bool = False
    needs_unit: str | None = None
    bound: str | None = None
    integer: bool = False
    minimum: float | None = None
    declared: Any = None


@dataclass(frozen=True)
class ModelSpec:
    """A sweepable model: its parameters and the callable that evaluates one point.

    Parameters
    ----------
    name : str
        Registry key (``[sweep] model = "..."`` in a config).
    parameters : mapping of str to Parameter
        Every parameter the model accepts; any other key in a config is an error.
    target : str or callable
        ``"package.module:function"`` (imported lazily, on the worker) or the callable itself.
        It is called as ``target(params)`` with a dict of SI values.
    description : str
        One line shown by ``interlayer sweep --help`` and the docs.
    requires : str, optional
        Modules or ``module:function`` names the model needs, comma-separated (checked before a
        sweep starts, so a missing physics module is one clear error rather than every point failing).
    """

    name: str
    parameters: Mapping[str, Parameter]
    target: str | Callable[[dict[str, Any]], Any]
    description: str = ""
    requires: str | None = None

    def check_available(self) -> None:
        """Raise :class:`InputError` if what the model needs cannot be imported.

        ``requires`` names modules (``"interlayer.design"``) or functions
        (``"interlayer.transport.pnp:run"``), comma-separated.
        """
        needs = self.requires
        if needs is None and isinstance(self.target, str):
            needs = self.target.split(":")[0]
        for need in (n.strip() for n in (needs or "").split(",") if n.strip()):
            try:
                if ":" in need:
                    resolve_target(need)
                else:
                    importlib.import_module(need)
            except (ImportError, AttributeError) as exc:
                raise InputError(
                    "sweep.model",
                    f"model {self.name!r} is not available in this installation: needs {need} ({exc})",
                ) from None


_REGISTRY: dict[str, ModelSpec] = {}


def register_model(spec: ModelSpec, *, replace: bool = False) -> ModelSpec:
    """Add a model to the registry (``replace=True`` to overwrite an existing name).

    A model registered at run time (in a script or a test) runs on a local process pool (workers are
    forked from the registering process) and on Dask (the callable is pickled by value when it lives in
    ``__main__``); a model meant for a remote cluster should live in an importable module.
    """
    if spec.name in _REGISTRY and not replace:
        raise ValueError(f"model {spec.name!r} is already registered")
    for key, param in spec.parameters.items():
        if key != param.name:
            raise ValueError(f"parameter key {key!r} differs from its name {param.name!r}")
    _REGISTRY[spec.name] = spec
    return spec


def unregister_model(name: str) -> None:
    """Remove a model (tests use this to clean up)."""
    _REGISTRY.pop(name, None)


def model_names() -> list[str]:
    """Registered model names, sorted."""
    _ensure_builtins()
    return sorted(_REGISTRY)


def get_model(name: str, field_name: str = "sweep.model") -> ModelSpec:
    """Look a model up by name; unknown names raise :class:`InputError` listing the known ones."""
    _ensure_builtins()
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise InputError(field_name, f"unknown model {name!r}. Known: {known}") from None


def resolve_target(target: str | Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], Any]:
    """Turn a ``"module:function"`` string into the callable (imports the module)."""
    if callable(target):
        return target
    module_name, _, attr = target.partition(":")
    module = importlib.import_module(module_name)
    obj: Any = module
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


_BUILTINS_LOADED = False


def _ensure_builtins() -> None:
    # The built-in specs live in interlayer.sweep.models (declarations only: the physics modules they
    # call are imported inside the callables). Loaded on first lookup to avoid an import cycle.
    global _BUILTINS_LOADED
    if not _BUILTINS_LOADED:
        _BUILTINS_LOADED = True
        from interlayer.sweep import models

        for spec in models.BUILTIN_MODELS:
            _REGISTRY.setdefault(spec.name, spec)
