"""One executor interface, three implementations: in-process, a local process pool, Dask distributed.

The sweep runner only calls :meth:`Executor.map_unordered`; which machine runs a point is the
executor's business. Each keeps a bounded number of points in flight (``2 x workers``) so a sweep of a
million points does not queue a million futures.

* :class:`SerialExecutor`: in this process, one point after another (debugging, ``--workers 0``).
* :class:`LocalExecutor`: :class:`concurrent.futures.ProcessPoolExecutor` (the default).
* :class:`DaskExecutor`: a :class:`dask.distributed.Client` to a scheduler address, or an existing
  ``Client`` / ``LocalCluster``.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from interlayer.errors import InputError

#: Environment for Dask worker processes (set before they start: glibc reads it once). Dask's nanny sets
#: ``MALLOC_TRIM_THRESHOLD_=65536``, which also switches off glibc's dynamic mmap threshold, so every
#: NumPy temporary above 128 kB goes through mmap/munmap and fresh zeroed pages: measured here, a
#: 128 x 256 phase-field point takes 1.8-2.0 s in such a worker against 0.77 s in a plain process.
#: A fixed 32 MiB mmap threshold restores the heap for such temporaries (0.8-0.95 s) while the trim
#: threshold still returns freed memory at the top of the heap. See docs/sweep.md.
DASK_WORKER_ENVIRON = {"MALLOC_MMAP_THRESHOLD_": 32 * 1024 * 1024}


def dask_worker_config() -> dict[str, Any]:
    """Dask config to set (``dask.config.set``) before starting workers or a ``LocalCluster``."""
    return {f"distributed.nanny.pre-spawn-environ.{k}": v for k, v in DASK_WORKER_ENVIRON.items()}


def allocator_note(worker_environments: dict[str, dict[str, str | None]]) -> str | None:
    """A hint when Dask workers run with the slow allocator setting (see :data:`DASK_WORKER_ENVIRON`).

    ``worker_environments`` maps a worker address to its ``MALLOC_TRIM_THRESHOLD_`` and
    ``MALLOC_MMAP_THRESHOLD_`` (None when unset).
    """
    slow = [w for w, env in worker_environments.items()
            if env.get("MALLOC_TRIM_THRESHOLD_") is not None and env.get("MALLOC_MMAP_THRESHOLD_") is None]
    if not slow:
        return None
    return (f"{len(slow)} of {len(worker_environments)} Dask workers run with MALLOC_TRIM_THRESHOLD_ but no "
            "MALLOC_MMAP_THRESHOLD_: NumPy-heavy points can run ~2x slower there. Start workers with "
            "MALLOC_MMAP_THRESHOLD_=33554432 in their environment (docs/sweep.md, 'Dask workers').")


def _allocator_environment() -> dict[str, str | None]:
    return {k: os.environ.get(k) for k in ("MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_")}


Task = tuple[Any, tuple]  # (key, args): the key comes back with the outcome
Outcome = tuple[Any, Any, str]  # (key, result or None, infrastructure error or "")


class Executor(ABC):
    """Run ``fn(*args)`` for many tasks and yield outcomes as they finish, in any order.

    An outcome is ``(key, result, "")``, or ``(key, None, message)`` when the infrastructure lost the
    task (a worker process died, a Dask worker was killed). Exceptions raised *by* ``fn`` are the
    function's business: the sweep's point function catches them and returns them as data.
    """

    #: Human-readable name, e.g. ``"local process pool (2 workers)"``.
    description: str = ""
    #: Advice found while starting (e.g. a slow worker setting), shown to the user.
    notes: tuple[str, ...] = ()

    @property
    @abstractmethod
    def workers(self) -> int:
        """How many points can run at once."""

    @abstractmethod
    def map_unordered(self, fn: Callable[..., Any], tasks: Iterable[Task]) -> Iterator[Outcome]:
        """Submit the tasks (a bounded window at a time) and yield outcomes as they complete."""

    def start(self) -> None:  # noqa: B027 - optional hook
        """Acquire workers (called before the store is opened, see :class:`LocalExecutor`)."""

    def close(self, wait: bool = True) -> None:  # noqa: B027 - optional hook
        """Release what this executor created (never a client or cluster it was given).

        ``wait=False`` (after an error or Ctrl-C) does not wait for points still running.
        """

    def __enter__(self) -> Executor:
        self.start()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(wait=exc_type is None)


class SerialExecutor(Executor):
    """Every point in this process, in order (no parallelism; for debugging and unpicklable models)."""

    description = "in-process (serial)"

    @property
    def workers(self) -> int:
        return 1

    def map_unordered(self, fn, tasks):
        for key, args in tasks:
            yield key, fn(*args), ""


def _default_context() -> str:
    # fork on Linux: workers start fast and inherit models registered at run time; elsewhere spawn.
    # start() forks the workers before this process opens the store or starts a progress thread.
    return "fork" if sys.platform.startswith("linux") else "spawn"


def _worker_pid(_: int) -> int:
    return os.getpid()


#: Linux prctl option: the signal a process gets when its parent dies (linux/prctl.h).
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Pool initializer: end this worker, and every process it starts, when the sweep's parent dies.

    On Linux:

    * the worker becomes the leader of its own process group, so the processes a model starts
      (``subprocess``, ``multiprocessing``) are in that group unless they leave it (``setsid``);
    * ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` (via ctypes) makes the kernel kill the worker as soon as
      its parent exits, SIGKILL of the parent included; the parent-pid check right after covers a
      parent that died before the call;
    * a small reaper process forked here (:func:`_group_reaper`) gets a signal when the worker dies,
      however it dies, and kills the worker's process group: the grandchildren go with it.

    Outside the worker's process group, a terminal's Ctrl-C no longer reaches the worker: the parent
    ends the workers' groups itself (:meth:`LocalExecutor.close` with ``wait=False``). Elsewhere
    (not Linux) a daemon thread polls the parent pid once a second (a watchdog). Without this, workers
    of a killed sweep live on and a rerun would start beside them.
    """
    import signal
    import threading

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            os.setpgid(0, 0)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl: the watchdog below
            libc = None
        if os.getppid() != parent_pid:
            os._exit(1)
        if libc is not None:
            _group_reaper(libc)
    if os.getppid() != parent_pid:
        os._exit(1)

    def watch() -> None:  # pragma: no cover - a second line of defence, timing dependent
        import time

        while True:
            time.sleep(1.0)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="interlayer-parent-watchdog", daemon=True).start()


