"""Sweeps: run any registered model over a grid or a list of points, resumably, locally or on Dask.

>>> from interlayer.sweep import run_sweep, model_names
>>> "toy" in model_names()
True

* :func:`run_sweep` (``interlayer sweep CONFIG.toml``): plan, store, executor, progress;
* :func:`load_config`: the TOML format (``docs/sweep.md``), validated into a :class:`SweepPlan`;
* :func:`register_model` / :class:`ModelSpec` / :class:`Parameter`: the model registry;
* :class:`LocalExecutor` (process pool, default), :class:`DaskExecutor` (``dask.distributed``),
  :class:`SerialExecutor`: one :class:`Executor` interface;
* :func:`open_sweep`: the store as an ``xarray.Dataset``.
"""

from interlayer.sweep.config import SweepPlan, load_config, plan_from_dict
from interlayer.sweep.executors import DaskExecutor, Executor, LocalExecutor, SerialExecutor, make_executor
from interlayer.sweep.registry import (
    ModelSpec,
    Parameter,
    get_model,
    model_names,
    register_model,
    unregister_model,
)
from interlayer.sweep.runner import SweepSummary, run_sweep
from interlayer.sweep.store import DONE, FAILED, PENDING, StoreLock, SweepStore, open_sweep

__all__ = [
    "DONE",
    "FAILED",
    "PENDING",
    "DaskExecutor",
    "Executor",
    "LocalExecutor",
    "ModelSpec",
    "Parameter",
    "SerialExecutor",
    "SweepPlan",
    "StoreLock",
    "SweepStore",
    "SweepSummary",
    "get_model",
    "load_config",
    "make_executor",
    "model_names",
    "open_sweep",
    "plan_from_dict",
    "register_model",
    "run_sweep",
    "unregister_model",
]
