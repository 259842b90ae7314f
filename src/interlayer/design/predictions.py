"""The prediction table: critical currents and failure modes of cells the model was not fitted to.

Every row is computed by the failure physics (:mod:`interlayer.design.failure`) with the library as
it stands; nothing here is fitted. The three calibration cells come first, with what was measured
and whether a datum of that cell was used in a fit. ``interlayer predict`` prints the table;
``docs/predictions.md`` holds its Markdown and a test checks the two agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from interlayer.cell import Cell, Interlayer, Layer
from interlayer.design import failure
from interlayer.design.layered import architectures
from interlayer.units import MA_CM2, MAH_CM2, UM, ZERO_CELSIUS

STEP_HALF_CYCLE = 3600.0  # s: the step tests' fixed half-cycle time


@dataclass(frozen=True)
class Prediction:
    name: str
    stack: str
    conditions: str
    critical_current: float  # A/m^2 (inf: no failure up to the scan's end)
    mode: str
    measured: str  # what the paper measured, or "" for a true prediction
    status: str  # "fitted", "calibration check" or "prediction"

    def to_dict(self) -> dict:
        i = self.critical_current
        return {"name": self.name, "stack": self.stack, "conditions": self.conditions,
                "critical_current_mA_cm2": round(i * MA_CM2, 4) if math.isfinite(i) else None,
                "mode": self.mode, "measured": self.measured, "status": self.status}


def _single(material, thickness):
    return Interlayer((Layer.from_material(material, thickness),), 0.0)


def _row(name, interlayer, *, conditions="25 degC, 1 MPa, LNI pellet, 1 h half cycles", measured="",
         status="prediction", capacity=None, **cell_kw):
    cell = Cell(interlayer, **cell_kw)
    i_c, mode = failure.critical_current(cell, half_cycle_time=None if capacity else STEP_HALF_CYCLE, capacity=capacity)
    stack = " / ".join(f"{la.name} {la.thickness * UM:.3g} um" for la in interlayer.layers)
    if len(interlayer.layers) > 4:
        first, last = interlayer.layers[0], interlayer.layers[-1]
        stack = f"graded {first.name} -> {last.name}, {interlayer.thickness * UM:.3g} um ({len(interlayer.layers)} sublayers)"
    return Prediction(name, stack, conditions, i_c, mode, measured, status)


def prediction_table() -> list[Prediction]:
    """Calibration cells, then predictions for cells nobody fitted the model to."""
    rows = [
        _row("LNI-0.5% CNT 90 um", _single("lni-0p5cnt", 90e-6), measured="short at 0.16 mA/cm2",
             status="calibration check (its R_p is derived from its impedance; the short is not fitted)"),
        _row("LNI-5% CNT 90 um", _single("lni-5cnt", 90e-6), measured="no short up to 4.0 mA/cm2 (4 mAh/cm2, > 600 h)",
             status="calibration check (R_p, r_w and gamma come from its data; no current limit is fitted)"),
        _row("LNI-50% CNT 90 um", _single("lni-50cnt", 90e-6), measured="short at 0.62 mA/cm2",
             status="fitted (i_pen of the LNI pellet is set by this short)"),
    ]
    for material, label in (("lni-0p5cnt", "0.5%"), ("lni-5cnt", "5%"), ("lni-50cnt", "50%")):
        rows.append(_row(f"LNI-{label} CNT 14.8 um", _single(material, 14.8e-6)))
    rows.append(_row("dual LNI-7% / LNI-2% CNT 54.5 um", architectures(54.5e-6, 0.07, 0.02)["dual"]))
    rows.append(_row("LNI-25% Mg activated 18.5 um on LPSC, 60 degC", _single("lni-25mg-activated", 18.5e-6),
                     conditions="60 degC, 1 MPa, LPSC pellet, 1 h half cycles", electrolyte="lpsc",
                     temperature=60.0 + ZERO_CELSIUS))
    for thickness in (54.5e-6, 90e-6):
        for capacity, cond in ((None, "1 h half cycles"), (1 / MAH_CM2, "1 mAh/cm2 half cycles")):
            for arch, il in architectures(thickness, 0.07, 0.02).items():
                if arch.startswith("lni-25mg"):
                    continue
                rows.append(_row(f"{arch} LNI-CNT (mean 4.5%) {thickness * UM:.3g} um", il, capacity=capacity,
                                 conditions=f"25 degC, 1 MPa, LNI pellet, {cond}"))
    return rows


def markdown(rows: list[Prediction]) -> str:
    """The table as Markdown (what docs/predictions.md holds)."""
    lines = ["| cell | stack | conditions | critical current (mA/cm2) | failure mode | measured | status |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        d = r.to_dict()
        i = "none up to 100" if d["critical_current_mA_cm2"] is None else f"{d['critical_current_mA_cm2']:.3g}"
        lines.append(f"| {r.name} | {r.stack} | {r.conditions} | {i} | {r.mode} | {r.measured or '-'} | {r.status} |")
    return "\n".join(lines) + "\n"
