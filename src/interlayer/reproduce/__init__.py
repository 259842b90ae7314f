"""``interlayer reproduce``: the paper's modelling figures regenerated from the current code, every
claim judged by an explicit rule, one self-contained HTML report.

``reproduce("repro", preset="quick")`` writes the folder ``repro`` and returns a summary whose
``counts`` are the claims per verdict (``agrees``, ``partial``, ``disagrees``); it runs for minutes, so
the example here only lists the presets (``test`` is the one the test suite runs):

>>> from interlayer.reproduce import PRESETS
>>> list(PRESETS)
['test', 'quick', 'full']

Pipeline: :func:`~interlayer.reproduce.runs.compute` (the models, public functions only) ->
:func:`~interlayer.reproduce.claims.evaluate_claims` (verdicts by rule) ->
:mod:`~interlayer.reproduce.figures` (PNG and SVG) -> :func:`build_report` (HTML). The output
folder is written all or nothing (:func:`~interlayer.reproduce.output.staged_folder`).

Files in the output folder: ``report.html``, ``claims.md``, ``claims.json`` and ``figures/*.png``,
``figures/*.svg`` for Fig. 2e-j (physical and paper-literal, at two conditions), Fig. 2k,l, Fig. 4e,
Fig. 4f and Fig. 5a-c.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from interlayer.progress import Part, Progress, as_progress
from interlayer.reproduce.claims import Claim, evaluate_claims, to_json, to_markdown
from interlayer.reproduce.output import check_out, staged_folder
from interlayer.reproduce.paper_literal import VISIBLE_FRACTION, LiteralComparison, paper_literal
from interlayer.reproduce.runs import FIG2_CONDITIONS, FIG2_TIME, PRESETS, Results, compute, stage_count
from interlayer.units import MA_CM2

__all__ = ["PRESETS", "VISIBLE_FRACTION", "Claim", "LiteralComparison", "Results", "build_report", "check_out",
           "compute", "evaluate_claims", "figure_count", "paper_literal", "reproduce", "stage_count", "write_figures"]

FIGURE_FORMATS = ("png", "svg")
#: The panels drawn once (Fig. 2e-j is drawn physical and paper-literal at every Fig. 2 condition).
SINGLE_PANELS = ("fig2kl", "fig4e", "fig4f", "fig5ac")


def _rasterise_meshes(fig) -> None:
    """Keep SVGs small: colour meshes (tripcolor, pcolormesh, images) are embedded as bitmaps in them."""
    from matplotlib.collections import PolyCollection, QuadMesh, TriMesh

    for ax in fig.axes:
        for artist in ax.collections:
            if isinstance(artist, TriMesh | QuadMesh) or (isinstance(artist, PolyCollection) and len(artist.get_paths()) > 200):
                artist.set_rasterized(True)


def figure_specs(results: Results) -> list[tuple[str, Callable, str, str]]:
    """(file stem, figure builder, title, caption) of every panel ``reproduce`` writes."""
    from interlayer.reproduce import figures as F

    specs: list[tuple[str, Callable, str, str]] = []
    for condition, (current, carriers) in FIG2_CONDITIONS.items():
        suffix = "" if condition == "library" else "_low_carrier"
        where = f"{current * MA_CM2:g} mA/cm2, CNT carriers {carriers:.0e} m^-3, {FIG2_TIME:g} s, {results.dim_for(condition)}D"
        specs.append((f"fig2ej_physical{suffix}", lambda r, c=condition: F.fig2ej_physical(r, c),
                      f"Fig. 2e-j physical ({where})", F.PANELS["fig2ej_physical"][2]))
        specs.append((f"fig2ej_paper_literal{suffix}", lambda r, c=condition: F.fig2ej_paper_literal(r, c),
                      f"Fig. 2e-j paper-literal ({where})", F.PANELS["fig2ej_paper_literal"][2]))
    for stem in SINGLE_PANELS:
        fn, title, caption = F.PANELS[stem]
        specs.append((stem, fn, title, caption))
    return specs


def figure_count() -> int:
    """How many panels :func:`write_figures` draws (each as PNG and SVG): ``len(figure_specs(results))``."""
    return 2 * len(FIG2_CONDITIONS) + len(SINGLE_PANELS)


def write_figures(results: Results, folder: Path, progress: Progress | None = None) -> dict[str, dict]:
    """Draw every panel into ``folder`` as PNG and SVG; returns stem -> {"png": path, "svg": path, ...}.

    ``progress`` (:mod:`interlayer.progress`) is told ``start(figure_count(), ...)``, then
    ``describe("figure STEM")`` before each panel and ``advance()`` after it, and ``close()``.
    """
    specs = figure_specs(results)
    report = as_progress(progress)
    report.start(len(specs), "figures")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = {}
        for stem, build, title, caption in specs:
            report.describe(f"figure {stem}")
            fig = build(results)
            _rasterise_meshes(fig)
            paths = {}
            for fmt in FIGURE_FORMATS:
                path = folder / f"{stem}.{fmt}"
                fig.savefig(path, dpi=130 if fmt == "png" else 100)
                paths[fmt] = path
            written[stem] = {**paths, "title": title, "caption": caption}
            report.advance()
        return written
    finally:
        report.close()


def reproduce(out: str | os.PathLike, preset: str = "quick", force: bool = False,
              progress: Progress | None = None, results: Results | None = None) -> dict:
    """Regenerate the figures, judge the claims and write everything into ``out`` (all or nothing).

    Parameters
    ----------
    out : path
        Output folder: absent, empty, or (with ``force``) replaced as a whole at the end.
    preset : {"quick", "full", "test"}
        How fine the runs are (:data:`PRESETS`).
    force : bool
        Replace a non-empty ``out``.
    progress : interlayer.progress.Progress, optional
        Told ``start(total, ...)`` once (``total``: the runs of :func:`compute`, unless ``results``
        are given, + the figures + the report), then ``describe(step)`` before each run, figure and
        the report and ``advance()`` after it, and ``close()``, also on an error
        (:mod:`interlayer.progress`); default: nothing shown.
    results : Results, optional
        Already computed results (of ``preset``) to write instead of running the models again.

    Returns
    -------
    dict
        ``counts`` (verdict -> number of claims), ``claims`` (list of dicts), ``files`` (relative
        paths), ``preset``, ``wall_time_s`` and ``timings_s`` (step -> s).
    """
    check_out(out, force)  # fail before any work
    total = (0 if results is not None else stage_count(preset)) + figure_count() + 1  # + report.html
    report = as_progress(progress)
    start = time.perf_counter()
    report.start(total, f"reproduce ({preset})")
    try:
        if results is None:
            results = compute(preset, progress=Part(report))
        claims = evaluate_claims(results)
        with staged_folder(out, force) as stage:
            figures = write_figures(results, stage / "figures", Part(report))
            wall = time.perf_counter() - start
            files = sorted(str(p.relative_to(stage)) for f in figures.values() for p in (f["png"], f["svg"]))
            files += ["claims.md", "claims.json", "report.html"]
            extra = {"preset": preset, "wall_time_s": round(wall, 3), "timings_s": results.timings, "files": files,
                     "fig2_paper_literal": {f"{c}-{d}D": lit.to_dict() for (c, d), lit in results.fig2_literal.items()}}
            (stage / "claims.md").write_text(to_markdown(claims), encoding="utf-8")
            (stage / "claims.json").write_text(to_json(claims, extra), encoding="utf-8")
            report.describe("report.html")
            from interlayer.report import write_html

            write_html(build_report(results, claims, figures, wall), stage / "report.html")
            report.advance()
    finally:
        report.close()
    import json

    return json.loads(to_json(claims, extra))


def build_report(results: Results, claims: list[Claim], figures: dict[str, dict], wall_time: float):
    """The HTML :class:`~interlayer.report.Report` of a reproduction (figures read from their PNGs)."""
    from interlayer.reproduce.page import reproduce_page

    return reproduce_page(results, claims, figures, wall_time)
