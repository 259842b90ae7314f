"""The interlayer PNP model on any graph with ``"anode"`` and ``"sse"`` boundaries.

Carriers: Li+ (z = +1) and electrons (z = -1) with an immobile background charge that makes the
initial state (``c = c_k0`` everywhere) neutral and in equilibrium with the Li anode.

Boundary conditions (``docs/pnp.md``):

* Li anode (and protrusion) surface: electrons in equilibrium with the metal (ohmic contact,
  ``c_e = c_e0 exp(psi - psi_Li)``); a compact layer of thickness ``delta_S`` between the metal and the
  reaction plane (Robin condition on ``psi``; ``delta_S = 0`` pins ``psi = psi_Li``); Li+ leaves by
  Frumkin-Butler-Volmer deposition (``anode_contact="butler-volmer"``) or cannot cross
  (``"blocking"``: a lithiophobic contact through which only electrons pass).
* SSE face: electrons blocked; Li+ supplied at the imposed current density (galvanostatic, zero field
  on the SSE side: the SSE is a good ionic conductor without space charge) or, potentiostatically,
  ``c_Li = c_Li0`` and ``psi = V_app / V_T`` (an ideal Li+ reservoir at the applied potential).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from interlayer.errors import InputError
from interlayer.transport.pnp.assemble import make_residual
from interlayer.transport.pnp.params import PNPParameters
from interlayer.transport.pnp.scales import Scales
from interlayer.transport.pnp.stepping import Trajectory, evolve, steady
from interlayer.transport.pnp.system import (
    FrumkinButlerVolmer,
    Graph,
    PotentialDirichlet,
    PotentialStern,
    Species,
    SpeciesBoltzmann,
    SpeciesDirichlet,
    SpeciesFlux,
    System,
)

Mode = Literal["galvanostatic", "potentiostatic"]
AnodeContact = Literal["butler-volmer", "blocking"]
LI, E = 0, 1  # species indices


@dataclass
class InterlayerPNP:
    """A ready-to-solve PNP interlayer problem (build with :meth:`build`)."""

    params: PNPParameters
    scales: Scales
    graph: Graph
    system: System
    current_density: float
    mode: Mode
    voltage: float
    anode_contact: AnodeContact

    @classmethod
    def build(
        cls,
        params: PNPParameters,
        graph: Graph,
        *,
        current_density: float = 10.0,
        mode: Mode = "galvanostatic",
        voltage: float = 0.0,
        anode_contact: AnodeContact = "butler-volmer",
    ) -> InterlayerPNP:
        """Set up carriers, background charge and boundary conditions on ``graph`` (dimensionless,
        lengths over ``params.thickness``).

        Parameters
        ----------
        current_density : float
            Galvanostatic plating current density, A/m^2 (> 0 plates Li on the anode).
        mode : {"galvanostatic", "potentiostatic"}
            Control mode.
        voltage : float
            Potentiostatic: potential of the SSE face relative to the Li anode, V (> 0 plates).
        anode_contact : {"butler-volmer", "blocking"}
            Li+ transfer at the Li surfaces.
        """
        if mode not in ("galvanostatic", "potentiostatic"):
            raise InputError("mode", f"unknown mode {mode!r}; allowed: galvanostatic, potentiostatic")
        if anode_contact not in ("butler-volmer", "blocking"):
            raise InputError("anode_contact", f"unknown contact {anode_contact!r}; allowed: butler-volmer, blocking")
        if not np.isfinite(current_density) or not np.isfinite(voltage):
            raise InputError("current_density", "must be finite")
        for name in ("anode", "sse"):
            if name not in graph.boundaries:
                raise InputError("mesh", f"the graph needs a boundary named {name!r}")
        sc = Scales.from_parameters(params)
        r_e = params.c_e / params.c_li
        d_e = params.d_e / params.d_li
        if params.sigma_e_profile is not None:  # graded layer: per-edge electron diffusivity
            depth = 0.5 * (graph.coords[graph.ei, -1] + graph.coords[graph.ej, -1])
            d_e = d_e * params.sigma_e_at(np.clip(depth, 0.0, 1.0)) / params.sigma_e
        species = (
            Species("Li+", +1, 1.0, 1.0),
            Species("e-", -1, d_e, r_e),
        )
        rho_fixed = np.zeros(graph.n_nodes)  # the background exactly neutralises c_k = c_k0
        bcs: list = []
        if params.stern_thickness > 0:
            bcs.append(PotentialStern("anode", sc.eps_hat * params.thickness / params.stern_thickness, 0.0))
        else:
            bcs.append(PotentialDirichlet("anode", 0.0))
        bcs.append(SpeciesBoltzmann("anode", E, 0.0))
        if anode_contact == "butler-volmer":
            bcs.append(FrumkinButlerVolmer("anode", LI, sc.flux(params.exchange_current_density), params.alpha, 0.0))
        if mode == "galvanostatic":
            bcs.append(SpeciesFlux("sse", LI, -sc.flux(current_density)))
        else:
            bcs.append(PotentialDirichlet("sse", voltage / sc.thermal_voltage))
            bcs.append(SpeciesDirichlet("sse", LI, 1.0))
        system = System(graph, species, sc.eps_hat, rho_fixed, tuple(bcs))
        return cls(params, sc, graph, system, current_density, mode, voltage, anode_contact)

    # ------------------------------------------------------------------ solving
    def initial_state(self) -> np.ndarray:
        """Equilibrium with the Li anode: ``psi = 0``, ``c_k = c_k0``."""
        n = self.graph.n_nodes
        return self.system.join(np.zeros(n), [np.zeros(n), np.zeros(n)])

    def residual(self):
        """The residual/Jacobian function (see :func:`~interlayer.transport.pnp.assemble.make_residual`)."""
        return make_residual(self.system)

    def solve_steady(self, u0: np.ndarray | None = None) -> np.ndarray:
        """Steady state (dimensionless unknown vector).

        A blocking anode has no steady state under current (Li+ piles up): use :meth:`evolve`.
        """
        if self.anode_contact == "blocking" and self.mode == "galvanostatic" and self.current_density != 0:
            raise InputError("steady", "a blocking anode under current has no steady state; give an evolution time")
        return steady(self.system, self.residual(), self.initial_state() if u0 is None else u0)

    def evolve(self, time: float, *, rtol: float = 1e-2, atol_psi: float = 0.1, keep_all: bool = False,
               callback=None, u0: np.ndarray | None = None) -> Trajectory:
        """Integrate from equilibrium (current switched on at t = 0) for ``time`` seconds (BDF2).

        The default tolerances (1% in concentrations, 0.1 V_T in the potential per step) leave the
        2 s overpotential within 0.15 mV of a run at 1e-4 (LNI-0.5/5/50% CNT, 1 mA/cm2, both electron
        routes) at a third of the steps; tighten them for transients.
        """
        if not (np.isfinite(time) and time > 0):
            raise InputError("time", f"must be > 0 s, got {time}")
        sc = self.scales
        dt0 = 1e-3 * sc.dielectric_time / sc.diffusion_time
        return evolve(self.system, self.residual(), self.initial_state() if u0 is None else u0,
                      time / sc.diffusion_time, dt0=dt0, rtol=rtol, atol_psi=atol_psi, keep_all=keep_all,
                      callback=callback)

    # ------------------------------------------------------------------ fields in SI
    def fields(self, u: np.ndarray) -> dict[str, np.ndarray]:
        """Potential (V), concentrations (mol/m^3), quasi-potentials and eta (V) at the nodes.

        ``phi_ion = V + V_T ln(c_Li/c_Li0)``, ``phi_e = V - V_T ln(c_e/c_e0)`` (electrochemical
        potentials over F, referenced to the initial equilibrium with Li at 0 V), and the local
        deposition overpotential ``eta = phi_ion - phi_e = V_T ln(c_Li c_e / (c_Li0 c_e0))``.
        """
        vt = self.scales.thermal_voltage
        psi, (d_li, d_e) = self.system.split(u)
        u_li, u_e = 1.0 + d_li, 1.0 + d_e
        ln_li, ln_e = np.log1p(d_li), np.log1p(d_e)
        return {
            "potential": vt * psi,
            "c_li": self.params.c_li * u_li,
            "c_e": self.params.c_e * u_e,
            "phi_ion": vt * (psi + ln_li),
            "phi_e": vt * (psi - ln_e),
            "eta": vt * (ln_li + ln_e),
        }

    def anode_growth(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Anode-surface nodes and the Butler-Volmer growth current there (eq. 9), A/m^2.

        With a blocking anode the Faradaic current is zero by construction; the rate returned is then
        what eq. 9 would give on the local fields (the paper's post-processing).
        """
        from interlayer.kinetics import butler_volmer

        nodes = self.graph.boundaries["anode"].nodes
        psi, (d_li, _) = self.system.split(u)
        u_li = 1.0 + d_li
        eta_el = self.scales.thermal_voltage * psi[nodes]
        p = self.params
        return nodes, butler_volmer(eta_el, p.exchange_current_density, p.temperature, p.alpha,
                                    c_ratio=u_li[nodes], ce_ratio=1.0)

    def inventories(self, u: np.ndarray) -> dict[str, float]:
        """Integrals per unit area (1D) or length (2D) in SI: Li+ and electrons (mol/m^2) and the net
        charge (C/m^2), from the control volumes."""
        from interlayer.units import FARADAY

        dim = self.graph.coords.shape[1]
        vol = self.graph.volume * self.params.thickness**dim
        f = self.fields(u)
        rho = FARADAY * self.params.c_li * self.system.charge(u)
        return {"li": float(vol @ f["c_li"]), "e": float(vol @ f["c_e"]), "charge": float(vol @ rho)}
