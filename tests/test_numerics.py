"""The shared bisection (interlayer.numerics.bisect): known roots, its contract and its users."""

import doctest
import math

import pytest

from interlayer import numerics
from interlayer.numerics import bisect


def test_linear_bisection_finds_a_known_root():
    lo, hi = bisect(lambda x: x**3 - 2 * x - 5 > 0, 2.0, 3.0, rtol=1e-14)
    assert lo < 2.0945514815423265 <= hi  # Newton's cubic: root 2.0945514815423265...
    assert hi - lo <= 1e-14 * hi


def test_log_bisection_keeps_the_bracket_and_meets_rtol():
    calls = []

    def above(x):
        calls.append(x)
        return x >= math.pi * 1e3

    lo, hi = bisect(above, 1.0, 1e6, rtol=1e-6, scale="log")
    assert lo < math.pi * 1e3 <= hi and hi / lo - 1 <= 1e-6
    assert calls[0] == pytest.approx(1e3)  # geometric mean first
    assert len(calls) == math.ceil(math.log2(math.log(1e6) / math.log1p(1e-6)))


def test_max_iter_and_rtol_zero_run_exactly_max_iter_steps():
    calls = []
    lo, hi = bisect(lambda x: calls.append(x) or x > 0.3, 0.0, 1.0, max_iter=10)
    assert len(calls) == 10 and hi - lo == pytest.approx(2.0**-10)
    assert bisect(lambda x: True, 0.0, 1.0, max_iter=0) == (0.0, 1.0)


def test_already_narrow_bracket_is_not_evaluated():
    assert bisect(lambda x: pytest.fail("evaluated"), 1.0, 1.0 + 1e-12, rtol=1e-9, scale="log") == (1.0, 1.0 + 1e-12)


def test_needs_a_stopping_rule():
    with pytest.raises(ValueError):
        bisect(lambda x: True, 0.0, 1.0)


def test_docstring_examples():
    result = doctest.testmod(numerics)
    assert result.attempted > 0 and result.failed == 0


def test_graded_mesh_count_uses_it():
    from interlayer.transport.pnp.api import graded_nodes_count

    assert abs(graded_nodes_count(1e-3, 200).size - 200) <= 2