def _group_reaper(libc) -> None:
    """Fork a process that waits for this worker's death, then SIGKILLs the worker's process group.

    The reaper blocks in ``sigwait`` for its parent-death signal (SIGUSR1, blocked before the fork so
    that it cannot be missed) and holds no file of the worker (all descriptors above 2 are closed), so
    it neither keeps the store's lock nor the pool's pipes. It is in the group it kills and ends with it.
    """
    import signal

    worker = os.getpid()
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    try:
        pid = os.fork()
    except OSError:  # pragma: no cover - no processes left: the worker still dies with its parent
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        return
    if pid:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        return
    try:  # the reaper: nothing here returns to the worker's code
        try:
            fds = [int(fd) for fd in os.listdir("/proc/self/fd")]
        except OSError:  # pragma: no cover - no /proc: every possible descriptor
            fds = list(range(3, 4096))
        for fd in fds:
            if fd > 2:
                try:
                    os.close(fd)
                except OSError:
                    pass
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGUSR1), 0, 0, 0)
        if os.getppid() == worker:
            signal.sigwait({signal.SIGUSR1})
        os.killpg(worker, signal.SIGKILL)
    finally:
        os._exit(0)


def _kill_process_groups(pids) -> None:
    """SIGKILL each worker's process group (the worker and what it started), or the worker alone
    if it has no group of its own yet."""
    import signal

    for pid in pids:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def check_workers(workers: int, oversubscribe: bool = False) -> int:
    """Refuse a worker count above the ``workers`` limit (the CPU count), or above
    ``workers_oversubscribed`` with ``oversubscribe``; InputError naming ``workers``. Returns ``workers``."""
    from interlayer.limits import describe, limit

    name = "workers_oversubscribed" if oversubscribe else "workers"
    cap = int(limit(name))
    if workers > cap:
        extra = "" if oversubscribe else " (--oversubscribe allows more)"
        raise InputError("workers", f"{workers} worker processes, above {describe(name)}{extra}")
    return workers


