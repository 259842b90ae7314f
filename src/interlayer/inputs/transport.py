"""The PNP transport model's inputs, declared once: ``interlayer transport``, the ``transport`` sweep
model and :func:`interlayer.transport.pnp.run` take these (``tests/test_model_declarations.py``).

>>> t = TransportInputs.from_text({"current_density": "2", "steady": True})
>>> t.kwargs()["current_density"], t.kwargs()["time"]
(20.0, None)
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from interlayer.errors import InputError
from interlayer.inputs import Inputs, fields, flag, integer, quantity, text

#: 1 mA/cm2, the plating current when none is given, A/m^2.
DEFAULT_CURRENT = 10.0
#: The paper's 2 s of evolution from equilibrium, s.
DEFAULT_TIME = 2.0
#: The limit of a run to the first nucleation when no time is given, s.
DEFAULT_NUCLEATION_LIMIT = 3600.0


@dataclasses.dataclass(frozen=True)
class TransportInputs(Inputs):
    """One PNP solve (SI; ``None``: the material's value or the model's default)."""

    model: ClassVar[str] = "transport"

    material: str = fields.material()
    dim: int = integer(1, "1: planar stack; 2: Li anode with a triangular protrusion", minimum=1, maximum=2)
    current_density: float | None = fields.current_density(option="current", note="default 1 mA/cm2",
                                                           aliases=("current-density",))
    voltage: float | None = quantity(
        None, "V", "potentiostatic: SSE-side potential vs Li (replaces the current)", display="V", bound="voltage",
        help="Potentiostatic: SSE-side potential vs Li, e.g. '50 mV' (bare number: V); replaces --current.")
    contact_angle: float | None = fields.contact_angle()
    time: float | None = fields.duration(
        None, "evolution time from equilibrium (default 2 s; to the first nucleation: the limit, default 1 h)")
    steady: bool = flag(False, "solve for the steady state instead of a time")
    until_nucleation: bool = flag(False, "stop at the first nucleation (the time is then the limit)")
    solve: str = text("transient", "transient (for the time) or steady", choices=("transient", "steady"),
                      cli=False)  # the sweep's spelling of --steady (a flag is not sweepable)
    mode: str = text("galvanostatic", "galvanostatic or potentiostatic (at the voltage)",
                     choices=("galvanostatic", "potentiostatic"), cli=False)  # the CLI infers it from --voltage
    thickness: float = fields.thickness()
    temperature: float = fields.temperature()
    anode_contact: str = text("butler-volmer", "Li anode contact", choices=("butler-volmer", "blocking"))
    electron_concentration: float | None = fields.electron_density(note="the carrier-density route",
                                                                   aliases=("electron-density",))
    electron_mobility: float | None = quantity(
        None, "m^2/(V*s)", "electron mobility: the route c_e = sigma_e/(F mu_e) instead", bound="electron_mobility",
        help="Use the mobility route c_e = sigma_e/(F mu_e) instead, e.g. '1e-3 m^2/(V*s)' "
             "(bare number: m^2/(V s)).")
    mobile_fraction: float | None = quantity(None, "1", "mobile Li+ fraction (default 1)", minimum=0.0,
                                             maximum=1.0, open_low=True)
    stern_thickness: float | None = quantity(None, "m", "compact (Stern) layer thickness (default: the model's)",
                                             display="nm", minimum=0.0)
    porosity: float | None = fields.porosity(note="0: dense pellet", open_low=False)
    resolution: str = text("normal", "mesh", choices=("coarse", "normal", "fine"))
    n_nodes: int | None = integer(None, "about this many mesh nodes (instead of the resolution)", minimum=20,
                                  maximum=200_000, cli=False)  # a sweep's mesh study; the CLI offers --resolution

    def check(self, names: dict[str, str]) -> None:
        def name(key: str) -> str:
            return names.get(key, key)

        if self.current_density is not None and self.voltage is not None:
            raise InputError(name("voltage"), "give the current (galvanostatic) or the voltage (potentiostatic), "
                                              "not both")
        if self.steady and self.time is not None:
            raise InputError(name("time"), "give a time or the steady state, not both")
        if self.until_nucleation and self.is_steady:
            raise InputError(name("until_nucleation"), "needs a time limit, not the steady state")
        if self.electron_concentration is not None and self.electron_mobility is not None:
            raise InputError(name("electron_mobility"), "give the electron mobility or the electron concentration, "
                                                        "not both")

    @property
    def is_steady(self) -> bool:
        return self.steady or self.solve == "steady"

    @property
    def potentiostatic(self) -> bool:
        return self.mode == "potentiostatic" or self.voltage is not None

    def kwargs(self) -> dict[str, Any]:
        """Keywords of :func:`interlayer.transport.pnp.run` (unset inputs left to the model)."""
        out = {k: v for k, v in super().kwargs().items() if v is not None}
        for key in ("steady", "solve"):
            out.pop(key)
        if self.is_steady:
            out["time"] = None
        elif self.time is None:
            out["time"] = DEFAULT_NUCLEATION_LIMIT if self.until_nucleation else DEFAULT_TIME
        if self.potentiostatic:
            out.update(mode="potentiostatic", voltage=self.voltage or 0.0, current_density=0.0)
        else:
            out.pop("voltage", None)
            out["current_density"] = DEFAULT_CURRENT if self.current_density is None else self.current_density
        return out
