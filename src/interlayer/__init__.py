"""interlayer: design and analysis of Li-metal anode interlayers for all-solid-state batteries.

SI units inside (floats and NumPy arrays); unit strings are parsed only at the edges
(:mod:`interlayer.units`, the CLI and config files).
"""

from interlayer.errors import InputError, SolverError

__version__ = "0.1.0"
__all__ = ["InputError", "SolverError", "__version__"]
