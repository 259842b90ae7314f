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

from interlayer.errors import InputError, StoreError
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
        self._written = 0
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
        # The lock comes first: nothing is created, removed or repaired without it. run_sweep takes it
        # before its workers start; a direct caller gets it here (released by close()).
        own_lock = None if StoreLock.held(path) is not None else StoreLock(path).acquire()
        try:
            store = cls._open_locked(path, plan, zarr)
        except BaseException:
            if own_lock is not None:
                own_lock.release()
            raise
        store._own_lock = own_lock
        return store

    @classmethod
    def _open_locked(cls, path: Path, plan: SweepPlan, zarr) -> SweepStore:
        if path.exists():
            cls.check(path, plan)
            try:
                group = zarr.open_group(str(path), mode="r+", use_consolidated=False)
                outputs = list(group.attrs.get("sweep_outputs") or {})
                missing = [name for name in (*_BASE_VARS, *outputs) if name not in group]
            except Exception as exc:
                raise InputError(
                    "out", f"{path} exists and is not a Zarr store ({type(exc).__name__})"
                ) from None
            if missing:
                raise InputError("out", f"{path} is damaged (no {', '.join(map(repr, missing))} array); "
                                        "delete it to start this sweep again")
            store = cls(path, plan, group)
            store._repair()
            store._remember_identity()
            return store
        # Built under a temporary name and renamed into place: a creation killed midway leaves no
        # half-made store at ``path`` (the leftover is removed by the next run). The caller holds the
        # store's lock (StoreLock), so the leftover is never another live run's.
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".creating")
        if tmp.exists():
            shutil.rmtree(tmp)
        store = cls(tmp, plan, zarr.open_group(str(tmp), mode="w", zarr_format=2))
        store._create()
        tmp.rename(path)
        store = cls(path, plan, zarr.open_group(str(path), mode="r+", use_consolidated=False))
        store._remember_identity()
        return store

    def _remember_identity(self) -> None:
        """Hold the store folder open, so that a store deleted or replaced mid-run is noticed.

        The open descriptor keeps the folder's inode allocated: a folder deleted and made again under
        the same name gets another inode, which :meth:`verify` sees (a remembered inode number alone
        could be reused by the new folder).
        """
        self._close_identity()
        self._dir_fd: int | None
        try:
            self._dir_fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
                                   | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            self._dir_fd = None
        self._identity = _identity(self.path)

    def _close_identity(self) -> None:
        fd = getattr(self, "_dir_fd", None)
        if fd is not None:
            os.close(fd)
            self._dir_fd = None

    def verify(self) -> None:
        """Raise StoreError if the store was deleted, replaced or lost metadata since it was opened.

        Checks (a few ``stat`` calls, before every write and at the end of a run): the folder is the one
        opened (same device and inode, still linked), and the group's and every array's metadata files
        (``.zgroup``, ``.zattrs``, ``NAME/.zarray``) exist.
        """
        now = _identity(self.path)
        same = now is not None and now == getattr(self, "_identity", now)
        fd = getattr(self, "_dir_fd", None)
        if same and fd is not None:
            try:
                st = os.fstat(fd)
                same = (st.st_dev, st.st_ino) == now and st.st_nlink > 0
            except OSError:
                same = False
        missing = []
        if same:
            names = list(_BASE_VARS) + list(self._schema or {})
            needed = [".zgroup", ".zattrs"] + [f"{name}/.zarray" for name in names]
            missing = [n for n in needed if not (self.path / n).is_file()]
        if not same or missing:
            what = f" (missing {', '.join(missing[:3])})" if missing else ""
            raise StoreError("out", f"{self.path} was deleted or damaged while this sweep wrote it{what} "
                                    f"({self._written} points written by this run are lost); rerun to start again")

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

    def close(self) -> None:
        """Release the lock if :meth:`open` took it (the data are on disk already: every write is immediate)."""
        self._close_identity()
        lock = getattr(self, "_own_lock", None)
        if lock is not None:
            lock.release()
            self._own_lock: StoreLock | None = None

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
        self.verify()
        try:
            return self._write(index, result)
        except OSError as exc:  # disk full, read-only remount, the folder removed under us
            import errno

            reasons: dict[int | None, str] = {errno.ENOSPC: "no space left on the device", errno.EROFS: "read-only file system",
                       errno.EDQUOT: "disk quota exceeded"}
            why = reasons.get(exc.errno, exc.strerror or str(exc))
            raise StoreError("out", f"cannot write {self.path}: {why} ({self._written} points stored by this run "
                                    "are kept; rerun to resume once there is room)") from None

    def _write(self, index: tuple[int, ...], result: PointResult) -> PointResult:
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
        self._written += 1
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
            dtype: str | type[str]
            fill: float | None
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


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


class StoreLock:
    """An exclusive lock on a sweep store, taken before anything of the store is created or removed.

    The lock is a ``flock`` on ``STORE.lock`` beside the store (created if missing, never removed:
    removing a lock file races with the next run opening it). It records the holder's pid, host and
    start time, which a refused run prints. ``flock`` locks belong to the open file, so they die with
    the last process holding it: a killed sweep leaves no stale lock, but local pool workers forked
    while it is held keep it until they end, and a rerun during that time is refused rather than
    writing beside them.

    Use as a context manager; :meth:`held` tells whether this process holds the lock of a path.
    """

    _held: dict[str, StoreLock] = {}

    def __init__(self, store: str | Path):
        self.store = Path(store)
        self.path = self.store.with_name(self.store.name + ".lock")
        self._fd: int | None = None

    @classmethod
    def held(cls, store: str | Path) -> StoreLock | None:
        return cls._held.get(str(Path(store).absolute()))

    def acquire(self) -> StoreLock:
        """Take the lock, or raise InputError (``out``) naming the live holder."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no lock, one run per store is on the user
            self._held[str(self.store.absolute())] = self
            return self
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as exc:
            raise InputError("out", f"cannot create the lock {self.path}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _read_holder(fd)
            os.close(fd)
            raise InputError("out", f"{self.store} is being written by another running sweep{holder}; "
                                    "wait for it to finish (or stop it) and rerun") from None
        try:
            import socket
            from datetime import UTC, datetime

            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()} host {socket.gethostname()} since "
                          f"{datetime.now(UTC).isoformat(timespec='seconds')}\n".encode(), 0)
        except OSError as exc:  # a full or read-only disk: the lock still holds, the sweep will tell
            os.close(fd)
            raise InputError("out", f"cannot write the lock {self.path}: {exc.strerror or exc}") from None
        self._fd = fd
        self._held[str(self.store.absolute())] = self
        return self

    def release(self) -> None:
        self._held.pop(str(self.store.absolute()), None)
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> StoreLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _read_holder(fd: int) -> str:
    """`` (pid 123 on host since ...)`` from a lock file, noting a holder pid that is gone."""
    try:
        text = os.pread(fd, 200, 0).decode(errors="replace").strip()
    except OSError:
        return ""
    parts = text.split()
    if len(parts) < 2 or parts[0] != "pid":
        return ""
    try:
        pid = int(parts[1])
    except ValueError:
        return ""
    host = parts[3] if len(parts) > 3 else "?"
    since = parts[5] if len(parts) > 5 else "?"
    alive = True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        alive = False
    except PermissionError:
        pass
    import socket

    if not alive and host == socket.gethostname():
        return (f" (started by pid {pid} since {since}, which is gone: its worker processes still hold the "
                "lock and are ending)")
    return f" (pid {pid} on {host}, since {since})"


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
