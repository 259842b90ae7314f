"""`interlayer analyze --plot` writes through cli._common.save_figure like every other command: a disk
that fills up or turns read-only mid-write is exit 2, one line naming --plot, and no partial file
(an existing figure is kept)."""

from __future__ import annotations

import errno

import pytest


@pytest.fixture
def cycling_csv(tmp_path):
    """Four symmetric-cell cycles at +-0.1 mA (500 s half cycles), a canonical CSV."""
    rows = ["Time (s),Voltage (V),Current (mA)"]
    for t in range(0, 4000, 10):
        s = 1 if (t // 500) % 2 == 0 else -1
        rows.append(f"{t},{0.05 * s},{0.1 * s}")
    path = tmp_path / "in" / "cyc.csv"
    path.parent.mkdir()
    path.write_text("\n".join(rows) + "\n")
    return path


def _one_line(err):
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize(("code", "words"), [(errno.ENOSPC, "no space left"), (errno.EROFS, "read-only")])
def test_analyze_plot_failing_midway_is_one_line_and_leaves_nothing(cli, tmp_path, cycling_csv, monkeypatch,
                                                                    code, words):
    from matplotlib.figure import Figure

    def half_then_fail(self, fname, *args, **kwargs):
        with open(fname, "wb") as f:
            f.write(b"\x89PNG half")
        raise OSError(code, errno.errorcode[code])

    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(Figure, "savefig", half_then_fail)
    rc, _, err = cli("analyze", cycling_csv, "--area", "1cm2", "--plot", out / "a.png")
    line = _one_line(err)
    assert rc == 2 and line.startswith("error: --plot: cannot write") and words in line and "nothing written" in line
    assert list(out.iterdir()) == []


def test_analyze_plot_keeps_the_old_figure_when_the_write_fails(cli, tmp_path, cycling_csv, monkeypatch):
    from matplotlib.figure import Figure

    target = tmp_path / "a.png"
    assert cli("analyze", cycling_csv, "--area", "1cm2", "--plot", target)[0] == 0
    good = target.read_bytes()
    assert good.startswith(b"\x89PNG") and len(good) > 10_000

    def fail(self, fname, *args, **kwargs):
        with open(fname, "wb") as f:
            f.write(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Figure, "savefig", fail)
    rc, _, err = cli("analyze", cycling_csv, "--area", "1cm2", "--plot", target)
    assert rc == 2 and "--plot" in _one_line(err)
    assert target.read_bytes() == good and sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "in"]


def test_analyze_plot_goes_through_save_figure(cli, tmp_path, cycling_csv, monkeypatch):
    from interlayer.cli import _common, analyze

    calls = []
    real = _common.save_figure

    def spy(fig, path, field="plot", dpi=150):
        calls.append((path, field))
        real(fig, path, field, dpi)

    monkeypatch.setattr(analyze, "save_figure", spy)
    assert cli("analyze", cycling_csv, "--area", "1cm2", "--plot", tmp_path / "a.svg")[0] == 0
    assert calls == [(str(tmp_path / "a.svg"), "--plot")]
    assert (tmp_path / "a.svg").read_text().lstrip().startswith("<?xml")
