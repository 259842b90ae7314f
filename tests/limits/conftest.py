"""Shared helpers for the hard-limit tests: run the CLI in-process under a hang guard."""

from __future__ import annotations

import signal
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def hang_guard(seconds: int):
    """Fail (instead of hanging) if the body runs longer than ``seconds`` (SIGALRM, main thread)."""

    def boom(signum, frame):
        raise TimeoutError(f"no answer within {seconds} s: a hang, not a refusal")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture
def cli(capsys):
    """``cli(*argv, guard=30) -> (rc, stdout, stderr)``: the interlayer CLI in this process."""
    from interlayer.cli import main

    def run(*argv, guard: int = 30):
        with hang_guard(guard):
            rc = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return rc, out, err

    return run


def _mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                       capture_output=True, text=True)
    return r.returncode == 0


@pytest.fixture
def tiny_fs(tmp_path):
    """``tiny_fs(size, read_only=False) -> Path``: a real tmpfs of ``size`` (e.g. "64k"), unmounted after.

    Skips where mounting is impossible (not root, no mount namespace): permission bits alone do not
    stop root, so without a mount only the fault-injection tests below cover full and read-only disks.
    """
    mounted: list[Path] = []

    def make(size: str, read_only: bool = False) -> Path:
        where = tmp_path / f"fs{len(mounted)}"
        if not _mount_tmpfs(where, size):
            pytest.skip("cannot mount a tmpfs here (needs root and mount rights)")
        mounted.append(where)
        if read_only:
            r = subprocess.run(["mount", "-o", "remount,ro", str(where)], capture_output=True, text=True)
            if r.returncode:
                pytest.skip(f"cannot remount read-only: {r.stderr.strip()}")
        return where

    yield make
    for where in mounted:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)
