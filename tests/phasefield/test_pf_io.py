"""Microstructure builders, results Dataset, figures/GIF/NetCDF and the CLI."""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from interlayer import phasefield as pf
from interlayer.cli import main
from interlayer.errors import InputError

sys.path.insert(0, str(Path(__file__).parents[1]))
from _progress_recorder import Recorder, record_rich_progress  # noqa: E402


def test_particles_are_seeded_and_near_target_porosity():
    a = pf.packed_particles(96, 96, 1.5e-7, diameter=2e-6, porosity=0.55, seed=7)
    b = pf.packed_particles(96, 96, 1.5e-7, diameter=2e-6, porosity=0.55, seed=7)
    c = pf.packed_particles(96, 96, 1.5e-7, diameter=2e-6, porosity=0.55, seed=8)
    assert np.array_equal(a.phi, b.phi)
    assert not np.array_equal(a.phi, c.phi)
    # Porosity from the smooth field: within 0.05 of the target (discs are added whole, the last
    # one overshoots the solid fraction, and the smooth edges count half).
    assert a.porosity == pytest.approx(0.55, abs=0.05)
    assert a.phi.min() >= 0 and a.phi.max() <= 1
    # Li anode below, SSE above
    assert a.phi[0].max() < 0.01 and a.phi[-1].min() > 0.99


def test_straight_pores_geometry():
    dx, w = 5e-8, 1e-6
    ms = pf.straight_pores(80, 100, dx, width=w, count=2)
    mid = ms.phi[50]
    open_cells = (mid < 0.5).sum()
    assert open_cells * dx == pytest.approx(2 * w, abs=2 * dx)  # two slits of width w (one cell each side)


