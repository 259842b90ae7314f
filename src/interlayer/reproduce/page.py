"""The reproduction as a :class:`~interlayer.report.Report` (content only; the template draws it)."""

from __future__ import annotations

import math

from interlayer.report import FigureBlock, Report, Section, Table, Value
from interlayer.reproduce.claims import Claim, counts
from interlayer.reproduce.runs import FIG2_CONDITIONS, FIG2_TIME, PRESETS, Results
from interlayer.units import MA_CM2, MV, PERCENT, UM


def _figure(figures: dict, stem: str) -> FigureBlock:
    f = figures[stem]
    return FigureBlock.from_png(f["png"].read_bytes(), f["title"], f["caption"])


def _ma(value: float) -> Value:
    return Value(value * MA_CM2 if math.isfinite(value) else math.inf, "mA/cm2")


def _fig2_table(results: Results, condition: str) -> Table:
    dim = results.dim_for(condition)
    comparison = results.fig2[(condition, dim)]
    literal = {row["material"]: row for row in results.fig2_literal[(condition, dim)].rows}
    rows = []
    for row in comparison.rows:
        lit = literal[row["material"]]
        rows.append([row["material"], row["paper_pattern"], row["pattern"], "yes" if row["agrees"] else "no",
                     Value(row["eta_anode_V"] * MV, "mV", ".3g"), Value(row["eta_sse_V"] * MV, "mV", ".3g"),
                     Value(row["critical_overpotential_V"] * MV, "mV", ".3g"),
                     Value(row["nucleation_region_fraction"] * PERCENT, "%", ".3g"),
                     Value(row["relaxation_time_s"], "s", ".3g"),
                     lit["pattern"], "yes" if lit["agrees"] else "no",
                     Value(lit["region_fraction"] * PERCENT, "%", ".3g"), Value(lit["normalised_max"], "", ".3g")])
    current, carriers = FIG2_CONDITIONS[condition]
    return Table(["layer", "paper", "physical: pattern", "physical agrees", "eta at anode", "eta at SSE", "eta_c",
                  "physical: region", "tau", "paper-literal: pattern", "literal agrees", "literal: region",
                  "literal: max J/J_max (1)"], rows,
                 title=f"{current * MA_CM2:g} mA/cm2, CNT carriers {carriers:.0e} m^-3, {FIG2_TIME:g} s, "
                       f"{dim}D",
                 note="region: volume fraction of the layer counted as nucleating (physical: J >= J_th; "
                      "paper-literal: J/J_max >= the visible fraction); tau: electron relaxation time.")


