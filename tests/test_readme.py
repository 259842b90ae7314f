"""The README's examples work as written (issue 14): its Python snippets run, its sweep config loads.

The command-line examples are replayed with ``--json`` by ``tests/regression``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import numpy as np
import pytest

from interlayer.sweep.config import load_config

README = Path(__file__).resolve().parents[1] / "README.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README.read_text(encoding="utf-8"), flags=re.DOTALL | re.MULTILINE)


def test_the_readme_has_the_examples_checked_here():
    assert len(_blocks("python")) >= 1 and len(_blocks("toml")) >= 1


@pytest.mark.parametrize("index", range(len(_blocks("python"))))
def test_python_snippet_runs_as_written(index, capsys):
    namespace: dict = {"__name__": "__readme__"}
    exec(compile(_blocks("python")[index], f"README.md python block {index + 1}", "exec"), namespace)
    if "ds" in namespace and "grid" in namespace:  # the Python API example: what it computes is sensible
        ds, grid = namespace["ds"], namespace["grid"]
        assert ds.sizes["current_density"] == 40 and float(ds.max_stable_current) > 10.0
        assert np.isfinite(ds.l_n.sel(current_density=10.0).item())
        assert dict(grid.sizes) == {"sigma_e": 100, "thickness": 100} and "regime" in grid
        assert capsys.readouterr().out.strip()  # it prints l_n and the largest stable current


@pytest.mark.parametrize("index", range(len(_blocks("toml"))))
def test_toml_sweep_example_loads(index, tmp_path):
    text = _blocks("toml")[index]
    data = tomllib.loads(text)
    if "sweep" not in data:
        pytest.skip("not a sweep config")
    config = tmp_path / "CONFIG.toml"
    config.write_text(text)
    plan = load_config(config)
    assert plan.model == data["sweep"]["model"]
    assert plan.layout == "grid" and set(plan.dims) == set(data["grid"])
    for name, values in data["grid"].items():
        assert len(plan.coords[name]) == len(values)
    if data["grid"].get("thickness") == ["30 um", "60 um", "90 um"]:  # the README's example, in SI
        assert plan.coords["thickness"].tolist() == pytest.approx([30e-6, 60e-6, 90e-6])
    if data.get("fixed", {}).get("current_density") == "0.5:4:0.5 mA/cm2":
        assert np.asarray(plan.fixed["current_density"]) == pytest.approx(np.arange(5.0, 40.1, 5.0))
