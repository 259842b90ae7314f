"""Run facade and results: ``simulate(...)`` -> xarray.Dataset with units on every variable."""

from __future__ import annotations

import math

import numpy as np
import xarray as xr

from interlayer.errors import InputError, SolverError
from interlayer.phasefield.microstructure import Microstructure
from interlayer.phasefield.model import PhaseFieldModel, young_laplace_entry_pressure
from interlayer.phasefield.parameters import PhaseFieldParameters
from interlayer.phasefield.solver import SemiImplicitDCT
from interlayer.phasefield.trackers import (
    BreakthroughTracker,
    InventoryTracker,
    ProgressTracker,
    StorageTracker,
)
from interlayer.results import add_results
from interlayer.units import UAH_CM2

#: Default largest relative Li-balance error :func:`simulate` returns (the issue's 1 %).
INVENTORY_TOLERANCE = 0.01

#: The run's scalar results, 0-d variables of the returned Dataset: name -> (units, long_name).
#: ``young_laplace_entry_pressure`` exists for straight pores only, ``breakthrough_time`` only when
#: Li reached the SSE (absent otherwise, never a placeholder).
RESULTS: dict[str, tuple[str, str]] = {
    "li_inventory_error": ("1", "relative Li balance error: Li counted in zeta vs the integrated plating current"),
    "breakthrough": ("1", "1 if Li reached the SSE"),
    "breakthrough_time": ("s", "time Li first reached the SSE"),
    "steps_taken": ("1", "time steps taken"),
    "potential_solves": ("1", "potential (Poisson) solves"),
    "li_volume_decreased_under_plating": (
        "1", "1 if the Li volume fell under a plating drive (docs/phasefield.md, 'Li volume can decrease')"),
    "initial_front_height": ("m", "height of the highest anode-connected Li surface at t = 0 above y_anode"),
    "bv_equivalent_pressure": ("Pa", "L_eta Delta(eta) / L_sigma: the pressure whose term equals eq. 16's Butler-Volmer term"),
    "thermodynamic_driving_pressure": ("Pa", "n F eta / V_m: free-energy gain per volume of Li plated at eta"),
    "young_laplace_entry_pressure": ("Pa", "Young-Laplace entry pressure of the pores"),
    "dt_stability_limit": ("s", "explicit stability bound on the time step (the default dt is 0.8 of it)"),
}


