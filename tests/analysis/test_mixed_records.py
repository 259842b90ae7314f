"""Records that mix techniques: cycling with impedance in between (issue 15).

Real files: BioLogic Modulo Bat programs from yadg's test data (tests/data/biologic, GPL-3.0, see
tests/data/README.md). Synthetic: :func:`interlayer.analysis.synthetic.mixed_record` with planted
shorts and runaways.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from interlayer.analysis import analyze
from interlayer.analysis.spectra import fit_spectra
from interlayer.analysis.synthetic import mixed_record
from interlayer.cli import main
from interlayer.io import read
from interlayer.io._techniques import TECHNIQUES

DATA = Path(__file__).resolve().parents[1] / "data" / "biologic"


@pytest.fixture
def biologic():
    if not DATA.is_dir():
        pytest.skip("tests/data/biologic is not present")
    return DATA


def _json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


# --- real records -------------------------------------------------------------------------------


def test_modulo_bat_with_peis_loops_is_segmented(biologic):
    """rest, PEIS, rest, CC, CC, rest, PEIS, loop: every segment classified, 4 cycles, 8 spectra."""
    rec = read(biologic / "mb.mpr")
    seg = rec.segments()
    assert set(seg["technique"]) == {"rest", "PEIS", "CC"}
    assert seg["technique"].isin(TECHNIQUES).all()
    assert seg["rows"].sum() == 1588  # every row of the file is in one segment
    cc = seg[seg["technique"] == "CC"]
    assert len(cc) == 8
    # cycle count = CC loops: half-cycles are the CC segments, never the impedance steps
    assert rec.data["cycle"].max() == len(cc) // 2 == 4
    imp = rec.spectra
    assert imp.data["spectrum"].nunique() == 8
    assert (imp.data.groupby("spectrum").size() == 70).all()
    assert rec.area == pytest.approx(0.5e-4)  # 0.5 cm2 from the .mpr settings module
    # no spectrum row in the cycling table and no cycling row in the spectra
    assert not rec.data["technique"].isin(["PEIS", "GEIS", "EIS"]).any()


def test_modulo_bat_analysis_has_no_false_spike_or_failure(biologic):
    res = analyze(read(biologic / "mb.mpr"))
    hc = res.half_cycle_table
    assert len(hc) == 8
    # the voltage does not rise above its own noise at any current switch: no spike anywhere
    assert not hc["spike_detected"].any()
    assert res.shorts == [] and res.failures == []
    assert res.settings["cell"] == "symmetric"
    assert len(res.spectra) == 8 and list(res.spectra["cycle"]) == [0, 1, 1, 2, 2, 3, 3, 4]


def test_modulo_bat_every_spectrum_fitted_separately(biologic):
    rec = read(biologic / "mb.mpr")
    res = fit_spectra(rec.spectra, "R0-p(R1,CPE1)", cycling=rec)
    t = res.table
    assert len(t) == len(res.fits) == 8
    assert t["time"].is_monotonic_increasing and t["error"].eq("").all()
    # separate fits: each has its own parameters and its own 70 (or fewer, inductive dropped) points
    assert len({round(v, 6) for v in t["R1"]}) == 8
    assert all(f.frequency.size <= 70 for f in res.fits)


def test_geis_on_dc_current_spectra(biologic):
    rec = read(biologic / "mb.issue_149.mpr")
    imp = rec.spectra
    assert imp.data["spectrum"].nunique() == 16
    assert set(imp.data["technique"]) == {"GEIS"}
    dc = imp.data.groupby("spectrum")["dc_current"].median()
    assert np.allclose(dc, 1e-4, rtol=0.15)  # the 0.1 mA DC current under each sweep


@pytest.mark.slow  # 14 s of 40 fits; test_analyze_command_on_mixed_file stays fast
def test_eis_command_on_mixed_and_multi_spectrum_files(capsys, biologic, tmp_path):
    out = _json(capsys, ["eis", str(biologic / "vsp_peis_with.mpr"), "--json", "--plot", str(tmp_path / "r.png")])
    assert out["spectra_count"] == 32 and len(out["spectra"]) == 32
    assert all("parameters" in s for s in out["spectra"])
    assert (tmp_path / "r.png").read_bytes()[:4] == b"\x89PNG"
    out = _json(capsys, ["eis", str(biologic / "mb.mpr"), "--json"])
    assert out["spectra_count"] == 8
    assert [s["cycle"] for s in out["spectra"]] == [0, 1, 1, 2, 2, 3, 3, 4]


def test_analyze_command_on_mixed_file(capsys, biologic, tmp_path):
    report = tmp_path / "r.html"
    out = _json(capsys, ["analyze", str(biologic / "mb.mpr"), "--json", "--report", str(report)])
    assert out["area_cm2"] == pytest.approx(0.5)
    assert len(out["cycles"]) == 4 and len(out["spectra"]) == 8
    assert {s["technique"] for s in out["segments"]} == {"rest", "PEIS", "CC"}
    assert "Impedance spectra" in report.read_text()


# --- synthetic mixed records --------------------------------------------------------------------


@pytest.mark.parametrize("cycle", [2.3, 3.6, 4.1])
def test_planted_short_found_and_confirmed_by_spectra(cycle):
    block = 2 * (3600 + 600)  # one cycle: two half-cycles with their rests
    rec = mixed_record(n_cycles=6, short_time=cycle * block, seed=int(cycle * 10))
    planted = rec.metadata["planted"]
    res = analyze(rec)
    assert len(res.shorts) >= 1
    ev = res.shorts[0]
    assert abs(ev.row - planted["short_row"]) <= 1
    assert ev.confirmed_by_impedance is True
    assert ev.impedance_after < 0.1 * ev.impedance_before
    assert res.failures == []
    fits = fit_spectra(rec.spectra, "R0-p(R1,C1)", cycling=rec)
    r = fits.table["r_total"].to_numpy()
    after = fits.table["time"].to_numpy() > planted["short_time"]
    assert np.all(r[after] < 0.05 * np.median(r[~after]))
    assert np.allclose(r[~after], planted["r_total"][0], rtol=0.05)


def test_short_contradicted_when_spectra_do_not_collapse():
    """A collapse of the voltage with an impedance that stays: the spectra contradict the short."""
    rec = mixed_record(n_cycles=5, short_time=2.5 * 8400, seed=3)
    imp = rec.spectra
    planted = rec.metadata["planted"]
    # undo the collapse in the spectra (a voltage artefact, not a filament)
    d = imp.data
    late = d["time"] > planted["short_time"]
    d.loc[late, ["z_real", "z_imag"]] /= 0.02
    res = analyze(rec)
    assert res.shorts and res.shorts[0].confirmed_by_impedance is False


def test_planted_runaway_is_named_never_a_short(capsys, tmp_path):
    rec = mixed_record(n_cycles=8, runaway_time=3.1 * 8400, seed=11)
    planted = rec.metadata["planted"]
    res = analyze(rec)
    assert res.shorts == []
    kinds = [f.kind for f in res.failures]
    assert kinds[0] == "runaway"
    first = res.failures[0]
    assert planted["runaway_time"] <= first.time <= planted["limit_time"]
    assert first.direction == "stripping"
    out = res.to_dict()
    assert out["failed"] and out["stable_up_to_mA_cm2"] is None and out["ccd_protocol"]["lower_bound_mA_cm2"] is None


def test_runaway_cli_never_prints_stable_up_to(capsys, tmp_path):
    rec = mixed_record(n_cycles=6, runaway_time=2.2 * 8400, seed=4)
    d = rec.data
    path = tmp_path / "runaway.csv"
    with open(path, "w") as fh:
        fh.write("time/s,Ewe/V,I/mA\n")
        np.savetxt(fh, np.c_[d["time"], d["voltage"], d["current"] * 1e3], delimiter=",", fmt="%.6f")
    assert main(["analyze", str(path), "--area", "0.503cm2"]) == 0
    err = capsys.readouterr().err
    assert "runaway at t =" in err
    assert "stable up to" not in err and "short at" not in err and "no short circuit detected" in err


def test_growing_overpotential_named():
    rec = mixed_record(n_cycles=8, seed=5)
    d = rec.data.copy()
    d["voltage"] *= 1.0 + 0.15 * d["cycle"].to_numpy()  # +15% per cycle: a degrading interface
    rec.data = d
    res = analyze(rec)
    assert res.shorts == []
    assert {f.kind for f in res.failures} == {"growing_overpotential"}


def _clean_batch(n, seed0):
    false = []
    for k in range(n):
        rng = np.random.default_rng(seed0 + k)
        rec = mixed_record(n_cycles=int(rng.integers(2, 6)), current_density=float(rng.uniform(0.5, 40)),
                           half_cycle_time=float(rng.choice([600.0, 1800.0, 3600.0])), dt=float(rng.choice([5.0, 10.0, 30.0])),
                           asr=float(rng.uniform(0.005, 0.5)), rest_time=float(rng.choice([120.0, 600.0])),
                           noise=float(rng.uniform(1e-4, 1e-3)), seed=seed0 + k)
        res = analyze(rec)
        if res.shorts or res.failures:
            false.append((seed0 + k, res.shorts, res.failures))
    return false


def test_no_false_failure_on_100_clean_mixed_records():
    assert _clean_batch(100, 1000) == []


@pytest.mark.slow
def test_no_false_failure_on_1000_clean_mixed_records():
    assert _clean_batch(1000, 50_000) == []


# --- a mixed EC-Lab text export written here ------------------------------------------------------


def _write_mpt(path, rec, with_time_gap=False):
    """Write a mixed record in EC-Lab's .mpt layout (mode, Ns, freq, Z columns), rows in time order."""
    d = rec.data
    imp = rec.spectra.data
    mode = np.where(d["technique"].astype(str) == "CC", 1, 3)
    ns = np.where(mode == 1, np.where(d["current"] > 0, 3, 4), 2)
    rows = [np.c_[mode, ns, d["time"], d["voltage"], d["current"] * 1e3, np.zeros(len(d)), np.zeros(len(d)),
                  np.zeros(len(d))]]
    rows.append(np.c_[np.full(len(imp), 3), np.full(len(imp), 1), imp["time"], imp["dc_voltage"],
                      imp["dc_current"] * 1e3, imp["frequency"], imp["z_real"], -imp["z_imag"]])
    table = np.concatenate(rows)
    table = table[np.argsort(table[:, 2], kind="stable")]
    header = ["mode", "Ns", "time/s", "Ewe/V", "I/mA", "freq/Hz", "Re(Z)/Ohm", "-Im(Z)/Ohm"]
    lines = ["EC-Lab ASCII FILE", "Nb header lines : 4", "", "\t".join(header)]
    lines += ["\t".join(f"{x:.9g}" for x in row) for row in table]
    path.write_text("\n".join(lines) + "\n")


