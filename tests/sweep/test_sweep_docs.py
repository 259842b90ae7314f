"""The documented configs (docs/sweep.md code blocks, examples/sweep-*.toml) are valid sweeps."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from interlayer.sweep import get_model, load_config, model_names, plan_from_dict

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "sweep.md"
EXAMPLES = sorted((ROOT / "examples").glob("sweep-*.toml"))


def _toml_blocks():
    return re.findall(r"```toml\n(.*?)```", DOC.read_text(), flags=re.S)


def test_docs_have_toml_examples_and_they_validate():
    blocks = _toml_blocks()
    assert len(blocks) >= 2
    for block in blocks:
        plan = plan_from_dict(tomllib.loads(block))
        assert plan.n_points >= 2


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_configs_validate(path):
    plan = load_config(path)
    assert plan.n_points >= 2
    assert plan.out is not None and plan.out.parent == path.parent


def test_docs_list_every_builtin_model_parameter():
    text = DOC.read_text()
    for name in model_names():
        if name.startswith("test-"):
            continue
        assert f"**{name}**" in text, f"docs/sweep.md does not describe model {name!r}"
        if name == "toy":
            continue
        for param in get_model(name).parameters:
            assert param in text, f"docs/sweep.md does not list {name}.{param}"
