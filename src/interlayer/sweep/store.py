"""The sweep's Zarr store: one labelled Dataset over the sweep dimensions, written point by point.

Layout (Zarr format 2, consolidated metadata, so ``xarray.open_zarr(path)`` opens it directly):

* coordinates: one per sweep dimension (grid) or, for a point list, ``point`` plus one coordinate per
  varying parameter along it; each with ``units`` and ``long_name``;
* ``status`` (int8): 0 pending, 1 done, 2 failed (``flag_values`` / ``flag_meanings``);
* ``error`` (str): the one-line error of a failed point, ``""`` otherwise;
* ``elapsed`` and ``cpu_time`` (s): wall and CPU time of the point on its worker; ``worker`` (str):
  ``host:pid`` that ran it;
* one variable per model output, with the sweep dims first and the output's own dims after; created
  when the first point succeeds (a model's output shapes are known only then). Points not done read as
  NaN (floats) or masked (integer codes; ``open_zarr(..., mask_and_scale=False)`` shows the raw -1).

Durability: every array is chunked one point per chunk, and zarr's local store writes each chunk
atomically (temporary file + rename). A point's outputs, ``error``, times and ``worker`` are written
before its ``status``; so a process killed at any instant leaves each point either done with all its
data or pending. Only the parent process writes (workers return results), so writes never race. A machine
crash (power loss) can still lose writes the OS had not flushed: we do not fsync each chunk.

The config hash (``attrs["config_hash"]``) ties a store to one sweep plan; opening it with another plan
raises :class:`InputError` (``out``): choose another store or delete the old one.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from interlayer.errors import InputError
from interlayer.sweep.config import POINT_DIM, SweepPlan
from interlayer.sweep.outputs import PointResult

PENDING, DONE, FAILED = 0, 1, 2
_BASE_VARS = ("status", "error", "elapsed", "cpu_time", "worker")
_DIMS_ATTR = "_ARRAY_DIMENSIONS"  # how xarray names the dimensions of a Zarr v2 array


# zarr-python writes LocalStore chunks atomically (temporary file + rename) from 3.1.3 on
# (zarr-developers/zarr-python#3412); the durability argument above rests on it.
_ZARR_MIN = (3, 1, 3)


def _zarr():
    try:
        import zarr
    except ImportError:  # pragma: no cover - zarr is in the 'sweep' extra
        raise InputError("out", "sweeps need zarr: pip install 'interlayer[sweep]'") from None
    version = tuple(int(p) for p in re.findall(r"\d+", zarr.__version__)[:3])
    if version < _ZARR_MIN:  # pragma: no cover - depends on the installation
        raise InputError("out", f"sweeps need zarr >= 3.1.3 (atomic chunk writes), found {zarr.__version__}")
    return zarr


class SweepStore:
    """A sweep's Zarr store, opened for writing by the parent process.

    Use :meth:`open` (create or resume). ``pending()`` lists the points to run, ``write(index, result)``
    stores one finished point.
    """

    def __init__(self, path: Path, plan: SweepPlan, group: Any):
        self.path = path
        self.plan = plan
        self._group = group
        self._arrays: dict[str, Any] = {}
        self._schema: dict[str, Any] | None = group.attrs.get("sweep_outputs")
        self._output_coords: dict[str, list] = {}
        if self._schema is not None:
            self._output_coords = {k: v for k, v in group.attrs.get("sweep_output_coords", {}).items()}

    # ---------------------------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: str | Path, plan: SweepPlan) -> SweepStore:
        """Create the store for ``plan`` at ``path``, or reopen it to resume.

        Raises
        ------
        InputError
            ``path`` exists but is not a sweep store, or holds a sweep of another config.
        """
        zarr = _zarr()
        path = Path(path)
        if path.exists():
            cls.check(path, plan)
            try:
                group = zarr.open_group(str(path), mode="r+", use_consolidated=False)
            except Exception as exc:
                raise InputError(
                    "out", f"{path} exists and is not a Zarr store ({type(exc).__name__})"
                ) from None
            store = cls(path, plan, group)
            store._lock()
            store._repair()
            return store
        # Built under a temporary name and renamed into place: a creation killed midway leaves no
        # half-made store at ``path`` (the leftover is removed by the next run).
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".creating")
        if tmp.exists():
            shutil.rmtree(tmp)
        store = cls(tmp, plan, zarr.open_group(str(tmp), mode="w", zarr_format=2))
        store._create()
        tmp.rename(path)
        store = cls(path, plan, zarr.open_group(str(path), mode="r+", use_consolidated=False))
        store._lock()
        return store

    @staticmethod
    def check(path: str | Path, plan: SweepPlan) -> None:
        """Fail early (before workers start) if ``path`` holds another config's sweep or no sweep.

        Reads the group attributes as plain JSON; :meth:`open` repeats the check with zarr.
        """
        path = Path(path)
        if not path.exists():
            return
        try:
            attrs = json.loads((path / ".zattrs").read_text())
        except (OSError, ValueError):
            raise InputError("out", f"{path} exists and is not an interlayer sweep store") from None
        stored = attrs.get("config_hash")
        if stored is None:
            raise InputError("out", f"{path} exists and is not an interlayer sweep store")
        if stored != plan.config_hash:
            raise InputError(
                "out",
                f"{path} holds a sweep of another config (hash {stored[:12]} != {plan.config_hash[:12]}); "
                "write to a new --out store or delete this one",
            )

    def _lock(self) -> None:
        """Hold an exclusive lock on the store while this run writes it (a second run is refused).

        ``flock`` locks die with their process, so a killed run leaves no stale lock behind.
        """
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no lock, one run per store is on the user
            return
        # The lock is on the store's directory itself (no lock file for zarr to trip over).
        fd = os.open(self.path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise InputError("out", f"{self.path} is being written by another running sweep") from None
        self._lock_fd = fd

    def close(self) -> None:
        """Release the store's lock (the data are already on disk: every write is immediate)."""
        fd = getattr(self, "_lock_fd", None)
        if fd is not None:
            os.close(fd)
            self._lock_fd = None

    def _create(self) -> None:
        zarr = _zarr()
        plan, g = self.plan, self._group
        shape = plan.shape
        chunks = (1,) * len(shape)
        spec = plan.spec
        if plan.layout == "grid":
            for dim in plan.dims:
                self._write_coord(dim, (dim,), plan.coords[dim], spec.parameters[dim])
        else:
            self._write_coord(POINT_DIM, (POINT_DIM,), np.arange(shape[0]), None)
            for name, values in plan.coords.items():
                self._write_coord(name, (POINT_DIM,), values, spec.parameters[name])
        dims = list(plan.dims)
        g.create_array(
            "status",
            shape=shape,
            chunks=chunks,
            dtype="i1",
            fill_value=None,  # missing chunk reads 0 = pending, and xarray does not mask it
            attributes={
                _DIMS_ATTR: dims,
                "long_name": "point status",
                "units": "1",
                "flag_values": [PENDING, DONE, FAILED],
                "flag_meanings": "pending done failed",
            },
        )
        g.create_array(
            "error",
            shape=shape,
            chunks=chunks,
            dtype=str,
            fill_value=None,  # reads as "" where no error was written
            attributes={_DIMS_ATTR: dims, "long_name": "error of a failed point", "units": "1"},
        )
        g.create_array(
            "cpu_time",
            shape=shape,
            chunks=chunks,
            dtype="f8",
            fill_value=float("nan"),
            attributes={
                _DIMS_ATTR: dims,
                "long_name": "CPU time of the point's worker process (elapsed much larger: CPU contention)",
                "units": "s",
            },
        )
        g.create_array(
            "worker",
            shape=shape,
            chunks=chunks,
            dtype=str,
            fill_value=None,
            attributes={
                _DIMS_ATTR: dims,
                "long_name": "host:pid of the process that ran the point",
                "units": "1",
            },
        )
        g.create_array(
            "elapsed",
            shape=shape,
            chunks=chunks,
            dtype="f8",
            fill_value=float("nan"),
            attributes={_DIMS_ATTR: dims, "long_name": "wall time of the point on its worker", "units": "s"},
        )
        attrs = {
            "title": f"interlayer sweep of model {plan.model!r}",
            "model": plan.model,
            "sweep_layout": plan.layout,
            "description": plan.description,
            "config_source": plan.source,
            "config": json.dumps(plan.canonical(), sort_keys=True),
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "interlayer_version": _version(),
        }
        for name, value in plan.fixed.items():
            param = spec.parameters[name]
            key = f"fixed_{name}"
            attrs[key] = value.tolist() if isinstance(value, np.ndarray) else value
            if param.kind != "text":
                attrs[f"{key}_units"] = param.unit
        if plan.layout == "points":
            # Non-dimension coordinates: xarray (CF decoding) reads them from this global attribute.
            attrs["coordinates"] = " ".join(plan.coords)
        attrs["config_hash"] = plan.config_hash
        g.attrs.update(attrs)
        zarr.consolidate_metadata(str(self.path))

    def _write_coord(self, name: str, dims: tuple[str, ...], values: np.ndarray, param) -> None:
        attrs: dict[str, Any] = {_DIMS_ATTR: list(dims)}
        if param is None:
            attrs.update(long_name="point number", units="1")
        else:
            attrs.update(long_name=param.description or param.name)
            if param.kind != "text":
                attrs["units"] = param.unit
        values = np.asarray(values)
        dtype = str if values.dtype == object else values.dtype
        arr = self._group.create_array(
            name, shape=values.shape, chunks=values.shape, dtype=dtype, attributes=attrs, fill_value=None
        )
        arr[...] = values

    def _repair(self) -> None:
        """Drop output arrays of a schema creation that was killed midway, and re-consolidate."""
        zarr = _zarr()
        g = self._group
        known = set(_BASE_VARS) | set(self.plan.coords) | set(self.plan.dims)
        if self._schema is not None:
            known |= set(self._schema) | set(self._output_coords)
        for name in list(g.array_keys()):
            if name not in known:
                del g[name]
        for stray in self.path.rglob("*.partial"):  # temporary files of a write that was killed
            stray.unlink(missing_ok=True)
        zarr.consolidate_metadata(str(self.path))

    # ---------------------------------------------------------------------------------- reading
    def status(self) -> np.ndarray:
        """Status of every point (0 pending, 1 done, 2 failed)."""
        return np.asarray(self._array("status")[...])

    def pending(self, retry_failed: bool = True) -> list[tuple[int, ...]]:
        """Indices of the points still to run (failed ones too, unless ``retry_failed`` is False)."""
        status = self.status()
        todo = status == PENDING
        if retry_failed:
            todo |= status == FAILED
        return [tuple(int(i) for i in idx) for idx in np.argwhere(todo)]

    def counts(self) -> dict[str, int]:
        status = self.status()
        return {"done": int((status == DONE).sum()), "failed": int((status == FAILED).sum())}

    # ---------------------------------------------------------------------------------- writing
    def write(self, index: tuple[int, ...], result: PointResult) -> PointResult:
        """Store one finished point (outputs, error, times, worker, then status) and return what was stored.

        A successful result whose outputs do not match the store's output schema (other names, dims,
        shapes or coordinates than the first successful point) is stored as failed.
        """
        if result.ok:
            problem = self._check_schema(result)
            if problem:
                result = dataclasses.replace(
                    result, ok=False, outputs={}, coords={}, error=f"OutputMismatch: {problem}"
                )
        sel = tuple(slice(i, i + 1) for i in index)
        ones = (1,) * len(index)
        if result.ok:
            for name, var in result.outputs.items():
                if var.missing:
                    continue
                self._array(name)[sel + (slice(None),) * var.values.ndim] = var.values.reshape(
                    ones + var.values.shape
                )
        self._array("error")[sel] = np.array([result.error], dtype=object).reshape(ones)
        self._array("elapsed")[sel] = np.full(ones, result.elapsed)
        self._array("cpu_time")[sel] = np.full(ones, result.cpu_time)
        self._array("worker")[sel] = np.array([result.worker], dtype=object).reshape(ones)
        # Last: only now is the point marked finished (see the module docstring).
        self._array("status")[sel] = np.full(ones, DONE if result.ok else FAILED, dtype="i1")
        return result

    def _array(self, name: str):
        arr = self._arrays.get(name)
        if arr is None:
            arr = self._arrays[name] = self._group[name]
        return arr

    def _check_schema(self, result: PointResult) -> str:
        if self._schema is None:
            clash = [d for var in result.outputs.values() for d in var.dims if d in self.plan.dims]
            clash += [
                n for n in result.outputs if n in _BASE_VARS or n in self.plan.coords or n in self.plan.dims
            ]
            if clash:
                return f"output names or dims {sorted(set(clash))} clash with the sweep's own names"
            self._create_outputs(result)
            return ""
        if set(result.outputs) != set(self._schema):
            return f"outputs {sorted(result.outputs)} differ from the first point's {sorted(self._schema)}"
        for name, var in result.outputs.items():
            want = self._schema[name]
            if list(var.dims) != want["dims"] or list(var.values.shape) != want["shape"]:
                return f"output {name!r} has dims {var.dims} shape {var.values.shape}, expected {want}"
        for dim, (values, _) in result.coords.items():
            if dim in self._output_coords and not _same(values, self._output_coords[dim]):
                return f"coordinate {dim!r} differs from the first point's"
        return ""

    def _create_outputs(self, result: PointResult) -> None:
        """Create one array per output from the first successful point, then record the schema."""
        zarr = _zarr()
        g, plan = self._group, self.plan
        schema: dict[str, Any] = {}
        output_coords: dict[str, list] = {}
        for dim, (values, attrs) in result.coords.items():
            self._write_coord_raw(dim, values, attrs)
            output_coords[dim] = np.asarray(values).tolist()
        for name, var in result.outputs.items():
            shape = plan.shape + var.values.shape
            chunks = (1,) * len(plan.shape) + var.values.shape
            kind = var.values.dtype.kind
            if kind == "f":
                dtype, fill = "f8", float("nan")
            elif kind in "iu":
                dtype, fill = "i8", -1
            elif kind == "b" or var.values.dtype == np.int8:
                dtype, fill = "i1", -1
            else:
                dtype, fill = str, None
            attrs = {k: _attr(v) for k, v in var.attrs.items()}
            attrs[_DIMS_ATTR] = list(plan.dims) + list(var.dims)
            g.create_array(name, shape=shape, chunks=chunks, dtype=dtype, fill_value=fill, attributes=attrs)
            schema[name] = {"dims": list(var.dims), "shape": list(var.values.shape)}
        g.attrs["sweep_output_coords"] = output_coords
        g.attrs["sweep_outputs"] = schema  # marks the schema complete (see _repair)
        zarr.consolidate_metadata(str(self.path))
        self._schema, self._output_coords = schema, output_coords

    def _write_coord_raw(self, name: str, values: np.ndarray, attrs: dict) -> None:
        values = np.asarray(values)
        attrs = {k: _attr(v) for k, v in attrs.items()}
        attrs[_DIMS_ATTR] = [name]
        dtype = str if values.dtype.kind in "USO" else values.dtype
        arr = self._group.create_array(
            name, shape=values.shape, chunks=values.shape, dtype=dtype, attributes=attrs, fill_value=None
        )
        arr[...] = values.astype(object) if dtype is str else values


def _same(a, b) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind in "fc" or b.dtype.kind in "fc":
        return bool(np.allclose(a.astype(float), b.astype(float), rtol=1e-12, atol=0))
    return bool(np.all(a == b))


def _attr(value: Any) -> Any:
    """Attribute values as JSON-able Python objects."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_attr(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _attr(v) for k, v in value.items()}
    return value


def _version() -> str:
    from interlayer import __version__

    return __version__


def open_sweep(path: str | Path):
    """Open a sweep store as an :class:`xarray.Dataset` (lazy, Dask-backed).

    ``ds.where(ds.status == 1)`` keeps the finished points; ``ds.error`` holds failure messages.
    """
    import xarray as xr

    path = Path(path)
    if not path.exists():
        raise InputError("store", f"{path} does not exist")
    return xr.open_zarr(str(path))
