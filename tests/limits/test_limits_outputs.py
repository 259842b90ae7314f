"""Outputs that cannot be written: refused before work (exit 2, one line), and a write that fails
midway (disk full) leaves no partial file. Real full and read-only file systems (a tiny tmpfs) where
mounting is possible, and a fault-injecting writer everywhere."""

from __future__ import annotations

import errno

import pytest

MAP = ["map", "--points", "20"]


def _one_line(err):
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def _fill_up(folder):
    """Fill a tmpfs to the last byte."""
    import os

    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 512)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)


@pytest.mark.parametrize("option", ["--out", "--plot"])
def test_full_disk_is_refused_before_work(cli, tiny_fs, option):
    fs = tiny_fs("64k")
    _fill_up(fs)
    target = fs / ("m.nc" if option == "--out" else "m.png")
    rc, _, err = cli(*MAP, option, target)
    line = _one_line(err)
    assert rc == 2 and option.lstrip("-") in line and "no space left" in line
    assert sorted(p.name for p in fs.iterdir()) == ["filler"]


@pytest.mark.parametrize("argv", [
    [*MAP, "--out", "{fs}/m.nc"],
    [*MAP, "--plot", "{fs}/m.png"],
    ["transport", "--plot", "{fs}/t.png"],
    ["transport", "--out", "{fs}/t.nc"],
    ["transport-paper", "--plot", "{fs}/p.png"],
    ["phasefield", "--out", "{fs}/pf"],
    ["sweep", "{cfg}", "--out", "{fs}/s.zarr"],
], ids=lambda a: " ".join(a[:3]))
def test_read_only_folder_is_refused_before_work(cli, tiny_fs, tmp_path, argv):
    fs = tiny_fs("64k", read_only=True)
    cfg = tmp_path / "toy.toml"
    cfg.write_text('[sweep]\nmodel = "toy"\n[grid]\nx = ["1 um"]\n')
    rc, _, err = cli(*[a.format(fs=fs, cfg=cfg) for a in argv])
    line = _one_line(err)
    assert rc == 2 and "read-only file system" in line
    assert list(fs.iterdir()) == []


def test_disk_full_during_the_write_leaves_no_partial_file(cli, tiny_fs):
    """The probe passes (a byte fits), the figure does not: exit 2, one line, nothing left behind."""
    fs = tiny_fs("16k")
    rc, _, err = cli(*MAP, "--plot", fs / "m.png")
    line = _one_line(err)
    assert rc == 2 and "plot" in line and "no space left" in line and "nothing written" in line
    assert list(fs.iterdir()) == []


def test_injected_enospc_midway_leaves_no_partial_file(cli, tmp_path, monkeypatch):
    """Fault injection (no mount needed): savefig writes half a file, then the disk is full."""
    from matplotlib.figure import Figure

    def half_then_full(self, fname, *args, **kwargs):
        with open(fname, "wb") as f:
            f.write(b"\x89PNG half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Figure, "savefig", half_then_full)
    rc, _, err = cli(*MAP, "--plot", tmp_path / "m.png")
    line = _one_line(err)
    assert rc == 2 and "no space left" in line
    assert list(tmp_path.iterdir()) == []


def test_injected_erofs_in_phasefield_outputs_leaves_nothing(cli, tmp_path, monkeypatch):
    from interlayer.plotting import phasefield as pfplot

    real = pfplot.save_gif

    def gif_fails(*args, **kwargs):
        real(*args, **kwargs)
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(pfplot, "save_gif", gif_fails)
    out = tmp_path / "pf"
    rc, _, err = cli("phasefield", "--microstructure", "pores", "--grid", "32", "--size", "4um", "--steps", "20",
                     "--storage-every", "10", "--out", out,
                     guard=60)
    line = _one_line([ln for ln in err.splitlines() if ln.startswith("error")][0] if "error" in err else err)
    assert rc == 2 and "read-only" in line
    assert [p for p in out.rglob("*") if p.is_file()] == []  # no frame of the failed write is left


def test_atomic_output_keeps_the_old_file_on_failure(tmp_path):
    from interlayer.cli._common import atomic_output
    from interlayer.errors import InputError

    target = tmp_path / "r.txt"
    target.write_text("old")
    with pytest.raises(InputError, match="no space left"):
        with atomic_output(target, "out") as tmp:
            open(tmp, "w").write("new, half")
            raise OSError(errno.ENOSPC, "No space left on device")
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["r.txt"]
