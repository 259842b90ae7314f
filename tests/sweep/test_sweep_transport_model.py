"""The 'transport' sweep model stores interlayer.transport.pnp.summary in SI, point by point."""

from __future__ import annotations

import math

import numpy as np
import pytest
import xarray as xr

from interlayer.sweep import DONE, ModelSpec, Parameter, register_model, run_sweep, unregister_model

pnp = pytest.importorskip("interlayer.transport.pnp")


def test_transport_sweep_equals_direct_run(tmp_path):
    cfg = {
        "sweep": {"model": "transport"},
        "fixed": {"solve": "steady", "resolution": "coarse"},
        "grid": {"current_density": ["0.1 mA/cm2", "4 mA/cm2"]},
    }
    summary = run_sweep(cfg, tmp_path / "t.zarr", workers=0)
    assert (summary.done, summary.failed) == (2, 0), xr.open_zarr(tmp_path / "t.zarr").error.values
    ds = xr.open_zarr(tmp_path / "t.zarr").load()
    assert ds.eta_max.attrs["units"] == "V" and ds.nucleation_depth_90.attrs["units"] == "m"
    for i in ds.current_density.values:
        ref = pnp.summary(
            pnp.run("lni-5cnt", dim=1, current_density=float(i), time=None, resolution="coarse")
        )
        point = ds.sel(current_density=i)
        # equal to round-off (one ulp was seen once: multithreaded BLAS sums need not be bitwise repeatable)
        assert float(point.eta_max) == pytest.approx(ref["eta_max_V"], rel=1e-12)
        assert float(point.nucleation_rate_max) == pytest.approx(ref["nucleation_rate_max_m3_s"], rel=1e-9)
        assert int(point.nucleation_present) == int(ref["nucleation_present"])
        if ref["nucleation_depth_90_um"] is None:  # no nucleation: the depth does not exist
            assert np.isnan(float(point.nucleation_depth_90))
        else:
            assert math.isclose(float(point.nucleation_depth_90), ref["nucleation_depth_90_um"] * 1e-6)
        assert np.isnan(float(point.growth_tip_to_base_ratio))  # 1D: no protrusion tip
        assert int(point.status) == DONE


def _sometimes_absent(params):
    return {"depth": (None if params["a"] < 1 else params["a"] * 2.0, "m"), "n": (int(params["a"]), "1")}


def test_absent_scalar_outputs_are_missing_not_failed(tmp_path):
    register_model(ModelSpec("test-absent", {"a": Parameter("a")}, target=_sometimes_absent))
    try:
        summary = run_sweep(
            {"sweep": {"model": "test-absent"}, "grid": {"a": [0, 1, 2]}}, tmp_path / "a.zarr", workers=0
        )
        assert (summary.done, summary.failed) == (3, 0)
        ds = xr.open_zarr(tmp_path / "a.zarr").load()
        np.testing.assert_array_equal(ds.depth.values, [np.nan, 2.0, 4.0])
        np.testing.assert_array_equal(ds.n.values, [0, 1, 2])
    finally:
        unregister_model("test-absent")
