"""Detectors on synthetic traces with planted answers (interlayer.analysis.synthetic)."""

import numpy as np
import pytest

from interlayer.analysis import analyze
from interlayer.analysis.synthetic import plateau_polarisation, symmetric_trace

AREA = 0.503e-4  # 8 mm disc, m^2


def _plating(result):
    hc = result.half_cycles.to_dataframe()
    return hc[hc["current"] < 0], hc[hc["current"] > 0]


@pytest.mark.parametrize("dt", [1.0, 10.0])
def test_spikes_recovered_within_5_percent(dt):
    planted = np.linspace(0.03, 0.08, 12)
    rec = symmetric_trace(n_cycles=12, spike=planted, dt=dt, half_cycle_time=1800, rest_time=120, seed=11)
    plating, stripping = _plating(analyze(rec, area=AREA))
    # 5% is the requirement; the noise (0.2 mV white + 0.4 mV correlated) is <= 2% of 30 mV
    np.testing.assert_allclose(plating["spike_V"].to_numpy(), planted, rtol=0.05)
    assert plating["spike_detected"].all()
    assert not stripping["spike_detected"].any()  # nothing planted there


def test_spike_excludes_ohmic_step():
    """The same spike on cells of very different ohmic resistance gives the same V_sp."""
    values = []
    for asr in (0.05, 0.2, 1.0):
        rec = symmetric_trace(n_cycles=4, spike=0.05, asr=asr, noise=0, ec_noise=0, resolution=0, seed=1)
        plating, _ = _plating(analyze(rec, area=AREA))
        values.append(plating["spike_V"].to_numpy())
    # noiseless: only the sampled peak (dt vs the spike's rise) limits the match, 0.5%
    np.testing.assert_allclose(values[0], values[1], rtol=5e-3)
    np.testing.assert_allclose(values[2], values[1], rtol=5e-3)
    np.testing.assert_allclose(values[1], 0.05, rtol=5e-3)


def test_overpotential_plateau_and_end():
    j = np.array([0.5, 1.0, 2.0, 4.0])
    rec = symmetric_trace(n_cycles=4, current_density=j, spike=0.04, seed=2)
    result = analyze(rec, area=AREA)
    hc = result.half_cycles.to_dataframe()
    expected = np.repeat(plateau_polarisation(j), 2)
    # medians of ~300 samples with 0.6 mV total noise: within 1 mV
    np.testing.assert_allclose(hc["plateau_V"].to_numpy(), expected, atol=1e-3)
    np.testing.assert_allclose(hc["end_V"].to_numpy(), expected, atol=4e-3)  # one sample: 5 sigma
    cyc = result.to_dict()["cycles"]
    np.testing.assert_allclose([c["current_density_mA_cm2"] for c in cyc], j * 0.1, rtol=1e-9)


@pytest.mark.parametrize(
    "residual,kind,where",
    [(0.02, "hard", 0.37), (0.3, "soft", 0.62), (0.02, "hard", 0.996), (0.3, "soft", 0.05)],
)
def test_short_found_at_planted_sample(residual, kind, where):
    """Hard and soft shorts, mid half-cycle, at its very end, and inside the spike window."""
    hct, dt = 1800.0, 5.0
    start_of_hc7 = 6 * (hct + 300.0)  # half-cycle 7 (rests of 300 s after each half-cycle)
    rec = symmetric_trace(n_cycles=6, spike=0.04, half_cycle_time=hct, dt=dt, rest_time=300,
                          gaps=[(1000.0, 500.0)], short_time=start_of_hc7 + where * hct,
                          short_residual=residual, seed=7)
    result = analyze(rec, area=AREA)
    assert len(result.shorts) >= 1
    ev = result.shorts[0]
    planted = rec.metadata["planted"]["short_row"]
    assert abs(ev.row - planted) <= 1
    assert ev.kind == kind
    assert ev.half_cycle == 7 and ev.cycle == 4
    t = rec.data["time"].to_numpy()
    assert abs(ev.time - t[planted]) <= dt * 1.05  # +- one sample
    assert ev.noise_ratio < 1  # the electrochemical noise collapses with the polarisation


