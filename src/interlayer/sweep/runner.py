"""Run a sweep: plan -> store (create or resume) -> executor -> one write per finished point.

The same loop serves every executor; only the parent process touches the store.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from interlayer.errors import InputError
from interlayer.sweep.config import SweepPlan, load_config, plan_from_dict
from interlayer.sweep.executors import DaskExecutor, Executor, make_executor
from interlayer.sweep.outputs import PointResult, run_point
from interlayer.sweep.progress import NullProgress, RichProgress
from interlayer.sweep.store import StoreLock, SweepStore


@dataclass(frozen=True)
class SweepSummary:
    """What a sweep run did.

    Attributes
    ----------
    store : str
        Path of the Zarr store.
    n_points : int
        Points in the sweep.
    done, failed : int
        Points done / failed in the store after this run (all runs together).
    skipped : int
        Points this run did not run because an earlier run had finished them.
    ran : int
        Points this run evaluated.
    wall_time_s : float
        Wall time of this run, s.
    executor : str
        What ran the points.
    notes : list of str
        Advice from the executor (e.g. a slow Dask worker setting).
    """

    store: str
    n_points: int
    done: int
    failed: int
    skipped: int
    ran: int
    wall_time_s: float
    executor: str
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def default_store_path(plan: SweepPlan, config_path: str | Path | None = None) -> Path:
    """``[sweep] out`` if set, else ``CONFIG.zarr`` next to the config file."""
    if plan.out is not None:
        return plan.out
    if config_path is not None:
        path = Path(config_path)
        return path.with_name(path.stem + ".zarr")
    raise InputError("out", "no store path: give out= (or [sweep] out in the config)")


def run_sweep(
    config: str | Path | dict | SweepPlan,
    out: str | Path | None = None,
    *,
    executor: Executor | Any = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool | Any = False,
    retry_failed: bool = True,
    oversubscribe: bool = False,
) -> SweepSummary:
    """Run a model over a grid or list of points, storing each finished point at once.

    Parameters
    ----------
    config : path, dict or SweepPlan
        A TOML config file (see ``docs/sweep.md``), its parsed dict, or a plan from
        :func:`~interlayer.sweep.config.load_config`.
    out : path, optional
        Zarr store; default ``[sweep] out`` of the config, else ``CONFIG.zarr`` beside the file.
        An existing store of the same config is resumed (done points are skipped); one of another
        config raises :class:`InputError`.
    executor : Executor, dask.distributed.Client or LocalCluster, optional
        What runs the points; default a local process pool of ``workers`` processes.
    workers : int, optional
        Local pool size (default: CPU count); 0 runs in this process.
    scheduler : str, optional
        Dask scheduler address (``tcp://HOST:PORT``): run on that cluster instead.
    progress : bool or tracker
        ``True`` for a Rich bar on stderr, or an :class:`interlayer.progress.Progress`.
    retry_failed : bool
        Rerun points an earlier run recorded as failed (default). Done points are never rerun.
    oversubscribe : bool
        Allow more local workers than CPUs (up to the ``workers_oversubscribed`` limit,
        ``docs/limits.md``); without it ``workers`` above the CPU count is refused.

    Raises
    ------
    InputError
        Bad config, store, ``workers`` or ``scheduler`` (before anything is written), or another run
        holding the store's lock.
    StoreError
        The store was deleted or damaged, or could not be written (disk full), while the sweep ran.

    Returns
    -------
    SweepSummary

    Examples
    --------
    >>> import tempfile, xarray as xr
    >>> cfg = {"sweep": {"model": "toy"}, "grid": {"x": ["1 um", "2 um"], "t": [1, 2]}}
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     summary = run_sweep(cfg, f"{tmp}/toy.zarr", workers=0)
    ...     ds = xr.open_zarr(f"{tmp}/toy.zarr")
    ...     (summary.done, float(ds.ratio.sel(x=2e-6, t=2.0)))
    (4, 2e-12)
    """
    t0 = time.perf_counter()
    config_path = None
    if isinstance(config, SweepPlan):
        plan = config
    elif isinstance(config, dict):
        plan = plan_from_dict(config)
    else:
        config_path = config
        plan = load_config(config)
    spec = plan.spec
    spec.check_available()
    path = Path(out) if out is not None else default_store_path(plan, config_path)
    if not str(out if out is not None else path).strip() or not path.name:
        raise InputError("out", f"{str(out if out is not None else path)!r} is not a store path; give STORE.zarr")
    made = executor is None
    if made:  # bad --workers/--scheduler fail before the store is touched
        executor = make_executor(workers=workers, scheduler=scheduler, oversubscribe=oversubscribe)
    # The lock before anything else touches the store (creating it, removing a leftover .creating),
    # and before local workers fork: they inherit it, so workers orphaned by a killed parent keep a
    # rerun out until they are gone (they die with their parent: executors.die_with_parent).
    with StoreLock(path):
        return _run_locked(plan, path, spec, executor, made, t0, progress, retry_failed)


def _run_locked(plan, path, spec, executor, made, t0, progress, retry_failed) -> SweepSummary:
    SweepStore.check(path, plan)  # a wrong store fails before any worker starts

    # An executor we make is closed at the end; one the caller passed stays open for the next sweep.
    if made:
        owned = executor
    elif not isinstance(executor, Executor):  # a Dask Client or cluster: our wrapper, their cluster
        executor = DaskExecutor(client=executor)
        owned = executor
    else:
        executor.start()
        owned = contextlib.nullcontext()
    tracker = RichProgress() if progress is True else (progress or NullProgress())

    # Workers first (a local pool forks before the store's I/O thread exists), then the store.
    with owned:
        store = SweepStore.open(path, plan)
        try:
            todo = store.pending(retry_failed=retry_failed)
            before = store.counts()
            skipped = plan.n_points - len(todo)
            tasks = ((index, (spec.target, plan.point_params(index))) for index in todo)
            ran = 0
            tracker.start(plan.n_points, f"{plan.model} sweep", completed=skipped)

            def write(index, result):
                nonlocal ran
                stored = store.write(index, result)
                ran += 1
                tracker.advance(1, failed=0 if stored.ok else 1)
                return stored.ok

            # The first successful point written fixes the output shapes in a new store. So that this
            # never depends on which worker finishes first, results are written in plan order until one
            # succeeds (workers keep running meanwhile; only the writes wait), then as they come.
            schema_fixed = before["done"] > 0
            position = {index: k for k, index in enumerate(todo)}
            held: dict = {}
            next_in_order = 0
            try:
                for index, result, lost in executor.map_unordered(run_point, tasks):
                    if result is None:
                        result = PointResult(False, error=f"ExecutorError: {lost}", worker="(unknown)")
                    if schema_fixed:
                        write(index, result)
                        continue
                    held[index] = result
                    while not schema_fixed and next_in_order < len(todo) and todo[next_in_order] in held:
                        first = todo[next_in_order]
                        next_in_order += 1
                        schema_fixed = write(first, held.pop(first))
                    if schema_fixed:
                        for waiting in sorted(held, key=position.__getitem__):
                            write(waiting, held.pop(waiting))
                for waiting in sorted(held, key=position.__getitem__):  # nothing succeeded: all failed
                    write(waiting, held.pop(waiting))
            finally:
                tracker.close()
            store.verify()  # deleted after the last write: not a finished sweep
            counts = store.counts() if ran else before
        finally:
            store.close()
    return SweepSummary(
        store=str(path),
        n_points=plan.n_points,
        done=counts["done"],
        failed=counts["failed"],
        skipped=skipped,
        ran=ran,
        wall_time_s=time.perf_counter() - t0,
        executor=executor.description,
        notes=list(executor.notes),
    )
