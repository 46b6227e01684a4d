"""The error heat.linalg raises for numerically impossible requests."""

from __future__ import annotations

__all__ = ["LinAlgError"]


class LinAlgError(ValueError):
    """A linear-algebra operation is impossible for these values: a singular matrix for
    ``solve``/``inv``, a matrix that is not positive definite for ``cholesky``, an iteration that
    does not converge.

    Like NumPy's ``numpy.linalg.LinAlgError`` it derives from ``ValueError``, so
    ``except ValueError`` catches both shape errors and singular matrices. The verdict is
    agreed on every rank before it is raised: every rank raises.

    Examples
    --------
    >>> issubclass(LinAlgError, ValueError)
    True
    """
