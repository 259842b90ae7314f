"""Process helpers shared by the sweep's kill tests (Linux ``/proc``).

Imported as the regression tests import ``cases`` (the suite runs with ``--import-mode=importlib``)::

    sys.path.insert(0, str(Path(__file__).parent))
    from _processes import alive, children, kill_all, wait_for
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest


def alive(pid: int) -> bool:
    """A process that exists and is not a zombie (a container's init may not reap orphans)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def children(pid: int) -> list[int]:
    """The pids whose parent is ``pid`` (zombies included)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                out.append(int(entry.name))
    return out


def wait_for(predicate, timeout: float, what: str):
    """Poll ``predicate`` until it returns something true (returned) or fail the test after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def kill_all(pids) -> None:
    """SIGKILL each of ``pids`` that still exists (cleanup; never raises)."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
