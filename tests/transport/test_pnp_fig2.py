"""Paper Fig. 2e-j in 2D (the Li protrusion), 1 mA/cm2, 2 s, theta = 120 deg: slow reproduction runs.

The numbers are what this model gives with the default electron concentration (the library's carrier
density, docs/pnp.md "Electron concentration" and "Paper Fig. 2e-j"); where they contradict the paper
the assertion says so in its comment rather than being tuned toward it. In 2D, depths are measured from
the flat anode plane; the protrusion reaches 18 um (0.2 l_i) into the layer.
"""

import math

import pytest

import interlayer.transport.pnp as pnp

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fig2():
    return {m: pnp.summary(pnp.run(m, dim=2, current_density=10.0, time=2.0)) for m in
            ("lni-0p5cnt", "lni-5cnt", "lni-50cnt")}


def test_growth_concentrates_at_the_tip_most_for_the_electronic_conductor(fig2):
    # paper: tip growth for the ionic layer; ours: tip favoured everywhere, only 8% for 0.5% CNT
    # (contact resistance 123 ohm cm2 >> layer 31 ohm cm2 evens the current), 12% for 5% CNT; 2.6x for
    # 50% CNT, but there the growth current itself is ~1e-4 of the applied one at 2 s (electrons carry it)
    assert fig2["lni-0p5cnt"]["growth_tip_to_base_ratio"] == pytest.approx(1.08, abs=0.02)
    assert fig2["lni-5cnt"]["growth_tip_to_base_ratio"] == pytest.approx(1.12, abs=0.02)
    assert fig2["lni-50cnt"]["growth_tip_to_base_ratio"] == pytest.approx(2.62, abs=0.1)
    assert fig2["lni-50cnt"]["growth_rate_max_A_m2"] < 1e-3 * 10.0
    assert fig2["lni-5cnt"]["growth_flat_spread"] < 0.05  # a flat plating front (paper Fig. 2h)


def test_ionic_layer_nucleates_along_the_li_surfaces_DISAGREES_with_paper(fig2):
    # paper Fig. 2e-f: no nucleation in the LNI-0.5% CNT layer. Ours: eta = 68 mV at the Li surfaces
    # (contact-dominated) falling to < 1 mV at the SSE (tau = 5e3 s): a thin sheet on the anode and the
    # protrusion (4% of the layer) nucleates; 90% of it within 15.5 um of the anode plane
    s = fig2["lni-0p5cnt"]
    assert s["nucleation_present"]
    assert s["nucleation_fraction_anode_half"] == pytest.approx(1.0, abs=1e-6)
    assert s["nucleation_depth_90_um"] == pytest.approx(15.5, abs=1.5)
    assert s["nucleation_region_fraction"] == pytest.approx(0.044, abs=0.01)
    assert s["nucleation_rate_sse_m3_s"] == 0.0


def test_mixed_and_electronic_layers_do_not_nucleate_at_120deg_DISAGREES_with_paper(fig2):
    # paper: 5% CNT nucleates near the anode, 50% CNT throughout. Ours at 2 s: 5% CNT eta 20 mV at the
    # anode, 4 mV at the SSE (the paper's shape, below eta_c); 50% CNT eta ~0 at the anode, 15 mV at the SSE
    mixed, electronic = fig2["lni-5cnt"], fig2["lni-50cnt"]
    assert not mixed["nucleation_present"] and not electronic["nucleation_present"]
    assert mixed["eta_anode_V"] == pytest.approx(0.020, abs=2e-3) and mixed["eta_sse_V"] < mixed["eta_anode_V"]
    assert electronic["eta_sse_V"] == pytest.approx(0.0153, abs=1e-3) and electronic["eta_anode_V"] < 1e-4


@pytest.mark.parametrize(("material", "degrees", "region", "anode_half"), [
    ("lni-5cnt", 30, 0.28, 1.0), ("lni-5cnt", 60, 0.10, 1.0), ("lni-5cnt", 90, 0.0, None),
    ("lni-50cnt", 30, 0.055, 0.0), ("lni-50cnt", 60, 0.008, 0.0),
])
def test_contact_angle_sweep_2d(material, degrees, region, anode_half):
    # raising theta shrinks the nucleation region until it vanishes (paper Fig. 2i-j; agrees). It sits at
    # the anode for 5% CNT (paper's picture) and at the SSE face for 50% CNT (paper: throughout the layer)
    s = pnp.summary(pnp.run(material, dim=2, current_density=10.0, time=2.0, contact_angle=math.radians(degrees)))
    assert s["nucleation_region_fraction"] == pytest.approx(region, abs=0.01)  # 2D normal mesh, measured
    if anode_half is None:
        assert not s["nucleation_present"]
    else:
        assert s["nucleation_fraction_anode_half"] == pytest.approx(anode_half, abs=1e-6)
    if material == "lni-50cnt":
        assert s["nucleation_rate_sse_m3_s"] == pytest.approx(s["nucleation_rate_max_m3_s"], rel=1e-9)
