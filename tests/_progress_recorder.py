"""A :class:`interlayer.progress.Progress` that records every call, shared by the progress tests.

Imported as the regression tests import ``cases`` (the suite runs with ``--import-mode=importlib``)::

    sys.path.insert(0, str(Path(__file__).parent))  # the folder holding this file
    from _progress_recorder import Recorder
"""


class Recorder:
    """Records every call of the protocol."""

    def __init__(self):
        self.calls = []

    def start(self, total, description="", *, completed=0):
        self.calls.append(("start", total, description, completed))

    def describe(self, description):
        self.calls.append(("describe", description))

    def advance(self, n=1, *, failed=0):
        self.calls.append(("advance", n, failed))

    def close(self):
        self.calls.append(("close",))

    @property
    def kinds(self):
        return [c[0] for c in self.calls]

    @property
    def total(self):
        return self.calls[0][1]

    @property
    def advanced(self):
        return sum(c[1] for c in self.calls if c[0] == "advance")

    @property
    def failed(self):
        return sum(c[2] for c in self.calls if c[0] == "advance")

    @property
    def descriptions(self):
        return [c[1] for c in self.calls if c[0] == "describe"]

    def check_order(self):
        """``start`` first, ``close`` last, each exactly once (so nothing is reported before ``start``)."""
        kinds = self.kinds
        assert kinds[0] == "start" and kinds[-1] == "close" and kinds.count("start") == kinds.count("close") == 1, kinds

    def check_stages(self):
        """:meth:`check_order`, every stage ``describe``-d before its one ``advance``, the total reached."""
        self.check_order()
        assert self.kinds[1:-1] == ["describe", "advance"] * ((len(self.calls) - 2) // 2), self.kinds
        assert self.advanced == self.total


def record_rich_progress(monkeypatch):
    """Make every :class:`interlayer.progress.RichProgress` made from now on (the CLI's bars) also
    record its calls; returns the list their :class:`Recorder` s are appended to, in order made."""
    from interlayer import progress

    made = []

    class RecordingRichProgress(progress.RichProgress):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.recorder = Recorder()
            made.append(self.recorder)

        def start(self, total, description="", *, completed=0):
            self.recorder.start(total, description, completed=completed)
            super().start(total, description, completed=completed)

        def describe(self, description):
            self.recorder.describe(description)
            super().describe(description)

        def advance(self, n=1, *, failed=0):
            self.recorder.advance(n, failed=failed)
            super().advance(n, failed=failed)

        def close(self):
            self.recorder.close()
            super().close()

    monkeypatch.setattr(progress, "RichProgress", RecordingRichProgress)
    return made
