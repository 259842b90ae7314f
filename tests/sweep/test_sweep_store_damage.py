"""A store deleted, replaced or damaged while `interlayer sweep` writes it: exit 1 and one line, never
exit 0 with "done"; a rerun then starts again (or resumes) and finishes."""

from __future__ import annotations

import shutil

import pytest
import xarray as xr

from interlayer.cli import main
from interlayer.sweep import DONE, SweepStore

CONFIG = '[sweep]\nmodel = "toy"\n[grid]\nx = "1:4:1 um"\n'


def _delete(store):
    shutil.rmtree(store)


def _replace(store):
    shutil.rmtree(store)
    store.mkdir()
    (store / ".zgroup").write_text('{"zarr_format": 2}')


def _drop_status(store):
    shutil.rmtree(store / "status")


def _drop_output(store):
    shutil.rmtree(store / "ratio")


def _drop_group_metadata(store):
    (store / ".zgroup").unlink()


DAMAGES = {"deleted": _delete, "replaced": _replace, "status array removed": _drop_status,
           "output array removed": _drop_output, ".zgroup removed": _drop_group_metadata}


CASES = [(damage, 2) for damage in DAMAGES] + [("deleted", 4), ("status array removed", 4)]


@pytest.mark.parametrize(("damage", "after"), CASES,
                         ids=[f"{d}-{'mid-run' if a == 2 else 'after-the-last-point'}" for d, a in CASES])
def test_store_damaged_while_the_sweep_writes_is_exit_1_one_line(tmp_path, monkeypatch, capsys, damage, after):
    cfg = tmp_path / "d.toml"
    cfg.write_text(CONFIG)
    store = tmp_path / "d.zarr"
    original = SweepStore.write
    seen = {"n": 0}

    def write_then_damage(self, index, result):
        stored = original(self, index, result)
        seen["n"] += 1
        if seen["n"] == after:
            DAMAGES[damage](store)
        return stored

    monkeypatch.setattr(SweepStore, "write", write_then_damage)
    rc = main(["sweep", str(cfg), "--workers", "0", "--no-progress", "--json"])
    out, err = capsys.readouterr()
    assert rc == 1, (out, err)
    assert out == ""  # no summary: the sweep did not finish
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "deleted or damaged" in lines[0] and str(store) in lines[0], err
    assert "Traceback" not in err

    monkeypatch.setattr(SweepStore, "write", original)
    if damage != "deleted":
        # what is left is no sweep store: the rerun refuses it (exit 2, one line) until it is removed
        rc = main(["sweep", str(cfg), "--workers", "0", "--no-progress"])
        out, err = capsys.readouterr()
        assert rc == 2 and len(err.strip().splitlines()) == 1, err
        shutil.rmtree(store)
    rc = main(["sweep", str(cfg), "--workers", "0", "--no-progress"])
    _, err = capsys.readouterr()
    assert rc == 0, err
    assert (xr.open_zarr(store).status.values == DONE).all()
