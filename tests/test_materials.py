import math

import pytest

from interlayer import materials
from interlayer.errors import InputError

REQUIRED = ["li", "lni", "lni-0p5cnt", "lni-5cnt", "lni-50cnt", "lni-25mg", "lpsc", "llzo"]


def test_required_materials_present():
    assert set(REQUIRED) <= set(materials.names())


def test_measured_conductivities_in_si():
    m = materials.get("lni-5cnt")
    assert m["sigma_ion"] == pytest.approx(2.9e-2)  # 2.9e-4 S/cm
    assert m["sigma_e"] == pytest.approx(2.8e-3)  # 2.8e-5 S/cm
    assert materials.get("LNI-50%CNT")["sigma_e"] == pytest.approx(5.0)
    assert materials.get("li")["molar_volume"] == pytest.approx(1.2998e-5)


def test_inheritance_and_lithiophobic_contact_angles():
    for name in ["lni", "lni-0p5cnt", "lni-5cnt", "lni-50cnt"]:
        assert materials.get(name)["contact_angle"] > math.pi / 2


def test_activated_mg_profile_is_graded():
    m = materials.get("lni-25mg-activated")
    assert m.profile is not None
    values = m.profile.evaluate([0.0, 0.5, 1.0])
    assert values[0] > values[1] > values[2]


def test_unknown_material_lists_known():
    with pytest.raises(InputError) as info:
        materials.get("lni-5cn")
    assert "lni-5cnt" in str(info.value) and "Known" in str(info.value)