def test_soft_short_escalates_to_hard():
    rec = symmetric_trace(n_cycles=6, spike=0.0, short_time=4.5 * 3600, short_residual=0.3, seed=3)
    data = rec.data.copy()
    later = data["time"] > 8.2 * 3600  # the filament thickens: polarisation falls to 1%
    data.loc[later & ~data["rest"], "voltage"] *= 0.02 / 0.3
    rec.data = data
    kinds = [ev.kind for ev in analyze(rec, area=AREA).shorts]
    assert kinds == ["soft", "hard"]


def test_no_false_short_on_1000_clean_noisy_cycles():
    """1000 cycles with realistic noise, rests, sampling jitter and gaps: no short, no spike."""
    gaps = [(t0, 900.0) for t0 in np.arange(5e4, 3.6e6, 2.1e5)]
    rec = symmetric_trace(n_cycles=1000, half_cycle_time=1800.0, dt=10.0, rest_time=60.0, gaps=gaps,
                          noise=5e-4, ec_noise=0.005, seed=2024)
    result = analyze(rec, area=AREA)
    assert result.shorts == []
    # spikes: none planted; the significance tests allow a rare look-alike (< 0.5% of half-cycles)
    assert int(result.half_cycles["spike_detected"].sum()) <= 10


def test_no_false_short_with_falling_overpotential_and_current_steps():
    """Overpotential falling 10% per cycle (Li growing into the layer) and a 40x CCD ramp."""
    j = np.geomspace(1.0, 40.0, 20)
    rec = symmetric_trace(n_cycles=20, current_density=j, asr=0.02, j0=2.0, seed=5)
    data = rec.data.copy()
    fall = 0.9 ** (data["cycle"].to_numpy() - 1)
    data["voltage"] *= fall
    rec.data = data
    result = analyze(rec, area=AREA)
    assert result.shorts == []
    assert result.ccd.ccd is None and result.ccd.step_increase
    assert result.ccd.lower_bound == pytest.approx(40.0, rel=1e-6)


