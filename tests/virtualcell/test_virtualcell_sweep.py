"""The virtual cell as a sweep model: a small CCD map over (sigma_e, thickness)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import xarray as xr

from interlayer.cell import Cell, Interlayer, Layer
from interlayer.sweep import run_sweep
from interlayer.virtualcell import simulate


def test_ccd_map_over_sigma_e_and_thickness(tmp_path):
    cfg = {"sweep": {"model": "virtualcell"},
           "grid": {"sigma_e": ["1e-7 S/cm", "1e-4 S/cm"], "thickness": ["15 um", "90 um"]},
           "fixed": {"stop_current": "4 mA/cm2"}}
    summary = run_sweep(cfg, tmp_path / "ccd.zarr", workers=0)
    assert (summary.done, summary.failed) == (4, 0)
    ds = xr.open_zarr(tmp_path / "ccd.zarr").load()
    assert ds.critical_current.attrs["units"] == "A/m^2"
    # each point is what one direct simulation gives
    layer = Layer.from_material("lni-5cnt", 90e-6, sigma_e=1e-2)
    direct = simulate(Cell(Interlayer((layer,), 0.0)), ["Step from 0.1 to 4 mA/cm2 by 0.1 mA/cm2 for 1 h"])
    got = float(ds.critical_current.sel(sigma_e=1e-2, thickness=90e-6, method="nearest"))
    want = float(direct.critical_current)
    assert (got == math.inf and not math.isfinite(want)) or got == pytest.approx(want)
    # 15 um: the spot filaments reach the electrolyte at the first steps, whatever sigma_e
    thin = ds.sel(thickness=15e-6, method="nearest")
    assert {str(x) for x in np.asarray(thin.failure_mode.values).ravel()} == {"contact-focusing"}
    assert np.all(thin.critical_current.values <= 3.0 + 1e-9)
    # 90 um: the better electron conductor survives longer
    thick = ds.sel(thickness=90e-6, method="nearest").critical_current
    assert float(thick.sel(sigma_e=1e-2, method="nearest")) > float(thick.sel(sigma_e=1e-5, method="nearest"))
