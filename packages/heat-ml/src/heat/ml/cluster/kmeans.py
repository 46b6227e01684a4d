"""k-means, k-medians and k-medoids on row-split data."""

from __future__ import annotations

import torch

from heat.comm import Communicator

from . import _lloyd
from ._kcluster import KCluster

__all__ = ["KMeans", "KMedians", "KMedoids"]


class KMeans(KCluster):
    """k-means clustering (Lloyd's algorithm) with scikit-learn's API and results.

    Parameters
    ----------
    n_clusters : int
        The number of clusters.
    init : {'k-means++', 'random'} or array of shape (n_clusters, n_features)
        'k-means++' (Heat's spelling 'kmeans++' is accepted as an alias): scikit-learn's
        greedy k-means++, distributed (candidates drawn from the global cumulative sum of the
        squared distances). 'random': ``n_clusters`` distinct rows. An array: the initial
        centres (then results equal scikit-learn's for the same centres).
    n_init : int or 'auto'
        Runs with different seeds; the one with the lowest inertia is kept.
    max_iter : int
        Maximum number of Lloyd iterations per run.
    tol : float
        Relative tolerance: the run stops when the squared centre shift is at most ``tol``
        times the mean feature variance (scikit-learn's rule), or when no label changes.
    random_state : int or None
        Seed of the :mod:`heat.random` stream (the same centres for any number of processes).

    Attributes
    ----------
    cluster_centers_ : DNDarray (n_clusters, n_features), replicated
    labels_ : DNDarray (n_samples,), int64, split along samples like ``X``
    inertia_ : float
        Sum of squared distances of the samples to their closest centre.
    n_iter_ : int
    n_features_in_ : int

    Notes
    -----
    Every Lloyd iteration is local work (distances by the quadratic expansion, as
    scikit-learn; one fused C pass on CPU) and **one** all-reduce of a (k*d + k + 2) buffer
    with every cluster's coordinate sums and sizes, the inertia and the number of changed
    labels. ``fit(X, sample_weight=w)`` weighs seeding, centres and inertia as scikit-learn.
    Empty clusters are relocated to the samples farthest from their centres, as in
    scikit-learn (one extra all-gather, only in iterations that have an empty cluster).

    Examples
    --------
    >>> import heat as ht
    >>> x = ht.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.1, 5.0]], split=0)
    >>> km = ht.cluster.KMeans(n_clusters=2, init=[[0.0, 0.0], [5.0, 5.0]]).fit(x)
    >>> km.cluster_centers_.numpy()
    array([[0.05, 0.  ],
           [5.05, 5.  ]])
    """

    _metric = "sqeuclidean"


class KMedians(KCluster):
    """k-medians: city-block (L1) assignment, each centre the per-feature median of its
    cluster (exact, NumPy's median: the mean of the middle two values for even counts).

    Parameters and attributes as :class:`KMeans`; ``inertia_`` is the sum of city-block
    distances to the closest centre and k-means++ seeds with city-block distances.

    Notes
    -----
    An empty cluster takes the row farthest (city-block) from its centre, as in
    :class:`KMeans`. The medians are found without moving rows: a bisection on
    order-preserving 64-bit keys of all clusters and features at once, one all-reduce of a
    (2, k, d) count table per step (at most 64 steps per iteration).

    Examples
    --------
    >>> import heat as ht
    >>> x = ht.array([[0.0], [1.0], [9.0], [10.0], [11.0]], split=0)
    >>> ht.cluster.KMedians(n_clusters=2, init=[[0.0], [10.0]]).fit(x).cluster_centers_.numpy()
    array([[ 0.5],
           [10. ]])
    """

    _metric = "cityblock"

    def _update(self, comm: Communicator | None) -> _lloyd.Update | None:
        k = self.n_clusters

        def medians(
            x: torch.Tensor, labels: torch.Tensor, old: torch.Tensor, sizes: torch.Tensor,
            weights: torch.Tensor | None,
        ) -> torch.Tensor:  # fmt: skip
            return _lloyd.cluster_medians(x, labels, k, old, comm, weights)

        return medians


class KMedoids(KCluster):
    """k-medoids in Heat's definition: city-block assignment; each centre is the cluster
    member closest (city-block) to the cluster's per-feature median, so centres are always
    samples.

    Parameters and attributes as :class:`KMedians`.

    Notes
    -----
    After the medians (see :class:`KMedians`) every rank finds its member closest to each
    median; one all-gather of ``k x (d + 1)`` values per rank picks the global winner (ties:
    the lowest rank, i.e. the lowest global index). This is not the PAM medoid (the member
    with the least total distance to its cluster), which would need all pairwise distances
    within each cluster.

    Examples
    --------
    >>> import heat as ht
    >>> x = ht.array([[0.0], [1.0], [9.0], [10.0], [12.0]], split=0)
    >>> ht.cluster.KMedoids(n_clusters=2, init=[[0.0], [10.0]]).fit(x).cluster_centers_.numpy()
    array([[ 0.],
           [10.]])
    """

    _metric = "cityblock"

    def _update(self, comm: Communicator | None) -> _lloyd.Update | None:
        k = self.n_clusters

        def medoids(
            x: torch.Tensor, labels: torch.Tensor, old: torch.Tensor, sizes: torch.Tensor,
            weights: torch.Tensor | None,
        ) -> torch.Tensor:  # fmt: skip
            med = _lloyd.cluster_medians(x, labels, k, old, comm, weights)
            d = x.shape[1]
            mine = torch.full((k, d + 1), float("inf"), dtype=x.dtype, device=x.device)
            if x.shape[0]:
                to_med = (x - med[labels]).abs().sum(1)
                if weights is not None:  # a row of weight zero is not in the cluster's sample
                    to_med = torch.where(weights > 0, to_med, torch.full_like(to_med, float("inf")))
                for c in range(k):
                    member = torch.nonzero(labels == c).flatten()
                    if member.numel() and bool(torch.isfinite(to_med[member]).any()):
                        j = member[torch.argmin(to_med[member])]
                        mine[c, 0] = to_med[j]
                        mine[c, 1:] = x[j]
            if comm is not None and comm.size > 1:
                every = comm.unchecked.allgather(mine.unsqueeze(0).contiguous(), counts=[1] * comm.size)
            else:
                every = mine.unsqueeze(0)
            winner = torch.argmin(every[:, :, 0], dim=0)  # first (lowest) rank on ties
            chosen = every[winner, torch.arange(k), 1:]
            return torch.where((sizes > 0).unsqueeze(1), chosen, old)

        return medoids
