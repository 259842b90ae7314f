"""Readers on lab records (issues 15 and 16): plausibility, partial files, units, column mapping,
missing libraries, no area, outputs that are never half-written."""

import json
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from interlayer.cli import main
from interlayer.errors import InputError
from interlayer.io import PartialDataWarning, UnitWarning, read
from interlayer.io._record import check_plausible


def _csv(path, rows, header="time/s,Ewe/V,I/mA"):
    path.write_text(header + "\n" + "\n".join(",".join(str(x) for x in r) for r in rows) + "\n")
    return path


@pytest.mark.parametrize("rows,what", [
    ([(0, 0.1, 1), (1, 0.1, 1), (0.5, 0.1, 1)], "time goes back"),
    ([(0, 0.1, 1), (1, 1e5, 1)], "voltage = 100000"),
    ([(0, 0.1, 1), (1e264, 0.1, 1)], "time = 1e+264"),
    ([(0, 0.1, 1), (1, 0.1, 3e9)], "current = 3e+06"),
])
def test_implausible_rows_refused_naming_row_and_range(tmp_path, rows, what):
    with pytest.raises(InputError) as exc:
        read(_csv(tmp_path / "x.csv", rows))
    assert what in str(exc.value) and "row " in str(exc.value) and ("range" in str(exc.value) or "decrease" in str(exc.value))


def test_negative_frequency_refused(tmp_path):
    path = tmp_path / "z.csv"
    path.write_text("1000,10,-2\n-1e38,12,-5\n10,20,-3\n")
    with pytest.raises(InputError, match="frequency"):
        read(path)


def test_check_plausible_direct():
    check_plausible({"time": np.arange(5.0), "voltage": np.zeros(5)}, "x")
    with pytest.raises(InputError, match="nan"):
        check_plausible({"voltage": np.array([0.0, np.nan])}, "x")


def test_csv_cut_inside_a_number_is_flagged_partial(shared_data, tmp_path):
    """issue 16: head -c 3095 exampleData.csv read -0.00335 as -3.35 (exit 0, partial: false)."""
    full = read(shared_data / "eis/exampleData.csv")
    raw = (shared_data / "eis/exampleData.csv").read_bytes()
    cut = tmp_path / "cut.csv"
    cut.write_bytes(raw[:3095])
    with pytest.warns(PartialDataWarning, match="last row may be cut"):
        rec = read(cut)
    assert rec.partial
    n = len(rec)
    # every value kept is exactly the full file's
    assert np.array_equal(rec.data["z_imag"].to_numpy(), full.data["z_imag"].to_numpy()[:n])


def test_cut_positions_never_give_a_wrong_last_value(shared_data, tmp_path):
    """Every cut position of the CSV: the rows kept equal the full file's, or the file is refused."""
    raw = (shared_data / "eis/exampleData.csv").read_bytes()
    full = read(shared_data / "eis/exampleData.csv").data
    for cut_at in range(2000, 3200, 16):
        p = tmp_path / "c.csv"
        p.write_bytes(raw[:cut_at])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PartialDataWarning)
            try:
                d = read(p).data
            except InputError:
                continue
        n = len(d)
        assert np.array_equal(d[["frequency", "z_real", "z_imag"]].to_numpy(),
                              full[["frequency", "z_real", "z_imag"]].to_numpy()[:n]), cut_at


def test_zview_cut_at_a_record_boundary_is_flagged(shared_data, tmp_path):
    raw = (shared_data / "eis/Circuit1_EIS_1.z").read_bytes()
    cut = tmp_path / "cut.z"
    cut.write_bytes(raw[: raw.rfind(b"\n", 0, int(len(raw) * 0.7)) + 1])  # ends with a whole line
    with pytest.warns(PartialDataWarning, match="header programs"):
        rec = read(cut)
    assert rec.partial
    assert main(["eis", str(cut), "--json"]) == 0