def reproduce_page(results: Results, claims: list[Claim], figures: dict, wall_time: float) -> Report:
    c = counts(claims)
    cfg = PRESETS[results.preset]
    summary = (f"{len(claims)} modelling claims of Wang et al. (2024) judged against this code by explicit rules: "
               f"{c['agrees']} agree, {c['partial']} partial, {c['disagrees']} disagree. Verdicts are computed from "
               f"the results of this run; the rule behind each is listed below.")
    claims_table = Table(["id", "figure", "claim", "paper", "ours", "verdict", "command"],
                         [[cl.id, cl.figure, cl.claim, cl.paper, cl.ours, cl.verdict, cl.command] for cl in claims],
                         kind="claims", note="Disagreements are results, reported as they are, not tuned away.")
    lit_lib = results.fig2_literal[("library", results.fig2_dim)]
    window = lit_lib.window.get("all")
    sections = [
        Section("Claims", anchor="claims", tables=[claims_table],
                facts=[("agree", Value(c["agrees"], "claims")), ("partial", Value(c["partial"], "claims")),
                       ("disagree", Value(c["disagrees"], "claims")), ("preset", Value(results.preset)),
                       ("wall time", Value(wall_time, "s", ".3g"))]),
        Section("Fig. 2e-j: nucleation and growth in the three layers (PNP)", anchor="fig2ej", figure_columns=2,
                paragraphs=[
                    "Left, physical (the default of `interlayer transport-paper`): eq. 10 evaluated with the local "
                    "overpotential eta = phi_ion - phi_e that the PNP fields give after 2 s; a node nucleates where "
                    "J >= J_th.",
                    "Right, paper-literal (`--evaluation paper-literal`): the paper's Methods say the overpotential "
                    "in eq. 10 is the applied one, i.e. the same everywhere; the map is then only the prefactor "
                    "c_Li+ c_e, normalised to one maximum shared by the three layers, and a node counts as "
                    f"nucleating where it reaches {lit_lib.visible_fraction:g} of that maximum. "
                    + ("All three of the paper's readings hold for visible fractions "
                       f"{window[0]:.3g}-{window[1]:.3g}." if window else
                       "No visible fraction gives all three of the paper's readings."),
                    "Both maps are classified by the same classifier (interlayer.transport.pnp.fig2."
                    "nucleation_pattern) against the paper's readings: ionic none, mixed near the anode, "
                    "electronic throughout."],
                figures=[_figure(figures, s) for s in ("fig2ej_physical", "fig2ej_paper_literal",
                                                       "fig2ej_physical_low_carrier",
                                                       "fig2ej_paper_literal_low_carrier")],
                tables=[_fig2_table(results, cond) for cond in FIG2_CONDITIONS]),
        Section("Fig. 2k,l: lithiophilic vs lithiophobic host (phase field)", anchor="fig2kl",
                figures=[_figure(figures, "fig2kl")],
                tables=[Table(["host", "contact angle", "penetration depth", "breakthrough", "simulated time",
                               "Li balance error (1)"],
                              [[name, Value(ds.attrs["contact_angle_deg"], "deg", ".3g"),
                                Value(float(ds.penetration_depth.values[-1]) * UM, "um", ".3g"),
                                bool(ds.breakthrough), Value(float(ds.time.values[-1]), "s", ".3g"),
                                Value(float(ds.li_inventory_error), "", ".2g")]
                               for name, ds in results.phasefield.items()],
                              note=f"Particle packing {cfg['pf_grid']} x {cfg['pf_grid']} cells over 16 um, 2 um "
                                   f"particles, seed 4, 50 mV, {cfg['pf_steps']} steps.")]),
        Section("Fig. 4e: nucleation and growth lengths (design criterion)", anchor="fig4e",
                figures=[_figure(figures, "fig4e")],
                tables=[Table(["layer", "thickness", "critical current", "eta_c at the anode"],
                              [[name, Value(float(ds.attrs["thickness_m"]) * UM, "um", ".3g"),
                                _ma(_critical(ds)), Value(float(ds.get("critical_overpotential", math.nan)) * MV,
                                                          "mV", ".3g")]
                               for name, ds in results.design.items()])]),
        Section("Fig. 4f: spike V_sp/i against the nucleation length", anchor="fig4f",
                paragraphs=[results.virtualcell[0].upper() + results.virtualcell[1:] + "."],
                figures=[_figure(figures, "fig4f")]),
        Section("Fig. 5a-c: homogeneous, dual and gradient layers", anchor="fig5ac",
                figures=[_figure(figures, "fig5ac")],
                tables=[Table(["architecture", "critical current"],
                              [[name, _ma(value)] for name, value in results.layers.items()],
                              note="54.5 um, 7 wt% CNT on the Li side and 2 wt% on the SSE side (mean 4.5 wt% for "
                                   "the homogeneous layer), 1 h half cycles.")]),
        Section("Rules behind the verdicts", anchor="rules",
                tables=[Table(["id", "rule"], [[cl.id, cl.rule] for cl in claims])]),
        Section("Run", anchor="run",
                tables=[Table(["step", "wall time"], [[k, Value(v, "s", ".3g")] for k, v in results.timings.items()])]),
    ]
    inputs = [("preset", results.preset),
              ("Fig. 2e-j conditions", "; ".join(f"{k}: {i * MA_CM2:g} mA/cm2, CNT carriers {n:.0e} 1/m^3, {FIG2_TIME:g} s"
                                                 for k, (i, n) in FIG2_CONDITIONS.items())),
              ("Fig. 2e-j 2D mesh", cfg["fig2_resolution"]),
              ("paper-literal visible fraction", f"{lit_lib.visible_fraction:g} of the shared maximum"),
              ("contact angles (Fig. 2 trend)", ", ".join(f"{a:g} deg" for a in cfg["contact_angles_deg"])),
              ("phase field", f"{cfg['pf_grid']} x {cfg['pf_grid']} cells, 16 um, {cfg['pf_steps']} steps, 50 mV"),
              ("design", "90 um, 0.1-4.0 mA/cm2, 1 h half cycles, 25 degC"),
              ("architectures", "54.5 um, 7 / 2 wt% CNT")]
    return Report(title="Wang et al., Nature Energy 9, 251 (2024): modelling figures reproduced",
                  command=f"interlayer reproduce{' --quick' if results.preset == 'quick' else ''}",
                  inputs=inputs, sections=sections, summary=summary)


def _critical(ds) -> float:
    from interlayer.reproduce.runs import critical_current

    return critical_current(ds)
