"""Readers on files written here in the documented layouts (Land, generic CSV) and on broken files.

Land clock and duration times, European CSV (decimal commas) and one-line errors on truncated
binaries each have a section below.
"""

import numpy as np
import pandas as pd
import pytest

from interlayer.cli import main
from interlayer.errors import InputError
from interlayer.io import read, sniff


def _land_frame(n=600):
    """A Land CT2001A 'Record' table: 3 half-cycles of +-0.5 mA, 10 s sampling, Land's headers."""
    t = np.arange(n) * 10.0
    current = np.where((t // 2000) % 2 == 0, 0.5, -0.5)  # mA
    voltage = 0.05 * np.sign(current) + 1e-4 * np.sin(t / 300)
    return pd.DataFrame(
        {
            "Index": np.arange(1, n + 1),
            "TestTime/h": t / 3600.0,
            "StepTime/h": (t % 2000) / 3600.0,
            "Current/mA": current,
            "Capacity/mAh": np.abs(current) * (t % 2000) / 3600.0,
            "SpeCap/mAh/g": np.abs(current) * (t % 2000) / 3600.0 / 0.01,
            "Voltage/V": voltage,
            "Energy/mWh": 0.0,
            "Cycle": 1 + (t // 4000).astype(int),
            "Step": 1 + (t // 2000).astype(int),
        }
    )


def _check_land(rec, frame):
    assert rec.kind == "cycling"
    assert len(rec) == len(frame)
    # units from the headers: hours -> s, mA -> A
    assert np.allclose(rec.data["time"], frame["TestTime/h"] * 3600)
    assert np.allclose(rec.data["current"], frame["Current/mA"] * 1e-3)
    assert np.allclose(rec.data["voltage"], frame["Voltage/V"])
    assert rec.data["half_cycle"].max() == 3
    assert np.array_equal(rec.data["step"], frame["Step"])


def test_land_excel_record_sheets(tmp_path):
    frame = _land_frame()
    path = tmp_path / "land.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        frame.iloc[:400].to_excel(xl, sheet_name="Record", index=False)
        # long tests continue in Record1 without a header row in older exports
        frame.iloc[400:].to_excel(xl, sheet_name="Record1", index=False, header=False)
    assert sniff(path) == "excel"
    rec = read(path)
    assert rec.format == "land-xlsx"
    _check_land(rec, frame)


@pytest.mark.parametrize("sep,suffix", [(",", ".csv"), ("\t", ".txt"), (";", ".csv")])
def test_land_text_exports(tmp_path, sep, suffix):
    frame = _land_frame()
    path = tmp_path / f"land{suffix}"
    preamble = "LAND Battery Test System\nChannel 3\n\n"
    path.write_text(preamble + frame.to_csv(sep=sep, index=False))
    rec = read(path)
    assert rec.format == "land-text"
    _check_land(rec, frame)


def test_land_clock_time_excel(tmp_path):
    frame = _land_frame(50)
    secs = frame["TestTime/h"] * 3600
    frame = frame.drop(columns=["TestTime/h"])
    frame.insert(1, "TestTime", [f"{int(s // 3600):02d}:{int(s % 3600 // 60):02d}:{s % 60:06.3f}" for s in secs])
    path = tmp_path / "land_clock.xlsx"
    frame.to_excel(path, sheet_name="Record", index=False)
    rec = read(path)
    assert np.allclose(rec.data["time"], secs)


def test_generic_csv_with_mapping(tmp_path):
    t = np.arange(100) * 2.0
    df = pd.DataFrame({"t_min": t / 60, "E": 20 * np.where((t // 40) % 2 == 0, 1.0, -1.0), "I": 300 * np.where((t // 40) % 2 == 0, 1.0, -1.0)})
    path = tmp_path / "any.csv"
    df.to_csv(path, index=False)
    with pytest.raises(InputError, match="mapping"):
        read(path)  # the headers name no unit and no known quantity
    rec = read(path, mapping={"time": ("t_min", "min"), "voltage": ("E", "mV"), "current": ("I", "uA")})
    assert np.allclose(rec.data["time"], t)
    assert np.allclose(np.abs(rec.data["voltage"]), 0.020)
    assert np.allclose(np.abs(rec.data["current"]), 300e-6)
    with pytest.raises(InputError, match="allowed"):
        read(path, mapping={"temperature": "t_min"})


def test_truncated_text_names_line(tmp_path):
    frame = _land_frame(50)
    text = frame.to_csv(index=False)
    cut = text[: text.rfind("\n", 0, len(text) - 1) + 12]  # last row cut after a few characters
    path = tmp_path / "cut.csv"
    path.write_text(cut)
    with pytest.raises(InputError) as info:
        read(path)
    assert str(path) in str(info.value)
    assert "line 51" in str(info.value)  # header is line 1, so the 50th data row is line 51


def test_bad_cell_names_line_and_column(tmp_path):
    frame = _land_frame(30).astype(object)
    frame.loc[16, "Voltage/V"] = "0.0x5"
    path = tmp_path / "bad.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(InputError, match=r"line 18, column 'Voltage/V'"):
        read(path)


def test_truncated_binary_names_bytes(shared_data, tmp_path):
    raw = (shared_data / "cycling/yadg_gcpl_Li_Li2B12H12_Li.mpr").read_bytes()
    path = tmp_path / "cut.mpr"
    path.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(InputError) as info:
        read(path)
    assert str(path) in str(info.value) and f"{len(raw) // 2} bytes" in str(info.value)


def test_truncated_ndax_and_xlsx(shared_data, tmp_path):
    for name in ("cycling/test.ndax", "cycling/bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx", "cycling/test.nda"):
        raw = (shared_data / name).read_bytes()
        path = tmp_path / ("cut_" + name.split("/")[-1])
        path.write_bytes(raw[: len(raw) * 2 // 3])
        with pytest.raises(InputError, match=str(path.name)):
            read(path)


def test_empty_and_unknown_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        read(empty)
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00\x01\x02garbage" * 20)
    with pytest.raises(InputError, match="unknown format"):
        read(binary)
    with pytest.raises(InputError, match="cannot open"):
        read(tmp_path / "missing.mpr")


def test_arbin_res_is_explained(tmp_path):
    import shutil

    path = tmp_path / "cell.res"
    path.write_bytes(b"\x00\x01\x00\x00Standard Jet DB\x00" + b"\x00" * 200)
    assert sniff(path) == "arbin-res"
    if shutil.which("mdb-export") is None:
        with pytest.raises(InputError, match="mdbtools"):
            read(path)


def test_gamry_chronopotentiometry_curve(tmp_path):
    """A Gamry CURVE table (T, Vf, Im) reads as a cycling record (area from the header)."""
    rows = "".join(f"\t{k}\t{k * 1.0}\t{0.1 if k < 5 else -0.1}\t{1e-4 if k < 5 else -1e-4}\n" for k in range(10))
    text = ("EXPLAIN\nTAG\tCHRONOP\nAREA\tQUANT\t0.5\t&Area (cm^2)\nCURVE\tTABLE\n"
            "\tPt\tT\tVf\tIm\n\t#\ts\tV vs. Ref.\tA\n" + rows)
    path = tmp_path / "cp.DTA"
    path.write_text(text)
    rec = read(path)
    assert rec.kind == "cycling" and rec.area == pytest.approx(0.5e-4)
    assert rec.data["half_cycle"].max() == 2 and np.allclose(rec.data["time"], np.arange(10.0))


def test_mpt_cycling_with_decimal_comma(tmp_path):
    """EC-Lab exports from European Windows locales write decimal commas."""
    rows = "".join(f"{k},5\t{0.1 if k < 5 else -0.1:.3f}\t{1 if k < 5 else -1}\t{k // 5}\t\n".replace(".", ",")
                   for k in range(10))
    text = ("EC-Lab ASCII FILE\nNb header lines : 5\n\nElectrode surface area : 0,503 cm²\n"
            "time/s\tEwe/V\tI/mA\tNs\t\n" + rows)
    path = tmp_path / "gcpl.mpt"
    path.write_bytes(text.encode("latin-1"))
    rec = read(path)
    assert rec.format == "biologic-mpt" and rec.area == pytest.approx(0.503e-4)
    assert np.allclose(rec.data["time"], np.arange(10) + 0.5)
    assert np.allclose(rec.data["current"], np.where(np.arange(10) < 5, 1e-3, -1e-3))
    assert np.array_equal(rec.data["step"], np.arange(10) // 5)


def test_record_to_xarray_carries_units(shared_data):
    ds = read(shared_data / "cycling/test.ndax").to_xarray()
    assert ds["current"].attrs["units"] == "A" and ds["time"].attrs["units"] == "s"
    assert "anodic" in ds.attrs["sign_convention"]
    z = read(shared_data / "eis/Circuit1_EIS_1.z").to_xarray()
    assert z["frequency"].attrs["units"] == "Hz" and z["z_imag"].attrs["units"] == "ohm"


def test_mpt_setpoint_current_with_mode_column(tmp_path):
    """GCPL export without a measured current: set-point on galvanostatic rows, 0 at rest (mode 3)."""
    rows = "".join(f"{m}\t{k}.0\t{c}\t{v}\t\n" for k, (m, c, v) in enumerate(
        [(3, 0.5, 0.0), (3, 0.5, 0.0), (1, 0.5, 0.1), (1, 0.5, 0.1), (1, -0.5, -0.1), (1, -0.5, -0.1)]))
    text = "EC-Lab ASCII FILE\nNb header lines : 3\nmode\ttime/s\tcontrol/V/mA\tEwe/V\t\n" + rows
    path = tmp_path / "gcpl.mpt"
    path.write_text(text)
    rec = read(path)
    assert np.allclose(rec.data["current"], [0, 0, 5e-4, 5e-4, -5e-4, -5e-4])
    assert rec.data["half_cycle"].tolist() == [0, 0, 1, 1, 2, 2]


# -- Land clock and duration times ---------------------------------------------------------------------------


def _clock(seconds, days_style=None):
    """``hh:mm:ss`` as Land writes it; ``days_style="-"`` gives ``d-hh:mm:ss`` past 24 h."""
    out = []
    for s in seconds:
        d, rest = divmod(int(s), 86400)
        h, m, sec = rest // 3600, rest % 3600 // 60, rest % 60
        if days_style == "-" and d:
            out.append(f"{d}-{h:02d}:{m:02d}:{sec:02d}")
        else:
            out.append(f"{h + 24 * d:02d}:{m:02d}:{sec:02d}")
    return out


def _land_clock_frame(time_header="TestTime/h", n=60, dt=480.0, days_style=None):
    """A Land 'Record' table whose time column holds clock strings (00:00:00 ... 07:52:00)."""
    t = np.arange(n) * dt
    current = np.where((t // 7200) % 2 == 0, 0.5, -0.5)  # mA, half-cycles of 2 h
    frame = pd.DataFrame({"Index": np.arange(1, n + 1), time_header: _clock(t, days_style),
                          "Current/mA": current, "Voltage/V": 0.05 * np.sign(current)})
    return frame, t


def test_land_excel_clock_times_with_hour_header_are_not_scaled(tmp_path):
    # 'TestTime/h' + '07:52:00': the clock is already seconds; multiplying by 3600 again was the bug
    frame, t = _land_clock_frame()
    path = tmp_path / "land.xlsx"
    frame.to_excel(path, sheet_name="Record", index=False)
    rec = read(path)
    assert rec.format == "land-xlsx"
    np.testing.assert_array_equal(rec.data["time"], t)


@pytest.mark.parametrize("cell", ["timedelta", "time"])
def test_land_excel_duration_cells(tmp_path, cell):
    """Cells stored as Excel durations/times (not strings) are seconds too, not hours."""
    import datetime

    frame, t = _land_clock_frame()
    if cell == "timedelta":
        frame["TestTime/h"] = [datetime.timedelta(seconds=float(s)) for s in t]
    else:
        frame["TestTime/h"] = [datetime.time(int(s // 3600), int(s % 3600 // 60), int(s % 60)) for s in t]
    import openpyxl

    # openpyxl stores them with a duration/time number format, as Excel does (pandas' to_excel
    # would write bare day fractions)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Record"
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([v.item() if hasattr(v, "item") else v for v in row])
    path = tmp_path / f"land_{cell}.xlsx"
    book.save(path)
    np.testing.assert_array_equal(read(path).data["time"], t)


@pytest.mark.parametrize("header", ["TestTime/h", "TestTime"])
@pytest.mark.parametrize("sep,suffix", [(",", ".csv"), ("\t", ".txt")])
def test_land_text_clock_times(tmp_path, header, sep, suffix):
    frame, t = _land_clock_frame(header)
    path = tmp_path / f"land{suffix}"
    path.write_text(frame.to_csv(sep=sep, index=False))
    rec = read(path)
    assert rec.format == "land-text"
    np.testing.assert_array_equal(rec.data["time"], t)
    assert np.allclose(rec.data["current"], frame["Current/mA"] * 1e-3)


def test_land_text_clock_times_past_one_day(tmp_path):
    frame, t = _land_clock_frame(n=40, dt=3600.0, days_style="-")  # 0 .. 39 h: '1-15:00:00'
    assert frame["TestTime/h"].iloc[-1] == "1-15:00:00"
    path = tmp_path / "land_days.csv"
    path.write_text(frame.to_csv(index=False))
    np.testing.assert_array_equal(read(path).data["time"], t)


def test_bad_clock_cell_names_line(tmp_path):
    frame, _ = _land_clock_frame()
    frame.loc[7, "TestTime/h"] = "00:5x:00"
    path = tmp_path / "bad_clock.csv"
    path.write_text(frame.to_csv(index=False))
    with pytest.raises(InputError, match=r"line 9, column 'TestTime/h': cannot read '00:5x:00' as a clock time"):
        read(path)


# -- European CSV: decimal commas, semicolons ----------------------------------------------------------------


def _european(path, decimal=",", sep=";"):
    t = np.arange(40) * 1.5
    v = np.where(t < 30, 0.08, -0.08)
    i = np.where(t < 30, 1.25, -1.25)
    rows = [sep.join((f"{a:.1f}", f"{b:.2f}", f"{c:.2f}")).replace(".", decimal) for a, b, c in zip(t, v, i, strict=True)]
    path.write_text(sep.join(("Time (s)", "Ewe/V", "I/mA")) + "\n" + "\n".join(rows) + "\n")
    return t, v, i


@pytest.mark.parametrize("sep", [";", "\t"])
def test_european_csv_with_decimal_commas(tmp_path, sep):
    path = tmp_path / "eu.csv"
    t, v, i = _european(path, sep=sep)
    rec = read(path)
    np.testing.assert_allclose(rec.data["time"], t)
    np.testing.assert_allclose(rec.data["voltage"], v)
    np.testing.assert_allclose(rec.data["current"], i * 1e-3)
    assert rec.data["half_cycle"].max() == 2


def test_semicolon_csv_with_decimal_points_still_reads(tmp_path):
    path = tmp_path / "points.csv"
    t, v, _ = _european(path, decimal=".")

    rec = read(path)
    np.testing.assert_allclose(rec.data["time"], t)
    np.testing.assert_allclose(rec.data["voltage"], v)


def test_decimal_comma_in_comma_separated_file_is_explained(tmp_path):
    path = tmp_path / "commas.csv"
    path.write_text('Time (s),Ewe/V,I/mA\n0,"0,08","1,5"\n1,"0,08","1,5"\n')
    with pytest.raises(InputError, match=r"line 2, column 'Ewe/V': .*decimal comma in a comma-separated file"):
        read(path)


# -- truncated binaries: one-line errors ---------------------------------------------------------------------


def test_truncated_mpr_error_is_one_line(shared_data, tmp_path, capsys):
    raw = (shared_data / "cycling/yadg_gcpl_Li_Li2B12H12_Li.mpr").read_bytes()
    path = tmp_path / "cut20k.mpr"
    path.write_bytes(raw[:20_000])
    with pytest.raises(InputError) as info:
        read(path)
    message = str(info.value)
    assert "\n" not in message and "  " not in message
    assert str(path) in message and "20000 bytes" in message
    assert main(["analyze", str(path), "--area", "0.5cm2"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith(f"error: {path}:")
