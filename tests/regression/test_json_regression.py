"""Every number the README's example commands print with ``--json`` stays what it was.

The baseline in ``baseline/`` was recorded (``record.py``) before the one-declaration-per-model
refactor (issue 14), at commit bf86ba2. A change of any number, string or key fails here, so a
refactor that is meant to keep behaviour cannot drift silently; a deliberate change re-records the
case and says why in its commit.
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from cases import CASES, SHARED, arguments, needs_shared  # noqa: E402

from interlayer.cli import app  # noqa: E402

BASELINE = Path(__file__).parent / "baseline"
#: Keys whose values differ from run to run by nature (timings, where a file was).
VOLATILE = {"wall_time_s", "version", "file", "path", "source_file"}
RTOL = 1e-6
#: Keys compared to an absolute tolerance as well, with why: their values are differences of
#: nearly equal numbers or round-off by nature, so a new NumPy/SciPy release moves them by more
#: than RTOL while the quantities they come from agree to 1e-8 (seen: a fresh install of
#: 2026-12-02 moved margin_um by 2e-6 um out of 90 um, li_inventory_error from 8.2e-14 to 8.6e-14).
ABS_TOL = {
    "margin_um": 1e-4,  # um: thickness minus a front length; 0.1 nm, 1000x below the 0.1 um rounding
    "li_inventory_error": 1e-10,  # relative Li conservation error: round-off (1e-13) is the value
}
_SHARED_PATH = re.compile(r"\S*/shared/data/")


def differences(old, new, where="", abs_tol=0.0) -> list[str]:
    """Human-readable differences between two JSON values (numbers to RTOL, or ABS_TOL by key)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in sorted(set(old) | set(new)):
            if key in VOLATILE:
                continue
            if key not in new:
                out.append(f"{where}/{key}: missing now")
            elif key not in old:
                out.append(f"{where}/{key}: new key")
            else:
                out += differences(old[key], new[key], f"{where}/{key}", ABS_TOL.get(key, 0.0))
        return out
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return [f"{where}: length {len(old)} -> {len(new)}"]
        return [d for i, (a, b) in enumerate(zip(old, new, strict=True)) for d in differences(a, b, f"{where}[{i}]", abs_tol)]
    numbers = (int, float)
    if isinstance(old, numbers) and isinstance(new, numbers) and not isinstance(old, bool):
        if math.isclose(old, new, rel_tol=RTOL, abs_tol=max(abs_tol, 1e-300)) or (math.isnan(old) and math.isnan(new)):
            return []
        return [f"{where}: {old!r} -> {new!r}"]
    if isinstance(old, str) and isinstance(new, str):  # where ../shared/data is differs between clones
        old, new = _SHARED_PATH.sub("{shared}/", old), _SHARED_PATH.sub("{shared}/", new)
    return [] if old == new else [f"{where}: {old!r} -> {new!r}"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_command_prints_what_it_printed_before(name):
    if needs_shared(name) and not SHARED.is_dir():
        pytest.skip("../shared/data is not here")
    baseline = json.loads((BASELINE / f"{name}.json").read_text())
    result = CliRunner().invoke(app, arguments(name))
    assert result.exit_code == 0, result.output[-2000:]
    diff = differences(baseline, json.loads(result.stdout))
    assert not diff, f"{name}: {len(diff)} differences, first: " + "; ".join(diff[:8])


def test_the_comparison_can_fail():
    assert differences({"a": 1.0, "b": [1, 2]}, {"a": 1.0 + 1e-3, "b": [1, 2]}) == ["/a: 1.0 -> 1.001"]
    assert differences({"a": "x"}, {"a": "y", "c": 1}) == ["/a: 'x' -> 'y'", "/c: new key"]
    assert differences({"s": "/work/shared/data/eis/a.z"}, {"s": "/tmp/x/shared/data/eis/a.z"}) == []
    assert differences({"s": "/work/shared/data/eis/a.z"}, {"s": "/tmp/x/shared/data/eis/b.z"}) != []
    # the absolute tolerance applies to its own key only, and only to that size
    assert differences({"x": [{"margin_um": 0.2215}]}, {"x": [{"margin_um": 0.22151}]}) == []
    assert differences({"margin_um": 0.2215}, {"margin_um": 0.2225}) != []
    assert differences({"l_g_um": 0.2215}, {"l_g_um": 0.22151}) != []
