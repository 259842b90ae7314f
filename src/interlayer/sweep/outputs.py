"""What a worker sends back for one point: model outputs as plain arrays with dims and attrs.

A model may return

* an :class:`xarray.Dataset` (its data variables are the outputs; coordinates along the outputs' own
  dimensions are kept; its ``attrs`` are dropped, the store holds the sweep's inputs);
* a dict mapping output names to an :class:`xarray.DataArray` (must carry ``attrs["units"]``), or to
  a ``(value, unit)`` or ``(value, unit, long_name)`` tuple for a scalar. A scalar ``value`` of
  ``None`` means "does not exist at this point" (e.g. a nucleation depth where nothing nucleates):
  nothing is written, the store reads it as missing (NaN) while the point is done.

Outputs must be numbers (+-inf allowed), booleans, integers or strings: a NaN is reported as a failed
point (the package never writes NaN results; NaN in a stored output only marks a point not done).
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class OutputVar:
    """One output of one point: its own dims (besides the sweep dims), values and attrs."""

    dims: tuple[str, ...]
    values: np.ndarray
    attrs: dict[str, Any]
    missing: bool = False  # the model returned None: nothing to write for this point


@dataclass
class PointResult:
    """The outcome of one point, as returned by a worker (picklable, small)."""

    ok: bool
    outputs: dict[str, OutputVar] = field(default_factory=dict)
    coords: dict[str, tuple[np.ndarray, dict[str, Any]]] = field(default_factory=dict)
    error: str = ""
    elapsed: float = 0.0
    worker: str = ""
    cpu_time: float = 0.0


def run_point(target: Any, params: dict[str, Any]) -> PointResult:
    """Evaluate one point on a worker; an exception becomes a failed :class:`PointResult`.

    Parameters
    ----------
    target : str or callable
        The model callable or its ``"module:function"`` name (resolved here, on the worker).
    params : dict
        SI inputs of the point.
    """
    from interlayer.sweep.registry import resolve_target

    start, cpu_start = time.perf_counter(), time.process_time()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    try:
        result = resolve_target(target)(dict(params))
        outputs, coords = normalise_outputs(result)
    except Exception as exc:  # a failed point is data, not a crash of the sweep
        outcome = PointResult(False, error=_one_line(exc))
    else:
        outcome = PointResult(True, outputs, coords)
    outcome.elapsed = time.perf_counter() - start
    outcome.cpu_time = time.process_time() - cpu_start
    outcome.worker = worker
    return outcome


def _one_line(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return " ".join(text.split())[:2000]


def normalise_outputs(result: Any) -> tuple[dict[str, OutputVar], dict[str, tuple[np.ndarray, dict]]]:
    """Turn a model's return value into ``(outputs, coords)`` (see the module docstring).

    Raises
    ------
    TypeError, ValueError
        Unsupported return type, missing units, non-finite values.
    """
    import xarray as xr

    outputs: dict[str, OutputVar] = {}
    coords: dict[str, tuple[np.ndarray, dict]] = {}
    if isinstance(result, xr.Dataset):
        items: dict[str, Any] = {str(k): v for k, v in result.data_vars.items()}
    elif isinstance(result, dict):
        items = {str(k): v for k, v in result.items()}
    else:
        raise TypeError(f"a model must return an xarray.Dataset or a dict, got {type(result).__name__}")
    if not items:
        raise ValueError("the model returned no outputs")
    for name, item in items.items():
        if isinstance(item, xr.DataArray):
            if "units" not in item.attrs:
                raise ValueError(f"output {name!r} has no attrs['units']")
            values = np.asarray(item.values)
            attrs = dict(item.attrs)
            dims = tuple(str(d) for d in item.dims)
            for dim in dims:
                if dim in item.coords and dim not in coords:
                    coord = item.coords[dim]
                    coords[dim] = (np.asarray(coord.values), dict(coord.attrs))
        elif isinstance(item, tuple) and len(item) in (2, 3) and item[0] is None:
            # A quantity that does not exist at this point (no nucleation -> no nucleation depth):
            # a scalar left unwritten, read back as missing. Not a failure, and not a NaN from us.
            attrs = {"units": str(item[1])}
            if len(item) == 3:
                attrs["long_name"] = str(item[2])
            outputs[name] = OutputVar((), np.array(np.nan), attrs, missing=True)
            continue
        elif isinstance(item, tuple) and len(item) in (2, 3):
            values = np.asarray(item[0])
            if values.ndim != 0:
                raise ValueError(f"output {name!r}: an array needs dims; return an xarray.DataArray")
            attrs = {"units": str(item[1])}
            if len(item) == 3:
                attrs["long_name"] = str(item[2])
            dims = ()
        else:
            raise TypeError(
                f"output {name!r} must be an xarray.DataArray or a (value, unit[, long_name]) tuple, "
                f"got {type(item).__name__}"
            )
        values = _check_values(name, values)
        outputs[name] = OutputVar(dims, values, attrs)
    return outputs, coords


def _check_values(name: str, values: np.ndarray) -> np.ndarray:
    kind = values.dtype.kind
    if kind == "f":
        values = values.astype(np.float64)
        if np.any(np.isnan(values)):  # +-inf is a value (e.g. "stable at every current"); NaN is not
            raise ValueError(f"output {name!r} has NaN values")
    elif kind in "iu":
        values = values.astype(np.int64)
    elif kind == "b":
        values = values.astype(np.int8)  # stored as 0/1 (zarr v2 has no portable bool fill)
    elif kind in "USO":
        values = values.astype(object)
        if not all(isinstance(v, str) for v in values.ravel()):
            raise ValueError(f"output {name!r}: object values must be strings")
    else:
        raise TypeError(f"output {name!r} has unsupported dtype {values.dtype}")
    return values
