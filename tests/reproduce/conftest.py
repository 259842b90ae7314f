"""Shared, session-scoped runs: the models at the ``test`` preset (coarse 2D mesh) and one reproduction."""

import pytest


@pytest.fixture(scope="session")
def test_results():
    from interlayer.reproduce import compute

    return compute("test")


@pytest.fixture(scope="session")
def reproduced(test_results, tmp_path_factory):
    """(output folder, summary dict) of ``reproduce`` written from the test-preset results."""
    from interlayer.reproduce import reproduce

    out = tmp_path_factory.mktemp("repro") / "out"
    summary = reproduce(out, preset="test", results=test_results)
    return out, summary
