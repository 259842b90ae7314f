"""Every command: --json writes exactly one JSON document on stdout; bad input exits 2 with one line."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "interlayer", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


JSON_COMMANDS = [
    ["design", "--json"],
    ["materials", "--json"],
    ["map", "--points", "12", "--json"],
    ["layers", "--json"],
    ["optimize", "--free", "thickness", "--json"],
]


@pytest.mark.parametrize("args", JSON_COMMANDS, ids=lambda a: a[0])
def test_json_stdout_is_pure(args):
    result = run(*args)
    assert result.returncode == 0, result.stderr
    json.loads(result.stdout)  # the whole of stdout is one JSON document


def test_analysis_commands_json(tmp_path):
    if not SHARED.is_dir():
        pytest.skip("../shared/data is not present")
    result = run("analyze", str(SHARED / "cycling" / "yadg_gcpl_Li_Li2B12H12_Li.mpr"), "--area", "0.503cm2", "--json")
    assert result.returncode == 0, result.stderr
    assert "cycles" in json.loads(result.stdout)
    result = run("eis", str(SHARED / "eis" / "Circuit1_EIS_1.z"), "--circuit", "R0-p(R1,CPE1)", "--json")
    assert result.returncode == 0, result.stderr
    json.loads(result.stdout)


def test_phasefield_json(tmp_path):
    # 3 snapshots: frames and GIF are written, without 21 PNGs of cost
    result = run("phasefield", "--grid", "48", "--steps", "20", "--storage-every", "10", "--out", str(tmp_path / "pf"), "--json")
    assert result.returncode == 0, result.stderr
    assert "penetration_depth_um" in json.loads(result.stdout)


@pytest.mark.parametrize(
    "args",
    [["design", "--thickness", "-1um"], ["map", "--x", "nope"], ["optimize", "--target-capacity", "abc"],
     ["phasefield", "--grid", "4"], ["analyze", "/no/such/file.mpr", "--area", "1cm2"], ["design", "--bogus"]],
    ids=lambda a: " ".join(a),
)
def test_bad_input_exit_2_one_line(args):
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
