"""Electroneutral mixed ionic-electronic conductor (MIEC) model of the interlayer, 1D.

Derivation and assumptions: ``docs/theory.md``. In short, with x = 0 the Li anode and x = l_i the
solid electrolyte (SSE), during galvanostatic plating at current density i (A/m^2, > 0):

* ``I_ion(x) + I_e(x) = i`` (electroneutral: the total current is uniform), currents counted
  positive toward the anode;
* ``d eta/dx = I_ion/sigma_ion - I_e/sigma_e`` with ``eta = phi_ion - phi_e`` the local deposition
  overpotential (V, > 0 favours plating);
* ionic current turns into electronic current only by charging the ion/electron interphase
  (volumetric capacitance ``C_v``, F/m^3): ``C_v d eta/dt = d I_ion/dx``, i.e. the Wagner
  transmission line ``C_v d eta/dt = d/dx[sigma_amb (d eta/dx + i/sigma_e)]``,
  ``sigma_amb = sigma_ion sigma_e / (sigma_ion + sigma_e)``;
* SSE side: electrons blocked, ``I_ion(l_i) = i``;
* anode side, one of: ``"blocking"`` (lithiophobic contact, ``I_ion(0) = 0``), ``"ohmic"``
  (``I_ion(0) = eta(0)/R_c``) or ``"reversible"`` (``eta(0) = 0``).

Two forms of the same model:

* :func:`solve_transient` / :func:`solve_steady`: finite volumes on piecewise-constant cells (any
  sigma_ion(x), sigma_e(x), C_v(x): graded and multi-layer stacks), backward Euler in time;
* closed forms for a uniform layer: :func:`uniform_initial_split`, :func:`uniform_steady`,
  :func:`uniform_blocking_profile`.

:func:`blocking_profile` is the pseudo-steady profile of a blocking contact (what the design
criterion uses) by exact quadrature for any piecewise-constant stack.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import scipy.linalg
import xarray as xr

from interlayer.errors import InputError, SolverError

Contact = Literal["blocking", "ohmic", "reversible"]

#: Default volumetric interphase capacitance, F/m^3 (docs/equations.md section 10: 1e5; chemical plus
#: double-layer capacitance of a CNT/LNI composite, order of magnitude). Only time scales depend on it.
DEFAULT_CAPACITANCE = 1e5


# ----------------------------------------------------------------------------- closed forms
def ambipolar_conductivity(sigma_ion, sigma_e):
    """sigma_amb = sigma_ion sigma_e / (sigma_ion + sigma_e), S/m."""
    sigma_ion = np.asarray(sigma_ion, dtype=float)
    sigma_e = np.asarray(sigma_e, dtype=float)
    return sigma_ion * sigma_e / (sigma_ion + sigma_e)


def uniform_initial_split(sigma_ion, sigma_e):
    """Ionic fraction of the current at t = 0+ in the bulk: sigma_ion / (sigma_ion + sigma_e)."""
    sigma_ion = np.asarray(sigma_ion, dtype=float)
    return sigma_ion / (sigma_ion + np.asarray(sigma_e, dtype=float))


def relaxation_time(thickness, sigma_ion, sigma_e, capacitance=DEFAULT_CAPACITANCE):
    """tau = l_i^2 C_v (1/sigma_ion + 1/sigma_e), s: the time to reach the steady profile."""
    return thickness**2 * capacitance / ambipolar_conductivity(sigma_ion, sigma_e)


def uniform_steady(x, current_density, sigma_ion, contact_resistance=0.0):
    """Steady state with an ohmic (or reversible, R_c = 0) contact: eta = i R_c + i x / sigma_ion, V.

    All current is ionic (the SSE blocks electrons); sigma_e drops out.
    """
    return current_density * (contact_resistance + np.asarray(x, dtype=float) / sigma_ion)


def uniform_blocking_profile(x, thickness, current_density, sigma_ion, sigma_e, eta_anode=0.0):
    """Pseudo-steady overpotential of a uniform layer with an ion-blocking anode contact, V.

    ``eta(x) = eta(0) + i/(2 sigma_amb l_i) [(x - x_m)^2 - x_m^2]``, a parabola with its minimum at
    ``x_m = l_i sigma_ion / (sigma_ion + sigma_e)``; slopes ``-i/sigma_e`` at the anode and
    ``+i/sigma_ion`` at the SSE. All arguments broadcast.
    """
    x = np.asarray(x, dtype=float)
    x_m = thickness * uniform_initial_split(sigma_ion, sigma_e)
    s_amb = ambipolar_conductivity(sigma_ion, sigma_e)
    return eta_anode + current_density / (2.0 * s_amb * thickness) * ((x - x_m) ** 2 - x_m**2)


# ----------------------------------------------------------------------------- quadrature
def blocking_profile(faces, sigma_ion, sigma_e, current_density=1.0, capacitance=None):
    """Pseudo-steady blocking-contact profile eta(x) - eta(0) at the faces, any stack, V.

    In the pseudo-steady regime (t >> tau) every point charges at the same rate, so the ionic
    current grows as the cumulative capacitance: ``I_ion(x) = i C(x)/C(l_i)``. Within a cell of
    constant properties the integrand of ``d eta/dx = I_ion/sigma_ion - (i - I_ion)/sigma_e`` is
    linear in x, so the midpoint rule below is exact for piecewise-constant cells.

    Parameters
    ----------
    faces : array (N+1,)
        Cell faces, m, from 0 (anode) to l_i (SSE).
    sigma_ion, sigma_e : array (N,)
        Effective cell conductivities, S/m.
    current_density : float
        A/m^2.
    capacitance : array (N,), optional
        C_v per cell, F/m^3 (uniform when omitted; then the shape does not depend on it).
    """
    faces = np.asarray(faces, dtype=float)
    h = np.diff(faces)
    cv = np.ones_like(h) if capacitance is None else np.asarray(capacitance, dtype=float)
    charge = np.concatenate([[0.0], np.cumsum(cv * h)])
    i_ion_faces = current_density * charge / charge[-1]
    i_ion_mid = 0.5 * (i_ion_faces[1:] + i_ion_faces[:-1])
    slope = i_ion_mid / sigma_ion - (current_density - i_ion_mid) / sigma_e
    return np.concatenate([[0.0], np.cumsum(slope * h)])


# ----------------------------------------------------------------------------- finite volumes
def _operator(faces, sigma_ion, sigma_e, current_density, contact: Contact, contact_resistance):
    """Tridiagonal FV operator: ionic face currents I = M eta + b (faces 0..N)."""
    h = np.diff(faces)
    n = h.size
    s_amb = ambipolar_conductivity(sigma_ion, sigma_e)
    r_amb = 0.5 * h / s_amb  # half-cell "ambipolar" resistances, ohm m^2
    r_e = 0.5 * h / sigma_e
    # interior faces k = 1..n-1 between cells k-1 and k: I = (eta_k - eta_{k-1} + i R_e) / R_amb
    lower = np.zeros(n + 1)  # coefficient of eta_{k-1}
    upper = np.zeros(n + 1)  # coefficient of eta_k
    const = np.zeros(n + 1)
    ramb_face = r_amb[:-1] + r_amb[1:]
    lower[1:n] = -1.0 / ramb_face
    upper[1:n] = 1.0 / ramb_face
    const[1:n] = current_density * (r_e[:-1] + r_e[1:]) / ramb_face
    # anode face
    if contact == "blocking":
        pass
    elif contact in ("ohmic", "reversible"):
        rc = 0.0 if contact == "reversible" else contact_resistance
        upper[0] = 1.0 / (rc + r_amb[0])
        const[0] = current_density * r_e[0] / (rc + r_amb[0])
    else:
        raise InputError("contact", f"unknown contact {contact!r}; allowed: blocking, ohmic, reversible")
    const[n] = current_density  # SSE face: all current ionic
    return lower, upper, const


def _assemble(faces, sigma_ion, sigma_e, current_density, contact, contact_resistance):
    """d(C_v h eta)/dt = A eta + b as a banded matrix A (3, N) and vector b (N)."""
    lower, upper, const = _operator(faces, sigma_ion, sigma_e, current_density, contact, contact_resistance)
    n = faces.size - 1
    # cell j: I_{j+1} - I_j, with I_{j+1} = lower[j+1] eta_j + upper[j+1] eta_{j+1} + const[j+1]
    #                           I_j     = lower[j] eta_{j-1} + upper[j] eta_j + const[j]
    diag = lower[1:] - upper[:-1]
    sup = upper[1:n]  # coefficient of eta_{j+1} in cell j
    sub = -lower[1:n]  # coefficient of eta_{j-1} in cell j
    banded = np.zeros((3, n))
    banded[0, 1:] = sup
    banded[1, :] = diag
    banded[2, :-1] = sub
    b = const[1:] - const[:-1]
    return banded, b, (lower, upper, const)


def _face_currents(eta, lower, upper, const):
    n = eta.size
    current = const.copy()
    current[1:] += lower[1:] * eta
    current[:n] += upper[:n] * eta
    return current


def _check_inputs(faces, sigma_ion, sigma_e, current_density):
    faces = np.asarray(faces, dtype=float)
    sigma_ion = np.broadcast_to(np.asarray(sigma_ion, dtype=float), (faces.size - 1,)).copy()
    sigma_e = np.broadcast_to(np.asarray(sigma_e, dtype=float), (faces.size - 1,)).copy()
    if faces.ndim != 1 or faces.size < 3 or np.any(np.diff(faces) <= 0):
        raise InputError("faces", "need at least 2 cells with strictly increasing faces")
    if np.any(sigma_ion <= 0) or np.any(sigma_e <= 0):
        raise InputError("sigma", "conductivities must be > 0 S/m")
    if not np.isfinite(current_density):
        raise InputError("current_density", "must be finite")
    return faces, sigma_ion, sigma_e


def _dataset(x, faces, eta_hist, i_face_hist, times, attrs):
    coords = {"x": ("x", x, {"units": "m", "long_name": "distance from the Li anode"})}
    data = {
        "eta": (("x",) if times is None else ("time", "x"), eta_hist,
                {"units": "V", "long_name": "local Li deposition overpotential (phi_ion - phi_e)"}),
        "ionic_current": (("x_face",) if times is None else ("time", "x_face"), i_face_hist,
                          {"units": "A/m^2", "long_name": "ionic current density toward the anode"}),
    }
    coords["x_face"] = ("x_face", faces, {"units": "m", "long_name": "cell-face position"})
    if times is not None:
        coords["time"] = ("time", times, {"units": "s", "long_name": "time since plating started"})
    return xr.Dataset(data, coords=coords, attrs=attrs)


def solve_steady(faces, sigma_ion, sigma_e, current_density, contact: Contact = "ohmic", contact_resistance=0.0):
    """Steady state of the FV model (ohmic or reversible contact), as an xarray.Dataset.

    A blocking contact has no steady state (the layer charges forever without Li deposition);
    use :func:`solve_transient` or :func:`blocking_profile` for it.
    """
    faces, sigma_ion, sigma_e = _check_inputs(faces, sigma_ion, sigma_e, current_density)
    if contact == "blocking":
        raise InputError("contact", "a blocking contact has no steady state; use solve_transient or blocking_profile")
    banded, b, ops = _assemble(faces, sigma_ion, sigma_e, current_density, contact, contact_resistance)
    eta = scipy.linalg.solve_banded((1, 1), banded, -b)
    currents = _face_currents(eta, *ops)
    residual = np.max(np.abs(np.diff(currents)))
    if not np.all(np.isfinite(eta)) or residual > 1e-8 * max(abs(current_density), 1e-30):
        raise SolverError("steady MIEC solve failed", residuals=[residual], iterations=1,
                          hint="check that conductivities are positive and finite")
    x = 0.5 * (faces[1:] + faces[:-1])
    attrs = {"model": "electroneutral MIEC, steady", "contact": contact,
             "contact_resistance_ohm_m2": contact_resistance, "current_density_A_m2": current_density}
    return _dataset(x, faces, eta, currents, None, attrs)


def solve_transient(
    faces,
    sigma_ion,
    sigma_e,
    current_density,
    t_end,
    contact: Contact = "blocking",
    contact_resistance=0.0,
    capacitance=DEFAULT_CAPACITANCE,
    n_steps=200,
    first_step=None,
    eta_initial=None,
):
    """Galvanostatic transient from a relaxed layer (eta = 0), backward Euler, xarray.Dataset.

    Time steps grow geometrically from ``first_step`` (default t_end * 1e-6) to ``t_end`` so that the
    fast contact transient and the slow relaxation are both resolved. Backward Euler (implicit Euler,
    first order, L-stable) conserves charge exactly: ``sum(C_v h eta) = i t - integral I_ion(0) dt``.

    Returns
    -------
    xarray.Dataset
        ``eta(time, x)`` (V), ``ionic_current(time, x_face)`` (A/m^2), with ``charge_error`` in attrs
        (relative charge-balance error at the end).
    """
    faces, sigma_ion, sigma_e = _check_inputs(faces, sigma_ion, sigma_e, current_density)
    if not (t_end > 0):
        raise InputError("t_end", "must be > 0 s")
    h = np.diff(faces)
    cv = np.broadcast_to(np.asarray(capacitance, dtype=float), h.shape)
    if np.any(cv <= 0):
        raise InputError("capacitance", "must be > 0 F/m^3")
    banded, b, ops = _assemble(faces, sigma_ion, sigma_e, current_density, contact, contact_resistance)
    mass = cv * h
    first = first_step if first_step is not None else t_end * 1e-6
    times = np.concatenate([[0.0], np.geomspace(first, t_end, n_steps)])
    eta = np.zeros(h.size) if eta_initial is None else np.asarray(eta_initial, dtype=float).copy()
    eta_hist = [eta.copy()]
    cur_hist = [_face_currents(eta, *ops)]
    stored = mass @ eta
    anode_charge = 0.0
    for k in range(1, times.size):
        dt = times[k] - times[k - 1]
        lhs = -banded.copy()
        lhs[1] += mass / dt
        eta = scipy.linalg.solve_banded((1, 1), lhs, mass / dt * eta + b)
        if not np.all(np.isfinite(eta)):
            raise SolverError("MIEC transient produced non-finite values", iterations=k,
                              hint="reduce the time step (n_steps) or check the conductivities")
        currents = _face_currents(eta, *ops)
        anode_charge += currents[0] * dt
        eta_hist.append(eta.copy())
        cur_hist.append(currents)
    stored = mass @ eta - stored
    injected = current_density * t_end - anode_charge
    charge_error = abs(stored - injected) / max(abs(current_density * t_end), 1e-300)
    x = 0.5 * (faces[1:] + faces[:-1])
    attrs = {"model": "electroneutral MIEC, transient (backward Euler)", "contact": contact,
             "contact_resistance_ohm_m2": contact_resistance, "current_density_A_m2": current_density,
             "charge_error": float(charge_error)}
    return _dataset(x, faces, np.array(eta_hist), np.array(cur_hist), times, attrs)
