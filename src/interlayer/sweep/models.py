"""Built-in sweepable models: declarations here, physics imported lazily inside each callable.

* ``design``: :func:`interlayer.design.evaluate` (nucleation and growth lengths and the regime over a
  vector of current densities) for one layer.
* ``toy``: an analytic function with an optional CPU-bound kernel and sleep. **Not physics**: a helper
  for tests and benchmarks that stands in for a PDE point of a chosen cost.

Each callable takes ``params`` (SI values, only the keys the config or the defaults set) and returns an
``xarray.Dataset`` or a dict of outputs with units (see :func:`interlayer.sweep.runner.normalise_outputs`).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from interlayer.sweep.registry import ModelSpec, Parameter
from interlayer.units import ROOM_TEMPERATURE

# ----------------------------------------------------------------------------------------------- toy


def toy(params: dict[str, Any]) -> dict[str, Any]:
    """A cheap deterministic stand-in for a PDE point (tests and benchmarks only; not physics).

    Outputs
    -------
    ratio : float, m^2/s
        ``x**2 / t``.
    profile : DataArray over ``toy_k`` (5 points), m
        ``x * k / 4`` for k = 0..4 (an array output, as a PDE point returns a profile).
    relax_norm : float, dimensionless
        Mean of a 2D Laplace field after ``work`` Jacobi sweeps on a ``size`` x ``size`` grid (value 1
        on one edge, 0 on the others). ``work`` sets the CPU cost: elementwise NumPy, one core, no BLAS
        threads, so a point's cost is the same in a pool of one or many workers.

    Raises
    ------
    ValueError
        If ``x < 0`` (used by the tests to make a point fail on purpose).
    """
    import xarray as xr

    x = float(params.get("x", 1e-6))
    t = float(params.get("t", 1.0))
    if x < 0:
        raise ValueError(f"toy model needs x >= 0, got {x!r}")
    if t <= 0:
        raise ValueError(f"toy model needs t > 0, got {t!r}")
    sleep = float(params.get("sleep", 0.0))
    if sleep > 0:
        time.sleep(sleep)
    relax = _jacobi(int(round(params.get("work", 0.0))), int(round(params.get("size", 64.0))))
    k = np.arange(5)
    return {
        "ratio": (x**2 / t, "m^2/s", "x squared over t (toy)"),
        "profile": xr.DataArray(
            x * k / 4.0,
            dims=("toy_k",),
            coords={"toy_k": ("toy_k", k, {"units": "1", "long_name": "toy profile index"})},
            attrs={"units": "m", "long_name": "toy profile x k / 4"},
        ),
        "relax_norm": (relax, "1", "mean of the relaxed toy Laplace field"),
    }


def _jacobi(sweeps: int, size: int) -> float:
    """Mean of a Laplace field after ``sweeps`` Jacobi iterations (the toy model's CPU load)."""
    size = max(size, 3)
    u = np.zeros((size, size))
    u[0, :] = 1.0
    for _ in range(max(sweeps, 0)):
        u[1:-1, 1:-1] = 0.25 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:])
    return float(u.mean())


# Inputs the layer models (design, transport) share: one definition each.
_MATERIAL = Parameter(
    "material", kind="text", default="lni-5cnt", description="materials library name"
)
_THICKNESS = Parameter(
    "thickness", "m", 90e-6, description="interlayer thickness", default_unit="um", bound="thickness"
)
_CONTACT_ANGLE = Parameter(
    "contact_angle",
    "rad",
    None,
    description="Li contact angle (material's if unset)",
    default_unit="deg",
    bound="contact_angle",
)
_TEMPERATURE = Parameter("temperature", "K", ROOM_TEMPERATURE, description="temperature",
                         needs_unit="'25 degC' or '298.15 K'", bound="temperature")


TOY = ModelSpec(
    name="toy",
    description="analytic test/benchmark helper with a tunable CPU load (not physics)",
    target="interlayer.sweep.models:toy",
    parameters={
        "x": Parameter("x", "m", 1e-6, description="length; x < 0 makes the point fail on purpose"),
        "t": Parameter("t", "s", 1.0, description="time, > 0"),
        "work": Parameter("work", "dimensionless", 0.0, description="Jacobi sweeps (CPU load)"),
        "size": Parameter("size", "dimensionless", 64.0, description="Jacobi grid size per side"),
        "sleep": Parameter("sleep", "s", 0.0, description="sleep per point (emulates a slow point)"),
    },
)

# -------------------------------------------------------------------------------------------- design


