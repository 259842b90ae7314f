"""The paper's cell and protocol, the defaults every model starts from (SI; one place for each).

Kept free of heavy imports: the input declarations (:mod:`interlayer.inputs`) read them when the
command line is built.
"""

#: Interlayer thickness of the paper's cells, m (90 um).
PAPER_THICKNESS = 90e-6
#: Stack pressure of the paper's cells, Pa (1 MPa).
PAPER_STACK_PRESSURE = 1e6
#: Plating time per half cycle of the paper's step tests, s (1 h).
DEFAULT_HALF_CYCLE = 3600.0
