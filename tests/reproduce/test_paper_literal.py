"""The paper-literal Fig. 2 evaluation: eq. 10 with a uniform overpotential (only c_Li+ c_e varies)."""

import json

import numpy as np
import pytest
import xarray as xr

from interlayer.cli import main
from interlayer.errors import InputError
from interlayer.reproduce.paper_literal import VISIBLE_FRACTION, paper_literal


def _layer(c_li, c_e, l_i=90e-6):
    x = np.linspace(0.0, l_i, c_li.size)
    volume = np.gradient(x)
    return xr.Dataset({"c_li": ("x", c_li), "c_e": ("x", c_e), "volume": ("x", volume)}, coords={"x": x},
                      attrs={"dim": 1, "l_i_um": l_i * 1e6, "porosity": 0.3})


def _synthetic():
    n = 101
    x = np.linspace(0, 1, n)
    return {
        "lni-0p5cnt": _layer(np.full(n, 1.0), np.full(n, 0.01)),                    # 1% of the maximum everywhere
        "lni-5cnt": _layer(np.full(n, 1.0), 0.05 + 0.5 * np.exp(-x / 0.05)),        # a peak at the anode
        "lni-50cnt": _layer(np.full(n, 1.0), np.full(n, 1.0)),                      # the shared maximum, everywhere
    }


def test_synthetic_fields_give_the_three_readings_and_one_shared_maximum():
    lit = paper_literal(_synthetic())
    rows = {r["material"]: r for r in lit.rows}
    assert [rows[m]["pattern"] for m in rows] == ["none", "anode-side", "throughout"]
    assert lit.agreements == 3
    assert rows["lni-50cnt"]["normalised_max"] == pytest.approx(1.0)
    assert rows["lni-0p5cnt"]["normalised_max"] == pytest.approx(0.01)
    # the window: above the ionic layer's 0.01, below the mixed layer's bulk-excluding peak, not above 0.05 bulk
    low, high = lit.window["all"]
    assert 0.01 < low <= 0.06 and 0.05 < high <= 0.55


def test_a_common_scale_changes_nothing_and_the_threshold_decides():
    a = paper_literal(_synthetic())
    scaled = {k: ds.assign(c_e=ds.c_e * 7.0) for k, ds in _synthetic().items()}
    b = paper_literal(scaled)
    assert [r["pattern"] for r in a.rows] == [r["pattern"] for r in b.rows]
    # a visible fraction below the ionic layer's level makes it nucleate everywhere: no longer "none"
    c = paper_literal(_synthetic(), visible_fraction=0.005)
    assert {r["material"]: r["pattern"] for r in c.rows}["lni-0p5cnt"] == "throughout"
    with pytest.raises(InputError, match="visible_fraction"):
        paper_literal(_synthetic(), visible_fraction=0.0)


def test_on_the_pnp_fields_after_2_s(test_results):
    # measured on this package's fields (library settings): the paper-literal reading is the paper's, 3/3,
    # but only for visible fractions in a narrow band (~0.09-0.14 of the shared maximum)
    lit = test_results.fig2_literal[("library", 1)]
    assert lit.visible_fraction == VISIBLE_FRACTION
    assert [r["pattern"] for r in lit.rows] == ["none", "anode-side", "throughout"]
    low, high = lit.window["all"]
    assert low <= VISIBLE_FRACTION <= high and high / low < 2.0
    physical = test_results.fig2[("library", 1)]
    assert physical.agreements == 0  # the physical evaluation, same fields: none of the three


def test_transport_paper_evaluation_option(capsys):
    assert main(["transport-paper", "--evaluation", "paper-literal", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["evaluation"] == "paper-literal"
    assert data["paper_literal"]["agreements"] == 3 and data["agreements"] == 0
    assert main(["transport-paper", "--evaluation", "literal"]) == 2
    err = capsys.readouterr().err
    assert "evaluation" in err and len(err.strip().splitlines()) == 1