def design(params: dict[str, Any]):
    """One layer through :func:`interlayer.design.evaluate`.

    Returns its Dataset over ``current_density`` (l_n, l_g, margin in m; regime codes with
    ``flag_meanings``; capacity in C/m^2) plus ``max_stable_current`` (A/m^2, the layer's largest stable
    current from ``attrs``; inf when every scanned current is stable).
    """
    from interlayer.design import evaluate
    from interlayer.design.inputs import DesignInputs

    ds = evaluate(**DesignInputs(**params).kwargs())
    ds["max_stable_current"] = (
        (),
        float(ds.attrs["max_stable_current_A_m2"]),
        {"units": "A/m^2", "long_name": "largest stable plating current density"},
    )
    return ds


def _design_spec() -> ModelSpec:
    from interlayer.design.inputs import DesignInputs

    return ModelSpec(
        name="design",
        description="failure physics (or the legacy l_n/l_g criterion) of one layer over a vector of current densities",
        target="interlayer.sweep.models:design",
        requires="interlayer.design",
        parameters=DesignInputs.sweep_parameters(),
    )


DESIGN = _design_spec()

# ---------------------------------------------------------------------------------------- phasefield


def phasefield(params: dict[str, Any]) -> dict[str, Any]:
    """One 2D phase-field run (:func:`interlayer.phasefield.simulate`) reduced to scalar outcomes.

    The microstructure is built from the parameters (``straight_pores`` or ``packed_particles``).
    Time series are not stored: a run that stops at breakthrough has fewer snapshots than one that
    does not, and a sweep stacks equal shapes; the outcomes at the last snapshot are.
    """
    from interlayer import phasefield as pf
    from interlayer.errors import InputError

    p = dict(params)
    nx, ny = int(round(p.pop("nx"))), int(round(p.pop("ny")))
    dx = p.pop("dx")
    kind = p.pop("microstructure")
    width, count = p.pop("pore_width"), int(round(p.pop("pore_count")))
    diameter, porosity, seed = p.pop("particle_diameter"), p.pop("porosity"), int(round(p.pop("seed")))
    if kind == "pores":
        ms = pf.straight_pores(nx, ny, dx, width=width, count=count)
    elif kind == "particles":
        ms = pf.packed_particles(nx, ny, dx, diameter=diameter, porosity=porosity, seed=seed)
    else:
        raise InputError("microstructure", f"unknown {kind!r}; choose pores or particles")
    steps = int(round(p.pop("steps")))
    ds = pf.simulate(ms, steps=steps, **p)
    depth = float(ds.penetration_depth.values[-1])
    thickness = float(ds.attrs["interlayer_thickness_m"])
    return {
        "penetration_depth": (depth, "m", "Li penetration depth at the end of the run, from the starting Li surface"),
        "penetration_fraction": (depth / thickness, "1", "penetration depth / interlayer thickness"),
        "li_inventory": (float(ds.li_inventory.values[-1]), "C/m^2", "Li gained, as charge per anode area"),
        "plated_charge": (
            float(ds.plated_charge.values[-1]),
            "C/m^2",
            "time integral of the plating current",
        ),
        "faradaic_charge": (
            float(ds.faradaic_charge.values[-1]),
            "C/m^2",
            "Butler-Volmer (Faradaic) part of the plated charge; the rest is capillarity/wetting",
        ),
        "li_volume_decreased": (
            int(ds.attrs["li_volume_decreased_under_plating"]),
            "1",
            "1 if the Li volume fell under a plating drive (an interface-width artefact, docs/phasefield.md)",
        ),
        "li_inventory_error": (float(ds.attrs["li_inventory_error"]), "1", "relative Li inventory error"),
        "breakthrough": (int(ds.attrs["breakthrough"]), "1", "1 if Li reached the SSE"),
        "simulated_time": (float(ds.time.values[-1]), "s", "simulated time at the end of the run"),
        "steps_taken": (int(ds.attrs["steps"]), "1", "time steps taken"),
        "porosity_actual": (float(ds.attrs["porosity"]), "1", "porosity of the built microstructure"),
    }


