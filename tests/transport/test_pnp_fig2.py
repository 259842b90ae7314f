"""Paper Fig. 2e-j in 2D (the Li protrusion), 1 mA/cm2, 2 s, theta = 120 deg: slow reproduction runs.

The numbers are what this model gives (docs/pnp.md, "Paper Fig. 2e-j"); where they contradict the
paper the assertion says so in its comment rather than being tuned toward it.
"""

import pytest

import interlayer.transport.pnp as pnp

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fig2():
    return {m: pnp.summary(pnp.run(m, dim=2, current_density=10.0, time=2.0)) for m in
            ("lni-0p5cnt", "lni-5cnt", "lni-50cnt")}


def test_growth_concentrates_at_the_tip_most_for_the_electronic_conductor(fig2):
    # paper: tip growth for the ionic layer; ours: tip favoured everywhere, only 8% for 0.5% CNT
    # (contact resistance 123 ohm cm2 >> layer 31 ohm cm2 evens the current), 47% for 50% CNT
    assert fig2["lni-0p5cnt"]["growth_tip_to_base_ratio"] == pytest.approx(1.08, abs=0.02)
    assert fig2["lni-50cnt"]["growth_tip_to_base_ratio"] == pytest.approx(1.47, abs=0.05)


def test_electronic_conductor_nucleates_on_the_sse_surface(fig2):
    s = fig2["lni-50cnt"]
    assert s["nucleation_rate_sse_m3_s"] == pytest.approx(s["nucleation_rate_max_m3_s"], rel=1e-6)
    assert s["nucleation_fraction_anode_half"] < 1e-3
    assert s["nucleation_rate_max_m3_s"] > 1e4 * fig2["lni-5cnt"]["nucleation_rate_max_m3_s"]


def test_mixed_and_ionic_layers_nucleate_toward_the_sse_DISAGREES_with_paper(fig2):
    # paper: 5% CNT nucleates only near the anode, 0.5% CNT not at all. Ours (steady electroneutral
    # state reached in ~1e-3 s): eta rises from ~73 mV (anode) to ~102 mV (SSE) in both.
    for m in ("lni-0p5cnt", "lni-5cnt"):
        s = fig2[m]
        assert s["nucleation_present"]
        assert s["nucleation_fraction_anode_half"] == pytest.approx(0.14, abs=0.02)
        assert s["nucleation_depth_90_um"] == pytest.approx(87.1, abs=1.0)
        assert s["eta_sse_V"] - s["eta_anode_V"] == pytest.approx(0.029, abs=0.003)
