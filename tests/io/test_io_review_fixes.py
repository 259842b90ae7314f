"""Reader fixes from the user review: Land clock times, European CSV, one-line binary errors."""

import numpy as np
import pandas as pd
import pytest

from interlayer.cli import main
from interlayer.errors import InputError
from interlayer.io import read


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


def test_decimal_comma_in_comma_separated_file_is_explained(tmp_path):
    path = tmp_path / "commas.csv"
    path.write_text('Time (s),Ewe/V,I/mA\n0,"0,08","1,5"\n1,"0,08","1,5"\n')
    with pytest.raises(InputError, match=r"line 2, column 'Ewe/V': .*decimal comma in a comma-separated file"):
        read(path)
