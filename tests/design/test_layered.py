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
    # The paper: homogeneous < dual < gradient. Our electroneutral model says otherwise for the
    # LNI-CNT family at 54.5 um (docs/theory.md section 8): more electronic conductivity at the anode
    # lengthens the nucleation region (l_n ~ sigma_e R_int), which turns into dead Li. Pinned here so
    # that a change in the physics that flips it is noticed.
    result = compare_architectures()
    assert result["homogeneous"] > result["dual"]
    assert result["gradient"] > result["dual"]
    assert result["lni-25mg activated"] > result["lni-25mg as made"]
    assert main(["layers", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["max_stable_current_mA_cm2"]["dual"] == pytest.approx(result["dual"] * 0.1)
