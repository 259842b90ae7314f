"""Sweep configuration: read a TOML file (or a dict), validate it, and plan the points.

Format (see ``docs/sweep.md`` for the full reference)::

    [sweep]
    model = "design"              # a registered model (interlayer.sweep.model_names())
    out = "design-map.zarr"       # optional; relative to the config file

    [fixed]                       # optional: parameters held constant
    material = "lni-5cnt"
    current_density = "0.5:4:0.5 mA/cm2"

    [grid]                        # Cartesian product of the value lists ...
    thickness = ["30 um", "60 um", "90 um"]
    porosity = [0.2, 0.3, 0.4]

    # ... or, instead of [grid], an explicit list of points:
    # [[points]]
    # thickness = "90 um"
    # porosity = 0.3

Values are numbers (in the parameter's default unit), unit strings parsed by
:func:`interlayer.units.parse`, or for a list of values a ``"START:STOP:STEP unit"`` range (both ends
included when STOP lies on the grid). Every error is an :class:`InputError` naming the key.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from interlayer.errors import InputError
from interlayer.sweep.registry import ModelSpec, Parameter, get_model
from interlayer.units import is_bare_number, parse, parse_range

# Bumped when the meaning of a stored sweep changes (part of the config hash).
STORE_FORMAT = 1
POINT_DIM = "point"
_TOP_KEYS = {"sweep", "fixed", "grid", "points"}
_SWEEP_KEYS = {"model", "out", "description"}


@dataclass(frozen=True)
class SweepPlan:
    """A validated sweep: the model, the fixed inputs and the points, all in SI.

    Attributes
    ----------
    model : str
        Registered model name.
    fixed : dict
        Parameters passed to every point (config ``[fixed]`` plus model defaults), SI values.
    layout : {"grid", "points"}
        Cartesian grid (one dimension per swept parameter) or an explicit list (dimension ``point``).
    dims : tuple of str
        Sweep dimensions of the store.
    coords : dict of str to numpy.ndarray
        Grid: one value array per dimension. Points: one array per parameter set by any point, along
        ``point`` (points that do not set it take the fixed/default value).
    out : Path or None
        Store path named in the config (``[sweep] out``), resolved against the config's folder.
    description : str
        Free text, kept in the store's attrs (not part of the hash).
    """

    model: str
    fixed: dict[str, Any]
    layout: Literal["grid", "points"]
    dims: tuple[str, ...]
    coords: dict[str, np.ndarray]
    out: Path | None = None
    description: str = ""
    source: str = ""
    _hash: str = field(default="", repr=False)

    @property
    def spec(self) -> ModelSpec:
        return get_model(self.model)

    @property
    def shape(self) -> tuple[int, ...]:
        if self.layout == "grid":
            return tuple(len(self.coords[d]) for d in self.dims)
        return (len(next(iter(self.coords.values()))),)

    @property
    def n_points(self) -> int:
        return math.prod(self.shape)

    @property
    def swept(self) -> list[str]:
        """Names of the parameters that vary across points."""
        return list(self.coords)

    def point_params(self, index: tuple[int, ...]) -> dict[str, Any]:
        """The ``params`` dict of the point at ``index`` (SI values)."""
        params = dict(self.fixed)
        if self.layout == "grid":
            for dim, i in zip(self.dims, index, strict=True):
                params[dim] = _plain(self.coords[dim][i])
        else:
            for name, values in self.coords.items():
                params[name] = _plain(values[index[0]])
        return params

    def indices(self) -> Iterator[tuple[int, ...]]:
        """Every point index, in C order."""
        return iter(np.ndindex(*self.shape))

    def canonical(self) -> dict[str, Any]:
        """The plan as plain JSON data: what the config hash is taken over."""
        return {
            "format": STORE_FORMAT,
            "model": self.model,
            "layout": self.layout,
            "dims": list(self.dims),
            "fixed": {k: _jsonable(v) for k, v in sorted(self.fixed.items())},
            "coords": {k: _jsonable(v) for k, v in self.coords.items()},
        }

    @property
    def config_hash(self) -> str:
        """SHA-256 of :meth:`canonical` (the store keeps it; a rerun must match it)."""
        if self._hash:
            return self._hash
        text = json.dumps(self.canonical(), sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(text.encode()).hexdigest()
        object.__setattr__(self, "_hash", digest)
        return digest


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        # 15 significant digits: "1 um" and "0.001 mm" (which pint may round differently in the last
        # bit) are the same sweep.
        return f"{value:.15g}"
    return value


# ------------------------------------------------------------------------------------------- loading


def load_config(source: str | Path | Mapping[str, Any]) -> SweepPlan:
    """Read and validate a sweep config (TOML path or an already parsed dict) into a :class:`SweepPlan`.

    Raises
    ------
    InputError
        Unreadable file or bad TOML (field ``config``), unknown model (``sweep.model``), unknown
        parameter (``grid.NAME``, ``fixed.NAME``, ``points[i].NAME``), unparseable value or unit, an
        empty grid or point list, a parameter given twice, or a missing required parameter.
    """
    base = Path(".")
    label = "<dict>"
    if isinstance(source, Mapping):
        data = dict(source)
    else:
        path = Path(source)
        label = str(path)
        base = path.parent
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError("config", f"cannot read {path}: {exc.strerror or exc}") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError("config", f"{path} is not valid TOML: {exc}") from None
    return plan_from_dict(data, base=base, source=label)


def plan_from_dict(data: Mapping[str, Any], base: Path = Path("."), source: str = "<dict>") -> SweepPlan:
    """Validate a parsed config dict (see :func:`load_config`)."""
    unknown = set(data) - _TOP_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise InputError(key, f"unknown section; a sweep config has {', '.join(sorted(_TOP_KEYS))}")
    sweep = data.get("sweep")
    if not isinstance(sweep, Mapping):
        raise InputError("sweep", 'missing [sweep] table with model = "NAME"')
    for key in sweep:
        if key not in _SWEEP_KEYS:
            raise InputError(f"sweep.{key}", f"unknown key; [sweep] accepts {', '.join(sorted(_SWEEP_KEYS))}")
    model_name = sweep.get("model")
    if not isinstance(model_name, str) or not model_name:
        raise InputError("sweep.model", "must be a model name (string)")
    spec = get_model(model_name)
    out = sweep.get("out")
    if out is not None and (not isinstance(out, str) or not out):
        raise InputError("sweep.out", "must be a path string")
    out_path = None if out is None else (base / out if not Path(out).is_absolute() else Path(out))

    fixed_raw = data.get("fixed", {})
    if not isinstance(fixed_raw, Mapping):
        raise InputError("fixed", "must be a table of parameter = value")
    fixed: dict[str, Any] = {}
    for name, raw in fixed_raw.items():
        param = _param(spec, name, f"fixed.{name}")
        fixed[name] = _scalar_or_array(param, raw, f"fixed.{name}")

    has_grid, has_points = "grid" in data, "points" in data
    if has_grid and has_points:
        raise InputError("points", "give either [grid] or [[points]], not both")
    if not has_grid and not has_points:
        raise InputError("grid", "missing: give a [grid] table or a [[points]] list")

    coords: dict[str, np.ndarray] = {}
    if has_grid:
        grid = data["grid"]
        if not isinstance(grid, Mapping) or not grid:
            raise InputError("grid", "empty: name at least one parameter with a list of values")
        for name, raw in grid.items():
            key = f"grid.{name}"
            param = _param(spec, name, key)
            if name in fixed:
                raise InputError(key, "also set in [fixed]; a parameter is either fixed or swept")
            if param.kind == "array":
                raise InputError(key, "an array parameter cannot be swept; set it in [fixed]")
            values = _value_list(param, raw, key)
            if len(values) == 0:
                raise InputError(key, "empty list of values")
            if len(set(values)) != len(values):
                raise InputError(key, "repeated values; a grid axis needs distinct values")
            coords[name] = np.asarray(values, dtype=object if param.kind == "text" else float)
        layout: Literal["grid", "points"] = "grid"
        dims = tuple(coords)
    else:
        points = data["points"]
        if not isinstance(points, list) or not points:
            raise InputError("points", "empty: give at least one [[points]] table")
        rows: list[dict[str, Any]] = []
        for i, point in enumerate(points):
            if not isinstance(point, Mapping):
                raise InputError(f"points[{i}]", "must be a table of parameter = value")
            row = {}
            for name, raw in point.items():
                key = f"points[{i}].{name}"
                param = _param(spec, name, key)
                if name in fixed:
                    raise InputError(key, "also set in [fixed]; a parameter is either fixed or per point")
                if param.kind == "array":
                    raise InputError(key, "an array parameter cannot vary per point; set it in [fixed]")
                row[name] = _scalar(param, raw, key)
            rows.append(row)
        names = [n for n in spec.parameters if any(n in row for row in rows)]
        if not names:
            raise InputError("points", "no point sets a parameter; use [fixed] for a single run")
        for name in names:
            param = spec.parameters[name]
            fallback = fixed.get(name, param.default)
            if fallback is None and any(name not in row for row in rows):
                missing = next(i for i, row in enumerate(rows) if name not in row)
                raise InputError(
                    f"points[{missing}].{name}",
                    "missing: set by other points and without a default, so every point must set it",
                )
            values = [row.get(name, fallback) for row in rows]
            coords[name] = np.asarray(values, dtype=object if param.kind == "text" else float)
        layout = "points"
        dims = (POINT_DIM,)

    # Defaults for everything not given; None defaults stay out (the model picks its own value).
    for name, param in spec.parameters.items():
        if name in fixed or name in coords:
            continue
        if param.required:
            raise InputError(f"fixed.{name}", f"required by model {spec.name!r}")
        if param.default is not None:
            fixed[name] = np.asarray(param.default, float) if param.kind == "array" else param.default

    description = str(sweep.get("description", ""))
    return SweepPlan(spec.name, fixed, layout, dims, coords, out_path, description, source)


def _param(spec: ModelSpec, name: str, key: str) -> Parameter:
    try:
        return spec.parameters[name]
    except KeyError:
        known = ", ".join(spec.parameters)
        raise InputError(key, f"unknown parameter of model {spec.name!r}. Known: {known}") from None


def _scalar(param: Parameter, raw: Any, key: str) -> Any:
    if param.kind == "text":
        if not isinstance(raw, str) or not raw:
            raise InputError(key, f"expected a non-empty string, got {raw!r}")
        return raw
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise InputError(key, f"expected a number or a quantity string such as '90 um', got {raw!r}")
    if param.needs_unit is not None and is_bare_number(raw):
        raise InputError(key, f"{raw!r} needs a unit, e.g. {param.needs_unit}")
    return parse(raw, param.unit, key, default_unit=param.default_unit)



def _scalar_or_array(param: Parameter, raw: Any, key: str) -> Any:
    if param.kind == "array":
        values = _value_list(param, raw, key)
        if not values:
            raise InputError(key, "empty list of values")
        return np.asarray(values, dtype=float)
    if isinstance(raw, list):
        raise InputError(key, "a list is only allowed in [grid]; [fixed] takes one value")
    return _scalar(param, raw, key)


def _value_list(param: Parameter, raw: Any, key: str) -> list[Any]:
    """A list of values, or a ``"START:STOP:STEP unit"`` range string for quantities."""
    if isinstance(raw, str) and param.kind != "text" and raw.count(":") == 2:
        if param.needs_unit is not None and all(is_bare_number(part) for part in raw.split(":")):
            raise InputError(key, f"{raw!r} needs a unit, e.g. {param.needs_unit}")
        start, stop, step = parse_range(raw, param.unit, key, default_unit=param.default_unit)
        # Both ends included when STOP lies on the grid (to a relative 1e-9 of a step: rounding only).
        n = int(math.floor((stop - start) / step + 1e-9)) + 1
        return [start + i * step for i in range(n)]
    if not isinstance(raw, list):
        raise InputError(key, "expected a list of values or a 'START:STOP:STEP unit' range")
    return [_scalar(param, item, f"{key}[{i}]") for i, item in enumerate(raw)]
