"""``python -m interlayer`` runs the command-line tool."""

import sys

from interlayer.cli import main

sys.exit(main())
