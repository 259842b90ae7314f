"""Time integration (backward Euler start, variable-step BDF2) and the steady-state solve.

Variable-step BDF2 (the two-step backward differentiation formula; Hairer, Norsett and Wanner,
*Solving Ordinary Differential Equations I*, Sec. III.5): with ``w = dt_n / dt_(n-1)``::

    du/dt(t_(n+1)) ~ [(1 + 2w) u_(n+1) - (1 + w)^2 u_n + w^2 u_(n-1)] / ((1 + w) dt_n)

The step size adapts to the difference between the BDF2 solution and the linear extrapolation of the
two previous states (a second-order error estimate), and halves on a failed Newton solve. Only the
species equations carry a time derivative; Poisson is solved implicitly at every step.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from interlayer.errors import SolverError
from interlayer.transport.pnp.newton import newton
from interlayer.transport.pnp.system import System


@dataclass
class Trajectory:
    """Accepted steps: times (dimensionless), states, and Newton iteration counts."""

    times: list[float] = field(default_factory=list)
    states: list[np.ndarray] = field(default_factory=list)
    newton_iterations: list[int] = field(default_factory=list)
    rejected: int = 0

    @property
    def final(self) -> np.ndarray:
        return self.states[-1]


def positive_mask(system: System) -> np.ndarray:
    """True for the species deviations (``1 + delta > 0`` enforced), False for the potential."""
    mask = np.ones(system.n_vars, dtype=bool)
    mask[0] = False
    return np.tile(mask, system.graph.n_nodes)


def evolve(
    system: System,
    residual: Callable,
    u0: np.ndarray,
    t_end: float,
    *,
    dt0: float,
    rtol: float = 1e-3,
    atol_psi: float = 1e-3,
    max_steps: int = 5000,
    max_rejected: int = 50,
    keep_all: bool = False,
    scheme: str = "bdf2",
    fixed_dt: bool = False,
    callback: Callable[[float, np.ndarray], None] | None = None,
) -> Trajectory:
    """Integrate from ``u0`` (at t = 0) to ``t_end`` (dimensionless times).

    Parameters
    ----------
    scheme : {"bdf2", "euler"}
        Variable-step BDF2 (default) or backward Euler.
    fixed_dt : bool
        Keep ``dt0`` (no adaptation): for convergence-order tests.
    max_steps : int
        Accepted steps before giving up.
    max_rejected : int
        Rejected steps allowed beyond a quarter of the accepted ones (healthy runs reject 0-4 in all; a run
        that rejects more than ``max_rejected + steps / 4`` is stuck and raises SolverError).
    keep_all : bool
        Keep every accepted state (default: initial and final only).
    callback : callable, optional
        Called as ``callback(t, u)`` after each accepted step (trackers: progress, inventories); a
        true return value stops the integration there (an event, e.g. the first nucleation).

    Raises
    ------
    SolverError
        The step size collapsed, ``max_steps`` accepted steps were exceeded, or the Newton solves
        (accepted and rejected steps together) exceeded the ``solver_attempts`` limit or the
        ``solver_wall_time`` limit (:mod:`interlayer.limits`); the error carries the last residuals,
        the step count and the time reached.
    """
    from interlayer.limits import describe, limit

    max_attempts = int(limit("solver_attempts"))
    wall_cap = limit("solver_wall_time")
    clock0 = _time.perf_counter()
    attempts = 0
    ns = len(system.species)
    n = system.graph.n_nodes
    positive = positive_mask(system)
    traj = Trajectory([0.0], [u0.copy()], [0])
    t, dt = 0.0, float(dt0)
    u_prev: np.ndarray | None = None
    dt_prev: float | None = None  # set with u_prev
    u = u0.copy()
    steps = 0
    history: list[float] = []
    while t < t_end * (1 - 1e-12):
        if steps >= max_steps:
            raise SolverError(f"time integration took more than {max_steps} steps", history, steps,
                              hint="raise max_steps or loosen rtol")
        attempts += 1
        if traj.rejected > max_rejected + steps // 4:  # stagnation: dt oscillates, t barely moves
            raise SolverError(f"PNP time integration stagnated at t = {t:.4g} of {t_end:.4g} (scaled): "
                              f"{traj.rejected} rejected against {steps} accepted steps", history, steps,
                              hint="reduce the applied current or voltage, or refine the mesh")
        if attempts > max_attempts or _time.perf_counter() - clock0 > wall_cap:
            what = (f"{attempts - 1} Newton solves ({traj.rejected} rejected steps), above "
                    f"{describe('solver_attempts')}" if attempts > max_attempts
                    else f"wall time above {describe('solver_wall_time')}")
            raise SolverError(f"PNP time integration stopped at t = {t:.4g} of {t_end:.4g} (scaled) after {what}",
                              history, steps, hint="reduce the applied current or voltage, or refine the mesh")
        dt = min(dt, t_end - t)
        species_now = u.reshape(n, -1)[:, 1:]
        if scheme == "bdf2" and u_prev is not None and dt_prev is not None:
            w = dt / dt_prev
            a0 = (1 + 2 * w) / ((1 + w) * dt)
            species_prev = u_prev.reshape(n, -1)[:, 1:]
            hist = (-(1 + w) ** 2 * species_now + w * w * species_prev) / ((1 + w) * dt)
            guess = u + w * (u - u_prev)
            guess = np.where(positive & (guess <= -1.0), u, guess)
        else:
            a0 = 1.0 / dt
            hist = -species_now / dt
            guess = u
        try:
            res = newton(residual, guess, positive, args=(a0, hist.reshape(n, ns)), max_iter=25)
        except SolverError as exc:
            history = exc.residuals
            traj.rejected += 1
            if fixed_dt or dt < 1e-14 * max(t_end, 1e-300):
                raise SolverError("time step collapsed in the PNP integration", exc.residuals, steps,
                                  hint="reduce the applied current or refine the mesh") from None
            dt *= 0.25
            continue
        u_new = res.u
        factor = 2.0
        if not fixed_dt and u_prev is not None and dt_prev is not None:
            w = dt / dt_prev
            pred = u + w * (u - u_prev)
            scale = np.where(positive, rtol * (1.0 + u_new) + 1e-12, atol_psi)
            err = float(np.max(np.abs(u_new - pred) / scale)) * w / (1 + w) / 3.0
            if err > 1.0:
                traj.rejected += 1
                dt *= max(0.2, 0.9 * err ** (-1 / 3))
                continue
            factor = min(4.0, 0.9 * err ** (-1 / 3)) if err > 0 else 4.0
        u_prev, dt_prev = u, dt
        u = u_new
        t += dt
        steps += 1
        if keep_all:
            traj.times.append(t)
            traj.states.append(u.copy())
            traj.newton_iterations.append(res.iterations)
        if callback is not None and callback(t, u):
            break
        if not fixed_dt:
            dt *= factor
    if not keep_all:
        traj.times.append(t)
        traj.states.append(u.copy())
        traj.newton_iterations.append(0)
    return traj


def steady(system: System, residual: Callable, u0: np.ndarray, *, tol: float = 1e-10,
           pseudo_dt: float = 1e-6, t_max: float = 1e12, max_pseudo_steps: int = 120) -> np.ndarray:
    """Steady state: Newton on the time-independent equations; if that fails, pseudo-transient
    continuation (backward Euler with growing steps) from ``u0`` and Newton again from its end.

    The continuation takes at most ``max_pseudo_steps`` Newton solves (and no more than the
    ``solver_attempts`` and ``solver_wall_time`` limits of :mod:`interlayer.limits`), then raises
    SolverError with the last residuals.
    """
    from interlayer.limits import describe, limit

    positive = positive_mask(system)
    try:
        return newton(residual, u0, positive, tol=tol).u
    except SolverError:
        pass
    n, ns = system.graph.n_nodes, len(system.species)
    u, dt, t = u0.copy(), pseudo_dt, 0.0
    history: list[float] = []
    max_attempts = min(int(limit("solver_attempts")), max_pseudo_steps)
    wall_cap = limit("solver_wall_time")
    clock0 = _time.perf_counter()
    attempts = 0
    while t < t_max:
        attempts += 1
        if attempts > max_attempts or _time.perf_counter() - clock0 > wall_cap:
            what = ("the cap on pseudo-transient steps" if attempts > max_attempts
                    else f"wall time above {describe('solver_wall_time')}")
            raise SolverError(f"steady PNP state not found: pseudo-transient continuation stopped at t = {t:.3g} "
                              f"(scaled) of {t_max:.3g} ({what})", history, attempts - 1,
                              hint="ramp the current or voltage up in steps, or solve transiently")
        try:
            res = newton(residual, u, positive, args=(1.0 / dt, -u.reshape(n, -1)[:, 1:].reshape(n, ns) / dt))
        except SolverError as exc:
            history = exc.residuals
            dt *= 0.25
            if dt < 1e-16:
                break
            continue
        change = float(np.max(np.abs(res.u - u) / np.where(positive, 1.0 + res.u, 1.0)))
        u, t = res.u, t + dt
        dt *= 3.0
        if change < 1e-3:
            try:
                return newton(residual, u, positive, tol=tol).u
            except SolverError as exc:
                history = exc.residuals
    raise SolverError("steady PNP state not found (Newton and pseudo-transient continuation failed)",
                      history, None, hint="ramp the current up in steps or refine the mesh")
