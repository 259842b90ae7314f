"""Fuzzing every reader with damaged real files (issue 16): bit flips, truncation, inserted bytes.

Every case either reads (and then passes the plausibility checks: finite values, time not going
back, values inside instrument ranges) or raises InputError; nothing else may escape. A few hundred
cases in the default suite, 10^4 in the slow one.
"""

import warnings
from pathlib import Path

import numpy as np
import pytest

from interlayer.errors import InputError
from interlayer.io import read
from interlayer.io._record import check_plausible

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
LOCAL = Path(__file__).resolve().parents[1] / "data" / "biologic"
FILES = [
    SHARED / "cycling/yadg_gcpl_Li_Li2B12H12_Li.mpr",
    SHARED / "cycling/00_test_04_MB_C01.mpr",
    SHARED / "cycling/test.nda",
    SHARED / "cycling/test.ndax",
    SHARED / "cycling/bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx",
    SHARED / "eis/exampleDataGamry.DTA",
    SHARED / "eis/exampleDataZPlot.z",
    SHARED / "eis/exampleDataBioLogic.mpt",
    SHARED / "eis/exampleData.csv",
    LOCAL / "mb.mpr",
    LOCAL / "mb.issue_149.mpr",
]


def mutate(raw: bytes, rng: np.random.Generator) -> bytes:
    """One damage: flip 1-20 bits, truncate, insert 1-64 random bytes, or overwrite a run."""
    data = bytearray(raw)
    kind = rng.integers(4)
    if kind == 0:
        for pos in rng.integers(0, len(data), size=rng.integers(1, 21)):
            data[pos] ^= 1 << int(rng.integers(8))
    elif kind == 1:
        data = data[: int(rng.integers(0, len(data)))]
    elif kind == 2:
        pos = int(rng.integers(0, len(data) + 1))
        data[pos:pos] = rng.integers(0, 256, size=int(rng.integers(1, 65)), dtype=np.uint8).tobytes()
    else:
        pos = int(rng.integers(0, len(data)))
        n = int(rng.integers(1, 200))
        data[pos: pos + n] = rng.integers(0, 256, size=len(data[pos: pos + n]), dtype=np.uint8).tobytes()
    return bytes(data)


def _one(path: Path, raw: bytes, rng, tmp: Path) -> str:
    p = tmp / ("fuzz" + path.suffix)
    p.write_bytes(mutate(raw, rng))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            rec = read(p)
        except InputError:
            return "refused"
    d = rec.data
    assert len(d) >= 1
    cols = {c: d[c].to_numpy(dtype=float) for c in ("time", "voltage", "current", "frequency", "z_real", "z_imag")
            if c in d}
    check_plausible(cols, str(p), monotonic_time=rec.kind == "cycling")
    if rec.impedance is not None:
        check_plausible({c: rec.impedance.data[c].to_numpy(dtype=float) for c in ("frequency", "z_real", "z_imag")},
                        str(p), monotonic_time=False)
    return "read"


def _run(n_per_file: int, tmp_path, seed: int) -> dict:
    present = [f for f in FILES if f.exists()]
    if not present:
        pytest.skip("no reader test files present")
    outcome = {}
    for k, path in enumerate(present):
        raw = path.read_bytes()
        rng = np.random.default_rng(seed + k)
        # the Excel reader is 50x slower than the others: fewer cases for it
        n = max(5, n_per_file // 10) if path.suffix == ".xlsx" else n_per_file
        for _ in range(n):
            result = _one(path, raw, rng, tmp_path)
            outcome[result] = outcome.get(result, 0) + 1
    return outcome


def test_fuzz_every_reader(tmp_path):
    outcome = _run(30, tmp_path, 0)
    # 30 cases per present file (the shared files in ../shared/data may be absent: fewer cases then)
    present = [f for f in FILES if f.exists()]
    assert sum(outcome.values()) >= 0.8 * 30 * sum(1 for f in present if f.suffix != ".xlsx")
    assert outcome.get("refused", 0) > 0


@pytest.mark.slow
def test_fuzz_every_reader_10k(tmp_path):
    outcome = _run(1000, tmp_path, 12345)
    assert sum(outcome.values()) >= 9000
