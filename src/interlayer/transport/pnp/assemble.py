"""Residual and analytic sparse Jacobian of a :class:`~interlayer.transport.pnp.system.System`.

``make_residual(system)`` returns ``F(u, a0=0, hist=None) -> (R, J)`` where the time derivative of
species ``k`` at node ``i`` is approximated as ``a0 * u + hist`` (``a0 = 0``: steady state). The kernel
is plain vectorised NumPy behind this small factory so that a compiled backend can replace it later
without touching the solvers.

Row layout: unknowns are interleaved per node, ``[psi, u_1, u_2, ...]``, which keeps the 1D Jacobian
banded. Residual signs: Poisson rows hold ``sum(outward displacement) - V rho``; species rows hold
``V (a0 u + hist) + sum(outward flux)``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.sparse as sp

from interlayer.transport.pnp.sg import bernoulli, bernoulli_prime
from interlayer.transport.pnp.system import (
    FrumkinButlerVolmer,
    PotentialDirichlet,
    PotentialStern,
    SpeciesBoltzmann,
    SpeciesDirichlet,
    SpeciesFlux,
    System,
)

ResidualFn = Callable[..., tuple[np.ndarray, sp.csc_matrix]]


def edge_fluxes(system: System, u: np.ndarray) -> list[np.ndarray]:
    """Scharfetter-Gummel flux of each species along every edge, from ``ei`` to ``ej`` (times ``w``)."""
    g = system.graph
    psi, fields = system.split(u)
    dpsi = psi[g.ej] - psi[g.ei]
    out = []
    for s, dev in zip(system.species, fields, strict=True):
        c = 1.0 + dev
        zd = s.z * dpsi
        out.append(g.w * s.d * (bernoulli(zd) * c[g.ei] - bernoulli(-zd) * c[g.ej]))
    return out


def make_residual(system: System) -> ResidualFn:
    """Build the residual/Jacobian function of ``system`` (see module docstring)."""
    g = system.graph
    nv = system.n_vars
    n = g.n_nodes
    ei, ej, w = g.ei, g.ej, g.w
    eps_w = np.broadcast_to(np.asarray(system.eps_hat, dtype=float), w.shape) * w
    vol = g.volume
    nodes = np.arange(n)

    # Dirichlet-type rows (replaced entirely) and their variables.
    dirichlet_rows = np.zeros(n * nv, dtype=bool)
    for bc in system.bcs:
        nb = g.boundaries[bc.boundary].nodes
        if isinstance(bc, PotentialDirichlet):
            dirichlet_rows[nb * nv] = True
        elif isinstance(bc, SpeciesDirichlet | SpeciesBoltzmann):
            dirichlet_rows[nb * nv + bc.species + 1] = True

    def residual(u: np.ndarray, a0: float = 0.0, hist: np.ndarray | None = None):
        psi, fields = system.split(u)
        R = np.zeros(n * nv)
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        vals: list[np.ndarray] = []

        def add(r, c, v):
            rows.append(r)
            cols.append(c)
            vals.append(np.broadcast_to(v, np.shape(r)).astype(float))

        # Poisson: outward displacement through each face, minus V rho.
        gpsi = eps_w * (psi[ei] - psi[ej])
        R[::nv] += np.bincount(ei, gpsi, n) - np.bincount(ej, gpsi, n)
        add(ei * nv, ei * nv, eps_w)
        add(ei * nv, ej * nv, -eps_w)
        add(ej * nv, ej * nv, eps_w)
        add(ej * nv, ei * nv, -eps_w)
        rho = system.rho_fixed.copy()
        for k, (s, dev) in enumerate(zip(system.species, fields, strict=True)):
            rho = rho + s.z * s.r * dev
            add(nodes * nv, nodes * nv + k + 1, -vol * s.z * s.r)
        R[nodes * nv] -= vol * rho

        # Nernst-Planck with Scharfetter-Gummel edge fluxes.
        dpsi = psi[ej] - psi[ei]
        for k, (s, dev) in enumerate(zip(system.species, fields, strict=True)):
            c = 1.0 + dev
            row_i = ei * nv + k + 1
            row_j = ej * nv + k + 1
            zd = s.z * dpsi
            bp, bm = bernoulli(zd), bernoulli(-zd)
            wd = w * s.d
            # B(x) - B(-x) = -x: the reference part of the flux is exact, the rest scales with delta
            flux = wd * (-zd + bp * dev[ei] - bm * dev[ej])
            R[k + 1 :: nv] += np.bincount(ei, flux, n) - np.bincount(ej, flux, n)
            d_ci = wd * bp
            d_cj = -wd * bm
            d_psij = wd * s.z * (bernoulli_prime(zd) * c[ei] + bernoulli_prime(-zd) * c[ej])
            for r, sign in ((row_i, 1.0), (row_j, -1.0)):
                add(r, ei * nv + k + 1, sign * d_ci)
                add(r, ej * nv + k + 1, sign * d_cj)
                add(r, ej * nv, sign * d_psij)
                add(r, ei * nv, -sign * d_psij)
            if a0 != 0.0 or hist is not None:
                rk = nodes * nv + k + 1
                R[rk] += vol * (a0 * dev + (0.0 if hist is None else hist[:, k]))
                add(rk, rk, vol * a0)

        if system.source is not None:  # manufactured solutions, volumetric production
            R -= (vol[:, None] * system.source).ravel()

        # Boundary fluxes (natural conditions) before Dirichlet rows are overwritten.
        for bc in system.bcs:
            b = g.boundaries[bc.boundary]
            nb, area = b.nodes, b.area
            if isinstance(bc, PotentialStern):
                r = nb * nv
                np.add.at(R, r, area * bc.capacitance * (psi[nb] - bc.psi_metal))
                add(r, r, area * bc.capacitance)
            elif isinstance(bc, SpeciesFlux):
                r = nb * nv + bc.species + 1
                np.add.at(R, r, area * bc.outflux)
            elif isinstance(bc, FrumkinButlerVolmer):
                r = nb * nv + bc.species + 1
                c = 1.0 + fields[bc.species][nb]
                eta = psi[nb] - bc.psi_metal
                ef = np.exp(np.clip(bc.alpha * eta, -700, 700))
                eb = np.exp(np.clip(-(1.0 - bc.alpha) * eta, -700, 700))
                np.add.at(R, r, area * bc.k0 * (c * ef - eb))
                add(r, r, area * bc.k0 * ef)
                add(r, nb * nv, area * bc.k0 * (bc.alpha * c * ef + (1.0 - bc.alpha) * eb))

        row = np.concatenate(rows)
        col = np.concatenate(cols)
        val = np.concatenate(vals)
        keep = ~dirichlet_rows[row]
        row, col, val = row[keep], col[keep], val[keep]
        d_rows, d_cols, d_vals = [], [], []
        for bc in system.bcs:
            nb = g.boundaries[bc.boundary].nodes
            if isinstance(bc, PotentialDirichlet):
                r = nb * nv
                R[r] = psi[nb] - bc.value
                d_rows.append(r)
                d_cols.append(r)
                d_vals.append(np.ones(nb.size))
            elif isinstance(bc, SpeciesDirichlet):
                r = nb * nv + bc.species + 1
                R[r] = fields[bc.species][nb] - (bc.value - 1.0)
                d_rows.append(r)
                d_cols.append(r)
                d_vals.append(np.ones(nb.size))
            elif isinstance(bc, SpeciesBoltzmann):
                r = nb * nv + bc.species + 1
                z = system.species[bc.species].z
                arg = -z * (psi[nb] - bc.psi_metal)
                boltz = np.exp(arg)
                R[r] = fields[bc.species][nb] - np.expm1(arg)
                d_rows += [r, r]
                d_cols += [r, nb * nv]
                d_vals += [np.ones(nb.size), z * boltz]
        if d_rows:
            row = np.concatenate([row, *d_rows])
            col = np.concatenate([col, *d_cols])
            val = np.concatenate([val, *d_vals])
        J = sp.csc_matrix((val, (row, col)), shape=(n * nv, n * nv))
        return R, J

    return residual
