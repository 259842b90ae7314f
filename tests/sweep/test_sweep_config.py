"""Sweep config validation: every bad config is one InputError naming the key (CLI exit 2)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from interlayer.cli import main
from interlayer.errors import InputError
from interlayer.sweep import load_config, plan_from_dict


def _toy(**sections):
    return {"sweep": {"model": "toy"}, **sections}


@pytest.mark.parametrize(
    ("config", "field", "words"),
    [
        ({"sweep": {"model": "toyy"}, "grid": {"x": [1]}}, "sweep.model", "Known: "),
        (_toy(grid={"xx": [1]}), "grid.xx", "unknown parameter"),
        (_toy(grid={"x": ["1 parsec/s"]}), "grid.x[0]", "cannot read"),
        (_toy(grid={"x": ["one um"]}), "grid.x[0]", "cannot parse"),
        (_toy(grid={"x": []}), "grid.x", "empty"),
        (_toy(grid={}), "grid", "empty"),
        (_toy(points=[]), "points", "empty"),
        (_toy(), "grid", "missing"),
        (_toy(grid={"x": [1]}, points=[{"x": 1}]), "points", "either"),
        (_toy(grid={"x": [1, 1]}), "grid.x", "repeated"),
        (_toy(grid={"x": [1]}, fixed={"x": 2}), "grid.x", "fixed"),
        (_toy(grid={"x": "5:1:1 um"}), "grid.x", "reversed"),
        (_toy(grid={"x": [1]}, fixed={"t": [1, 2]}), "fixed.t", "one value"),
        (_toy(points=[{"x": 1}, {"x": "2 kg"}]), "points[1].x", "cannot read"),
        (_toy(points=[{"q": 1}]), "points[0].q", "unknown parameter"),
        (_toy(grid={"x": [True]}), "grid.x[0]", "expected a number"),
        ({"sweep": {"model": "toy", "outt": "a"}, "grid": {"x": [1]}}, "sweep.outt", "unknown key"),
        ({"sweep": {}, "grid": {"x": [1]}}, "sweep.model", "model name"),
        ({"grid": {"x": [1]}}, "sweep", "missing"),
        ({"sweep": {"model": "toy"}, "grids": {"x": [1]}}, "grids", "unknown section"),
        (
            {"sweep": {"model": "design"}, "grid": {"current_density": ["1 mA/cm2"]}},
            "grid.current_density",
            "array",
        ),
        ({"sweep": {"model": "design"}, "grid": {"material": [3]}}, "grid.material[0]", "string"),
    ],
)
def test_bad_config_names_the_key(config, field, words):
    with pytest.raises(InputError) as info:
        plan_from_dict(config)
    assert info.value.field == field
    assert words in info.value.message


def test_bad_toml_and_missing_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[sweep\nmodel = 'toy'\n")
    with pytest.raises(InputError, match="not valid TOML") as info:
        load_config(bad)
    assert info.value.field == "config"
    with pytest.raises(InputError, match="cannot read"):
        load_config(tmp_path / "absent.toml")


def test_cli_bad_config_exits_2_with_one_line(tmp_path, capsys):
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[sweep]\nmodel = "toy"\n[grid]\nthikness = ["1 um"]\n')
    assert main(["sweep", str(cfg)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "grid.thikness" in err[0]
    assert not (tmp_path / "bad.zarr").exists()  # nothing is written for a bad config


def test_units_and_ranges_are_parsed_to_si(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        '[sweep]\nmodel = "toy"\nout = "sub/s.zarr"\n[fixed]\nsleep = "5 ms"\n'
        '[grid]\nx = "1:3:0.5 um"\nt = ["1 min", 2]\n'
    )
    plan = load_config(cfg)
    np.testing.assert_allclose(plan.coords["x"], [1e-6, 1.5e-6, 2e-6, 2.5e-6, 3e-6], rtol=1e-12)
    np.testing.assert_allclose(plan.coords["t"], [60.0, 2.0])
    assert plan.dims == ("x", "t") and plan.shape == (5, 2) and plan.n_points == 10
    assert math.isclose(plan.fixed["sleep"], 5e-3)
    assert plan.fixed["work"] == 0.0  # model default filled in
    assert plan.out == tmp_path / "sub" / "s.zarr"  # relative to the config file
    params = plan.point_params((4, 0))
    assert math.isclose(params["x"], 3e-6) and params["t"] == 60.0


def test_design_bare_numbers_use_lab_units():
    plan = plan_from_dict(
        {
            "sweep": {"model": "design"},
            "fixed": {"current_density": [1, 4], "contact_angle": 120},
            "grid": {"thickness": [90], "material": ["lni-5cnt", "lni"]},
        }
    )
    np.testing.assert_allclose(plan.fixed["current_density"], [10.0, 40.0])  # mA/cm2 -> A/m2
    assert math.isclose(plan.fixed["contact_angle"], 2 * math.pi / 3)  # deg -> rad
    assert math.isclose(plan.coords["thickness"][0], 90e-6)  # um -> m
    assert list(plan.coords["material"]) == ["lni-5cnt", "lni"]
    assert "porosity" not in plan.fixed  # default None: the model takes the material's value


def test_point_list_fills_unset_parameters_from_fixed_or_default():
    plan = plan_from_dict(_toy(fixed={"t": "3 s"}, points=[{"x": "1 um"}, {"x": "2 um", "work": 2}]))
    assert plan.layout == "points" and plan.dims == ("point",) and plan.shape == (2,)
    np.testing.assert_allclose(plan.coords["work"], [0.0, 2.0])  # default 0 where unset
    assert plan.point_params((1,))["t"] == 3.0


def test_hash_ignores_spelling_but_not_values():
    a = plan_from_dict(_toy(grid={"x": ["1 um", "2 um"]}))
    b = plan_from_dict(_toy(grid={"x": ["1e-6 m", "0.002 mm"]}, fixed={"work": 0}))
    c = plan_from_dict(_toy(grid={"x": ["1 um", "3 um"]}))
    assert a.config_hash == b.config_hash
    assert a.config_hash != c.config_hash


@pytest.mark.parametrize(
    ("options", "field"),
    [(["--workers", "-1"], "workers"), (["--workers", "2", "--scheduler", "tcp://127.0.0.1:9"], "workers")],
)
def test_cli_bad_executor_options_exit_2(tmp_path, capsys, options, field):
    cfg = tmp_path / "ok.toml"
    cfg.write_text('[sweep]\nmodel = "toy"\n[grid]\nx = ["1 um"]\n')
    assert main(["sweep", str(cfg), *options]) == 2
    assert capsys.readouterr().err.startswith(f"error: {field}:")


def test_cli_list_models_json(capsys):
    import json

    assert main(["sweep", "--list-models", "--json"]) == 0
    models = {m["name"]: m for m in json.loads(capsys.readouterr().out)["models"]}
    assert {"design", "toy"} <= set(models)
    assert models["design"]["parameters"]["thickness"]["unit"] == "m"


def test_model_whose_physics_is_missing_fails_alone(tmp_path):
    from interlayer.sweep import ModelSpec, Parameter, register_model, run_sweep, unregister_model

    register_model(ModelSpec("test-missing", {"a": Parameter("a")}, target="interlayer.no_such_module:run"))
    try:
        with pytest.raises(InputError, match="not available") as info:
            run_sweep({"sweep": {"model": "test-missing"}, "grid": {"a": [1]}}, tmp_path / "m.zarr")
        assert info.value.field == "sweep.model"
        assert not (tmp_path / "m.zarr").exists()
        # Other models are unaffected.
        assert run_sweep({"sweep": {"model": "toy"}, "grid": {"x": [1]}}, tmp_path / "t.zarr", workers=0).done
    finally:
        unregister_model("test-missing")


@pytest.mark.parametrize("model, table, values, field, words", [
    ("design", "grid", {"porosity": [0.3, 1.5]}, "grid.porosity[1]", "must be in (0, 1)"),
    ("design", "grid", {"criterion": ["failure", "foo"]}, "grid.criterion[1]", "must be one of failure, legacy"),
    ("phasefield", "grid", {"seed": [1, 2], "wetting_form": ["h", "foo"]}, "grid.wetting_form[1]", "must be one of"),
    ("transport", "grid", {"porosity": ["0.2", "1.0"]}, "grid.porosity[1]", "must be in"),
])
def test_config_values_are_checked_as_the_command_checks_them(model, table, values, field, words, tmp_path):
    """The declaration's ranges and choices apply when the config is read, not point by point."""
    with pytest.raises(InputError) as refused:
        plan_from_dict({"sweep": {"model": model, "out": "s.zarr"}, table: values}, base=tmp_path)
    assert refused.value.field == field and words in str(refused.value)
