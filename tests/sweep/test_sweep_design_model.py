"""The 'design' sweep model stores exactly what interlayer.design.evaluate returns, point by point."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from interlayer.sweep import run_sweep

design = pytest.importorskip("interlayer.design")


def test_design_sweep_equals_direct_evaluate(tmp_path):
    cfg = {
        "sweep": {"model": "design"},
        "fixed": {"current_density": "1:4:1 mA/cm2", "half_cycle_time": "0.5 h"},
        "grid": {"material": ["lni-5cnt", "lni-50cnt"], "thickness": ["45 um", "90 um"], "porosity": [0.3]},
    }
    summary = run_sweep(cfg, tmp_path / "d.zarr", workers=0)
    assert (summary.done, summary.failed) == (4, 0)
    ds = xr.open_zarr(tmp_path / "d.zarr").load()
    assert ds.l_n.dims == ("material", "thickness", "porosity", "current_density")
    np.testing.assert_allclose(ds.current_density.values, [10.0, 20.0, 30.0, 40.0])
    assert ds.regime.attrs["flag_meanings"] and ds.l_n.attrs["units"] == "m"
    for material in ds.material.values:
        for thickness in ds.thickness.values:
            ref = design.evaluate(
                material=str(material),
                thickness=float(thickness),
                porosity=0.3,
                current_density=np.array([10.0, 20.0, 30.0, 40.0]),
                half_cycle_time=1800.0,
            )
            point = ds.sel(material=material, thickness=thickness, porosity=0.3)
            for name in ("l_n", "l_g", "margin", "capacity"):
                np.testing.assert_array_equal(point[name].values, ref[name].values)
            np.testing.assert_array_equal(point.regime.values, ref.regime.values.astype(float))
            assert float(point.max_stable_current) == float(ref.max_stable_current)


def test_unknown_material_is_a_failed_point_not_a_crash(tmp_path):
    cfg = {"sweep": {"model": "design"}, "grid": {"material": ["lni-5cnt", "unobtainium"]}}
    summary = run_sweep(cfg, tmp_path / "m.zarr", workers=0)
    assert (summary.done, summary.failed) == (1, 1)
    ds = xr.open_zarr(tmp_path / "m.zarr")
    assert "unobtainium" in str(ds.error.sel(material="unobtainium").values)
