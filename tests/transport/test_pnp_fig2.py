"""Paper Fig. 2e-j in 2D (the Li protrusion) and a scan of the uncertain inputs: slow reproduction runs.

The numbers are what this model gives (docs/pnp.md "Paper Fig. 2e-j"); where they contradict the paper
the assertion says so in its comment rather than being tuned toward it. In 2D, depths are measured from
the flat anode plane; the protrusion reaches 18 um (0.2 l_i) into the layer, so a sheet of nucleation
hugging the protrusion counts as ~17 um deep.
"""

import itertools
import math

import pytest

import interlayer.transport.pnp as pnp
from interlayer.transport.pnp.fig2 import compare_with_paper

pytestmark = pytest.mark.slow


def _rows(comparison):
    return {row["material"]: row for row in comparison.rows}


@pytest.fixture(scope="module")
def library_2d():
    return _rows(compare_with_paper(dim=2))  # 1 mA/cm2, 2 s, 120 deg, library carrier densities


def test_growth_concentrates_at_the_tip_most_for_the_electronic_conductor(library_2d):
    # paper: tip growth for the ionic layer; ours: the tip is favoured in every layer, only by 14% for
    # 0.5% CNT (contact resistance 123 ohm cm2 >> the porous layer's 53 ohm cm2 evens the current),
    # 2.8x for 50% CNT, where the growth current itself is ~1e-4 of the applied one at 2 s
    assert library_2d["lni-0p5cnt"]["growth_tip_to_base_ratio"] == pytest.approx(1.14, abs=0.03)
    assert library_2d["lni-5cnt"]["growth_tip_to_base_ratio"] == pytest.approx(1.17, abs=0.03)
    assert library_2d["lni-50cnt"]["growth_tip_to_base_ratio"] == pytest.approx(2.8, abs=0.15)
    assert library_2d["lni-5cnt"]["growth_flat_spread"] < 0.05  # a flat plating front (paper Fig. 2h)


def test_library_settings_2d_DISAGREE_with_every_panel(library_2d):
    # ionic: a sheet on the Li surfaces nucleates (eta 70 mV > eta_c 51 mV; paper: none); mixed: eta
    # largest at the anode but 26 mV < eta_c (paper: near the anode); electronic: 23 mV at the SSE only
    assert [library_2d[m]["pattern"] for m in ("lni-0p5cnt", "lni-5cnt", "lni-50cnt")] == ["anode-side", "none", "none"]
    ionic = library_2d["lni-0p5cnt"]
    assert ionic["eta_anode_V"] == pytest.approx(0.070, abs=3e-3)
    # a sheet hugging the Li: 90% within 0.5 um of the nearest Li surface (1D: 0.48 um), although it
    # reaches 17 um from the flat anode plane along the protrusion
    assert ionic["nucleation_distance_90_um"] == pytest.approx(0.5, abs=0.2)
    assert ionic["nucleation_depth_90_um"] > 15.0
    assert ionic["nucleation_region_fraction"] == pytest.approx(0.025, abs=0.01)
    assert library_2d["lni-5cnt"]["eta_anode_V"] == pytest.approx(0.0255, abs=3e-3)
    assert library_2d["lni-50cnt"]["eta_sse_V"] == pytest.approx(0.0225, abs=2e-3)


def test_mixed_panel_in_2d_at_the_low_end_of_the_carrier_density_range():
    # 1e25 m^-3 in the CNTs, 2 mA/cm2: LNI-5% CNT nucleates on the anode side only (share 0.99998 in the
    # anode half, 21% of the layer, with a flat front), as the paper's Fig. 2g-h; the others do not match
    r = _rows(compare_with_paper(dim=2, current_density=20.0, cnt_carrier_density=1e25))
    mixed = r["lni-5cnt"]
    assert mixed["pattern"] == "anode-side" and mixed["agrees"]
    assert mixed["nucleation_region_fraction"] == pytest.approx(0.21, abs=0.02)
    assert mixed["growth_flat_spread"] < 0.06
    assert r["lni-0p5cnt"]["pattern"] == "anode-side"  # paper: none
    assert r["lni-50cnt"]["pattern"] == "sse-side"  # paper: throughout


