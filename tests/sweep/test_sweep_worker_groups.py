"""Fast checks (default suite) of what the slow parent-kill test checks end to end: a local pool worker
and the processes its point started die with the pool's parent (SIGKILL included), and a sweep
interrupted in this process (Ctrl-C) kills its workers' points instead of waiting for them."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from interlayer.sweep import ModelSpec, Parameter, register_model, run_sweep
from interlayer.sweep import unregister_model as _unregister
from interlayer.sweep.executors import LocalExecutor

sys.path.insert(0, str(Path(__file__).parent))
from _processes import alive, kill_all, wait_for  # noqa: E402

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux")


def _spawn_and_wait(folder: str):
    """A point: start `sleep 300`, note both pids, wait."""
    child = subprocess.Popen(["sleep", "300"])
    Path(folder, "pids").write_text(f"{os.getpid()} {child.pid}")
    time.sleep(300)


def _pool_parent(folder: str) -> None:
    """The forked 'sweep parent': one pool worker running one long point."""
    with LocalExecutor(1) as ex:
        for _ in ex.map_unordered(_spawn_and_wait, [(0, (folder,))]):
            pass
    os._exit(0)


def test_worker_and_its_child_die_with_the_killed_parent(tmp_path):
    parent = multiprocessing.get_context("fork").Process(target=_pool_parent, args=(str(tmp_path),))
    parent.start()
    pids: list[int] = []
    try:
        wait_for(lambda: (tmp_path / "pids").exists() and len((tmp_path / "pids").read_text().split()) == 2, 30,
              "the point to start")
        pids = [int(p) for p in (tmp_path / "pids").read_text().split()]
        assert all(map(alive, pids))
        os.kill(parent.pid, signal.SIGKILL)
        wait_for(lambda: not any(map(alive, pids)), 5.0, f"worker and grandchild {pids} to die with the parent")
    finally:
        kill_all([*pids, parent.pid])
        parent.join(10)


def _slow_point(params):
    Path(os.environ["_WG_FOLDER"], f"{os.getpid()}").write_text("")
    time.sleep(300)
    return {"y": (params["a"], "1")}


def _ctrl_c_when_both_run(folder, deadline):
    """Thread: SIGINT to this process (what a terminal's Ctrl-C sends) once both workers are in a point."""
    while time.monotonic() < deadline:
        if len(list(folder.iterdir())) >= 2:
            os.kill(os.getpid(), signal.SIGINT)
            return
        time.sleep(0.02)


def test_ctrl_c_kills_the_points_in_flight(tmp_path, monkeypatch):
    folder = tmp_path / "running"
    folder.mkdir()
    monkeypatch.setenv("_WG_FOLDER", str(folder))
    register_model(ModelSpec("test-slow-point", {"a": Parameter("a", "1", 0.0)}, target=_slow_point))
    try:
        cfg = {"sweep": {"model": "test-slow-point"}, "grid": {"a": [1, 2, 3, 4]}}
        import threading

        threading.Thread(target=_ctrl_c_when_both_run, args=(folder, time.monotonic() + 30), daemon=True).start()
        with pytest.raises(KeyboardInterrupt):
            run_sweep(cfg, tmp_path / "s.zarr", workers=2)
        workers = [int(p.name) for p in folder.iterdir()]
        assert len(workers) == 2
        wait_for(lambda: not any(map(alive, workers)), 5.0, f"workers {workers} to be killed")
    finally:
        _unregister("test-slow-point")
