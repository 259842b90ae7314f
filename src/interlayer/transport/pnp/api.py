"""One-call facade: ``run(material=..., dim=..., ...) -> xarray.Dataset`` and ``summary(ds) -> dict``.

>>> import interlayer.transport.pnp as pnp
>>> ds = pnp.run("lni-5cnt", dim=1, current_density=10.0, time=None)   # steady state, 1 mA/cm2
>>> round(float(ds.eta_sse - ds.eta_anode), 3)  # i l_i / (sigma_ion (1 - 0.3)^1.5) = 53 mV
0.053
>>> ds = pnp.run("lni-5cnt", dim=1, current_density=10.0, time=None, porosity=0.0)  # dense pellet
>>> round(float(ds.eta_sse - ds.eta_anode), 3)  # i l_i / sigma_ion = 31 mV
0.031
"""

from __future__ import annotations

import json
import math
import time as _time
from typing import Literal, cast

import numpy as np
import xarray as xr

from interlayer.errors import InputError, SolverError
from interlayer.numerics import bisect
from interlayer.progress import Progress, as_progress
from interlayer.results import add_results
from interlayer.transport.pnp.maps import RESULTS, growth_velocity, normalise, nucleation_field, summarise
from interlayer.transport.pnp.mesh1d import graded_nodes, graph_1d
from interlayer.transport.pnp.mesh2d import protrusion_mesh
from interlayer.transport.pnp.model import AnodeContact, InterlayerPNP, Mode
from interlayer.transport.pnp.params import (
    DEFAULT_STERN_THICKNESS,
    DEFAULT_THICKNESS,
    PNPParameters,
    from_material,
)
from interlayer.transport.pnp.scales import Scales
from interlayer.units import ROOM_TEMPERATURE

Resolution = Literal["coarse", "normal", "fine"]

#: 2D mesh presets: (columns, rows, smallest spacing over L)
MESH_2D = {"coarse": (20, 20, 6e-3), "normal": (40, 40, 3e-3), "fine": (100, 100, 1e-3)}
#: Protrusion geometry over L: width of the periodic cell, base and height of the Li triangle.
PROTRUSION = {"width": 1.0, "base": 0.2, "height": 0.2}

SUMMARY_KEYS = (
    "debye_length_m", "nucleation_depth_90_um", "nucleation_distance_90_um", "nucleation_rate_max_m3_s", "growth_tip_to_base_ratio",
    "l_i_um", "wall_time_s", "nucleation_present", "nucleation_fraction_anode_half", "nucleation_region_fraction",
    "nucleation_rate_sse_m3_s",
    "nucleation_threshold_m3_s", "relaxation_time_s", "electron_concentration_m3", "electron_mobility_m2_V_s",
    "electron_route", "porosity", "critical_overpotential_V",
    "nucleation_onset_s", "nucleation_onset_resolution_s", "eta_anode_V", "eta_sse_V", "eta_max_V", "growth_rate_max_A_m2", "growth_flat_spread",
)


