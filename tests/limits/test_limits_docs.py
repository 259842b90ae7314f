"""docs/limits.md names every limit of interlayer.limits with its override and every bound with its range."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from interlayer.limits import BOUNDS, LIMITS, _g

DOC = Path(__file__).resolve().parents[2] / "docs" / "limits.md"


def _rows() -> dict[str, list[str]]:
    """First cell (backticks stripped) -> the row's cells, for every table row of the doc."""
    rows = {}
    for line in DOC.read_text().splitlines():
        if line.startswith("|") and not re.fullmatch(r"\|[-| ]+\|", line):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip("|"))]
            rows[cells[0].strip("`")] = cells
    return rows


@pytest.mark.parametrize("name", list(LIMITS))
def test_every_limit_is_documented_with_its_override(name):
    row = _rows().get(name)
    assert row is not None, f"docs/limits.md has no row for the limit {name!r}"
    assert f"`{LIMITS[name].env}`" in row, f"docs/limits.md row {name!r} does not name {LIMITS[name].env}"


@pytest.mark.parametrize("name", list(BOUNDS))
def test_every_bound_is_documented_with_its_range(name):
    b = BOUNDS[name]
    unit, factor = b.display or (b.unit, 1.0)
    lo, hi = "(" if b.low_open else "[", ")" if b.high_open else "]"
    shown = f"{lo}{_g(b.low * factor)}, {_g(b.high * factor)}{hi} {unit}"
    row = _rows().get(name)
    assert row is not None, f"docs/limits.md has no row for the bound {name!r}"
    assert row[1] == shown, f"docs/limits.md gives {name} as {row[1]!r}; limits.py says {shown!r}"


def test_the_doc_lists_nothing_that_is_not_declared():
    documented = set(_rows()) - {"name"}
    assert documented <= set(LIMITS) | set(BOUNDS), documented - set(LIMITS) - set(BOUNDS)
