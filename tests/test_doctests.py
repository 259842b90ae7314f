"""The docstring examples of every module of the package run as tests (issue 14, item 5).

Every module is found by walking the package (``pkgutil.walk_packages``), so a module added later
is covered without editing this file; the examples are kept quick (the whole set takes a few seconds).
"""

import doctest
import importlib
import importlib.util
import pkgutil
from pathlib import Path

import pytest

import interlayer

PACKAGE = Path(interlayer.__file__).parent
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(interlayer.__path__, "interlayer.")]
    # ``python -m interlayer`` runs the command line on import: it holds no examples.
    return ["interlayer"] + [n for n in names if not n.endswith(".__main__")]


def _has_examples(name: str) -> bool:
    spec = importlib.util.find_spec(name)
    return spec is not None and spec.origin is not None and ">>>" in Path(spec.origin).read_text(encoding="utf-8")


MODULES = _modules()
WITH_EXAMPLES = [name for name in MODULES if _has_examples(name)]


def test_the_walk_finds_every_module_file():
    files = {
        ".".join(("interlayer",) + p.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
        for p in PACKAGE.rglob("*.py")
        if "__pycache__" not in p.parts and p.name != "__main__.py"
    }
    assert files == set(MODULES)
    assert len(WITH_EXAMPLES) >= 35


@pytest.mark.parametrize("module", WITH_EXAMPLES)
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=FLAGS, report=True)
    assert result.attempted > 0, f"{module} has '>>>' in its source but no example doctest can find"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples of {module} fail (output above)"
