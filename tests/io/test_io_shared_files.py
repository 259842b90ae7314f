"""Every real instrument file in ../shared/data reads into the canonical table."""

from pathlib import Path

import numpy as np
import pytest

from interlayer.io import PartialDataWarning, read, sniff

CYCLING = [
    "cycling/00_test_04_MB_C01.mpr",
    "cycling/yadg_gcpl_Li_Li2B12H12_Li.mpr",
    "cycling/bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx",
    "cycling/test.nda",
    "cycling/test.ndax",
]
IMPEDANCE = [
    "eis/Circuit1_EIS_1.z",
    "eis/Circuit2_EIS_1.z",
    "eis/Circuit3_EIS_1.z",
    "eis/exampleDataZPlot.z",
    "eis/exampleDataGamry.DTA",
    "eis/exampleDataBioLogic.mpt",
    "eis/exampleData.csv",
]


def test_list_covers_every_shared_file(shared_data):
    present = {str(p.relative_to(shared_data)) for p in shared_data.rglob("*") if p.is_file() and p.suffix != ".md"}
    assert present == set(CYCLING) | set(IMPEDANCE) | {"eis/exampleDataGamryABORT.DTA"}


@pytest.mark.parametrize("name", CYCLING)
def test_cycling_files_read(shared_data, name):
    rec = read(shared_data / name)
    d = rec.data
    assert rec.kind == "cycling"
    assert list(d.columns) == ["time", "voltage", "current", "charge", "step", "half_cycle", "cycle", "rest",
                               "technique", "segment"]
    assert len(d) > 100
    assert np.all(np.isfinite(d[["time", "voltage", "current", "charge"]].to_numpy()))
    # time never runs backwards inside a record
    assert np.all(np.diff(d["time"].to_numpy()) >= 0)
    # the half-cycle index changes exactly where the sign of the flowing current changes
    flowing = d[~d["rest"]]
    sign_change = np.sign(flowing["current"].to_numpy())
    hc = flowing["half_cycle"].to_numpy()
    assert np.array_equal(np.diff(hc) != 0, np.diff(sign_change) != 0)


@pytest.mark.parametrize("name", IMPEDANCE)
def test_impedance_files_read(shared_data, name):
    if name.endswith("exampleDataZPlot.z"):
        # its header programs the sweep down to 1 Hz, the data stop at 3000 Hz: flagged partial
        with pytest.warns(PartialDataWarning, match="stops at 3000 Hz"):
            rec = read(shared_data / name)
        assert rec.partial
    else:
        rec = read(shared_data / name)
        assert not rec.partial
    d = rec.data
    assert rec.kind == "impedance"
    assert len(d) >= 20
    assert np.all(d["frequency"] > 0)
    # every spectrum here has capacitive points (Im Z < 0) somewhere: the sign is not flipped
    assert (d["z_imag"] < 0).sum() > len(d) // 2


def test_sniffing_ignores_extension(shared_data, tmp_path):
    for name, fmt in [("cycling/test.ndax", "neware-nda"), ("eis/exampleDataGamry.DTA", "gamry-dta"),
                      ("cycling/yadg_gcpl_Li_Li2B12H12_Li.mpr", "biologic-mpr")]:
        renamed = tmp_path / (Path(name).stem + ".dat")
        renamed.write_bytes((shared_data / name).read_bytes())
        assert sniff(renamed) == fmt
        assert len(read(renamed)) == len(read(shared_data / name))


def test_arbin_matches_navani(shared_data):
    """navani's own test pins 4526 rows and these per-cycle means (README of ../shared/data)."""
    rec = read(shared_data / "cycling/bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx")
    d = rec.data
    assert len(d) == 4526
    by_cycle = d.groupby("cycle")
    # navani's numbers are given to 4 (current) and 7 (voltage) significant digits
    assert by_cycle["current"].mean().mean() == pytest.approx(-1.827e-5, rel=5e-4)
    assert by_cycle["voltage"].max().mean() == pytest.approx(2.084951, abs=1e-6)
    assert by_cycle["voltage"].min().mean() == pytest.approx(0.912430, abs=1e-6)


def test_yadg_symmetric_cell(shared_data):
    rec = read(shared_data / "cycling/yadg_gcpl_Li_Li2B12H12_Li.mpr")
    d = rec.data
    assert len(d) == 12057
    # galvanostatic at +-11 uA (the set-point column; no measured current in this file)
    assert np.allclose(np.abs(d["current"]), 11e-6, rtol=1e-6)
    assert d["half_cycle"].max() == 32
    # symmetric Li|Li: voltage follows the current's sign once the reversal transient is over
    late = d.groupby("half_cycle").tail(300)
    assert np.all(np.sign(late["voltage"]) == np.sign(late["current"]))


def test_neware_sign_and_time(shared_data):
    import NewareNDA

    raw = NewareNDA.read(str(shared_data / "cycling/test.ndax"))
    rec = read(shared_data / "cycling/test.ndax")
    charge = raw["Status"].astype(str).str.contains("_Chg").to_numpy()
    assert np.all(rec.data["current"].to_numpy()[charge] >= 0)
    assert np.all(rec.data["current"].to_numpy()[raw["Status"].astype(str).str.contains("DChg").to_numpy()] <= 0)
    # test time spans the timestamps (1 s resolution, one sample period allowed at each step join)
    span = (raw["Timestamp"].iloc[-1] - raw["Timestamp"].iloc[0]).total_seconds()
    assert rec.data["time"].iloc[-1] == pytest.approx(span, abs=30 * (raw["Step"].nunique() + 1))


def test_metadata_from_headers(shared_data):
    mpt = read(shared_data / "eis/exampleDataBioLogic.mpt")
    # "Electrode surface area : 0.001 cm²" is EC-Lab's placeholder for an area nobody entered: not read
    assert mpt.area is None
    dta = read(shared_data / "eis/exampleDataGamry.DTA")
    assert dta.area == pytest.approx(1e-4)  # "AREA QUANT 1.00000E+000 &Area (cm^2)"


def test_gamry_abort_partial_read_warns(shared_data):
    with pytest.warns(PartialDataWarning, match="aborted"):
        rec = read(shared_data / "eis/exampleDataGamryABORT.DTA")
    assert rec.metadata["aborted"] is True
    assert len(rec) == 72  # the ZCURVE rows before EXPERIMENTABORTED
    assert np.all(rec.data["frequency"] > 0)


def test_mpr_setpoint_current_respects_mode_flags(shared_data):
    """Rows flagged as rest (mode 3) carry no current even if the control column is non-zero."""
    from galvani import BioLogic

    from interlayer.io.biologic import _from_columns

    with open(shared_data / "cycling/yadg_gcpl_Li_Li2B12H12_Li.mpr", "rb") as fh:
        data = BioLogic.MPRfile(fh).data
    cols = {name: np.array(data[name]) for name in data.dtype.names}
    flags = cols["flags"].astype(np.int64)
    flags[:100] = (flags[:100] & ~3) | 3  # mark the first 100 rows as rest
    cols["flags"] = flags.astype(cols["flags"].dtype)
    rec = _from_columns(cols, "x.mpr", "biologic-mpr", {})
    assert np.all(rec.data["current"].to_numpy()[:100] == 0)
    assert np.allclose(np.abs(rec.data["current"].to_numpy()[100:]), 11e-6, rtol=1e-6)
