import math

import pytest

from interlayer.errors import InputError
from interlayer.units import parse, parse_range, thermal_voltage


@pytest.mark.parametrize(
    "text, unit, expected",
    [
        ("90 um", "m", 90e-6),
        ("2.8e-5 S/cm", "S/m", 2.8e-3),
        ("4 mA/cm2", "A/m^2", 40.0),
        ("4mAh/cm2", "C/m^2", 4 * 36000.0),
        ("60 degC", "K", 333.15),
        ("120 deg", "rad", 2 * math.pi / 3),
        ("1MPa", "Pa", 1e6),
        ("0.503cm2", "m^2", 0.503e-4),
        ("1 h", "s", 3600.0),
        ("1e-3 m-3", "1/m^3", 1e-3),
    ],
)
def test_parse_to_si(text, unit, expected):
    assert parse(text, unit) == pytest.approx(expected, rel=1e-12)


def test_bare_number_takes_default_unit():
    assert parse("4", "A/m^2", default_unit="mA/cm^2") == pytest.approx(40.0)


@pytest.mark.parametrize("text", ["abc", "4 parsecs/fortnight", "4 s"])
def test_bad_units_name_the_field(text):
    with pytest.raises(InputError, match="current"):
        parse(text, "A/m^2", field="current")


def test_range_and_reversed_range():
    assert parse_range("0.1:4:0.1", "A/m^2", "current", default_unit="mA/cm^2") == pytest.approx((1, 40, 1))
    with pytest.raises(InputError, match="reversed"):
        parse_range("4:0.1:0.1", "A/m^2", "current", default_unit="mA/cm^2")


def test_thermal_voltage():
    assert thermal_voltage(298.15) == pytest.approx(25.693e-3, rel=1e-4)


def test_printing_factors_agree_with_pint():
    from interlayer.units import MA_PER_CM2, MAH_PER_CM2, UM

    assert MA_PER_CM2 == pytest.approx(parse("1 A/m^2", "mA/cm^2"))
    assert MAH_PER_CM2 == pytest.approx(parse("1 C/m^2", "mAh/cm^2"))
    assert UM == pytest.approx(parse("1 m", "um"))