def build_model(
    material: str | PNPParameters = "lni-5cnt",
    dim: int = 1,
    current_density: float = 10.0,
    contact_angle: float | None = None,
    *,
    thickness: float = DEFAULT_THICKNESS,
    temperature: float = ROOM_TEMPERATURE,
    mode: str = "galvanostatic",
    voltage: float = 0.0,
    anode_contact: str = "butler-volmer",
    electron_mobility: float | None = None,
    electron_concentration: float | None = None,
    mobile_fraction: float = 1.0,
    stern_thickness: float = DEFAULT_STERN_THICKNESS,
    porosity: float | None = None,
    resolution: Resolution = "normal",
    n_nodes: int | None = None,
) -> InterlayerPNP:
    """Parameters, mesh and boundary conditions in one call (see :func:`run` for the arguments)."""
    if dim not in (1, 2):
        raise InputError("dim", f"must be 1 or 2, got {dim!r}")
    if resolution not in MESH_2D:
        raise InputError("resolution", f"unknown {resolution!r}; allowed: {', '.join(MESH_2D)}")
    from interlayer.limits import check_bound

    if not isinstance(material, PNPParameters):
        check_bound("thickness", thickness, "thickness")
        check_bound("temperature", temperature, "temperature")
    if mode == "galvanostatic":
        check_bound("current_density", current_density, "current_density")
    else:
        check_bound("voltage", voltage, "voltage")
    if isinstance(material, PNPParameters):
        params = material if contact_angle is None else material.with_(contact_angle=contact_angle)
    else:
        params = from_material(material, thickness=thickness, temperature=temperature, contact_angle=contact_angle,
                               electron_mobility=electron_mobility, electron_concentration=electron_concentration,
                               mobile_fraction=mobile_fraction,
                               stern_thickness=stern_thickness, porosity=porosity)
    sc = Scales.from_parameters(params)
    if dim == 1:
        h_min = 0.25 * sc.debye_length / params.thickness
        if n_nodes is None:
            growth = {"coarse": 1.15, "normal": 1.08, "fine": 1.04}[resolution]
            x = graded_nodes(1.0, h_min, growth, h_max=0.01)
        else:
            x = graded_nodes_count(h_min, n_nodes)
        graph = graph_1d(x, names=("anode", "sse"))
    else:
        nx, ny, h2 = MESH_2D[resolution]
        if n_nodes is not None:  # about n_nodes points: scale the grid
            nx = ny = max(int(math.sqrt(n_nodes)), 10)
            h2 = min(h2, 0.1 / nx)
        graph = protrusion_mesh(nx=nx, ny=ny, h_min=h2, **PROTRUSION)
    return InterlayerPNP.build(params, graph, current_density=current_density, mode=cast(Mode, mode), voltage=voltage,
                               anode_contact=cast(AnodeContact, anode_contact))  # build() checks both


def graded_nodes_count(h_min: float, n_nodes: int) -> np.ndarray:
    """A graded 1D mesh with about ``n_nodes`` nodes (bisection on the growth ratio)."""
    if n_nodes < 20:
        raise InputError("n_nodes", f"need at least 20 nodes, got {n_nodes}")
    # a larger growth ratio gives fewer nodes: the predicate is "too few nodes"
    _, hi = bisect(lambda ratio: graded_nodes(1.0, h_min, ratio, h_max=1.0).size < n_nodes, 1.0 + 1e-6, 2.0,
                   max_iter=60)
    return graded_nodes(1.0, h_min, hi, h_max=1.0)


