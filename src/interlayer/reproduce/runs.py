"""Run every model behind the paper's modelling figures, through public functions only.

:func:`compute` returns a :class:`Results` holding the datasets each figure and claim needs. Nothing
here judges: :mod:`interlayer.reproduce.claims` turns the results into verdicts by explicit rules.
Every model output is read by name (variables, attributes); new variables or attributes are ignored,
so the results follow the physics when it changes.

Presets (``preset=``): ``"quick"`` (``interlayer reproduce --quick``), ``"full"`` (finer 2D mesh and
the resolved-interface phase field), ``"test"`` (coarse 2D mesh, for the test suite).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from interlayer.errors import InputError
from interlayer.progress import Progress, StagedProgress, as_progress
from interlayer.units import MAH_CM2, UM

#: What each preset runs. Fig. 2 conditions: the library's (1 mA/cm2, CNT carriers 1e26 m^-3) and the
#: low end of the carrier-density range at 2 mA/cm2 (docs/pnp.md), 2 s, 120 deg.
PRESETS: dict[str, dict] = {
    "test": {"fig2_dims": {"library": (1, 2), "low-carrier": (1,)}, "fig2_resolution": "coarse", "contact_angles_deg": (30, 60, 90, 120),
             "pf_grid": 64, "pf_steps": 2000, "pf_resolved": False},
    "quick": {"fig2_dims": {"library": (1, 2), "low-carrier": (1, 2)}, "fig2_resolution": "normal", "contact_angles_deg": (30, 60, 90, 120, 150),
              "pf_grid": 64, "pf_steps": 2000, "pf_resolved": False},
    "full": {"fig2_dims": {"library": (1, 2), "low-carrier": (1, 2)}, "fig2_resolution": "fine", "contact_angles_deg": (0, 30, 60, 90, 120, 150, 180),
             "pf_grid": 64, "pf_steps": 2000, "pf_resolved": True},
}

#: The two Fig. 2 conditions: name -> (current density A/m^2, CNT carrier density 1/m^3).
FIG2_CONDITIONS = {"library": (10.0, 1e26), "low-carrier": (20.0, 1e25)}
FIG2_TIME = 2.0  # s, the paper's
CNT_LAYERS = ("lni-0p5cnt", "lni-5cnt", "lni-50cnt")
#: Paper Fig. 2k,l set-up (docs/phasefield.md): 16 um box, 2 um particles, porosity target 0.5, seed 4, 50 mV.
PF_BOX = 16e-6
PF_PARTICLE = 2e-6
PF_POROSITY = 0.5
PF_SEED = 4
PF_OVERPOTENTIAL = 0.05
PF_ANGLES_DEG = {"lithiophilic": 30.0, "lithiophobic": 120.0}
#: Design: the paper's 90 um layers, 1 h half cycles, 0.1-4.0 mA/cm^2.
DESIGN_THICKNESS = 90e-6
THICKNESSES = (30e-6, 54.5e-6, 90e-6)
#: Fig. 5: equal total thickness and mean composition (the `interlayer layers` defaults).
LAYERS_THICKNESS = 54.5e-6
LAYERS_FRACTIONS = (0.07, 0.02)


def critical_current(ds: xr.Dataset) -> float:
    """The design's critical current, A/m^2: a ``critical_current`` result if the model reports one
    (the virtual cell does), else its ``max_stable_current`` result (every current below it stable)."""
    if "critical_current" in ds:
        return float(ds.critical_current)
    if "max_stable_current" in ds:
        return float(ds.max_stable_current)
    raise KeyError("the design dataset reports neither max_stable_current nor critical_current")


def failure_labels(ds: xr.Dataset) -> list[str]:
    """Per-current verdict labels: a ``failure_mode`` variable when the model has one, else the regime."""
    for name in ("failure_mode", "regime"):
        if name in ds:
            var = ds[name]
            values = np.atleast_1d(var.values)
            meanings = var.attrs.get("flag_meanings")
            if meanings is not None and np.issubdtype(values.dtype, np.integer):
                labels = str(meanings).split()
                return [labels[int(v)] for v in values]
            return [v.decode() if isinstance(v, bytes) else str(v) for v in values]
    raise KeyError("the design dataset has neither a failure_mode nor a regime variable")


@dataclass
class Results:
    """Everything the figures and claims read (datasets keyed by what they are)."""

    preset: str
    fig2: dict = field(default_factory=dict)          # (condition, dim) -> PaperComparison
    fig2_literal: dict = field(default_factory=dict)  # (condition, dim) -> LiteralComparison
    contact_angle: dict = field(default_factory=dict)  # deg -> pnp summary (1D, lni-5cnt)
    phasefield: dict = field(default_factory=dict)    # "lithiophilic"/"lithiophobic"[/"...-resolved"] -> Dataset
    phasefield_particle: float = PF_PARTICLE
    design: dict = field(default_factory=dict)        # material -> evaluate() Dataset (90 um, 0.1-4 mA/cm2)
    design_fine: xr.Dataset | None = None             # lni-5cnt on a fine current grid (onset)
    design_4mah: xr.Dataset | None = None             # lni-5cnt at 4 mA/cm2, 4 mAh/cm2
    failure_probe: dict = field(default_factory=dict)  # material -> (current A/m^2, label) just above the CCD
    thickness: dict = field(default_factory=dict)     # thickness m -> critical current A/m^2
    layers: dict = field(default_factory=dict)        # architecture -> critical current A/m^2
    layers_designs: dict = field(default_factory=dict)  # architecture -> evaluate() Dataset (or an error text)
    virtualcell: str = ""                             # why Fig. 4f waits, or what was used
    virtual_spikes: dict = field(default_factory=dict)  # i (A/m^2), V_sp read by analyze (V), model l_n (m)
    timings: dict = field(default_factory=dict)       # step -> wall time, s

    @property
    def fig2_dim(self) -> int:
        """The dimension the library-settings Fig. 2 claims are judged in (2D when it ran)."""
        return self.dim_for("library")

    def dim_for(self, condition: str) -> int:
        """The highest dimension Fig. 2 ran in at ``condition``."""
        return max(dim for cond, dim in self.fig2 if cond == condition)


def _timed(results: Results, name: str, fn: Callable, progress: StagedProgress):
    progress.describe(name)
    start = time.perf_counter()
    value = fn()
    results.timings[name] = round(time.perf_counter() - start, 3)
    progress.advance()
    return value


def _has_virtualcell() -> bool:
    import importlib.util

    return importlib.util.find_spec("interlayer.virtualcell") is not None


def stage_count(preset: str = "quick") -> int:
    """How many timed runs :func:`compute` makes at ``preset`` (the total it reports to its progress;
    one entry each in ``Results.timings``)."""
    if preset not in PRESETS:
        raise InputError("preset", f"unknown {preset!r}; allowed: {', '.join(PRESETS)}")
    cfg = PRESETS[preset]
    fig2 = sum(len(dims) for dims in cfg["fig2_dims"].values()) + len(cfg["contact_angles_deg"])
    phasefield = len(PF_ANGLES_DEG) * (2 if cfg["pf_resolved"] else 1)
    design = len(CNT_LAYERS) + 2 + len(THICKNESSES)  # + the onset scan and the 4 mAh/cm2 run
    return fig2 + phasefield + design + 1 + int(_has_virtualcell())  # + Fig. 5a-c (+ Fig. 4f)


def compute(preset: str = "quick", progress: Progress | None = None) -> Results:
    """Run the models behind Fig. 2e-l, 4e,f and 5a-c.

    Parameters
    ----------
    preset : {"quick", "full", "test"}
        How fine (see :data:`PRESETS`).
    progress : interlayer.progress.Progress, optional
        Told ``start(stage_count(preset), ...)``, then ``describe(name)`` before each run and
        ``advance()`` after it, and ``close()`` (:mod:`interlayer.progress`); default: nothing shown.
    """
    total = stage_count(preset)  # InputError for an unknown preset, before any work
    report = as_progress(progress)
    report.start(total, f"reproduce ({preset})")
    try:
        cfg = PRESETS[preset]
        res = Results(preset=preset)
        _fig2(res, cfg, report)
        _phasefield(res, cfg, report)
        _design(res, report)
        _layers(res, report)
        res.virtualcell = _virtualcell_status()
        _virtual_spikes(res, report)
        return res
    finally:
        report.close()


def _fig2(res: Results, cfg: dict, progress) -> None:
    from interlayer.reproduce.paper_literal import paper_literal
    from interlayer.transport import pnp
    from interlayer.transport.pnp.fig2 import compare_with_paper

    for condition, (current, carriers) in FIG2_CONDITIONS.items():
        for dim in cfg["fig2_dims"][condition]:
            resolution = "normal" if dim == 1 else cfg["fig2_resolution"]
            comparison = _timed(
                res, f"Fig. 2e-j {dim}D, {condition}",
                lambda c=current, n=carriers, d=dim, r=resolution: compare_with_paper(
                    dim=d, current_density=c, time=FIG2_TIME, cnt_carrier_density=n, resolution=r),
                progress)
            res.fig2[(condition, dim)] = comparison
            res.fig2_literal[(condition, dim)] = paper_literal(comparison.datasets)
    for deg in cfg["contact_angles_deg"]:
        ds = _timed(res, f"Fig. 2 contact angle {deg} deg",
                    lambda d=deg: pnp.run("lni-5cnt", dim=1, current_density=FIG2_CONDITIONS["library"][0],
                                          contact_angle=math.radians(d), time=FIG2_TIME), progress)
        res.contact_angle[float(deg)] = pnp.summary(ds)


def _phasefield(res: Results, cfg: dict, progress) -> None:
    from interlayer import phasefield as pf

    n = cfg["pf_grid"]
    ms = pf.packed_particles(n, n, PF_BOX / n, diameter=PF_PARTICLE, porosity=PF_POROSITY, seed=PF_SEED)
    res.phasefield_particle = float(ms.info.get("particle_diameter", PF_PARTICLE))
    for name, deg in PF_ANGLES_DEG.items():
        res.phasefield[name] = _timed(
            res, f"Fig. 2k,l {name} ({deg:g} deg)",
            lambda d=deg: pf.simulate(ms, math.radians(d), overpotential=PF_OVERPOTENTIAL, steps=cfg["pf_steps"],
                                      storage_every=max(cfg["pf_steps"] // 10, 1)), progress)
    if cfg["pf_resolved"]:  # the same physical interface width on a grid twice as fine (l = 2 dx)
        fine = pf.packed_particles(2 * n, 2 * n, PF_BOX / (2 * n), diameter=PF_PARTICLE, porosity=PF_POROSITY,
                                   seed=PF_SEED)
        params = pf.PhaseFieldParameters(interface_width=PF_BOX / n)
        for name, deg in PF_ANGLES_DEG.items():
            res.phasefield[f"{name}-resolved"] = _timed(
                res, f"Fig. 2k,l {name}, resolved interface",
                lambda d=deg: pf.simulate(fine, math.radians(d), overpotential=PF_OVERPOTENTIAL,
                                          steps=int(1.3 * cfg["pf_steps"]), params=params,
                                          storage_every=max(cfg["pf_steps"] // 10, 1)), progress)


def _design(res: Results, progress) -> None:
    from interlayer.design import evaluate

    for name in CNT_LAYERS:
        res.design[name] = _timed(res, f"Fig. 4e design {name}",
                                  lambda m=name: evaluate(m, thickness=DESIGN_THICKNESS), progress)
    res.design_fine = _timed(res, "Fig. 4e onset scan",
                             lambda: evaluate("lni-5cnt", thickness=DESIGN_THICKNESS,
                                              current_density=np.round(np.arange(0.1, 40.0 + 1e-9, 0.1), 10)),
                             progress)
    res.design_4mah = _timed(res, "4 mA/cm2, 4 mAh/cm2",
                             lambda: evaluate("lni-5cnt", thickness=DESIGN_THICKNESS, current_density=[40.0],
                                              capacity=4.0 / MAH_CM2), progress)
    for name, ds in res.design.items():
        i_c = critical_current(ds)
        if math.isfinite(i_c):
            probe = max(i_c * 1.02, 1e-3)
            label = failure_labels(evaluate(name, thickness=DESIGN_THICKNESS, current_density=[probe]))[0]
            res.failure_probe[name] = (probe, label)
        else:
            res.failure_probe[name] = (math.inf, "none")
    for t in THICKNESSES:
        res.thickness[t] = _timed(res, f"thickness {t * UM:g} um",
                                  lambda t=t: critical_current(evaluate("lni-5cnt", thickness=t)), progress)


def _layers(res: Results, progress) -> None:
    from interlayer.design import evaluate, layered

    anode, sse = LAYERS_FRACTIONS
    res.layers = _timed(res, "Fig. 5a-c architectures",
                        lambda: layered.compare_architectures(LAYERS_THICKNESS, anode, sse), progress)
    builders = {"homogeneous": lambda: layered.homogeneous(0.5 * (anode + sse), LAYERS_THICKNESS),
                "dual": lambda: layered.dual(anode, sse, LAYERS_THICKNESS),
                "gradient": lambda: layered.gradient(anode, sse, LAYERS_THICKNESS)}
    for name, build in builders.items():
        try:
            res.layers_designs[name] = evaluate(interlayer=build())
        except (TypeError, AttributeError, ValueError) as exc:  # the design API is being rewritten: say so
            res.layers_designs[name] = f"{type(exc).__name__}: {exc}"


def _virtualcell_status() -> str:
    if not _has_virtualcell():
        return ("waiting for a virtual cell (interlayer.virtualcell, issue 12): the paper's V_sp are spike "
                "heights measured on voltage traces, which only a simulated cycling trace can give")
    return ("V_sp read by `interlayer analyze` from the virtual cell's trace (the paper's activation and step "
            "test, 90 um LNI-5% CNT); l_n is the model's")


def _virtual_spikes(res: Results, progress) -> None:
    """Fig. 4f from a simulated trace: run the virtual cell, read its CSV back with analyze."""
    import tempfile
    from pathlib import Path

    if not _has_virtualcell():
        return

    def run():
        from interlayer.analysis import analyze
        from interlayer.cell import Cell, Interlayer, Layer
        from interlayer.io import read
        from interlayer.virtualcell import paper_step_test, simulate, write_csv

        cell = Cell(Interlayer((Layer.from_material("lni-5cnt", DESIGN_THICKNESS),), 0.0))
        ds = simulate(cell, paper_step_test())
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "virtual.csv"
            write_csv(ds, path)
            hc = analyze(read(path), area=cell.electrode_area).half_cycles
        step = np.arange(ds.spike_current.size) >= 40  # after the 20 activation cycles
        res.virtual_spikes = {"current": ds.spike_current.values[step], "spike": hc.spike_V.values[step],
                              "l_n": ds.nucleation_length.values[step]}

    _timed(res, "Fig. 4f (virtual cell)", run, progress)
