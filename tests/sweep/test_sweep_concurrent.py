"""Two `interlayer sweep` runs started together on a store that does not exist yet.

Each trial forks two processes that wait on one barrier and then run the command: one runs, the other
refuses in one line (exit 2, no traceback), the store opens, and a rerun finishes it (exit 0). In odd
trials the winner is SIGKILLed once the loser has refused, so the rerun resumes a half-written store.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time

import numpy as np
import pytest
import xarray as xr

from interlayer.cli import main
from interlayer.sweep import DONE, run_sweep

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks the test process")

N_POINTS = 4
CONFIG = f"""
[sweep]
model = "toy"
[fixed]
sleep = "0.25 s"   # the winner holds the store for ~1 s
[grid]
x = "1:{N_POINTS}:1 um"
"""


def _run_cli(barrier, stderr_path: str) -> None:
    """Child: wait for the other one, then `interlayer sweep CONFIG --workers 0`, exit with its code."""
    code = 99
    try:
        fd = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 2)
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        sys.stderr = os.fdopen(2, "w", buffering=1)  # pytest's capture object is not fd 2
        barrier.wait(timeout=30)
        code = main(["sweep", os.environ["_SWEEP_CFG"], "--workers", "0", "--no-progress"])
    except BaseException as exc:  # noqa: BLE001 - reported through the exit code and stderr
        print(f"child crashed: {exc!r}", file=sys.stderr)
    finally:
        sys.stderr.flush()
        os._exit(code)


def _trial(tmp_path, k: int) -> None:
    folder = tmp_path / f"t{k}"
    folder.mkdir()
    cfg = folder / "c.toml"
    cfg.write_text(CONFIG)
    store = folder / "c.zarr"
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(2)
    os.environ["_SWEEP_CFG"] = str(cfg)
    errs = [folder / "err0", folder / "err1"]
    procs = [ctx.Process(target=_run_cli, args=(barrier, str(e))) for e in errs]
    for p in procs:
        p.start()
    try:
        # The loser refuses at once; the winner is still writing (1 s of points).
        deadline = time.monotonic() + 60
        while all(p.exitcode is None for p in procs) and time.monotonic() < deadline:
            time.sleep(0.01)
        finished = [i for i, p in enumerate(procs) if p.exitcode is not None]
        assert len(finished) == 1, f"trial {k}: neither run ended within 60 s"
        loser = finished[0]
        winner = procs[1 - loser]
        assert procs[loser].exitcode == 2, f"trial {k}: {errs[loser].read_text()}"
        lines = errs[loser].read_text().strip().splitlines()
        assert len(lines) == 1 and "another running sweep" in lines[0], f"trial {k}: {lines}"
        if k % 2:  # kill the winner mid-run: the store must still open and resume
            os.kill(winner.pid, signal.SIGKILL)
        winner.join(60)
        if k % 2 == 0:
            assert winner.exitcode == 0, f"trial {k}: {errs[1 - loser].read_text()}"
        assert "Traceback" not in errs[0].read_text() + errs[1].read_text()
    finally:
        for p in procs:
            if p.exitcode is None:
                p.kill()
            p.join(10)
    if (store / ".zattrs").exists():
        status = xr.open_zarr(store).status.values  # it opens, whatever the kill left
        assert set(np.unique(status)) <= {0, DONE}
    assert main(["sweep", str(cfg), "--workers", "0", "--no-progress"]) == 0, f"trial {k}: rerun failed"
    ds = xr.open_zarr(store).load()
    assert (ds.status.values == DONE).all()
    np.testing.assert_allclose(ds.ratio.values, (np.arange(1, N_POINTS + 1) * 1e-6) ** 2 / 1.0)
    assert not (folder / "c.zarr.creating").exists()


@pytest.fixture(scope="module", autouse=True)
def _warm(tmp_path_factory):
    """Import what a sweep imports once, before the forks (each child would pay it otherwise)."""
    run_sweep({"sweep": {"model": "toy"}, "grid": {"x": ["1 um"]}}, tmp_path_factory.mktemp("w") / "w.zarr",
              workers=0)


def test_two_sweeps_on_a_new_store_3_trials(tmp_path):
    for k in range(3):
        _trial(tmp_path, k)


@pytest.mark.slow
def test_two_sweeps_on_a_new_store_20_trials(tmp_path):
    for k in range(20):
        _trial(tmp_path, k)
