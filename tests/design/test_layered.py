import json

import numpy as np
import pytest

from interlayer import materials
from interlayer.cli import main
from interlayer.design.layered import CNT_MATERIALS, compare_architectures, composition_rule


def test_composition_rule_is_a_fit_with_small_residuals():
    rule = composition_rule()
    # the power law is fitted to three points with two parameters: residuals are not zero, and stay
    # within a quarter decade (the measured values span six decades)
    assert 0 < max(abs(r) for r in rule.residuals_e_decades) < 0.25
    assert max(abs(r) for r in rule.residuals_ion_decades) < 0.06
    for name in CNT_MATERIALS:
        m = materials.get(name)
        assert abs(np.log10(rule.sigma_e(m["cnt_fraction"]) / m["sigma_e"])) < 0.25


def test_architecture_comparison_reports_what_the_model_says(capsys):
    # The paper: homogeneous < dual < gradient. The failure physics (docs/theory.md, "Failure physics")
    # at 54.5 um: with 1 h half cycles every architecture is limited by the pore volume (growth-through)
    # within 10% of each other; at a fixed 1 mAh/cm2 the SSE face decides and less electronic
    # conduction there helps: homogeneous < gradient < dual (the paper's order of dual and gradient is
    # not reproduced). Pinned so that a change in the physics that flips it is noticed.
    timed = compare_architectures(with_modes=True)
    assert {mode for _, mode in timed.values()} >= {"growth-through"}
    values = [timed[k][0] for k in ("homogeneous", "dual", "gradient")]
    assert max(values) / min(values) < 1.1
    fixed = compare_architectures(capacity=36000.0, with_modes=True)
    assert fixed["homogeneous"][0] < fixed["gradient"][0] < fixed["dual"][0]
    assert all(fixed[k][1] == "sse-nucleation" for k in ("homogeneous", "dual", "gradient"))
    assert timed["lni-25mg activated"][0] > timed["lni-25mg as made"][0]
    # the first release's criterion, kept as an option, ranked them otherwise (dead-Li band)
    legacy = compare_architectures(criterion="legacy")
    assert legacy["homogeneous"] > legacy["dual"] and legacy["gradient"] > legacy["dual"]
    result = {k: v for k, (v, _) in timed.items()}
    assert main(["layers", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["max_stable_current_mA_cm2"]["dual"] == pytest.approx(result["dual"] * 0.1)
