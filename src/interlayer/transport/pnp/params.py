"""Physical parameters of the PNP interlayer model, from the materials library (SI throughout).

The paper gives measured conductivities but not the carrier concentrations and diffusivities its PNP
model needs. We split each conductivity with the Nernst-Einstein relation

    sigma_k = F^2 z_k^2 D_k c_k / (R T)

and choose the concentrations as follows (``docs/pnp.md`` discusses the consequences):

* Li+: ``c_Li = mobile_fraction * li_concentration`` of the host (LNI: 8.19e4 mol/m^3, all Li of
  Li7N2I; ``mobile_fraction = 1`` by default, an upper bound that gives the smallest Debye length and
  the smallest D_Li (9.4e-14 m^2/s for LNI-5% CNT), typical of solid Li+ conductors);
* electrons: a fixed carrier mobility of the percolating CNT network, ``mu_e = 1e-3 m^2/(V s)``
  (10 cm^2/(V s), the order reported for random CNT networks: E. S. Snow et al., Appl. Phys. Lett. 82,
  2145 (2003)), so ``c_e = sigma_e / (F mu_e)`` and ``D_e = mu_e R T / F``. The CNT loading then
  changes the number of conducting paths (``c_e``), not how fast an electron moves along one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from interlayer.errors import InputError
from interlayer.units import AVOGADRO, FARADAY, GAS_CONSTANT, ROOM_TEMPERATURE, VACUUM_PERMITTIVITY

#: Electron mobility of the CNT network, m^2/(V s) (Snow et al. 2003, order of magnitude).
DEFAULT_ELECTRON_MOBILITY = 1e-3
#: Compact (Stern) layer thickness at the Li surface, m: about one Li-anion distance in a solid.
DEFAULT_STERN_THICKNESS = 3e-10
#: Default interlayer thickness, m (the paper's 90 um layers).
DEFAULT_THICKNESS = 90e-6


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
        Effective ionic and electronic conductivities, S/m.
    c_li, c_e : float
        Mobile Li+ and electron concentrations at equilibrium with Li metal, mol/m^3.
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
    sigma_e_profile : (kind, anode, sse), optional
        Graded electronic conductivity across the layer (``"log-linear"`` or ``"linear"`` between the
        anode-side and SSE-side values, S/m). Carried by the electron *diffusivity*
        ``D_e(x) = D_e sigma_e(x)/sigma_e`` at uniform ``c_e``, so that the uniform initial state stays
        an equilibrium (a graded ``c_e`` would need a built-in field).
    """

    thickness: float = DEFAULT_THICKNESS
    temperature: float = ROOM_TEMPERATURE
    sigma_ion: float = 0.029
    sigma_e: float = 0.0028
    c_li: float = 8.19e4
    c_e: float = 0.0028 / (FARADAY * DEFAULT_ELECTRON_MOBILITY)
    relative_permittivity: float = 10.0
    exchange_current_density: float = 10.0
    alpha: float = 0.5
    stern_thickness: float = DEFAULT_STERN_THICKNESS
    contact_angle: float = 2.0 * math.pi / 3.0
    interfacial_energy: float = 0.0943
    molar_volume: float = 1.2998e-5
    nucleation_prefactor: float = 1e33
    nucleation_threshold: float = 1e18
    c_e_li: float = 4.63e28 / AVOGADRO
    material: str = ""
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
    electron_mobility: float = DEFAULT_ELECTRON_MOBILITY,
    mobile_fraction: float = 1.0,
    stern_thickness: float = DEFAULT_STERN_THICKNESS,
    exchange_current_density: float | None = None,
) -> PNPParameters:
    """Build :class:`PNPParameters` from the materials library.

    ``i0`` defaults to ``R T / (F R_int)`` from the layer's ``interface_resistance`` (the Li | layer
    contact measured through the paper's cell resistance) when the material has one, else to Li's
    ``exchange_current_density``. The nucleation parameters come from ``li``
    (``effective_interfacial_energy``, ``molar_volume``, ``nucleation_prefactor``,
    ``nucleation_rate_threshold``, ``electron_concentration``).

    >>> p = from_material("lni-5cnt")
    >>> round(p.d_li * 1e14, 2)  # m^2/s * 1e14
    9.43
    """
    from interlayer import materials

    if not (electron_mobility > 0 and math.isfinite(electron_mobility)):
        raise InputError("electron_mobility", f"must be > 0 m^2/(V s), got {electron_mobility}")
    if not 0 < mobile_fraction <= 1:
        raise InputError("mobile_fraction", f"must lie in (0, 1], got {mobile_fraction}")
    m = materials.get(material)
    li = materials.get("li")
    if exchange_current_density is None:
        if m.has("interface_resistance"):
            exchange_current_density = GAS_CONSTANT * temperature / (FARADAY * m["interface_resistance"])
        else:
            exchange_current_density = li["exchange_current_density"]
    gamma = li["effective_interfacial_energy"] if li.has("effective_interfacial_energy") else li["surface_energy"]
    threshold = li["nucleation_rate_threshold"] if li.has("nucleation_rate_threshold") else 1e18
    return PNPParameters(
        thickness=thickness,
        temperature=temperature,
        sigma_ion=m["sigma_ion"],
        sigma_e=m["sigma_e"],
        c_li=mobile_fraction * m["li_concentration"],
        c_e=m["sigma_e"] / (FARADAY * electron_mobility),
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
        sigma_e_profile=_profile(m),
    )


def _profile(m):
    """The material's sigma_e profile as (kind, anode, sse) in S/m, or None."""
    pr = getattr(m, "profile", None)
    if pr is None or pr.quantity != "sigma_e":
        return None
    return (pr.kind, float(pr.anode_value), float(pr.sse_value))
