"""Shared, session-scoped runs: the models at the ``test`` preset (coarse 2D mesh) and one reproduction.

Both runs report to a recording progress (``compute_progress``, ``reproduce_progress``), so the
progress tests need no run of their own.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))
from _progress_recorder import Recorder  # noqa: E402


@pytest.fixture(scope="session")
def _computed():
    from interlayer.reproduce import compute

    rec = Recorder()
    return compute("test", progress=rec), rec


@pytest.fixture(scope="session")
def test_results(_computed):
    return _computed[0]


@pytest.fixture(scope="session")
def compute_progress(_computed):
    """The :class:`Recorder` ``compute("test")`` of :func:`test_results` reported to."""
    return _computed[1]


@pytest.fixture(scope="session")
def _reproduction(test_results, tmp_path_factory):
    from interlayer.reproduce import reproduce

    out = tmp_path_factory.mktemp("repro") / "out"
    rec = Recorder()
    summary = reproduce(out, preset="test", results=test_results, progress=rec)
    return out, summary, rec


@pytest.fixture(scope="session")
def reproduced(_reproduction):
    """(output folder, summary dict) of ``reproduce`` written from the test-preset results."""
    return _reproduction[:2]


@pytest.fixture(scope="session")
def reproduce_progress(_reproduction):
    """The :class:`Recorder` the reproduction of :func:`reproduced` reported to."""
    return _reproduction[2]
