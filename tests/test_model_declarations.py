"""Every model's inputs are declared once, and its function, its command and its sweep spec agree.

For each declaration (interlayer.inputs.Inputs subclasses): the sweep ModelSpec's parameters are
exactly the declared sweepable inputs (unit, bare-number unit, bound, default), the command's options
are exactly the declared CLI inputs plus its output options, and the model function accepts what the
declaration passes it. A parameter added to a declaration appears everywhere or this fails.
"""

from __future__ import annotations

import inspect

import pytest
import typer

from interlayer.cli import app
from interlayer.inputs import Inputs
from interlayer.inputs.cell import CellInputs, StepTestInputs
from interlayer.inputs.design import DesignInputs
from interlayer.inputs.phasefield import PhaseFieldInputs
from interlayer.inputs.transport import TransportInputs
from interlayer.limits import BOUNDS
from interlayer.sweep.registry import get_model, model_names
from interlayer.units import parse

# declaration -> (command name or None, sweep model or None, the model function)
DECLARATIONS = {
    DesignInputs: ("design", "design", "interlayer.design:evaluate"),
    TransportInputs: ("transport", "transport", "interlayer.transport.pnp:run"),
    PhaseFieldInputs: ("phasefield", "phasefield", "interlayer.phasefield:simulate"),
    CellInputs: ("cell", None, None),
    StepTestInputs: (None, "virtualcell", None),
}
#: Options of a command that are about its output, not the model's inputs.
OUTPUT_OPTIONS = {"plot", "report", "json", "out", "netcdf", "csv", "protocol", "config", "help"}
#: Registered models without a declaration, with the reason.
UNDECLARED = {"toy": "a test and benchmark helper, not physics"}
#: Small inputs for the function check (the defaults would build a 256 x 256 packing).
EXAMPLES = {PhaseFieldInputs: {"microstructure": "pores", "grid": 32, "size": "4 um"}}


def _command_options(name: str) -> set[str]:
    command = typer.main.get_command(app).commands[name]
    return {opt.lstrip("-") for p in command.params for opt in p.opts if opt.startswith("--")}


def _resolve(target: str):
    import importlib

    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def _having(position: int) -> list:
    return [d for d, v in DECLARATIONS.items() if v[position] is not None]


@pytest.mark.parametrize("decl", _having(1), ids=lambda d: d.__name__)
def test_sweep_spec_is_the_declaration(decl: type[Inputs]):
    _, model, _ = DECLARATIONS[decl]
    spec = get_model(model)
    declared = {k: v for k, v in decl.declared().items() if v[0].sweep}
    assert set(spec.parameters) == set(declared)
    for name, (inp, default) in declared.items():
        p = spec.parameters[name]
        assert (p.default_unit, p.bound, p.needs_unit) == (inp.display, inp.bound, inp.needs_unit), name
        assert p.default == default, name
        assert p.declared == inp, f"{name}: a config value is not checked by the declaration"
        if inp.kind != "text":
            assert p.unit == inp.unit, name


@pytest.mark.parametrize("decl", _having(0), ids=lambda d: d.__name__)
def test_command_options_are_the_declaration(decl: type[Inputs]):
    command, _, _ = DECLARATIONS[decl]
    declared = {decl.option_name(k) for k, (inp, _) in decl.declared().items() if inp.cli}
    declared |= {a for inp, _ in decl.declared().values() if inp.cli for a in inp.aliases}
    options = _command_options(command)
    assert declared <= options, f"declared but not offered: {sorted(declared - options)}"
    assert options - declared <= OUTPUT_OPTIONS, f"model options outside the declaration: {sorted(options - declared - OUTPUT_OPTIONS)}"


