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
        data = _read_toml(path)
    _check_shape(data)
    return plan_from_dict(data, base=base, source=label)


def _read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file after checking its size (limit ``config_bytes``); one InputError for any problem."""
    from interlayer.limits import describe, limit

    if not str(path).strip():
        raise InputError("config", "empty path; give a CONFIG.toml file")
    try:
        if not path.is_file():
            what = "it is a folder" if path.is_dir() else "no such file"
            raise InputError("config", f"cannot read {path}: {what}; give a CONFIG.toml file")
        size = path.stat().st_size
    except OSError as exc:
        raise InputError("config", f"cannot read {path}: {exc.strerror or exc}") from None
    if size > limit("config_bytes"):
        raise InputError("config", f"{path} has {size:,} bytes, above {describe('config_bytes')}; a sweep "
                                   "config is a few tables (use ranges such as '1:100:1 um' for long axes)")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError("config", f"cannot read {path}: {exc.strerror or exc}") from None
    if b"\0" in raw:
        raise InputError("config", f"{path} is a binary file, not a TOML text file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("config", f"{path} is not UTF-8 text (byte {exc.start}): not a TOML config") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError("config", f"{path} is not valid TOML: {exc}") from None
    except RecursionError:
        raise InputError("config", f"{path} nests tables or lists too deeply") from None


def _check_shape(data: Mapping[str, Any]) -> None:
    """Refuse configs nested deeper than ``config_depth`` or holding more than ``config_values`` values."""
    from interlayer.limits import describe, limit

    max_depth, max_values = limit("config_depth"), limit("config_values")
    count = 0
    stack: list[tuple[Any, int, str]] = [(data, 1, "")]
    while stack:
        node, depth, where = stack.pop()
        if depth > max_depth:
            raise InputError(where.lstrip(".") or "config", f"nested {depth} levels deep, above {describe('config_depth')}")
        items = node.items() if isinstance(node, Mapping) else enumerate(node)
        for key, value in items:
            count += 1
            if count > max_values:
                raise InputError("config", f"holds more than {describe('config_values')}; use a range string "
                                           "'START:STOP:STEP unit' for long axes")
            if isinstance(value, (Mapping, list)):
                label = f"{where}.{key}" if isinstance(node, Mapping) else f"{where}[{key}]"
                stack.append((value, depth + 1, label))


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
    if out is not None and (not isinstance(out, str) or not out.strip()):
        raise InputError("sweep.out", "must be a non-empty path string")
    out_path = None if out is None else _contained_out(base, out)

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

    n_points = count_points(data)
    if n_points > _max_points():
        where = "points" if has_points else "grid"
        raise InputError(where, f"{n_points:.3g} points, above {_points_limit_text()}; split the sweep or "
                                "coarsen an axis")
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
        exact = math.prod(len(v) for v in coords.values())
        if exact > _max_points():
            raise InputError("grid", f"{exact:.3g} points, above {_points_limit_text()}; split the sweep or "
                                     "coarsen an axis")
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


def _contained_out(base: Path, out: str) -> Path:
    """``[sweep] out`` resolved against the config's folder; it must stay inside that folder or the
    working directory (a config cannot make a sweep write anywhere: ``--out`` on the command line can)."""
    target = (base / Path(out).expanduser()).resolve()
    for root in (base.resolve(), Path.cwd().resolve()):
        if target == root or root in target.parents:
            return target
    raise InputError("sweep.out", f"{out!r} resolves to {target}, outside the config's folder "
                                  f"({base.resolve()}) and the working directory; give --out on the command line "
                                  "to write there")


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
        return _declared(param, raw, key)
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise InputError(key, f"expected a number or a quantity string such as '90 um', got {raw!r}")
    if param.needs_unit is not None and is_bare_number(raw):
        raise InputError(key, f"{raw!r} needs a unit, e.g. {param.needs_unit}")
    return _checked(param, parse(raw, param.unit, key, default_unit=param.default_unit), key)


def _checked(param: Parameter, value: float, key: str) -> float:
    """The parameter's physical bound, integrality and minimum (InputError naming ``key``)."""
    if param.bound is not None:
        from interlayer.limits import check_bound

        check_bound(param.bound, value, key)
    if param.integer and value != int(value):
        raise InputError(key, f"must be a whole number, got {value!r}")
    if param.minimum is not None and value < param.minimum:
        raise InputError(key, f"must be >= {param.minimum:g}, got {value:g}")
    return _declared(param, value, key)


def _declared(param: Parameter, value: Any, key: str) -> Any:
    """The model declaration's own check of one value (ranges, open ends, choices), if it has one."""
    if param.declared is not None and param.kind != "array":
        from interlayer.inputs import check_value

        check_value(param.declared, value, key)
    return value



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
        count = (stop - start) / step + 1e-9
        if not math.isfinite(count) or count + 1 > _max_points():
            raise InputError(key, f"{raw!r} has {count + 1:.3g} values, above {_points_limit_text()}")
        n = int(math.floor(count)) + 1
        return [_checked(param, start + i * step, key) for i in range(n)]
    if not isinstance(raw, list):
        raise InputError(key, "expected a list of values or a 'START:STOP:STEP unit' range")
    return [_scalar(param, item, f"{key}[{i}]") for i, item in enumerate(raw)]


def _max_points() -> float:
    from interlayer.limits import limit

    return limit("sweep_points")


def _points_limit_text() -> str:
    from interlayer.limits import describe

    return describe("sweep_points")


def count_points(data: Mapping[str, Any]) -> int:
    """Points of a parsed config without building its grid: the product of the axis lengths (a range
    string counts as ``(STOP - START)/STEP + 1`` values) or the number of ``[[points]]`` tables.

    Used to refuse a sweep above the ``sweep_points`` limit before any value list is built.
    """
    if "points" in data and isinstance(data["points"], list):
        return len(data["points"])
    grid = data.get("grid")
    if not isinstance(grid, Mapping):
        return 0
    total = 1
    for raw in grid.values():
        if isinstance(raw, list):
            n = len(raw)
        elif isinstance(raw, str) and raw.count(":") == 2:
            try:
                start, stop, step = (float(part.split()[0]) if part.split() else float("nan")
                                     for part in raw.split(":"))
                n = int(math.floor((stop - start) / step + 1e-9)) + 1 if step > 0 else 1
            except (ValueError, OverflowError, IndexError):
                n = 1  # not a plain number range: the full parser names the problem
        else:
            n = 1
        total *= max(n, 1)
    return total
