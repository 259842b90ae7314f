"""HTML reports: self-contained, escaped, every number with its unit, inputs and version recorded."""

import re

import pytest

from interlayer.cli import main
from interlayer.errors import InputError
from interlayer.report import FigureBlock, Report, Section, Table, Value, render_html, write_html
from interlayer.report.commands import display_value, unit_of


def _self_contained(html: str) -> None:
    assert html.startswith("<!DOCTYPE html>")
    assert '<meta name="viewport"' in html  # phones
    assert "<script" not in html and "<link" not in html
    assert not re.search(r'(src|href|url\()\s*=?\s*"?(https?:)?//', html)
    for src in re.findall(r'<img src="([^"]*)"', html):
        assert src.startswith("data:image/png;base64,") and len(src) > 1000


def test_value_formatting():
    assert Value(5.567, "mA/cm2").text() == "5.567 mA/cm2"
    assert Value(float("inf"), "mA/cm2").text() == "∞ mA/cm2"
    assert Value(None, "um").text() == "—"
    assert Value(True).text() == "yes"
    assert Value(0.0492, "V", ".3g").text() == "0.0492 V"


def test_units_from_keys_and_display_units():
    assert unit_of("nucleation_rate_max_m3_s") == "1/(m^3 s)"
    assert unit_of("electron_mobility_m2_V_s") == "m^2/(V s)"
    assert unit_of("plated_capacity_mAh_cm2") == "mAh/cm2"
    assert display_value("thickness_m", 90e-6).text() == "90 um"
    assert display_value("sigma_e_S_m", 2.8e-3).text() == "2.8e-05 S/cm"
    assert display_value("contact_angle_rad", 2.0943951023931953).text() == "120 deg"


def test_render_escapes_and_embeds(tmp_path):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 2))
    fig.add_subplot().plot([0, 1], [0, 1])
    page = Report("<script>alert(1)</script>", command="interlayer x", inputs=[("thickness", "90 um")],
                  sections=[Section("S", facts=[("l_n", Value(20.8, "um"))], figures=[FigureBlock.from_figure(fig, "f")],
                                    tables=[Table(["claim", "verdict"], [["a < b", "agrees"]], kind="claims")])])
    html = render_html(page)
    _self_contained(html)
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "a &lt; b" in html and "20.8 um" in html and ">90 um<" in html
    assert 'class="verdict v-agrees" data-verdict="agrees"' in html
    path = write_html(page, tmp_path / "r.html")
    assert path.read_text(encoding="utf-8") == html
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]  # no temporary file left
    with pytest.raises(InputError, match="report"):
        write_html(page, tmp_path / "missing" / "r.html")


def _report(tmp_path, argv, capsys):
    path = tmp_path / "r.html"
    assert main([*argv, "--report", str(path)]) == 0, capsys.readouterr().err
    html = path.read_text(encoding="utf-8")
    _self_contained(html)
    assert "interlayer 0." in html  # version
    return html


def test_design_report(tmp_path, capsys):
    html = _report(tmp_path, ["design", "--material", "lni-50cnt", "--thickness", "60 um", "--json"], capsys)
    assert ">thickness<" in html and ">60 um<" in html  # the input as given, with its unit
    assert "interlayer design --material lni-50cnt --thickness &#39;60 um&#39;" in html  # the command line
    assert "mA/cm2" in html and "sse-nucleation" in html and "Critical current" in html
    assert html.count("<img ") == 1
    assert "current density (mA/cm2)" in html and "l_n (um)" in html


def test_layers_and_transport_reports(tmp_path, capsys):
    html = _report(tmp_path, ["layers"], capsys)
    assert "homogeneous" in html and "mA/cm2" in html
    html = _report(tmp_path, ["transport", "--resolution", "coarse", "--json"], capsys)
    assert "eta anode" in html and " V<" in html and "1/(m^3 s)" in html


def test_transport_paper_report_shows_both_evaluations(tmp_path, capsys):
    html = _report(tmp_path, ["transport-paper", "--resolution", "coarse"], capsys)
    assert html.count("<img ") == 2
    assert "Physical evaluation" in html and "Paper-literal evaluation" in html


def test_phasefield_report(tmp_path, capsys):
    html = _report(tmp_path, ["phasefield", "--grid", "64", "--steps", "20", "--json"], capsys)
    assert "penetration depth" in html and " um<" in html and html.count("<img ") == 3


@pytest.mark.parametrize("command", [["design"], ["layers"], ["transport"], ["transport-paper"], ["phasefield"]])
def test_bad_report_path_exits_2_before_work(tmp_path, capsys, command):
    assert main([*command, "--report", str(tmp_path / "r.txt")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "report" in err
    assert main([*command, "--report", str(tmp_path / "no" / "r.html")]) == 2
    assert list(tmp_path.iterdir()) == []
