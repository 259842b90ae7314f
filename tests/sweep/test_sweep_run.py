"""Sweeps end to end on the toy model: grid and list layouts, failures, resume, store contents."""

from __future__ import annotations

import json

import numpy as np
import pytest
import xarray as xr

from interlayer.cli import main
from interlayer.errors import InputError, StoreError
from interlayer.sweep import (
    DONE,
    FAILED,
    PENDING,
    ModelSpec,
    Parameter,
    SerialExecutor,
    SweepStore,
    plan_from_dict,
    register_model,
    run_sweep,
    unregister_model,
)
from interlayer.sweep.models import toy

GRID = {
    "sweep": {"model": "toy"},
    "grid": {"x": ["1 um", "2 um", "-1 um", "4 um"], "t": ["1 s", "4 s", "1 min"]},
}


def _direct(x, t):
    """What the toy model returns for one point, called directly (the reference)."""
    out = toy({"x": x, "t": t})
    return out["ratio"][0], np.asarray(out["profile"].values)


@pytest.mark.parametrize("workers", [0, 2])
def test_grid_sweep_matches_direct_calls_and_records_failures(tmp_path, workers):
    summary = run_sweep(GRID, tmp_path / "g.zarr", workers=workers)
    assert (summary.n_points, summary.done, summary.failed, summary.ran) == (12, 9, 3, 12)
    ds = xr.open_zarr(tmp_path / "g.zarr")
    assert ds.ratio.dims == ("x", "t") and ds.profile.dims == ("x", "t", "toy_k")
    assert ds.ratio.attrs["units"] == "m^2/s" and ds.x.attrs["units"] == "m"
    for x in ds.x.values:
        for t in ds.t.values:
            point = ds.sel(x=x, t=t)
            if x < 0:  # the toy model refuses x < 0: recorded, and the other points still ran
                assert int(point.status) == FAILED
                assert "x >= 0" in str(point.error.values)
                assert np.isnan(float(point.ratio))  # nothing written for a failed point
                continue
            ratio, profile = _direct(float(x), float(t))
            assert int(point.status) == DONE and str(point.error.values) == ""
            assert float(point.ratio) == ratio  # same function, same inputs: bit-identical
            np.testing.assert_array_equal(point.profile.values, profile)
            assert float(point.elapsed) >= 0.0


def test_point_list_sweep(tmp_path):
    cfg = {
        "sweep": {"model": "toy"},
        "fixed": {"t": "2 s"},
        "points": [{"x": "1 um"}, {"x": "3 um", "work": 3}, {"x": "2 um"}],
    }
    summary = run_sweep(cfg, tmp_path / "p.zarr", workers=0)
    assert summary.done == 3
    ds = xr.open_zarr(tmp_path / "p.zarr")
    assert ds.ratio.dims == ("point",)
    assert {"x", "work", "point"} <= set(ds.coords)  # the varying parameters label the points
    np.testing.assert_array_equal(ds.point.values, [0, 1, 2])
    np.testing.assert_allclose(ds.x.values, [1e-6, 3e-6, 2e-6])
    np.testing.assert_array_equal(ds.work.values, [0.0, 3.0, 0.0])
    for i in range(3):
        expected = toy({"x": float(ds.x[i]), "t": 2.0, "work": float(ds.work[i])})
        assert float(ds.ratio[i]) == expected["ratio"][0]
        assert float(ds.relax_norm[i]) == expected["relax_norm"][0]
    assert ds.attrs["fixed_t"] == 2.0 and ds.attrs["fixed_t_units"] == "s"


