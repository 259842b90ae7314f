"""``--report FILE.html`` of the commands: one function per command, each building a
:class:`~interlayer.report.Report` from the command's results and writing it.

The inputs recorded in a report are the command's options as given (unit strings and all), read from
the running CLI command; called from Python, pass ``inputs=`` instead. Numbers carry the unit named by
their key (``l_n_um`` -> um, ``eta_anode_V`` -> V, see :func:`unit_of`) or by their ``units`` attribute.
"""

from __future__ import annotations

import math
import shlex
from pathlib import Path

import numpy as np

from interlayer.report.model import FigureBlock, Report, Section, Table, Value
from interlayer.report.render import write_html
from interlayer.units import DEG, MA_CM2, MAH_CM2, MV, OHM_CM2, PERCENT, S_CM, UM

#: Key suffixes -> display unit (longest first wins).
_SUFFIX_UNITS = (
    ("_m2_V_s", "m^2/(V s)"), ("_m3_s", "1/(m^3 s)"), ("_mAh_cm2", "mAh/cm2"), ("_mA_cm2", "mA/cm2"),
    ("_A_m2", "A/m^2"), ("_ohm_cm2", "ohm cm2"), ("_ohm_m2", "ohm m^2"), ("_S_cm", "S/cm"), ("_S_m", "S/m"),
    ("_C_m2", "C/m^2"), ("_J_m", "J/m"), ("_J_m3", "J/m^3"), ("_m3", "1/m^3"), ("_um", "um"), ("_mV", "mV"),
    ("_MPa", "MPa"), ("_Pa", "Pa"), ("_deg", "deg"), ("_rad", "rad"), ("_K", "K"), ("_V", "V"), ("_s", "s"),
    ("_m", "m"),
)


def unit_of(key: str) -> str:
    """Display unit of a result key from its suffix, e.g. ``'nucleation_rate_max_m3_s'`` -> ``'1/(m^3 s)'``.

    >>> unit_of("eta_anode_V"), unit_of("l_i_um"), unit_of("porosity")
    ('V', 'um', '')
    """
    for suffix, unit in _SUFFIX_UNITS:
        if key.endswith(suffix):
            return unit
    return ""


def _label(key: str) -> str:
    unit = unit_of(key)
    for suffix, u in _SUFFIX_UNITS:
        if u == unit and key.endswith(suffix):
            return key[: -len(suffix)].replace("_", " ")
    return key.replace("_", " ")


def facts_from(mapping: dict, skip: tuple[str, ...] = ()) -> list[tuple[str, Value]]:
    """(label, Value) for every scalar entry of a result dict, unit from the key."""
    out = []
    for key, value in mapping.items():
        if key in skip or isinstance(value, dict | list | tuple):
            continue
        if isinstance(value, np.generic):
            value = value.item()
        out.append((_label(key), Value(value, unit_of(key))))
    return out


def cli_inputs() -> tuple[str, list[tuple[str, str]]]:
    """The running command, rebuilt from its parsed options, and its inputs as given (``("", [])``
    outside the CLI). Options left at their defaults are recorded as ``"(default)"`` or their value."""
    import importlib

    ctx = None
    for module in ("typer._click.globals", "click.globals"):  # Typer >= 0.26 vendors Click
        try:
            ctx = importlib.import_module(module).get_current_context(silent=True)
        except (ImportError, AttributeError):
            continue
        if ctx is not None:
            break
    if ctx is None:
        return "", []
    words = ["interlayer", ctx.info_name or ""]
    inputs = []
    for param in ctx.command.params:
        value = ctx.params.get(param.name)
        opt = max(getattr(param, "opts", [param.name]), key=len)
        if param.name not in ("as_json", "report", "plot", "out"):
            inputs.append((opt.lstrip("-"), "(default)" if value is None else str(value)))
        if value is None or value == param.default or value is False:
            continue
        if getattr(param, "is_flag", False):
            words.append(opt)
        elif getattr(param, "param_type_name", "") == "argument":
            words.append(shlex.quote(str(value)))
        else:
            words += [opt, shlex.quote(str(value))]
    return " ".join(w for w in words if w), inputs


