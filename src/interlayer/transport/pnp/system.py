"""A dimensionless Poisson-Nernst-Planck system on a finite-volume graph, and its boundary conditions.

The discretisation is the box (vertex-centred finite-volume) method: every mesh node owns a control
volume ``V_i``; neighbouring nodes ``i, j`` share a face of measure ``A_ij`` at distance ``h_ij``, and
the edge coupling is ``w_ij = A_ij / h_ij``. In 1D ``w = 1/h`` and ``V`` is half of each adjacent cell;
in 2D on a Delaunay triangulation ``w_ij`` is the Voronoi (cotangent) weight, so the same code serves
both dimensions.

Dimensionless equations (``psi = V/V_T``, ``u_k = c_k/c_k0``, lengths over ``L``, time over
``L^2/D_ref``), see :mod:`interlayer.transport.pnp.scales` and ``docs/pnp.md``; the reference state
``u_k = 1`` is neutral (the immobile background cancels it) and the unknowns are the deviations
``delta_k = u_k - 1``::

    -eps_hat lap(psi) = sum_k z_k r_k delta_k + rho_fixed,      r_k = c_k0 / c_ref
    d u_k/dt + div j_k = 0,   j_k = -d_k (grad u_k + z_k u_k grad psi),   d_k = D_k / D_ref
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Boundary:
    """Boundary nodes and the face measure (dimensionless area, 1 in 1D) each one carries."""

    nodes: np.ndarray
    area: np.ndarray


@dataclass(frozen=True)
class Graph:
    """Finite-volume graph: node coordinates, control volumes, edges with couplings, named boundaries.

    All quantities are dimensionless (lengths over the layer thickness ``L``).
    """

    coords: np.ndarray  # (N, d)
    volume: np.ndarray  # (N,)
    ei: np.ndarray  # (E,) first node of each edge
    ej: np.ndarray  # (E,) second node
    w: np.ndarray  # (E,) coupling A_ij / h_ij
    boundaries: dict[str, Boundary] = field(default_factory=dict)
    clipped_couplings: int = 0  # negative Voronoi weights set to zero (2D meshes)
    cells: np.ndarray | None = None  # (T, 3) triangles of a 2D mesh (for plotting), None in 1D

    @property
    def n_nodes(self) -> int:
        return int(self.volume.size)


@dataclass(frozen=True)
class Species:
    """A mobile charge carrier: valence ``z``, dimensionless diffusivity ``d = D/D_ref`` (a scalar
    or one value per edge) and concentration scale ``r = c_k0/c_ref`` (its unknown is ``u = c/c_k0``)."""

    name: str
    z: int
    d: float | np.ndarray
    r: float


# --- boundary conditions (dimensionless) -------------------------------------------------------


@dataclass(frozen=True)
class PotentialDirichlet:
    """``psi = value`` on the boundary (an electrode held at a potential, no compact layer)."""

    boundary: str
    value: float


@dataclass(frozen=True)
class PotentialStern:
    """Compact (Stern) layer between a metal at ``psi_metal`` and the reaction plane:
    outward displacement ``= capacitance * (psi - psi_metal)`` (Robin condition).

    ``capacitance = eps_hat * L / delta_S`` in the solver's units (``delta_S``: Stern thickness with the
    bulk permittivity). Bazant, Chu and Bayly, SIAM J. Appl. Math. 65, 1463 (2005).
    """

    boundary: str
    capacitance: float
    psi_metal: float = 0.0


@dataclass(frozen=True)
class SpeciesDirichlet:
    """``u_k = value`` on the boundary (a reservoir in equilibrium with the layer)."""

    boundary: str
    species: int
    value: float = 1.0


@dataclass(frozen=True)
class SpeciesBoltzmann:
    """Carrier in equilibrium with a metal at ``psi_metal``: ``u_k = exp(-z_k (psi - psi_metal))``
    (ohmic contact: continuous electrochemical potential of the electrons)."""

    boundary: str
    species: int
    psi_metal: float = 0.0


@dataclass(frozen=True)
class SpeciesFlux:
    """Prescribed outward flux density ``outflux`` (dimensionless; negative = supply into the domain)."""

    boundary: str
    species: int
    outflux: float


@dataclass(frozen=True)
class FrumkinButlerVolmer:
    """Faradaic outflux of a cation at a metal surface (Li+ + e- -> Li, deposition positive)::

        outflux = k0 [u exp(alpha eta_el) - exp(-(1 - alpha) eta_el)],   eta_el = psi - psi_metal

    the paper's eq. (9) with ``phi = -eta_el`` and ``c_Li+/c0 = u`` (``c0`` the equilibrium
    concentration, so that ``eta = 0`` is equilibrium); ``eta_el`` is the drop over the compact layer.
    ``k0 = i0 L / (F D_ref c_k0)``.
    """

    boundary: str
    species: int
    k0: float
    alpha: float = 0.5
    psi_metal: float = 0.0


@dataclass(frozen=True)
class System:
    """A dimensionless PNP problem: graph, carriers, permittivity, fixed charge, boundary conditions."""

    graph: Graph
    species: tuple[Species, ...]
    eps_hat: float | np.ndarray  # scalar or per edge
    rho_fixed: np.ndarray  # (N,) immobile charge beyond what neutralises u = 1, over F c_ref
    bcs: tuple = ()
    source: np.ndarray | None = None  # (N, n_vars) volumetric sources (Poisson: extra charge; species: production)

    @property
    def n_vars(self) -> int:
        return 1 + len(self.species)

    @property
    def size(self) -> int:
        return self.graph.n_nodes * self.n_vars

    def split(self, u: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """Return ``psi`` and the species deviations ``delta_k = u_k - 1`` from the unknown vector."""
        m = u.reshape(-1, self.n_vars)
        return m[:, 0], [m[:, k + 1] for k in range(len(self.species))]

    def join(self, psi: np.ndarray, fields: list[np.ndarray]) -> np.ndarray:
        """Interleave ``psi`` and species deviations ``delta_k`` into one unknown vector."""
        return np.column_stack([psi, *fields]).ravel()

    def with_bcs(self, bcs) -> System:
        """A copy with other boundary conditions."""
        return System(self.graph, self.species, self.eps_hat, self.rho_fixed, tuple(bcs), self.source)

    def charge(self, u: np.ndarray) -> np.ndarray:
        """Dimensionless charge density ``sum_k z_k r_k delta_k + rho_fixed`` per node."""
        _, fields = self.split(u)
        rho = self.rho_fixed.copy()
        for sp, dev in zip(self.species, fields, strict=True):
            rho = rho + sp.z * sp.r * dev
        return rho