PHASEFIELD = ModelSpec(
    name="phasefield",
    description="2D Allen-Cahn Li growth into a porous host (phasefield.simulate), scalar outcomes",
    target="interlayer.sweep.models:phasefield",
    requires="interlayer.phasefield",
    parameters={
        "microstructure": Parameter(
            "microstructure",
            kind="text",
            default="pores",
            description="host: pores (slits) or particles (discs)",
        ),
        "nx": Parameter("nx", "dimensionless", 32.0, description="grid cells across", integer=True, minimum=8),
        "ny": Parameter("ny", "dimensionless", 64.0, description="grid cells in height", integer=True, minimum=8),
        "dx": Parameter("dx", "m", 1e-7, description="grid spacing", default_unit="nm"),
        "pore_width": Parameter("pore_width", "m", 1e-6, description="slit width (pores)", default_unit="um"),
        "pore_count": Parameter("pore_count", "dimensionless", 1.0, description="number of slits (pores)",
                                integer=True, minimum=1),
        "particle_diameter": Parameter(
            "particle_diameter", "m", 1e-6, description="mean disc diameter (particles)", default_unit="um"
        ),
        "porosity": Parameter("porosity", "dimensionless", 0.5, description="target porosity (particles)"),
        "seed": Parameter("seed", "dimensionless", 0.0, description="random seed (particles)", bound="seed",
                          integer=True),
        "contact_angle": Parameter(
            "contact_angle",
            "rad",
            2.0943951023931953,
            description="Li contact angle on the host",
            default_unit="deg",
            bound="contact_angle",
        ),
        "overpotential": Parameter(
            "overpotential", "V", 0.05, description="deposition overpotential", default_unit="mV",
            bound="overpotential",
        ),
        "pressure": Parameter(
            "pressure", "Pa", 0.0, description="stack pressure on the Li", default_unit="MPa", bound="pressure"
        ),
        "current_density": Parameter(
            "current_density",
            "A/m^2",
            None,
            description="galvanostatic control (replaces overpotential)",
            default_unit="mA/cm^2",
            bound="pf_current_density",
        ),
        "steps": Parameter(
            "steps", "dimensionless", 1000.0, description="time steps (fewer at breakthrough)", integer=True,
            minimum=1,
        ),
    },
)

# ----------------------------------------------------------------------------------------- transport

# summary() key -> (output name, SI unit, factor to SI, long name). The summary carries units in its
# key names (some in um); the store wants SI values with units in attrs.
_TRANSPORT_OUTPUTS = {
    "debye_length_m": ("debye_length", "m", 1.0, "Debye length"),
    "eta_anode_V": ("eta_anode", "V", 1.0, "mean deposition overpotential at the Li anode"),
    "eta_sse_V": ("eta_sse", "V", 1.0, "mean deposition overpotential at the SSE face"),
    "eta_max_V": ("eta_max", "V", 1.0, "largest deposition overpotential in the layer"),
    "growth_rate_max_A_m2": ("growth_rate_max", "A/m^2", 1.0, "largest Li growth current density"),
    "growth_tip_to_base_ratio": ("growth_tip_to_base_ratio", "1", 1.0, "growth rate at tip / base (2D)"),
    "nucleation_present": ("nucleation_present", "1", None, "1 if the nucleation rate exceeds the threshold"),
    "nucleation_rate_max_m3_s": ("nucleation_rate_max", "1/(m^3*s)", 1.0, "largest Li nucleation rate"),
    "nucleation_rate_sse_m3_s": ("nucleation_rate_sse", "1/(m^3*s)", 1.0, "Li nucleation rate at the SSE"),
    "nucleation_depth_90_um": ("nucleation_depth_90", "m", 1e-6, "depth holding 90 % of the nucleation"),
    "nucleation_fraction_anode_half": (
        "nucleation_fraction_anode_half",
        "1",
        1.0,
        "nucleation in the anode half",
    ),
    "nucleation_region_fraction": ("nucleation_region_fraction", "1", 1.0, "volume fraction above threshold"),
}


def transport(params: dict[str, Any]) -> dict[str, Any]:
    """One PNP solve (:func:`interlayer.transport.pnp.run`) reduced to its :func:`summary` scalars.

    Outputs are the summary's scalars in SI (``nucleation_depth_90`` in m, not um); quantities that do
    not exist at a point (no nucleation; the tip/base ratio in 1D) are stored as missing.
    """
    from interlayer.transport import pnp
    from interlayer.transport.inputs import TransportInputs

    ds = pnp.run(**TransportInputs(**params).kwargs())
    summary = pnp.summary(ds)
    out: dict[str, Any] = {}
    for key, (name, unit, factor, long_name) in _TRANSPORT_OUTPUTS.items():
        value = summary.get(key)
        if value is not None:
            value = int(bool(value)) if factor is None else float(value) * factor
        out[name] = (value, unit, long_name)
    return out


def _transport_spec() -> ModelSpec:
    from interlayer.transport.inputs import TransportInputs

    return ModelSpec(
        name="transport",
        description="Poisson-Nernst-Planck solve of the layer (transport.pnp.run), summary scalars",
        target="interlayer.sweep.models:transport",
        requires="interlayer.transport.pnp:run,interlayer.transport.pnp:summary",
        parameters=TransportInputs.sweep_parameters(),
    )


TRANSPORT = _transport_spec()


def _virtualcell_spec() -> ModelSpec:
    from interlayer.virtualcell.sweep import VIRTUALCELL

    return VIRTUALCELL


BUILTIN_MODELS: tuple[ModelSpec, ...] = (DESIGN, PHASEFIELD, TOY, TRANSPORT, _virtualcell_spec())
