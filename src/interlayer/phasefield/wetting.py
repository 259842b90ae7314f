"""Contact angle theta <-> Li-grain gradient coupling k_Li-grain (paper eqs. 11-15).

The free energy density of the model (in the scaled units of :mod:`interlayer.phasefield.model`:
energy density in A = 3 gamma / l, length in l) is

    e = zeta^2 (1 - zeta)^2 + (b/2) zeta^2 phi^2 + |grad zeta|^2 - c grad zeta . grad phi

with zeta = 1 in Li, phi = 1 in a host grain (fixed), b = B/A the overlap penalty and
c = k_Li-grain / (A l^2) the scaled cross-gradient coefficient. The pore (zeta = 0, phi = 0) is the
third phase. Young's law for Li on a grain surface surrounded by pore reads

    cos(theta) = (gamma_grain/pore - gamma_Li/grain) / gamma_Li/pore

and every interfacial energy is the minimum of the 1D functional across a flat interface, counting
only the zeta-dependent part (the phi-only terms are the same in every configuration, because phi
does not evolve, and cancel in the difference):

* gamma_Li/pore = 1/3 (in units of A l) analytically (zeta = 1/(1 + exp(x)), phi = 0): it is
  sqrt(2 k A)/6 = gamma by construction;
* gamma_Li/grain: min over zeta with zeta(-inf) = 1 (Li fills the pore next to the grain) and
  zeta(+inf) = 0 (inside the grain), phi(x) = 1/(1 + exp(-x/w_phi)) the grain's smooth edge;
* gamma_grain/pore: the same with zeta(-inf) = 0 (a precursor bump near the wall is allowed).

The minima are found by Newton's method on the discretised Euler-Lagrange equation
``-2 zeta'' + g'(zeta) + b zeta phi^2 + c phi'' = 0`` (fine 1D grid, Dirichlet ends), so the
relation is exact for the continuum model up to the 1D grid error (< 1e-4 in cos theta, tested).
cos(theta) decreases monotonically with c, so theta -> c is inverted by Brent's method.

Sign: c > 0 raises the Li/grain energy (lithiophobic, theta > 90 deg); c < 0 lowers it (lithiophilic).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy.linalg import solve_banded
from scipy.optimize import brentq

from interlayer.errors import InputError, SolverError
from interlayer.phasefield.interpolation import d2h, dh, h

_HALF_LENGTH = 25.0  # 1D domain half length in units of l (profiles decay like exp(-x))
_DX = 0.05  # 1D grid step in units of l


def _grain_profile(x: np.ndarray, grain_width: float) -> tuple[np.ndarray, np.ndarray]:
    """phi(x) = logistic(x / w) (grain on the right) and its second derivative."""
    phi = 0.5 * (1.0 + np.tanh(x / (2.0 * grain_width)))
    # phi'' of the logistic: phi (1 - phi)(1 - 2 phi) / w^2
    phi_xx = phi * (1.0 - phi) * (1.0 - 2.0 * phi) / grain_width**2
    return phi, phi_xx


def _minimise(left: float, b: float, c: float, grain_width: float, profile: bool = False, form: str = "h"):
    """Interfacial excess energy (units A l) of the 1D minimiser with zeta(-L) = left, zeta(+L) = 0.

    With ``profile=True`` return ``(energy, x, zeta)``.
    """
    x = np.arange(-_HALF_LENGTH, _HALF_LENGTH + 0.5 * _DX, _DX)
    phi, phi_xx = _grain_profile(x, grain_width)
    # Initial guess: a Li/pore profile centred on the grain edge (or zero).
    zeta = left / (1.0 + np.exp(x)) if left > 0 else np.zeros_like(x)
    n = x.size - 2
    for _ in range(200):
        z = zeta
        lap = (z[2:] - 2 * z[1:-1] + z[:-2]) / _DX**2
        zi = z[1:-1]
        g1 = 2 * zi * (1 - zi) * (1 - 2 * zi)
        g2 = 2 - 12 * zi + 12 * zi**2
        if form == "h":
            res = -2 * lap + g1 + b * zi * phi[1:-1] ** 2 + c * dh(zi) * phi_xx[1:-1]
            extra = c * d2h(zi) * phi_xx[1:-1]
        else:
            res = -2 * lap + g1 + b * zi * phi[1:-1] ** 2 + c * phi_xx[1:-1]
            extra = 0.0
        bands = np.zeros((3, n))
        bands[0, 1:] = -2 / _DX**2
        bands[2, :-1] = -2 / _DX**2
        bands[1] = 4 / _DX**2 + g2 + b * phi[1:-1] ** 2 + extra
        step = solve_banded((1, 1), bands, -res)
        # Damped Newton: the double well makes full steps overshoot from poor guesses.
        scale = min(1.0, 0.25 / max(np.max(np.abs(step)), 1e-300))
        zeta = zeta.copy()
        zeta[1:-1] += scale * step
        if np.max(np.abs(res)) < 1e-11 and scale == 1.0:
            break
    else:
        raise SolverError("wetting map: 1D Newton did not converge", iterations=200, hint="use |c| smaller")
    zx = np.gradient(zeta, _DX)
    phix = np.gradient(phi, _DX)
    wx = np.gradient(h(zeta, clip=False), _DX) if form == "h" else zx
    e = zeta**2 * (1 - zeta) ** 2 + 0.5 * b * zeta**2 * phi**2 + zx**2 - c * wx * phix
    energy = float(np.sum(0.5 * (e[1:] + e[:-1])) * _DX)
    return (energy, x, zeta) if profile else energy


def cos_contact_angle(c: float, b: float, grain_width: float = 1.0, form: str = "h") -> float:
    """cos(theta) of Li on a grain for the scaled coupling ``c`` and penalty ``b``.

    Parameters
    ----------
    c : float
        Scaled cross-gradient coefficient k_Li-grain / (A l^2), dimensionless.
    b : float
        Scaled overlap penalty B / A, dimensionless (> 1/4 so that Li is unstable inside a grain).
    grain_width : float
        Width of the grain's smooth edge in units of l (phi = logistic(d / (w l))).
    form : {"h", "digest"}
        Cross-gradient term -c grad h(zeta) . grad phi ("h", default) or -c grad zeta . grad phi
        (eq. 11 as printed, "digest"); see :mod:`interlayer.phasefield.model`.

    Returns
    -------
    float
        cos(theta) by Young's law (may leave [-1, 1] for |c| beyond the wetting transitions).
    """
    gamma_lp = 1.0 / 3.0
    gamma_lg = _minimise(1.0, b, c, grain_width, form=form)
    gamma_gp = _minimise(0.0, b, c, grain_width, form=form)
    return (gamma_gp - gamma_lg) / gamma_lp


@lru_cache(maxsize=64)
def _table(b: float, grain_width: float, form: str) -> tuple[np.ndarray, np.ndarray]:
    cs, cos_t = [], []
    for c in np.linspace(_C_MAX, _C_MIN, 65):  # from c = 0 towards the wetting transition
        try:
            cos_t.append(cos_contact_angle(float(c), b, grain_width, form))
        except SolverError:  # beyond the wetting transition the 1D minimiser has no flat solution
            break
        cs.append(float(c))
        if cos_t[-1] > 1.0:
            break
    return np.array(cs)[::-1], np.array(cos_t)[::-1]


# Scanned range of c: all theta < 180 deg need c < 0 (see module docstring); c > 0 only pushes
# cos(theta) below -1.
_C_MIN, _C_MAX = -8.0, 0.0


def coupling_from_contact_angle(contact_angle: float, b: float, grain_width: float = 1.0, form: str = "h") -> float:
    """Scaled k_Li-grain (dimensionless c) giving Li the contact angle ``contact_angle`` on a grain.

    Parameters
    ----------
    contact_angle : float
        theta in rad, within the range reachable for this ``b`` (see :func:`contact_angle_range`).
    b, grain_width, form
        As in :func:`cos_contact_angle`.

    Returns
    -------
    float
        c = k_Li-grain / (A l^2); multiply by A l^2 = 3 gamma l for k_Li-grain in J/m.

    Raises
    ------
    InputError
        If theta is outside the reachable range.

    Examples
    --------
    >>> c = coupling_from_contact_angle(math.radians(120), b=8.0)
    >>> round(math.degrees(math.acos(cos_contact_angle(c, 8.0))), 3)
    120.0
    """
    lo, hi = contact_angle_range(b, grain_width, form)
    if not (lo <= contact_angle <= hi):
        raise InputError(
            "contact_angle",
            f"{math.degrees(contact_angle):.1f} deg is outside the range this model reaches "
            f"({math.degrees(lo):.1f}-{math.degrees(hi):.1f} deg for grain penalty b={b:g})",
        )
    cs, cos_t = _table(float(b), float(grain_width), form)
    target = math.cos(contact_angle)
    k = int(np.searchsorted(-cos_t, -target))  # table is ordered by increasing c, cos_t decreasing
    k = min(max(k, 1), cs.size - 1)
    return float(brentq(lambda c: cos_contact_angle(c, b, grain_width, form) - target, cs[k - 1], cs[k], xtol=1e-10))


def contact_angle_range(b: float, grain_width: float = 1.0, form: str = "h") -> tuple[float, float]:
    """Smallest and largest contact angle (rad) reachable by this model for this ``b``."""
    _, cos_t = _table(float(b), float(grain_width), form)
    cos_hi = min(float(cos_t.max()), 1.0)
    cos_lo = max(float(cos_t.min()), -1.0)
    return math.acos(cos_hi), math.acos(cos_lo)