def test_rerun_skips_finished_points_and_retries_failed(tmp_path, stop_after):
    store = tmp_path / "r.zarr"
    with pytest.raises(KeyboardInterrupt):
        run_sweep(GRID, store, executor=SerialExecutor(), progress=stop_after(5))
    status = xr.open_zarr(store).status.values
    assert (status != PENDING).sum() == 5
    second = run_sweep(GRID, store, workers=0)
    assert (second.skipped, second.ran) == (int((status == DONE).sum()), 12 - int((status == DONE).sum()))
    assert (second.done, second.failed) == (9, 3)
    third = run_sweep(GRID, store, workers=0, retry_failed=False)
    assert (third.skipped, third.ran) == (12, 0)
    fourth = run_sweep(GRID, store, workers=0)  # failed points are retried by default (they fail again)
    assert (fourth.skipped, fourth.ran, fourth.failed) == (9, 3, 3)
    reference = run_sweep(GRID, tmp_path / "ref.zarr", workers=0)
    assert reference.done == 9
    a, b = xr.open_zarr(store).load(), xr.open_zarr(tmp_path / "ref.zarr").load()
    for name in ("ratio", "profile", "relax_norm", "status", "error"):
        xr.testing.assert_identical(a[name], b[name])


def test_changed_config_into_same_store_is_refused(tmp_path):
    store = tmp_path / "c.zarr"
    run_sweep(GRID, store, workers=0)
    changed = {**GRID, "fixed": {"work": 1}}
    with pytest.raises(InputError, match="another config") as info:
        run_sweep(changed, store, workers=0)
    assert info.value.field == "out"
    (tmp_path / "junk").mkdir()
    with pytest.raises(InputError, match="not"):
        run_sweep(GRID, tmp_path / "junk", workers=0)


def test_point_is_not_marked_done_when_its_write_is_interrupted(tmp_path, monkeypatch):
    """Outputs are written before status: a crash between them leaves the point pending, not done."""
    store_path = tmp_path / "w.zarr"
    calls = {"n": 0}
    original = SweepStore._array

    def flaky(self, name):
        if name == "status":
            calls["n"] += 1
            if calls["n"] == 4:  # calls 1-2 read status (pending, counts); 3 marks point 1; 4 point 2
                raise OSError("disk went away")
        return original(self, name)

    monkeypatch.setattr(SweepStore, "_array", flaky)
    cfg = {"sweep": {"model": "toy"}, "grid": {"x": ["1 um", "2 um", "3 um"]}}
    with pytest.raises(StoreError, match="disk went away"):  # one error naming the store, not a traceback
        run_sweep(cfg, store_path, workers=0)
    monkeypatch.setattr(SweepStore, "_array", original)
    ds = xr.open_zarr(store_path)
    assert list(ds.status.values) == [DONE, PENDING, PENDING]
    assert not np.isnan(float(ds.ratio[1]))  # its data were written, but it does not count as done
    summary = run_sweep(cfg, store_path, workers=0)
    assert (summary.skipped, summary.ran, summary.done) == (1, 2, 3)


def _shape_shifter(params):
    n = 2 if params["a"] < 2 else 3
    return {"v": xr.DataArray(np.arange(n) * params["a"], dims=("k",), attrs={"units": "V"})}


def test_registered_model_and_output_mismatch_is_a_failed_point(tmp_path):
    spec = ModelSpec(
        "test-shape-shifter",
        {"a": Parameter("a", "V", 1.0, description="test input")},
        target=_shape_shifter,
        description="test model: output length changes with a",
    )
    register_model(spec)
    try:
        cfg = {"sweep": {"model": "test-shape-shifter"}, "grid": {"a": [0.5, 1.0, 2.0]}}
        summary = run_sweep(cfg, tmp_path / "m.zarr", workers=2)  # forked pool sees the runtime model
        assert (summary.done, summary.failed) == (2, 1)
        ds = xr.open_zarr(tmp_path / "m.zarr")
        assert "OutputMismatch" in str(ds.error.sel(a=2.0).values)
        np.testing.assert_array_equal(ds.v.sel(a=1.0).values, [0.0, 1.0])
    finally:
        unregister_model("test-shape-shifter")


