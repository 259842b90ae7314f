"""The interlayer as data: layers, stacks and graded profiles (validated, SI).

An :class:`Interlayer` is discretised on demand into piecewise-constant cells by
:meth:`Interlayer.discretise`, which the transport and design models consume. x = 0 is the Li anode,
x = thickness the solid electrolyte (SSE).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from interlayer import carriers, materials
from interlayer.defaults import PAPER_STACK_PRESSURE, PAPER_THICKNESS
from interlayer.errors import InputError
from interlayer.kinetics import REFERENCE_CONCENTRATION

#: Bruggeman exponent for transport through the solid skeleton of a porous layer.
BRUGGEMAN_EXPONENT = 1.5


def effective_conductivity(sigma, porosity, exponent=BRUGGEMAN_EXPONENT):
    """Conductivity of a porous layer from the dense-pellet value: sigma (1 - eps)^1.5, S/m.

    Bruggeman's relation with both conducting phases (ion conductor and CNT network) in the solid
    skeleton and empty pores.
    """
    return sigma * (1.0 - porosity) ** exponent


def check_range(name: str, value: float, low: float, high: float, *, low_open=False, high_open=False, unit=""):
    """Raise InputError unless ``low <(=) value <(=) high``; the message names the field and the range."""
    ok = math.isfinite(value)
    ok = ok and (value > low if low_open else value >= low) and (value < high if high_open else value <= high)
    if not ok:
        lo = "(" if low_open else "["
        hi = ")" if high_open else "]"
        suffix = f" {unit}" if unit else ""
        raise InputError(name, f"{value:g}{suffix} is outside the allowed range {lo}{low:g}, {high:g}{hi}{suffix}")
    return value


@dataclass(frozen=True)
class Layer:
    """A homogeneous layer.

    Parameters
    ----------
    thickness : float
        m (> 0).
    sigma_ion, sigma_e : float
        Dense-pellet (measured) ionic and electronic conductivities, S/m (> 0).
    porosity : float
        Pore volume fraction in (0, 1).
    contact_angle : float
        Contact angle of Li on the layer, rad, in [0, pi].
    name : str
        Label (material name).
    sigma_e_profile : callable, optional
        sigma_e as a function of the fractional depth xi in [0, 1] within this layer (graded layers).
    electron_density : float, optional
        Free-electron density of the dense solid, 1/m^3 (default: mobility route from sigma_e,
        :mod:`interlayer.carriers`). Enters the nucleation rate (eq. 10) as c_e/c_e,Li.
    li_concentration : float, optional
        Mobile Li+ concentration, mol/m^3 (default: c0 = 1 mol/L). Enters eq. 10 as c_Li+/c0.
    pore_radius : float, optional
        m (default: the material's, else LNI's estimate). Failure physics only.
    planar_contact_resistance : float, optional
        Area-specific resistance of the planar Li | layer contact, ohm m^2, at 25 degC (default:
        the material's, derived from the paper's cell resistances). Failure physics only.
    activation_energy_ion, activation_energy_e : float, optional
        Arrhenius energies of sigma_ion and sigma_e, J/mol (default: the material's).
    temperature_range : tuple of float, optional
        (T_min, T_max) in K over which the layer's data hold (default: the material's).
    """

    thickness: float
    sigma_ion: float
    sigma_e: float
    porosity: float
    contact_angle: float
    name: str = "custom"
    sigma_e_profile: Callable[[np.ndarray], np.ndarray] | None = field(default=None, compare=False)
    electron_density: float | None = None
    li_concentration: float | None = None
    pore_radius: float | None = None
    planar_contact_resistance: float | None = None
    activation_energy_ion: float | None = None
    activation_energy_e: float | None = None
    temperature_range: tuple[float, float] | None = None

    def __post_init__(self):
        check_range("thickness", self.thickness, 0.0, 1.0, low_open=True, unit="m")
        check_range("sigma_ion", self.sigma_ion, 0.0, math.inf, low_open=True, unit="S/m")
        check_range("sigma_e", self.sigma_e, 0.0, math.inf, low_open=True, unit="S/m")
        check_range("porosity", self.porosity, 0.0, 1.0, low_open=True, high_open=True)
        check_range("contact_angle", self.contact_angle, 0.0, math.pi, unit="rad")
        if self.electron_density is not None:
            check_range("electron_density", self.electron_density, 0.0, math.inf, low_open=True, unit="1/m^3")
        if self.li_concentration is not None:
            check_range("li_concentration", self.li_concentration, 0.0, math.inf, low_open=True, unit="mol/m^3")
        if self.pore_radius is not None:
            check_range("pore_radius", self.pore_radius, 0.0, 1e-3, low_open=True, unit="m")
        if self.planar_contact_resistance is not None:
            check_range("planar_contact_resistance", self.planar_contact_resistance, 0.0, 1e3, low_open=True, unit="ohm m^2")
        for name in ("activation_energy_ion", "activation_energy_e"):
            value = getattr(self, name)
            if value is not None:
                check_range(name, value, 0.0, 3e5, unit="J/mol")

    @classmethod
    def from_material(cls, name: str, thickness: float, **overrides) -> Layer:
        """A layer of a library material; keyword overrides (SI) replace library values."""
        m = materials.get(name)
        values: dict = {
            "sigma_ion": m["sigma_ion"],
            "sigma_e": m["sigma_e"],
            "porosity": m["porosity"] if m.has("porosity") else 0.3,
            "contact_angle": m["contact_angle"],
            # None: the mobility route from the layer's own (possibly overridden) sigma_e
            "electron_density": m["electron_concentration"] if m.has("electron_concentration") else None,
            "li_concentration": m["li_concentration"] if m.has("li_concentration") else None,
            "pore_radius": m["pore_radius"] if m.has("pore_radius") else None,
            "planar_contact_resistance": m["planar_contact_resistance"] if m.has("planar_contact_resistance") else None,
            "activation_energy_ion": m["activation_energy_ion"] if m.has("activation_energy_ion") else None,
            "activation_energy_e": m["activation_energy_e"] if m.has("activation_energy_e") else None,
            "temperature_range": ((m["temperature_min"], m["temperature_max"])
                                  if m.has("temperature_min") and m.has("temperature_max") else None),
        }
        profile = None
        if m.profile is not None and m.profile.quantity == "sigma_e" and overrides.get("sigma_e") is None:
            profile = m.profile.evaluate
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(thickness=thickness, name=m.name, sigma_e_profile=profile, **values)

    def effective_sigma_e(self, xi=None):
        """Porous-layer electronic conductivity (S/m), at fractional depth ``xi`` for graded layers."""
        sigma = self.sigma_e if self.sigma_e_profile is None or xi is None else self.sigma_e_profile(xi)
        return effective_conductivity(sigma, self.porosity)

    def effective_sigma_ion(self):
        """Porous-layer ionic conductivity, S/m."""
        return effective_conductivity(self.sigma_ion, self.porosity)

    def electron_density_or_default(self) -> float:
        """Free-electron density (1/m^3): the given one, else the mobility route from sigma_e."""
        if self.electron_density is not None:
            return float(self.electron_density)
        return carriers.electron_density(sigma_e=self.sigma_e)[0]

    def nucleation_factors(self) -> tuple[float, float]:
        """(c_Li+/c0, c_e/c_e,Li) of eq. 10 at the layer's equilibrium composition (dimensionless).

        The PNP model starts from the same concentrations, so both models share eta_c.
        """
        n = self.electron_density_or_default()
        c_li = REFERENCE_CONCENTRATION if self.li_concentration is None else self.li_concentration
        return float(carriers.li_factor(c_li)), float(carriers.electron_factor(n))

    def with_thickness(self, thickness: float) -> Layer:
        return replace(self, thickness=thickness)


@dataclass(frozen=True)
class Interlayer:
    """One or more layers from the Li anode (first) to the SSE (last).

    ``interface_resistance`` (ohm m^2) is the area-specific resistance of the Li|layer contact.
    """

    layers: tuple[Layer, ...]
    interface_resistance: float

    def __post_init__(self):
        if not self.layers:
            raise InputError("layers", "an interlayer needs at least one layer")
        check_range("interface_resistance", self.interface_resistance, 0.0, math.inf, unit="ohm m^2")

    @classmethod
    def single(cls, material: str = "lni-5cnt", thickness: float = PAPER_THICKNESS, interface_resistance=None, **overrides):
        layer = Layer.from_material(material, thickness, **overrides)
        r = interface_resistance if interface_resistance is not None else materials.get(material)["interface_resistance"]
        return cls((layer,), r)

    @classmethod
    def stack(cls, specs: Sequence[tuple[str, float]], interface_resistance=None, **overrides):
        """Layers of library materials, ``[(name, thickness), ...]`` from the anode side."""
        layers = tuple(Layer.from_material(name, t, **overrides) for name, t in specs)
        r = interface_resistance if interface_resistance is not None else materials.get(specs[0][0])["interface_resistance"]
        return cls(layers, r)

    @property
    def thickness(self) -> float:
        return float(sum(layer.thickness for layer in self.layers))

    @property
    def contact_angle(self) -> float:
        """Contact angle of the first (anode-side) layer, rad."""
        return self.layers[0].contact_angle

    @property
    def is_uniform(self) -> bool:
        return len(self.layers) == 1 and self.layers[0].sigma_e_profile is None

    def discretise(self, cells_per_layer: int = 400) -> dict[str, np.ndarray]:
        """Piecewise-constant cells: faces (m) and per-cell effective properties.

        Also the eq.-10 composition factors per cell (``li_factor`` = c_Li+/c0, ``electron_factor`` =
        c_e/c_e,Li; :meth:`Layer.nucleation_factors`).

        Effective conductivities of the porous layer are the measured (dense pellet) values times
        (1 - porosity)^1.5 (Bruggeman: both conducting phases live in the solid skeleton).
        """
        faces, sig_i, sig_e, eps, theta, f_li, f_e = [np.zeros(1)], [], [], [], [], [], []
        x0 = 0.0
        for layer in self.layers:
            f = x0 + np.linspace(0.0, layer.thickness, cells_per_layer + 1)
            faces.append(f[1:])
            xi = (np.arange(cells_per_layer) + 0.5) / cells_per_layer
            sig_i.append(np.full(cells_per_layer, layer.effective_sigma_ion()))
            sig_e.append(np.broadcast_to(layer.effective_sigma_e(xi), (cells_per_layer,)).astype(float))
            eps.append(np.full(cells_per_layer, layer.porosity))
            theta.append(np.full(cells_per_layer, layer.contact_angle))
            li_factor, electron_factor = layer.nucleation_factors()
            f_li.append(np.full(cells_per_layer, li_factor))
            f_e.append(np.full(cells_per_layer, electron_factor))
            x0 += layer.thickness
        return {
            "faces": np.concatenate(faces),
            "sigma_ion": np.concatenate(sig_i),
            "sigma_e": np.concatenate(sig_e),
            "porosity": np.concatenate(eps),
            "contact_angle": np.concatenate(theta),
            "li_factor": np.concatenate(f_li),
            "electron_factor": np.concatenate(f_e),
        }

    def mean_porosity(self) -> float:
        return float(sum(la.porosity * la.thickness for la in self.layers) / self.thickness)


#: The paper's symmetric cells: 8 mm Li discs on a 0.5 inch, ~400 um LNI pellet at ~1 MPa (Wang et al. 2024).
PAPER_ELECTRODE_AREA = math.pi * (4e-3) ** 2  # m^2 (0.503 cm^2)
PAPER_PELLET_AREA = math.pi * (0.5 * 0.0254 / 2) ** 2  # m^2 (1.267 cm^2)
PAPER_PELLET_THICKNESS = 400e-6  # m


@dataclass(frozen=True)
class Cell:
    """A symmetric cell Li | interlayer | solid electrolyte | interlayer | Li (SI).

    Parameters
    ----------
    interlayer : Interlayer
        The layer stack on each side, from the Li anode (first layer) to the electrolyte.
    electrolyte : str
        Library material of the separator pellet (default ``"lni"``, the paper's).
    electrolyte_thickness : float
        m (default 400e-6).
    electrolyte_area, electrode_area : float
        Pellet face and Li disc areas, m^2 (default the paper's 1.267 cm^2 and 0.503 cm^2). Cell
        resistances in ohm use them; everything else is per unit electrode area.
    stack_pressure : float
        Pa, in [0, 1 GPa] (the `pressure` bound of interlayer.limits; default 1 MPa).
    temperature : float
        K (default 298.15), within the `temperature` bound of interlayer.limits; must lie in every
        material's data range unless ``extrapolate``.
    extrapolate : bool
        Allow temperatures outside the materials' data ranges.
    """

    interlayer: Interlayer
    electrolyte: str = "lni"
    electrolyte_thickness: float = PAPER_PELLET_THICKNESS
    electrolyte_area: float = PAPER_PELLET_AREA
    electrode_area: float = PAPER_ELECTRODE_AREA
    stack_pressure: float = PAPER_STACK_PRESSURE
    temperature: float = 298.15
    extrapolate: bool = False

    def __post_init__(self):
        from interlayer.limits import check_bound  # the bounds every command checks, so API and CLI agree

        check_bound("pressure", self.stack_pressure, "stack_pressure")
        check_range("electrolyte_thickness", self.electrolyte_thickness, 0.0, 0.1, low_open=True, unit="m")
        check_range("electrolyte_area", self.electrolyte_area, 0.0, 1.0, low_open=True, unit="m^2")
        check_range("electrode_area", self.electrode_area, 0.0, 1.0, low_open=True, unit="m^2")
        check_bound("temperature", self.temperature, "temperature")
        m = materials.get(self.electrolyte, field="electrolyte")
        if m.kind not in ("electrolyte", "interlayer"):
            raise InputError("electrolyte", f"{m.name!r} is a {m.kind}, not an ion conductor")
        object.__setattr__(self, "electrolyte", m.name)

    def electrolyte_resistance(self) -> float:
        """Ohmic resistance of the pellet, ohm (at the cell temperature, Arrhenius from 25 degC)."""
        from interlayer.temperature import arrhenius

        m = materials.get(self.electrolyte, field="electrolyte")
        ea = m["activation_energy_ion"] if m.has("activation_energy_ion") else 0.0
        sigma = float(arrhenius(m["sigma_ion"], ea, self.temperature))
        return self.electrolyte_thickness / (sigma * self.electrolyte_area)


@dataclass(frozen=True)
class Protocol:
    """What the cycler does, for the design criterion: plating half cycles at one or more currents.

    Parameters
    ----------
    currents : sequence of float
        Plating current densities, A/m^2 (> 0), in the order applied (a step test rises).
    half_cycle_time : float, optional
        s per half cycle (default 3600 s when ``capacity`` is not given).
    capacity : float, optional
        C/m^2 per half cycle (1 mAh/cm^2 = 36000 C/m^2), instead of a time.
    cycles : int, optional
        Cycles the cell must survive at each current (long cycling; dead Li is judged against it).
        Default None: a step test, where slow failure by dead Li is reported but does not end it.
    """

    currents: tuple[float, ...]
    half_cycle_time: float | None = None
    capacity: float | None = None
    cycles: int | None = None

    def __post_init__(self):
        currents = tuple(float(i) for i in np.atleast_1d(np.asarray(self.currents, dtype=float)))
        if not currents or any(not math.isfinite(i) or i <= 0 or i > 1e5 for i in currents):
            raise InputError("current_density", "needs one or more finite values in (0, 1e5] A/m^2 (0-10 A/cm^2)")
        object.__setattr__(self, "currents", currents)
        if self.half_cycle_time is not None and self.capacity is not None:
            raise InputError("half_cycle_time", "give a half-cycle time or a capacity, not both")
        if self.capacity is not None:
            check_range("capacity", self.capacity, 0.0, 1e8, low_open=True, unit="C/m^2")
        else:
            from interlayer.limits import check_bound

            t = 3600.0 if self.half_cycle_time is None else self.half_cycle_time
            check_bound("time", t, "half_cycle_time")
            object.__setattr__(self, "half_cycle_time", float(t))
        if self.cycles is not None and not (1 <= int(self.cycles) <= 10**6):
            raise InputError("cycles", f"must be in [1, 1e6], got {self.cycles}")

    def plated_capacity(self) -> np.ndarray:
        """C/m^2 plated per half cycle at each current."""
        i = np.asarray(self.currents)
        return np.full_like(i, self.capacity) if self.capacity is not None else i * self.half_cycle_time

    def durations(self) -> np.ndarray:
        """s per half cycle at each current."""
        return self.plated_capacity() / np.asarray(self.currents)
