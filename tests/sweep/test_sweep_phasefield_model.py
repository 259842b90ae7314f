"""The 'phasefield' sweep model stores the outcomes of interlayer.phasefield.simulate, point by point."""

from __future__ import annotations

import math

import pytest
import xarray as xr

from interlayer.sweep import run_sweep

pf = pytest.importorskip("interlayer.phasefield")


def test_phasefield_sweep_equals_direct_simulate(tmp_path):
    cfg = {
        "sweep": {"model": "phasefield"},
        "fixed": {"microstructure": "pores", "grid": 16, "grid_height": 48, "size": "1.6 um", "pore_width": "0.8 um",
                  "pore_count": 1, "steps": 20},
        "grid": {"contact_angle": ["30 deg", "120 deg"]},
    }
    summary = run_sweep(cfg, tmp_path / "pf.zarr", workers=0)
    assert (summary.done, summary.failed) == (2, 0), xr.open_zarr(tmp_path / "pf.zarr").error.values
    ds = xr.open_zarr(tmp_path / "pf.zarr").load()
    assert ds.penetration_depth.attrs["units"] == "m"
    for angle in ds.contact_angle.values:  # the stored SI inputs (pint's deg -> rad, to the last bit)
        assert math.isclose(math.degrees(angle), 30.0) or math.isclose(math.degrees(angle), 120.0)
        a = ds.attrs  # the fixed inputs as the sweep parsed them (SI, to the last bit)
        ms = pf.straight_pores(16, 48, a["fixed_size"] / 16, width=a["fixed_pore_width"], count=1)
        ref = pf.simulate(ms, float(angle), overpotential=0.05, steps=20)  # 50 mV: the declared default
        point = ds.sel(contact_angle=angle)
        assert float(point.penetration_depth) == float(ref.penetration_depth.values[-1])
        assert float(point.li_inventory) == float(ref.li_inventory.values[-1])
        assert int(point.steps_taken) == int(ref.steps_taken)
