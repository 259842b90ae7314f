"""Built-in sweepable models: declarations here, physics imported lazily inside each callable.

* ``design``, ``transport``, ``phasefield`` (and ``virtualcell``, in :mod:`interlayer.virtualcell.sweep`):
  their parameters are the models' one inputs declaration (:mod:`interlayer.inputs`), the same the
  commands take their options from.
* ``toy``: an analytic function with an optional CPU-bound kernel and sleep. **Not physics**: a helper
  for tests and benchmarks that stands in for a PDE point of a chosen cost.

Each callable takes ``params`` (SI values, only the keys the config or the defaults set) and returns an
``xarray.Dataset`` or a dict of outputs with units (see :func:`interlayer.sweep.runner.normalise_outputs`).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from interlayer.inputs.design import DesignInputs
from interlayer.inputs.phasefield import PhaseFieldInputs
from interlayer.inputs.transport import TransportInputs
from interlayer.sweep.registry import ModelSpec, Parameter

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
    ``flag_meanings``; capacity in C/m^2) and its 0-d results, among them ``max_stable_current`` (A/m^2,
    the layer's largest stable current; inf when every scanned current is stable).
    """
    from interlayer.design import evaluate

    ds = evaluate(**DesignInputs(**params).kwargs())
    # the stable windows vary in number from point to point; a sweep stacks equal shapes
    return ds.drop_vars("stable_windows")


DESIGN = DesignInputs.model_spec(
    "failure physics (or the legacy l_n/l_g criterion) of one layer over a vector of current densities",
    target="interlayer.sweep.models:design",
    requires="interlayer.design",
)

# ---------------------------------------------------------------------------------------- phasefield


def result_scalars(ds, names) -> dict[str, Any]:
    """The 0-d result variables ``names`` of a model's Dataset as sweep outputs ``(value, units, long_name)``.

    A result that does not exist at this point (NaN in the variable, or the variable absent, as the
    models' Datasets have it) goes to the store as missing (``None``), which the store tells apart
    from a NaN returned by mistake (a failed point).
    """
    out: dict[str, Any] = {}
    for name, (units, long_name) in names.items():
        value = ds[name].values.item() if name in ds else None
        missing = value is None or (isinstance(value, float) and value != value)
        out[name] = (None if missing else value, units, long_name)
    return out


def phasefield(params: dict[str, Any]) -> dict[str, Any]:
    """One 2D phase-field run (:func:`interlayer.phasefield.simulate`) reduced to scalar outcomes.

    The microstructure is built from the parameters as ``interlayer phasefield`` builds it
    (:class:`~interlayer.inputs.phasefield.PhaseFieldInputs`: particles, slits or an image).
    Time series are not stored: a run that stops at breakthrough has fewer snapshots than one that
    does not, and a sweep stacks equal shapes; the outcomes at the last snapshot are.
    """
    from interlayer import phasefield as pf
    from interlayer.phasefield.results import RESULTS

    ds = pf.simulate(**PhaseFieldInputs(**params).kwargs())
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
        **result_scalars(ds, {name: RESULTS[name] for name in PHASEFIELD_OUTPUTS}),
        "simulated_time": (float(ds.time.values[-1]), "s", "simulated time at the end of the run"),
        "porosity_actual": (float(ds.attrs["porosity"]), "1", "porosity of the built microstructure"),
    }


#: The phase-field results a sweep stores (0-d variables of :func:`interlayer.phasefield.simulate`).
PHASEFIELD_OUTPUTS = ("li_volume_decreased_under_plating", "li_inventory_error", "breakthrough", "steps_taken")


PHASEFIELD = PhaseFieldInputs.model_spec(
    "2D Allen-Cahn Li growth into a porous host (phasefield.simulate), scalar outcomes",
    target="interlayer.sweep.models:phasefield",
    requires="interlayer.phasefield",
)

# ----------------------------------------------------------------------------------------- transport

def transport(params: dict[str, Any]) -> dict[str, Any]:
    """One PNP solve (:func:`interlayer.transport.pnp.run`) reduced to its scalar results.

    Outputs are the 0-d result variables of the solve, SI (``nucleation_depth_90`` in m); quantities that do
    not exist at a point (no nucleation; the tip/base ratio in 1D) are stored as missing.
    """
    from interlayer.transport import pnp
    from interlayer.transport.pnp.maps import RESULTS

    ds = pnp.run(**TransportInputs(**params).kwargs())
    return result_scalars(ds, {name: RESULTS[name][:2] for name in SWEEP_OUTPUTS})


#: The transport results a sweep stores (the first-nucleation time only exists for such runs).
SWEEP_OUTPUTS = ("debye_length", "eta_anode", "eta_sse", "eta_max", "growth_rate_max", "growth_tip_to_base_ratio",
                 "nucleation_present", "nucleation_rate_max", "nucleation_rate_sse", "nucleation_depth_90",
                 "nucleation_fraction_anode_half", "nucleation_region_fraction")


TRANSPORT = TransportInputs.model_spec(
    "Poisson-Nernst-Planck solve of the layer (transport.pnp.run), summary scalars",
    target="interlayer.sweep.models:transport",
    requires="interlayer.transport.pnp:run,interlayer.transport.pnp:summary",
)


def _virtualcell_spec() -> ModelSpec:
    from interlayer.virtualcell.sweep import VIRTUALCELL

    return VIRTUALCELL


BUILTIN_MODELS: tuple[ModelSpec, ...] = (DESIGN, PHASEFIELD, TOY, TRANSPORT, _virtualcell_spec())
