"""Growth/nucleation maps of the PNP model (paper Fig. 2e-j): what our physics gives, with numbers.

Where the result disagrees with the paper the test name says so; docs/pnp.md discusses why.
"""

import math

import numpy as np
import pytest
import xarray as xr

import interlayer.transport.pnp as pnp
from interlayer.errors import InputError


@pytest.fixture(scope="module")
def steady_5cnt_1d():
    return pnp.run("lni-5cnt", dim=1, current_density=10.0, time=None)


def test_dataset_has_units_and_no_nan(steady_5cnt_1d):
    ds = steady_5cnt_1d
    for name, var in ds.variables.items():
        assert "units" in var.attrs and "long_name" in var.attrs, name
        assert np.all(np.isfinite(var.values)), name
    assert ds["nucleation_rate_normalised"].max() == 1.0
    assert ds["growth_rate_normalised"].max() == 1.0
    s = pnp.summary(ds)
    assert s["debye_length_m"] == pytest.approx(1.70e-11, rel=0.01)  # sqrt(eps RT/(F^2 c)), c = 8.19e4 mol/m3
    assert s["l_i_um"] == pytest.approx(90.0)


def test_netcdf_roundtrip(steady_5cnt_1d, tmp_path):
    path = tmp_path / "pnp.nc"
    pnp.write_netcdf(steady_5cnt_1d, str(path))
    back = xr.load_dataset(path)
    assert np.allclose(back["eta"].values, steady_5cnt_1d["eta"].values)
    assert pnp.summary(back)["nucleation_depth_90_um"] == pytest.approx(
        pnp.summary(steady_5cnt_1d)["nucleation_depth_90_um"])


def test_galvanostatic_steady_growth_equals_applied_current(steady_5cnt_1d):
    # at steady state every Li+ supplied by the SSE deposits on the anode (charge conservation)
    assert float(steady_5cnt_1d["growth_rate"][0]) == pytest.approx(10.0, rel=1e-6)


def test_raising_contact_angle_shrinks_nucleation_region_to_nothing():
    # 0.3 mA/cm2, LNI-5% CNT, steady state: eta = 33 mV at the anode rising to 36 mV at the SSE.
    # (At 1 mA/cm2 the 123 ohm cm2 contact alone gives eta = 79 mV, above eta_c even at 180 deg
    # with the calibrated gamma = 0.094 J/m2: the whole layer nucleates for every angle.)
    regions = []
    for deg in (60, 100, 120, 140, 180):
        ds = pnp.run("lni-5cnt", dim=1, current_density=3.0, contact_angle=math.radians(deg), time=None,
                     resolution="coarse")
        regions.append(pnp.summary(ds)["nucleation_region_fraction"])
    assert all(a >= b for a, b in zip(regions, regions[1:], strict=False))
    assert regions[0] == pytest.approx(1.0)  # 60 deg: the whole layer is above eta_c
    assert regions[2] == pytest.approx(0.37, abs=0.03)  # 120 deg: only the SSE-side 37 %
    assert regions[-1] < 0.01  # 180 deg: a sliver at the SSE face
    low = pnp.run("lni-5cnt", dim=1, current_density=1.0, contact_angle=math.radians(60), time=None,
                  resolution="coarse")
    assert pnp.summary(low)["nucleation_region_fraction"] == 0.0  # 0.1 mA/cm2: nothing at 60 deg


def test_electronic_conductor_nucleates_throughout_including_sse_surface():
    s = pnp.summary(pnp.run("lni-50cnt", dim=1, current_density=10.0, time=2.0))
    # eta = 25 mV at the anode, 149 mV at the SSE at 2 s: all but the anode-side 11 % nucleates
    assert s["nucleation_present"] and s["nucleation_region_fraction"] == pytest.approx(0.89, abs=0.02)
    # the SSE surface carries the largest rate: eta rises by i l_i / sigma_ion ~ 0.1 V toward it
    assert s["nucleation_rate_sse_m3_s"] == s["nucleation_rate_max_m3_s"]
    assert s["nucleation_fraction_anode_half"] < 0.01


def test_mixed_conductor_nucleation_not_confined_to_anode_DISAGREES_with_paper():
    # Paper Fig. 2g-h: LNI-5% CNT nucleates only near the anode. Our PNP model with a
    # Butler-Volmer Li contact reaches the electroneutral steady state within ~1e-3 s (chemical
    # capacitance F^2 c_e/RT ~ 100 F/m3), where eta = eta(0) + i x / sigma_ion rises toward the SSE.
    s = pnp.summary(pnp.run("lni-5cnt", dim=1, current_density=10.0, time=2.0))
    assert s["nucleation_present"]
    assert s["eta_sse_V"] - s["eta_anode_V"] == pytest.approx(0.031, abs=1e-3)
    assert s["nucleation_fraction_anode_half"] < 0.5


def test_protrusion_tip_growth_and_surface_current_balance():
    ds = pnp.run("lni-0p5cnt", dim=2, current_density=10.0, time=None, resolution="coarse")
    s = pnp.summary(ds)
    # the field concentrates at the tip, but the 123 ohm cm2 contact (i0 = 2.1 A/m2) evens it out:
    # tip/base = 1.08 (paper Fig. 2e-f: growth concentrated at the tip; ours only mildly)
    assert 1.0 < s["growth_tip_to_base_ratio"] < 1.3
    assert s["growth_flat_spread"] < 0.1  # a flat plating front away from the protrusion
    # steady state: the growth current integrated over the Li surface equals i times the period
    sx, sy = ds["surface_x"].values, ds["surface_y"].values
    from interlayer.transport.pnp.api import PROTRUSION

    g = pnp.build_model("lni-0p5cnt", dim=2, resolution="coarse").graph
    area = g.boundaries["anode"].area * ds.attrs["l_i_um"] * 1e-6
    total = float(area @ ds["growth_rate"].values)
    assert total == pytest.approx(10.0 * PROTRUSION["width"] * 90e-6, rel=1e-6)
    assert sx.size == sy.size


def test_bad_inputs_raise_input_error():
    with pytest.raises(InputError):
        pnp.run("lni-5cnt", dim=3)
    with pytest.raises(InputError):
        pnp.run("lni-5cnt", time=-1.0)
    with pytest.raises(InputError):
        pnp.run("no-such-material")
    with pytest.raises(InputError):
        pnp.run("lni-5cnt", time=None, anode_contact="blocking")


def test_graded_layer_profile_enters_the_electron_diffusivity():
    graded = pnp.build_model("lni-25mg-activated", dim=1, resolution="coarse")
    d_e = graded.system.species[1].d
    # log-linear 1e-3 S/cm (Li side) -> 1e-7 S/cm (SSE side): four decades across the layer
    assert d_e[0] / d_e[-1] == pytest.approx(1e4, rel=0.05)
    uniform = pnp.build_model("lni-25mg", dim=1, resolution="coarse")
    # steady state: electrons carry no current, so sigma_e(x) drops out of eta (theory-notes section 1)
    eta_g = graded.fields(graded.solve_steady())["eta"]
    eta_u = uniform.fields(uniform.solve_steady())["eta"]
    assert np.max(np.abs(eta_g - eta_u)) < 1e-5
