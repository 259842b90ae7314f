"""Time stepping: semi-implicit (IMEX) cosine-transform schemes, SBDF2 by default.

Schemes (in the scaled variables of :mod:`interlayer.phasefield.model`), for every cosine mode k,
the Laplacian implicit, the nonlinear rest N explicit, S an optional linear stabilisation:

* IMEX Euler, the semi-implicit Fourier-spectral method of L.-Q. Chen & J. Shen, Comput. Phys.
  Commun. 108, 147 (1998):
      (1 + dt (2 |k|^2 + S)) zeta^(n+1) = (1 + dt S) zeta^n + dt N^n
* SBDF2 (semi-implicit backward differentiation, U. M. Ascher, S. J. Ruuth & B. T. R. Wetton,
  SIAM J. Numer. Anal. 32, 797 (1995)), the default:
      (3 + 2 dt (2 |k|^2 + S)) zeta^(n+1) = 4 zeta^n - zeta^(n-1) + 2 dt (2 N^n - N^(n-1))
                                           + 2 dt S (2 zeta^n - zeta^(n-1))
  IMEX Euler slows a moving front by the factor 1/(1 + 0.4 dt) (scaled dt; a modified-equation
  estimate, confirmed by the travelling-wave test: 0.90 at dt = 0.27), SBDF2 removes that first-order
  error. Stabilisation after J. Shen & X. Yang, Discrete Contin. Dyn. Syst. A 28, 1669 (2010).
The transform is the type-II discrete cosine transform (scipy.fft.dctn), whose modes satisfy
zero-flux walls on all four sides; |k|^2 is the symbol of the 5-point finite-difference Laplacian,
(2 - 2 cos(pi m / N)) / dx^2, so the scheme is the implicit-Euler/explicit-Euler split of the standard
finite-volume discretisation (the one FiPy builds), solved exactly by the DCT.

Time step: with S = 0 the explicit part is stable for dt < 2 / max|N'| (Euler) or 4/3 / max|N'|
(SBDF2) (scaled); the default dt is 0.8 of that bound. A larger dt switches on S = max|N'| / 2
(Shen & Yang's condition); the Li balance then carries an O(dt S) error, which the inventory check
reports (``simulate`` raises SolverError above its 1 % tolerance; the CLI refuses such a dt up front,
``allow_stabilisation=False``).

Li accounting: the plating current density is I = n F c_s (1/W) int d zeta/dt dA, with d zeta/dt the
model's rate (eq. 16, both terms: in Chen's model every change of zeta is the electrode reaction, the
first term being its Gibbs-Thomson/wetting part), evaluated from the fields at every step. The
Laplacian integrates to zero with no-flux walls, so I is n F c_s times the integral of N (computed
in real space). The plated charge is the time integral of I with the scheme's own quadrature
(Euler: dt I^n; SBDF2: the recurrence 3 D^n - D^(n-1) = 2 dt (2 I^n - I^(n-1))). The inventory check
compares it with the Li counted in zeta: they agree to round-off when the transform, the walls and
the scheme conserve Li, and differ by O(dt S) when the stabilisation is on.
"""

from __future__ import annotations

import math
import time as _time
from dataclasses import dataclass, field

import numpy as np
from scipy import fft

from interlayer.errors import InputError, SolverError
from interlayer.phasefield.model import PhaseFieldModel
from interlayer.phasefield.potential import solve_overpotential
from interlayer.units import FARADAY

#: Analytic (not fitted): Faradaic current = i0 Delta(eta) times the Li surface area counted as int h'(zeta) dA / (5 l): the
#: integral of h' = 30 zeta^2 (1 - zeta)^2 across the flat interface zeta = 1/(1 + exp(x/l)) is 5 l
#: (= 30 l int zeta (1 - zeta) d zeta), while the Butler-Volmer term is L_eta Delta h' with
#: L_eta = i0 / (6 l n F c_s); so the Faradaic current is 6/5 times the integral of the BV term. The
#: other 1/6 of a moving flat front's current i0 Delta enters through the O(v) distortion of its
#: profile (in the g' part of the rate): the travelling-wave solvability condition projects the BV
#: forcing on zeta', not on 1. With this factor a flat front's non-Faradaic current is 0 (tested).
FARADAIC_PROFILE_FACTOR = 6.0 / 5.0