def test_mixed_mpt_text_export(tmp_path, capsys):
    rec = mixed_record(n_cycles=4, short_time=2.6 * 8400, seed=8)
    path = tmp_path / "mixed.mpt"
    _write_mpt(path, rec)
    back = read(path)
    assert back.kind == "cycling" and back.spectra is not None
    assert back.spectra.data["spectrum"].nunique() == rec.spectra.data["spectrum"].nunique()
    assert back.data["cycle"].max() == 4
    res = analyze(back, area=0.503e-4)
    assert res.shorts and res.shorts[0].confirmed_by_impedance is True
    # both commands accept the mixed file
    out = _json(capsys, ["analyze", str(path), "--area", "0.503cm2", "--json"])
    assert out["shorts"][0]["confirmed_by_impedance"] is True
    out = _json(capsys, ["eis", str(path), "--circuit", "R0-p(R1,C1)", "--json"])
    assert out["spectra_count"] == rec.spectra.data["spectrum"].nunique()


def test_geis_on_dc_runaway_is_seen_by_analyze_and_each_spectrum_fitted(tmp_path, capsys):
    """issue 15: GEIS on a DC current whose DC voltage climbs 0.05 -> 2.25 V (a stripping failure).
    analyze reads it through the DC trace and names the runaway; eis fits 62 spectra, not one."""
    from interlayer.analysis.synthetic import impedance_spectrum

    f = np.logspace(4, 0, 13)
    lines = ["EC-Lab ASCII FILE", "Nb header lines : 4", "",
             "\t".join(["mode", "Ns", "time/s", "<Ewe>/V", "<I>/mA", "freq/Hz", "Re(Z)/Ohm", "-Im(Z)/Ohm"])]
    rng = np.random.default_rng(0)
    for k in range(62):
        v = 0.05 + 2.2 * (k / 61) ** 3
        z = impedance_spectrum(f, 20.0, 100 + 2000 * (k / 61) ** 3, 1e-6)
        for j in range(13):
            lines.append("\t".join(f"{x:.9g}" for x in (1, 0, 600 * k + 2.0 * j, v + rng.normal(0, 1e-4), 0.1,
                                                         f[j], z.real[j], -z.imag[j])))
    path = tmp_path / "geis_dc.mpt"
    path.write_text("\n".join(lines) + "\n")
    rec = read(path)
    assert rec.kind == "impedance" and rec.data["spectrum"].nunique() == 62
    assert set(rec.data["technique"]) == {"GEIS"}
    out = _json(capsys, ["analyze", str(path), "--area", "0.5cm2", "--json"])
    assert out["shorts"] == [] and out["failures"][0]["kind"] == "runaway"
    assert out["failures"][0]["u_after"] == pytest.approx(2.25, abs=0.01)
    assert out["stable_up_to_mA_cm2"] is None
    out = _json(capsys, ["eis", str(path), "--circuit", "R0-p(R1,C1)", "--json"])
    assert out["spectra_count"] == 62
    r1 = [s["parameters"]["R1"]["value"] for s in out["spectra"]]
    assert r1[-1] > 10 * r1[0]  # the interface resistance grows with the DC voltage


def test_shared_modulo_bat_file_is_one_cv_step(shared_data):
    """../shared/data/cycling/00_test_04_MB_C01.mpr holds 1501 rows over 1.5 s of one potentiostatic
    step (Ns 0, control -1.65 V), no impedance: one CV segment, no spectra."""
    rec = read(shared_data / "cycling/00_test_04_MB_C01.mpr")
    seg = rec.segments()
    assert list(seg["technique"]) == ["CV"] and rec.spectra is None