class LocalExecutor(Executor):
    """A local :class:`concurrent.futures.ProcessPoolExecutor`.

    Parameters
    ----------
    workers : int, optional
        Worker processes; default ``os.cpu_count()``.
    mp_context : str, optional
        ``"fork"`` (default on Linux), ``"spawn"`` or ``"forkserver"``.

    If a worker process dies (killed, out of memory), the points then in flight are reported lost
    (recorded as failed; a rerun retries them) and a fresh pool takes the remaining points.
    """

    def __init__(self, workers: int | None = None, mp_context: str | None = None, oversubscribe: bool = False):
        from interlayer.limits import limit

        workers = int(limit("workers")) if workers is None else int(workers)
        if workers < 1:
            raise InputError("workers", f"must be >= 1 for a process pool, got {workers}")
        check_workers(workers, oversubscribe)
        self._workers = workers
        self._context = mp_context or _default_context()
        self._pool: Any = None  # a ProcessPoolExecutor once started
        self.description = f"local process pool ({workers} worker{'s' if workers > 1 else ''})"

    @property
    def workers(self) -> int:
        return self._workers

    def start(self) -> None:
        if self._pool is not None:
            return
        from concurrent.futures import ProcessPoolExecutor

        if self._context == "fork":
            # Workers inherit what the parent imported: xarray (every point's outputs pass through it,
            # and its first DataArray lazily imports dask.array and pint, ~0.5 s) is warmed up once here
            # instead of once per worker.
            import xarray

            xarray.DataArray([0.0], dims=("k",))

        ctx = multiprocessing.get_context(self._context)
        self._pool = ProcessPoolExecutor(max_workers=self._workers, mp_context=ctx,
                                         initializer=die_with_parent, initargs=(os.getpid(),))
        # Start every worker now (a no-op task each), so forking happens before the caller starts
        # threads (zarr's I/O loop, Rich's refresh thread).
        list(self._pool.map(_worker_pid, range(self._workers)))

    def close(self, wait: bool = True) -> None:
        """Shut the pool down; ``wait=False`` (an error, Ctrl-C) also kills the points in flight.

        The workers are in process groups of their own (:func:`die_with_parent`), so a terminal's
        SIGINT does not reach them: without the kill, the interpreter would wait at exit for every
        running point to finish. Their points stay pending in the store.
        """
        if self._pool is not None:
            if not wait and sys.platform.startswith("linux"):
                _kill_process_groups(list(getattr(self._pool, "_processes", None) or {}))
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None

    def map_unordered(self, fn, tasks):
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        self.start()
        tasks = iter(tasks)
        window = 2 * self._workers
        in_flight: dict[Any, Any] = {}
        unsent: list[Task] = []  # taken from ``tasks`` but refused by a broken pool

        def fill() -> bool:
            """Submit up to the window; False if the pool turned out to be broken."""
            while len(in_flight) < window:
                if unsent:
                    task = unsent.pop()
                else:
                    try:
                        task = next(tasks)
                    except StopIteration:
                        return True
                try:
                    in_flight[self._pool.submit(fn, *task[1])] = task[0]
                except BrokenProcessPool:
                    unsent.append(task)
                    return False
            return True

        healthy = fill()
        while in_flight or unsent:
            if healthy and in_flight:
                finished, _ = wait(list(in_flight), return_when=FIRST_COMPLETED)
                for future in finished:
                    key = in_flight.pop(future)
                    try:
                        yield key, future.result(), ""
                    except BrokenProcessPool as exc:
                        healthy = False
                        yield key, None, f"worker process died ({type(exc).__name__}: {exc})"
            if not healthy:
                # The whole pool is unusable: the points in flight are lost (any of them may have
                # killed it); report them, start a fresh pool for the rest.
                for key in list(in_flight.values()):
                    yield key, None, "worker process died (pool restarted)"
                in_flight.clear()
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
                self.start()
            healthy = fill()


