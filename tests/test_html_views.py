"""Notebook views: Material and the analysis results render as escaped, well-formed HTML tables."""

from html.parser import HTMLParser

import numpy as np
import pytest

from interlayer import materials
from interlayer._html import table, text

VOID = {"br", "hr", "img", "meta", "link", "input"}


class _Checker(HTMLParser):
    """Collects the cell texts and fails on unbalanced or misnested tags."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.cells, self.errors = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"misnested </{tag}>")

    def handle_data(self, data):
        if self.stack and self.stack[-1] in ("td", "th", "caption", "li"):
            self.cells.append(data)


def parse(html: str) -> list[str]:
    checker = _Checker()
    checker.feed(html)
    checker.close()
    assert not checker.errors and not checker.stack, (checker.errors, checker.stack)
    return checker.cells


def test_cells_are_escaped():
    cells = parse(table([("<script>alert(1)</script>", 1.5, "S/m", 'a "quoted" & <b>source</b>')],
                        caption="<i>x</i>", notes=["1 < 2"]))
    assert "<script>alert(1)</script>" in cells and 'a "quoted" & <b>source</b>' in cells
    assert "<i>x</i>" in cells and "1 < 2" in cells
    assert "<script>" not in table([("<script>", 1, "", "")])


def test_cell_text():
    assert [text(v) for v in (None, float("nan"), np.True_, False, np.int64(3), 1.0 / 3, "x")] == \
        ["\u2014", "\u2014", "yes", "no", "3", "0.333333", "x"]


@pytest.mark.parametrize("name", materials.names())
def test_every_material_renders_its_values_units_and_sources(name):
    m = materials.get(name)
    cells = parse(m._repr_html_())
    for key, p in m.properties.items():
        assert key in cells
        assert text(p.given_value) in cells
        assert p.source in cells
        if p.given_unit != "dimensionless":
            assert p.given_unit in cells
        assert f"{p.value:.6g} {p.si_unit}" in cells


def test_cell_analysis_renders_its_numbers():
    from interlayer.analysis import analyze
    from interlayer.analysis.synthetic import symmetric_trace

    result = analyze(symmetric_trace(n_cycles=4, seed=1), area=0.503e-4)
    cells = parse(result._repr_html_())
    d = result.to_dict()
    assert text(d["cycles"][0]["overpotential_V"]) in cells and "V" in cells
    assert text(d["area_cm2"]) in cells and "cm2" in cells
    assert "critical current density" in cells and "mA/cm2" in cells
    assert text(d["stable_up_to_mA_cm2"]) in cells


def test_eis_fit_and_spectrum_fits_render_their_parameters():
    from interlayer.analysis.eis import fit_circuit
    from interlayer.analysis.spectra import fit_spectra
    from interlayer.analysis.synthetic import mixed_record

    f = np.geomspace(1e5, 0.1, 40)
    z = 10 + 100 / (1 + 1j * 2 * np.pi * f * 100 * 1e-6)
    fit = fit_circuit(f, z, "R0-p(R1,C1)")
    cells = parse(fit._repr_html_())
    for name, p in fit.parameters.items():
        assert name in cells and text(p["value"]) in cells and p["unit"] in cells
    rec = mixed_record(n_cycles=2, seed=0)
    fits = fit_spectra(rec.impedance)
    cells = parse(fits._repr_html_())
    assert len(fits.to_dict()) > 0 and text(fits.to_dict()[0]["r_total_ohm"]) in cells


def test_ccd_result_renders_the_ccd_and_its_levels():
    from interlayer.analysis.ccd import CCDResult

    levels = [{"current_density": 1.0, "half_cycles": 2, "half_cycle_time": 3600.0, "capacity": 3600.0},
              {"current_density": 2.0, "half_cycles": 1, "half_cycle_time": 1800.0, "capacity": 3600.0}]
    cells = parse(CCDResult(ccd=2.0, last_stable=1.0, lower_bound=None, step_increase=True, levels=levels)._repr_html_())
    assert "critical current density" in cells and text(0.2) in cells and text(0.1) in cells  # mA/cm2
    assert "level 2" in cells and "1 half cycles, 0.5 h, 0.1 mAh/cm2 each" in cells
