import json

import numpy as np
import pytest

from interlayer.cli import main
from interlayer.design import evaluate
from interlayer.design.criterion import growth_length
from interlayer.design.inverse import pareto_front, thinnest_stable

TARGET_I = 40.0  # 4 mA/cm2
TARGET_Q = 4 * 36000.0  # 4 mAh/cm2


def test_thinnest_lni5cnt_layer_is_set_by_the_pore_volume():
    best = thinnest_stable(TARGET_I, TARGET_Q, free=("thickness",))
    assert best.feasible and best.regime == "stable"
    # the spread Li front needs l_g of pores (less than all of Q: some stays at the spots and at the SSE
    # face); the thinnest stable layer is just thicker, rounded up to 0.1 um with the boundary in a note
    assert best.l_g < best.thickness <= best.l_g + 2e-7
    assert best.l_g < growth_length(TARGET_Q, 0.3)
    assert best.thickness * 1e7 == pytest.approx(round(best.thickness * 1e7), abs=1e-6)
    assert best.margin > 0 and any("stability boundary" in note for note in best.notes)
    ds = evaluate(thickness=best.thickness, current_density=[TARGET_I], capacity=TARGET_Q)
    assert int(ds.regime[0]) == 0  # the printed value, fed back, is stable
    thinner = evaluate(thickness=best.thickness - 1e-6, current_density=[TARGET_I], capacity=TARGET_Q)
    assert thinner.attrs["criterion"] == "failure" and int(thinner.regime[0]) == 3  # growth-through


def test_pareto_front_passes_the_papers_design():
    # the paper: 90 um LNI-5% CNT is stable at 4 mA/cm2 and 4 mAh/cm2 (1 h half cycles)
    front = pareto_front(TARGET_Q / TARGET_I, np.array([30e-6, 60e-6, 90e-6]), free=("thickness",))
    currents = [c for _, c, _ in front]
    assert currents[0] < currents[1] < currents[2]
    assert currents[2] >= TARGET_I  # 90 um survives 4 mA/cm2
    assert currents[0] < TARGET_I  # 30 um does not
    ds = evaluate(current_density=[TARGET_I], capacity=TARGET_Q)
    assert int(ds.regime[0]) == 0


def test_infeasible_target_returns_the_closest_design():
    # 4 mAh/cm2 needs ~59 um of pores: no layer of at most 30 um holds it, whatever its CNT content
    best = thinnest_stable(TARGET_I, TARGET_Q, free=("thickness", "cnt_fraction"), bounds={"thickness": (5e-6, 30e-6)})
    assert not best.feasible and best.notes
    assert best.regime == "growth-through" and 5e-6 <= best.thickness <= 30e-6
    assert best.l_g >= best.thickness  # the front does not fit
    fixed = thinnest_stable(TARGET_I, TARGET_Q, free=("thickness",), bounds={"thickness": (5e-6, 30e-6)})
    assert not fixed.feasible and fixed.regime == "growth-through"


def test_optimize_cli(capsys):
    assert main(["optimize", "--json", "--free", "thickness"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["feasible"] and out["design"]["regime"] == "stable"
    assert main(["optimize", "--bounds", "thickness=5um:2um"]) == 2
    assert main(["optimize", "--free", "colour"]) == 2
    assert main(["optimize", "--target-current", "-4mA/cm2"]) == 2
