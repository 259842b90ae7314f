import math

import pytest

from interlayer import units
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


PHYSICAL_CONSTANTS = {"FARADAY", "GAS_CONSTANT", "BOLTZMANN", "AVOGADRO", "ELEMENTARY_CHARGE",
                      "VACUUM_PERMITTIVITY", "ZERO_CELSIUS", "ROOM_TEMPERATURE"}


def test_every_display_factor_is_declared_with_its_units():
    """Every upper-case float of interlayer.units is a physical constant or a display factor with units."""
    floats = {name for name, value in vars(units).items()
              if name.isupper() and isinstance(value, float) and not name.startswith("_")}
    assert floats - PHYSICAL_CONSTANTS == set(units.DISPLAY_FACTORS)


@pytest.mark.parametrize("name", sorted(units.DISPLAY_FACTORS))
def test_display_factor_agrees_with_pint(name):
    """value_in_display_unit = value_SI * FACTOR, for every factor: a typo in one fails here."""
    si, shown = units.DISPLAY_FACTORS[name]
    assert getattr(units, name) == pytest.approx(parse(f"1 {si}", shown), rel=1e-12)


def test_display_table_agrees_with_the_factors():
    """Each DISPLAY entry shown in a unit that has a factor uses that factor (pint's and ours agree)."""
    by_units = {units._normalise_unit(shown): name for name, (_, shown) in units.DISPLAY_FACTORS.items()}
    matched = set()
    for key, display in units.DISPLAY.items():
        if display.unit is None or display.unit == display.si:
            assert display.factor == 1.0
            continue
        name = by_units[units._normalise_unit(display.unit)]  # a display unit without a factor fails here
        si, _ = units.DISPLAY_FACTORS[name]
        assert parse(f"1 {display.si}", si) == pytest.approx(1.0, rel=1e-12), (key, display.si, si)
        assert display.factor == pytest.approx(getattr(units, name), rel=1e-12), key
        matched.add(key)
    assert {"thickness", "current_density", "capacity", "sigma_e", "stack_pressure", "half_cycle_time",
            "interface_resistance", "contact_angle"} <= matched
