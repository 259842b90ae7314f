"""``interlayer reproduce``: the files it writes, all or nothing, and its bad-input handling."""

import json
import os
import re

import pytest

from interlayer.cli import main
from interlayer.report import VERDICTS
from interlayer.reproduce import claims as claims_module

STEMS = ("fig2ej_physical", "fig2ej_paper_literal", "fig2ej_physical_low_carrier", "fig2ej_paper_literal_low_carrier",
         "fig2kl", "fig4e", "fig4f", "fig5ac")


def test_every_figure_as_png_and_svg(reproduced):
    out, summary = reproduced
    for stem in STEMS:
        png = (out / "figures" / f"{stem}.png").read_bytes()
        svg = (out / "figures" / f"{stem}.svg").read_text(encoding="utf-8")
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
        assert "<svg" in svg and "</svg>" in svg
    listed = {f for f in summary["files"]}
    assert {f"figures/{s}.{e}" for s in STEMS for e in ("png", "svg")} <= listed
    assert {"claims.md", "claims.json", "report.html"} <= listed
    assert sorted(p.name for p in out.iterdir()) == ["claims.json", "claims.md", "figures", "report.html"]


def test_claims_json_and_markdown_hold_every_claim_with_a_verdict_and_a_command(reproduced):
    out, summary = reproduced
    data = json.loads((out / "claims.json").read_text(encoding="utf-8"))
    assert len(data["claims"]) == len(claims_module.CLAIMS)
    for claim in data["claims"]:
        assert claim["verdict"] in VERDICTS
        assert claim["command"].startswith("interlayer ")
        assert claim["paper"] and claim["ours"] and claim["rule"]
    assert sum(data["counts"].values()) == len(data["claims"])
    assert data["counts"] == summary["counts"]
    md = (out / "claims.md").read_text(encoding="utf-8")
    rows = [line for line in md.splitlines() if line.startswith("| ") and not line.startswith("| id ")]
    assert len(rows) == len(data["claims"])
    for claim, row in zip(data["claims"], rows, strict=True):
        assert row.startswith(f"| {claim['id']} |") and f"**{claim['verdict']}**" in row
    # the disagreements are stated, not hidden
    assert data["counts"]["disagrees"] == md.count("**disagrees**")


def test_html_report_is_self_contained_and_holds_every_claim(reproduced):
    out, _ = reproduced
    html = (out / "report.html").read_text(encoding="utf-8")
    data = json.loads((out / "claims.json").read_text(encoding="utf-8"))
    for claim in data["claims"]:
        assert f">{claim['id']}<" in html
    verdict_cells = re.findall(r'<td class="verdict v-(\w+)" data-verdict="(\w+)">', html)
    assert len(verdict_cells) == len(data["claims"])
    assert [v for _, v in verdict_cells] == [c["verdict"] for c in data["claims"]]
    images = re.findall(r'<img src="([^"]{0,40})', html)
    assert len(images) == len(STEMS) and all(src.startswith("data:image/png;base64,") for src in images)
    assert "<script" not in html and "<link" not in html and not re.search(r'(src|href)="(https?:)?//', html)
    assert "interlayer 0." in html  # the package version


def test_nonempty_out_without_force_exits_2_and_leaves_it_alone(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    assert main(["reproduce", "--out", str(out), "--quick"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--force" in err and "out" in err
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_unwritable_out_exits_2_with_nothing_written(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert main(["reproduce", "--out", str(blocker / "sub"), "--quick"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert main(["reproduce", "--out", str(blocker), "--quick"]) == 2  # a file, not a folder
    assert "not a folder" in capsys.readouterr().err
    if os.geteuid() != 0:  # root writes anywhere; the probe is tested through the file case above
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        assert main(["reproduce", "--out", str(locked / "x"), "--quick"]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"] + (["locked"] if os.geteuid() != 0 else [])


def test_failure_midway_leaves_nothing_half_written(tmp_path, test_results, monkeypatch):
    import interlayer.reproduce as rp

    def broken(*args, **kwargs):
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(rp, "write_figures", broken)
    with pytest.raises(RuntimeError, match="simulated"):
        rp.reproduce(tmp_path / "out", preset="test", results=test_results)
    assert list(tmp_path.iterdir()) == []  # no target, no .partial folder


def test_staged_folder_replaces_with_force_and_cleans_up_on_error(tmp_path):
    from interlayer.reproduce.output import staged_folder

    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("old")
    with staged_folder(out, force=True) as stage:
        (stage / "new.txt").write_text("new")
        assert not (out / "new.txt").exists()  # nothing at the target until the end
    assert sorted(p.name for p in out.iterdir()) == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # the old copy is gone too
    with pytest.raises(KeyError), staged_folder(out, force=True) as stage:
        (stage / "half.txt").write_text("half")
        raise KeyError("boom")
    assert sorted(p.name for p in out.iterdir()) == ["new.txt"]  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    empty = tmp_path / "empty"
    empty.mkdir()
    with staged_folder(empty) as stage:  # an existing empty folder needs no --force
        (stage / "a.txt").write_text("a")
    assert [p.name for p in empty.iterdir()] == ["a.txt"]


def test_unknown_preset_is_an_input_error():
    from interlayer.errors import InputError
    from interlayer.reproduce import compute

    with pytest.raises(InputError, match="preset"):
        compute("medium")


@pytest.mark.slow
def test_quick_reproduction_from_the_cli(tmp_path, capsys):
    # the acceptance run: `interlayer reproduce --quick` (<= 5 min on the 2-core machine), exit 0
    out = tmp_path / "quick"
    assert main(["reproduce", "--quick", "--out", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["preset"] == "quick"
    assert all(c["verdict"] in VERDICTS and c["command"].startswith("interlayer ") for c in data["claims"])
    assert len(data["claims"]) == len(claims_module.CLAIMS)
    assert (out / "report.html").is_file()
    print(data["wall_time_s"], data["counts"])


@pytest.mark.slow
def test_full_reproduction(tmp_path):
    from interlayer.reproduce import reproduce

    data = reproduce(tmp_path / "full", preset="full")
    assert all(c["verdict"] in VERDICTS for c in data["claims"])
    print(data["wall_time_s"], data["counts"])
