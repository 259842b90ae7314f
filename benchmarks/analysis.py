"""Benchmark: parse + full analysis of a 10^6-row cycling CSV; interlayer vs navani on real files.

Run:  python benchmarks/analysis.py [--rows 1000000] [--repeat 3]

Prints
1. a 10^6-row galvanostatic record (synthetic, with spikes and a short) written as CSV:
   pandas.read_csv alone (the floor), interlayer.io.read, interlayer.analysis.analyze, total
   (issue 5 target: total <= 3 s), and the ratio total / pandas;
2. for the formats navani reads (BioLogic .mpr, Neware .ndax, Arbin .xlsx in ../shared/data):
   navani.echem.echem_file_loader (read only) against interlayer read + full analysis of the same
   file in the same run, and the ratio (target: ours no slower than navani's read alone).
Times are the best of ``--repeat`` runs (wall clock, perf_counter).
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cycling"


def best_of(fn, repeat: int) -> tuple[float, object]:
    best, out = np.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def big_csv(path: Path, rows: int) -> None:
    from interlayer.analysis.synthetic import symmetric_trace

    per_cycle = 2 * 1800  # 1 s sampling, 30-min half-cycles
    n_cycles = max(1, int(np.ceil(rows / per_cycle)))
    rec = symmetric_trace(n_cycles=n_cycles, half_cycle_time=1800.0, dt=1.0, spike=0.04,
                          short_time=0.8 * n_cycles * 3600.0, seed=1)
    d = rec.data.iloc[:rows]
    out = d[["time", "voltage", "current"]].copy()
    out.columns = ["time/s", "Ewe/V", "I/mA"]
    out["I/mA"] *= 1e3
    out.to_csv(path, index=False, float_format="%.6g")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import pandas as pd

    from interlayer.analysis import analyze
    from interlayer.io import read

    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "big.csv"
        t0 = time.perf_counter()
        big_csv(csv, args.rows)
        print(f"wrote {args.rows} rows ({csv.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
        t_pd, _ = best_of(lambda: pd.read_csv(csv, engine="c"), args.repeat)
        t_read, rec = best_of(lambda: read(csv), args.repeat)
        t_an, res = best_of(lambda: analyze(rec, area=0.503e-4), args.repeat)
        t_all, _ = best_of(lambda: analyze(read(csv), area=0.503e-4), args.repeat)
        print(f"pandas.read_csv alone       {t_pd:7.3f} s")
        print(f"interlayer read             {t_read:7.3f} s")
        print(f"interlayer analyze          {t_an:7.3f} s   ({len(res.half_cycles['half_cycle'])} half-cycles, "
              f"{len(res.shorts)} short(s))")
        print(f"read + analyze (total)      {t_all:7.3f} s   target <= 3 s: {'OK' if t_all <= 3 else 'MISSED'}")
        print(f"ratio total / pandas        {t_all / t_pd:7.2f}")

    try:
        import navani.echem as ec
    except ImportError:
        print("navani not installed: skipping the comparison (pip install navani)")
        return
    files = ["00_test_04_MB_C01.mpr", "yadg_gcpl_Li_Li2B12H12_Li.mpr", "test.ndax",
             "bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx"]
    print(f"\n{'file':55s} {'navani read':>12s} {'ours read+analysis':>19s} {'ratio':>7s}")
    for name in files:
        path = SHARED / name
        if not path.exists():
            print(f"{name:55s} missing")
            continue

        def navani_read(path=path):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return ec.echem_file_loader(str(path))

        def ours(path=path):
            rec = read(path)
            try:
                return analyze(rec, area=1e-4)
            except Exception as exc:  # a record with no current, say: report it, time the read
                return exc

        t_nav, _ = best_of(navani_read, args.repeat)
        t_ours, _ = best_of(ours, args.repeat)
        print(f"{name:55s} {t_nav:10.4f} s {t_ours:17.4f} s {t_ours / t_nav:7.2f}")


if __name__ == "__main__":
    main()
