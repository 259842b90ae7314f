"""The virtual cell's inputs, declared once: ``interlayer cell`` (options and ``--config [cell]``) and
the ``virtualcell`` sweep model take these (``tests/test_model_declarations.py`` checks it).

>>> c = CellInputs.from_text({"material": "lni-50cnt", "temperature": "25 degC"})
>>> c.cell().interlayer.layers[0].name, c.cell().temperature
('lni-50cnt', 298.15)
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from interlayer.defaults import PAPER_STACK_PRESSURE, PAPER_THICKNESS
from interlayer.inputs import TEMPERATURE_EXAMPLE, TIME_EXAMPLE, Inputs, flag, integer, quantity, text
from interlayer.units import ROOM_TEMPERATURE


@dataclasses.dataclass(frozen=True)
class CellInputs(Inputs):
    """A symmetric cell Li | layer | pellet | layer | Li (SI; ``None``: the material's value)."""

    model: ClassVar[str] = "cell"

    material: str = text("lni-5cnt", "interlayer material on both sides: a library name (see `interlayer materials`) or a TOML file")
    thickness: float = quantity(PAPER_THICKNESS, "m", "interlayer thickness", display="um", bound="thickness",
                                cli_default="90 um")
    sigma_ion: float | None = quantity(None, "S/m", "ionic conductivity at 25 degC (default: the material's)",
                                       display="S/cm", minimum=0.0, maximum=100.0, open_low=True)
    sigma_e: float | None = quantity(None, "S/m", "electronic conductivity at 25 degC (default: the material's)",
                                     display="S/cm", minimum=0.0, maximum=1.1e7, open_low=True)
    porosity: float | None = quantity(None, "1", "porosity (default: the material's)", minimum=0.0, maximum=1.0,
                                      open_low=True, open_high=True)
    pore_radius: float | None = quantity(None, "m", "pore radius (default: the material's)", display="um",
                                         minimum=0.0, maximum=1e-3, open_low=True)
    electrolyte: str = text("lni", "separator pellet material: 'lni' (the paper's), 'lpsc', 'llzo'")
    temperature: float = quantity(ROOM_TEMPERATURE, "K", "temperature", needs_unit=TEMPERATURE_EXAMPLE,
                                  bound="temperature", cli_default="25 degC",
                                  help="Temperature with a unit, e.g. '25 degC' or '298 K'.")
    stack_pressure: float = quantity(PAPER_STACK_PRESSURE, "Pa", "stack pressure", display="MPa",
                                     bound="pressure", cli_default="1 MPa")
    extrapolate: bool = flag(False, "allow temperatures outside the materials' data range")

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
    start_current: float = quantity(1.0, "A/m^2", "first step current", display="mA/cm^2",
                                    bound="current_density", cli=False)
    stop_current: float = quantity(40.0, "A/m^2", "last step current", display="mA/cm^2",
                                   bound="current_density", cli=False)
    current_step: float = quantity(1.0, "A/m^2", "current increment", display="mA/cm^2",
                                   bound="current_density", cli=False)
    half_cycle_time: float = quantity(3600.0, "s", "time per half cycle", needs_unit=TIME_EXAMPLE, bound="time",
                                      cli=False)

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
