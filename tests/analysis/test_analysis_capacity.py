"""Per-cycle capacity, coulombic efficiency and retention; incomplete (cut) last cycles; capacity in
``interlayer analyze`` output (--json, text, report)."""

import json

import numpy as np
import pytest

from interlayer.analysis import analyze
from interlayer.cli import main
from interlayer.io import from_arrays

AREA = 1e-4  # m^2 (1 cm2)
CURRENT = 1e-3  # A
DT = 10.0  # s


def _full_cell(halves):
    """A full-cell-like record: charge (+I, voltage rising) then discharge (-I, falling) per cycle.

    ``halves``: durations [s] of the successive half-cycles; a short last one is a cut record.
    """
    t, v, i, t0 = [], [], [], 0.0
    for k, duration in enumerate(halves):
        tt = t0 + np.arange(0.0, duration, DT)
        sign = 1.0 if k % 2 == 0 else -1.0
        frac = (tt - t0) / 3600.0
        t.append(tt)
        v.append(3.6 + 0.5 * frac if sign > 0 else 4.1 - 0.5 * frac)  # an OCV that follows the charge
        i.append(np.full(tt.size, sign * CURRENT))
        t0 = tt[-1] + DT
    return from_arrays(np.concatenate(t), np.concatenate(v), np.concatenate(i), source="full.csv")


def test_cut_last_cycle_is_flagged_and_left_out():
    # CE 0.98 in each complete cycle (second half 2% shorter); cycle 3's discharge cut after 5 min
    rec = _full_cell([3600, 3528, 3600, 3528, 3600, 300])
    res = analyze(rec, area=AREA)
    cap = res.capacity_table
    assert cap["complete"].tolist() == [True, True, False]
    np.testing.assert_allclose(cap.loc[[1, 2], "coulombic_efficiency"], 0.98, rtol=0.01)  # one sample = 0.3%
    d = res.to_dict()
    rows = {r["cycle"]: r for r in d["capacity"]}
    assert rows[3]["complete"] is False and rows[3]["coulombic_efficiency"] is None and rows[3]["retention"] is None
    assert rows[1]["capacity_first_mAh"] == pytest.approx(1.0, rel=0.01)  # 1 mA x 1 h
    summary = d["capacity_summary"]
    assert summary["complete_cycles"] == 2 and summary["incomplete_cycles"] == [3]
    assert summary["last_complete_cycle"] == 2
    assert summary["retention"] == pytest.approx(1.0, abs=0.01)  # cycle 2 returns what cycle 1 did
    assert summary["mean_coulombic_efficiency"] == pytest.approx(0.98, rel=0.01)


def test_record_ending_after_a_first_half_flags_that_cycle():
    res = analyze(_full_cell([3600, 3528, 3600]), area=AREA)
    cap = res.capacity_table
    assert cap["complete"].tolist() == [True, False]
    assert cap.loc[2, "capacity_second"] == 0.0


def test_finished_last_cycle_counts_as_complete():
    from interlayer.analysis.capacity import INCOMPLETE_FRACTION

    # the last discharge lasts just above the threshold: finished, not cut
    last = 3600 * INCOMPLETE_FRACTION + 60
    cap = analyze(_full_cell([3600, 3528, 3600, last]), area=AREA).capacity_table
    assert cap["complete"].tolist() == [True, True]


def test_arbin_trailing_cycle_is_incomplete(shared_data):
    from interlayer.io import read

    path = shared_data / "cycling/bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx"
    d = analyze(read(path), area=AREA).to_dict()
    assert [r["complete"] for r in d["capacity"]] == [True, False]  # cycle 2's delithiation: 6 min of 113 h
    assert d["capacity_summary"]["first_coulombic_efficiency"] == pytest.approx(5.698108 / 5.798033, rel=2e-3)


def _csv(rec, path):
    d = rec.data
    path.write_text("time/s,Ewe/V,I/mA\n" + "\n".join(
        f"{t:.3f},{v:.6f},{i * 1e3:.6g}" for t, v, i in zip(d["time"], d["voltage"], d["current"], strict=True)))
    return path


def test_cli_json_and_text_carry_capacity(capsys, tmp_path):
    path = _csv(_full_cell([3600, 3528, 3600, 3528, 3600, 300]), tmp_path / "full.csv")
    assert main(["analyze", str(path), "--area", "1cm2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"cycle", "capacity_first_mAh", "capacity_second_mAh", "coulombic_efficiency", "retention",
            "complete"} <= out["capacity"][0].keys()
    assert out["capacity_summary"]["incomplete_cycles"] == [3]
    assert "--cell symmetric" in out["settings"]["short_detection"]
    report = tmp_path / "r.html"
    assert main(["analyze", str(path), "--area", "1cm2", "--report", str(report)]) == 0
    err = capsys.readouterr().err
    assert "2 complete cycle(s)" in err and "cycle 3 incomplete" in err
    assert "--cell symmetric" in err and "cell='symmetric'" not in err
    assert "<h2>Capacity</h2>" in report.read_text() and "cycle 3 incomplete" in report.read_text()
