"""Packaging metadata (issue 14): one version source, no unused extras."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import interlayer
from interlayer.cli import main

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_the_version_is_written_once():
    project = PYPROJECT["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "interlayer.__version__"}


def test_cli_version_is_the_installed_distribution_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"interlayer {importlib.metadata.version('interlayer')}"
    assert interlayer.__version__ == importlib.metadata.version("interlayer")


def test_installed_script_prints_the_same_version():
    script = Path(sys.executable).with_name("interlayer")  # the console script next to this interpreter
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "interlayer"]
    out = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60, check=True).stdout
    assert out.strip() == f"interlayer {importlib.metadata.version('interlayer')}"


def test_every_optional_dependency_is_used():
    """Each extra's packages are imported somewhere in src/, tests/ or benchmarks/ (or are pytest tooling)."""
    code = "\n".join(p.read_text(encoding="utf-8") for d in ("src", "tests", "benchmarks")
                     for p in (ROOT / d).rglob("*.py"))
    imports = {"dask[distributed]": "dask", "zarr": "zarr", "pillow": "PIL", "selenium": "selenium",
               "pytest": "pytest", "hypothesis": "hypothesis", "fipy": "fipy", "navani": "navani"}
    tools = {"ruff", "mypy", "scipy-stubs", "pytest-xdist"}  # commands and plugins (mypy reads the stubs; -n auto)
    for extra, requirements in PYPROJECT["project"]["optional-dependencies"].items():
        for requirement in requirements:
            name = re.split(r"[<>=!~ ;]", requirement, maxsplit=1)[0]
            if name.startswith("interlayer[") or name in tools:
                continue
            module = imports.get(name)
            assert module is not None, f"extra {extra!r}: {name} is new here; say which module it provides"
            assert re.search(rf"^\s*(import|from) {module}\b", code, flags=re.MULTILINE), f"extra {extra!r}: {name} is imported nowhere"
