"""The solver caps of interlayer.limits (solver_wall_time, solver_attempts) stop every solver loop with
SolverError and its diagnostics: exit 1 and one line from the CLI, naming the limit and its variable."""

from __future__ import annotations

import pytest

from interlayer.errors import SolverError


def _one_solver_line(rc, err, *needles):
    lines = err.strip().splitlines()
    assert rc == 1, err
    assert len(lines) == 1 and lines[0].startswith("solver failed:") and "Traceback" not in err, err
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_pnp_transient_stops_at_the_attempts_cap(cli, monkeypatch):
    monkeypatch.setenv("INTERLAYER_LIMIT_SOLVER_ATTEMPTS", "3")
    rc, _, err = cli("transport", "--time", "2s", "--json")
    _one_solver_line(rc, err, "3 Newton solves", "solver_attempts = 3", "INTERLAYER_LIMIT_SOLVER_ATTEMPTS")


def test_pnp_transient_stops_at_the_wall_time_cap(cli, monkeypatch):
    monkeypatch.setenv("INTERLAYER_LIMIT_SOLVER_WALL_TIME", "1e-9")
    rc, _, err = cli("transport", "--time", "2s", "--json")
    _one_solver_line(rc, err, "wall time above the limit solver_wall_time", "INTERLAYER_LIMIT_SOLVER_WALL_TIME")


@pytest.mark.parametrize(("variable", "value", "needle"), [
    ("INTERLAYER_LIMIT_SOLVER_ATTEMPTS", "2", "the cap on pseudo-transient steps"),
    ("INTERLAYER_LIMIT_SOLVER_WALL_TIME", "1e-9", "wall time above the limit solver_wall_time"),
])
def test_pnp_steady_continuation_stops_at_its_caps(cli, monkeypatch, variable, value, needle):
    """Every Newton solve fails (as at -2 V): the pseudo-transient continuation must stop, not loop."""
    from interlayer.transport.pnp import stepping

    calls = {"n": 0}

    def never_converges(*args, **kwargs):
        calls["n"] += 1
        raise SolverError("Newton did not converge", [1.0], 25)

    monkeypatch.setattr(stepping, "newton", never_converges)
    monkeypatch.setenv(variable, value)
    rc, _, err = cli("transport", "--steady", "--json")
    _one_solver_line(rc, err, "steady PNP state not found", needle)
    # the plain Newton solve, then at most the capped continuation steps (none past the wall time)
    expected = 1 + int(value) if variable.endswith("ATTEMPTS") else 1
    assert calls["n"] == expected


def test_phasefield_stops_at_the_wall_time_cap(cli, monkeypatch):
    monkeypatch.setenv("INTERLAYER_LIMIT_SOLVER_WALL_TIME", "1e-9")
    rc, _, err = cli("phasefield", "--grid", "64", "--steps", "50", "--json")
    _one_solver_line(rc, err, "phase-field run stopped at step 0 of 50", "solver_wall_time")


def test_a_bad_override_is_refused_naming_the_variable(cli, monkeypatch):
    monkeypatch.setenv("INTERLAYER_LIMIT_SOLVER_WALL_TIME", "-1")
    rc, _, err = cli("transport", "--time", "2s", "--json")
    assert rc == 2 and "INTERLAYER_LIMIT_SOLVER_WALL_TIME" in err and len(err.strip().splitlines()) == 1, err
