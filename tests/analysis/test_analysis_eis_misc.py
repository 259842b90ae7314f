"""EIS fits on measured dummy-circuit spectra and their quality notes; conductivity, Archimedes density, l_n."""

import json

import numpy as np
import pytest

from interlayer.analysis.density import archimedes_density, relative_density
from interlayer.analysis.eis import conductivity, fit_circuit, initial_guess
from interlayer.analysis.spikes import fit_coefficient, nucleation_length
from interlayer.cli import main
from interlayer.errors import InputError
from interlayer.io import read


def _spectrum(path):
    d = read(path).data
    return d["frequency"].to_numpy(), d["z_real"].to_numpy() + 1j * d["z_imag"].to_numpy()


@pytest.mark.parametrize("n", [1, 2, 3])
def test_dummy_circuit_fits_converge(shared_data, n):
    f, z = _spectrum(shared_data / f"eis/Circuit{n}_EIS_1.z")
    fit = fit_circuit(f, z, "R0-p(R1,CPE1)")
    p = {k: v["value"] for k, v in fit.parameters.items()}
    # a one-arc dummy cell: the model reproduces the spectrum to 2% rms (measurement noise and the
    # high-frequency cable inductance are not in the model)
    assert fit.rms_relative < 0.02
    assert p["R0"] > 0 and p["R1"] > 0
    # an (almost) ideal capacitor in the dummy: CPE exponent close to 1
    assert 0.9 < p["CPE1_1"] <= 1.0
    # physical consistency: R0 is the high-frequency intercept, R0 + R1 the low-frequency limit
    hf = z.real[np.argmax(f)]
    lf = z.real[np.argmin(f)]
    assert p["R0"] == pytest.approx(hf, rel=0.05)
    assert p["R0"] + p["R1"] == pytest.approx(lf, rel=0.05)
    # the arc's apex sits at omega R1 Q ~ 1 (alpha ~ 1): the fitted Q agrees with it to 30%
    apex = f[np.argmax(-z.imag)]
    assert p["CPE1_0"] == pytest.approx(1 / (2 * np.pi * apex * p["R1"]), rel=0.3)


def test_fit_is_insensitive_to_the_guess(shared_data):
    f, z = _spectrum(shared_data / "eis/Circuit1_EIS_1.z")
    base = fit_circuit(f, z, "R0-p(R1,C1)")
    guess = np.array(initial_guess("R0-p(R1,C1)", f, z)) * np.array([1.5, 0.6, 3.0])
    moved = fit_circuit(f, z, "R0-p(R1,C1)", guess=list(guess))
    for name in ("R0", "R1", "C1"):
        assert moved.parameters[name]["value"] == pytest.approx(base.parameters[name]["value"], rel=1e-3)


def test_bad_circuit_is_input_error():
    f = np.logspace(5, -1, 30)
    z = 10 + 100 / (1 + 1j * 2 * np.pi * f * 100 * 1e-5)
    with pytest.raises(InputError, match="unknown element"):
        fit_circuit(f, z, "R0-p(R1,Xq1)")


def test_synthetic_rc_recovered():
    f = np.logspace(5, -1, 40)
    z = 10 + 100 / (1 + 1j * 2 * np.pi * f * 100 * 1e-5)
    fit = fit_circuit(f, z, "R0-p(R1,C1)")
    assert fit.parameters["R0"]["value"] == pytest.approx(10, rel=1e-4)  # exact data: fit to 1e-4
    assert fit.parameters["R1"]["value"] == pytest.approx(100, rel=1e-4)
    assert fit.parameters["C1"]["value"] == pytest.approx(1e-5, rel=1e-4)


def test_conductivity_matches_paper_pellet():
    # 400 um LNI pellet, 0.5 inch diameter, ~100 ohm -> ~3e-4 S/cm = 3e-2 S/m (paper: 3.1e-4 S/cm)
    area = np.pi * (0.5 * 0.0254 / 2) ** 2
    assert conductivity(100.0, 400e-6, area) == pytest.approx(0.0316, rel=2e-3)
    with pytest.raises(InputError):
        conductivity(0.0, 1e-4, 1e-4)


