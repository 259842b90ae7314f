"""The hand-typed paper-comparison tables and statements in docs/ and README.md, checked against what
the code gives now (the same runs and claims as ``interlayer reproduce``), so they cannot go stale.

Each check finds its table or sentence by its heading or wording; if that wording is gone the check
fails and names it (update the check together with the doc). Tolerances are those of the doc's
rounding: the digits printed.
"""

import re
from pathlib import Path

import pytest

from interlayer.reproduce import claims as C
from interlayer.transport.pnp.fig2 import PAPER_PATTERNS, PATTERNS

ROOT = Path(__file__).resolve().parents[2]
LAYER_NAMES = {"LNI-0.5% CNT": "lni-0p5cnt", "LNI-5% CNT": "lni-5cnt", "LNI-50% CNT": "lni-50cnt"}


def _read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def _doc(name: str) -> str:
    return _read(name)


def _table_after(text: str, heading: str, doc: str) -> list[list[str]]:
    """Rows (cells stripped) of the first Markdown table after the line matching ``heading``."""
    m = re.search(heading, text, flags=re.M)
    assert m, f"{doc}: no longer has a line matching {heading!r}; update tests/reproduce/test_docs_tables.py with it"
    rows, started = [], False
    for line in text[m.end():].splitlines():
        if line.startswith("|"):
            started = True
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(set(c) <= set("-: ") for c in cells):
                rows.append(cells)
        elif started:
            break
    assert rows, f"{doc}: no table after {heading!r}"
    return rows


def _pattern(cell: str) -> tuple[str, str]:
    """(our pattern, paper's pattern) from a cell like 'anode-side sheet on the Li surfaces (none)'."""
    text = cell.replace("*", "")
    ours = next(p for p in sorted(PATTERNS, key=len, reverse=True) if text.startswith(p))
    paper = re.search(r"\((" + "|".join(PATTERNS) + r"|agrees)\)", text).group(1)
    return ours, paper


