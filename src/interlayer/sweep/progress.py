"""Progress trackers for sweeps: a Rich bar on stderr, or nothing.

A tracker gets ``start(total, skipped, label)`` once, ``advance(ok)`` per finished point (in the parent,
after the point is stored) and ``close()``. The sweep loop never prints itself.
"""

from __future__ import annotations

import time


class NullProgress:
    """Tracks nothing (the API default)."""

    def start(self, total: int, skipped: int, label: str) -> None:
        pass

    def advance(self, ok: bool) -> None:
        pass

    def close(self) -> None:
        pass


class RichProgress:
    """A Rich progress bar on stderr: points done/total, failed, rate (points/s) and time left.

    Parameters
    ----------
    console : rich.console.Console, optional
        Where to draw; default a stderr console (stdout stays clean for ``--json``).
    """

    def __init__(self, console=None):
        self._console = console
        self._progress = None
        self._task = None
        self._failed = 0
        self._ran = 0
        self._t0 = 0.0

    def start(self, total: int, skipped: int, label: str) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        console = self._console or Console(stderr=True)
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("failed [red]{task.fields[failed]}[/red]"),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
        )
        self._progress.start()
        self._task = self._progress.add_task(label, total=total, completed=skipped, failed=0, rate="-- pt/s")
        self._t0 = time.perf_counter()

    def advance(self, ok: bool) -> None:
        if self._progress is None:
            return
        self._ran += 1
        self._failed += 0 if ok else 1
        rate = self._ran / max(time.perf_counter() - self._t0, 1e-9)
        self._progress.update(self._task, advance=1, failed=self._failed, rate=f"{rate:.3g} pt/s")

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
