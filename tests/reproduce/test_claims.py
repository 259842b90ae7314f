"""Verdicts are computed from the results by the stated rules: change a result, the verdict follows."""

import copy
import math

import numpy as np
import pytest

from interlayer.report import VERDICTS
from interlayer.reproduce import claims as C
from interlayer.reproduce.runs import critical_current, failure_labels


def _by_id(results):
    return {c.id: c for c in C.evaluate_claims(results)}


def test_every_claim_has_a_verdict_a_rule_and_a_command(test_results):
    claims = C.evaluate_claims(test_results)
    assert len({c.id for c in claims}) == len(claims) == len(C.CLAIMS)
    for c in claims:
        assert c.verdict in VERDICTS, c.id
        assert c.command.startswith("interlayer "), c.id
        assert c.rule and c.paper and c.ours
    assert C.counts(claims)[C.DISAGREES] >= 1  # the model disagrees with the paper somewhere, and says so


def test_architecture_verdict_follows_the_numbers(test_results):
    r = copy.copy(test_results)
    r.layers = dict(test_results.layers)
    r.layers.update(homogeneous=1.0, dual=2.0, gradient=3.0)
    assert _by_id(r)["fig5-architectures"].verdict == C.AGREES
    r.layers.update(homogeneous=2.0, dual=1.0, gradient=3.0)
    assert _by_id(r)["fig5-architectures"].verdict == C.PARTIAL
    r.layers.update(homogeneous=3.0, dual=1.0, gradient=2.0)
    assert _by_id(r)["fig5-architectures"].verdict == C.DISAGREES


def test_ccd_verdict_uses_a_critical_current_the_model_reports(test_results):
    r = copy.copy(test_results)
    ds = test_results.design["lni-0p5cnt"].copy()
    ds["critical_current"] = ((), 0.16 / C.MA_CM2 * 1.2, {"units": "A/m^2"})  # within 1.5x of the measured 0.16 mA/cm2
    r.design = {**test_results.design, "lni-0p5cnt": ds}
    assert critical_current(ds) == pytest.approx(1.92)
    assert _by_id(r)["ccd-lni-0p5cnt"].verdict == C.AGREES
    ds["critical_current"] = ((), 0.16 / C.MA_CM2 * 2.5, {"units": "A/m^2"})
    assert _by_id(r)["ccd-lni-0p5cnt"].verdict == C.PARTIAL
    ds["critical_current"] = ((), math.inf, {"units": "A/m^2"})
    assert _by_id(r)["ccd-lni-0p5cnt"].verdict == C.DISAGREES


def test_new_variables_are_tolerated_and_a_failure_mode_variable_is_read(test_results):
    ds = test_results.design["lni-5cnt"].copy()
    ds["some_new_quantity"] = ("current_density", np.ones(ds.sizes["current_density"]), {"units": "1"})
    modes = np.array(["stable"] * (ds.sizes["current_density"] - 1) + ["current-focusing"])
    ds["failure_mode"] = ("current_density", modes)
    assert failure_labels(ds)[-1] == "current-focusing"
    r = copy.copy(test_results)
    r.design = {**test_results.design, "lni-5cnt": ds}
    r.failure_probe = {**test_results.failure_probe, "lni-0p5cnt": (1.0, "current-focusing")}
    by_id = _by_id(r)
    assert by_id["failure-ionic"].verdict == C.AGREES
    assert by_id["fig4e-ln-below-lg"].verdict in VERDICTS


def test_fig2_verdicts_follow_the_classified_patterns(test_results):
    r = copy.copy(test_results)
    r.fig2 = {k: copy.copy(v) for k, v in test_results.fig2.items()}
    key = ("library", r.fig2_dim)
    rows = [dict(row) for row in r.fig2[key].rows]
    r.fig2[key].rows = rows
    for row in rows:
        row["pattern"] = row["paper_pattern"]
    by_id = _by_id(r)
    assert {by_id[i].verdict for i in ("fig2-ionic", "fig2-mixed", "fig2-electronic")} == {C.AGREES}
    for row in rows:
        row["pattern"] = "split"
    assert _by_id(r)["fig2-ionic"].verdict in (C.PARTIAL, C.DISAGREES)


def test_phasefield_verdicts_from_depth(test_results):
    lithiophilic = _by_id(test_results)["fig2k-lithiophilic"]
    assert lithiophilic.values["penetration_depth_m"] > 0
    r = copy.copy(test_results)
    ds = test_results.phasefield["lithiophobic"].copy()
    ds["penetration_depth"] = ds.penetration_depth * 0 + 5 * test_results.phasefield_particle
    r.phasefield = {**test_results.phasefield, "lithiophobic": ds}
    assert _by_id(r)["fig2l-lithiophobic"].verdict == C.DISAGREES
