"""Input conventions shared by the commands: ambiguous bare numbers, output paths checked up front."""

import pytest

from interlayer.cli import main
from interlayer.cli._common import FIGURE_SUFFIXES, output_path
from interlayer.errors import InputError


@pytest.mark.parametrize("args", [
    ["design", "--temperature", "298"],             # degC or K?
    ["design", "--time", "3600"],                    # s or h?
    ["transport", "--temperature", "298"],
    ["transport", "--time", "2"],
    ["layers", "--time", "1"],
    ["map", "--y", "temperature", "--y-range", "298:350"],
])
def test_ambiguous_bare_numbers_are_refused(args, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "needs a unit" in err or "needs units" in err
    assert err.count("\n") == 1  # one line


@pytest.mark.parametrize("args", [
    ["design", "--plot", "/nonexistent-dir/x.png"],
    ["design", "--plot", "x.txt"],
    ["map", "--out", "/nonexistent-dir/m.nc"],
    ["transport", "--plot", "/nonexistent-dir/r.png"],
    ["transport", "--out", "r.csv"],
    ["transport-paper", "--plot", "f.gif"],
])
def test_unwritable_outputs_fail_fast_with_one_line(args, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1


def test_output_path_rules(tmp_path):
    assert output_path(None, "plot") is None
    assert output_path(str(tmp_path / "a.PNG"), "plot", FIGURE_SUFFIXES).endswith("a.PNG")
    with pytest.raises(InputError, match="is a folder"):
        output_path(str(tmp_path), "plot")
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="not a folder"):
        output_path(str(tmp_path / "file"), "out", directory=True)
    assert output_path(str(tmp_path / "new-folder"), "out", directory=True)
    with pytest.raises(InputError, match="does not exist"):
        output_path(str(tmp_path / "missing" / "x.png"), "plot")


def test_one_current_for_design(capsys):
    import json

    assert main(["design", "--current", "4 mA/cm2", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [p["current_density_mA_cm2"] for p in doc["points"]] == [4.0]
    assert main(["design", "--current", "-4"]) == 2


def test_transport_drive_options(capsys):
    import json

    assert main(["transport", "--current", "-1"]) == 2  # a plating model: stripping is not modelled here
    assert main(["transport", "--current", "2", "--voltage", "50 mV"]) == 2
    capsys.readouterr()
    assert main(["transport", "--voltage", "50 mV", "--steady", "--resolution", "coarse", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["control_mode"] == "potentiostatic" and doc["current_density_A_m2"] is None


def test_sweep_model_list_names_the_bare_number_units(capsys):
    import json

    assert main(["sweep", "--list-models", "--json"]) == 0
    models = {m["name"]: m for m in json.loads(capsys.readouterr().out)["models"]}
    thickness = models["design"]["parameters"]["thickness"]
    assert thickness["unit"] == "m" and thickness["bare_number_unit"] == "um"  # thickness = 90 means 90 um


def test_version_and_canonical_names(capsys):
    import json

    from interlayer import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"interlayer {__version__}"
    assert main(["design", "--material", "LNI-5%CNT", "--current", "1 mA/cm2", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["inputs"]["material"] == "lni-5cnt"  # the alias resolved
    assert doc["inputs"]["electron_density_m3"] == pytest.approx(6.51e24)


def test_materials_short_list_and_full_views(capsys):
    assert main(["materials"]) == 0
    short = capsys.readouterr().err
    assert "lni-5cnt" in short and "DERIVED" not in short  # an overview, not every value with its source
    assert main(["materials", "lni-5cnt"]) == 0
    assert "DERIVED" in capsys.readouterr().err  # the sources (e.g. of the carrier density)
    assert main(["materials", "--all"]) == 0
    assert capsys.readouterr().err.count("DERIVED") >= 3


def test_transport_time_and_steady_conflict():
    assert main(["transport", "--steady", "--time", "5 s"]) == 2
    assert main(["transport-paper", "--steady", "--time", "5 s"]) == 2


def test_steady_transport_json_has_a_null_time(capsys):
    import json

    assert main(["transport", "--steady", "--resolution", "coarse", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["time_s"] is None and doc["steady_state"] is True


def test_sweep_configs_refuse_ambiguous_bare_numbers(tmp_path, capsys):
    import json

    cfg = tmp_path / "t.toml"
    for line in ('[fixed]\ntemperature = 25', '[fixed]\nhalf_cycle_time = 3600', '[grid]\ntemperature = "20:60:10"'):
        cfg.write_text(f"[sweep]\nmodel = \"design\"\n{line}\n")
        assert main(["sweep", str(cfg), "--workers", "0"]) == 2
        assert "needs a unit" in capsys.readouterr().err
    assert main(["sweep", "--list-models", "--json"]) == 0
    models = {m["name"]: m for m in json.loads(capsys.readouterr().out)["models"]}
    assert models["design"]["parameters"]["temperature"]["unit_required"] is True
    assert models["transport"]["parameters"]["time"]["unit_required"] is True


def test_review_round_two(capsys, tmp_path):
    import json

    # a folder path for a figure is refused up front
    assert main(["transport-paper", "--plot", str(tmp_path) + "/x.png/"]) == 2
    capsys.readouterr()
    # no stable window from zero current: said plainly
    assert main(["design", "--contact-angle", "0deg", "--criterion", "legacy"]) == 0
    assert "not stable at the lowest currents" in capsys.readouterr().err
    # a limit that runs out is not a result that agrees with the paper
    assert main(["transport-paper", "--until-nucleation", "--current", "0.1", "--time", "10 s",
                 "--resolution", "coarse", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert all(r["limit_reached"] and not r["agrees"] for r in doc["layers"])
    # optimize: the pore volume sets the default design; the note says so and the thickness has no float noise
    assert main(["optimize", "--json"]) == 0
    opt = json.loads(capsys.readouterr().out)
    assert any("pore volume" in n for n in opt["notes"])
    assert not any("cnt_fraction is at a bound" in n for n in opt["notes"])
    assert opt["design"]["thickness_um"] == round(opt["design"]["thickness_um"], 6)


def test_unknown_electrolyte_is_named_as_the_electrolyte(capsys):
    from interlayer.cli import main

    assert main(["design", "--electrolyte", "nosuch"]) == 2
    err = capsys.readouterr().err
    assert "electrolyte: unknown material 'nosuch'" in err and "material:" not in err.split("electrolyte:")[0]


@pytest.mark.parametrize("option, value, api", [
    ("--stack-pressure", "1.2 GPa", {"stack_pressure": 1.2e9}),
    ("--temperature", "200 degC", {"temperature": 473.15}),
    ("--time", "5e7 s", {"half_cycle_time": 5e7}),
])
def test_python_api_and_cli_refuse_the_same_values_with_the_same_range(option, value, api, capsys):
    """Cell and Protocol check the bounds of interlayer.limits, as the commands do (one range each)."""
    from interlayer.cli import main
    from interlayer.design import evaluate
    from interlayer.errors import InputError

    assert main(["design", option, value]) == 2
    cli_range = capsys.readouterr().err.split("allowed range")[1].split("(")[0].strip()
    with pytest.raises(InputError, match="allowed range") as refused:
        evaluate(**api)
    assert str(refused.value).split("allowed range")[1].split("(")[0].strip() == cli_range
    from interlayer.cell import Cell
    from interlayer.design import build_interlayer

    assert Cell(build_interlayer("lni-5cnt", 90e-6), stack_pressure=7e8).stack_pressure == 7e8  # CLI takes 700 MPa


@pytest.mark.parametrize("api, option", [({"sigma_e": 1e9}, ["--sigma-e", "1e7 S/cm"]),
                                         ({"sigma_ion": 1e3}, ["--sigma-ion", "10 S/cm"]),
                                         ({"porosity": 1.2}, ["--porosity", "1.2"])])
def test_evaluate_checks_its_keywords_as_the_design_command_checks_its_options(api, option, capsys):
    from interlayer.cli import main
    from interlayer.design import evaluate
    from interlayer.errors import InputError

    assert main(["design", *option]) == 2
    cli = capsys.readouterr().err.split(": ", 2)[-1].strip()
    with pytest.raises(InputError) as refused:
        evaluate(**api)
    assert str(refused.value).split(": ", 1)[1] == cli


@pytest.mark.parametrize("argv, shared", [
    (["layers", "--time", "1e9 s"], ["design", "--time", "1e9 s"]),
    (["layers", "--thickness", "20 mm"], ["design", "--thickness", "20 mm"]),
    (["optimize", "--target-current", "500 mA/cm2"], ["design", "--current", "500 mA/cm2"]),
])
def test_commands_outside_the_declarations_check_the_same_bounds(argv, shared, capsys):
    from interlayer.cli import main

    assert main(argv) == 2
    got = capsys.readouterr().err.split("allowed range")[1].strip()
    assert main(shared) == 2
    assert capsys.readouterr().err.split("allowed range")[1].strip() == got
