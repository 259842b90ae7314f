"""The docstring examples of the core modules run as tests."""

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "module",
    ["interlayer.units", "interlayer.kinetics", "interlayer.materials", "interlayer.design.evaluate",
     "interlayer.temperature", "interlayer.mechanics", "interlayer.contact", "interlayer.virtualcell"],
)
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
