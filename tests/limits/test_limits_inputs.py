"""The issue-16 list replayed, and more of the same kinds generated: every bad or extreme input is
refused with exit 2 and one line naming the option, before any work, with no traceback and no hang."""

from __future__ import annotations

import itertools

import pytest

# (argv, the option the one-line error must name): each reproduced a traceback, a hang or a silent
# acceptance before issue 16.
ISSUE_CASES = [
    (["transport", "--temperature", "1e300K"], "temperature"),
    (["transport", "--thickness", "1e300um"], "thickness"),
    (["transport", "--current", "1e300"], "current"),
    (["transport", "--time", ""], "time"),
    (["transport", "--voltage", "-2V", "--steady"], "voltage"),
    (["transport", "--voltage", "-2V"], "voltage"),
    (["transport-paper", "--current", "1e300"], "current"),
    (["transport-paper", "--time", ""], "time"),
    (["phasefield", "--size", "1e300um"], "size"),
    (["phasefield", "--grid", "32"], "particle-diameter"),
    (["phasefield", "--grid", "4096", "--steps", "1"], "grid"),
    (["phasefield", "--current-density", "1e300"], "current-density"),
    (["phasefield", "--pressure", "1e6 MPa"], "pressure"),
    (["phasefield", "--overpotential", "-1V"], "overpotential"),
    (["phasefield", "--seed", "-1"], "seed"),
    (["phasefield", "--size", ""], "size"),
    (["phasefield", "--overpotential", ""], "overpotential"),
    (["sweep", "--workers", "100000", "{toy}"], "workers"),
    (["sweep", "--scheduler", "garbage://x", "{toy}"], "scheduler"),
    (["sweep", "--scheduler", "", "{toy}"], "scheduler"),
    (["sweep", "--scheduler", "tcp://", "{toy}"], "scheduler"),
    (["sweep", "--scheduler", "tcp://host:99999", "{toy}"], "scheduler"),
    (["sweep", "{binary}"], "config"),
    (["sweep", "{huge}"], "config"),
    (["sweep", "{deep}"], "config"),
    (["sweep", "{billion}"], "grid"),
    (["sweep", "{trillion}"], "grid"),
    (["sweep", "{escape}"], "sweep.out"),
    (["sweep", "{toy}", "--out", ""], "out"),
    (["sweep", "{hot}"], "grid.temperature"),
]

EXTREMES = ["1e300", "-1e300", "", "nan", "inf", "-1"]
# option -> (command, unit appended to numbers): every extreme value must be refused naming it
OPTIONS = {
    ("transport", "--temperature"): "K",
    ("transport", "--thickness"): "um",
    ("transport", "--current"): "mA/cm2",
    ("transport", "--time"): "s",
    ("transport", "--voltage"): "kV",
    ("transport", "--electron-concentration"): "1/m^3",
    ("transport", "--electron-mobility"): "m^2/(V*s)",
    ("transport-paper", "--current"): "mA/cm2",
    ("transport-paper", "--cnt-carrier-density"): "1/m^3",
    ("transport-paper", "--exchange-current"): "mA/cm2",
    ("phasefield", "--size"): "um",
    ("phasefield", "--overpotential"): "kV",
    ("phasefield", "--pressure"): "GPa",
    ("phasefield", "--current-density"): "A/cm2",
    ("phasefield", "--particle-diameter"): "m",
}


def _generated():
    for (command, option), unit in OPTIONS.items():
        for value in EXTREMES:
            if value in ("-1",) and option in ("--voltage", "--overpotential", "--current-density"):
                continue  # -1 kV / -1 A/cm2 are out of range anyway, but keep the list honest: see below
            text = f"{value} {unit}" if value not in ("", "nan", "inf") else value
            yield [command, option, text], option.lstrip("-")
    for command, option, value in itertools.product(["phasefield"], ["--grid"], ["100000", "-1", "4"]):
        yield [command, option, value], "grid"
    for value in ["-1", "4294967296"]:
        yield ["phasefield", "--seed", value], "seed"
    for value in ["0", "-5"]:
        yield ["phasefield", "--steps", value], "steps"
        yield ["phasefield", "--storage-every", value], "storage-every"
    for value in ["-1", "1e9", "abc://h:1", "tcp://a b:1"]:
        flag = "--workers" if value.lstrip("-").replace("e", "").isdigit() else "--scheduler"
        yield ["sweep", flag, value, "{toy}"], flag.lstrip("-")


