"""Physical parameters of the PNP interlayer model, from the materials library (SI throughout).

The paper gives measured conductivities but not the carrier concentrations and diffusivities its PNP
model needs. We split each conductivity with the Nernst-Einstein relation

    sigma_k = F^2 z_k^2 D_k c_k / (R T)

and choose the concentrations as follows (``docs/pnp.md`` discusses the consequences):

* Li+: ``c_Li = mobile_fraction * li_concentration`` of the host (LNI: 8.19e4 mol/m^3, all Li of
  Li7N2I; ``mobile_fraction = 1`` by default, an upper bound that gives the smallest Debye length and
  the smallest D_Li (9.4e-14 m^2/s for LNI-5% CNT), typical of solid Li+ conductors);
* electrons, two routes (the result depends on which; ``docs/pnp.md``, "Electron concentration"):

  1. **carrier-density route (default when the material has ``electron_concentration``)**:
     ``c_e = n / N_A`` with the library's derived estimate ``n`` = CNT volume fraction x 1e26 m^-3
     (LNI-0.5/5/50% CNT: 6.6e23, 6.51e24, 5.69e25 m^-3). The effective mobility then follows from
     the measured conductivity, ``mu_eff = sigma_e / (F c_e)`` (6.3e-11, 2.7e-9, 5.5e-7 m^2/(V s)).
     Reasoning: in a CNT composite the conduction is limited by tube-tube junctions, not by the
     intrinsic tube mobility, while the number of carriers is set by how much CNT there is. Many
     carriers with a low effective mobility give a large electron chemical capacitance
     ``F^2 c_e / (R T)`` and a slow (seconds) electron relaxation.
  2. **mobility route** (``electron_mobility=...`` given explicitly, or a material without
     ``electron_concentration``): ``c_e = sigma_e / (F mu_e)``, by default with
     ``mu_e = 1e-3 m^2/(V s)`` (10 cm^2/(V s), the order reported for random CNT networks: E. S. Snow
     et al., Appl. Phys. Lett. 82, 2145 (2003), i.e. close to an individual-tube value); the CNT
     loading then changes the number of conducting paths, not how fast an electron moves along one.
     Few fast carriers: the electrons relax within milliseconds.

In both routes ``D_e = sigma_e R T / (F^2 c_e)`` (Einstein), so the measured sigma_e is kept exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from interlayer import carriers
from interlayer.cell import effective_conductivity
from interlayer.errors import InputError
from interlayer.units import AVOGADRO, FARADAY, GAS_CONSTANT, ROOM_TEMPERATURE, VACUUM_PERMITTIVITY

#: Electron mobility of the mobility route, m^2/(V s) (Snow et al. 2003, order of magnitude); used for
#: materials without a library ``electron_concentration`` or when asked for explicitly.
DEFAULT_ELECTRON_MOBILITY = carriers.DEFAULT_ELECTRON_MOBILITY
#: Names of the two routes to the electron concentration (recorded in ``PNPParameters.electron_route``).
ELECTRON_ROUTES = ("carrier-density", "mobility")
#: Compact (Stern) layer thickness at the Li surface, m: about one Li-anion distance in a solid.
DEFAULT_STERN_THICKNESS = 3e-10
#: Default interlayer thickness, m (the paper's 90 um layers).
DEFAULT_THICKNESS = 90e-6


def _library(material: str, key: str) -> float:
    from interlayer import materials

    return float(materials.get(material)[key])


@dataclass(frozen=True)
class PNPParameters:
    """Everything the PNP interlayer model needs, SI units.

    Attributes
    ----------
    thickness : float
        Interlayer thickness l_i, m.
    temperature : float
        K.
    sigma_ion, sigma_e : float
        Effective ionic and electronic conductivities of the (porous) layer, S/m.
    c_li, c_e : float
        Mobile Li+ and electron concentrations at equilibrium with Li metal, mol/m^3 of layer.
    porosity : float
        Pore fraction eps of the homogenised porous layer (0: dense). Concentrations are per layer
        volume, ``(1 - eps)`` times the solid's; the nucleation rate (eq. 10) uses the solid's local
        concentrations ``c / (1 - eps)``, since a nucleus forms on the solid.
    relative_permittivity : float
        eps_r of the layer.
    exchange_current_density : float
        i0 of the Li | layer contact, A/m^2.
    alpha : float
        Charge-transfer coefficient (plating direction).
    stern_thickness : float
        Compact-layer thickness at Li surfaces, m (0: no compact layer, psi = psi_metal there).
    contact_angle : float
        Li on the layer, rad.
    interfacial_energy : float
        gamma of a Li nucleus in the layer, J/m^2.
    molar_volume : float
        Li, m^3/mol.
    nucleation_prefactor, nucleation_threshold : float
        J0 and the rate below which nucleation counts as absent, 1/(m^3 s).
    c_e_li : float
        Electron concentration of Li metal, mol/m^3 (c_e,Li of eqs. 9-10).
    material : str
        Library name the values came from (for the record).
    electron_route : str
        How ``c_e`` was chosen: ``"carrier-density"`` (library ``electron_concentration``),
        ``"mobility"`` (``sigma_e / (F mu_e)``) or ``""`` (given directly).
    sigma_e_profile : (kind, anode, sse), optional
        Graded electronic conductivity across the layer (``"log-linear"`` or ``"linear"`` between the
        anode-side and SSE-side values, S/m). Carried by the electron *diffusivity*
        ``D_e(x) = D_e sigma_e(x)/sigma_e`` at uniform ``c_e``, so that the uniform initial state stays
        an equilibrium (a graded ``c_e`` would need a built-in field).
    """

    # Defaults: the dense LNI-5% CNT pellet and Li, read from the materials library (not copied)
    thickness: float = DEFAULT_THICKNESS
    temperature: float = ROOM_TEMPERATURE
    sigma_ion: float = field(default_factory=lambda: _library("lni-5cnt", "sigma_ion"))
    sigma_e: float = field(default_factory=lambda: _library("lni-5cnt", "sigma_e"))
    c_li: float = field(default_factory=lambda: _library("lni", "li_concentration"))
    c_e: float = field(default_factory=lambda: _library("lni-5cnt", "electron_concentration") / AVOGADRO)
    porosity: float = 0.0
    relative_permittivity: float = field(default_factory=lambda: _library("lni-5cnt", "relative_permittivity"))
    exchange_current_density: float = field(default_factory=lambda: _library("li", "exchange_current_density"))
    alpha: float = field(default_factory=lambda: _library("li", "charge_transfer_coefficient"))
    stern_thickness: float = DEFAULT_STERN_THICKNESS
    contact_angle: float = field(default_factory=lambda: _library("lni-5cnt", "contact_angle"))
    interfacial_energy: float = field(default_factory=lambda: _library("li", "effective_interfacial_energy"))
    molar_volume: float = field(default_factory=lambda: _library("li", "molar_volume"))
    nucleation_prefactor: float = field(default_factory=lambda: _library("li", "nucleation_prefactor"))
    nucleation_threshold: float = field(default_factory=lambda: _library("li", "nucleation_rate_threshold"))
    c_e_li: float = field(default_factory=lambda: _library("li", "electron_concentration") / AVOGADRO)
    material: str = ""
    electron_route: str = ""
    sigma_e_profile: tuple[str, float, float] | None = None  # (kind, anode value, SSE value), S/m

    def __post_init__(self):
        positive = ("thickness", "temperature", "sigma_ion", "sigma_e", "c_li", "c_e", "relative_permittivity",
                    "exchange_current_density", "molar_volume", "nucleation_prefactor", "nucleation_threshold",
                    "c_e_li", "interfacial_energy")
        for name in positive:
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise InputError(name, f"must be a finite number > 0, got {value!r}")
        if not 0 < self.alpha < 1:
            raise InputError("alpha", f"must lie in (0, 1), got {self.alpha}")
        if not 0 <= self.contact_angle <= math.pi:
            raise InputError("contact_angle", f"must lie in [0, 180] deg, got {math.degrees(self.contact_angle):.4g} deg")
        if self.stern_thickness < 0:
            raise InputError("stern_thickness", "must be >= 0")
        if not 0 <= self.porosity < 1:
            raise InputError("porosity", f"must lie in [0, 1), got {self.porosity}")

    def sigma_e_at(self, xi):
        """Electronic conductivity at fractional depth ``xi = x / l_i`` (S/m); uniform without a profile."""
        import numpy as np

        xi = np.asarray(xi, dtype=float)
        if self.sigma_e_profile is None:
            return np.full_like(xi, self.sigma_e)
        kind, anode, sse = self.sigma_e_profile
        if kind == "log-linear":
            return anode * (sse / anode) ** xi
        if kind == "linear":
            return anode + (sse - anode) * xi
        raise InputError("sigma_e_profile", f"unknown kind {kind!r}; known: log-linear, linear")

    # Nernst-Einstein diffusivities, m^2/s
    @property
    def d_li(self) -> float:
        """Li+ diffusivity D = sigma R T / (F^2 c), m^2/s."""
        return self.sigma_ion * GAS_CONSTANT * self.temperature / (FARADAY**2 * self.c_li)

    @property
    def d_e(self) -> float:
        """Electron diffusivity D = sigma R T / (F^2 c), m^2/s."""
        return self.sigma_e * GAS_CONSTANT * self.temperature / (FARADAY**2 * self.c_e)

    @property
    def electron_mobility(self) -> float:
        """Effective electron mobility ``sigma_e / (F c_e)``, m^2/(V s)."""
        return self.sigma_e / (FARADAY * self.c_e)

    @property
    def chemical_capacitance(self) -> float:
        """Volumetric chemical capacitance ``F^2/(R T) (1/c_Li + 1/c_e)^-1``, F/m^3.

        The two carriers' capacitances in series (a neutral change of stoichiometry moves both);
        about ``F^2 c_e / (R T)`` when ``c_e << c_Li``.
        """
        return FARADAY**2 / (GAS_CONSTANT * self.temperature) / (1.0 / self.c_li + 1.0 / self.c_e)

    @property
    def relaxation_time(self) -> float:
        """MIEC relaxation time ``tau = l_i^2 C_chem / sigma_amb``, s, ``sigma_amb = (1/sigma_ion + 1/sigma_e)^-1``.

        The time for the electroneutral layer to reach its steady overpotential profile (compare
        :func:`interlayer.transport.miec.relaxation_time`); at ``t << tau`` the electrons still carry
        most of the current in the layer.
        """
        sigma_amb = 1.0 / (1.0 / self.sigma_ion + 1.0 / self.sigma_e)
        return self.thickness**2 * self.chemical_capacitance / sigma_amb

    @property
    def permittivity(self) -> float:
        """eps_r eps_0, F/m."""
        return self.relative_permittivity * VACUUM_PERMITTIVITY

    def with_(self, **changes) -> PNPParameters:
        """A copy with some values changed (validated again)."""
        return replace(self, **changes)


def from_material(
    material: str = "lni-5cnt",
    *,
    thickness: float = DEFAULT_THICKNESS,
    temperature: float = ROOM_TEMPERATURE,
    contact_angle: float | None = None,
    electron_mobility: float | None = None,
    electron_concentration: float | None = None,
    mobile_fraction: float = 1.0,
    stern_thickness: float = DEFAULT_STERN_THICKNESS,
    exchange_current_density: float | None = None,
    porosity: float | None = None,
) -> PNPParameters:
    """Build :class:`PNPParameters` from the materials library.

    The layer is the same porous layer the design criterion sees: ``porosity`` (default: the
    material's) turns the dense-pellet conductivities into Bruggeman effective ones,
    ``sigma (1 - eps)^1.5`` (:func:`interlayer.cell.effective_conductivity`), with concentrations
    ``(1 - eps) c`` per layer volume and diffusivities ``D (1 - eps)^0.5`` (tortuosity); 0 gives the
    dense pellet.

    ``i0`` defaults to ``R T / (F R_int)`` from the layer's ``interface_resistance`` (the Li | layer
    contact measured through the paper's cell resistance) when the material has one, else to Li's
    ``exchange_current_density``. The nucleation parameters come from ``li``
    (``effective_interfacial_energy``, ``molar_volume``, ``nucleation_prefactor``,
    ``nucleation_rate_threshold``, ``electron_concentration``).

    The electron concentration (module docstring): ``electron_mobility`` (m^2/(V s)) given ->
    ``c_e = sigma_e/(F mu_e)``; else ``electron_concentration`` (1/m^3) given, or the material's
    library ``electron_concentration`` -> ``c_e = n / N_A``; else the mobility route with
    :data:`DEFAULT_ELECTRON_MOBILITY`. Giving both raises :class:`InputError`.

    >>> p = from_material("lni-5cnt")  # the library's porous layer, porosity 0.3
    >>> round(p.d_li * 1e14, 2)  # m^2/s * 1e14: the pellet's 9.43 x (1 - 0.3)^0.5
    7.89
    >>> p.electron_route, round(p.c_e, 2)  # (1 - 0.3) x 6.51e24 m^-3 / N_A, mol/m^3 of layer
    ('carrier-density', 7.57)
    >>> round(from_material("lni-5cnt", porosity=0.0).d_li * 1e14, 2)  # dense pellet
    9.43
    """
    from interlayer import materials

    if not 0 < mobile_fraction <= 1:
        raise InputError("mobile_fraction", f"must lie in (0, 1], got {mobile_fraction}")
    m = materials.get(material)
    li = materials.get("li")
    if exchange_current_density is None:
        if m.has("interface_resistance"):
            exchange_current_density = GAS_CONSTANT * temperature / (FARADAY * m["interface_resistance"])
        else:
            exchange_current_density = li["exchange_current_density"]
    # one rule for the design criterion and PNP (interlayer.carriers)
    n, route = carriers.electron_density(material, electron_concentration=electron_concentration,
                                         electron_mobility=electron_mobility)
    c_e = n / AVOGADRO
    if porosity is None:
        porosity = m["porosity"] if m.has("porosity") else 0.0
    if not 0 <= porosity < 1:
        raise InputError("porosity", f"must lie in [0, 1), got {porosity}")
    solid = 1.0 - porosity
    gamma = li["effective_interfacial_energy"] if li.has("effective_interfacial_energy") else li["surface_energy"]
    threshold = li["nucleation_rate_threshold"] if li.has("nucleation_rate_threshold") else 1e18
    return PNPParameters(
        thickness=thickness,
        temperature=temperature,
        sigma_ion=effective_conductivity(m["sigma_ion"], porosity),
        sigma_e=effective_conductivity(m["sigma_e"], porosity),
        c_li=solid * mobile_fraction * m["li_concentration"],
        c_e=solid * c_e,
        porosity=porosity,
        relative_permittivity=m["relative_permittivity"],
        exchange_current_density=exchange_current_density,
        alpha=li["charge_transfer_coefficient"],
        stern_thickness=stern_thickness,
        contact_angle=m["contact_angle"] if contact_angle is None else contact_angle,
        interfacial_energy=gamma,
        molar_volume=li["molar_volume"],
        nucleation_prefactor=li["nucleation_prefactor"],
        nucleation_threshold=threshold,
        c_e_li=li["electron_concentration"] / AVOGADRO,
        material=m.name,
        electron_route=route,
        sigma_e_profile=_profile(m, effective_conductivity(1.0, porosity)),
    )


def _profile(m, factor=1.0):
    """The material's sigma_e profile as (kind, anode, sse) in S/m times ``factor``, or None."""
    pr = getattr(m, "profile", None)
    if pr is None or pr.quantity != "sigma_e":
        return None
    return (pr.kind, factor * float(pr.anode_value), factor * float(pr.sse_value))
