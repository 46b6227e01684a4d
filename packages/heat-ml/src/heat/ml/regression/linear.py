"""Least squares (LinearRegression) and Ridge by the normal equations."""

from __future__ import annotations

from typing import Any

import torch

from heat.core.dndarray import DNDarray

from .._base import BaseEstimator, RegressorMixin, check_is_fitted
from .._data import as_samples, as_targets, check_features, wrap
from ._centering import allsum, center

__all__ = ["LinearRegression", "Ridge"]


class _NormalEquations(RegressorMixin, BaseEstimator):
    """Fit ``w`` from the Gram matrix ``X^T X`` and ``X^T y`` of the centred data.

    Distribution: every rank forms its rows' ``X^T [X y]`` (d x (d + 1)); **one**
    all-reduce sums them, so the small d x d Gram matrix is replicated and solved on every
    rank (O(d^2) memory, O(d^3) work per rank). Suited to tall-skinny data (n >> d); the
    condition number is squared compared with a QR-based solve.
    """

    fit_intercept: bool

    def _solve(self, gram: torch.Tensor, rhs: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def fit(self, X: Any, y: Any) -> _NormalEquations:  # noqa: N803
        """Fit on row-split (or replicated, or NumPy) ``X`` and ``y``."""
        who = f"{type(self).__name__}.fit"
        x = as_samples(X, who)
        t = as_targets(y, x, who)
        c = center(x, t, self.fit_intercept)
        d = x.gshape[1]
        both = allsum(c.x.T @ torch.cat([c.x, c.y.unsqueeze(1)], 1), x.comm)
        coef = self._solve(both[:, :d].to(torch.float64), both[:, d].to(torch.float64)).to(x.larray.dtype)
        self.coef_ = wrap(coef, x, split=None)
        self.intercept_ = float(c.y_mean - c.x_mean @ coef) if self.fit_intercept else 0.0
        self.n_features_in_ = d
        return self

    def predict(self, X: Any) -> DNDarray:  # noqa: N803
        """``X @ coef_ + intercept_``, split like ``X``'s rows (no communication)."""
        check_is_fitted(self, "coef_")
        x = as_samples(X, f"{type(self).__name__}.predict", dtype=self.coef_.larray.dtype)
        check_features(x, self.n_features_in_, type(self).__name__)
        return wrap(x.larray @ self.coef_.larray + self.intercept_, x)


class LinearRegression(_NormalEquations):
    """Ordinary least squares (``sklearn.linear_model.LinearRegression``), by the normal
    equations with one all-reduce of the d x d Gram matrix (replicated, see
    :class:`_NormalEquations`); a rank-deficient ``X`` gets the minimum-norm solution (the
    pseudo-inverse of the Gram matrix), as SciPy's ``lstsq``.

    Examples
    --------
    >>> import heat as ht
    >>> x = ht.array([[0.0], [1.0], [2.0]], split=0)
    >>> lr = ht.regression.LinearRegression().fit(x, ht.array([1.0, 3.0, 5.0], split=0))
    >>> round(float(lr.coef_.numpy()[0]), 6), round(lr.intercept_, 6)
    (2.0, 1.0)
    """

    def __init__(self, fit_intercept: bool = True) -> None:
        self.fit_intercept = fit_intercept

    def _solve(self, gram: torch.Tensor, rhs: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = torch.linalg.pinv(gram, hermitian=True) @ rhs
        return out


class Ridge(_NormalEquations):
    """Least squares with an L2 penalty ``||y - X w - b||^2 + alpha ||w||^2``
    (``sklearn.linear_model.Ridge``), by the regularised normal equations (one all-reduce of
    the d x d Gram matrix, replicated; see :class:`_NormalEquations`).

    Examples
    --------
    >>> import heat as ht
    >>> x = ht.array([[0.0], [1.0], [2.0]], split=0)
    >>> r = ht.regression.Ridge(alpha=1.0).fit(x, ht.array([1.0, 3.0, 5.0], split=0))
    >>> round(float(r.coef_.numpy()[0]), 6)
    1.333333
    """

    def __init__(self, alpha: float = 1.0, fit_intercept: bool = True) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept

    def _solve(self, gram: torch.Tensor, rhs: torch.Tensor) -> torch.Tensor:
        if not self.alpha >= 0:
            raise ValueError(f"Ridge.fit: alpha must be >= 0, got {self.alpha}")
        reg = gram + float(self.alpha) * torch.eye(gram.shape[0], dtype=gram.dtype, device=gram.device)
        out: torch.Tensor
        if self.alpha > 0:
            out = torch.linalg.solve(reg, rhs)
        else:
            out = torch.linalg.pinv(reg, hermitian=True) @ rhs
        return out
