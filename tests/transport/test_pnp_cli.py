"""``interlayer transport`` through the app entry point."""

import json
import subprocess
import sys

import xarray as xr

from interlayer.cli import main


def test_transport_json_and_files(tmp_path, capsys):
    out, png = tmp_path / "r.nc", tmp_path / "r.png"
    rc = main(["transport", "--material", "lni-5cnt", "--dim", "1", "--steady", "--current", "1",
               "--out", str(out), "--plot", str(png), "--json"])
    assert rc == 0
    doc = json.loads(capsys.readouterr().out)
    for key in ("debye_length_m", "nucleation_depth_90_um", "nucleation_rate_max_m3_s", "growth_tip_to_base_ratio",
                "l_i_um", "wall_time_s"):
        assert key in doc
    assert doc["growth_tip_to_base_ratio"] is None  # 1D has no protrusion
    assert doc["l_i_um"] == 90.0
    assert png.stat().st_size > 10_000
    assert float(xr.load_dataset(out)["eta"].max()) == doc["eta_max_V"]


def test_transport_bad_input_exits_2(capsys):
    assert main(["transport", "--dim", "3"]) == 2
    assert main(["transport", "--current", "fast"]) == 2
    assert main(["transport", "--contact-angle", "200 deg"]) == 2
    assert "error" in capsys.readouterr().err


def test_transport_subprocess_stdout_is_only_json(tmp_path):
    code = "import sys; from interlayer.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run([sys.executable, "-c", code, "transport", "--dim", "1", "--time", "2s", "--json",
                           "--resolution", "coarse", "--contact-angle", "140 deg"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["debye_length_m"] > 0 and doc["time_s"] == 2.0
    assert abs(doc["contact_angle_deg"] - 140.0) < 1e-9


def test_transport_potentiostatic(capsys):
    assert main(["transport", "--voltage", "50 mV", "--steady", "--resolution", "coarse", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert abs(doc["eta_sse_V"] - 0.05) < 1e-9  # eta(l_i) = V_app when electrons carry no current
    assert doc["growth_rate_max_A_m2"] > 0
    assert main(["transport", "--voltage", "5 V"]) == 2


def test_transport_json_reports_relaxation_time_and_electron_route(capsys):
    args = ["transport", "--dim", "1", "--steady", "--resolution", "coarse", "--json"]
    assert main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["electron_route"] == "carrier-density"
    # LNI-5% CNT: l^2 C_chem / sigma_amb = 128.8 s for the dense pellet; the porous layer (eps = 0.3)
    # has C_chem x 0.7 and sigma_amb x 0.7^1.5, so tau = 128.8 s / sqrt(0.7)
    assert abs(doc["relaxation_time_s"] / (128.8 / 0.7**0.5) - 1) < 0.01
    assert main([*args, "--electron-mobility", "1e-3"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["electron_route"] == "mobility" and doc["relaxation_time_s"] < 1e-3
    assert main([*args, "--electron-concentration", "1e23 1/m^3"]) == 0
    assert abs(json.loads(capsys.readouterr().out)["electron_concentration_m3"] / 1e23 - 1) < 1e-12
    assert main([*args, "--electron-concentration", "1e23", "--electron-mobility", "1e-3"]) == 2