def test_ccd_from_step_protocol():
    j = np.repeat([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2)  # 0.1 ... 0.6 mA/cm2, two cycles each
    t_short = (2 * 9 + 0.4) * 3600  # during cycle 10 = first cycle at 0.5 mA/cm2
    rec = symmetric_trace(n_cycles=12, current_density=j, short_time=t_short, seed=9)
    result = analyze(rec, area=AREA)
    d = result.to_dict()
    assert d["ccd_mA_cm2"] == pytest.approx(0.5, rel=1e-6)
    assert d["ccd_protocol"]["last_stable_mA_cm2"] == pytest.approx(0.4, rel=1e-6)
    assert d["ccd_protocol"]["step_increase"] is True
    levels = d["ccd_protocol"]["levels"]
    assert [round(lv["current_density_mA_cm2"], 6) for lv in levels] == [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]  # the record goes on after the short
    # fixed half-cycle time 1 h: capacity per half-cycle = j * 1 h
    assert levels[0]["capacity_mAh_cm2"] == pytest.approx(0.1, rel=0.01)
    assert d["shorts"][0]["cycle"] == 10


def test_capacity_and_ce_of_symmetric_trace():
    rec = symmetric_trace(n_cycles=5, seed=4)
    cap = analyze(rec, area=AREA).capacity.to_dataframe()
    # equal currents and times both ways: CE = 1 up to one sample's charge at the jittered ends
    np.testing.assert_allclose(cap["coulombic_efficiency"], 1.0, atol=0.01)
    np.testing.assert_allclose(cap["capacity_first"], 1.0 * AREA * 3600, rtol=0.01)


def test_short_found_when_test_runs_on_long_after_it():
    """Cyclers often keep cycling a shorted cell: most half-cycles then sit near 0 V."""
    rec = symmetric_trace(n_cycles=60, half_cycle_time=1800.0, short_time=3.3 * 3600, short_residual=0.0, seed=8)
    result = analyze(rec, area=AREA)
    assert result.settings["cell"] == "symmetric"
    assert abs(result.shorts[0].row - rec.metadata["planted"]["short_row"]) <= 1


def test_full_cell_is_not_short_checked():
    """A full cell's voltage (3.5 V, positive both ways) is not a polarisation: no shorts, no CCD."""
    rec = symmetric_trace(n_cycles=5, seed=1)
    data = rec.data.copy()
    data["voltage"] = 3.7 + 0.2 * np.sign(data["current"])  # 3.9 V on charge, 3.5 V on discharge
    rec.data = data
    result = analyze(rec, area=AREA)
    assert result.shorts == [] and result.ccd.ccd is None and result.ccd.lower_bound is None
    assert result.settings["short_detection"].startswith("skipped")


def test_swapped_voltage_leads_are_recognised():
    rec = symmetric_trace(n_cycles=6, spike=0.05, short_time=8.4 * 3600, seed=12)
    data = rec.data.copy()
    data["voltage"] *= -1
    rec.data = data
    result = analyze(rec, area=AREA)
    assert result.settings["voltage_inverted"] is True
    assert abs(result.shorts[0].row - rec.metadata["planted"]["short_row"]) <= 1
    plating, _ = _plating(result)
    assert plating["spike_V"].iloc[0] == pytest.approx(0.05, rel=0.05)


def test_flickering_soft_short():
    """After the short the polarisation jumps randomly between 10% and 60% of its old value."""
    rec = symmetric_trace(n_cycles=10, half_cycle_time=3600, dt=10, seed=15, short_time=11.37 * 3600)
    data = rec.data.copy()
    planted = rec.metadata["planted"]["short_row"]
    after = (np.arange(len(data)) >= planted) & ~data["rest"].to_numpy()
    level = plateau_polarisation(1.0) * np.random.default_rng(1).uniform(0.1, 0.6, after.sum())
    data.loc[after, "voltage"] = np.sign(data["current"].to_numpy()[after]) * level
    rec.data = data
    ev = analyze(rec, area=AREA).shorts[0]
    # +-1 sample; a flicker above half the old value can delay the start by one sample
    assert abs(ev.row - planted) <= 1 and ev.kind == "soft"


def test_record_ending_inside_a_reversal_transient_is_not_a_short():
    from interlayer.io import from_arrays

    rec = symmetric_trace(n_cycles=6, half_cycle_time=1800, dt=1, seed=16)
    d = rec.data
    cut = np.flatnonzero(d["half_cycle"].to_numpy() == 12)[2]
    d = d.iloc[:cut].copy()
    d.loc[d.index[-2:], "voltage"] *= 0.05  # the voltage is still swinging through zero
    assert analyze(from_arrays(d["time"], d["voltage"], d["current"]), area=AREA).shorts == []


def test_result_datasets_have_units_everywhere():
    result = analyze(symmetric_trace(n_cycles=3, spike=0.04, seed=1), area=AREA)
    for ds in (result.half_cycles, result.cycles, result.capacity):
        for name, var in ds.variables.items():
            assert "units" in var.attrs and "long_name" in var.attrs, name
    assert result.cycles["spike_V"].attrs["long_name"].startswith("largest detected")
    assert result.half_cycles["current_density"].attrs["units"] == "A/m^2"


def test_first_half_cycle_contact_formation_is_not_a_short():
    """The first plating starts at 3x the plateau and relaxes over a third of the half-cycle."""
    rec = symmetric_trace(n_cycles=5, seed=21)
    data = rec.data.copy()
    first = (data["half_cycle"] == 1).to_numpy() & ~data["rest"].to_numpy()
    t = data["time"].to_numpy()[first]
    data.loc[first, "voltage"] *= 1 + 2 * np.exp(-(t - t[0]) / 400.0)
    rec.data = data
    assert analyze(rec, area=AREA).shorts == []


def test_asymmetric_plating_and_stripping_polarisation():
    """Stripping polarises 3x less than plating (interlayer on one side): not a short."""
    rec = symmetric_trace(n_cycles=20, seed=22)
    data = rec.data.copy()
    data.loc[data["current"] > 0, "voltage"] /= 3
    rec.data = data
    assert analyze(rec, area=AREA).shorts == []
