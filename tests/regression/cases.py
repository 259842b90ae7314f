"""The README's example commands (and one per command family), each with ``--json``.

``record.py`` writes their output to ``baseline/``; ``test_json_regression.py`` replays them and
compares every number. Record only on purpose: the baseline is what the commands printed before a
refactor, so a refactor that changes a number fails until the change is explained.
"""

from __future__ import annotations

from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"

#: name -> argument list (without ``--json``). Paths under ``{shared}`` need ../shared/data.
CASES: dict[str, list[str]] = {
    "design-default": ["design"],
    "design-50cnt": ["design", "--material", "lni-50cnt", "--current", "0.1:2:0.1"],
    "design-40um-capacity": ["design", "--thickness", "40um", "--capacity", "2mAh/cm2"],
    "design-mg-lpsc-60C": [
        "design", "--material", "lni-25mg-activated", "--thickness", "18.5um",
        "--electrolyte", "lpsc", "--temperature", "60degC",
    ],
    "design-own-layer": [
        "design", "--sigma-ion", "3.1e-4 S/cm", "--sigma-e", "1.2e-5 S/cm",
        "--interface-resistance", "95 ohm*cm^2", "--temperature", "60degC",
    ],
    "design-legacy": ["design", "--criterion", "legacy"],
    "optimize-pareto": [
        "optimize", "--target-current", "4mA/cm2", "--target-capacity", "4mAh/cm2",
        "--free", "thickness,cnt_fraction", "--pareto",
    ],
    "predict": ["predict"],
    "layers": ["layers"],
    "materials-lni-5cnt": ["materials", "lni-5cnt"],
    "map": [
        "map", "--x", "sigma_e", "--x-range", "1e-8:1e-1", "--y", "current_density",
        "--y-range", "0.1:4",
    ],
    "cell-cycle": ["cell", "--protocol", "Cycle at 0.1 mA/cm2 until 0.1 mAh/cm2, 20 times"],
    "cell-step": [
        "cell", "--material", "lni-0p5cnt", "--protocol",
        "Step from 0.1 to 1 mA/cm2 by 0.1 mA/cm2 for 1 hour",
    ],
    "transport": ["transport"],
    "transport-paper": ["transport-paper"],
    "phasefield-small": ["phasefield", "--grid", "48", "--steps", "200"],
    "analyze-mpr": ["analyze", "{shared}/cycling/00_test_04_MB_C01.mpr"],
    "eis-zview": ["eis", "{shared}/eis/Circuit1_EIS_1.z"],
}


def arguments(name: str) -> list[str]:
    """The case's arguments with ``{shared}`` filled in and ``--json`` appended."""
    return [a.replace("{shared}", str(SHARED)) for a in CASES[name]] + ["--json"]


def needs_shared(name: str) -> bool:
    return any("{shared}" in a for a in CASES[name])