def simulate(
    microstructure: Microstructure,
    contact_angle: float,
    overpotential: float = 0.05,
    pressure: float = 0.0,
    steps: int = 1000,
    dt: float | None = None,
    params: PhaseFieldParameters | None = None,
    potential: str = "poisson",
    storage_every: int | None = None,
    progress=False,
    stop_at_breakthrough: bool = True,
    trackers=(),
    potential_every: int = 100,
    order: int = 2,
    current_density: float | None = None,
    wetting_form: str = "h",
    inventory_tolerance: float | None = INVENTORY_TOLERANCE,
    allow_stabilisation: bool = True,
) -> xr.Dataset:
    """Grow Li from the anode into a porous host and return the time series.

    Parameters
    ----------
    microstructure : Microstructure
        From :mod:`interlayer.phasefield.microstructure`.
    contact_angle : float
        Contact angle of Li on the host, rad, in (0, pi).
    overpotential : float
        Applied deposition overpotential, V (> 0 plates).
    pressure : float
        Stack pressure on the Li, Pa.
    steps : int
        Number of time steps (the run stops earlier at breakthrough when ``stop_at_breakthrough``).
    dt : float, optional
        Time step, s (default: 0.8 of the explicit stability bound, see ``SemiImplicitDCT``).
    params : PhaseFieldParameters, optional
    potential : {"poisson", "uniform"}
    storage_every : int, optional
        Snapshot interval in steps (default: about 20 snapshots).
    progress : bool or interlayer.progress.Progress
        ``True``: a Rich progress bar on stderr; or report the steps to this
        :class:`~interlayer.progress.Progress`.
    trackers : sequence of Tracker
        Extra trackers.
    potential_every : int
        Potential re-solve interval in steps (see :mod:`interlayer.phasefield.potential`).
    order : {1, 2}
        Time scheme: IMEX Euler or SBDF2 (default).
    current_density : float, optional
        Galvanostatic control, A/m^2 (then ``overpotential`` is ignored; see PhaseFieldModel).
    wetting_form : {"h", "digest"}
        Form of the wetting term (see :mod:`interlayer.phasefield.model`).
    inventory_tolerance : float or None
        Largest accepted Li-balance error (relative, dimensionless; see ``InventoryTracker``):
        above it the run raises SolverError instead of returning. Default
        :data:`INVENTORY_TOLERANCE` = 0.01 (the issue's 1 %). Within the explicit stability bound
        the scheme conserves Li to round-off (1e-13), so only a stabilised large ``dt`` can exceed
        it. None: never raise, only report ``li_inventory_error`` (for studies of the error itself).
    allow_stabilisation : bool
        False: a ``dt`` above the stability bound raises InputError before the run (see
        ``SemiImplicitDCT``).

    Returns
    -------
    xarray.Dataset
        ``zeta`` and ``potential`` (time, y, x); ``phi_host`` (y, x); ``penetration_depth`` (m,
        advance of the highest anode-connected Li surface since t = 0, negative if it receded),
        ``li_inventory`` (C/m^2, Li volume change counted in zeta), ``plated_charge`` (C/m^2,
        integral of the model's total rate, Chen's accounting), ``faradaic_charge`` (C/m^2, its
        Butler-Volmer part), ``nonfaradaic_charge`` (C/m^2, the rest: capillarity, wetting, stack
        pressure), ``current_density``, ``faradaic_current_density`` (A/m^2) (time); the scalar
        results of :data:`RESULTS` as 0-d variables with units (``li_inventory_error``,
        ``breakthrough``, ``steps_taken``, ...). The attrs hold the inputs, the scales and the
        provenance: ``wall_time_s``, ``stop_reason`` and ``warnings`` (" | "-separated; "" when none).

    Raises
    ------
    SolverError
        If the run diverges (never returns NaN fields), or its Li-balance error exceeds
        ``inventory_tolerance`` (the message gives the error and the time step bound).
    InputError
        Bad inputs; ``dt`` above the stability bound when ``allow_stabilisation`` is False.

    Examples
    --------
    >>> from interlayer.phasefield.microstructure import straight_pores
    >>> ms = straight_pores(16, 48, 1e-7, width=8e-7)
    >>> ds = simulate(ms, math.radians(30), overpotential=0.02, steps=20)
    >>> ds["zeta"].attrs["units"], bool(ds["zeta"].notnull().all()), int(ds.steps_taken)
    ('1', True, 20)
    """
    from interlayer.phasefield.memory import check_memory

    if isinstance(steps, bool) or not isinstance(steps, (int, float)) or int(steps) != steps or steps < 1:
        raise InputError("steps", f"must be a positive integer, got {steps!r}")
    if storage_every is not None and (int(storage_every) != storage_every or storage_every < 1):
        raise InputError("storage_every", f"must be a positive integer, got {storage_every!r}")
    ny, nx = microstructure.shape
    check_memory(nx, ny, int(steps), storage_every)  # before the model copies any field
    model = PhaseFieldModel(
        microstructure, contact_angle, overpotential, pressure, params, potential, wetting_form, current_density
    )
    solver = SemiImplicitDCT(
        model, dt=dt, potential_every=potential_every, order=order, allow_stabilisation=allow_stabilisation
    )
    if int(steps) != steps or steps < 1:
        raise InputError("steps", f"must be a positive integer, got {steps!r}")
    if inventory_tolerance is not None and not (inventory_tolerance > 0):
        raise InputError("inventory_tolerance", f"must be > 0 or None, got {inventory_tolerance!r}")
    storage = StorageTracker(storage_every or max(1, int(steps) // 20))
    inventory = InventoryTracker(interval=max(1, int(steps) // 50))
    breakthrough = BreakthroughTracker(stop=stop_at_breakthrough)
    all_trackers = [storage, inventory, breakthrough, *trackers]
    if progress:
        all_trackers.append(ProgressTracker(int(steps), progress=None if progress is True else progress))
    state = solver.initial_state()
    solver.run(state, int(steps), all_trackers)
    error = float(state.extras.get("li_inventory_error", 0.0))
    if inventory_tolerance is not None and not error <= inventory_tolerance:
        raise SolverError(
            f"Li balance violated: the Li counted in zeta and the integrated plating current differ by "
            f"{error:.3g} (relative; tolerance {inventory_tolerance:.3g}) with dt = {solver.dt:.4g} s, "
            f"{solver.dt / solver.dt_limit:.3g} times the stability bound {solver.dt_limit:.4g} s "
            f"(stabilisation S = {solver.stabilisation:.3g} on)",
            iterations=int(state.step),
            hint=f"use a smaller dt, at most {solver.dt_limit:.4g} s (the default is 0.8 of it), where the "
            "scheme conserves Li to round-off",
        )
    return to_dataset(solver, state, storage)


def plating_drive(model: PhaseFieldModel) -> float:
    """Sign of the applied electrochemical drive: +1 plating, -1 stripping, 0 none.

    Potentiostatic: the sign of the overpotential (eta > 0 plates); galvanostatic: the sign of the
    applied current density.
    """
    value = model.current_density if model.current_density is not None else model.overpotential
    return float(np.sign(value))


def to_dataset(solver: SemiImplicitDCT, state, storage: StorageTracker) -> xr.Dataset:
    """Assemble the stored series into an xarray.Dataset with units (SI)."""
    model = solver.model
    ms = model.microstructure
    zeta = np.array(storage.zeta)
    eta = np.array(storage.eta)
    for name, arr in (("zeta", zeta), ("potential", eta)):
        if not np.all(np.isfinite(arr)):  # never hand out NaN fields
            raise SolverError(f"stored {name} contains non-finite values", iterations=state.step)
    coords = {
        "time": ("time", np.array(storage.times), {"units": "s", "long_name": "time"}),
        "y": ("y", ms.y, {"units": "m", "long_name": "height above the current collector"}),
        "x": ("x", ms.x, {"units": "m", "long_name": "lateral position"}),
    }
    dims3 = ("time", "y", "x")
    data_vars = {
        "zeta": (dims3, zeta, {"units": "1", "long_name": "Li order parameter (1 in Li metal)"}),
        "potential": (
            dims3,
            eta,
            {"units": "V", "long_name": "local deposition overpotential eta (> 0 plates; = -Phi of Chen 2015)"},
        ),
        "phi_host": (("y", "x"), ms.phi, {"units": "1", "long_name": "host (grain/SSE) order parameter"}),
        "penetration_depth": (
            "time",
            np.array(storage.depth),
            {
                "units": "m",
                "long_name": "advance of the highest anode-connected Li surface (zeta = 0.5) since t = 0 "
                "(0 at t = 0; negative: the Li surface receded)",
            },
        ),
        "li_inventory": (
            "time",
            np.array(storage.inventory),
            {"units": "C/m^2", "long_name": "Li volume change since t = 0 counted in zeta, as charge per anode area"},
        ),
        "plated_charge": (
            "time",
            np.array(storage.charge),
            {
                "units": "C/m^2",
                "long_name": "time integral of the total plating current density (Chen 2015 accounting: "
                "Faradaic + non-Faradaic)",
            },
        ),
        "faradaic_charge": (
            "time",
            np.array(storage.faradaic_charge),
            {"units": "C/m^2", "long_name": "time integral of the Faradaic (Butler-Volmer) current density"},
        ),
        "nonfaradaic_charge": (
            "time",
            np.array(storage.charge) - np.array(storage.faradaic_charge),
            {
                "units": "C/m^2",
                "long_name": "plated_charge - faradaic_charge: Li volume change driven by capillarity, wetting "
                "and stack pressure (Allen-Cahn is not conservative)",
            },
        ),
        "current_density": (
            "time",
            np.array(storage.current),
            {"units": "A/m^2", "long_name": "plating current density n F c_s <d zeta/dt> (Chen 2015)"},
        ),
        "faradaic_current_density": (
            "time",
            np.array(storage.faradaic),
            {
                "units": "A/m^2",
                "long_name": "Faradaic part of the plating current density: i0 Delta(eta) on the Li surface "
                "(6/5 x the Butler-Volmer term integral, solver.FARADAIC_PROFILE_FACTOR)",
            },
        ),
        "step": ("time", np.array(storage.steps), {"units": "1", "long_name": "time step index"}),
    }
    p = model.params
    attrs = {
        "model": "Allen-Cahn Li growth into a porous host, paper eqs. 11-16 (after Chen et al. 2015)",
        "scheme": "semi-implicit cosine-transform IMEX (Chen & Shen 1998; stabilisation Shen & Yang 2010)",
        "microstructure": ms.kind,
        "contact_angle_rad": model.contact_angle,
        "contact_angle_deg": math.degrees(model.contact_angle),
        "overpotential_V": model.overpotential,
        "pressure_Pa": model.pressure,
        "potential_mode": model.potential_mode,
        "control": "galvanostatic" if model.current_density is not None else "potentiostatic",
        "wetting_form": model.wetting_form,
        "dt_s": solver.dt,
        "stabilisation": solver.stabilisation,
        "time_scheme": "SBDF2" if solver.order == 2 else "IMEX Euler",
        "dx_m": ms.dx,
        "porosity": ms.porosity,
        "interlayer_thickness_m": ms.interlayer_thickness,
        "k_li_grain_J_m": model.k_li_grain,
        "coupling_scaled": model.c,
        "scale_length_m": model.scales.length,
        "scale_energy_density_J_m3": model.scales.energy_density,
        "scale_time_s": model.scales.time,
        "wall_time_s": float(state.extras.get("wall_time_s", 0.0)),
        "stop_reason": state.stop_reason or "steps",
    }
    # Li volume lost under a plating drive: the capillary/wetting part of the rate removed more Li
    # than the Butler-Volmer term added (docs/phasefield.md, "Li volume can decrease under plating").
    # Threshold: 1e-3 of one grid row of dense Li, far above round-off (1e-13 relative).
    row = solver._charge_per_area * ms.shape[1] / solver._width
    final_change = float(storage.inventory[-1])
    decreased = plating_drive(model) > 0 and final_change < -1e-3 * row
    warnings = []
    if decreased:
        warnings.append(
            f"the Li volume decreased by {-final_change * UAH_CM2:.3g} uAh/cm2 under a plating drive: the non-Faradaic "
            f"(capillary/wetting) part of the Allen-Cahn rate ({float(np.array(storage.charge)[-1] - storage.faradaic_charge[-1]) * UAH_CM2:.3g} uAh/cm2) "
            f"outweighs the Faradaic (Butler-Volmer) part ({storage.faradaic_charge[-1] * UAH_CM2:.3g} uAh/cm2), docs/phasefield.md "
            "'Li volume can decrease under plating'"
        )
    attrs["warnings"] = " | ".join(warnings)  # "" when there are none
    if model.current_density is not None:  # galvanostatic runs only (absent, not a placeholder)
        attrs["applied_current_density_A_m2"] = model.current_density
    for key, value in p.to_dict().items():
        if value is not None:  # interface_width None: the grid spacing (absent, not a placeholder)
            attrs[f"param_{key}"] = value
    for key, value in ms.info.items():
        if isinstance(value, (int, float, str)):
            attrs[f"microstructure_{key}"] = value
    pressures = model.driving_pressures()
    results = {
        "li_inventory_error": float(state.extras.get("li_inventory_error", float("nan"))),
        "breakthrough": int(bool(state.extras.get("breakthrough", False))),
        "steps_taken": int(state.step),
        "potential_solves": int(state.potential_solves),
        "li_volume_decreased_under_plating": int(decreased),
        "initial_front_height": float(storage.front_height0 if storage.front_height0 is not None else 0.0),
        "bv_equivalent_pressure": pressures["bv_equivalent"],
        "thermodynamic_driving_pressure": pressures["thermodynamic"],
        "dt_stability_limit": solver.dt_limit,
    }
    if ms.kind == "pores":  # straight pores only: the entry pressure of their width
        results["young_laplace_entry_pressure"] = young_laplace_entry_pressure(
            ms.info["pore_width"], model.contact_angle, p.surface_energy)
    if state.extras.get("breakthrough_time_s") is not None:  # only when Li reached the SSE
        results["breakthrough_time"] = float(state.extras["breakthrough_time_s"])
    return add_results(xr.Dataset(data_vars, coords=coords, attrs=attrs), RESULTS, results)
