"""The Li | interlayer contact: planar point contacts in parallel with Li grown into the pores.

Geometry (1D, per unit face area; x = 0 the Li anode face, x = L the deepest Li in the pores):

* The planar contact touches the layer's solid on a fraction ``f_c`` of the face (a lithiophobic
  contact under ~1 MPa is a set of spots); its area-specific resistance is ``R_p = r_w / f_c`` with
  ``r_w`` the charge-transfer resistance of a fully wetted Li | host contact (ohm m^2).
* Li in the pores (depth L, porosity eps, pore radius r) contacts the pore walls, area per volume
  ``a_w = 2 eps / r`` (cylinders), through the same r_w: a transmission line whose ionic rail is the
  layer (sigma_ion) and whose electronic rail is the Li itself (ideal), terminated at x = 0 by R_p.
  Closed forms: decay length ``lambda = sqrt(r_w sigma / a_w)``, characteristic impedance
  ``Z0 = sqrt(r_w / (a_w sigma))``,

      Z_in = Z0 (R_p + Z0 tanh(L/lambda)) / (Z0 + R_p tanh(L/lambda))     (-> R_p at L = 0, Z0 coth for R_p -> inf)
      planar share = 1 / (cosh(L/lambda) + (R_p/Z0) sinh(L/lambda))

* Lateral spreading: Li plated at a contact spot spreads into the surrounding pores only where the
  layer's electronic network wires the pore walls to the spot. The wiring number
  ``W = sigma_e R_p / s`` compares the depth sigma_e R_p over which electrons reach as easily as the
  spot passes ions with the spot spacing ``s = r sqrt(pi / f_c)``; the wired (spreading) fraction of
  the deposit is ``W / (1 + W)``.

:func:`transmission_line_numeric` solves the same line by finite volumes (verification).
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse
import scipy.sparse.linalg

from interlayer.errors import InputError


def wall_area_density(porosity, pore_radius):
    """Pore-wall area per volume of cylindrical pores, 1/m: 2 eps / r."""
    return 2.0 * np.asarray(porosity, dtype=float) / np.asarray(pore_radius, dtype=float)


def decay_length(wall_resistance, sigma_ion, porosity, pore_radius):
    """lambda = sqrt(r_w sigma / a_w), m: how deep into the Li-filled zone the current converts."""
    return np.sqrt(np.asarray(wall_resistance) * np.asarray(sigma_ion) / wall_area_density(porosity, pore_radius))


def characteristic_impedance(wall_resistance, sigma_ion, porosity, pore_radius):
    """Z0 = sqrt(r_w / (a_w sigma)), ohm m^2: a deep Li-filled zone's contact resistance."""
    return np.sqrt(np.asarray(wall_resistance) / (wall_area_density(porosity, pore_radius) * np.asarray(sigma_ion)))


def contact_resistance(depth, planar_resistance, wall_resistance, sigma_ion, porosity, pore_radius):
    """Area-specific resistance (ohm m^2) of the Li|layer contact with Li grown ``depth`` (m) into the pores.

    Includes the ionic resistance of the Li-filled zone itself (the ionic rail of the line).

    >>> round(float(contact_resistance(0.0, 0.1, 5e-3, 0.03, 0.3, 5e-7)), 12)
    0.1
    """
    z0 = characteristic_impedance(wall_resistance, sigma_ion, porosity, pore_radius)
    s = np.asarray(depth, dtype=float) / decay_length(wall_resistance, sigma_ion, porosity, pore_radius)
    t = np.tanh(s)
    rp = np.asarray(planar_resistance, dtype=float)
    return z0 * (rp + z0 * t) / (z0 + rp * t)


def planar_share(depth, planar_resistance, wall_resistance, sigma_ion, porosity, pore_radius):
    """Fraction of the current that crosses the planar contact spots (the rest enters the Li in the pores)."""
    z0 = characteristic_impedance(wall_resistance, sigma_ion, porosity, pore_radius)
    s = np.asarray(depth, dtype=float) / decay_length(wall_resistance, sigma_ion, porosity, pore_radius)
    # 1 / (cosh s + (R_p/Z0) sinh s), written to stay finite for large s
    ratio = np.asarray(planar_resistance, dtype=float) / z0
    with np.errstate(over="ignore"):
        return np.where(s > 350, 0.0, 1.0 / (np.cosh(np.minimum(s, 350)) + ratio * np.sinh(np.minimum(s, 350))))


def spot_spacing(contact_fraction, pore_radius):
    """Spacing (m) of contact spots of radius ``pore_radius`` covering ``contact_fraction`` of the face."""
    return np.asarray(pore_radius, dtype=float) * np.sqrt(math.pi / np.asarray(contact_fraction, dtype=float))


def wiring_number(sigma_e, planar_resistance, contact_fraction, pore_radius):
    """W = sigma_e R_p / s (dimensionless): electrons reach the pores around a spot (W >> 1) or not."""
    return np.asarray(sigma_e, dtype=float) * np.asarray(planar_resistance) / spot_spacing(contact_fraction, pore_radius)


def wired_fraction(sigma_e, planar_resistance, contact_fraction, pore_radius):
    """W / (1 + W): the fraction of Li plated at the contact that spreads into the wired pores."""
    w = wiring_number(sigma_e, planar_resistance, contact_fraction, pore_radius)
    return w / (1.0 + w)


def transmission_line_numeric(depth, planar_resistance, wall_resistance, sigma_ion, porosity, pore_radius, cells=2000):
    """(Z_in, planar share) of the same transmission line by finite volumes, for verification.

    Unknown: the ionic potential in ``cells`` cells of the Li-filled zone (the Li at 0 V). Each cell
    passes ``a_w dx / r_w`` S/m^2 to the Li; the first cell passes ``1/R_p`` through the planar
    contact at x = 0 (half a cell away); unit current enters at x = depth.
    """
    if depth <= 0:
        return float(planar_resistance), 1.0
    if cells < 2:
        raise InputError("cells", "needs at least 2 cells")
    dx = depth / cells
    g_wall = float(wall_area_density(porosity, pore_radius)) * dx / wall_resistance
    g_rail = sigma_ion / dx
    g_planar = 1.0 / (planar_resistance + 0.5 * dx / sigma_ion)
    main = np.full(cells, g_wall)
    main[:-1] += g_rail
    main[1:] += g_rail
    main[0] += g_planar
    off = -np.full(cells - 1, g_rail)
    a = scipy.sparse.diags([off, main, off], [-1, 0, 1], format="csc")  # type: ignore[call-overload]  # scipy-stubs refuse a list of 1D arrays
    rhs = np.zeros(cells)
    rhs[-1] = 1.0  # 1 A/m^2 enters the last cell (its outer face is x = depth)
    phi = scipy.sparse.linalg.spsolve(a, rhs)
    z_in = phi[-1] + 0.5 * dx / sigma_ion  # potential at the face x = depth
    return float(z_in), float(phi[0] * g_planar)
