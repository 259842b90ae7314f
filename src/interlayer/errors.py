"""Exceptions shared by every part of the package."""

from __future__ import annotations


class InputError(ValueError):
    """Bad user input: names the offending field and what is allowed.

    The CLI turns it into a one-line message and exit code 2.
    """

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class SolverError(RuntimeError):
    """A numerical solve failed; carries diagnostics instead of returning garbage.

    Parameters
    ----------
    message : str
        What failed.
    residuals : sequence of float, optional
        Residual norm history of the failed solve.
    iterations : int, optional
        Iterations (or steps) taken before failing.
    hint : str, optional
        What the user might change (smaller time step, finer mesh, ...).
    diagnostics : dict, optional
        The solver's state where it failed (kept on the exception, not printed).
    """

    def __init__(self, message: str, residuals=None, iterations: int | None = None, hint: str = "",
                 diagnostics: dict | None = None):
        self.residuals = list(residuals) if residuals is not None else []
        self.iterations = iterations
        self.hint = hint
        self.diagnostics = dict(diagnostics) if diagnostics is not None else {}
        detail = message
        if iterations is not None:
            detail += f" after {iterations} iterations"
        if self.residuals:
            detail += f"; last residual {self.residuals[-1]:.3e}"
        if hint:
            detail += f". Hint: {hint}"
        super().__init__(detail)


class StoreError(RuntimeError):
    """A sweep store failed while a run was writing it (deleted, damaged, disk full, read-only).

    Not bad input: the run had started. The CLI prints one line and exits with code 1.

    Parameters
    ----------
    field : str
        The option the store came from (``out``).
    message : str
        What happened, with the store's path.
    """

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")
