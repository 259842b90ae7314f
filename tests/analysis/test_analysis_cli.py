"""The ``analyze`` and ``eis`` commands: JSON contents, plots, reports, exit codes."""

import json
import subprocess
import sys

import numpy as np
import pytest

from interlayer.analysis.synthetic import symmetric_trace
from interlayer.cli import main


def _json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def shorting_csv(tmp_path):
    """A step-increase trace (0.1, 0.2, 0.3 mA/cm2) that shorts in cycle 3 (0.2 mA/cm2), as CSV."""
    j = np.repeat([1.0, 2.0, 3.0], 2)
    rec = symmetric_trace(n_cycles=6, current_density=j, spike=0.05, short_time=4.3 * 3600, seed=3)
    path = tmp_path / "trace.csv"
    d = rec.data
    path.write_text("time/s,Ewe/V,I/mA\n" + "\n".join(
        f"{t:.3f},{v:.6f},{i * 1e3:.6g}" for t, v, i in zip(d["time"], d["voltage"], d["current"], strict=True)))
    return path, rec


def test_analyze_json_schema_and_values(capsys, shorting_csv, tmp_path):
    path, rec = shorting_csv
    png, html = tmp_path / "v.png", tmp_path / "r.html"
    out = _json(capsys, ["analyze", str(path), "--area", "0.503cm2", "--json", "--plot", str(png), "--report", str(html)])
    assert {"cycles", "shorts", "ccd_mA_cm2"} <= out.keys()
    assert {"cycle", "current_density_mA_cm2", "overpotential_V", "spike_V"} <= out["cycles"][0].keys()
    assert {"time_s", "cycle", "current_density_mA_cm2", "kind"} <= out["shorts"][0].keys()
    planted = rec.data["time"].iloc[rec.metadata["planted"]["short_row"]]
    assert out["shorts"][0]["time_s"] == pytest.approx(planted, abs=0.01)  # CSV written to 1 ms
    assert out["shorts"][0]["cycle"] == 3
    assert out["ccd_mA_cm2"] == pytest.approx(0.2, rel=1e-4)  # 1e-4: currents written to 6 digits
    assert out["ccd_protocol"]["last_stable_mA_cm2"] == pytest.approx(0.1, rel=1e-4)
    assert out["cycles"][0]["spike_V"] == pytest.approx(0.05, rel=0.05)
    assert png.stat().st_size > 10_000 and png.read_bytes()[:4] == b"\x89PNG"
    assert "Short circuits" in html.read_text()


def test_analyze_area_units(capsys, shorting_csv):
    path, _ = shorting_csv
    a = _json(capsys, ["analyze", str(path), "--area", "50.3 mm^2", "--json"])
    b = _json(capsys, ["analyze", str(path), "--area", "0.503", "--json"])  # bare number: cm2
    assert a["cycles"][0]["current_density_mA_cm2"] == pytest.approx(b["cycles"][0]["current_density_mA_cm2"])
    assert b["cycles"][0]["current_density_mA_cm2"] == pytest.approx(0.1, rel=1e-4)


def test_analyze_no_ccd_is_null(capsys, shared_data):
    out = _json(capsys, ["analyze", str(shared_data / "cycling/yadg_gcpl_Li_Li2B12H12_Li.mpr"), "--area", "0.503cm2", "--json"])
    assert out["ccd_mA_cm2"] is None and out["shorts"] == []
    assert len(out["cycles"]) == 16


def test_bad_input_exit_2(capsys, tmp_path, shared_data):
    assert main(["analyze", str(tmp_path / "nope.csv"), "--area", "1cm2"]) == 2
    assert main(["analyze", str(shared_data / "cycling/test.nda"), "--area", "-1 cm2"]) == 2
    assert main(["analyze", str(shared_data / "eis/Circuit1_EIS_1.z"), "--area", "1cm2"]) == 2
    assert main(["eis", str(shared_data / "cycling/test.nda")]) == 2
    bad = tmp_path / "cut.csv"
    bad.write_text("time/s,Ewe/V,I/mA\n0,0.1,1\n1,0.1")
    assert main(["analyze", str(bad), "--area", "1cm2"]) == 2
    err = capsys.readouterr().err
    assert "line 3" in err and str(bad) in err


