"""SIGKILL of the sweep's parent process alone (not its process group): its pool workers, and processes
those workers started, end within 5 s, and a rerun started meanwhile never writes beside one of them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from _processes import alive, children, kill_all, wait_for  # noqa: E402

pytestmark = [pytest.mark.slow,  # 20-25 s each: interpreter starts and 2 s points
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux")]

RUN = "import sys; from interlayer.cli import main; sys.exit(main(sys.argv[1:]))"

# The parent: `interlayer sweep` with a model whose points start a grandchild each (an exec'd `sleep`
# and a forked Python child, which inherits every file descriptor of its worker), then wait long.
PARENT = textwrap.dedent(
    """
    import multiprocessing, os, subprocess, sys, time
    from interlayer.cli import main
    from interlayer.sweep import ModelSpec, Parameter, register_model

    PIDS = sys.argv[1]

    def forked_child():
        time.sleep(300)

    def spawner(params):
        if os.environ.get("SPAWNER_FAST"):  # the rerun: quick points
            return {"y": (params["a"], "1")}
        exec_child = subprocess.Popen(["sleep", "300"])
        forked = multiprocessing.get_context("fork").Process(target=forked_child)
        forked.start()
        with open(os.path.join(PIDS, f"{os.getpid()}"), "w") as f:
            f.write(f"{exec_child.pid} {forked.pid}")
        time.sleep(300)
        return {"y": (params["a"], "1")}

    register_model(ModelSpec("test-spawner", {"a": Parameter("a", "1", 0.0)}, target=spawner))
    sys.exit(main(["sweep", *sys.argv[2:]]))
    """
)


def _rerun_watching(cmd, lock: Path, old: list[int], timeout: float = 60, env=None):
    """Start a rerun and, while it runs, check that it never holds the lock while an old process lives.

    Returns (returncode, stdout, stderr, old processes seen alive when the rerun held the lock, the
    time.monotonic() at which no old process was seen alive any more, or None).
    """
    rerun = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    beside, all_gone = [], None
    deadline = time.monotonic() + timeout
    while rerun.poll() is None and time.monotonic() < deadline:
        try:
            holder = lock.read_text()
        except OSError:
            holder = ""
        living = [p for p in old if alive(p)]
        if all_gone is None and not living:
            all_gone = time.monotonic()
        if f"pid {rerun.pid} " in holder:  # the rerun holds the store: no old process may be alive
            beside += living
        time.sleep(0.01)
    try:
        out, err = rerun.communicate(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        rerun.kill()
        out, err = rerun.communicate()
    return rerun.returncode, out, err, sorted(set(beside)), all_gone


def _gone_within(old, since: float, seen_gone: float | None, seconds: float = 5.0) -> None:
    """Every process of ``old`` ended within ``seconds`` of ``since`` (monotonic)."""
    if seen_gone is None:
        left = since + seconds - time.monotonic()
        if left > 0:
            wait_for(lambda: not any(map(alive, old)), left, "the killed sweep's processes to end")
        seen_gone = time.monotonic()
        assert not any(map(alive, old)), f"still alive {seconds} s after the kill: {[p for p in old if alive(p)]}"
    assert seen_gone - since < seconds + 0.1, f"the killed sweep's processes lived {seen_gone - since:.1f} s"


def test_sigkill_of_the_parent_ends_workers_and_grandchildren(tmp_path):
    pids = tmp_path / "pids"
    pids.mkdir()
    cfg = tmp_path / "spawn.toml"
    cfg.write_text('[sweep]\nmodel = "test-spawner"\n[grid]\na = [1, 2, 3, 4]\n')
    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    parent = subprocess.Popen([sys.executable, str(script), str(pids), str(cfg), "--workers", "2",
                               "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              start_new_session=True)
    everyone: list[int] = []
    try:
        # Both workers are running a point, each with its two grandchildren started.
        wait_for(lambda: len(list(pids.iterdir())) >= 2 or parent.poll() is not None, 60, "two points")
        assert parent.poll() is None, parent.stderr.read().decode()[-2000:]
        workers = children(parent.pid)
        grandchildren = [int(p) for f in pids.iterdir() for p in f.read_text().split()]
        everyone = workers + grandchildren
        assert len(workers) == 2 and len(grandchildren) == 4 and all(map(alive, everyone))

        parent.send_signal(signal.SIGKILL)  # the parent alone: nothing else is signalled
        parent.wait()
        killed_at = time.monotonic()
        rerun = [sys.executable, str(script), str(pids), str(cfg), "--workers", "2", "--no-progress"]
        rc, out, err, beside, gone = _rerun_watching(rerun, tmp_path / "spawn.zarr.lock", everyone,
                                                     env={**os.environ, "SPAWNER_FAST": "1"})
        _gone_within(everyone, killed_at, gone)
    finally:
        kill_all(everyone)
    assert beside == []
    if rc == 2:  # refused while the old processes still held the store: one line; a later run finishes
        assert len(err.strip().splitlines()) == 1 and "another running sweep" in err, err
        rc, out, err, _, _ = _rerun_watching(rerun, tmp_path / "spawn.zarr.lock", [],
                                          env={**os.environ, "SPAWNER_FAST": "1"})
    assert rc == 0, err


def test_rerun_right_after_the_kill_refuses_or_runs_alone(tmp_path):
    """The real command: toy points that sleep 2 s, the parent killed, a rerun started at once."""
    cfg = tmp_path / "slow.toml"
    cfg.write_text('[sweep]\nmodel = "toy"\n[fixed]\nsleep = "2 s"\n[grid]\nx = "1:6:1 um"\n')
    cmd = [sys.executable, "-c", RUN, "sweep", str(cfg), "--workers", "2", "--no-progress", "--json"]
    parent = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    workers: list[int] = []
    try:
        wait_for(lambda: (tmp_path / "slow.zarr" / ".zattrs").exists() or parent.poll() is not None,
                  60, "the store")
        assert parent.poll() is None, parent.stderr.read().decode()[-2000:]
        workers = wait_for(lambda: [p for p in children(parent.pid) if alive(p)][:2] if len(
            children(parent.pid)) >= 2 else None, 10, "two workers")
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        killed_at = time.monotonic()
        rc, out, err, beside, gone = _rerun_watching(cmd, tmp_path / "slow.zarr.lock", workers)
        _gone_within(workers, killed_at, gone)
    finally:
        kill_all(workers)
    assert beside == []
    if rc == 2:  # refused while the old workers still held the store: one line, and a later run finishes
        assert len(err.strip().splitlines()) == 1 and "another running sweep" in err, err
        rc, out, err, _, _ = _rerun_watching(cmd, tmp_path / "slow.zarr.lock", [])
    assert rc == 0, err
    summary = json.loads(out)
    assert (summary["done"], summary["failed"]) == (6, 0)
