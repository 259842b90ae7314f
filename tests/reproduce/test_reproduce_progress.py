"""``reproduce`` on the package's progress protocol: every run, figure and the report is a named stage."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))
from _progress_recorder import Recorder, record_rich_progress  # noqa: E402


def test_compute_reports_every_run_by_name(compute_progress, test_results):
    from interlayer.reproduce import stage_count

    rec = compute_progress
    rec.check_stages()
    assert rec.calls[0] == ("start", stage_count("test"), "reproduce (test)", 0)
    assert rec.descriptions == list(test_results.timings)  # the names the timings are reported under


def test_reproduce_reports_every_figure_and_the_report(reproduce_progress):
    from interlayer.reproduce import figure_count

    rec = reproduce_progress
    rec.check_stages()
    assert rec.total == figure_count() + 1  # results given: no runs, the figures and report.html
    assert rec.descriptions[-1] == "report.html"
    assert all(d.startswith("figure ") for d in rec.descriptions[:-1])


def test_stage_count_of_every_preset():
    from interlayer.errors import InputError
    from interlayer.reproduce import stage_count

    assert stage_count("test") < stage_count("quick") < stage_count("full")
    with pytest.raises(InputError, match="preset"):
        stage_count("medium")


def test_progress_is_closed_when_a_run_fails(tmp_path, monkeypatch):
    import interlayer.reproduce as rp
    from interlayer.reproduce import runs

    def broken(*args, **kwargs):
        raise RuntimeError("solver failed (simulated)")

    monkeypatch.setattr(runs, "_phasefield", broken)
    monkeypatch.setattr(runs, "_fig2", lambda res, cfg, progress: progress.describe("Fig. 2e-j 1D, library"))
    rec = Recorder()
    with pytest.raises(RuntimeError, match="simulated"):
        rp.compute("test", progress=rec)
    assert rec.kinds == ["start", "describe", "close"]
    rec = Recorder()
    with pytest.raises(RuntimeError, match="simulated"):  # through reproduce: compute reports to a Part of it
        rp.reproduce(tmp_path / "out", preset="test", progress=rec)
    assert rec.kinds == ["start", "describe", "close"]
    assert rec.total == rp.stage_count("test") + rp.figure_count() + 1
    assert list(tmp_path.iterdir()) == []
    rec = Recorder()
    with pytest.raises(Exception, match="preset"):
        rp.compute("medium", progress=rec)
    assert rec.calls == []  # an input error: nothing started


def test_progress_is_closed_when_a_figure_fails(tmp_path, test_results, monkeypatch):
    import interlayer.reproduce as rp

    real = rp.figure_specs

    def second_fails(results):
        def broken(r):
            raise RuntimeError("figure failed (simulated)")

        first, second = real(results)[:2]
        return [first, (second[0], broken, *second[2:])]

    monkeypatch.setattr(rp, "figure_specs", second_fails)
    rec = Recorder()
    with pytest.raises(RuntimeError, match="simulated"):
        rp.reproduce(tmp_path / "out", preset="test", results=test_results, progress=rec)
    assert rec.kinds == ["start", "describe", "advance", "describe", "close"]
    assert list(tmp_path.iterdir()) == []  # and nothing half written
    rec = Recorder()
    with pytest.raises(RuntimeError, match="simulated"):
        rp.write_figures(test_results, tmp_path / "figures", progress=rec)
    assert rec.calls[0] == ("start", 2, "figures", 0) and rec.kinds[-1] == "close"


def test_cli_shows_the_stages_on_a_bar(tmp_path, test_results, monkeypatch, capsys):
    import interlayer.reproduce as rp
    from interlayer.cli import main

    real, specs = rp.reproduce, rp.figure_specs
    monkeypatch.setattr(rp, "reproduce", lambda out, **kw: real(out, **{**kw, "results": test_results}))
    monkeypatch.setattr(rp, "figure_specs", lambda results: specs(results)[:1])  # one figure is enough here,
    monkeypatch.setattr(rp, "build_report", lambda *args: None)  # and a stub report
    monkeypatch.setattr("interlayer.report.write_html", lambda report, path: Path(path).write_text("stub"))
    bars = record_rich_progress(monkeypatch)
    assert main(["reproduce", "--quick", "--out", str(tmp_path / "out"), "--json"]) == 0
    json.loads(capsys.readouterr().out)  # stdout: exactly one JSON document (the bar is on stderr)
    assert len(bars) == 1
    bars[0].check_order()
    assert bars[0].calls[0][2] == "reproduce (quick)" and bars[0].descriptions[-1] == "report.html"