class DaskExecutor(Executor):
    """Points as tasks on a Dask distributed cluster.

    Parameters
    ----------
    address : str, optional
        Scheduler address, e.g. ``"tcp://10.0.0.5:8786"``; a client is created and closed by us.
    client : dask.distributed.Client or LocalCluster, optional
        An existing client (or a cluster to connect a client to); left open on :meth:`close`.
    timeout : float
        Seconds to wait for the scheduler when connecting.

    Tasks run with ``pure=False`` (every point is a fresh task). A point whose worker died is retried
    by Dask up to its ``allowed-failures`` setting, then reported lost (recorded as failed).
    """

    def __init__(self, address: str | None = None, client: Any = None, timeout: float = 30.0):
        if (address is None) == (client is None):
            raise ValueError("give exactly one of address= or client=")
        self._address = address
        self._given = client
        self._timeout = timeout
        self._client: Any = None  # a dask.distributed Client once started
        self._owns_client = False
        self.description = f"dask scheduler {address}" if address else "dask client"

    def start(self) -> None:
        if self._client is not None:
            return
        try:
            from dask.distributed import Client
        except ImportError:  # pragma: no cover - dask is in the 'sweep' extra
            raise InputError(
                "scheduler", "Dask sweeps need dask.distributed: pip install 'interlayer[sweep]'"
            ) from None
        if self._address is not None:
            check_scheduler_address(self._address)
            try:
                self._client = Client(self._address, timeout=self._timeout)
            except Exception as exc:  # noqa: BLE001 - OSError, TimeoutError, ValueError (bad address), ...
                reason = " ".join(str(exc).split())[:200] or type(exc).__name__
                raise InputError("scheduler", f"cannot connect to {self._address}: {reason}") from None
            self._owns_client = True
        elif isinstance(self._given, Client):
            self._client = self._given
        else:  # a cluster object (LocalCluster, SLURMCluster, ...)
            self._client = Client(self._given)
            self._owns_client = True
        self.description = f"dask {self._client.scheduler.address} ({self.workers} worker threads)"
        try:
            note = allocator_note(self._client.run(_allocator_environment))
        except Exception:  # noqa: BLE001 - advice only; a cluster that refuses run() still sweeps
            note = None
        self.notes = (note,) if note else ()

    def close(self, wait: bool = True) -> None:
        if self._client is not None and self._owns_client:
            self._client.close()
        self._client = None

    @property
    def workers(self) -> int:
        if self._client is None:
            return 1
        return max(1, sum(self._client.nthreads().values()))

    def map_unordered(self, fn, tasks):
        from dask.distributed import as_completed

        self.start()
        client = self._client
        tasks = iter(tasks)
        window = 2 * self.workers
        keys: dict[Any, Any] = {}

        def submit_one():
            try:
                key, args = next(tasks)
            except StopIteration:
                return None
            future = client.submit(fn, *args, pure=False)
            keys[future.key] = key
            return future

        first = [f for f in (submit_one() for _ in range(window)) if f is not None]
        if not first:
            return
        done_iter = as_completed(first)
        for future in done_iter:
            key = keys.pop(future.key)
            try:
                result = future.result()
            except Exception as exc:  # KilledWorker, a lost scheduler connection, ...
                yield key, None, f"task failed on the cluster ({type(exc).__name__}: {exc})"
            else:
                yield key, result, ""
            future.release()
            nxt = submit_one()
            if nxt is not None:
                done_iter.add(nxt)


#: Address schemes Dask's communication layer knows.
SCHEDULER_SCHEMES = ("tcp", "tls", "inproc", "ucx", "ws", "wss")


def check_scheduler_address(address: str) -> str:
    """InputError (``scheduler``) unless ``address`` is ``SCHEME://HOST:PORT`` or ``HOST:PORT``
    with a known scheme (:data:`SCHEDULER_SCHEMES`) and a port in 1-65535."""
    import re

    text = address.strip()
    if not text:
        raise InputError("scheduler", "empty address; expected e.g. tcp://HOST:8786")
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest = "tcp", text
    if scheme not in SCHEDULER_SCHEMES:
        raise InputError("scheduler", f"unknown scheme {scheme!r} in {address!r}; expected "
                                      f"{', '.join(s + '://' for s in SCHEDULER_SCHEMES)} (e.g. tcp://HOST:8786)")
    if scheme == "inproc":
        return text
    match = re.fullmatch(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(?::(\d{1,5}))?", rest)
    if not match or (match.group(2) is not None and not 1 <= int(match.group(2)) <= 65535):
        raise InputError("scheduler", f"{address!r} is not SCHEME://HOST:PORT (e.g. tcp://10.0.0.5:8786)")
    return text


def make_executor(workers: int | None = None, scheduler: str | None = None, client: Any = None,
                  oversubscribe: bool = False) -> Executor:
    """The executor for the CLI options: Dask when a scheduler/client is given, else a local pool.

    ``workers = 0`` runs in this process (:class:`SerialExecutor`). A worker count above the CPU
    count is refused unless ``oversubscribe`` (then up to the ``workers_oversubscribed`` limit).
    """
    if scheduler is not None or client is not None:
        if workers is not None:
            raise InputError(
                "workers", "--workers applies to the local pool; a Dask cluster has its own workers"
            )
        if scheduler is not None:
            check_scheduler_address(scheduler)
        return DaskExecutor(address=scheduler, client=client)
    if workers is not None and workers < 0:
        raise InputError("workers", f"must be >= 0, got {workers}")
    if workers == 0:
        return SerialExecutor()
    return LocalExecutor(workers, oversubscribe=oversubscribe)