def _bad_outputs(params):
    if params["a"] == 1:
        return {"v": (float("nan"), "V")}
    if params["a"] == 2:
        return {"v": 3.0}
    return {"v": xr.DataArray([1.0, 2.0], dims=("k",))}


def test_model_outputs_without_units_or_with_nan_fail_the_point(tmp_path):
    register_model(ModelSpec("test-bad", {"a": Parameter("a")}, target=_bad_outputs))
    try:
        run_sweep({"sweep": {"model": "test-bad"}, "grid": {"a": [1, 2, 3]}}, tmp_path / "b.zarr", workers=0)
        err = xr.open_zarr(tmp_path / "b.zarr").error.values
        assert "NaN" in err[0] and "DataArray" in err[1] and "units" in err[2]
        assert list(xr.open_zarr(tmp_path / "b.zarr").status.values) == [FAILED] * 3
    finally:
        unregister_model("test-bad")


def test_cli_json_summary_and_default_store_path(tmp_path, capsys):
    cfg = tmp_path / "toy.toml"
    cfg.write_text('[sweep]\nmodel = "toy"\n[grid]\nx = ["1 um", "-1 um"]\n')
    assert main(["sweep", str(cfg), "--workers", "0", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["store"] == str(tmp_path / "toy.zarr")
    assert {k: out[k] for k in ("n_points", "done", "failed", "skipped")} == {
        "n_points": 2,
        "done": 1,
        "failed": 1,
        "skipped": 0,
    }
    assert out["wall_time_s"] > 0
    assert main(["sweep", str(cfg), "--workers", "0", "--json", "--skip-failed"]) == 0
    assert json.loads(capsys.readouterr().out)["skipped"] == 2


def test_plan_store_roundtrip_keeps_text_coordinates(tmp_path):
    plan = plan_from_dict({"sweep": {"model": "design"}, "grid": {"material": ["lni-5cnt", "lni"]}})
    SweepStore.open(tmp_path / "t.zarr", plan).close()
    ds = xr.open_zarr(tmp_path / "t.zarr")
    assert list(ds.material.values) == ["lni-5cnt", "lni"]
    assert int(ds.status.sum()) == 0 and ds.attrs["config_hash"] == plan.config_hash


def test_open_sweep(tmp_path):
    from interlayer.sweep import open_sweep

    run_sweep({"sweep": {"model": "toy"}, "grid": {"x": ["1 um"]}}, tmp_path / "o.zarr", workers=0)
    ds = open_sweep(tmp_path / "o.zarr")
    assert float(ds.ratio[0]) == (1e-6) ** 2 and ds.attrs["model"] == "toy"
    with pytest.raises(InputError, match="does not exist"):
        open_sweep(tmp_path / "absent.zarr")


def _slow_first_shape_shifter(params):
    import time as _time

    if params["a"] < 1:
        _time.sleep(1.0)  # the first point in plan order finishes last
    return _shape_shifter(params)


def test_output_shapes_follow_plan_order_not_completion_order(tmp_path):
    # a = 2.0 (3 values) finishes before a = 0.5 (2 values, first in plan order): the store's shapes
    # must still come from a = 0.5, so the result does not depend on worker timing
    register_model(ModelSpec("test-slow-first", {"a": Parameter("a", "V", 1.0)}, target=_slow_first_shape_shifter))
    try:
        cfg = {"sweep": {"model": "test-slow-first"}, "grid": {"a": [0.5, 2.0]}}
        summary = run_sweep(cfg, tmp_path / "o.zarr", workers=2)
        assert (summary.done, summary.failed) == (1, 1)
        ds = xr.open_zarr(tmp_path / "o.zarr")
        assert "OutputMismatch" in str(ds.error.sel(a=2.0).values)
        np.testing.assert_array_equal(ds.v.sel(a=0.5).values, [0.0, 0.5])
    finally:
        unregister_model("test-slow-first")
