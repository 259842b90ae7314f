"""One carrier-density rule for the design criterion and the PNP model (interlayer.carriers)."""

import pytest

from interlayer import carriers, materials
from interlayer.cell import Layer
from interlayer.errors import InputError
from interlayer.units import ELEMENTARY_CHARGE


@pytest.mark.parametrize("name", ["lni-0p5cnt", "lni-5cnt", "lni-50cnt"])
def test_library_densities_follow_the_cnt_rule(name):
    m = materials.get(name)
    # the library stores 3 significant figures of CNT volume fraction x 1e26 m^-3
    assert carriers.cnt_electron_density(m["cnt_fraction"]) == pytest.approx(m["electron_concentration"], rel=2e-3)
    assert carriers.electron_density(name) == (m["electron_concentration"], "carrier-density")


def test_cnt_volume_fraction_from_the_two_densities():
    # 5 wt% CNT (1.8 g/cm3) in LNI (2.38 g/cm3): (0.05/1.8) / (0.05/1.8 + 0.95/2.38) = 0.0651
    assert carriers.cnt_volume_fraction(0.05) == pytest.approx(0.0651, abs=1e-4)
    assert carriers.cnt_volume_fraction(0.0) == 0.0 and carriers.cnt_volume_fraction(1.0) == 1.0


def test_mobility_route_and_explicit_values():
    n, route = carriers.electron_density("lni-25mg")  # no carrier density in the library
    assert route == "mobility"
    assert n == pytest.approx(materials.get("lni-25mg")["sigma_e"] / (ELEMENTARY_CHARGE * 1e-3))
    assert carriers.electron_density("lni-5cnt", electron_mobility=1e-2)[1] == "mobility"
    assert carriers.electron_density(electron_concentration=1e24) == (1e24, "carrier-density")
    with pytest.raises(InputError, match="electron_mobility"):
        carriers.electron_density("lni-5cnt", electron_mobility=1e-3, electron_concentration=1e24)
    with pytest.raises(InputError, match="electron_concentration"):
        carriers.electron_density(electron_concentration=-1.0)
    with pytest.raises(InputError, match="sigma_e"):
        carriers.electron_density()


def test_layer_nucleation_factors():
    layer = Layer.from_material("lni-5cnt", 90e-6)
    li_factor, electron_factor = layer.nucleation_factors()
    assert li_factor == pytest.approx(81.9)  # 8.19e4 mol/m3 over c0 = 1 mol/L
    assert electron_factor == pytest.approx(6.51e24 / 4.63e28)
    # a layer built from conductivities alone: c+ = c0, mobility route for the electrons
    bare = Layer(thickness=1e-5, sigma_ion=0.01, sigma_e=0.01, porosity=0.3, contact_angle=2.0)
    assert bare.nucleation_factors() == pytest.approx((1.0, 0.01 / (ELEMENTARY_CHARGE * 1e-3) / 4.63e28))
    with pytest.raises(InputError, match="electron_density"):
        Layer(thickness=1e-5, sigma_ion=0.01, sigma_e=0.01, porosity=0.3, contact_angle=2.0, electron_density=0.0)
