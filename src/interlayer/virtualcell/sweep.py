"""The virtual cell as a sweep model: a CCD map over any of its inputs runs through ``interlayer sweep``.

One point = one virtual step test (optional activation, then a current ramp at fixed half-cycle
time); outputs: the critical current (inf when nothing failed), the failure mode (text), the failure
time and the cycles run.
"""

from __future__ import annotations

from typing import Any

from interlayer.inputs.cell import StepTestInputs


def step_test(params: dict[str, Any]) -> dict[str, Any]:
    """Run one virtual step test (SI inputs; see :class:`~interlayer.inputs.cell.StepTestInputs`)."""
    import math

    from interlayer.virtualcell import simulate

    inputs = StepTestInputs(**params)
    ds = simulate(inputs.cell(), inputs.steps())
    i_c, failure_time = float(ds.critical_current), float(ds.failure_time)
    return {
        "critical_current": (math.inf if not math.isfinite(i_c) else i_c, "A/m^2", "step-test critical current (inf: none)"),
        "failure_mode": (ds.failure_mode.item(), "1", "failure mode ('none' if the ramp finished)"),
        "failure_time": (None if not math.isfinite(failure_time) else failure_time, "s", "time of the failure"),
        "cycles_run": (float(ds.cycles_run), "1", "cycles run"),
    }


VIRTUALCELL = StepTestInputs.model_spec(
    "virtual symmetric cell: a step test (after optional activation) -> critical current and failure mode",
    target="interlayer.virtualcell.sweep:step_test",
    requires="interlayer.virtualcell",
)
