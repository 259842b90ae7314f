"""The ``interlayer`` command-line tool (Typer).

Thin by design: each subcommand lives in its own module with a ``register(app)`` function,
parses its options (units at the edge), calls the API and prints. Conventions:

* ``--json`` prints machine-readable output on stdout and nothing else goes there
  (tables, progress bars and warnings go to stderr);
* bad input exits with code 2 and a one-line message naming the field;
* ``--plot FILE.png`` where a picture helps.
"""

from __future__ import annotations

import importlib
import sys

import typer

try:  # Typer >= 0.26 vendors Click; older Typer uses the click package
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover
    from click import exceptions as click_exceptions  # type: ignore[no-redef]  # same module, older Typer

from interlayer.errors import InputError, SolverError

app = typer.Typer(
    name="interlayer",
    help="Design Li-metal anode interlayers for all-solid-state batteries and read cell data against the design.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Each module registers its own commands; the list fixes the order in --help.
COMMAND_MODULES = ("design", "map", "materials", "layers", "optimize", "predict", "cell", "transport", "transport_paper", "phasefield", "analyze", "sweep", "reproduce")


def _register_all() -> None:
    for name in COMMAND_MODULES:
        module_name = f"interlayer.cli.{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # that command is not part of this build
                continue
            raise
        module.register(app)


def _print_version(value: bool) -> None:
    if value:
        from interlayer import __version__

        print(f"interlayer {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Design Li-metal anode interlayers and read cell data against the design."""


_register_all()


def main(argv: list[str] | None = None) -> int:
    """Console entry point: run the app, turning bad input into exit code 2 and one line."""
    try:
        result = app(args=argv, standalone_mode=False)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except click_exceptions.UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `interlayer`: show the help
            exc.show()
            return 0
        where = f" ({exc.ctx.command_path})" if exc.ctx is not None else ""
        message = " ".join(exc.format_message().split())
        print(f"error{where}: {message}", file=sys.stderr)
        return 2
    except (typer.Abort, KeyboardInterrupt):
        print("aborted", file=sys.stderr)
        return 130
    except typer.Exit as exc:
        return exc.exit_code
    except SolverError as exc:
        print(f"solver failed: {exc}", file=sys.stderr)
        return 1
    # with standalone_mode=False, an interrupted command returns its exit code (130) instead of raising
    return result if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