@dataclass
class State:
    """The solver state handed to trackers (SI unless named *_scaled).

    Attributes
    ----------
    step : int
    time : float
        s.
    zeta : ndarray (ny, nx)
    eta : ndarray (ny, nx) or float
        Local overpotential, V.
    charge : float
        Integrated plating current density, C/m^2 (per unit anode width).
    current_density : float
        Plating current density of the last step, A/m^2.
    faradaic_current_density : float
        Its Faradaic part, A/m^2: i0 Delta(eta) on the Li surface, i.e. :data:`FARADAIC_PROFILE_FACTOR`
        (6/5) times the integral of the Butler-Volmer term (n F c_s / W) int L_eta Delta h' dA.
    faradaic_charge : float
        Time integral of ``faradaic_current_density`` (same quadrature as ``charge``), C/m^2.
        ``charge - faradaic_charge`` is the non-Faradaic part: the change of Li volume driven by
        capillarity, wetting and stack pressure (the Allen-Cahn equation does not conserve Li).
    stop_reason : str or None
        Set by a tracker to stop the run.
    """

    step: int
    time: float
    zeta: np.ndarray
    eta: np.ndarray | float
    charge: float = 0.0
    current_density: float = 0.0
    faradaic_current_density: float = 0.0
    faradaic_charge: float = 0.0
    potential_solves: int = 0
    stop_reason: str | None = None
    extras: dict = field(default_factory=dict)