def run(
    material: str | PNPParameters = "lni-5cnt",
    dim: int = 1,
    current_density: float = 10.0,
    contact_angle: float | None = None,
    time: float | None = 2.0,
    *,
    until_nucleation: bool = False,
    out: str | None = None,
    progress: Progress | None = None,
    **options,
) -> xr.Dataset:
    """Solve the PNP interlayer model and return fields, growth and nucleation maps.

    Parameters
    ----------
    material : str or PNPParameters
        Library name (``lni-0p5cnt``, ``lni-5cnt``, ``lni-50cnt``, ...) or explicit parameters.
    dim : {1, 2}
        1: planar stack Li | layer | SSE. 2: Li anode with a triangular protrusion (base and height
        0.2 l_i, period l_i), SSE opposite.
    current_density : float
        Plating current density, A/m^2 (10 A/m^2 = 1 mA/cm^2).
    contact_angle : float, optional
        Li on the layer, rad (default: the material's).
    time : float or None
        Evolution time from equilibrium, s (default 2 s, as the paper); ``None``: steady state.
    until_nucleation : bool
        Stop at the first accepted time step where the nucleation rate reaches J_th anywhere (``time``
        is then the limit): the maps show where nucleation starts, ``nucleation_onset_s`` when (to
        within that step; None if not before ``time``).
    out : str, optional
        Write the dataset to this NetCDF file.
    progress : interlayer.progress.Progress, optional
        Told the simulated time, s: ``start(time, "time stepping")``, ``advance(dt)`` after every
        accepted time step, ``close()`` at the end (e.g. :class:`interlayer.progress.RichProgress`).
    **options
        ``thickness`` (m), ``temperature`` (K), ``mode`` (``"galvanostatic"``/``"potentiostatic"``),
        ``voltage`` (V), ``anode_contact`` (``"butler-volmer"``/``"blocking"``), ``electron_mobility``
        (m^2/(V s); mobility route ``c_e = sigma_e/(F mu_e)``), ``electron_concentration`` (1/m^3;
        default: the material's library value, see :func:`from_material`), ``mobile_fraction``, ``stern_thickness`` (m), ``porosity`` (default: the material's; 0: dense
        pellet, see :func:`from_material`), ``resolution``
        (``coarse``/``normal``/``fine``), ``n_nodes``.

    Returns
    -------
    xarray.Dataset
        Node fields (``potential``, ``c_li``, ``c_e``, ``phi_ion``, ``phi_e``, ``eta``,
        ``nucleation_rate``, ``nucleation_rate_normalised``) on dim ``x`` (1D) or ``node`` (2D, with
        ``x``, ``y`` coordinates and ``triangles``); Li-surface maps (``growth_rate``,
        ``growth_velocity``, ``growth_rate_normalised``) on dim ``surface``; the scalar results of
        :data:`~interlayer.transport.pnp.maps.RESULTS` as 0-d variables with units (NaN where a
        quantity does not exist); inputs, scales, the parameters the results rest on and the wall
        time in ``attrs``.

    Raises
    ------
    SolverError
        If the solve does not converge (no NaN is ever returned).
    """
    if time is not None and not (isinstance(time, int | float) and math.isfinite(time) and time > 0):
        raise InputError("time", f"must be > 0 s or None (steady state), got {time!r}")
    if not math.isfinite(current_density):
        raise InputError("current_density", "must be a finite number in A/m^2")
    start = _time.perf_counter()
    model = build_model(material, dim, current_density, contact_angle, **options)
    if until_nucleation and time is None:
        raise InputError("until_nucleation", "needs a time limit (time=...), not the steady state")
    onset = None
    if time is None:
        u = model.solve_steady()
        reached = None
    else:
        t_scale = model.scales.diffusion_time
        threshold = model.params.nucleation_threshold
        last_quiet = [0.0, model.initial_state()]  # latest accepted state without nucleation (t in s)
        found = [False]  # the callback saw J >= J_th at the last accepted step (it then stopped the run)
        report, shown = as_progress(progress), [0.0]  # shown: the time reported so far, s

        def nucleating(u_now) -> bool:
            return bool(np.max(nucleation_field(model, model.fields(u_now))) >= threshold)

        def callback(t, u_now):
            report.advance(t * t_scale - shown[0])
            shown[0] = t * t_scale
            if not until_nucleation:
                return False
            if nucleating(u_now):
                found[0] = True
                return True
            last_quiet[:] = [t * t_scale, u_now.copy()]
            return False

        report.start(time, "time stepping")
        try:
            trajectory = model.evolve(time, callback=callback)
            u = trajectory.final
            # the run's own end time; the requested one unless it stopped at the first nucleation
            reached = float(trajectory.times[-1] * t_scale) if until_nucleation else float(time)
            if found[0]:
                onset, u, resolution = _bisect_onset(model, nucleating, last_quiet[0], last_quiet[1], reached, u)
                reached = onset
        finally:
            report.close()
    wall = _time.perf_counter() - start
    ds = to_dataset(model, u, time=reached, wall_time=wall, inputs=options)
    if until_nucleation and time is not None:  # time is not None: refused above
        set_result(ds, "nucleation_onset", onset)
        set_result(ds, "nucleation_onset_resolution", None if onset is None else resolution)
        ds.attrs["time_limit_s"] = float(time)
    if out is not None:
        write_netcdf(ds, out)
    return ds


#: Relative width to which the first-nucleation time is bisected (within the step that crossed J_th).
ONSET_RELATIVE_TOLERANCE = 1e-3