def _numbers(cell: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", cell)]


def _rows_by_layer(rows):
    return {LAYER_NAMES[r[0]]: r for r in rows[1:] if r[0] in LAYER_NAMES}


def test_pnp_fig2_table_at_the_library_settings(test_results):
    text = _doc("docs/pnp.md")
    heading = r"^### At the library settings \(1 mA/cm\^2, 2 s, 120 deg, CNT carrier density 1e26 m\^-3\): (\d) of 3"
    agreed = int(re.search(heading, text, flags=re.M).group(1)) if re.search(heading, text, flags=re.M) else None
    rows = _rows_by_layer(_table_after(text, heading, "docs/pnp.md"))
    lib2 = {r["material"]: r for r in test_results.fig2[("library", 2)].rows}
    lib1 = {r["material"]: r for r in test_results.fig2[("library", 1)].rows}
    assert agreed == test_results.fig2[("library", 2)].agreements
    for name, cells in rows.items():
        ours, paper = _pattern(cells[4])
        assert ours == lib2[name]["pattern"], f"docs/pnp.md says {name} is {ours}; the code gives {lib2[name]['pattern']}"
        assert paper == PAPER_PATTERNS[name]
        assert float(cells[1]) == pytest.approx(lib2[name]["relaxation_time_s"], rel=0.01)
        assert float(cells[2]) == pytest.approx(lib2[name]["critical_overpotential_V"] * 1e3, abs=0.06)
        a2, s2, a1, s1 = _numbers(cells[3])[:4]  # "70 / 1 [75 / 1]": 2D, then [1D], mV
        assert a1 == pytest.approx(lib1[name]["eta_anode_V"] * 1e3, abs=1.0)
        assert s1 == pytest.approx(lib1[name]["eta_sse_V"] * 1e3, abs=1.0)
        # 2D at the docs' normal mesh; this run is coarse: within 3 mV
        assert a2 == pytest.approx(lib2[name]["eta_anode_V"] * 1e3, abs=3.0)
        assert s2 == pytest.approx(lib2[name]["eta_sse_V"] * 1e3, abs=3.0)


def test_pnp_fig2_table_at_low_carrier_density(test_results):
    text = _doc("docs/pnp.md")
    heading = r"^### At the low end of the carrier-density range \(1e25 m\^-3\) and 2 mA/cm\^2: (\d) of 3"
    m = re.search(heading, text, flags=re.M)
    rows = _rows_by_layer(_table_after(text, heading, "docs/pnp.md"))
    low = test_results.fig2[("low-carrier", test_results.dim_for("low-carrier"))]
    low1 = {r["material"]: r for r in test_results.fig2[("low-carrier", 1)].rows}
    assert int(m.group(1)) == low.agreements
    for name, cells in rows.items():
        ours, _ = _pattern(cells[3])
        assert ours == low1[name]["pattern"], f"docs/pnp.md says {name} is {ours}; the code gives {low1[name]['pattern']}"
        assert float(cells[1]) == pytest.approx(low1[name]["relaxation_time_s"], rel=0.05, abs=0.5)
        anode, sse = _numbers(cells[2])[:2]
        assert anode == pytest.approx(low1[name]["eta_anode_V"] * 1e3, abs=1.0)
        assert sse == pytest.approx(low1[name]["eta_sse_V"] * 1e3, abs=1.0)


def test_pnp_contact_angle_table(test_results):
    rows = _table_after(_doc("docs/pnp.md"), r"^### Contact angle \(1 mA/cm\^2, 2 s", "docs/pnp.md")
    angles = [float(a) for a in rows[0][1:]]
    mixed = next(r for r in rows if r[0].startswith("LNI-5% CNT region"))
    region = {c.id: c for c in C.evaluate_claims(test_results)}["fig2-contact-angle"].values
    ours = dict(zip(region["contact_angle_deg"], region["region_fraction"], strict=True))
    checked = 0
    for angle, cell in zip(angles, mixed[1:], strict=True):
        one_d = re.search(r"\[([\d.]+)", cell)
        if angle in ours and one_d:
            assert float(one_d.group(1)) == pytest.approx(ours[angle], abs=0.01), f"{angle} deg"
            checked += 1
    assert checked >= 3


def test_phasefield_fig2kl_table(test_results):
    rows = _table_after(_doc("docs/phasefield.md"), r"^## Fig\. 2k,l: lithiophilic vs lithiophobic host", "docs/phasefield.md")
    by_angle = {r[0]: r for r in rows[1:]}
    for angle, name in (("30 deg", "lithiophilic"), ("120 deg", "lithiophobic")):
        ds = test_results.phasefield[name]
        cells = by_angle[angle]
        assert _numbers(cells[2])[0] == pytest.approx(float(ds.penetration_depth.values[-1]) * 1e6, abs=0.05)
        assert cells[1].startswith("breakthrough") == bool(ds.breakthrough)


def test_theory_statements(test_results):
    from interlayer.design import evaluate, failure
    from interlayer.design.predictions import prediction_table

    text = " ".join(_doc("docs/theory.md").split())
    # section 0: the failure physics (the default criterion)
    rows = {r.name: r for r in prediction_table()}
    m = re.search(r"the LNI-0.5% CNT short \(predicted ([\d.]+) mA/cm2 by contact focusing", text)
    assert m, "docs/theory.md: the sentence on the LNI-0.5% CNT prediction changed; update this check"
    assert float(m.group(1)) == pytest.approx(rows["LNI-0.5% CNT 90 um"].critical_current * C.MA_CM2, abs=0.0005)
    m = re.search(r"\(critical current ([\d.]+) mA/cm2 by growth-through in the 1 h step test; dead Li would need (\d+) cycles", text)
    assert m, "docs/theory.md: the sentence on LNI-5% CNT at 4 mA/cm2 changed; update this check"
    assert float(m.group(1)) == pytest.approx(rows["LNI-5% CNT 90 um"].critical_current * C.MA_CM2, abs=0.05)
    dead = evaluate("lni-5cnt", current_density=[40.0], capacity=4 * 36000.0).cycles_to_dead_li.values[0]
    assert float(m.group(2)) == pytest.approx(dead, abs=1)
    assert rows["LNI-0.5% CNT 90 um"].mode == "contact-focusing" and rows["LNI-50% CNT 90 um"].mode == "sse-nucleation"
    assert failure.MODES[0] == "stable"
    # sections 1-9: the legacy criterion, evaluated as such
    design = {name: evaluate(name, criterion="legacy") for name in ("lni-5cnt", "lni-50cnt", "lni-0p5cnt")}
    m = re.search(r"the largest stable current of ([\d.]+) mA/cm\^2 at 1 h half cycles", text)
    assert m, "docs/theory.md: the sentence on the largest stable current changed; update this check"
    assert float(m.group(1)) == pytest.approx(C.critical_current(design["lni-5cnt"]) * C.MA_CM2, abs=0.05)
    m = re.search(r"SSE-side nucleation from ~([\d.]+) mA/cm\^2 \(eta_c = ([\d.]+) mV\)", text)
    assert m, "docs/theory.md: the sentence on LNI-50% CNT SSE nucleation changed; update this check"
    assert float(m.group(1)) == pytest.approx(C.critical_current(design["lni-50cnt"]) * C.MA_CM2, abs=0.005)
    assert float(m.group(2)) == pytest.approx(float(design["lni-50cnt"].critical_overpotential) * 1e3, abs=0.05)
    m = re.search(r"eta_c\(LNI-5% CNT, 120 deg\) = (\d+) mV .{0,40}\(LNI-0.5% CNT (\d+) mV, LNI-50% CNT ([\d.]+) mV", text)
    assert m, "docs/theory.md: the eta_c sentence changed; update this check"
    for value, name, tol in ((m.group(1), "lni-5cnt", 0.5), (m.group(2), "lni-0p5cnt", 0.5), (m.group(3), "lni-50cnt", 0.05)):
        assert float(value) == pytest.approx(float(design[name].critical_overpotential) * 1e3, abs=tol), name


def test_readme_trust_table_matches_the_claims(test_results):
    rows = _table_after(_doc("README.md"), r"^## How far to trust it", "README.md")
    by_model = {r[0].split(" (")[0]: r for r in rows[1:]}
    claims = {c.id: c for c in C.evaluate_claims(test_results)}
    design_row = by_model["failure physics"]
    found = 0
    if "homogeneous, dual and gradient within 7% at 1 h half cycles" in design_row[3]:
        found += 1
        arch = claims["fig5-architectures"].values
        values = [arch[f"{k}_A_m2"] for k in ("homogeneous", "dual", "gradient")]
        assert max(values) / min(values) < 1.07
    if "LNI-5% CNT survives 4 mA/cm2 at 4 mAh/cm2" in design_row[2]:
        found += 1
        assert claims["ccd-lni-5cnt"].verdict == C.AGREES
    if "LNI-50% CNT shorts at 0.62 mA/cm2 by SSE nucleation" in design_row[2]:
        found += 1
        assert claims["failure-electronic"].verdict == C.AGREES
    pnp_row = by_model["PNP transport"]
    if "ionic layer's Li contact nucleates (paper: none)" in pnp_row[3]:
        found += 1
        assert claims["fig2-ionic"].values["pattern_library"] != "none"
    if "1e25 m^-3 CNT carriers" in pnp_row[2]:
        found += 1
        assert claims["fig2-mixed"].values["pattern_low_carrier"] == "anode-side"
    pf_row = by_model["phase field"]
    if "lithiophobic ones stall in the first particle layer" in pf_row[2]:
        found += 1
        assert claims["fig2k-lithiophilic"].verdict == C.AGREES and claims["fig2l-lithiophobic"].verdict == C.AGREES
    assert found == 6, f"only {found} of the 6 README statements checked were found; update this check"


def test_a_stale_doc_number_is_caught(test_results, monkeypatch):
    real = _doc("docs/theory.md")
    stale = real.replace("(predicted 0.206 mA/cm2 by contact focusing", "(predicted 0.31 mA/cm2 by contact focusing")
    assert stale != real
    monkeypatch.setitem(globals(), "_doc", lambda name: stale if name == "docs/theory.md" else _read(name))
    with pytest.raises(AssertionError):
        test_theory_statements(test_results)
