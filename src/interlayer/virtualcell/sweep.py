"""The virtual cell as a sweep model: a CCD map over any of its inputs runs through ``interlayer sweep``.

One point = one virtual step test (optional activation, then a current ramp at fixed half-cycle
time); outputs: the critical current (inf when nothing failed), the failure mode (text), the failure
time and the cycles run.
"""

from __future__ import annotations

from typing import Any

from interlayer.sweep.registry import ModelSpec, Parameter
from interlayer.units import ROOM_TEMPERATURE


def step_test(params: dict[str, Any]) -> dict[str, Any]:
    """Run one virtual step test (SI inputs; see :data:`VIRTUALCELL`)."""
    import math

    from interlayer.cell import Cell, Interlayer, Layer
    from interlayer.virtualcell import simulate
    from interlayer.virtualcell.protocol import HalfCycle

    overrides = {k: params.get(k) for k in ("sigma_ion", "sigma_e", "porosity", "pore_radius")}
    layer = Layer.from_material(params["material"], params["thickness"], **overrides)
    cell = Cell(Interlayer((layer,), 0.0), electrolyte=params["electrolyte"], temperature=params["temperature"],
                stack_pressure=params["stack_pressure"])
    steps = []
    for _ in range(int(params["activation_cycles"])):
        steps += [HalfCycle("A", 1.0, None, 360.0, "activation"), HalfCycle("B", 1.0, None, 360.0, "activation")]
    i, stop, inc, t = params["start_current"], params["stop_current"], params["current_step"], params["half_cycle_time"]
    n = int((stop - i) / inc + 1e-9) + 1
    for k in range(n):
        c = i + k * inc
        steps += [HalfCycle("A", c, t, None, "step"), HalfCycle("B", c, t, None, "step")]
    ds = simulate(cell, steps)
    i_c = ds.attrs["critical_current_A_m2"]
    return {
        "critical_current": (math.inf if not math.isfinite(i_c) else i_c, "A/m^2", "step-test critical current (inf: none)"),
        "failure_mode": (ds.attrs["failure_mode"], "1", "failure mode ('none' if the ramp finished)"),
        "failure_time": (None if not math.isfinite(ds.attrs["failure_time_s"]) else ds.attrs["failure_time_s"], "s",
                         "time of the failure"),
        "cycles_run": (float(ds.attrs["cycles_run"]), "1", "cycles run"),
    }


VIRTUALCELL = ModelSpec(
    name="virtualcell",
    description="virtual symmetric cell: a step test (after optional activation) -> critical current and failure mode",
    target="interlayer.virtualcell.sweep:step_test",
    requires="interlayer.virtualcell",
    parameters={
        "material": Parameter("material", kind="text", default="lni-5cnt", description="materials library name"),
        "thickness": Parameter("thickness", "m", 90e-6, description="interlayer thickness", default_unit="um"),
        "sigma_ion": Parameter("sigma_ion", "S/m", None, description="ionic conductivity at 25 degC (material's if unset)",
                               default_unit="S/cm"),
        "sigma_e": Parameter("sigma_e", "S/m", None, description="electronic conductivity at 25 degC (material's if unset)",
                             default_unit="S/cm"),
        "porosity": Parameter("porosity", "1", None, description="porosity (material's if unset)"),
        "pore_radius": Parameter("pore_radius", "m", None, description="pore radius (material's if unset)", default_unit="um"),
        "electrolyte": Parameter("electrolyte", kind="text", default="lni", description="separator material"),
        "temperature": Parameter("temperature", "K", ROOM_TEMPERATURE, description="temperature",
                                 needs_unit="'25 degC' or '298.15 K'"),
        "stack_pressure": Parameter("stack_pressure", "Pa", 1e6, description="stack pressure", default_unit="MPa"),
        "activation_cycles": Parameter("activation_cycles", "1", 0.0,
                                       description="cycles at 0.1 mA/cm2, 0.1 mAh/cm2 before the ramp"),
        "start_current": Parameter("start_current", "A/m^2", 1.0, description="first step current", default_unit="mA/cm^2"),
        "stop_current": Parameter("stop_current", "A/m^2", 40.0, description="last step current", default_unit="mA/cm^2"),
        "current_step": Parameter("current_step", "A/m^2", 1.0, description="current increment", default_unit="mA/cm^2"),
        "half_cycle_time": Parameter("half_cycle_time", "s", 3600.0, description="time per half cycle", default_unit="h",
                                     needs_unit="'1 h' or '3600 s'"),
    },
)
