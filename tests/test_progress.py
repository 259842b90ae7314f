"""One progress protocol (interlayer.progress): PNP stepping, phase field, virtual cell and sweeps report to it."""

import doctest
import io
import math

import pytest

from interlayer import progress as progress_module
from interlayer.progress import NullProgress, Progress, RichProgress, as_progress


class Recorder:
    """Records every call of the protocol."""

    def __init__(self):
        self.calls = []

    def start(self, total, description="", *, completed=0):
        self.calls.append(("start", total, description, completed))

    def advance(self, n=1, *, failed=0):
        self.calls.append(("advance", n, failed))

    def close(self):
        self.calls.append(("close",))

    @property
    def advanced(self):
        return sum(c[1] for c in self.calls if c[0] == "advance")

    @property
    def failed(self):
        return sum(c[2] for c in self.calls if c[0] == "advance")

    def check_order(self):
        kinds = [c[0] for c in self.calls]
        assert kinds[0] == "start" and kinds[-1] == "close" and kinds.count("start") == kinds.count("close") == 1


def test_protocol_and_defaults():
    assert isinstance(Recorder(), Progress) and isinstance(NullProgress(), Progress)
    assert isinstance(RichProgress(), Progress)
    assert isinstance(as_progress(None), NullProgress) and isinstance(as_progress(False), NullProgress)
    assert isinstance(as_progress(True), RichProgress)
    rec = Recorder()
    assert as_progress(rec) is rec
    with pytest.raises(TypeError):
        as_progress(lambda t: None)  # the old PNP callable: no longer a progress


def test_rich_progress_draws_on_the_console_it_is_given():
    from rich.console import Console

    out = io.StringIO()
    bar = RichProgress(Console(file=out, force_terminal=True, width=100), unit="pt", failures=True, rate=True,
                       elapsed=True, transient=False)
    bar.start(4, "demo sweep", completed=1)
    bar.advance(1)
    bar.advance(1, failed=1)
    bar.close()
    bar.close()  # twice is harmless
    text = out.getvalue()
    assert "demo sweep" in text and "3/4" in text and "failed" in text


def test_pnp_time_stepping_reports_the_simulated_time():
    from interlayer.transport import pnp

    rec = Recorder()
    pnp.run("lni-5cnt", dim=1, current_density=10.0, time=0.5, resolution="coarse", progress=rec)
    rec.check_order()
    assert rec.calls[0][1:3] == (0.5, "time stepping")
    assert rec.advanced == pytest.approx(0.5, rel=1e-9)


def test_phase_field_reports_its_steps():
    from interlayer import phasefield as pf

    rec = Recorder()
    ms = pf.straight_pores(16, 16, 4e-6 / 16, width=1e-6, count=2)
    pf.simulate(ms, math.radians(30), overpotential=0.05, steps=7, progress=rec)
    rec.check_order()
    assert rec.calls[0][1:3] == (7, "phase field")
    assert rec.advanced == 7


def test_virtual_cell_reports_its_protocol_steps():
    from interlayer.cell import Cell, Interlayer, Layer
    from interlayer.virtualcell import simulate
    from interlayer.virtualcell.protocol import parse

    steps = parse(["Cycle at 0.1 mA/cm2 until 0.1 mAh/cm2, 2 times"])
    rec = Recorder()
    simulate(Cell(Interlayer((Layer.from_material("lni-5cnt", 90e-6),), 0.0)), steps, progress=rec)
    rec.check_order()
    assert rec.calls[0][1:3] == (len(steps), "cycling") and rec.advanced == len(steps) - 1


def test_sweep_reports_points_and_failures(tmp_path):
    from interlayer.sweep import SerialExecutor, run_sweep

    grid = {"sweep": {"model": "toy"}, "grid": {"x": ["1 um", "-1 um"], "t": ["1 s", "4 s"]}}
    rec = Recorder()
    run_sweep(grid, tmp_path / "g.zarr", executor=SerialExecutor(), progress=rec)
    rec.check_order()
    assert rec.calls[0] == ("start", 4, "toy sweep", 0)
    assert rec.advanced == 4 and rec.failed == 2  # x < 0 fails in the toy model
    rec = Recorder()
    run_sweep(grid, tmp_path / "g.zarr", executor=SerialExecutor(), progress=rec, retry_failed=False)
    assert rec.calls[0] == ("start", 4, "toy sweep", 4) and rec.advanced == 0  # resumed: all stored


def test_docstring_examples():
    result = doctest.testmod(progress_module)
    assert result.attempted > 0 and result.failed == 0
