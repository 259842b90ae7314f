"""Li mechanics at the interlayer: capillary entry into lithiophobic pores and power-law creep.

* Capillary (Young-Laplace) entry pressure of a cylindrical pore of radius r that Li does not wet
  (contact angle theta > 90 deg): ``P_cap = 2 gamma |cos theta| / r``; 0 for a wetting pore (Li
  is drawn in).
* Power-law creep of Li: ``strain rate = rate_1MPa (sigma / 1 MPa)^n exp(-Q/R (1/T - 1/T_ref))``.
* Creep-driven pore filling: Li extruded by a net pressure dP into a pore of radius r, a power-law
  fluid in a tube. With the shear form ``gamma_dot = A_s tau^n`` (von Mises: A_s = 3^((n+1)/2) A)
  and the wall shear stress tau_w = dP r / (2 L) of a plug of length L, the mean velocity is

      dL/dt = A_s (dP / (2 L))^n r^(n+1) / (n + 3)

  whose solution from L(0) = 0 is ``L(t) = ((n + 1) C t)^(1/(n+1))``, C = A_s (dP/2)^n r^(n+1)/(n+3).
  Derivation in docs/theory.md ("Where plated Li goes").
"""

from __future__ import annotations

import numpy as np

from interlayer import materials
from interlayer.temperature import arrhenius

MPA = 1e6  # Pa


def capillary_entry_pressure(surface_energy, contact_angle, pore_radius):
    """Young-Laplace entry pressure (Pa) of Li into a pore it does not wet; 0 where it wets.

    Parameters
    ----------
    surface_energy : float or array
        Li surface tension, J/m^2.
    contact_angle : float or array
        rad.
    pore_radius : float or array
        m (> 0).
    """
    cos = np.cos(np.asarray(contact_angle, dtype=float))
    return np.where(cos < 0, 2.0 * np.asarray(surface_energy) * np.abs(cos) / np.asarray(pore_radius), 0.0)


def creep_parameters() -> dict[str, float]:
    """Li power-law creep constants from the materials library (SI; the rate is per second)."""
    li = materials.get("li")
    return {"rate_1MPa": li["creep_rate_1MPa"], "exponent": li["creep_stress_exponent"],
            "activation_energy": li["creep_activation_energy"]}


def creep_strain_rate(stress, temperature, params=None):
    """Uniaxial creep strain rate of Li (1/s) under ``stress`` (Pa, >= 0) at ``temperature`` (K)."""
    p = params or creep_parameters()
    s = np.maximum(np.asarray(stress, dtype=float), 0.0) / MPA
    return arrhenius(p["rate_1MPa"], p["activation_energy"], temperature) * s ** p["exponent"]


def _shear_coefficient(temperature, params):
    """A_s of gamma_dot = A_s tau^n in Pa^-n / s (von Mises conversion of the uniaxial law)."""
    n = params["exponent"]
    a_uniaxial = arrhenius(params["rate_1MPa"], params["activation_energy"], temperature) / MPA**n
    return 3.0 ** ((n + 1.0) / 2.0) * a_uniaxial


def creep_fill_velocity(depth, pressure, pore_radius, temperature, params=None):
    """dL/dt (m/s) of a Li plug of length ``depth`` (m) pushed by ``pressure`` (Pa) into a pore."""
    p = params or creep_parameters()
    n = p["exponent"]
    a_s = _shear_coefficient(temperature, p)
    dp = np.maximum(np.asarray(pressure, dtype=float), 0.0)
    with np.errstate(divide="ignore"):
        return a_s * (dp / (2.0 * np.asarray(depth, dtype=float))) ** n * np.asarray(pore_radius) ** (n + 1) / (n + 3)


def creep_fill_depth(time, pressure, pore_radius, temperature, params=None):
    """Depth (m) Li creeps into a pore in ``time`` (s) under a net ``pressure`` (Pa); closed form.

    ``L(t) = ((n + 1) C t)^(1/(n+1))``, C = A_s (dP/2)^n r^(n+1)/(n+3); 0 where dP <= 0.

    >>> p = {"rate_1MPa": 1e-3, "exponent": 1.0, "activation_energy": 0.0}
    >>> L = creep_fill_depth(100.0, 1e6, 1e-6, 298.15, p)
    >>> bool(abs(float(creep_fill_velocity(L, 1e6, 1e-6, 298.15, p)) * 2 * 100.0 / L - 1) < 1e-12)
    True
    """
    p = params or creep_parameters()
    n = p["exponent"]
    a_s = _shear_coefficient(temperature, p)
    dp = np.maximum(np.asarray(pressure, dtype=float), 0.0)
    c = a_s * (dp / 2.0) ** n * np.asarray(pore_radius, dtype=float) ** (n + 1) / (n + 3)
    return ((n + 1.0) * c * np.asarray(time, dtype=float)) ** (1.0 / (n + 1.0))
