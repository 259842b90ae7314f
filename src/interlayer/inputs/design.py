"""The design model's inputs, declared once: ``interlayer design``, the ``design`` sweep model and
:func:`interlayer.design.evaluate` all take these (``tests/test_model_declarations.py`` checks it).

>>> d = DesignInputs.from_text({"thickness": "40 um", "current_density": "1:3:1"})
>>> round(d.thickness * 1e6, 9), d.current_density.tolist(), d.cell().interlayer.thickness == d.thickness
(40.0, [10.0, 20.0, 30.0], True)
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, cast

from interlayer.defaults import DEFAULT_HALF_CYCLE
from interlayer.errors import InputError
from interlayer.inputs import Inputs, fields, integer, quantity, text
from interlayer.units import OHM_CM2


@dataclasses.dataclass(frozen=True)
class DesignInputs(Inputs):
    """One layer and one protocol for :func:`interlayer.design.evaluate` (SI values).

    ``None`` means the material's value (porosity, contact angle, conductivities, contact resistance,
    electron density) or the model's default (currents: 0.1-4.0 mA/cm2 in 0.1 steps; a 1 h half
    cycle unless ``capacity`` is given).
    """

    model: ClassVar[str] = "design"

    material: str = fields.material()
    thickness: float = fields.thickness()
    porosity: float | None = fields.porosity()
    contact_angle: float | None = fields.contact_angle()
    temperature: float = fields.temperature(note="failure criterion: Arrhenius conductivities, contacts, creep and "
                                                 "kinetics")
    sigma_ion: float | None = fields.sigma_ion()
    sigma_e: float | None = fields.sigma_e()
    interface_resistance: float | None = fields.interface_resistance(
        note="failure criterion: the planar contact after activation")
    electron_density: float | None = fields.electron_density(note="enters eta_c", aliases=("electron-concentration",))
    current_density: Any = fields.current_density(
        kind="array", option="current", cli_default="0.1:4.0:0.1", aliases=("current-density",),
        description="plating current densities (default 0.1-4.0 mA/cm2 in 0.1 steps)",
        help="One current or START:STOP:STEP, mA/cm2 unless a unit follows (e.g. '4 mA/cm2', '0.1:4:0.1').")
    half_cycle_time: float | None = fields.half_cycle_time(option="time", note="default 1 h")
    capacity: float | None = quantity(
        None, "C/m^2", "plated capacity per half cycle (instead of the time)", display="mAh/cm^2",
        minimum=0.0, open_low=True,
        help="Plated capacity per half cycle, e.g. '4 mAh/cm2' (instead of --time).")
    stack_pressure: float = fields.stack_pressure(note="failure criterion")
    electrolyte: str = fields.electrolyte(note="failure criterion")
    cycles: int | None = integer(
        None, "cycles the cell must survive (failure criterion: then dead Li counts as a failure)",
        minimum=1, maximum=10**6)
    extrapolate: bool = fields.extrapolate()
    criterion: str = text(
        "failure", "failure criterion", choices=("failure", "legacy"),
        help="'failure' (default: named failure modes, docs/theory.md) or 'legacy' (the first "
             "release's l_n/l_g criterion).")

    def check(self, names: dict[str, str]) -> None:
        if self.half_cycle_time is not None and self.capacity is not None:
            raise InputError(names.get("half_cycle_time", "half_cycle_time"),
                             "give the half-cycle time or the capacity, not both")
        if self.criterion == "failure" and self.interface_resistance is not None:
            from interlayer import materials

            r_w = materials.get("lni")["wall_contact_resistance"]
            if self.interface_resistance < r_w:
                raise InputError(
                    names.get("interface_resistance", "interface_resistance"),
                    f"must be >= {r_w * OHM_CM2:.3g} ohm cm2 (a fully wetted Li | LNI contact; the contact "
                    "fraction r_w / R_p cannot exceed 1)")

    @property
    def currents(self) -> Any:
        """The plating current densities, A/m^2 (the default scan when none were given)."""
        import numpy as np

        from interlayer.design.evaluate import DEFAULT_CURRENTS

        if self.current_density is None:
            return DEFAULT_CURRENTS.copy()
        return np.atleast_1d(np.asarray(self.current_density, dtype=float))

    @property
    def custom(self) -> bool:
        """Whether any of the layer's own values replaces the material's."""
        return any(getattr(self, k) is not None for k in (
            "sigma_ion", "sigma_e", "interface_resistance", "electron_density", "porosity", "contact_angle"))

    def cell(self):
        """The :class:`~interlayer.cell.Cell` these inputs describe (failure criterion's layer values)."""
        from interlayer.cell import Cell
        from interlayer.design.evaluate import build_interlayer

        interlayer = build_interlayer(
            self.material, self.thickness, self.porosity, self.contact_angle, self.sigma_ion, self.sigma_e,
            None, None, self.electron_density, self.interface_resistance)
        return Cell(interlayer, electrolyte=self.electrolyte, stack_pressure=self.stack_pressure,
                    temperature=self.temperature, extrapolate=self.extrapolate)

    def protocol(self):
        """The :class:`~interlayer.cell.Protocol` these inputs describe."""
        from interlayer.cell import Protocol

        return Protocol(cast(tuple, self.currents), half_cycle_time=self.half_cycle_time or DEFAULT_HALF_CYCLE,
                        capacity=self.capacity, cycles=self.cycles)  # Protocol stores the array as a tuple

    def kwargs(self) -> dict[str, Any]:
        """Keywords of :func:`interlayer.design.evaluate` (model defaults where unset)."""
        out = super().kwargs()
        if out["half_cycle_time"] is None:
            out["half_cycle_time"] = DEFAULT_HALF_CYCLE
        if out["current_density"] is None:
            del out["current_density"]
        return out
