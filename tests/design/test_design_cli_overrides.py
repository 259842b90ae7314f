"""`interlayer design` with a user's own measured layer: conductivities, R_int, electron density."""

import json

import numpy as np
import pytest

from interlayer.cli import main
from interlayer.design import evaluate


def _run(capsys, *args):
    assert main(["design", "--current", "0.5:3:0.5", "--json", "--criterion", "legacy", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_overrides_reach_the_criterion(capsys):
    doc = _run(capsys, "--sigma-e", "1e-5 S/cm", "--sigma-ion", "4e-4 S/cm", "--interface-resistance", "90 ohm*cm^2")
    assert doc["inputs"]["sigma_e_S_cm"] == pytest.approx(1e-5)
    assert doc["inputs"]["sigma_ion_S_cm"] == pytest.approx(4e-4)
    assert doc["inputs"]["interface_resistance_ohm_cm2"] == pytest.approx(90.0)
    ds = evaluate(criterion="legacy", sigma_e=1e-3, sigma_ion=4e-2, interface_resistance=90e-4, current_density=np.arange(5.0, 31.0, 5.0))
    assert [p["l_n_um"] for p in doc["points"]] == pytest.approx(ds.l_n.values * 1e6, rel=1e-12)
    default = _run(capsys)
    assert [p["l_n_um"] for p in default["points"]] != pytest.approx([p["l_n_um"] for p in doc["points"]])


def test_fewer_free_electrons_raise_the_critical_overpotential(capsys):
    # eq. 10: J ~ c_e, so fewer electrons need more driving force (logarithmically)
    library = _run(capsys)["critical_overpotential_mV"]
    fewer = _run(capsys, "--electron-density", "6.5e22 1/m^3")["critical_overpotential_mV"]
    assert library == pytest.approx(49.2, abs=0.1)
    assert library < fewer < 1.1 * library


def test_bad_overrides_exit_2():
    assert main(["design", "--sigma-e", "0"]) == 2
    assert main(["design", "--sigma-ion", "-3e-4 S/cm"]) == 2
    assert main(["design", "--interface-resistance", "-1 ohm*cm^2"]) == 2
    assert main(["design", "--electron-density", "1e24 m"]) == 2  # wrong dimension


def test_stable_windows_report_a_second_window_above_a_dead_li_band(capsys):
    # 60 deg: eta_c is low, nucleation starts at ~0.2 mA/cm2 and l_n outgrows l_g just above the onset
    # (dead Li); l_g (linear in i) overtakes l_n again from ~1.2 mA/cm2 until growth-through at 5.57
    doc = _run(capsys, "--contact-angle", "60deg")
    windows = doc["stable_windows_mA_cm2"]
    assert len(windows) == 2 and windows[0][0] == 0.0
    assert doc["max_stable_current_mA_cm2"] == pytest.approx(windows[0][1])
    assert windows[0][1] == pytest.approx(0.205, abs=0.005) and windows[1][0] == pytest.approx(1.22, abs=0.02)
    regimes = {p["current_density_mA_cm2"]: p["regime"] for p in doc["points"]}
    assert regimes[0.5] == "dead-li" and regimes[2.0] == "stable"  # the table agrees with the windows
    assert _run(capsys)["stable_windows_mA_cm2"] == [[0.0, pytest.approx(5.567, abs=0.01)]]
