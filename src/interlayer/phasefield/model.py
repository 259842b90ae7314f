"""The Allen-Cahn model of Li growth into a porous host (paper eqs. 11-16), in scaled form.

Free energy density (SI), after L. Chen et al., J. Power Sources 300, 376 (2015) and the paper's
eqs. 11-15, with one fixed host field phi (all grains and the SSE):

    f = A zeta^2 (1 - zeta)^2 + (B/2) zeta^2 phi^2
        + (k/2) |grad zeta|^2 - k_Lg grad zeta . grad phi        (+ phi-only terms, constant)
        - P h(zeta)                                              (stack pressure on the Li)

    d zeta / dt = -L_sigma dF/dzeta + L_eta h'(zeta) Delta(eta)
                = -L_sigma [ g'(zeta) A + B zeta phi^2 - k lap(zeta) + k_Lg lap(phi) - P h'(zeta) ]
                  + L_eta h'(zeta) Delta(eta)

with h(zeta) = zeta^3 (6 zeta^2 - 15 zeta + 10), h' = 30 zeta^2 (1 - zeta)^2 and the Butler-Volmer
bracket Delta(eta) of :func:`interlayer.phasefield.parameters.bv_factor` (eta > 0 plates; the paper's
eq. 16 has the opposite sign of eta). The pressure term is the work P dV of Li pushed by the stack
into the (pressure-free) pores: it makes a meniscus advance when P > gamma * curvature.

Parameters from physics (docs/equations.md (E16)-(E18)): A = 3 gamma / l, k = 6 gamma l (so that the flat
Li/pore interface has energy gamma and profile 1/(1 + exp(x/l))), L_eta = i0 / (6 l n F c_s) (a flat
front moves at v = 6 l L_eta Delta = i0 Delta / (n F c_s)), k_Lg from the contact angle
(:mod:`interlayer.phasefield.wetting`).

Wetting term, a deliberate change from eq. 11 as printed (``wetting_form="h"``, the default): the
cross-gradient term is written -k_Lg grad h(zeta) . grad phi instead of -k_Lg grad zeta . grad phi.
As printed (``wetting_form="digest"``), its variational derivative k_Lg lap(phi) does not depend on
zeta, so it pushes zeta up next to every lithiophilic grain even where there is no Li: in throats
narrower than a few l the two walls' contributions add and Li appears from nothing (a test shows
it). With h(zeta) the derivative is k_Lg h'(zeta) lap(phi), zero in the pore (zeta = 0) and in the
Li (zeta = 1), so wetting acts only on an existing Li surface. Both forms are mapped to the contact
angle the same way (:mod:`interlayer.phasefield.wetting`).

Scaled form (what the solver integrates; ``PhaseFieldModel.scales`` gives the scales):
length l, energy density A, time tau = 1 / (L_sigma A):

    d zeta / dt~ = 2 lap~ zeta - [g'(zeta) + b zeta phi^2 + c w(zeta) lap~ phi] + (p~ + lam~ Delta) h'(zeta)

with w(zeta) = h'(zeta) ("h" form) or 1 ("digest" form),
b = B/A, c = k_Lg/(A l^2), p~ = P/A, lam~ = L_eta tau; g' = 2 zeta (1 - zeta)(1 - 2 zeta).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from interlayer.errors import InputError
from interlayer.phasefield.interpolation import H2_MAX, dh, h  # noqa: F401 (h, dh: also public here)
from interlayer.phasefield.microstructure import Microstructure
from interlayer.phasefield.parameters import PhaseFieldParameters, bv_factor
from interlayer.phasefield.wetting import coupling_from_contact_angle
from interlayer.units import FARADAY


@dataclass(frozen=True)
class Scales:
    """The scales used to nondimensionalise, SI (exposed so users can read dimensionless output).

    Attributes
    ----------
    length : float
        l, interface half-width, m.
    energy_density : float
        A = 3 gamma / l, J/m^3 (also the pressure scale, Pa).
    time : float
        tau = 1 / (L_sigma A), s: relaxation time of the interface.
    velocity : float
        l / tau, m/s.
    """

    length: float
    energy_density: float
    time: float

    @property
    def velocity(self) -> float:
        return self.length / self.time

    def to_dict(self) -> dict:
        return {
            "length_m": self.length,
            "energy_density_J_m3": self.energy_density,
            "time_s": self.time,
            "velocity_m_s": self.velocity,
        }


class PhaseFieldModel:
    """Eqs. 11-16 on a microstructure, for one contact angle, overpotential and stack pressure.

    Parameters
    ----------
    microstructure : Microstructure
        Host field and geometry.
    contact_angle : float
        Contact angle theta of Li on the host, rad, in (0, pi).
    overpotential : float
        Applied deposition overpotential at the Li anode, V (> 0 plates; package sign convention).
    pressure : float
        Stack pressure on the Li, Pa (>= 0).
    params : PhaseFieldParameters
        Material and kinetic parameters.
    potential : {"poisson", "uniform"}
        "poisson": local eta from the conductivity-weighted Poisson solve
        (:mod:`interlayer.phasefield.potential`); "uniform": eta = overpotential everywhere
        (for verification and benchmarks).
    wetting_form : {"h", "digest"}
        Form of the Li-grain cross-gradient term (see the module docstring).
    current_density : float, optional
        Galvanostatic control, A/m^2 (> 0 plates): at every step the (uniform) overpotential is set
        so that the plating current density n F c_s <d zeta/dt> equals this value; ``overpotential``
        is then only the initial guess and ``potential`` is forced to "uniform".

    Examples
    --------
    >>> from interlayer.phasefield.microstructure import straight_pores
    >>> m = PhaseFieldModel(straight_pores(32, 64, 1e-7, 1e-6), math.radians(120), 0.02)
    >>> round(m.scales.time, 4)  # tau = l / (3 gamma L_sigma), s
    0.0267
    """

    def __init__(
        self,
        microstructure: Microstructure,
        contact_angle: float,
        overpotential: float = 0.0,
        pressure: float = 0.0,
        params: PhaseFieldParameters | None = None,
        potential: str = "poisson",
        wetting_form: str = "h",
        current_density: float | None = None,
    ):
        self.microstructure = microstructure
        self.params = params or PhaseFieldParameters()
        if not (math.isfinite(contact_angle) and 0.0 < contact_angle < math.pi):
            raise InputError("contact_angle", f"must be in (0, 180) deg, got {math.degrees(contact_angle):.4g} deg")
        from interlayer.limits import check_bound

        check_bound("overpotential", overpotential, "overpotential")
        check_bound("pressure", pressure, "pressure")
        if potential not in ("poisson", "uniform"):
            raise InputError("potential", f"must be 'poisson' or 'uniform', got {potential!r}")
        if wetting_form not in ("h", "digest"):
            raise InputError("wetting_form", f"must be 'h' or 'digest', got {wetting_form!r}")
        self.wetting_form = wetting_form
        if current_density is not None:
            check_bound("pf_current_density", current_density, "current_density")
            potential = "uniform"  # galvanostatic control sets one eta for the whole Li surface
        self.current_density = None if current_density is None else float(current_density)
        self.contact_angle = float(contact_angle)
        self.overpotential = float(overpotential)
        self.pressure = float(pressure)
        self.potential_mode = potential
        p = self.params
        l_width = p.interface_width or microstructure.dx
        a = 3.0 * p.surface_energy / l_width
        self.scales = Scales(l_width, a, 1.0 / (p.mobility * a))
        self.dx_scaled = microstructure.dx / l_width
        self.b = p.grain_penalty
        self.grain_width = microstructure.edge_width / l_width
        self.c = coupling_from_contact_angle(self.contact_angle, self.b, self.grain_width, wetting_form)
        self.p_scaled = self.pressure / a
        l_eta = p.exchange_current_density / (6.0 * l_width * p.n * FARADAY * p.li_concentration)
        self.lam_scaled = l_eta * self.scales.time
        self.phi = np.ascontiguousarray(microstructure.phi, dtype=float)
        self.phi2b = self.b * self.phi**2

    # -- physics in SI for reports -------------------------------------------------------------
    @property
    def k_li_grain(self) -> float:
        """k_Li-grain of eq. 11 in J/m (c A l^2 = 3 c gamma l)."""
        return self.c * self.scales.energy_density * self.scales.length**2

    def driving_pressures(self, eta: float | None = None) -> dict:
        """The plating drive of eq. 16 and of thermodynamics as pressures on the Li surface, Pa.

        * ``bv_equivalent``: L_eta Delta(eta) / L_sigma, the pressure whose term P h'(zeta) in the
          Allen-Cahn equation equals the Butler-Volmer term (what eq. 16 sets against capillarity);
        * ``thermodynamic``: n F eta / V_m, the free-energy gain per volume of Li plated at eta
          (what a thermodynamically consistent model sets against capillarity);
        * ``stack``: the applied stack pressure.

        With Chen's L_sigma the first is ~1e5 times smaller than the second (docs/phasefield.md).
        """
        eta = self.overpotential if eta is None else float(eta)
        p = self.params
        a = self.scales.energy_density
        return {
            "bv_equivalent": self.lam_scaled * float(self.bv(eta)) * a,
            "thermodynamic": p.n * FARADAY * eta / p.molar_volume,
            "stack": self.pressure,
        }

    def bv(self, eta):
        """Delta(eta) (see :func:`bv_factor`)."""
        return bv_factor(eta, self.params)

    def eta_from_bv(self, delta: float) -> float:
        """The overpotential (V) with Delta(eta) = delta (Delta is strictly increasing in eta)."""
        from scipy.optimize import brentq

        lo, hi = -0.5, 0.5
        while self.bv(lo) > delta:
            lo *= 2.0
        while self.bv(hi) < delta:
            hi *= 2.0
            if hi > 1e3:
                raise InputError("current_density", "needs an overpotential beyond 1 kV: no Li surface to plate on?")
        return float(brentq(lambda e: float(self.bv(e)) - delta, lo, hi, xtol=1e-12))

    def initial_zeta(self) -> np.ndarray:
        """Flat Li anode below y_anode: zeta = 1/(1 + exp((y - y_anode)/l)), kept out of grains."""
        ms = self.microstructure
        y = ms.y[:, None] * np.ones((1, ms.shape[1]))
        z = 0.5 * (1.0 - np.tanh((y - ms.y_anode) / (2.0 * self.scales.length)))
        return z * (1.0 - self.phi)

    def explicit_stiffness(self, delta_max: float, lap_phi_max: float = 0.0) -> float:
        """Upper bound of |dN/dzeta| of the explicit terms (scaled).

        2 + b + (|p~| + lam~ |Delta| + |c| max|lap phi| [h-form only]) max|h''|.
        """
        wet = abs(self.c) * lap_phi_max if self.wetting_form == "h" else 0.0
        return 2.0 + self.b + (abs(self.p_scaled) + self.lam_scaled * abs(delta_max) + wet) * H2_MAX


def young_laplace_entry_pressure(width: float, contact_angle: float, surface_energy: float) -> float:
    """Entry pressure of a 2D slit pore, Pa: P = -2 gamma cos(theta) / w (negative: sucked in).

    >>> round(young_laplace_entry_pressure(1e-6, math.radians(120), 0.5))
    500000
    """
    return -2.0 * surface_energy * math.cos(contact_angle) / width