class SemiImplicitDCT:
    """The IMEX cosine-transform stepper for a :class:`PhaseFieldModel` (see module docstring).

    Parameters
    ----------
    model : PhaseFieldModel
    dt : float, optional
        Time step, s. Default: 0.8 times the explicit stability bound.
    stabilisation : float, optional
        S (scaled). Default 0 when dt is within the bound, else max|N'|/2.
    potential_tolerance, potential_every : float, int
        Every ``potential_every`` steps, re-solve the potential if zeta has changed by more than
        ``potential_tolerance`` anywhere since the last solve (see :mod:`.potential` for why).
    order : {1, 2}
        1: IMEX Euler; 2 (default): SBDF2 (IMEX Euler for the first step).
    allow_stabilisation : bool
        If False, a ``dt`` above the explicit stability bound ``dt_limit`` raises InputError naming
        the allowed range (the CLI does this), instead of switching the stabilisation on.

    Attributes
    ----------
    dt_limit : float
        Explicit stability bound of the time step, s: (2 or 4/3) tau / max|N'| (Euler or SBDF2),
        tau the model's time scale, max|N'| <= 2 + b + (|p~| + lam~ |Delta|max + |c| max|lap phi|)
        max|h''| (:meth:`PhaseFieldModel.explicit_stiffness`). Up to it the scheme conserves Li to
        round-off; beyond it the Li balance carries an O(dt S) error.

    Notes
    -----
    The stepper keeps the cosine transform of zeta between steps, so ``state.zeta`` must only be
    changed through ``step`` (or a new ``initial_state``).
    """

    def __init__(
        self,
        model: PhaseFieldModel,
        dt: float | None = None,
        stabilisation: float | None = None,
        potential_tolerance: float = 0.05,
        potential_every: int = 100,
        order: int = 2,
        allow_stabilisation: bool = True,
    ):
        if order not in (1, 2):
            raise InputError("order", f"must be 1 (IMEX Euler) or 2 (SBDF2), got {order!r}")
        self.order = order
        self.model = model
        ny, nx = model.phi.shape
        # Largest |Delta| the run can see: the applied overpotential bounds eta (maximum principle).
        self.delta_max = abs(float(model.bv(model.overpotential)))
        if model.current_density is not None:
            # Galvanostatic: Delta is set each step; bound it by 10x the flat-front value plus the
            # Delta that pushes Li into a lithiophobic pore of 10 l (p~ = 0.6 |cos theta|, lam~ Delta).
            self.delta_max = 10.0 * abs(model.current_density) / model.params.exchange_current_density + (
                0.6 / max(model.lam_scaled, 1e-300)
            )
        dxs = model.dx_scaled
        kx = (2.0 - 2.0 * np.cos(np.pi * np.arange(nx) / nx)) / dxs**2
        ky = (2.0 - 2.0 * np.cos(np.pi * np.arange(ny) / ny)) / dxs**2
        self.k2 = ky[:, None] + kx[None, :]
        # Cross-gradient forcing -c lap(phi) (phi is fixed), times h'(zeta) in the "h" form.
        self.forcing = -model.c * self.laplacian(model.phi)
        self._coef = self.forcing + model.p_scaled
        stiff = model.explicit_stiffness(self.delta_max, float(np.max(np.abs(self.forcing))) / max(abs(model.c), 1e-300))
        # Explicit-part stability on the real axis: dt |N'| < 2 (Euler), < 4/3 (SBDF2's extrapolation).
        self.dt_limit = (2.0 if order == 1 else 4.0 / 3.0) / stiff * model.scales.time
        if dt is None:
            dt = 0.8 * self.dt_limit
        if not (math.isfinite(dt) and dt > 0):
            raise InputError("dt", f"must be > 0 s, got {dt!r}")
        if not allow_stabilisation and dt > self.dt_limit * (1.0 + 1e-12):
            raise InputError(
                "dt",
                f"must be in (0, {self.dt_limit:.4g}] s for this grid, angle and drive, got {dt:.4g} s: the "
                f"explicit stability bound {4.0 / 3.0 if order == 2 else 2.0:.4g} tau / max|N'| "
                f"(tau = {model.scales.time:.4g} s, max|N'| = {stiff:.4g}; docs/phasefield.md, 'Time scheme')",
            )
        self.dt = float(dt)
        self.dt_scaled = self.dt / model.scales.time
        if stabilisation is None:
            stabilisation = 0.0 if self.dt <= self.dt_limit else 0.5 * stiff
        self.stabilisation = float(stabilisation)
        dts, s = self.dt_scaled, self.stabilisation
        self.denom1 = 1.0 + dts * (2.0 * self.k2 + s)
        self.inv_denom2 = 1.0 / (3.0 + 2.0 * dts * (2.0 * self.k2 + s))
        self._zhat: np.ndarray | None = None  # spectral history (set together by each step)
        self._zhat_old: np.ndarray | None = None
        self._nhat_old: np.ndarray | None = None
        self._i_old: float  # currents of the previous step, set with _zhat_old
        self._f_old: float
        self.potential_tolerance = float(potential_tolerance)
        if int(potential_every) != potential_every or potential_every < 1:
            raise InputError("potential_every", f"must be a positive integer, got {potential_every!r}")
        self.potential_every = int(potential_every)
        self._zeta_at_solve: np.ndarray | None = None
        p = model.params
        self._charge_per_area = p.n * FARADAY * p.li_concentration * model.microstructure.dx**2
        self._width = nx * model.microstructure.dx

    def laplacian(self, f: np.ndarray) -> np.ndarray:
        """Scaled 5-point Laplacian with zero-flux walls (via the DCT)."""
        return fft.idctn(-self.k2 * fft.dctn(f, type=2, norm="ortho"), type=2, norm="ortho")

    def nonlinear(self, zeta: np.ndarray, eta, state: State | None = None) -> tuple[np.ndarray, float]:
        """Explicit part N(zeta) (scaled rate without the 2 lap zeta term) and the sum of its BV part.

        Under galvanostatic control the uniform eta is solved for here (and stored in ``state``).
        Written with in-place operations: this is the hot loop (see benchmarks/phasefield.py).
        """
        m = self.model
        u = 1.0 - zeta
        u *= zeta  # zeta (1 - zeta)
        hp = u * u
        hp *= 30.0  # h'(zeta) = 30 zeta^2 (1 - zeta)^2
        g1 = zeta * -2.0
        g1 += 1.0
        g1 *= u
        g1 *= 2.0  # g'(zeta) = 2 zeta (1 - zeta)(1 - 2 zeta)
        if m.wetting_form == "h":
            n = self._coef * hp  # (-c lap phi + p~) h'
        else:
            n = hp * m.p_scaled
            n += self.forcing
        n -= g1
        np.multiply(m.phi2b, zeta, out=g1)
        n -= g1
        if m.current_density is not None:
            scale = self._charge_per_area / self._width / m.scales.time
            hsum = float(hp.sum())
            if hsum <= 0:
                raise SolverError("galvanostatic control: no Li surface left to plate on", iterations=getattr(state, "step", None))
            delta = (m.current_density / scale - float(n.sum())) / (m.lam_scaled * hsum)
            eta = m.eta_from_bv(delta)
            if state is not None:
                state.eta = eta
        if np.ndim(eta) == 0:
            factor = m.lam_scaled * float(m.bv(eta))
            bv_sum = factor * float(hp.sum())
            hp *= factor
            n += hp
        else:
            hp *= m.bv(eta)
            hp *= m.lam_scaled
            bv_sum = float(hp.sum())
            n += hp
        return n, bv_sum

    def initial_state(self, zeta: np.ndarray | None = None) -> State:
        """State at t = 0: the model's flat anode, or ``zeta`` (shape of the grid) if given."""
        if zeta is None:
            zeta = self.model.initial_zeta()
        else:
            zeta = np.array(zeta, dtype=float)
            if zeta.shape != self.model.phi.shape or not np.all(np.isfinite(zeta)):
                raise InputError("zeta", f"must be a finite array of shape {self.model.phi.shape}")
        self._zhat = self._zhat_old = self._nhat_old = None  # no history: first step is IMEX Euler
        state = State(step=0, time=0.0, zeta=zeta, eta=self.model.overpotential)
        self.update_potential(state, force=True)
        state.extras["inventory0"] = float(zeta.sum())
        return state

    def update_potential(self, state: State, force: bool = False, rate: np.ndarray | None = None) -> None:
        if self.model.current_density is not None:
            return  # set by the galvanostatic control in ``nonlinear``
        if self.model.potential_mode == "uniform":
            state.eta = self.model.overpotential
            return
        if not force and self._zeta_at_solve is not None:
            if np.max(np.abs(state.zeta - self._zeta_at_solve)) < self.potential_tolerance:
                return
        state.eta = solve_overpotential(self.model, state.zeta, rate)
        state.potential_solves += 1
        self._zeta_at_solve = state.zeta.copy()

    def step(self, state: State) -> None:
        """Advance ``state`` by one time step in place (SBDF2 after a first IMEX-Euler step)."""
        n, bv_sum = self.nonlinear(state.zeta, state.eta, state)
        # Current from the model's rate at step n: integral of N (the Laplacian integrates to zero).
        scale = self._charge_per_area / self._width / self.model.scales.time
        state.current_density = float(n.sum()) * scale
        state.faradaic_current_density = FARADAIC_PROFILE_FACTOR * bv_sum * scale
        dts = self.dt_scaled
        zhat = self._zhat if self._zhat is not None else fft.dctn(state.zeta, type=2, norm="ortho")
        nhat = fft.dctn(n, type=2, norm="ortho", overwrite_x=True)
        s = self.stabilisation
        current = state.current_density
        faradaic = state.faradaic_current_density
        if self.order == 1 or self._zhat_old is None or self._nhat_old is None:
            new_hat = ((1.0 + dts * s) * zhat + dts * nhat) / self.denom1
            self._i_eff = current
            self._f_eff = faradaic
        else:
            # The scheme's own quadrature of the current (its k = 0 row without S): 3 D^n - D^(n-1) =
            # 2 dt (2 I^n - I^(n-1)), D the Li added per step. The Faradaic part gets the same one.
            self._i_eff = (self._i_eff + 2.0 * (2.0 * current - self._i_old)) / 3.0
            self._f_eff = (self._f_eff + 2.0 * (2.0 * faradaic - self._f_old)) / 3.0
            zold = self._zhat_old
            rhs = zhat * 4.0
            rhs -= zold
            t = nhat * 2.0
            t -= self._nhat_old
            if s:
                t += s * (2.0 * zhat - zold)  # stabilisation on the extrapolated zeta^(n+1)
            t *= 2.0 * dts
            rhs += t
            rhs *= self.inv_denom2
            new_hat = rhs
        self._zhat_old, self._nhat_old, self._i_old, self._f_old = zhat, nhat, current, faradaic
        self._zhat = new_hat
        state.zeta = fft.idctn(new_hat, type=2, norm="ortho")
        state.charge += self._i_eff * self.dt
        state.faradaic_charge += self._f_eff * self.dt
        state.step += 1
        state.time += self.dt
        if self.model.potential_mode == "poisson" and state.step % self.potential_every == 0:
            self.update_potential(state)

    def check_finite(self, state: State) -> None:
        """Raise SolverError naming step, dt and the quantity if the state has blown up."""
        z = state.zeta
        zmax, zmin = float(z.max()), float(z.min())
        bad = None
        # One pass each for max and min; NaN fails both comparisons. |zeta| > 10 is caught before the
        # cubic terms can overflow (each step at most cubes an excursion).
        if not (zmax < 10.0 and zmin > -10.0):
            bad = f"zeta (reached {zmax if abs(zmax) >= abs(zmin) or zmax != zmax else zmin:.3g}; physical range [0, 1])"
        elif not math.isfinite(state.current_density):
            bad = "plating current (non-finite)"
        elif np.ndim(state.eta) and not np.all(np.isfinite(state.eta)):
            bad = "overpotential (non-finite values)"
        if bad:
            raise SolverError(
                f"phase-field run diverged at step {state.step} (t = {state.time:.4g} s, dt = {self.dt:.4g} s): {bad}",
                iterations=state.step,
                hint=f"reduce dt below the explicit bound {self.dt_limit:.3g} s or raise the stabilisation",
            )

    def li_inventory(self, state: State) -> float:
        """Li counted in zeta above the initial state, as plated charge per anode width, C/m^2."""
        return (float(state.zeta.sum()) - state.extras["inventory0"]) * self._charge_per_area / self._width

    def run(self, state: State, steps: int, trackers=(), check_every: int = 1) -> State:
        """Advance ``steps`` steps, calling the trackers (see :mod:`interlayer.phasefield.trackers`)."""
        if int(steps) != steps or steps < 0:
            raise InputError("steps", f"must be a non-negative integer, got {steps!r}")
        for tr in trackers:
            tr.initialize(self, state)
        from interlayer.limits import describe, limit

        t0 = _time.perf_counter()
        wall_cap = limit("solver_wall_time")
        try:
            for _ in range(int(steps)):
                if _time.perf_counter() - t0 > wall_cap:
                    raise SolverError(
                        f"phase-field run stopped at step {state.step} of {int(steps)} (t = {state.time:.4g} s): "
                        f"wall time above {describe('solver_wall_time')}",
                        iterations=state.step,
                        hint="fewer steps or a coarser grid, or raise the limit",
                    )
                self.step(state)
                if state.step % check_every == 0:
                    self.check_finite(state)
                for tr in trackers:
                    if state.step % tr.interval == 0:
                        tr.handle(self, state)
                if state.stop_reason:
                    break
            self.check_finite(state)
        finally:
            state.extras["wall_time_s"] = state.extras.get("wall_time_s", 0.0) + _time.perf_counter() - t0
            for tr in trackers:
                tr.finalize(self, state)
        return state