def test_image_mask_png_and_npy(tmp_path):
    from PIL import Image

    mask = np.zeros((40, 30), dtype=np.uint8)
    mask[:, :10] = 255  # host on the left, in image orientation
    mask[:5, :] = 255  # and a solid strip at the top row of the image (electrolyte side)
    Image.fromarray(mask).save(tmp_path / "m.png")
    np.save(tmp_path / "m.npy", mask / 255.0)
    a = pf.from_image(tmp_path / "m.png", 1e-7)
    b = pf.from_image(tmp_path / "m.npy", 1e-7)
    assert np.allclose(a.phi, b.phi)
    rows = a.shape[0]
    na = max(4, 40 // 10)
    assert rows == 40 + 2 * na
    # image row 0 (top) lands just below the SSE rows: the strip is at the top of the interlayer.
    assert a.phi[na + 40 - 1, 20] > 0.9 and a.phi[na, 20] < 0.1


@pytest.mark.parametrize(
    "make",
    [
        lambda: pf.straight_pores(4, 64, 1e-7, width=5e-7),
        lambda: pf.straight_pores(32, 64, 1e-7, width=-1e-6),
        lambda: pf.packed_particles(64, 64, 1e-7, diameter=1e-6, porosity=0.2),
        lambda: pf.from_image(np.zeros((3, 20, 20)), 1e-7),
        lambda: pf.from_image(np.zeros((5, 20)), 1e-7),
        lambda: pf.from_image("/nonexistent/mask.png", 1e-7),
    ],
)
def test_bad_microstructure_input(make):
    with pytest.raises(InputError):
        make()


def test_unreadable_image(tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_text("not an image")
    with pytest.raises(InputError, match="cannot read"):
        pf.from_image(bad, 1e-7)


@pytest.fixture(scope="module")
def small_run():
    ms = pf.packed_particles(40, 40, 4e-7, diameter=3.2e-6, porosity=0.5, seed=1)
    return pf.simulate(ms, math.radians(30), overpotential=0.05, steps=300, storage_every=150)


def test_dataset_has_units_and_no_nan(small_run):
    ds = small_run
    for name in list(ds.data_vars) + list(ds.coords):
        assert "units" in ds[name].attrs and "long_name" in ds[name].attrs, name
    assert bool(ds.zeta.notnull().all()) and bool(ds.potential.notnull().all())
    assert ds.attrs["scale_time_s"] > 0 and ds.attrs["contact_angle_deg"] == pytest.approx(30)
    # Poisson potential: the anode is at the applied overpotential, the SSE side at 0.
    assert float(ds.potential.isel(time=-1, y=0).mean()) == pytest.approx(0.05, rel=1e-3)
    assert abs(float(ds.potential.isel(time=-1, y=-1).mean())) < 0.01


def test_scalar_results_are_0d_variables_and_attrs_hold_no_results(small_run):
    """Issue 14: results as 0-d variables with units; attrs for inputs and provenance only."""
    from interlayer.phasefield.results import RESULTS

    ds = small_run
    present = {name for name in RESULTS if name in ds}
    # particles, no breakthrough: the pore entry pressure and breakthrough time do not exist (absent)
    assert present == set(RESULTS) - {"young_laplace_entry_pressure", "breakthrough_time"}
    for name in present:
        assert ds[name].ndim == 0 and ds[name].attrs["units"] == RESULTS[name][0], name
        assert bool(ds[name].notnull()), name
    assert int(ds.steps_taken) == 300 and int(ds.breakthrough) == 0
    result_like = {"li_inventory_error", "breakthrough", "steps", "potential_solves", "dt_stability_limit_s",
                   "initial_front_height_m", "li_volume_decreased_under_plating"}
    assert not result_like & set(ds.attrs)
    assert not [k for k, v in ds.attrs.items() if v in ("null", "none", "steady")]
    pores = pf.simulate(pf.straight_pores(16, 48, 1e-7, width=8e-7), math.radians(30), steps=5)
    assert float(pores.young_laplace_entry_pressure) == pytest.approx(
        pf.young_laplace_entry_pressure(8e-7, math.radians(30), pores.attrs["param_surface_energy"]))


def test_netcdf_round_trip(small_run, tmp_path):
    import xarray as xr

    path = tmp_path / "run.nc"
    small_run.to_netcdf(path)
    back = xr.load_dataset(path)
    assert np.allclose(back.zeta.values, small_run.zeta.values)
    assert back.zeta.attrs["units"] == "1"
    assert int(back.steps_taken) == int(small_run.steps_taken) and back.li_inventory_error.attrs["units"] == "1"


def test_figures_and_gif(small_run, tmp_path):
    from PIL import Image

    from interlayer.plotting import phasefield as pfplot

    frames = pfplot.save_frames(small_run, tmp_path / "frames")
    assert len(frames) == small_run.sizes["time"]
    gif = pfplot.save_gif(small_run, tmp_path / "z.gif")
    with Image.open(gif) as img:
        assert img.n_frames == small_run.sizes["time"]
    pfplot.penetration_and_inventory(small_run).savefig(tmp_path / "p.png")


def test_potential_cadence_does_not_change_result():
    # The potential is re-solved every 100 steps by default; every 10 steps gives the same depth.
    ms = pf.packed_particles(40, 40, 4e-7, diameter=3.2e-6, porosity=0.5, seed=1)
    a = pf.simulate(ms, math.radians(60), overpotential=0.05, steps=400, potential_every=100)
    b = pf.simulate(ms, math.radians(60), overpotential=0.05, steps=400, potential_every=10)
    assert int(b.potential_solves) > int(a.potential_solves)
    # 1 % of a grid cell: the BV term is ~1e-4 of the capillary rate here.
    assert abs(a.penetration_depth.values[-1] - b.penetration_depth.values[-1]) < 0.01 * ms.dx


def test_cli_json(tmp_path, capsys):
    rc = main(["phasefield", "--wetting", "lithiophilic", "--grid", "40", "--size", "10um", "--steps", "300",
               "--storage-every", "150", "--json", "--out", str(tmp_path), "--netcdf"])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("penetration_depth_um", "li_inventory_error", "breakthrough", "wall_time_s"):
        assert key in out
    assert isinstance(out["breakthrough"], bool)
    assert out["li_inventory_error"] < 0.01
    assert (tmp_path / "zeta.gif").is_file() and (tmp_path / "phasefield.nc").is_file()


@pytest.mark.parametrize(
    "args",
    [
        ["--grid", "4"],
        ["--contact-angle", "190deg"],
        ["--contact-angle", "0deg"],
        ["--microstructure", "pores", "--pore-width", "-1um"],
        ["--microstructure", "/nonexistent.png"],
        ["--wetting", "sticky"],
    ],
)
def test_cli_bad_input_exits_2(args):
    assert main(["phasefield", *args, "--steps", "1", "--json"]) == 2


def test_cli_subprocess_image_not_2d(tmp_path):
    np.save(tmp_path / "m.npy", np.zeros((2, 16, 16)))
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from interlayer.cli import main; sys.exit(main(sys.argv[1:]))",
         "phasefield", "--microstructure", str(tmp_path / "m.npy"), "--json"],
        capture_output=True, text=True,
    )
    assert proc.returncode == 2
    assert "2D" in proc.stderr and proc.stdout == ""


# -- CLI: conflicting options, missing files, output folders -------------------------------------------------


