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
    progress: bool = False,
    stop_at_breakthrough: bool = True,
    trackers=(),
    potential_every: int = 100,
    order: int = 2,
    current_density: float | None = None,
    wetting_form: str = "h",
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
    progress : bool
        Show a Rich progress bar on stderr.
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

    Returns
    -------
    xarray.Dataset
        ``zeta`` and ``potential`` (time, y, x); ``phi_host`` (y, x); ``penetration_depth``,
        ``li_inventory``, ``plated_charge``, ``current_density`` (time). The attrs hold the inputs,
        the scales, ``li_inventory_error``, ``breakthrough``, ``wall_time_s``.

    Raises
    ------
    SolverError
        If the run diverges (never returns NaN fields).

    Examples
    --------
    >>> from interlayer.phasefield.microstructure import straight_pores
    >>> ms = straight_pores(16, 48, 1e-7, width=8e-7)
    >>> ds = simulate(ms, math.radians(30), overpotential=0.02, steps=20)
    >>> ds["zeta"].attrs["units"], bool(ds["zeta"].notnull().all())
    ('1', True)
    """
    model = PhaseFieldModel(
        microstructure, contact_angle, overpotential, pressure, params, potential, wetting_form, current_density
    )
    solver = SemiImplicitDCT(model, dt=dt, potential_every=potential_every, order=order)
    if int(steps) != steps or steps < 1:
        raise InputError("steps", f"must be a positive integer, got {steps!r}")
    storage = StorageTracker(storage_every or max(1, int(steps) // 20))
    inventory = InventoryTracker(interval=max(1, int(steps) // 50))
    breakthrough = BreakthroughTracker(stop=stop_at_breakthrough)
    all_trackers = [storage, inventory, breakthrough, *trackers]
    if progress:
        all_trackers.append(ProgressTracker(int(steps)))
    state = solver.initial_state()
    solver.run(state, int(steps), all_trackers)
    return to_dataset(solver, state, storage)


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
            {"units": "m", "long_name": "height of the highest Li (zeta = 0.5) above the initial anode surface"},
        ),
        "li_inventory": (
            "time",
            np.array(storage.inventory),
            {"units": "C/m^2", "long_name": "Li gained since t = 0 counted in zeta, as charge per anode area"},
        ),
        "plated_charge": (
            "time",
            np.array(storage.charge),
            {"units": "C/m^2", "long_name": "time integral of the plating current density"},
        ),
        "current_density": (
            "time",
            np.array(storage.current),
            {"units": "A/m^2", "long_name": "plating current density n F c_s <d zeta/dt> (Chen 2015)"},
        ),
        "faradaic_current_density": (
            "time",
            np.array(storage.faradaic),
            {"units": "A/m^2", "long_name": "Butler-Volmer-term part of the plating current density"},
        ),
        "step": ("time", np.array(storage.steps), {"units": "1", "long_name": "time step index"}),
    }
    p = model.params
    attrs = {
        "model": "Allen-Cahn Li growth into a porous host, digest eqs. 11-16 (after Chen et al. 2015)",
        "scheme": "semi-implicit cosine-transform IMEX (Chen & Shen 1998; stabilisation Shen & Yang 2010)",
        "microstructure": ms.kind,
        "contact_angle_rad": model.contact_angle,
        "contact_angle_deg": math.degrees(model.contact_angle),
        "overpotential_V": model.overpotential,
        "pressure_Pa": model.pressure,
        "potential_mode": model.potential_mode,
        "control": "galvanostatic" if model.current_density is not None else "potentiostatic",
        "applied_current_density_A_m2": model.current_density if model.current_density is not None else "none",
        "wetting_form": model.wetting_form,
        "dt_s": solver.dt,
        "dt_stability_limit_s": solver.dt_limit,
        "stabilisation": solver.stabilisation,
        "time_scheme": "SBDF2" if solver.order == 2 else "IMEX Euler",
        "steps": int(state.step),
        "potential_solves": int(state.potential_solves),
        "dx_m": ms.dx,
        "porosity": ms.porosity,
        "interlayer_thickness_m": ms.interlayer_thickness,
        "k_li_grain_J_m": model.k_li_grain,
        "coupling_scaled": model.c,
        "scale_length_m": model.scales.length,
        "scale_energy_density_J_m3": model.scales.energy_density,
        "scale_time_s": model.scales.time,
        "li_inventory_error": float(state.extras.get("li_inventory_error", float("nan"))),
        "breakthrough": int(bool(state.extras.get("breakthrough", False))),
        "breakthrough_time_s": state.extras.get("breakthrough_time_s") or "none",
        "wall_time_s": float(state.extras.get("wall_time_s", 0.0)),
        "stop_reason": state.stop_reason or "steps",
    }
    pressures = model.driving_pressures()
    attrs["bv_equivalent_pressure_Pa"] = pressures["bv_equivalent"]
    attrs["thermodynamic_driving_pressure_Pa"] = pressures["thermodynamic"]
    if ms.kind == "pores":
        attrs["young_laplace_entry_pressure_Pa"] = young_laplace_entry_pressure(
            ms.info["pore_width"], model.contact_angle, p.surface_energy
        )
    for key, value in p.to_dict().items():
        attrs[f"param_{key}"] = "grid" if value is None else value
    for key, value in ms.info.items():
        if isinstance(value, (int, float, str)):
            attrs[f"microstructure_{key}"] = value
    return xr.Dataset(data_vars, coords=coords, attrs=attrs)
