import json

import xarray as xr

from interlayer.cli import main


def test_map_cli_writes_plot_and_netcdf(tmp_path, capsys):
    png, nc = tmp_path / "m.png", tmp_path / "m.nc"
    assert main(["map", "--points", "40", "--plot", str(png), "--out", str(nc), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert abs(sum(out["regime_fractions"].values()) - 1) < 1e-12
    # the electronic side of the sigma_e axis nucleates on the SSE, the ionic side does not
    ds = xr.open_dataset(nc)
    low, high = ds.regime.isel(sigma_e=0), ds.regime.isel(sigma_e=-1)
    assert int((low == 2).sum()) == 0 and int((high == 2).sum()) > 0
    assert png.stat().st_size > 10000


def test_map_cli_bad_axis(capsys):
    assert main(["map", "--x", "colour"]) == 2
    assert main(["map", "--x-range", "5:1"]) == 2
    assert main(["map", "--y", "sigma_e"]) == 2
