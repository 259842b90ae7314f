"""One progress protocol for every long computation: time stepping, phase field, virtual cell, sweeps,
``reproduce``, ``transport-paper`` and the phase-field frame and GIF writers.

A computation that takes a ``progress`` argument calls, on the object it is given:

* ``start(total, description, completed=0)`` once, when it knows how much there is to do
  (PNP: the simulated time in s; phase field: steps; virtual cell: protocol steps; sweep: points,
  ``completed`` the points already in the store; reproduce: its runs, figures and report;
  transport-paper: the three layers; frames and GIF: the stored times);
* ``describe(description)`` (optional: an object without it is wrapped by :func:`as_progress`
  with one that does nothing) when the work moves on to a named stage (reproduce: the run or figure
  about to start; transport-paper: the material): the new text replaces ``start``'s description;
  computations without stages never call it;
* ``advance(n=1, failed=0)`` as work is done (``n`` in the units of ``total``; ``failed`` of those
  ``n`` failed, for sweeps);
* ``close()`` at the end, also when the computation raised.

A computation made of others (``reproduce``: the runs, then the figures) starts its progress with
the total of all of them and hands each a :class:`Part` of it, whose ``start`` and ``close`` do
nothing.

The computation never prints; the CLI passes a :class:`RichProgress` (a Rich bar on stderr, so
stdout stays one JSON document with ``--json``), the API default is :class:`NullProgress`.

>>> class Count:
...     def start(self, total, description="", *, completed=0):
...         self.done = completed
...     def advance(self, n=1, *, failed=0):
...         self.done += n
...     def close(self):
...         pass
>>> isinstance(Count(), Progress), isinstance(NullProgress(), Progress)
(True, True)
>>> report = as_progress(Count())  # no describe: given one that does nothing
>>> report.start(3); report.describe("stage 1"); report.advance(2); report.close()
>>> report.inner.done
2
"""

from __future__ import annotations

import time
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Progress(Protocol):
    """What a long computation reports its progress to (see the module docstring)."""

    def start(self, total: float, description: str = "", *, completed: float = 0) -> None: ...

    def advance(self, n: float = 1, *, failed: int = 0) -> None: ...

    def close(self) -> None: ...


@runtime_checkable
class StagedProgress(Progress, Protocol):
    """A :class:`Progress` that also shows named stages (what :func:`as_progress` returns)."""

    def describe(self, description: str) -> None: ...


class _WithoutStages:
    """A :class:`Progress` without ``describe``, given one that does nothing."""

    def __init__(self, inner: Progress):
        self.inner = inner

    def start(self, total: float, description: str = "", *, completed: float = 0) -> None:
        self.inner.start(total, description, completed=completed)

    def describe(self, description: str) -> None:
        pass

    def advance(self, n: float = 1, *, failed: int = 0) -> None:
        self.inner.advance(n, failed=failed)

    def close(self) -> None:
        self.inner.close()


class NullProgress:
    """Reports nothing (the API default)."""

    def start(self, total: float, description: str = "", *, completed: float = 0) -> None:
        pass

    def describe(self, description: str) -> None:
        pass

    def advance(self, n: float = 1, *, failed: int = 0) -> None:
        pass

    def close(self) -> None:
        pass


def as_progress(progress) -> StagedProgress:
    """``progress`` itself, or :class:`NullProgress` for None/False, or a :class:`RichProgress` for True.

    An object with ``start``, ``advance`` and ``close`` but no ``describe`` is wrapped in one whose
    ``describe`` does nothing; anything else raises TypeError.
    """
    if progress is None or progress is False:
        return NullProgress()
    if progress is True:
        return RichProgress()
    if not isinstance(progress, Progress):
        raise TypeError("progress must have start(total, description), advance(n) and close() "
                        f"(describe(description) optional); got {progress!r}")
    return progress if isinstance(progress, StagedProgress) else _WithoutStages(progress)