def test_unitless_headers_warn_and_columns_fix_it(tmp_path, capsys):
    path = _csv(tmp_path / "nounit.csv", [(t, 0.1 if (t // 10) % 2 == 0 else -0.1, 1 if (t // 10) % 2 == 0 else -1)
                                          for t in range(40)], header="Time,Voltage,Current")
    with pytest.warns(UnitWarning, match="'Current' as A"):
        rec = read(path)
    assert rec.data["current"].abs().max() == pytest.approx(1.0)  # read as A, and said so
    assert main(["analyze", str(path), "--area", "1cm2", "--json"]) == 0
    captured = capsys.readouterr()
    assert "no unit in the header" in captured.err and "--columns" in captured.err
    assert main(["analyze", str(path), "--area", "1cm2", "--json",
                 "--columns", "time=Time/s,voltage=Voltage/V,current=Current/mA"]) == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert "no unit" not in captured.err
    assert out["cycles"][0]["current_mA"] == pytest.approx(1.0)
    assert out["cycles"][0]["current_density_mA_cm2"] == pytest.approx(1.0)
    for bad in ("time=Time/s", "speed=Time", "time=Nope/s,voltage=Voltage,current=Current", "time"):
        assert main(["analyze", str(path), "--area", "1cm2", "--columns", bad]) == 2


def test_no_area_reports_what_needs_none(capsys, shared_data):
    assert main(["analyze", str(shared_data / "cycling/test.nda"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["area_cm2"] is None
    assert all(c["current_density_mA_cm2"] is None for c in out["cycles"])
    assert all(c["current_mA"] > 0 for c in out["cycles"])
    assert out["ccd_mA_cm2"] is None and out["stable_up_to_mA_cm2"] is None
    assert any("no electrode area" in n for n in out["notes"])


def test_missing_reader_library_exit_2_with_pip_line(monkeypatch, shared_data, capsys):
    monkeypatch.setitem(sys.modules, "galvani", None)  # import galvani -> ImportError
    with pytest.raises(InputError, match="pip install galvani"):
        read(shared_data / "cycling/yadg_gcpl_Li_Li2B12H12_Li.mpr")
    assert main(["analyze", str(shared_data / "cycling/yadg_gcpl_Li_Li2B12H12_Li.mpr")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].endswith("pip install galvani")


def test_missing_impedance_library(monkeypatch, shared_data, capsys):
    monkeypatch.setitem(sys.modules, "impedance", None)
    assert main(["eis", str(shared_data / "eis/Circuit1_EIS_1.z")]) == 2
    assert "pip install impedance" in capsys.readouterr().err


def test_failed_write_leaves_nothing(tmp_path, monkeypatch, shared_data):
    from interlayer.cli import eis as cli_eis

    target = tmp_path / "r.html"

    def boom(path):
        with open(path, "w") as fh:
            fh.write("<html>half")
        raise OSError(28, "No space left on device")

    with pytest.raises(InputError, match="No space left"):
        cli_eis.save_atomic(str(target), boom)
    assert list(tmp_path.iterdir()) == []


def test_technique_column_from_steps(shared_data):
    nda = read(shared_data / "cycling/test.ndax")  # Neware CCCV steps: CC then CV rows
    assert set(nda.data["technique"].astype(str)) == {"CC", "CV", "rest"}
    arbin = read(shared_data / "cycling/bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx")
    seg = arbin.segments()
    assert seg["technique"].isin(["CC", "CV", "rest"]).all()
    gamry = read(shared_data / "eis/exampleDataGamry.DTA")
    assert set(gamry.data["technique"]) == {"PEIS"}  # TAG EISPOT


@pytest.mark.parametrize("damage", ["truncate", "flip", "mislabel"])
def test_damaged_file_cli_exit_2_one_line_nothing_written(tmp_path, damage):
    import subprocess

    src = Path(__file__).resolve().parents[1] / "data" / "biologic" / "mb.mpr"
    if not src.exists():
        pytest.skip("tests/data/biologic is not present")
    raw = bytearray(src.read_bytes())
    if damage == "truncate":
        raw = raw[: len(raw) // 3]
    elif damage == "flip":  # the data module's column count: the table no longer parses
        raw[raw.find(b"VMP data") + 60] ^= 0xFF
    else:  # a text file named .mpr
        raw = bytearray(b"this is not a cycler file\n1,2\n")
    bad = tmp_path / "bad.mpr"
    bad.write_bytes(bytes(raw))
    report = tmp_path / "r.html"
    proc = subprocess.run([sys.executable, "-c", "import sys; from interlayer.cli import main; sys.exit(main(sys.argv[1:]))",
                           "analyze", str(bad), "--report", str(report), "--json"], capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == "" and len(proc.stderr.strip().splitlines()) == 1
    assert proc.stderr.startswith("error: ")
    assert not report.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["bad.mpr"]
