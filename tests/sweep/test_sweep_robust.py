"""Crash paths: a worker process that dies, a store whose creation or schema write was killed."""

from __future__ import annotations

import os

import numpy as np
import pytest
import xarray as xr

from interlayer.errors import InputError
from interlayer.sweep import (
    DONE,
    FAILED,
    ModelSpec,
    Parameter,
    SweepStore,
    plan_from_dict,
    register_model,
    run_sweep,
)
from interlayer.sweep import unregister_model as _unregister


def _crasher(params):
    marker = os.environ["INTERLAYER_TEST_CRASH_MARKER"]
    if params["a"] == 2.0 and not os.path.exists(marker):
        open(marker, "w").close()  # crash once only, so the rerun can finish
        os._exit(3)  # a segfault / OOM kill of the worker, as far as the pool can tell
    return {"y": (params["a"] * 10.0, "V")}


def test_dead_worker_process_loses_only_points_in_flight(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERLAYER_TEST_CRASH_MARKER", str(tmp_path / "crashed"))
    register_model(ModelSpec("test-crasher", {"a": Parameter("a", "1", 0.0)}, target=_crasher))
    try:
        cfg = {"sweep": {"model": "test-crasher"}, "grid": {"a": [0, 1, 2, 3, 4, 5, 6, 7]}}
        first = run_sweep(cfg, tmp_path / "c.zarr", workers=2)
        ds = xr.open_zarr(tmp_path / "c.zarr").load()
        assert first.done + first.failed == 8 and first.done >= 1
        assert int(ds.status.sel(a=2.0)) == FAILED and "died" in str(ds.error.sel(a=2.0).values)
        done = ds.status.values == DONE
        np.testing.assert_array_equal(ds.y.values[done], ds.a.values[done] * 10.0)
        assert first.failed <= 2 * 2  # at most the window of points in flight was lost
        # A rerun retries the points lost with the dead worker (the crasher does not crash twice).
        second = run_sweep(cfg, tmp_path / "c.zarr", workers=2)
        assert (second.done, second.failed, second.ran) == (8, 0, first.failed)
        np.testing.assert_array_equal(xr.open_zarr(tmp_path / "c.zarr").y.values, np.arange(8) * 10.0)
    finally:
        _unregister("test-crasher")


def test_leftovers_of_a_killed_creation_or_schema_write_are_cleaned(tmp_path):
    plan = plan_from_dict({"sweep": {"model": "toy"}, "grid": {"x": ["1 um", "2 um"]}})
    path = tmp_path / "s.zarr"
    # A creation killed midway leaves only STORE.creating: the next run starts afresh.
    (tmp_path / "s.zarr.creating").mkdir()
    (tmp_path / "s.zarr.creating" / "garbage").write_text("x")
    SweepStore.open(path, plan).close()
    assert not (tmp_path / "s.zarr.creating").exists()
    # An output array created before the schema was recorded (killed in between) is dropped,
    # and a temporary chunk file of a killed write is removed.
    import zarr

    group = zarr.open_group(str(path), mode="r+", use_consolidated=False)
    group.create_array("ratio", shape=(2,), chunks=(1,), dtype="f8", attributes={"_ARRAY_DIMENSIONS": ["x"]})
    (path / "status" / "0.abc.partial").write_bytes(b"\0")
    SweepStore.open(path, plan).close()
    assert "ratio" not in zarr.open_group(str(path), mode="r", use_consolidated=False)
    assert not list(path.rglob("*.partial"))
    summary = run_sweep(plan, path, workers=0)
    assert summary.done == 2 and float(xr.open_zarr(path).ratio[1]) == (2e-6) ** 2 / 1.0


def test_a_store_being_written_is_locked_against_a_second_run(tmp_path):
    plan = plan_from_dict({"sweep": {"model": "toy"}, "grid": {"x": ["1 um", "2 um"]}})
    first = SweepStore.open(tmp_path / "l.zarr", plan)
    try:
        with pytest.raises(InputError, match="another running sweep"):
            run_sweep(plan, tmp_path / "l.zarr", workers=0)
    finally:
        first.close()
    assert run_sweep(plan, tmp_path / "l.zarr", workers=0).done == 2  # released: runs now