def _write(report: Report, path: str | Path, inputs: list[tuple[str, str]] | None) -> Path:
    command, given = cli_inputs()
    report.command = report.command or command
    report.inputs = list(inputs) if inputs is not None else given
    return write_html(report, path)


#: SI unit -> (factor, display unit) for numbers people read in lab units.
DISPLAY = {"m": (UM, "um"), "rad": (DEG, "deg"), "S/m": (S_CM, "S/cm"), "ohm m^2": (OHM_CM2, "ohm cm2"),
           "C/m^2": (MAH_CM2, "mAh/cm2"), "A/m^2": (MA_CM2, "mA/cm2")}


def display_value(key: str, value) -> Value:
    """A value under an SI key in its display unit (m -> um, rad -> deg, S/m -> S/cm, ...)."""
    unit = unit_of(key)
    if unit in DISPLAY and isinstance(value, int | float | np.floating) and not isinstance(value, bool):
        factor, unit = DISPLAY[unit]
        value = float(value) * factor
    return Value(value.item() if isinstance(value, np.generic) else value, unit)


def _dataset_inputs(ds, keys) -> list[tuple[str, Value]]:
    return [(_label(k), display_value(k, ds.attrs[k])) for k in keys if k in ds.attrs]


# ------------------------------------------------------------------------------------------------ design
def design_report(path, ds, inputs=None) -> Path:
    """Report of :func:`interlayer.design.evaluate`: lengths, regimes, critical current, every per-current variable."""
    from interlayer.plotting.design import lengths_vs_current
    from interlayer.reproduce.runs import critical_current, failure_labels

    i_c = critical_current(ds)
    labels = failure_labels(ds)
    per_current = [name for name, var in ds.data_vars.items()
                   if var.dims == ("current_density",) and np.issubdtype(var.dtype, np.number)
                   and name not in ("regime", "failure_mode")]
    scale = {"m": (UM, "um"), "C/m^2": (MAH_CM2, "mAh/cm2"), "V": (MV, "mV"), "A/m^2": (MA_CM2, "mA/cm2")}
    columns = ["current density (mA/cm2)"]
    for name in per_current:
        unit = ds[name].attrs.get("units", "")
        columns.append(f"{name} ({scale.get(unit, (1, unit))[1] or '1'})")
    columns.append("verdict at this current")
    rows = []
    for k, i in enumerate(ds.current_density.values):
        row: list[Value | str] = [Value(float(i) * MA_CM2, "", ".4g")]
        for name in per_current:
            factor = scale.get(ds[name].attrs.get("units", ""), (1, ""))[0]
            row.append(Value(float(ds[name].values[k]) * factor, "", ".4g"))
        row.append(labels[k])
        rows.append(row)
    counts = {label: labels.count(label) for label in dict.fromkeys(labels)}
    limit = "none (every current scanned is stable)" if not math.isfinite(i_c) else f"{i_c * MA_CM2:.4g} mA/cm2"
    facts = [("critical current", Value(i_c * MA_CM2 if math.isfinite(i_c) else math.inf, "mA/cm2"))]
    if "critical_overpotential" in ds:
        facts.append((_label("critical_overpotential_V"),
                      display_value("critical_overpotential_V", float(ds.critical_overpotential))))
    facts += _dataset_inputs(ds, ("spike_coefficient_S_m", "thickness_m", "porosity",
                                  "contact_angle_rad", "sigma_ion_S_m", "sigma_e_S_m", "interface_resistance_ohm_m2",
                                  "electron_density_m3", "temperature_K", "half_cycle_time_s", "capacity_C_m2"))
    report = Report(
        title=f"Interlayer design: {ds.attrs.get('layers', ds.attrs.get('material', ''))}",
        summary=(f"Critical current {limit}. Verdicts over the {len(labels)} currents: "
                 + ", ".join(f"{v} {k}" for k, v in counts.items()) + f". Model: {ds.attrs.get('model', '')}."),
        sections=[Section("Nucleation and growth lengths", figures=[FigureBlock.from_figure(
                      lengths_vs_current(ds), "l_n and l_g against current", "Regimes shaded; dashed: thickness.")],
                          facts=facts),
                  Section("Per current", tables=[Table(columns, rows)])])
    return _write(report, path, inputs)


