"""interlayer.design.evaluate uses the one temperature bound of interlayer.limits (no copy of its own)."""

from __future__ import annotations

import pytest

from interlayer.design import evaluate
from interlayer.errors import InputError
from interlayer.limits import BOUNDS, check_bound


@pytest.mark.parametrize("criterion", ["failure", "legacy"])
@pytest.mark.parametrize("kelvin", [100.0, 173.0, 454.0, 500.0, 1999.0, 1e300, float("nan")])
def test_evaluate_refuses_what_the_bound_refuses_with_its_message(kelvin, criterion):
    with pytest.raises(InputError) as expected:
        check_bound("temperature", kelvin, "temperature")
    with pytest.raises(InputError) as got:
        evaluate("lni-5cnt", temperature=kelvin, current_density=[10.0], criterion=criterion)
    assert str(got.value) == str(expected.value)


@pytest.mark.parametrize("kelvin", [BOUNDS["temperature"].low, 298.15, 333.15])
def test_evaluate_accepts_the_bound_s_range(kelvin):
    ds = evaluate("lni-5cnt", temperature=kelvin, current_density=[10.0], criterion="legacy")
    assert ds.attrs["temperature_K"] == kelvin
    assert ds.l_n.size == 1


def test_evaluate_names_a_temperature_that_is_no_number():
    with pytest.raises(InputError, match="temperature: must be a number in K"):
        evaluate("lni-5cnt", temperature="hot", current_density=[10.0])