def _bisect_onset(model, nucleating, t_lo, u_lo, t_hi, u_hi, max_halvings: int = 40):
    """Narrow the first-nucleation time to ``ONSET_RELATIVE_TOLERANCE``, s.

    The integration stops at the end of the step in which J first reached J_th; near the onset those
    steps are seconds long. Each halving re-integrates from the last state without nucleation (the
    problem is autonomous: constant current, time-independent boundaries), with tighter tolerances.
    Returns ``(onset time, state there, half-width of the final bracket)``; the onset is the upper
    end of the bracket, where nucleation is present.
    """
    states = {"lo": (t_lo, u_lo), "hi": (t_hi, u_hi)}  # the bracket's ends with their states

    def nucleated_by(t_mid) -> bool:
        t0, u0 = states["lo"]
        u_mid = model.evolve(t_mid - t0, u0=u0, rtol=2e-3, atol_psi=0.02).final
        side = "hi" if nucleating(u_mid) else "lo"
        states[side] = (t_mid, u_mid)
        return side == "hi"

    t_lo, t_hi = bisect(nucleated_by, t_lo, t_hi, rtol=ONSET_RELATIVE_TOLERANCE, max_iter=max_halvings)
    return float(t_hi), states["hi"][1], float(0.5 * (t_hi - t_lo))


def to_dataset(model: InterlayerPNP, u: np.ndarray, *, time: float | None, wall_time: float = 0.0,
               inputs: dict | None = None) -> xr.Dataset:
    """Fields, maps and 0-d results of a solved state as an ``xarray.Dataset`` (SI; inputs in attrs)."""
    f = model.fields(u)
    if not all(np.all(np.isfinite(v)) for v in f.values()):
        raise SolverError("non-finite field in the PNP solution", hint="refine the mesh or reduce the current")
    p, g = model.params, model.graph
    dim = g.coords.shape[1]
    nuc = nucleation_field(model, f)
    anode_nodes, growth = model.anode_growth(u)
    volume_si = g.volume * p.thickness**dim
    depth = g.coords[:, -1] * p.thickness  # distance from the flat anode plane
    scalars = summarise(model, f, nuc, volume_si, depth, anode_nodes, growth)
    scalars["wall_time_s"] = wall_time

    meta = {
        "potential": ("V", "electrostatic potential (Li anode = 0)"),
        "c_li": ("mol/m^3", "Li+ concentration"),
        "c_e": ("mol/m^3", "electron concentration"),
        "phi_ion": ("V", "Li+ electrochemical potential over F"),
        "phi_e": ("V", "electron electrochemical potential over -F (electronic potential)"),
        "eta": ("V", "local deposition overpotential phi_ion - phi_e (> 0 favours plating)"),
    }
    node_dim = "x" if dim == 1 else "node"
    data_vars = {k: ((node_dim,), f[k], {"units": u_, "long_name": ln}) for k, (u_, ln) in meta.items()}
    data_vars["nucleation_rate"] = ((node_dim,), nuc, {"units": "1/(m^3 s)", "long_name": "Li nucleation rate (eq. 10)"})
    # normalised as the paper plots it; all zeros when nothing reaches the nucleation threshold
    nuc_norm = normalise(nuc) if scalars["nucleation_present"] else np.zeros_like(nuc)
    data_vars["nucleation_rate_normalised"] = ((node_dim,), nuc_norm, {
        "units": "1", "long_name": "nucleation rate / its maximum (0 if below threshold)"})
    data_vars["growth_rate"] = (("surface",), growth, {"units": "A/m^2", "long_name": "Li growth current density (eq. 9)"})
    data_vars["growth_velocity"] = (("surface",), growth_velocity(growth, p.molar_volume),
                                    {"units": "m/s", "long_name": "Li surface velocity i V_m / F"})
    data_vars["growth_rate_normalised"] = (("surface",), normalise(growth),
                                           {"units": "1", "long_name": "growth rate / its maximum"})
    data_vars["volume"] = ((node_dim,), volume_si, {"units": "m^3" if dim == 2 else "m",
                                                    "long_name": "control volume per unit depth (2D) or area (1D)"})
    coords = {}
    xs = g.coords[:, 0] * p.thickness
    if dim == 1:
        coords["x"] = ("x", xs, {"units": "m", "long_name": "distance from the Li anode"})
    else:
        coords["x"] = ("node", xs, {"units": "m", "long_name": "position along the anode"})
        coords["y"] = ("node", depth, {"units": "m", "long_name": "distance from the flat anode plane"})
    s_xy = g.coords[anode_nodes] * p.thickness
    coords["surface_x"] = ("surface", s_xy[:, 0], {"units": "m", "long_name": "Li surface node x"})
    if dim == 2:
        coords["surface_y"] = ("surface", s_xy[:, 1], {"units": "m", "long_name": "Li surface node y"})
    ds = xr.Dataset(data_vars, coords=coords)
    if g.cells is not None:
        ds["triangles"] = (("triangle", "vertex"), g.cells.astype(np.int32),
                           {"units": "1", "long_name": "node indices of the mesh triangles"})
    attrs = {
        "model": "Poisson-Nernst-Planck (Li+, e-), Scharfetter-Gummel finite volumes",
        "material": p.material,
        "dim": dim,
        # the applied current; potentiostatic runs have none applied (NaN -> null in JSON)
        "current_density_A_m2": model.current_density if model.mode == "galvanostatic" else float("nan"),
        "control_mode": model.mode,  # not "mode": scipy's NetCDF writer keeps attrs as file attributes
        # the applied voltage; galvanostatic runs have none applied (NaN, as the current above)
        "voltage_V": model.voltage if model.mode != "galvanostatic" else float("nan"),
        "anode_contact": model.anode_contact,
        "steady_state": int(time is None),
        "contact_angle_rad": p.contact_angle,
        "contact_angle_deg": round(math.degrees(p.contact_angle), 9),  # no 119.99999999999999
        "parameters_json": json.dumps({k: v for k, v in p.__dict__.items()}),
        "options_json": json.dumps(inputs or {}),
        "n_nodes": g.n_nodes,
        "clipped_couplings": g.clipped_couplings,
    }
    if time is not None:  # a steady state has no time (absent, not a placeholder)
        attrs["time_s"] = float(time)
    attrs.update(model.scales.as_dict())
    for name in RESULTS:
        if name in scalars:
            set_result(ds, name, scalars.pop(name))
    attrs.update(scalars)  # the parameters the results rest on, and provenance (wall time)
    ds.attrs.update({k: (int(v) if isinstance(v, bool) else v) for k, v in attrs.items()})
    return ds


