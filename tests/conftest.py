"""Shared test fixtures."""

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """The real instrument files in ../shared/data; skip the test when they are absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


def pytest_collection_modifyitems(config, items):
    # The reproduction tests share one session-scoped run of the models (tests/reproduce/conftest.py):
    # with pytest-xdist they go to one worker, so the run is made once, not once per worker.
    for item in items:
        if item.nodeid.startswith("tests/reproduce/"):
            item.add_marker(pytest.mark.xdist_group("reproduce"))
