"""Scales of the nondimensionalisation (exposed so users can see what the solver resolved)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from interlayer.transport.pnp.params import PNPParameters
from interlayer.units import FARADAY, GAS_CONSTANT


@dataclass(frozen=True)
class Scales:
    """Reference scales: ``x = L x~``, ``V = V_T psi``, ``c_k = c_k0 u_k``, ``t = (L^2/D_ref) t~``.

    Attributes
    ----------
    length : float
        L, the layer thickness, m.
    thermal_voltage : float
        V_T = R T / F, V.
    concentration : float
        c_ref = c_Li0, mol/m^3 (charge densities are in units of F c_ref).
    diffusivity : float
        D_ref = D_Li, m^2/s.
    debye_length : float
        lambda_D = sqrt(eps R T / (F^2 sum_k z_k^2 c_k0)), m (screening by all mobile carriers).
    diffusion_time : float
        L^2 / D_Li, s (the time unit).
    dielectric_time : float
        eps / (sigma_ion + sigma_e), s (charge relaxation; the first time step resolves it).
    electron_time : float
        L^2 / D_e, s.
    eps_hat : float
        eps V_T / (F c_ref L^2) = (lambda_ref/L)^2 with lambda_ref the Li+-only Debye length.
    """

    length: float
    thermal_voltage: float
    concentration: float
    diffusivity: float
    debye_length: float
    diffusion_time: float
    dielectric_time: float
    electron_time: float
    eps_hat: float

    @classmethod
    def from_parameters(cls, p: PNPParameters) -> Scales:
        vt = GAS_CONSTANT * p.temperature / FARADAY
        eps = p.permittivity
        debye = math.sqrt(eps * vt / (FARADAY * (p.c_li + p.c_e)))
        return cls(
            length=p.thickness,
            thermal_voltage=vt,
            concentration=p.c_li,
            diffusivity=p.d_li,
            debye_length=debye,
            diffusion_time=p.thickness**2 / p.d_li,
            dielectric_time=eps / (p.sigma_ion + p.sigma_e),
            electron_time=p.thickness**2 / p.d_e,
            eps_hat=eps * vt / (FARADAY * p.c_li * p.thickness**2),
        )

    def flux(self, current_density: float) -> float:
        """Dimensionless Li+ flux density for a current density in A/m^2: ``i L / (F D_ref c_ref)``."""
        return current_density * self.length / (FARADAY * self.diffusivity * self.concentration)

    def as_dict(self) -> dict[str, float]:
        """Scales with units in the key names, for ``Dataset.attrs``."""
        return {
            "debye_length_m": self.debye_length,
            "thermal_voltage_V": self.thermal_voltage,
            "diffusion_time_s": self.diffusion_time,
            "dielectric_time_s": self.dielectric_time,
            "electron_diffusion_time_s": self.electron_time,
            "reference_concentration_mol_m3": self.concentration,
            "reference_diffusivity_m2_s": self.diffusivity,
        }
