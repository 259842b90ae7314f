"""Helpers shared by the sweep tests."""

import pytest


class StopAfter:
    """A progress tracker that interrupts the sweep after ``n`` stored points (a clean 'crash')."""

    def __init__(self, n):
        self.n, self.seen = n, 0

    def start(self, total, description="", *, completed=0):
        pass

    def describe(self, description):
        pass

    def advance(self, n=1, *, failed=0):
        self.seen += 1
        if self.seen == self.n:
            raise KeyboardInterrupt

    def close(self):
        pass


@pytest.fixture
def stop_after():
    """``stop_after(n)``: a tracker that interrupts a sweep after n stored points."""
    return StopAfter
