"""User material files (`--material ./my-layer.toml`): the library's schema, validated the same way;
a bad file is exit 2 with one line naming the file and the key."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from interlayer import materials
from interlayer.errors import InputError

LIBRARY = Path(materials.__file__).parent / "data"
SIGMA_E = 'value = 2.8e-5\nunit = "S/cm"'


@pytest.fixture
def copy(tmp_path):
    """``copy(edit=None, name="my-layer.toml") -> Path``: lni-5cnt.toml copied, optionally edited."""

    def make(edit=None, name="my-layer.toml"):
        text = (LIBRARY / "lni-5cnt.toml").read_text()
        if edit is not None:
            edited = edit(text)
            assert edited != text, "the edit changed nothing"
            text = edited
        path = tmp_path / name
        path.write_text(text)
        return path

    return make


def _design(cli, material, *extra):
    rc, out, err = cli("design", "--material", material, "--current", "0.5:4:0.5", *extra, "--json")
    assert rc == 0, err
    return json.loads(out)


def test_an_unchanged_copy_gives_the_library_result(cli, copy):
    mine, library = _design(cli, str(copy())), _design(cli, "lni-5cnt")
    assert mine["inputs"]["material"] == str(copy()) and mine["inputs"]["label"] == str(copy())
    for doc in (mine, library):
        doc["inputs"].pop("material"), doc["inputs"].pop("label")
    assert mine == library


def test_a_changed_value_gives_the_changed_result(cli, copy):
    path = copy(lambda t: t.replace(SIGMA_E, 'value = 2.8e-4\nunit = "S/cm"'))
    mine = _design(cli, str(path))
    library = _design(cli, "lni-5cnt")
    same_as_override = _design(cli, "lni-5cnt", "--sigma-e", "2.8e-4 S/cm")
    assert mine["inputs"]["sigma_e_S_cm"] == pytest.approx(2.8e-4)
    assert mine["max_stable_current_mA_cm2"] != library["max_stable_current_mA_cm2"]
    assert mine["max_stable_current_mA_cm2"] == same_as_override["max_stable_current_mA_cm2"]
    assert mine["points"] == same_as_override["points"]


def test_the_api_reads_the_file_and_a_unit_is_converted(copy):
    path = copy(lambda t: t.replace(SIGMA_E, 'value = 2.8e-3\nunit = "S/m"'))
    m = materials.get(str(path))
    assert m.name == str(path) and "lni-5cnt" in m.aliases
    assert m["sigma_e"] == pytest.approx(2.8e-3) and m["sigma_ion"] == pytest.approx(2.9e-2)
    assert m["contact_angle"] == materials.get("lni-5cnt")["contact_angle"]  # inherited from base = "lni"
    assert materials.get(path) is m  # a Path too, and read once while unchanged


def test_a_minimal_file_on_a_library_base(tmp_path, cli):
    path = tmp_path / "thin.toml"
    path.write_text('base = "lni-5cnt"\n[porosity]\nvalue = 0.4\nunit = "dimensionless"\nsource = "mine"\n')
    doc = _design(cli, str(path))
    assert doc["inputs"]["porosity"] == pytest.approx(0.4)


BAD = {
    "missing value": (lambda t: t.replace(SIGMA_E, 'unit = "S/cm"'), r"\[sigma_e\]\.value: missing"),
    "missing source": (lambda t: t.replace('source = "Wang et al. 2024 (measured, 25 degC)"\nnote = "pellet value"\n\n'
                                           "[cnt_fraction]", 'note = "pellet value"\n\n[cnt_fraction]', 1),
                       r"\[sigma_e\]\.source: missing"),
    "wrong unit": (lambda t: t.replace(SIGMA_E, 'value = 2.8e-5\nunit = "ohm*cm^2"'),
                   r"\[sigma_e\]\.unit: 'ohm\*cm\^2' is not a unit of S/m"),
    "no unit of a dimensioned value": (lambda t: t.replace(SIGMA_E, 'value = 2.8e-5\nunit = "dimensionless"'),
                                       r"\[sigma_e\]\.unit: 'dimensionless' is not a unit of S/m"),
    "a unit on a fraction": (lambda t: t.replace('value = 0.05\nunit = "dimensionless"', 'value = 0.05\nunit = "S/m"'),
                             r"\[cnt_fraction\]\.unit: 'S/m' is not \"dimensionless\""),
    "unknown unit": (lambda t: t.replace(SIGMA_E, 'value = 2.8e-5\nunit = "furlong"'),
                     r"\[sigma_e\]\.unit: 'furlong' is not a unit of S/m"),
    "value not a number": (lambda t: t.replace(SIGMA_E, 'value = "lots"\nunit = "S/cm"'),
                           r"\[sigma_e\]\.value: must be a finite number"),
    "unknown property": (lambda t: t + '\n[sigma_x]\nvalue = 1\nunit = "S/m"\nsource = "x"\n',
                         r"\[sigma_x\]: unknown key; known: .*sigma_e"),
    "unknown top-level key": (lambda t: "colour = 3\n" + t, r"\[colour\]: unknown key"),
    "unknown key in a property": (lambda t: t.replace(SIGMA_E, SIGMA_E + "\nerror = 0.1"),
                                  r"\[sigma_e\]\.error: unknown key of a property"),
    "property not a table": (lambda t: "porosity = 0.3\n" + t, r"\[porosity\]: must be a table"),
    "unknown kind": (lambda t: t.replace('kind = "interlayer"', 'kind = "cheese"'), r"\[kind\]: unknown kind"),
    "unknown base": (lambda t: t.replace('base = "lni"', 'base = "lni-7cnt"'), r"\[base\]: unknown material"),
    "not TOML": (lambda t: t.replace("[sigma_e]", "[sigma_e"), r"is not valid TOML"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_file_is_refused_naming_the_file_and_the_key(cli, copy, case):
    edit, pattern = BAD[case]
    path = copy(edit)
    rc, out, err = cli("design", "--material", str(path), "--json")
    lines = err.strip().splitlines()
    assert rc == 2 and out == "" and len(lines) == 1 and "Traceback" not in err, err
    assert str(path) in lines[0], lines[0]
    assert re.search(pattern, lines[0]), lines[0]


def test_a_missing_file_and_a_circular_base_are_refused(cli, tmp_path):
    rc, _, err = cli("design", "--material", str(tmp_path / "nope.toml"))
    assert rc == 2 and "nope.toml: no such file" in err and len(err.strip().splitlines()) == 1
    (tmp_path / "a.toml").write_text('base = "./b.toml"\n')
    (tmp_path / "b.toml").write_text('base = "./a.toml"\n')
    with pytest.raises(InputError, match="circular base chain"):
        materials.get(str(tmp_path / "a.toml"))


def test_library_files_pass_the_same_validation():
    for entry in sorted(LIBRARY.glob("*.toml")):
        m = materials.load_file(entry)
        assert m.properties.keys() <= materials.get(m.aliases[-1]).properties.keys()


@pytest.mark.parametrize("command", [["transport", "--time", "2s"], ["materials"]])
def test_other_commands_take_the_file_too(cli, copy, command):
    path = copy(lambda t: t.replace(SIGMA_E, 'value = 2.8e-4\nunit = "S/cm"'))
    argv = [*command, str(path)] if command == ["materials"] else [*command, "--material", str(path), "--json"]
    rc, out, err = cli(*argv, guard=120)
    assert rc == 0, err
    if command[0] == "transport":
        assert json.loads(out) != json.loads(cli(*command, "--material", "lni-5cnt", "--json", guard=120)[1])
