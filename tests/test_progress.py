"""One progress protocol (interlayer.progress): PNP stepping, phase field, virtual cell and sweeps report to it."""

import doctest
import io
import json
import math
import sys
from pathlib import Path

import pytest

from interlayer import progress as progress_module
from interlayer.progress import NullProgress, Part, Progress, RichProgress, as_progress

sys.path.insert(0, str(Path(__file__).parent))
from _progress_recorder import Recorder, record_rich_progress  # noqa: E402


def test_protocol_and_defaults():
    assert isinstance(Recorder(), Progress) and isinstance(NullProgress(), Progress)
    assert isinstance(RichProgress(), Progress)
    assert isinstance(as_progress(None), NullProgress) and isinstance(as_progress(False), NullProgress)
    assert isinstance(as_progress(True), RichProgress)
    rec = Recorder()
    assert as_progress(rec) is rec
    with pytest.raises(TypeError):
        as_progress(lambda t: None)  # the old PNP callable: no longer a progress
    with pytest.raises(TypeError):
        as_progress(lambda step: None)  # nor the old reproduce / transport-paper stage callback


def test_part_forwards_describe_and_advance_but_not_start_and_close():
    rec = Recorder()
    part = Part(rec)
    assert isinstance(part, Progress)
    part.start(10, "inner")
    part.describe("stage")
    part.advance(2, failed=1)
    part.close()
    assert rec.calls == [("describe", "stage"), ("advance", 2, 1)]


def test_rich_progress_draws_on_the_console_it_is_given():
    from rich.console import Console

    out = io.StringIO()
    bar = RichProgress(Console(file=out, force_terminal=True, width=100), unit="pt", failures=True, rate=True,
                       elapsed=True, transient=False)
    bar.describe("before start")  # harmless, like advance before start
    bar.start(4, "demo sweep", completed=1)
    bar.advance(1)
    bar.describe("second stage")
    bar.advance(1, failed=1)
    bar.close()
    bar.close()  # twice is harmless
    text = out.getvalue()
    assert "demo sweep" in text and "second stage" in text and "3/4" in text and "failed" in text
    assert "before start" not in text
    NullProgress().describe("nothing")


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


def test_transport_paper_reports_each_layer_by_name():
    from interlayer.transport.pnp.fig2 import PAPER_PATTERNS, compare_with_paper

    rec = Recorder()
    compare_with_paper(time=0.2, resolution="coarse", progress=rec)
    rec.check_stages()
    assert rec.calls[0] == ("start", 3, "interlayer classes", 0)
    assert rec.descriptions == list(PAPER_PATTERNS)


def test_transport_paper_closes_its_progress_when_a_layer_fails(monkeypatch):
    from interlayer.transport.pnp import fig2

    real, runs = fig2.run, []

    def second_fails(*args, **kwargs):
        runs.append(1)
        if len(runs) == 2:
            raise RuntimeError("solver failed (simulated)")
        return real(*args, **kwargs)

    monkeypatch.setattr(fig2, "run", second_fails)
    rec = Recorder()
    with pytest.raises(RuntimeError, match="simulated"):
        fig2.compare_with_paper(time=0.2, resolution="coarse", progress=rec)
    rec.check_order()
    assert rec.kinds == ["start", "describe", "advance", "describe", "close"]
    rec = Recorder()
    with pytest.raises(Exception, match="cnt_carrier_density"):
        fig2.compare_with_paper(cnt_carrier_density=0.0, progress=rec)
    assert rec.calls == []  # an input error: before any work, nothing started


def test_transport_paper_cli_shows_the_layers_on_a_bar(monkeypatch, capsys):
    from interlayer.cli import main
    from interlayer.transport.pnp.fig2 import PAPER_PATTERNS

    bars = record_rich_progress(monkeypatch)
    assert main(["transport-paper", "--time", "0.2 s", "--resolution", "coarse", "--json"]) == 0
    json.loads(capsys.readouterr().out)  # stdout: exactly one JSON document (the bar is on stderr)
    classes = [b for b in bars if b.calls and b.calls[0][2] == "interlayer classes"]
    assert len(classes) == 1
    classes[0].check_stages()
    assert classes[0].descriptions == list(PAPER_PATTERNS)


def test_docstring_examples():
    result = doctest.testmod(progress_module)
    assert result.attempted > 0 and result.failed == 0


def test_a_progress_without_describe_still_works_and_sees_no_stages():
    """describe is optional: a three-method progress object (as written for earlier releases) is
    wrapped with a describe that does nothing, and still gets start/advance/close."""
    from interlayer.progress import StagedProgress, as_progress

    calls = []

    class Three:
        def start(self, total, description="", *, completed=0):
            calls.append(("start", total))

        def advance(self, n=1, *, failed=0):
            calls.append(("advance", n))

        def close(self):
            calls.append(("close",))

    report = as_progress(Three())
    assert isinstance(report, StagedProgress)
    report.start(2, "x")
    report.describe("stage")
    report.advance(2)
    report.close()
    assert calls == [("start", 2), ("advance", 2), ("close",)]
    with pytest.raises(TypeError, match="describe\\(description\\) optional"):
        as_progress(lambda *a: None)