def test_analyze_subprocess_one_line_error(tmp_path):
    bad = tmp_path / "cut.csv"
    bad.write_text("time/s,Ewe/V,I/mA\n0,0.1,1\n1,0.1")
    proc = subprocess.run([sys.executable, "-c", "import sys; from interlayer.cli import main; sys.exit(main(sys.argv[1:]))",
                           "analyze", str(bad), "--area", "1cm2"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stdout == "" and len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("n", [1, 2, 3])
def test_eis_command_fits_dummy_circuits(capsys, shared_data, tmp_path, n):
    png = tmp_path / "nyq.png"
    out = _json(capsys, ["eis", str(shared_data / f"eis/Circuit{n}_EIS_1.z"), "--circuit", "R0-p(R1,CPE1)",
                         "--json", "--plot", str(png), "--thickness", "400um", "--area", "1.267cm2"])
    p = out["parameters"]
    assert out["rms_relative"] < 0.02  # see test_analysis_eis_misc for the reasoning
    assert p["R0"]["value"] > 0 and p["R1"]["value"] > p["R0"]["value"] * 0.5
    # sigma = L / (R A) for each resistor
    assert out["conductivity_S_m"]["R1"] == pytest.approx(400e-6 / (p["R1"]["value"] * 1.267e-4), rel=1e-9)
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_eis_abort_file_warns_and_fits(capsys, shared_data):
    assert main(["eis", str(shared_data / "eis/exampleDataGamryABORT.DTA"), "--json"]) == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert out["partial"] is True and out["points"] == 72
    assert "aborted" in captured.err


def test_analyze_confirms_short_with_impedance(capsys, shorting_csv, tmp_path):
    """Spectra before and after the short: the low-frequency modulus collapses -> confirmed."""
    _, rec = shorting_csv
    path, _ = shorting_csv
    f = np.logspace(5, -1, 30)
    files = []
    for name, r_ct in (("before.csv", 400.0), ("after.csv", 20.0)):
        z = 50 + r_ct / (1 + 1j * 2 * np.pi * f * r_ct * 1e-6)
        p = tmp_path / name
        p.write_text("\n".join(f"{a},{b},{c}" for a, b, c in zip(f, z.real, z.imag, strict=True)))
        files.append(p)
    out = _json(capsys, ["analyze", str(path), "--area", "0.503cm2", "--json",
                         "--eis", f"{files[0]}@1h", "--eis", f"{files[1]}@5.5h"])
    assert out["shorts"][0]["confirmed_by_impedance"] is True
    assert main(["analyze", str(path), "--area", "0.503cm2", "--eis", str(files[0])]) == 2  # no @TIME


def test_analyze_nucleation_length(capsys, shorting_csv):
    path, _ = shorting_csv
    out = _json(capsys, ["analyze", str(path), "--area", "0.503cm2", "--json", "--coefficient", "2.8e-5 S/cm"])
    first = out["cycles"][0]
    assert first["spike_detected"]
    # l_n = C V_sp / i with C = 2.8e-3 S/m and i = 1 A/m^2
    assert first["nucleation_length_um"] == pytest.approx(2.8e-3 * first["spike_V"] / 1.0 * 1e6, rel=1e-3)


def test_analyze_against_a_design(capsys, shorting_csv):
    """--design-material takes C of eq. 1 from the design model and adds its predicted spike and l_n."""
    from interlayer.design import Design, build_interlayer

    path, _ = shorting_csv
    out = _json(capsys, ["analyze", str(path), "--area", "0.503cm2", "--design-material", "lni-5cnt", "--json"])
    design = Design(build_interlayer("lni-5cnt", 90e-6))
    assert out["design"]["spike_coefficient_S_m"] == pytest.approx(design.spike_coefficient())
    first = out["cycles"][0]
    j = first["current_density_mA_cm2"] * 10.0
    # 0.1 mA/cm2 is below the model's 0.4 mA/cm2 onset: no predicted spike, but the planted one is measured
    assert first["predicted_spike_V"] == 0.0 and first["predicted_l_n_um"] == 0.0
    assert first["nucleation_length_um"] == pytest.approx(design.spike_coefficient() * first["spike_V"] / j * 1e6)
    assert main(["analyze", str(path), "--area", "0.503cm2", "--design-material", "lni-5cnt",
                 "--coefficient", "1e-5S/cm"]) == 2


# -- wording of the CCD line and of option errors --------------------------------------------------------


def _csv(rec, path):
    d = rec.data
    path.write_text("time/s,Ewe/V,I/mA\n" + "\n".join(
        f"{t:.3f},{v:.6f},{i * 1e3:.6g}" for t, v, i in zip(d["time"], d["voltage"], d["current"], strict=True)))
    return path


def test_ccd_without_lower_level_prints_sensibly(capsys, tmp_path):
    rec = symmetric_trace(n_cycles=4, short_time=2.3 * 3600, seed=5)  # one current level, shorts in cycle 2
    path = _csv(rec, tmp_path / "short.csv")
    assert main(["analyze", str(path), "--area", "0.503cm2"]) == 0
    err = capsys.readouterr().err
    assert "CCD = " in err and "None" not in err and "no lower current level" in err


@pytest.mark.parametrize("argv,option", [
    (["--spike-window", "2"], "--spike-window"),
    (["--cell", "halfcell"], "--cell"),
    (["--area", "abc"], "--area"),
    (["--plot", "out.txt"], "--plot"),
    (["--report", "nodir/r.html"], "--report"),
])
def test_analyze_errors_name_the_option_before_reading(capsys, tmp_path, argv, option):
    # the input file does not exist: the option must be checked (and reported) first
    code = main(["analyze", str(tmp_path / "missing.csv"), *argv])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.startswith(f"error: {option}:") and len(err.splitlines()) == 1
