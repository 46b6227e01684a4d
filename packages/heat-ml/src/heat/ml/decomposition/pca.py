"""Principal component analysis of row-split data."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

import heat.linalg as hla
from heat.core.dndarray import DNDarray

from .._base import BaseEstimator, TransformerMixin
from .._data import as_samples, wrap
from ._svd import CenteredProjection, flip_signs, replicated

__all__ = ["PCA"]

_SOLVERS = ("auto", "full", "randomized", "hierarchical")


class PCA(CenteredProjection, TransformerMixin, BaseEstimator):
    """Principal component analysis (``sklearn.decomposition.PCA``).

    Parameters
    ----------
    n_components : int, float in (0, 1) or None
        Components kept: a number, the smallest number explaining that fraction of the
        variance, or all (``min(n_samples, n_features)``).
    copy : bool
        Accepted for scikit-learn compatibility (the input is never modified).
    whiten : bool
        Scale the projections to unit variance.
    svd_solver : {'auto', 'full', 'randomized', 'hierarchical'}
        'full'/'auto': heat-linalg's exact ``svd`` of the centred data (TSQR for row-split
        tall data: the d x d triangular factor is replicated). 'randomized': ``rsvd``.
        'hierarchical': ``hsvd`` (the published Heat's merge-tree SVD).
    iterated_power : int or 'auto'
        Power iterations of the randomized solver ('auto': 7 when fewer than 10% of the
        features are kept, else 4, as scikit-learn).
    n_oversamples : int
    random_state : int or None
        Seed of the randomized solver.

    Attributes
    ----------
    components_, explained_variance_, explained_variance_ratio_, singular_values_, mean_ :
        DNDarray, replicated
    n_components_, n_samples_, n_features_in_ : int
    noise_variance_ : float

    Notes
    -----
    Signs follow scikit-learn's ``svd_flip(u_based_decision=False)``: the largest-magnitude
    entry of each component is positive.

    Examples
    --------
    >>> import heat as ht
    >>> x = ht.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]], split=0)
    >>> ht.decomposition.PCA(n_components=1).fit(x).explained_variance_ratio_.numpy()
    array([1.])
    """

    def __init__(
        self,
        n_components: int | float | None = None,
        copy: bool = True,
        whiten: bool = False,
        svd_solver: str = "auto",
        tol: float = 0.0,
        iterated_power: int | str = "auto",
        n_oversamples: int = 10,
        random_state: int | None = None,
    ) -> None:
        self.n_components = n_components
        self.copy = copy
        self.whiten = whiten
        self.svd_solver = svd_solver
        self.tol = tol
        self.iterated_power = iterated_power
        self.n_oversamples = n_oversamples
        self.random_state = random_state

    def _count(self, n: int, d: int) -> int:
        k = self.n_components
        top = min(n, d)
        if k is None:
            return top
        if isinstance(k, float) and 0 < k < 1:
            return -1  # decided from the spectrum
        if not isinstance(k, int | np.integer) or not 0 <= k <= top:
            raise ValueError(
                f"PCA: n_components={k!r} must be between 0 and min(n_samples, n_features)={top}, or a float "
                "in (0, 1)"
            )
        return int(k)

    def fit(self, X: Any, y: Any = None) -> PCA:  # noqa: N803
        """Fit the components on ``X`` (split along rows, replicated or NumPy)."""
        self._fit(X)
        return self

    def _fit(self, X: Any) -> tuple[DNDarray, DNDarray | None, torch.Tensor | None]:  # noqa: N803
        if self.svd_solver not in _SOLVERS:
            raise ValueError(f"PCA: svd_solver must be one of {', '.join(_SOLVERS)}, got {self.svd_solver!r}")
        x = as_samples(X, "PCA.fit")
        n, d = x.gshape
        if n < 2:
            raise ValueError(f"PCA: needs at least 2 samples, got {n}")
        k = self._count(n, d)
        comm = x.comm
        mean = x.larray.sum(0)
        if comm.size > 1:
            mean = comm.unchecked.allreduce(mean.contiguous(), "sum")
        mean = mean / n
        xc = wrap(x.larray - mean, x)
        total_sq = (xc.larray * xc.larray).sum().reshape(1)
        if comm.size > 1:
            total_sq = comm.unchecked.allreduce(total_sq.contiguous(), "sum")
        total_var = float(total_sq[0]) / (n - 1)
        solver = "full" if self.svd_solver == "auto" else self.svd_solver
        u: DNDarray | None
        if solver == "full" or k == -1:
            u, s_d, vh_d = hla.svd(xc, full_matrices=False)
        elif solver == "randomized":
            power = self.iterated_power
            if power == "auto":
                power = 7 if k < 0.1 * min(n, d) else 4
            seed = 0 if self.random_state is None else int(self.random_state)
            u, s_d, vh_d = hla.rsvd(
                xc, k, n_oversamples=int(self.n_oversamples), power_iter=int(power), seed=seed
            )
        else:
            u, s_d, vh_d, _ = hla.hsvd(xc, maxrank=k)
        s = replicated(s_d).to(x.larray.dtype)
        vh = replicated(vh_d).to(x.larray.dtype)
        if vh.shape[0] != s.numel():  # a factor returned transposed
            vh = vh.T
        ev = s * s / (n - 1)
        ratio = ev / total_var if total_var > 0 else torch.zeros_like(ev)
        if k == -1:
            cum = torch.cumsum(ratio.to(torch.float64), 0)
            k = (
                int(
                    torch.searchsorted(
                        cum, torch.tensor([float(self.n_components or 0)], dtype=torch.float64), right=True
                    )[0]
                )
                + 1
            )
            k = min(k, s.numel())
        vh = vh[:k]
        vh, signs = flip_signs(vh)
        self.components_ = wrap(vh.contiguous(), x, split=None)
        self.explained_variance_ = wrap(ev[:k].contiguous(), x, split=None)
        self.explained_variance_ratio_ = wrap(ratio[:k].contiguous(), x, split=None)
        self.singular_values_ = wrap(s[:k].contiguous(), x, split=None)
        self.mean_ = wrap(mean, x, split=None)
        self.n_components_ = k
        self.n_samples_ = n
        self.n_features_in_ = d
        rest = min(n, d) - k
        self.noise_variance_ = (total_var - float(ev[:k].sum())) / rest if rest > 0 else 0.0
        return x, u, signs
