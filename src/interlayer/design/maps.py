"""Design maps: the stability criterion over a Cartesian product of parameters, vectorised.

Every axis may be a scalar or a 1D array: ``sigma_ion``, ``sigma_e`` (dense-pellet values, S/m),
``contact_angle`` (rad), ``thickness`` (m), ``porosity``, ``current_density`` (A/m^2),
``half_cycle_time`` (s) or ``capacity`` (C/m^2), ``temperature`` (K), ``interface_resistance``
(ohm m^2). The product is evaluated in chunks of flat indices (no Python loop per point), so memory
stays bounded by the chunk size plus the outputs. The criterion is the one in
:mod:`interlayer.design.criterion`, the same that :func:`interlayer.design.evaluate` uses for a
uniform layer. The nucleation factors of eq. 10 come from the material's carrier densities
(:mod:`interlayer.carriers`): a ``sigma_e`` axis varies the conductivity at the material's electron
density (materials without one: the mobility route, density proportional to sigma_e).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from interlayer import carriers, materials
from interlayer.cell import BRUGGEMAN_EXPONENT
from interlayer.design import criterion
from interlayer.errors import InputError
from interlayer.units import ROOM_TEMPERATURE

AXES = {
    "sigma_ion": ("S/m", "ionic conductivity (dense pellet)"),
    "sigma_e": ("S/m", "electronic conductivity (dense pellet)"),
    "contact_angle": ("rad", "contact angle of Li on the layer"),
    "thickness": ("m", "interlayer thickness"),
    "porosity": ("1", "porosity"),
    "current_density": ("A/m^2", "plating current density"),
    "half_cycle_time": ("s", "plating time per half cycle"),
    "capacity": ("C/m^2", "plated capacity per half cycle"),
    "temperature": ("K", "temperature"),
    "interface_resistance": ("ohm m^2", "Li|layer interface resistance (failure criterion: the planar contact)"),
    "stack_pressure": ("Pa", "stack pressure (failure criterion)"),
    "pore_radius": ("m", "pore radius (failure criterion)"),
}


def _defaults(material: str, criterion_name: str = "failure") -> dict[str, np.ndarray | float]:
    m = materials.get(material)
    lni = materials.get("lni")
    if criterion_name == "failure":
        return {
            "sigma_ion": m["sigma_ion"], "sigma_e": m["sigma_e"], "contact_angle": m["contact_angle"],
            "thickness": 90e-6, "porosity": m["porosity"], "current_density": 40.0, "half_cycle_time": 3600.0,
            "temperature": ROOM_TEMPERATURE,
            "interface_resistance": (m["planar_contact_resistance"] if m.has("planar_contact_resistance")
                                     else lni["planar_contact_resistance"]),
            "stack_pressure": 1e6,
            "pore_radius": m["pore_radius"] if m.has("pore_radius") else lni["pore_radius"],
        }
    return {
        "sigma_ion": m["sigma_ion"],
        "sigma_e": m["sigma_e"],
        "contact_angle": m["contact_angle"],
        "thickness": 90e-6,
        "porosity": m["porosity"],
        "current_density": 40.0,
        "half_cycle_time": 3600.0,
        "temperature": ROOM_TEMPERATURE,
        "interface_resistance": m["interface_resistance"],
    }


def _nucleation_factors(material: str, sigma_e):
    """eq.-10 factors of the map's layers: the material's carrier density, or (without one) the
    mobility route from the map's sigma_e, as :meth:`interlayer.cell.Layer.nucleation_factors`."""
    m = materials.get(material)
    li_factor = carriers.li_factor(m["li_concentration"]) if m.has("li_concentration") else 1.0
    if m.has("electron_concentration"):
        return li_factor, carriers.electron_factor(m["electron_concentration"])
    return li_factor, carriers.electron_factor(carriers.mobility_route_density(sigma_e))


