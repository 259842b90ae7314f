"""The sweep's progress bar: the package's one progress protocol (:mod:`interlayer.progress`).

The runner calls ``start(total, description, completed=skipped)`` once, ``advance(1, failed=...)``
per finished point (in the parent, after the point is stored) and ``close()``. The sweep loop never
prints itself.
"""

from __future__ import annotations

from interlayer.progress import NullProgress, Progress
from interlayer.progress import RichProgress as _RichProgress


class RichProgress(_RichProgress):
    """A Rich progress bar on stderr: points done/total, failed, rate (points/s), elapsed and time left.

    Parameters
    ----------
    console : rich.console.Console, optional
        Where to draw; default a stderr console (stdout stays clean for ``--json``).
    """

    def __init__(self, console=None):
        super().__init__(console, unit="pt", failures=True, rate=True, elapsed=True, transient=False,
                         terminal_only=False, bold=True)


__all__ = ["NullProgress", "Progress", "RichProgress"]
