"""Record the baseline: ``python tests/regression/record.py [NAME ...]`` (all cases by default)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from cases import CASES, arguments  # noqa: E402

from interlayer.cli import app  # noqa: E402

BASELINE = Path(__file__).parent / "baseline"


def main(names: list[str]) -> None:
    BASELINE.mkdir(exist_ok=True)
    runner = CliRunner()
    for name in names or list(CASES):
        result = runner.invoke(app, arguments(name), catch_exceptions=False)
        if result.exit_code != 0:
            raise SystemExit(f"{name}: exit {result.exit_code}: {result.output[-500:]}")
        data = json.loads(result.stdout)
        (BASELINE / f"{name}.json").write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
        print(f"{name}: {len(result.stdout)} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
