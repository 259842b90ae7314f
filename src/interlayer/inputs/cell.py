"""The virtual cell's inputs, declared once: ``interlayer cell`` (options and ``--config [cell]``) and
the ``virtualcell`` sweep model take these (``tests/test_model_declarations.py`` checks it).

>>> c = CellInputs.from_text({"material": "lni-50cnt", "temperature": "25 degC"})
>>> c.cell().interlayer.layers[0].name, c.cell().temperature
('lni-50cnt', 298.15)
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from interlayer.defaults import DEFAULT_HALF_CYCLE
from interlayer.inputs import Inputs, fields, integer


@dataclasses.dataclass(frozen=True)
class CellInputs(Inputs):
    """A symmetric cell Li | layer | pellet | layer | Li (SI; ``None``: the material's value)."""

    model: ClassVar[str] = "cell"

    material: str = fields.material(note="the same on both sides")
    thickness: float = fields.thickness()
    sigma_ion: float | None = fields.sigma_ion()
    sigma_e: float | None = fields.sigma_e()
    porosity: float | None = fields.porosity()
    pore_radius: float | None = fields.pore_radius()
    electrolyte: str = fields.electrolyte()
    temperature: float = fields.temperature()
    stack_pressure: float = fields.stack_pressure()
    extrapolate: bool = fields.extrapolate()

    def cell(self):
        """The :class:`~interlayer.cell.Cell` (the same layer on both sides)."""
        from interlayer.cell import Cell, Interlayer, Layer

        overrides = {k: getattr(self, k) for k in ("sigma_ion", "sigma_e", "porosity", "pore_radius")}
        layer = Layer.from_material(self.material, self.thickness, **overrides)
        return Cell(Interlayer((layer,), 0.0), electrolyte=self.electrolyte, temperature=self.temperature,
                    stack_pressure=self.stack_pressure, extrapolate=self.extrapolate)


@dataclasses.dataclass(frozen=True)
class StepTestInputs(CellInputs):
    """A cell and the step test the ``virtualcell`` sweep model runs on it (optional activation first)."""

    model: ClassVar[str] = "virtualcell"

    activation_cycles: int = integer(0, "cycles at 0.1 mA/cm2, 0.1 mAh/cm2 before the ramp", minimum=0,
                                     maximum=10_000, cli=False)
    start_current: float = fields.current_density(1.0, description="first step current", cli=False)
    stop_current: float = fields.current_density(40.0, description="last step current", cli=False)
    current_step: float = fields.current_density(1.0, description="current increment", cli=False)
    half_cycle_time: float = fields.half_cycle_time(DEFAULT_HALF_CYCLE, cli=False)

    def check(self, names: dict[str, str]) -> None:
        from interlayer.errors import InputError

        if self.stop_current < self.start_current:
            raise InputError(names.get("stop_current", "stop_current"), "must be >= start_current")

    def steps(self):
        """The parsed protocol: activation half cycles, then the ramp (two half cycles a current)."""
        from interlayer.virtualcell.protocol import HalfCycle

        out = []
        for _ in range(self.activation_cycles):
            out += [HalfCycle("A", 1.0, None, 360.0, "activation"), HalfCycle("B", 1.0, None, 360.0, "activation")]
        n = int((self.stop_current - self.start_current) / self.current_step + 1e-9) + 1
        for k in range(n):
            c = self.start_current + k * self.current_step
            out += [HalfCycle("A", c, self.half_cycle_time, None, "step"),
                    HalfCycle("B", c, self.half_cycle_time, None, "step")]
        return out