class Part:
    """The share of ``parent`` that one step of a larger computation reports to.

    ``describe`` and ``advance`` go to ``parent``; ``start`` and ``close`` do nothing: the caller
    started ``parent`` with the total of all the steps and closes it.

    >>> class Show(NullProgress):
    ...     def advance(self, n=1, *, failed=0):
    ...         print("advance", n)
    >>> part = Part(Show())
    >>> part.start(3, "ignored"); part.advance(2); part.close()
    advance 2
    """

    def __init__(self, parent: StagedProgress):
        self.parent = parent

    def start(self, total: float, description: str = "", *, completed: float = 0) -> None:
        pass

    def describe(self, description: str) -> None:
        self.parent.describe(description)

    def advance(self, n: float = 1, *, failed: int = 0) -> None:
        self.parent.advance(n, failed=failed)

    def close(self) -> None:
        pass


class RichProgress:
    """A Rich progress bar on stderr (never stdout, so ``--json`` output stays clean).

    Parameters
    ----------
    console : rich.console.Console, optional
        Where to draw (default: a new stderr console).
    unit : str
        Shown after the counts, "{completed}/{total} unit" (e.g. "steps", "points"); empty: the
        percentage instead.
    failures, rate, elapsed : bool
        Also show the failed count, the rate (``unit``/s) and the elapsed time (sweeps).
    bold : bool
        Print the description in bold.
    transient : bool
        Remove the bar when closed.
    terminal_only : bool
        Draw nothing when the console is not a terminal (logs and pipes get no control sequences).
    """

    def __init__(self, console=None, *, unit: str = "", failures: bool = False, rate: bool = False,
                 elapsed: bool = False, transient: bool = True, terminal_only: bool = True, bold: bool = False):
        self._console = console
        self.unit = unit
        self.failures, self.rate, self.elapsed = failures, rate, elapsed
        self.transient, self.terminal_only, self.bold = transient, terminal_only, bold
        self._progress: Any = None  # the rich.progress.Progress while started
        self._task: Any = None
        self._failed = 0
        self._ran = 0.0
        self._t0 = 0.0

    def start(self, total: float, description: str = "", *, completed: float = 0) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as Bar

        console = self._console or Console(stderr=True)
        columns = [TextColumn("[bold]{task.description}" if self.bold else "{task.description}"), BarColumn()]
        if self.unit and self.rate:
            columns.append(MofNCompleteColumn())
        elif self.unit:
            columns.append(TextColumn(f"{{task.completed}}/{{task.total}} {self.unit}"))
        else:
            columns.append(TaskProgressColumn())
        if self.failures:
            columns.append(TextColumn("failed [red]{task.fields[failed]}[/red]"))
        if self.rate:
            columns.append(TextColumn("{task.fields[rate]}"))
        if self.elapsed:
            columns.append(TimeElapsedColumn())
        columns.append(TimeRemainingColumn())
        self._progress = Bar(*columns, console=console, transient=self.transient,
                                  disable=self.terminal_only and not console.is_terminal)
        self._progress.start()
        self._task = self._progress.add_task(description, total=total, completed=completed, failed=0,
                                             rate=f"-- {self.unit}/s")
        self._failed, self._ran, self._t0 = 0, 0.0, time.perf_counter()

    def describe(self, description: str) -> None:
        if self._progress is not None:
            self._progress.update(self._task, description=description)

    def advance(self, n: float = 1, *, failed: int = 0) -> None:
        if self._progress is None:
            return
        self._ran += n
        self._failed += int(failed)
        fields: dict[str, Any] = {"failed": self._failed}
        if self.rate:
            fields["rate"] = f"{self._ran / max(time.perf_counter() - self._t0, 1e-9):.3g} {self.unit}/s"
        self._progress.update(self._task, advance=n, **fields)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


__all__ = ["NullProgress", "Part", "Progress", "RichProgress", "as_progress"]