def design_map(material: str = "lni-5cnt", chunk_size: int = 1 << 17, criterion_name: str = "failure",
               **axes) -> xr.Dataset:
    """Evaluate l_n, l_g, regime and margin over the product of the given axes.

    Parameters
    ----------
    material : str
        Library material supplying every parameter not given.
    chunk_size : int
        Points evaluated at once (memory ~ 200 bytes per point of a chunk).
    criterion_name : {"failure", "legacy"}
        The criterion (:func:`interlayer.design.evaluate`); ``regime`` holds the limiting failure
        mode for ``"failure"`` and the legacy regime otherwise (labels in ``flag_meanings``).
    **axes : float or 1D array
        See the module docstring. Give ``capacity`` instead of ``half_cycle_time`` for fixed capacity.

    Returns
    -------
    xarray.Dataset
        Dimensions: the array-valued axes in the order given. Variables ``l_n``, ``l_g``, ``margin``
        (m) and ``regime`` (int8; labels in ``flag_meanings``).

    Examples
    --------
    >>> ds = design_map(current_density=np.array([10.0, 40.0]), thickness=np.array([30e-6, 90e-6]))
    >>> ds.regime.dims
    ('current_density', 'thickness')
    """
    from interlayer.design import failure

    if criterion_name not in ("failure", "legacy"):
        raise InputError("criterion", f"unknown criterion {criterion_name!r}; known: failure, legacy")
    unknown = set(axes) - set(AXES)
    if criterion_name == "legacy":
        unknown |= set(axes) & {"stack_pressure", "pore_radius"}
    if unknown:
        raise InputError(sorted(unknown)[0], f"unknown map axis; known: {', '.join(AXES)}")
    if "capacity" in axes and "half_cycle_time" in axes:
        raise InputError("capacity", "give capacity or half_cycle_time, not both")
    params: dict[str, np.ndarray | float] = _defaults(material, criterion_name)
    params.update(axes)
    dims, coords = [], {}
    for name, value in axes.items():
        arr = np.asarray(value, dtype=float)
        if arr.ndim > 1:
            raise InputError(name, "map axes must be scalars or 1D arrays")
        if arr.ndim == 1:
            if arr.size == 0:
                raise InputError(name, "axis is empty")
            dims.append(name)
            unit, long_name = AXES[name]
            coords[name] = (name, arr, {"units": unit, "long_name": long_name})
        params[name] = arr
    _validate(params)
    shape = tuple(np.asarray(params[d]).size for d in dims)
    n = int(np.prod(shape)) if shape else 1
    out_ln = np.empty(n)
    out_lg = np.empty(n)
    out_regime = np.empty(n, dtype=np.int8)
    out_margin = np.empty(n)
    use_capacity = "capacity" in axes
    for start in range(0, n, chunk_size):
        flat = np.arange(start, min(start + chunk_size, n))
        index = np.unravel_index(flat, shape) if shape else ()
        p = {}
        for name in params:
            value = np.asarray(params[name], dtype=float)
            p[name] = value[index[dims.index(name)]] if name in dims else value
        q = p["capacity"] if use_capacity else p["current_density"] * p["half_cycle_time"]
        li_factor, electron_factor = _nucleation_factors(material, p["sigma_e"])
        if criterion_name == "failure":
            props = failure.uniform_properties(
                material, sigma_ion=p["sigma_ion"], sigma_e=p["sigma_e"], contact_angle=p["contact_angle"],
                thickness=p["thickness"], porosity=p["porosity"], temperature=p["temperature"],
                planar_resistance=p["interface_resistance"], pore_radius=p["pore_radius"],
                stack_pressure=p["stack_pressure"], electron_factor=electron_factor, li_factor=li_factor)
            l_n, l_g, regime, margin = failure.evaluate_uniform(props, p["current_density"], q)
            sl = slice(start, start + flat.size)
            out_ln[sl], out_lg[sl], out_regime[sl], out_margin[sl] = l_n, l_g, regime, margin
            continue
        l_n, l_g, regime, margin = criterion.evaluate_uniform(
            p["sigma_ion"], p["sigma_e"], p["contact_angle"], p["thickness"], p["porosity"], p["current_density"], q,
            p["temperature"], p["interface_resistance"], electron_factor=electron_factor, li_factor=li_factor,
            bruggeman_exponent=BRUGGEMAN_EXPONENT)
        sl = slice(start, start + flat.size)
        out_ln[sl], out_lg[sl], out_regime[sl], out_margin[sl] = l_n, l_g, regime, margin
    attrs: dict[str, str | float] = {"material": material, "criterion": criterion_name,
             "model": ("failure physics (docs/theory.md)" if criterion_name == "failure"
                       else "electroneutral MIEC criterion, legacy (docs/theory.md)")}
    labels = failure.MODES if criterion_name == "failure" else criterion.REGIMES
    attrs.update({f"{k}": float(np.asarray(v)) for k, v in params.items() if k not in dims})
    return xr.Dataset(
        {
            "l_n": (dims, out_ln.reshape(shape), {"units": "m", "long_name": "nucleation length"}),
            "l_g": (dims, out_lg.reshape(shape), {"units": "m", "long_name": "growth length"}),
            "regime": (dims, out_regime.reshape(shape), {
                "units": "1", "long_name": "limiting failure mode" if criterion_name == "failure" else "stability regime",
                "flag_values": np.arange(len(labels), dtype=np.int8),
                "flag_meanings": " ".join(labels)}),
            "margin": (dims, out_margin.reshape(shape), {"units": "m", "long_name": "stability margin"}),
        },
        coords=coords,
        attrs=attrs,
    )


def _validate(params):
    checks = {
        "sigma_ion": (0, np.inf), "sigma_e": (0, np.inf), "thickness": (0, 1e-2), "porosity": (0, 1),
        "current_density": (0, np.inf), "half_cycle_time": (0, np.inf), "capacity": (0, np.inf),
        "temperature": (0, 5000), "interface_resistance": (-1e-300, np.inf),
        "stack_pressure": (-1e-300, 500e6), "pore_radius": (0, 1e-3),
    }
    for name, (lo, hi) in checks.items():
        if name in params:
            v = np.asarray(params[name], dtype=float)
            if np.any(~np.isfinite(v)) or np.any(v <= lo) or np.any(v >= hi):
                raise InputError(name, f"values must lie in ({lo:g}, {hi:g}) {AXES[name][0]}")
    theta = np.asarray(params["contact_angle"], dtype=float)
    if np.any(theta < 0) or np.any(theta > np.pi):
        raise InputError("contact_angle", "values must lie in [0, pi] rad (0-180 deg)")
