"""A sweep killed with SIGKILL halfway resumes: every point stored exactly once, equal to a clean run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import xarray as xr

from interlayer.sweep import DONE, PENDING, run_sweep

CONFIG = """
[sweep]
model = "toy"

[fixed]
sleep = "100 ms"   # a slow point, so the kill lands mid-sweep
work = 20          # some real arithmetic in every point

[grid]
x = "1:6:1 um"
t = ["1 s", "2 s", "5 s", "10 s"]
"""
N_POINTS = 24
RUN = "import sys; from interlayer.cli import main; sys.exit(main(sys.argv[1:]))"


def _status(store):
    """Status array of a store being written by another process (None until it exists)."""
    import zarr

    if not (store / ".zattrs").exists():
        return None
    return np.asarray(zarr.open_group(str(store), mode="r", use_consolidated=False)["status"][...])


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups")
@pytest.mark.slow  # 13 s; the fast suite kills and resumes in test_sweep_concurrent.py
def test_sigkill_halfway_then_resume(tmp_path):
    cfg = tmp_path / "kill.toml"
    cfg.write_text(CONFIG)
    store = tmp_path / "kill.zarr"
    # Own session, so the kill takes the pool's worker processes too (as a crash of the node would).
    proc = subprocess.Popen(
        [sys.executable, "-c", RUN, "sweep", str(cfg), "--workers", "2", "--json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status = _status(store)
            if status is not None and (status == DONE).sum() >= N_POINTS // 4:
                break
            if proc.poll() is not None:
                pytest.fail(f"sweep ended before the kill: {proc.stderr.read().decode()[-2000:]}")
            time.sleep(0.02)
        else:
            pytest.fail("sweep made no progress in 60 s")
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL

    killed = _status(store)
    n_done = int((killed == DONE).sum())
    assert 0 < n_done < N_POINTS, "the kill must land halfway"
    assert set(np.unique(killed)) <= {DONE, PENDING}

    rerun = subprocess.run(
        [sys.executable, "-c", RUN, "sweep", str(cfg), "--workers", "2", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    summary = json.loads(rerun.stdout)
    # Finished points are skipped, the rest run once: together every point exactly once.
    assert summary["skipped"] == n_done
    assert summary["skipped"] + summary["done"] - n_done == N_POINTS
    assert (summary["done"], summary["failed"]) == (N_POINTS, 0)

    clean = run_sweep(cfg, tmp_path / "clean.zarr", workers=0)
    assert clean.done == N_POINTS
    resumed, reference = xr.open_zarr(store).load(), xr.open_zarr(tmp_path / "clean.zarr").load()
    assert list(resumed.data_vars) == list(reference.data_vars)
    for name in reference.data_vars:
        if name in ("elapsed", "cpu_time", "worker"):  # times and worker pids differ run to run
            continue
        xr.testing.assert_identical(resumed[name], reference[name])
    assert not list(store.rglob("*.partial"))  # no leftovers of an interrupted chunk write
