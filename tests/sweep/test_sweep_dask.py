"""The same sweep on a real dask.distributed LocalCluster (2 worker processes) as on the local pool."""

from __future__ import annotations

import json

import pytest
import xarray as xr

from interlayer.cli import main
from interlayer.errors import InputError
from interlayer.sweep import DaskExecutor, run_sweep

distributed = pytest.importorskip("dask.distributed")

CFG = {
    "sweep": {"model": "toy"},
    "fixed": {"work": 5, "sleep": "20 ms"},
    "grid": {"x": ["1 um", "-2 um", "3 um", "4 um"], "t": ["1 s", "3 s"]},
}


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        yield cluster


def test_local_cluster_sweep_equals_serial_sweep(cluster, tmp_path):
    with distributed.Client(cluster) as client:
        summary = run_sweep(CFG, tmp_path / "dask.zarr", executor=client)
    assert (summary.n_points, summary.done, summary.failed) == (8, 6, 2)
    assert summary.executor.startswith("dask")
    # Dask's default worker allocator setting is flagged (docs/sweep.md, 'Dask workers')
    assert len(summary.notes) == 1 and "MALLOC_MMAP_THRESHOLD_" in summary.notes[0]
    serial = run_sweep(CFG, tmp_path / "serial.zarr", workers=0)
    assert serial.done == 6
    a, b = xr.open_zarr(tmp_path / "dask.zarr").load(), xr.open_zarr(tmp_path / "serial.zarr").load()
    # Both worker processes ran points, and none of them is this (the writing) process.
    workers = set(a.worker.values.ravel())
    assert len(workers) == 2 and not workers & set(b.worker.values.ravel())
    for name in ("ratio", "profile", "relax_norm", "status", "error"):
        xr.testing.assert_identical(a[name], b[name])


def test_cli_scheduler_finishes_a_sweep_begun_locally(cluster, tmp_path, capsys, stop_after):
    """--scheduler takes the same code path: a store begun on the local pool is finished on the cluster."""
    cfg = tmp_path / "s.toml"
    cfg.write_text('[sweep]\nmodel = "toy"\n[fixed]\nwork = 3\n[grid]\nx = "1:6:1 um"\n')
    with pytest.raises(KeyboardInterrupt):
        run_sweep(cfg, workers=0, progress=stop_after(2))
    assert main(["sweep", str(cfg), "--scheduler", cluster.scheduler_address, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["skipped"], out["ran"], out["done"], out["failed"]) == (2, 4, 6, 0)
    ds = xr.open_zarr(tmp_path / "s.zarr").load()
    assert len(set(ds.worker.values[2:])) >= 1 and not set(ds.worker.values[:2]) & set(ds.worker.values[2:])
    expected = run_sweep(cfg, tmp_path / "ref.zarr", workers=0)
    assert expected.done == 6
    xr.testing.assert_identical(ds.relax_norm, xr.open_zarr(tmp_path / "ref.zarr").relax_norm.load())


def test_cluster_object_and_bad_address(cluster, tmp_path):
    summary = run_sweep(CFG, tmp_path / "c.zarr", executor=cluster)  # a LocalCluster object is accepted
    assert summary.done == 6
    with pytest.raises(InputError, match="cannot connect") as info:
        run_sweep(CFG, tmp_path / "x.zarr", executor=DaskExecutor("tcp://127.0.0.1:9", timeout=2))
    assert info.value.field == "scheduler"


def test_recommended_worker_config_clears_the_allocator_note(tmp_path):
    import dask

    from interlayer.sweep.executors import dask_worker_config

    with dask.config.set(dask_worker_config()), distributed.LocalCluster(
        n_workers=1, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        summary = run_sweep(CFG, tmp_path / "cfg.zarr", executor=cluster)
    assert summary.done == 6 and summary.notes == []