# ------------------------------------------------------------------------------------------------ layers
def layers_report(path, result: dict, thickness: float, anode_cnt: float, sse_cnt: float, rule_text: str = "",
                  inputs=None) -> Path:
    """Report of :func:`interlayer.design.layered.compare_architectures` (critical currents in A/m^2)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 3.6), layout="constrained")
    ax = fig.add_subplot()
    names = list(result)
    values = [result[n] * MA_CM2 if math.isfinite(result[n]) else np.nan for n in names]
    ax.barh(names, values, color="#2166ac")
    ax.invert_yaxis()
    ax.set_xlabel("critical current (mA cm$^{-2}$)")
    rows = [[n, Value(result[n] * MA_CM2 if math.isfinite(result[n]) else math.inf, "mA/cm2")] for n in names]
    report = Report(
        title=f"Interlayer architectures at {thickness * UM:.4g} um",
        summary=f"Largest stable current of homogeneous, dual and gradient LNI-CNT layers ({anode_cnt:g} -> "
                f"{sse_cnt:g} CNT mass fraction from the Li side to the SSE side) and of LNI-25% Mg.",
        sections=[Section("Critical currents", figures=[FigureBlock.from_figure(fig, "critical current per architecture")],
                          tables=[Table(["architecture", "critical current"], rows)],
                          paragraphs=[f"Composition rule: {rule_text}"] if rule_text else [])])
    return _write(report, path, inputs)


# ------------------------------------------------------------------------------------------------ transport
def transport_report(path, ds, inputs=None) -> Path:
    """Report of :func:`interlayer.transport.pnp.run`: the summary scalars and the profiles or maps."""
    from interlayer.plotting.transport import pnp_figure
    from interlayer.transport import pnp

    s = pnp.summary(ds)
    report = Report(
        title=f"PNP transport: {s.get('material', '')}, {s.get('dim', '')}D",
        summary=(f"Nucleation {'present' if s.get('nucleation_present') else 'absent'} "
                 f"(max rate {Value(s.get('nucleation_rate_max_m3_s'), '1/(m^3 s)', '.3g')} vs threshold "
                 f"{Value(s.get('nucleation_threshold_m3_s'), '1/(m^3 s)', '.3g')})."),
        sections=[Section("Fields", figures=[FigureBlock.from_figure(pnp_figure(ds), "overpotential and nucleation")]),
                  Section("Summary", facts=facts_from(s))])
    return _write(report, path, inputs)


def _comparison_table(comparison) -> Table:
    rows = [[r["material"], r["paper_pattern"], r["pattern"], "yes" if r["agrees"] else "no",
             Value(r["eta_anode_V"] * MV, "mV", ".3g"), Value(r["eta_sse_V"] * MV, "mV", ".3g"),
             Value(r["critical_overpotential_V"] * MV, "mV", ".3g"),
             Value(r["nucleation_region_fraction"] * PERCENT, "%", ".3g"),
             Value(r["nucleation_depth_90_um"], "um", ".3g"), Value(r["relaxation_time_s"], "s", ".3g")]
            for r in comparison.rows]
    return Table(["layer", "paper", "ours", "agrees", "eta anode", "eta SSE", "eta_c", "region", "90% depth", "tau"],
                 rows, title="Physical evaluation (local overpotential)")


def transport_paper_report(path, comparison, literal=None, inputs=None) -> Path:
    """Report of :func:`interlayer.transport.pnp.fig2.compare_with_paper`, with the paper-literal
    evaluation (:func:`interlayer.reproduce.paper_literal.paper_literal`) beside it when given."""
    from interlayer.plotting.transport import paper_comparison_figure

    figures = [FigureBlock.from_figure(paper_comparison_figure(comparison), "Physical evaluation",
                                       "Eq. 10 with the local overpotential eta = phi_ion - phi_e.")]
    tables = [_comparison_table(comparison)]
    paragraphs = []
    if literal is not None:
        from interlayer.reproduce.figures import literal_figure
        from interlayer.reproduce.paper_literal import MEANING

        figures.append(FigureBlock.from_figure(literal_figure(comparison, literal), "Paper-literal evaluation",
                                               "Eq. 10 with the applied (uniform) overpotential."))
        tables.append(Table(["layer", "paper", "ours", "agrees", "region", "max J/J_max (1)", "at anode (1)", "at SSE (1)"],
                            [[r["material"], r["paper_pattern"], r["pattern"], "yes" if r["agrees"] else "no",
                              Value(r["region_fraction"] * PERCENT, "%", ".3g"), Value(r["normalised_max"], "", ".3g"),
                              Value(r["normalised_anode"], "", ".3g"), Value(r["normalised_sse"], "", ".3g")]
                             for r in literal.rows], title="Paper-literal evaluation (uniform overpotential)"))
        window = literal.window.get("all")
        paragraphs.append(f"Paper-literal: {MEANING} ({literal.visible_fraction:g}). All three readings hold for "
                          + (f"visible fractions {window[0]:.3g}-{window[1]:.3g}." if window else "no visible fraction."))
    c = comparison.conditions
    agree = f"physical {comparison.agreements}/{len(comparison.rows)}"
    if literal is not None:
        agree += f", paper-literal {literal.agreements}/{len(literal.rows)}"
    report = Report(
        title="Paper Fig. 2e-j: the three interlayer classes vs the paper's reading",
        summary=(f"{c['current_density_A_m2'] * MA_CM2:g} mA/cm2, "
                 + ("steady state" if c["time_s"] is None else f"{c['time_s']:g} s")
                 + f", {c['dim']}D, CNT carrier density {c['cnt_carrier_density_m3']:.3g} 1/m^3: {agree} layers "
                   "show the paper's pattern."),
        sections=[Section("Maps", figures=figures, figure_columns=2 if literal is not None else 1,
                          paragraphs=paragraphs, tables=tables)])
    return _write(report, path, inputs)


# ------------------------------------------------------------------------------------------------ phasefield
def phasefield_report(path, ds, summary: dict, definitions: dict | None = None, inputs=None) -> Path:
    """Report of :func:`interlayer.phasefield.simulate` with the CLI's summary dict."""
    from interlayer.plotting.phasefield import frame, penetration_and_inventory

    defs = definitions or summary.get("definitions") or {}
    rows = [[_label(k), Value(v.item() if isinstance(v, np.generic) else v, unit_of(k)), defs.get(k, "")]
            for k, v in summary.items() if not isinstance(v, dict | list)]
    warnings = summary.get("warnings") or []
    report = Report(
        title=f"Phase field: {summary.get('microstructure', '')}, contact angle "
              f"{Value(summary.get('contact_angle_deg'), 'deg', '.3g')}",
        summary=(f"Penetration {Value(summary.get('penetration_depth_um'), 'um', '.3g')} after "
                 f"{Value(summary.get('time_s'), 's', '.3g')} ({summary.get('stop_reason', '')})."
                 + (" Warnings: " + " | ".join(warnings) if warnings else "")),
        sections=[Section("Li in the host", figure_columns=2,
                          figures=[FigureBlock.from_figure(frame(ds, 0), "first stored frame"),
                                   FigureBlock.from_figure(frame(ds, -1), "last stored frame")]),
                  Section("Penetration and Li balance",
                          figures=[FigureBlock.from_figure(penetration_and_inventory(ds), "against time")]),
                  Section("Summary", tables=[Table(["quantity", "value", "meaning"], rows)])])
    return _write(report, path, inputs)