GRID = ["--grid", "16", "--size", "4um", "--steps", "2"]


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--wetting", "lithiophilic", "--contact-angle", "120deg"], ("wetting", "--contact-angle")),
        (["--material", "lni-5cnt", "--wetting", "lithiophilic"], ("wetting", "--material")),
        (["--material", "lni-5cnt", "--contact-angle", "30deg"], ("contact-angle", "--material")),
        (["--pixel-size", "50nm", *GRID], ("pixel-size", "image")),
        (["--microstructure", "pores", "--porosity", "0.6", *GRID], ("porosity", "particles")),
        (["--pore-width", "2um", *GRID], ("pore-width", "pores")),
        (["--current-density", "1", "--overpotential", "10mV", *GRID], ("overpotential", "--current-density")),
        (["--current-density", "1", "--potential", "poisson", *GRID], ("potential", "--current-density")),
    ],
)
def test_cli_conflicting_options_exit_2_naming_them(args, names, capsys):
    assert main(["phasefield", *args, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    line = captured.err.strip()
    assert len(line.splitlines()) == 1 and all(n in line for n in names), line


@pytest.mark.parametrize(("extra", "name"), [(["--grid", "32"], "grid"), (["--size", "4um", "--pixel-size", "0.25um"], "size")])
def test_cli_image_conflicts(extra, name, tmp_path, capsys):
    np.save(tmp_path / "m.npy", np.zeros((16, 16)))
    assert main(["phasefield", "--microstructure", str(tmp_path / "m.npy"), *extra, "--steps", "1", "--json"]) == 2
    assert name in capsys.readouterr().err


def test_cli_missing_microstructure_file_says_so(capsys):
    assert main(["phasefield", "--microstructure", "missing.png", "--json"]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "particles" in err and "pores" in err


@pytest.mark.parametrize("kind", ["file", "uncreatable"])
def test_cli_bad_out_folder_exits_2_before_running(kind, tmp_path, capsys, monkeypatch):
    if kind == "file":
        target = tmp_path / "afile"
        target.write_text("x")
    else:
        target = tmp_path / "ro" / "sub"
        (tmp_path / "ro").mkdir(mode=0o500)
        if os.access(tmp_path / "ro", os.W_OK):  # root can write anywhere: use a path under a file instead
            (tmp_path / "f").write_text("x")
            target = tmp_path / "f" / "sub"
    monkeypatch.setattr(pf, "simulate", lambda *a, **k: pytest.fail("ran before checking --out"))
    assert main(["phasefield", *GRID, "--out", str(target), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1 and "out" in captured.err


# -- progress in --json mode and while writing frames --------------------------------------------------------


def test_progress_runs_in_json_mode(monkeypatch, capsys):
    seen = []
    original = pf.ProgressTracker.initialize

    def spy(self, solver, state):
        seen.append(self.total)
        original(self, solver, state)

    monkeypatch.setattr(pf.ProgressTracker, "initialize", spy)
    assert main(["phasefield", *GRID, "--json"]) == 0
    json.loads(capsys.readouterr().out)  # stdout still exactly one JSON document
    assert seen == [2]


def test_frame_and_gif_writers_report_progress(tmp_path):
    from interlayer.plotting import phasefield as pfplot

    ds = pf.simulate(pf.straight_pores(16, 16, 4e-6 / 16, width=1e-6, count=2), math.radians(30), overpotential=0.05, steps=4, storage_every=2)
    n = ds.sizes["time"]
    for write, name, description in ((pfplot.save_frames, "f", "writing frames"), (pfplot.save_gif, "z.gif", "writing GIF")):
        rec = Recorder()
        write(ds, tmp_path / name, progress=rec)
        rec.check_order()
        assert rec.calls[0] == ("start", n, description, 0) and rec.kinds[1:-1] == ["advance"] * n
    # the GIF can be assembled from the PNG frames already written (no second rendering)
    from PIL import Image

    frames = sorted((tmp_path / "f").glob("*.png"))
    with Image.open(pfplot.save_gif(ds, tmp_path / "y.gif", frames=frames)) as gif:
        assert gif.n_frames == n


def test_cli_shows_the_writing_of_frames_and_gif_on_one_bar(tmp_path, monkeypatch, capsys):
    bars = record_rich_progress(monkeypatch)
    assert main(["phasefield", *GRID, "--storage-every", "1", "--out", str(tmp_path / "pf"), "--netcdf", "--json"]) == 0
    json.loads(capsys.readouterr().out)  # stdout: exactly one JSON document (the bars are on stderr)
    writing = [b for b in bars if b.calls and b.calls[0][2] == "writing frames"]
    assert len(writing) == 1
    rec = writing[0]
    rec.check_order()
    assert rec.total == 3 + 3 + 1 + 1 and rec.advanced == rec.total  # 3 frames, 3 GIF frames, summary, NetCDF
    assert rec.descriptions == ["writing GIF", "writing summary figure", "writing NetCDF"]


def test_frame_and_gif_writers_close_their_progress_on_an_error(tmp_path, monkeypatch):
    from interlayer.plotting import phasefield as pfplot

    ds = pf.simulate(pf.straight_pores(16, 16, 4e-6 / 16, width=1e-6, count=2), math.radians(30), overpotential=0.05, steps=4, storage_every=2)
    real = pfplot.frame

    def second_fails(ds, index=-1, title=None):
        if index == 1:
            raise OSError("disk full (simulated)")
        return real(ds, index, title)

    monkeypatch.setattr(pfplot, "frame", second_fails)
    for write, name in ((pfplot.save_frames, "f"), (pfplot.save_gif, "z.gif")):
        rec = Recorder()
        with pytest.raises(OSError, match="simulated"):
            write(ds, tmp_path / name, progress=rec)
        assert rec.kinds == ["start", "advance", "close"]
    with pytest.raises(TypeError):
        pfplot.save_frames(ds, tmp_path / "g", progress=print)  # a bare callable is not a progress