@pytest.fixture
def configs(tmp_path):
    def write(name, text):
        p = tmp_path / name
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(text)
        return str(p)

    toy = '[sweep]\nmodel = "toy"\n[grid]\nx = ["1 um", "2 um"]\n'
    return {
        "toy": write("toy.toml", toy),
        "binary": write("bin.toml", bytes(range(256)) * 20),
        "huge": write("huge.toml", toy + "# " + "x" * 2_000_000 + "\n"),
        "deep": write("deep.toml", toy.replace('["1 um", "2 um"]', '["1 um", "2 um"]\n[fixed]\nsleep = 0\n')
                      + "[points]\n" + "a = " + "[" * 50 + "1" + "]" * 50 + "\n"),
        "billion": write("b.toml", '[sweep]\nmodel = "toy"\n[grid]\nx = "1:1000:1 um"\nt = "1:1000:1 s"\n'
                         'work = "1:1000:1"\n'),
        "trillion": write("t.toml", '[sweep]\nmodel = "toy"\n[grid]\nx = "1:1000000:1 um"\n'
                          't = "1:1000000:1 s"\n'),
        "escape": write("esc.toml", '[sweep]\nmodel = "toy"\nout = "../../../etc/x.zarr"\n[grid]\nx = [1, 2]\n'),
        "hot": write("hot.toml", '[sweep]\nmodel = "transport"\n[grid]\ntemperature = ["25 degC", "1e300 K"]\n'),
    }


def _fill(argv, configs):
    return [a.format(**configs) if a.startswith("{") else a for a in argv]


def _assert_refused(rc, out, err, option):
    lines = [line for line in err.splitlines() if line.strip()]
    assert rc == 2, (rc, err[-2000:])
    assert "Traceback" not in err and out == ""
    assert len(lines) == 1, err
    assert lines[0].startswith("error"), err
    assert option in lines[0], f"{option!r} not named in: {lines[0]}"


@pytest.mark.parametrize(("argv", "option"), ISSUE_CASES, ids=[" ".join(a) for a, _ in ISSUE_CASES])
def test_issue_16_list_is_refused_in_one_line(cli, configs, argv, option):
    rc, out, err = cli(*_fill(argv, configs))
    _assert_refused(rc, out, err, option)


GENERATED = list(_generated())


@pytest.mark.parametrize(("argv", "option"), GENERATED, ids=[" ".join(a) for a, _ in GENERATED])
def test_generated_extremes_are_refused_naming_the_option(cli, configs, argv, option):
    rc, out, err = cli(*_fill(argv, configs))
    _assert_refused(rc, out, err, option)


def test_grid_4096_is_refused_before_allocating(cli):
    """The refusal comes from the estimate, not from a MemoryError: almost nothing is allocated."""
    import tracemalloc

    tracemalloc.start()
    try:
        rc, _, err = cli("phasefield", "--grid", "4096", "--steps", "1", guard=10)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rc == 2 and "GiB" in err and "limit memory" in err and "4096 x 4096" in err
    assert peak < 50e6, f"{peak / 1e6:.0f} MB allocated before refusing"


def test_billion_point_sweep_is_refused_before_building_the_grid(cli, configs):
    import tracemalloc

    tracemalloc.start()
    try:
        rc, _, err = cli("sweep", configs["trillion"], guard=10)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rc == 2 and "1e+12 points" in err
    assert peak < 50e6, f"{peak / 1e6:.0f} MB allocated before refusing"


def test_workers_above_cpu_count_need_oversubscribe(cli, configs, monkeypatch):
    monkeypatch.setenv("INTERLAYER_LIMIT_WORKERS", "2")
    rc, _, err = cli("sweep", configs["toy"], "--workers", "3")
    assert rc == 2 and "--oversubscribe" in err
    from interlayer.sweep.executors import LocalExecutor

    assert LocalExecutor(3, oversubscribe=True).workers == 3  # allowed (not started) with the flag


def test_image_pixels_are_refused_from_the_header(tmp_path, monkeypatch):
    import numpy as np

    from interlayer.errors import InputError
    from interlayer.phasefield.microstructure import read_mask

    path = tmp_path / "big.npy"
    np.lib.format.open_memmap(path, mode="w+", dtype="f8", shape=(3000, 3000)).flush()  # sparse on disk
    monkeypatch.setenv("INTERLAYER_LIMIT_IMAGE_PIXELS", "1000000")
    with pytest.raises(InputError, match="9,000,000 pixels") as info:
        read_mask(path)
    assert info.value.field == "image"
