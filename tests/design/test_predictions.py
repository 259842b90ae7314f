"""The prediction table in docs/ is what the code computes (it cannot go stale)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interlayer.cli import main
from interlayer.design.predictions import markdown, prediction_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "predictions.md"


@pytest.fixture(scope="module")
def rows():
    return prediction_table()


def test_docs_table_matches_the_code(rows):
    text = DOC.read_text(encoding="utf-8")
    table = text.split("<!-- predictions:start -->\n")[1].split("<!-- predictions:end -->")[0]
    assert table == markdown(rows), "docs/predictions.md is stale: run `interlayer predict --markdown docs/predictions.md` section"


def test_every_row_names_a_mode_and_the_paper_cells_are_first(rows):
    assert [r.name for r in rows[:3]] == ["LNI-0.5% CNT 90 um", "LNI-5% CNT 90 um", "LNI-50% CNT 90 um"]
    assert all(r.mode in ("stable", "contact-focusing", "sse-nucleation", "growth-through", "contact-loss", "dead-li")
               for r in rows)
    assert sum(r.status.startswith("fitted") for r in rows) == 1


@pytest.mark.slow  # 9 s; tests/regression replays predict --json number by number
def test_predict_cli_json(capsys, tmp_path):
    out = tmp_path / "p.md"
    assert main(["predict", "--json", "--markdown", str(out)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["predictions"]) == len(prediction_table())
    assert out.read_text().startswith("| cell |")
    assert main(["predict", "--markdown", str(tmp_path / "p.txt")]) == 2