def test_archimedes_density():
    # a body of exactly 2380 kg/m3: immersed apparent mass m (1 - rho_l/rho) with air buoyancy
    rho_true, rho_l, rho_a = 2380.0, 752.0, 1.2
    m_air = 1.0  # g, as weighed in air
    volume = m_air / (rho_true - rho_a)  # weighing in air already subtracts the air's buoyancy
    m_imm = volume * (rho_true - rho_l)
    assert archimedes_density(m_air, m_imm) == pytest.approx(rho_true, rel=1e-12)
    assert relative_density(2380.0 * 0.95) == pytest.approx(0.95)
    with pytest.raises(InputError):
        archimedes_density(1.0, 1.2)


def test_nucleation_length_theory_numbers():
    # docs/equations.md (E7): V_sp = 30 mV at 1 mA/cm2 -> 8.4 um with sigma_e = 2.8e-5 S/cm,
    # 87 um with sigma_i = 2.9e-4 S/cm
    assert nucleation_length(0.030, 10.0, 2.8e-3) == pytest.approx(8.4e-6, rel=1e-9)
    assert nucleation_length(0.030, 10.0, 2.9e-2) == pytest.approx(87e-6, rel=1e-9)
    v = np.array([0.01, 0.02, 0.04])
    i = np.array([5.0, 10.0, 40.0])
    assert fit_coefficient(v, i, nucleation_length(v, i, 3e-3)) == pytest.approx(3e-3, rel=1e-12)
    with pytest.raises(InputError):
        nucleation_length(0.01, 0.0, 1e-3)


def test_figures_mark_what_the_analysis_found(shared_data):
    from interlayer.analysis import analyze
    from interlayer.analysis.synthetic import symmetric_trace
    from interlayer.plotting.analysis import analysis_figure, nyquist_figure

    rec = symmetric_trace(n_cycles=4, spike=0.05, short_time=6.5 * 3600, seed=2)
    result = analyze(rec, area=0.503e-4)
    fig = analysis_figure(rec, result)
    top = fig.axes[0]
    # one vertical line per short, at its time (hours)
    vlines = [ln for ln in top.get_lines() if len(set(ln.get_xdata())) == 1 and len(ln.get_xdata()) == 2]
    assert [ln.get_xdata()[0] for ln in vlines] == pytest.approx([ev.time / 3600 for ev in result.shorts])
    f, z = _spectrum(shared_data / "eis/Circuit1_EIS_1.z")
    fit = fit_circuit(f, z, "R0-p(R1,CPE1)")
    ax = nyquist_figure(fit).axes[0]
    measured = ax.get_lines()[0]
    assert np.allclose(measured.get_xdata(), z.real) and np.allclose(measured.get_ydata(), -z.imag)


# -- fit quality notes (--json notes, fit_ok) ----------------------------------------------------------------


def test_eis_json_flags_a_failed_fit(capsys, shared_data):
    # R-p(R,CPE) cannot describe this spectrum: R0 -> 1e-32 ohm, R1 -> 2.6e9 ohm, 33% rms misfit
    assert main(["eis", str(shared_data / "eis/exampleDataGamry.DTA"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["fit_ok"] is False
    assert any("rms" in n for n in out["notes"]) and any(n.startswith("R0 ") for n in out["notes"])
    assert any(n.startswith("R1 ") and "outside the measured" in n for n in out["notes"])


def test_eis_json_good_fit_has_no_notes(capsys, shared_data):
    assert main(["eis", str(shared_data / "eis/Circuit1_EIS_1.z"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["fit_ok"] is True and out["notes"] == []


def test_fit_notes_criteria():
    from interlayer.analysis.eis import MAX_RMS_RELATIVE, fit_notes

    z = np.array([100 - 10j, 50 - 5j])
    good = {"R0": {"value": 10.0, "unit": "Ohm", "stderr": 0.1}}
    assert fit_notes(good, 0.5 * MAX_RMS_RELATIVE, z) == []
    assert len(fit_notes(good, 2 * MAX_RMS_RELATIVE, z)) == 1
    undetermined = {"R0": {"value": 1e-30, "unit": "Ohm", "stderr": 5.0}}
    assert "not determined" in fit_notes(undetermined, 0.01, z)[0]
    huge = {"R1": {"value": 1e6, "unit": "Ohm", "stderr": 1.0}}
    assert "outside the measured" in fit_notes(huge, 0.01, z)[0]
