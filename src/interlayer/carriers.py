"""Free-carrier concentrations of a host layer: one rule for every model.

The nucleation rate (paper eq. 10) carries the factors ``c_Li+/c0`` and ``c_e/c_e,Li``. The design
criterion (electroneutral, equilibrium composition) and the PNP model (local fields) must use the
same values, or the same layer gets two critical overpotentials. Both come from here.

Electron density ``n`` (1/m^3), in this order:

1. given explicitly (``electron_concentration``);
2. the material's library ``electron_concentration`` (CNT composites: CNT volume fraction x
   :data:`CNT_CARRIER_DENSITY`, see :func:`cnt_electron_density`);
3. the mobility route ``n = sigma_e / (e mu_e)`` with :data:`DEFAULT_ELECTRON_MOBILITY` (materials
   without a carrier density, e.g. LNI-Mg, or layers built from conductivities alone).

The density is that of the dense solid: a nucleus forms on a solid surface, where the local
concentration is the dense value (porosity dilutes conductivities, Bruggeman, not the local density).
"""

from __future__ import annotations

import numpy as np

from interlayer import materials
from interlayer.errors import InputError
from interlayer.kinetics import REFERENCE_CONCENTRATION
from interlayer.units import ELEMENTARY_CHARGE

#: Electron mobility of the mobility route, m^2/(V s): 10 cm^2/(V s), the order reported for random
#: CNT networks (E. S. Snow et al., Appl. Phys. Lett. 82, 2145 (2003)).
DEFAULT_ELECTRON_MOBILITY = 1e-3
#: Free-electron density inside the CNTs, 1/m^3 (1e20 cm^-3): the upper end of the 1e19-1e20 cm^-3 that
#: Hall and optical measurements give for CNT networks and graphitic carbon. An order-of-magnitude estimate.
CNT_CARRIER_DENSITY = 1e26
#: Skeletal density of multi-walled CNTs, kg/m^3 (1.7-2.1 g/cm^3 reported; 1.8 used), for mass -> volume.
CNT_DENSITY = 1.8e3


def cnt_volume_fraction(mass_fraction, host_density=None):
    """CNT volume fraction of an LNI-CNT composite from the CNT mass fraction (dimensionless).

    ``host_density`` (kg/m^3) defaults to the library's LNI density.
    """
    w = np.asarray(mass_fraction, dtype=float)
    rho_host = materials.get("lni")["density"] if host_density is None else host_density
    v_cnt = w / CNT_DENSITY
    return v_cnt / (v_cnt + (1.0 - w) / rho_host)


def cnt_electron_density(mass_fraction, host_density=None, carrier_density=CNT_CARRIER_DENSITY):
    """Free-electron density (1/m^3) of an LNI-CNT composite: CNT volume fraction x ``carrier_density``
    (the free-electron density inside the CNTs, 1/m^3; default :data:`CNT_CARRIER_DENSITY`)."""
    return cnt_volume_fraction(mass_fraction, host_density) * carrier_density


def electron_density(material=None, *, sigma_e=None, electron_concentration=None, electron_mobility=None):
    """Free-electron density n (1/m^3) and the route that gave it (``"carrier-density"``/``"mobility"``).

    Parameters
    ----------
    material : str, optional
        Library material whose ``electron_concentration`` (or ``sigma_e``) to use.
    sigma_e : float, optional
        Electronic conductivity, S/m (overrides the material's for the mobility route).
    electron_concentration : float, optional
        Use this density, 1/m^3.
    electron_mobility : float, optional
        Force the mobility route with this mobility, m^2/(V s).
    """
    if electron_concentration is not None and electron_mobility is not None:
        raise InputError("electron_mobility", "give electron_mobility or electron_concentration, not both")
    if electron_concentration is not None:
        if not (np.isfinite(electron_concentration) and electron_concentration > 0):
            raise InputError("electron_concentration", f"must be > 0 1/m^3, got {electron_concentration}")
        return float(electron_concentration), "carrier-density"
    m = materials.get(material) if material is not None else None
    if electron_mobility is None and m is not None and m.has("electron_concentration"):
        return float(m["electron_concentration"]), "carrier-density"
    mu = DEFAULT_ELECTRON_MOBILITY if electron_mobility is None else electron_mobility
    if not (np.isfinite(mu) and mu > 0):
        raise InputError("electron_mobility", f"must be > 0 m^2/(V s), got {mu}")
    if sigma_e is None:
        if m is None:
            raise InputError("sigma_e", "needed for the mobility route when no material is given")
        sigma_e = m["sigma_e"]
    return float(mobility_route_density(sigma_e, mu)), "mobility"


def mobility_route_density(sigma_e, mobility=DEFAULT_ELECTRON_MOBILITY):
    """``n = sigma_e / (e mu_e)`` (1/m^3) for an electronic conductivity (S/m, scalar or array)."""
    return np.asarray(sigma_e, dtype=float) / (ELEMENTARY_CHARGE * mobility)


def electron_factor(n):
    """``c_e/c_e,Li`` of eq. 10 for an electron density n (1/m^3): n over Li metal's free-electron density."""
    return np.asarray(n, dtype=float) / materials.get("li")["electron_concentration"]


def li_factor(li_concentration):
    """``c_Li+/c0`` of eq. 10 for a mobile Li+ concentration (mol/m^3), c0 = 1 mol/L (the paper)."""
    return np.asarray(li_concentration, dtype=float) / REFERENCE_CONCENTRATION