# CellInputs and StepTestInputs build a Cell (decl.cell()); the virtual cell tests run it.
#: Where a function's ``**options`` go (their names are checked there).
FORWARDED = {"interlayer.transport.pnp:run": "interlayer.transport.pnp.api:build_model"}
#: Arguments a model function takes that its declaration leaves out on purpose, with the reason.
NOT_INPUTS = {
    "interlayer.design:evaluate": {
        "cell": "a ready-made Cell, what the declaration builds (DesignInputs.cell())",
        "protocol": "a ready-made Protocol, what the declaration builds (DesignInputs.protocol())",
        "interlayer": "a ready-made Interlayer (the Python API's route to stacks)",
        "layers": "a stack of (material, thickness) pairs: `interlayer layers` declares stacks",
    },
    "interlayer.transport.pnp:run": {"out": "an output file, not a model input", "progress": "progress reporting"},
    "interlayer.phasefield:simulate": {
        "progress": "progress reporting", "trackers": "extra observers of the run (Python API)",
        "params": "a ready-made PhaseFieldParameters (the declaration's fields fill one)",
        "allow_stabilisation": "the CLI never allows a dt above the stability bound (a solver safety switch)",
        "inventory_tolerance": "the Li-balance check's tolerance (a solver safety switch)",
        "order": "time scheme order (numerics, verified in tests)",
        "potential_every": "potential solve cadence (numerics, verified in tests)",
    },
}


def _parameters(target: str) -> set[str]:
    names = set()
    for t in (target, FORWARDED.get(target)):
        if t is not None:
            names |= {n for n, p in inspect.signature(_resolve(t)).parameters.items()
                      if p.kind is not inspect.Parameter.VAR_KEYWORD}
    return names


@pytest.mark.parametrize("decl", _having(2), ids=lambda d: d.__name__)
def test_function_takes_what_the_declaration_passes(decl: type[Inputs]):
    _, _, target = DECLARATIONS[decl]
    kwargs = decl.from_text(EXAMPLES.get(decl, {})).kwargs()
    takes = _parameters(target)
    unknown = set(kwargs) - takes
    assert not unknown, f"{target} (and where its **options go) does not take {sorted(unknown)}"
    inspect.signature(_resolve(target)).bind_partial(**kwargs)


@pytest.mark.parametrize("decl", _having(2), ids=lambda d: d.__name__)
def test_declaration_has_every_input_of_the_function(decl: type[Inputs]):
    _, _, target = DECLARATIONS[decl]
    passed = set(decl.from_text(EXAMPLES.get(decl, {})).kwargs()) | set(decl.declared())
    missing = _parameters(target) - passed - set(NOT_INPUTS.get(target, {}))
    assert not missing, f"{target} takes {sorted(missing)}, which {decl.__name__} does not declare"
    stale = set(NOT_INPUTS.get(target, {})) - _parameters(target)
    assert not stale, f"NOT_INPUTS lists {sorted(stale)}, which {target} no longer takes"


def test_the_function_check_sees_through_forwarded_options():
    """pnp.run takes **options: a name neither it nor build_model takes is still caught."""
    takes = _parameters("interlayer.transport.pnp:run")
    assert {"porosity", "stern_thickness", "until_nucleation"} <= takes and "bogus_knob" not in takes


@pytest.mark.parametrize("decl", list(DECLARATIONS), ids=lambda d: d.__name__)
def test_every_input_is_fully_declared(decl: type[Inputs]):
    decl()  # the defaults themselves pass the declaration's checks
    for name, (inp, _) in decl.declared().items():
        assert inp.description, f"{name} has no description"
        assert inp.bound is None or inp.bound in BOUNDS, name
        if inp.display is not None:
            parse(f"1 {inp.display}", inp.unit, name)  # the display unit is the quantity's dimension


def test_every_registered_model_is_declared_or_says_why_not():
    declared_models = {model for _, model, _ in DECLARATIONS.values() if model}
    for name in model_names():
        if name.startswith("test-"):
            continue
        assert name in declared_models or name in UNDECLARED, f"model {name!r} has no inputs declaration"