def set_result(ds: xr.Dataset, name: str, value) -> None:
    """Store scalar result ``name`` of :data:`RESULTS` as a 0-d variable (None -> NaN)."""
    data: np.generic
    if isinstance(value, bool) or name == "nucleation_present":
        data = np.int8(bool(value))
    else:
        data = np.float64(np.nan if value is None else value)
    add_results(ds, RESULTS, {name: data})


def summary(ds: xr.Dataset) -> dict:
    """The scalar results of :func:`run` as a plain dict (``None`` where absent, e.g. no nucleation).

    Keys carry their unit (``nucleation_depth_90_um``); the Dataset holds the same results as 0-d
    variables in SI (:data:`~interlayer.transport.pnp.maps.RESULTS`).
    """
    by_key = {key: (name, factor) for name, (_, _, key, factor) in RESULTS.items()}
    out: dict = {}
    for key in SUMMARY_KEYS:
        if key in by_key:
            name, factor = by_key[key]
            if name not in ds:
                out[key] = None
                continue
            value = ds[name].values.item()
            if factor is None:
                out[key] = bool(value)
            else:
                out[key] = None if not math.isfinite(value) else value * factor
            continue
        value = ds.attrs.get(key)
        out[key] = value.item() if isinstance(value, np.generic) else value
    for key in ("material", "dim", "current_density_A_m2", "control_mode", "contact_angle_deg", "anode_contact"):
        value = ds.attrs.get(key)
        out[key] = value.item() if isinstance(value, np.generic) else value
    out["steady_state"] = bool(ds.attrs["steady_state"])
    out["time_s"] = None if out["steady_state"] else float(ds.attrs["time_s"])
    return out


def write_netcdf(ds: xr.Dataset, path: str) -> None:
    """Write a PNP result to NetCDF (InputError for an unwritable path).

    The file is written under a temporary name in the same folder and renamed into place, so a full
    disk or a read-only folder leaves no partial file at ``path``.
    """
    import contextlib
    import os
    import secrets
    from pathlib import Path

    final = Path(path)
    tmp = final.with_name(f".{final.stem}.{secrets.token_hex(4)}.partial{final.suffix}")
    try:
        ds.to_netcdf(tmp)
        os.replace(tmp, final)
    except (OSError, ValueError) as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise InputError("out", f"cannot write {path!r}: {reason} (nothing written)") from None
