"""Spectral clustering of row-split data."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

import heat.linalg as hla
from heat.core.dndarray import DNDarray

from .._base import BaseEstimator, ClusterMixin
from .._data import as_samples, wrap
from ..spatial.distance import rbf
from .kmeans import KMeans

__all__ = ["Spectral"]


class Spectral(ClusterMixin, BaseEstimator):
    """Spectral clustering: Gaussian similarities, the symmetric normalised Laplacian
    ``L = I - D^-1/2 W D^-1/2``, its eigenvectors of the smallest eigenvalues by Lanczos
    (heat-linalg), and k-means on that embedding.

    Parameters
    ----------
    n_clusters : int or None
        None: chosen by the largest gap between consecutive Laplacian eigenvalues (among the
        smallest ``max_clusters``).
    gamma : float
        ``W_ij = exp(-gamma |x_i - x_j|^2)`` (scikit-learn's ``rbf`` affinity).
    n_lanczos : int
        Lanczos steps (Krylov dimension), capped at ``n_samples``.
    max_clusters : int
        Upper bound for the eigengap search when ``n_clusters`` is None.
    random_state : int or None
        Seed of the k-means step.

    Attributes
    ----------
    labels_ : DNDarray (n_samples,), split like ``X``'s rows
    affinity_matrix_ : DNDarray (n_samples, n_samples), split 0
    eigenvalues_ : DNDarray, replicated — the smallest Laplacian eigenvalue estimates
    n_clusters_ : int

    Notes
    -----
    The similarity matrix is exact and dense, computed blockwise by the symmetric ring of
    :func:`heat.spatial.cdist`: **O(n^2 / p) memory per rank**. The degrees (n numbers) are
    replicated (one all-gather) to scale the columns. Lanczos works on the row-split matrix
    (one distributed matrix-vector product per step).

    Examples
    --------
    >>> import heat as ht
    >>> x = ht.array([[0.0], [0.1], [5.0], [5.1]], split=0)
    >>> ht.cluster.Spectral(n_clusters=2, random_state=0).fit(x).labels_.shape
    (4,)
    """

    def __init__(
        self,
        n_clusters: int | None = None,
        gamma: float = 1.0,
        n_lanczos: int = 300,
        max_clusters: int = 20,
        random_state: int | None = None,
    ) -> None:
        self.n_clusters = n_clusters
        self.gamma = gamma
        self.n_lanczos = n_lanczos
        self.max_clusters = max_clusters
        self.random_state = random_state

    def fit(self, X: Any, y: Any = None) -> Spectral:  # noqa: N803
        """Cluster the rows of ``X`` (split along rows, replicated or NumPy)."""
        x = as_samples(X, "Spectral.fit")
        n = x.gshape[0]
        k = self.n_clusters
        if k is not None and (not isinstance(k, int | np.integer) or not 1 <= k <= n):
            raise ValueError(f"Spectral: n_clusters must be None or an int in [1, n_samples={n}], got {k!r}")
        if not self.gamma > 0:
            raise ValueError(f"Spectral: gamma must be > 0, got {self.gamma}")
        w = rbf(x, gamma=float(self.gamma))
        comm = x.comm
        deg = w.larray.sum(1)
        every = comm.unchecked.allgather(deg.contiguous(), counts=list(x.counts)) if comm.size > 1 else deg
        scale = every.clamp_min(torch.finfo(every.dtype).tiny).rsqrt()
        rows = scale[sum(x.counts[: comm.rank]) : sum(x.counts[: comm.rank + 1])]
        a = wrap(w.larray * rows.unsqueeze(1) * scale.unsqueeze(0), x)
        m = min(n, int(self.n_lanczos))
        v, t = hla.lanczos(a, m, seed=0 if self.random_state is None else int(self.random_state))
        t_rep = t.larray if t.split is None else t.resplit(None).larray
        evals, evecs = torch.linalg.eigh(t_rep)
        lap = 1.0 - evals.flip(0)  # Laplacian eigenvalues, ascending
        evecs = evecs.flip(1)
        if k is None:
            top = max(2, min(int(self.max_clusters) + 1, m))
            gaps = lap[1:top] - lap[: top - 1]
            k = int(torch.argmax(gaps)) + 1
        k = int(k)
        v_local = v.larray if v.split == 0 else v.resplit(0).larray
        embedding = wrap(v_local @ evecs[:, :k], x, counts=v.counts if v.split == 0 else None)
        km = KMeans(n_clusters=k, random_state=self.random_state).fit(embedding)
        self.labels_ = wrap(km.labels_.larray, x, counts=embedding.counts)
        self.affinity_matrix_: DNDarray = w
        self.eigenvalues_ = wrap(lap[: min(m, max(k, int(self.max_clusters)))].contiguous(), x, split=None)
        self.n_clusters_ = k
        self.n_features_in_ = x.gshape[1]
        return self