def test_a_field_added_to_a_declaration_reaches_command_and_sweep():
    import dataclasses

    from interlayer.inputs import cli_command, quantity

    @dataclasses.dataclass(frozen=True)
    class Extra(Inputs):
        width: float = quantity(1e-6, "m", "a width", display="um", bound="thickness")

    assert "width" in Extra.sweep_parameters()
    demo = typer.Typer()

    @demo.command()
    @cli_command(Extra)
    def run(inputs: Extra, as_json: bool = typer.Option(False, "--json")) -> None:
        print(inputs.width)

    from typer.testing import CliRunner

    result = CliRunner().invoke(demo, ["--width", "3"])
    assert result.exit_code == 0 and float(result.stdout) == pytest.approx(3e-6)
    bad = CliRunner().invoke(demo, ["--width", "1e300 m"])
    assert bad.exit_code != 0 and str(bad.exception).startswith("width: ")


def test_building_the_command_line_imports_no_physics():
    """The declarations are read when the CLI is built: they must not pull in the solvers (xarray,
    scipy), or every `interlayer ...` call pays for them before it starts (it was 2.4 s once)."""
    import subprocess
    import sys

    code = ("import sys, interlayer.cli, typer; typer.main.get_command(interlayer.cli.app); "
            "print(' '.join(m for m in ('xarray', 'scipy', 'matplotlib', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "", f"building the CLI imported {out.stdout.strip()}"


def test_help_texts_survive_rich_markup():
    """Typer reads help as Rich markup: "[default: 1 um]" and "[cell]" must reach the reader."""
    from typer.testing import CliRunner

    from interlayer.cli import app

    runner = CliRunner()
    env = {"COLUMNS": "300", "TERMINAL_WIDTH": "300"}
    phasefield = runner.invoke(app, ["phasefield", "--help"], env=env).output
    assert "Slit width (pores) [default: 1 um]" in phasefield
    cell = runner.invoke(app, ["cell", "--help"], env=env).output
    assert "A cell TOML: [cell] with" in cell and "[protocol] steps" in cell
    models = runner.invoke(app, ["sweep", "--list-models"], env=env)
    assert "slit width (pores) [default: 1 um]" in models.output


def test_the_same_field_takes_the_same_option_names_in_every_command():
    """--current / --current-density, --stack-pressure / --pressure, --electron-density /
    --electron-concentration: every command that has the field takes both spellings."""
    spellings = {"current_density": {"current", "current-density"},
                 "stack_pressure": {"stack-pressure"}, "electron_density": {"electron-density"}}
    same_field = {"pressure": "stack_pressure", "electron_concentration": "electron_density"}
    for decl in (DesignInputs, TransportInputs, PhaseFieldInputs):
        options = _command_options(DECLARATIONS[decl][0])
        for name in decl.declared():
            wanted = spellings.get(same_field.get(name, name))
            if wanted:
                assert wanted <= options, f"{decl.__name__}.{name}: {sorted(wanted - options)} missing"


@pytest.mark.parametrize("decl", list(DECLARATIONS), ids=lambda d: d.__name__)
def test_recorded_input_attrs_are_generated_from_the_declaration(decl: type[Inputs]):
    import json

    import xarray as xr

    inputs = decl.from_text(EXAMPLES.get(decl, {}))
    ds = inputs.record(xr.Dataset())
    given = {k for k in decl.declared() if getattr(inputs, k) is not None}
    assert {k[len("input_"):] for k in ds.attrs if k not in ("input_units", "input_model")} == given
    units = json.loads(ds.attrs["input_units"])
    for name, unit in units.items():
        assert decl.declared()[name][0].unit == unit
    assert ds.attrs["input_model"] == decl.model


def test_a_command_s_file_records_the_inputs_it_was_given(tmp_path):
    import xarray as xr

    from interlayer.cli import main

    out = tmp_path / "cell.nc"
    assert main(["cell", "--sigma-e", "3e-5 S/cm", "--protocol", "Cycle at 0.1 mA/cm2 until 0.1 mAh/cm2, 1 times",
                 "--out", str(out), "--json"]) == 0
    ds = xr.load_dataset(out)
    assert ds.attrs["input_sigma_e"] == pytest.approx(3e-3) and ds.attrs["input_model"] == "cell"
