"""Incremental PCA: principal components updated batch by batch (Ross et al., 2008, as
scikit-learn's ``IncrementalPCA``), each batch a row-split array."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

import heat.linalg as hla
from heat.core.dndarray import DNDarray

from .._base import BaseEstimator, TransformerMixin
from .._data import as_samples, wrap
from ._svd import CenteredProjection, allsum, column_mean_var, flip_signs, replicated

__all__ = ["IncrementalPCA", "batches"]


def batches(n: int, size: int, min_size: int = 0) -> list[slice]:
    """Consecutive row ranges of ``size`` rows; a last range shorter than ``min_size`` is merged
    into the one before (scikit-learn's ``gen_batches``).

    >>> batches(7, 3, min_size=2)
    [slice(0, 3, None), slice(3, 7, None)]
    """
    out = []
    start = 0
    for _ in range(n // size):
        if start + size + min_size > n:
            continue
        out.append(slice(start, start + size))
        start += size
    if start < n:
        out.append(slice(start, n))
    return out


class IncrementalPCA(CenteredProjection, TransformerMixin, BaseEstimator):
    """PCA fitted in batches of rows (``sklearn.decomposition.IncrementalPCA``): after each batch
    only the components, singular values, mean, variance and count are kept.

    Parameters
    ----------
    n_components : int or None
        Components kept (None: ``min(n_samples of the first batch, n_features)``).
    whiten : bool
        Scale the projections to unit variance.
    copy : bool
        Accepted for scikit-learn compatibility (the input is never modified).
    batch_size : int or None
        Rows per batch in ``fit`` (None: ``5 * n_features``).

    Attributes
    ----------
    components_, explained_variance_, explained_variance_ratio_, singular_values_, mean_,
    var_ : DNDarray, replicated
    n_components_, n_samples_seen_, n_features_in_ : int
    noise_variance_ : float

    Notes
    -----
    Each update is the SVD of the stack of the previous ``singular_values_ * components_``
    (replicated, on rank 0), the centred batch (row-split, where its rows are) and the
    mean-correction row, computed by heat-linalg's ``svd`` on the distributed stack (TSQR: a
    d x d factor is replicated); the row order of the stack does not change its right
    singular vectors. Batches of ``fit`` are the same global row ranges as scikit-learn's, so
    the results agree with it up to rounding; a batch whose rows live on one rank is
    processed by that rank's TSQR leaf, the others contributing empty blocks.

    Examples
    --------
    >>> import heat as ht
    >>> x = ht.array([[1.0, 2.0], [2.0, 4.1], [3.0, 5.9], [4.0, 8.0]], split=0)
    >>> ht.decomposition.IncrementalPCA(1, batch_size=2).fit(x).components_.shape
    (1, 2)
    """

    components_: DNDarray
    singular_values_: DNDarray
    mean_: DNDarray
    var_: DNDarray
    explained_variance_: DNDarray
    explained_variance_ratio_: DNDarray
    n_components_: int
    n_samples_seen_: int
    n_features_in_: int
    noise_variance_: float

    def __init__(
        self,
        n_components: int | None = None,
        whiten: bool = False,
        copy: bool = True,
        batch_size: int | None = None,
    ) -> None:
        self.n_components = n_components
        self.whiten = whiten
        self.copy = copy
        self.batch_size = batch_size

    def _reset(self) -> None:
        for name in ("components_", "n_samples_seen_", "mean_", "var_", "singular_values_"):
            self.__dict__.pop(name, None)

    def fit(self, X: Any, y: Any = None) -> IncrementalPCA:  # noqa: N803
        """Fit on ``X`` in batches of ``batch_size`` rows (starting afresh)."""
        x = as_samples(X, "IncrementalPCA.fit")
        n, d = x.gshape
        size = 5 * d if self.batch_size is None else int(self.batch_size)
        if size < 1:
            raise ValueError(f"IncrementalPCA.fit: batch_size must be >= 1, got {self.batch_size!r}")
        self._reset()
        for rows in batches(n, size, min_size=self.n_components or 0):
            self._update(x[rows], "IncrementalPCA.fit")
        return self

    def partial_fit(self, X: Any, y: Any = None) -> IncrementalPCA:  # noqa: N803
        """Update the fit with the batch ``X``."""
        self._update(as_samples(X, "IncrementalPCA.partial_fit"), "IncrementalPCA.partial_fit")
        return self

    def _update(self, x: DNDarray, who: str) -> None:
        n, d = x.gshape
        first = not hasattr(self, "components_")
        if not first and d != self.n_features_in_:
            raise ValueError(
                f"X has {d} features, but IncrementalPCA is expecting {self.n_features_in_} features as input"
            )
        if self.n_components is None:
            k = min(n, d) if first else self.n_components_
        else:
            k = self.n_components
            if not isinstance(k, int | np.integer) or not 1 <= k <= d:
                raise ValueError(f"{who}: n_components={k!r} invalid for n_features={d}, need more rows!")
            if k > n:
                raise ValueError(
                    f"{who}: n_components={k} must be less or equal to the batch number of samples {n}"
                )
        k = int(k)
        if not first and k != self.n_components_:
            raise ValueError(
                f"{who}: Number of input features has changed from {self.n_components_} to {k} between calls "
                "to partial_fit! Try setting n_components to a fixed value."
            )
        dtype = x.larray.dtype
        seen = 0 if first else self.n_samples_seen_
        batch_mean, batch_var = column_mean_var(x)
        total = seen + n
        if first:
            mean, var = batch_mean, batch_var
        else:
            last_mean = self.mean_.larray.to(torch.float64)
            last_var = self.var_.larray.to(torch.float64)
            mean = (seen * last_mean + n * batch_mean) / total
            m2 = seen * last_var + n * batch_var + (seen * n / total) * (last_mean - batch_mean) ** 2
            var = m2 / total
        local = (x.larray.to(torch.float64) - batch_mean).to(dtype)
        comm = x.comm
        extra = []
        if not first and comm.rank == 0:
            previous = self.singular_values_.larray.unsqueeze(1) * self.components_.larray
            extra.append(previous.to(dtype))
        if not first and comm.rank == comm.size - 1:
            correction = math.sqrt(seen / total * n) * (last_mean - batch_mean)
            extra.append(correction.to(dtype).unsqueeze(0))
        if extra:
            local = torch.cat([extra[0], local, *extra[1:]]) if comm.rank == 0 else torch.cat([local, *extra])
        mine = torch.zeros(comm.size, dtype=torch.int64)
        mine[comm.rank] = local.shape[0]
        counts = [int(c) for c in allsum(mine, x).tolist()]
        stack = wrap(local.contiguous(), x, counts=counts)
        _, s_d, vh_d = hla.svd(stack, full_matrices=False)
        s = replicated(s_d).to(dtype)
        vh = replicated(vh_d).to(dtype)
        if vh.shape[0] != s.numel():  # a factor returned transposed
            vh = vh.T
        vh, _ = flip_signs(vh.contiguous())
        explained = s.to(torch.float64) ** 2 / (total - 1)
        ratio = s.to(torch.float64) ** 2 / float((var * total).sum())
        self.n_samples_seen_ = total
        self.n_components_ = k
        self.n_features_in_ = d
        self.components_ = wrap(vh[:k].contiguous(), x, split=None)
        self.singular_values_ = wrap(s[:k].contiguous(), x, split=None)
        self.mean_ = wrap(mean.to(dtype), x, split=None)
        self.var_ = wrap(var.to(dtype), x, split=None)
        self.explained_variance_ = wrap(explained[:k].to(dtype), x, split=None)
        self.explained_variance_ratio_ = wrap(ratio[:k].to(dtype), x, split=None)
        rest = explained[k:]
        self.noise_variance_ = float(rest.mean()) if k not in (n, d) and rest.numel() else 0.0