@pytest.mark.parametrize(("material", "degrees", "region", "anode_half"), [
    ("lni-5cnt", 30, 0.25, 1.0), ("lni-5cnt", 60, 0.05, 1.0), ("lni-5cnt", 90, 0.0, None),
    ("lni-50cnt", 30, 0.045, 0.0), ("lni-50cnt", 60, 0.005, 0.0), ("lni-50cnt", 90, 0.0, None),
])
def test_contact_angle_sweep_2d(material, degrees, region, anode_half):
    # raising theta shrinks the nucleation region until it vanishes (paper Fig. 2i-j; agrees). It sits at
    # the anode for 5% CNT (paper's picture) and at the SSE face for 50% CNT (paper: throughout the layer)
    s = pnp.summary(pnp.run(material, dim=2, current_density=10.0, time=2.0, contact_angle=math.radians(degrees)))
    assert s["nucleation_region_fraction"] == pytest.approx(region, abs=0.01)  # 2D normal mesh, measured
    if anode_half is None:
        assert not s["nucleation_present"]
    else:
        assert s["nucleation_fraction_anode_half"] == pytest.approx(anode_half, abs=1e-4)


def test_no_setting_of_the_uncertain_inputs_reproduces_all_three_panels():
    # CNT carrier density over five decades (1e22-1e26 m^-3) x current 0.5-8 mA/cm2 (1D, 2 s, 120 deg).
    # (The full 13 x 6 x 3 scan including the contact kinetics, docs/pnp.md, agrees: 0 of 234 settings.)
    # Two implications hold everywhere: the mixed panel (anode-side) forces a nucleating ionic contact,
    # and the electronic panel (throughout) needs carriers so few that the mixed layer has relaxed
    for rho, current in itertools.product((1e22, 1e23, 1e24, 1e25, 1e26), (5.0, 20.0, 80.0)):
        r = _rows(compare_with_paper(current_density=current, cnt_carrier_density=rho, resolution="coarse"))
        patterns = [r[m]["pattern"] for m in ("lni-0p5cnt", "lni-5cnt", "lni-50cnt")]
        assert patterns != ["none", "anode-side", "throughout"], (rho, current)
        if patterns[1] == "anode-side":
            assert patterns[0] != "none", (rho, current)
        if patterns[2] == "throughout":
            assert patterns[1] != "anode-side", (rho, current)


def test_first_nucleation_in_2d_starts_at_the_protrusion_tip_for_ionic_and_mixed_layers():
    # 2 mA/cm2, library carriers, run to the first nucleation: the ionic contact nucleates at the tip of
    # the 18 um protrusion within ms, the mixed layer at the tip after ~3.0 s (within 0.5 um of the Li),
    # the electronic layer on the SSE face after ~3.2 s (docs/pnp.md, 'Where and when')
    r = _rows(compare_with_paper(dim=2, current_density=20.0, time=3600.0, until_nucleation=True))
    ionic, mixed, electronic = r["lni-0p5cnt"], r["lni-5cnt"], r["lni-50cnt"]
    assert ionic["nucleation_onset_s"] < 0.05 and ionic["nucleation_depth_90_um"] == pytest.approx(18.0, abs=0.5)
    assert mixed["pattern"] == "anode-side" and mixed["nucleation_onset_s"] == pytest.approx(3.0, rel=0.05)
    assert mixed["nucleation_depth_90_um"] == pytest.approx(18.0, abs=0.5) and mixed["nucleation_distance_90_um"] < 1.0
    assert electronic["pattern"] == "sse-side" and electronic["nucleation_onset_s"] == pytest.approx(3.2, rel=0.05)
