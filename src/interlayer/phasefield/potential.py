"""Conductivity-weighted Poisson equation for the local overpotential (Chen et al. 2015, eq. for phi).

    div( sigma(zeta, phi) grad eta ) = - n F c_s d zeta/dt

in the package sign (eta = -Phi of Chen's model: Li plates where eta > 0). The right side is the
current consumed by deposition (Chen et al., J. Power Sources 300, 376 (2015)). Boundaries:
eta = eta_applied on the anode current collector (bottom face), eta = 0 on the electrolyte side (top
face: the SSE is the potential reference), no flux on the side walls. Conductivity:

    sigma = sigma_Li' h(zeta) + (1 - h(zeta)) [ sigma_host phi + sigma_void (1 - phi) ]

with sigma_Li' = min(sigma_Li, contrast * sigma_host) and sigma_void = ratio * sigma_host (see
:mod:`interlayer.phasefield.parameters`). Discretisation: cell-centred finite volumes, 5-point stencil,
harmonic face conductivities, solved directly (SuperLU, about 0.4 s for 256 x 256 here).

Because sigma depends on zeta only, eta changes only when zeta does. The solver re-solves every
``potential_every`` steps (default 100) when zeta has moved by more than ``potential_tolerance``
(0.05) anywhere since the last solve (see ``SemiImplicitDCT``). Why that is accurate enough: eta
enters only the Butler-Volmer term, whose rate L_eta Delta is ~1e-4 of the capillary rate L_sigma A
at Chen's kinetics; and Li connected to the anode is equipotential (sigma_Li / sigma_host = 1e6), so
eta on a Li surface changes only when Li disconnects or reconnects. The source term is dropped
(``rate=None`` in the solver): its potential drop n F c_s (d zeta/dt) l^2 / sigma is below 1e-9 V
for the rates here. A test compares ``potential_every`` 10 and 100.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import splu

from interlayer.errors import SolverError
from interlayer.phasefield.interpolation import h
from interlayer.phasefield.model import PhaseFieldModel
from interlayer.units import FARADAY


def conductivity(model: PhaseFieldModel, zeta: np.ndarray) -> np.ndarray:
    """Local conductivity sigma(zeta, phi), S/m."""
    p = model.params
    s_li = min(p.sigma_li, p.max_conductivity_contrast * p.sigma_host)
    s_void = p.sigma_void_ratio * p.sigma_host
    hz = h(zeta)
    return s_li * hz + (1.0 - hz) * (p.sigma_host * model.phi + s_void * (1.0 - model.phi))


def assemble(model: PhaseFieldModel, zeta: np.ndarray, rate: np.ndarray | None = None):
    """The finite-volume matrix (CSC, S per unit depth) and right side for eta on this zeta."""
    ny, nx = zeta.shape
    dx = model.microstructure.dx
    s = conductivity(model, zeta)
    # Harmonic means on interior faces (conductance per unit depth, S; dx cancels in 2D).
    gx = 2.0 * s[:, 1:] * s[:, :-1] / (s[:, 1:] + s[:, :-1])
    gy = 2.0 * s[1:, :] * s[:-1, :] / (s[1:, :] + s[:-1, :])
    idx = np.arange(nx * ny).reshape(ny, nx)
    diag = np.zeros((ny, nx))
    diag[:, 1:] += gx
    diag[:, :-1] += gx
    diag[1:, :] += gy
    diag[:-1, :] += gy
    # Dirichlet faces half a cell away: conductance 2 sigma.
    g_bot = 2.0 * s[0, :]
    g_top = 2.0 * s[-1, :]
    diag[0, :] += g_bot
    diag[-1, :] += g_top
    rhs = np.zeros((ny, nx))
    rhs[0, :] += g_bot * model.overpotential
    if rate is not None:
        p = model.params
        rhs += p.n * FARADAY * p.li_concentration * rate * dx * dx
    rows = np.concatenate([idx.ravel(), idx[:, 1:].ravel(), idx[:, :-1].ravel(), idx[1:, :].ravel(), idx[:-1, :].ravel()])
    cols = np.concatenate([idx.ravel(), idx[:, :-1].ravel(), idx[:, 1:].ravel(), idx[:-1, :].ravel(), idx[1:, :].ravel()])
    vals = np.concatenate([diag.ravel(), -gx.ravel(), -gx.ravel(), -gy.ravel(), -gy.ravel()])
    mat = sp.csc_matrix((vals, (rows, cols)), shape=(nx * ny, nx * ny))
    return mat, rhs.ravel()


def solve_overpotential(model: PhaseFieldModel, zeta: np.ndarray, rate: np.ndarray | None = None) -> np.ndarray:
    """Local overpotential eta (V) on the grid (one direct solve).

    Parameters
    ----------
    model : PhaseFieldModel
    zeta : ndarray (ny, nx)
        Li order parameter.
    rate : ndarray (ny, nx), optional
        d zeta/dt in 1/s (the deposition source); zero if not given.

    Returns
    -------
    ndarray (ny, nx)
        eta in V; equal to ``model.overpotential`` where Li is connected to the anode.
    """
    mat, rhs = assemble(model, zeta, rate)
    eta = splu(mat).solve(rhs)
    if not np.all(np.isfinite(eta)):
        raise SolverError("potential solve returned non-finite values", hint="check the conductivities")
    return eta.reshape(zeta.shape)
