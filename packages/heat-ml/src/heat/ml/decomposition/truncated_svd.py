"""Truncated SVD (latent semantic analysis) of row-split data, without centring."""

from __future__ import annotations

from typing import Any

import numpy as np

import heat.linalg as hla
from heat.core.dndarray import DNDarray

from .._base import BaseEstimator, TransformerMixin, check_is_fitted
from .._data import as_samples, check_features, wrap
from ._svd import column_mean_var, flip_signs, replicated

__all__ = ["TruncatedSVD"]

_ALGORITHMS = ("randomized", "arpack")


class TruncatedSVD(TransformerMixin, BaseEstimator):
    """Dimensionality reduction by a truncated SVD of ``X`` itself (no centring), as
    ``sklearn.decomposition.TruncatedSVD``.

    Parameters
    ----------
    n_components : int
        Components kept, ``1 <= n_components <= n_features``.
    algorithm : {'randomized', 'arpack'}
        'randomized': heat-linalg's ``rsvd`` (Halko et al., ``n_iter`` power iterations).
        'arpack': the exact ``svd`` (TSQR for tall row-split data: the d x d triangular factor
        is replicated), truncated; scikit-learn's ARPACK gives the same factors.
    n_iter : int
        Power iterations of the randomized solver.
    n_oversamples : int
    random_state : int or None
        Seed of the randomized solver (heat.random: the same for any process count).
    tol : float
        Accepted for scikit-learn compatibility (the exact solver has no tolerance).

    Attributes
    ----------
    components_ : DNDarray (n_components, n_features), replicated
    explained_variance_, explained_variance_ratio_, singular_values_ : DNDarray, replicated
        Variance (ddof 0) of each column of the transformed data, its share of the total
        variance of ``X``, and the singular values.
    n_features_in_ : int

    Notes
    -----
    Signs follow scikit-learn's ``svd_flip(u_based_decision=False)``. The transformed data
    keeps ``X``'s row distribution; statistics cost two all-reduces of d numbers.

    Examples
    --------
    >>> import heat as ht
    >>> x = ht.array([[1.0, 0.0], [0.0, 2.0], [1.0, 2.0]], split=0)
    >>> ht.decomposition.TruncatedSVD(1, algorithm="arpack").fit(x).components_.shape
    (1, 2)
    """

    def __init__(
        self,
        n_components: int = 2,
        algorithm: str = "randomized",
        n_iter: int = 5,
        n_oversamples: int = 10,
        random_state: int | None = None,
        tol: float = 0.0,
    ) -> None:
        self.n_components = n_components
        self.algorithm = algorithm
        self.n_iter = n_iter
        self.n_oversamples = n_oversamples
        self.random_state = random_state
        self.tol = tol

    def fit(self, X: Any, y: Any = None) -> TruncatedSVD:  # noqa: N803
        """Fit the components on ``X`` (split along rows, replicated or NumPy)."""
        self.fit_transform(X)
        return self

    def fit_transform(self, X: Any, y: Any = None) -> DNDarray:  # noqa: N803
        """Fit and return ``X @ components_.T`` (rows distributed like ``X``'s)."""
        if self.algorithm not in _ALGORITHMS:
            raise ValueError(
                f"TruncatedSVD: algorithm must be one of {', '.join(_ALGORITHMS)}, got {self.algorithm!r}"
            )
        x = as_samples(X, "TruncatedSVD.fit")
        d = x.gshape[1]
        k = self.n_components
        if not isinstance(k, int | np.integer) or not 1 <= k <= d or (self.algorithm == "arpack" and k >= d):
            most = d - 1 if self.algorithm == "arpack" else d
            raise ValueError(
                f"TruncatedSVD: n_components={k!r} must be an int in [1, {most}] for algorithm "
                f"{self.algorithm!r} and {d} features"
            )
        k = int(k)
        if self.algorithm == "arpack":
            _, s_d, vh_d = hla.svd(x, full_matrices=False)
        else:
            seed = 0 if self.random_state is None else int(self.random_state)
            _, s_d, vh_d = hla.rsvd(
                x, k, n_oversamples=int(self.n_oversamples), power_iter=int(self.n_iter), seed=seed
            )
        dtype = x.larray.dtype
        s = replicated(s_d).to(dtype)[:k]
        vh = replicated(vh_d).to(dtype)
        if vh.shape[0] != replicated(s_d).numel():  # a factor returned transposed
            vh = vh.T
        vh, _ = flip_signs(vh[:k].contiguous())
        out = x.larray @ vh.T
        transformed = wrap(out, x)
        _, transformed_var = column_mean_var(transformed)
        _, x_var = column_mean_var(x)
        total = float(x_var.sum())
        self.components_ = wrap(vh.contiguous(), x, split=None)
        self.singular_values_ = wrap(s.contiguous(), x, split=None)
        self.explained_variance_ = wrap(transformed_var.to(dtype), x, split=None)
        ratio = transformed_var / total if total > 0 else transformed_var.new_zeros(k)
        self.explained_variance_ratio_ = wrap(ratio.to(dtype), x, split=None)
        self.n_features_in_ = d
        return transformed

    def transform(self, X: Any) -> DNDarray:  # noqa: N803
        """``X @ components_.T``, rows distributed like ``X``'s (local)."""
        check_is_fitted(self, "components_")
        x = as_samples(X, "TruncatedSVD.transform", dtype=self.components_.larray.dtype)
        check_features(x, self.n_features_in_, "TruncatedSVD")
        return wrap(x.larray @ self.components_.larray.T, x)

    def inverse_transform(self, X: Any) -> DNDarray:  # noqa: N803
        """``X @ components_`` back in the feature space (local)."""
        check_is_fitted(self, "components_")
        x = as_samples(X, "TruncatedSVD.inverse_transform", dtype=self.components_.larray.dtype)
        return wrap(x.larray @ self.components_.larray, x)
