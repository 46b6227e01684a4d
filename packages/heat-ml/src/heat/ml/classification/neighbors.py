"""k-nearest-neighbour classification with distributed training and query sets."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from heat.core.dndarray import DNDarray

from .._base import BaseEstimator, ClassifierMixin, check_is_fitted
from .._data import as_samples, as_targets, check_features, wrap
from .._labels import classes_of, encode
from .._ring import ring
from ..spatial.distance import pairwise_block

__all__ = ["KNeighborsClassifier"]


class KNeighborsClassifier(ClassifierMixin, BaseEstimator):
    """Vote among the k nearest training samples (``sklearn.neighbors.KNeighborsClassifier``,
    brute force).

    Parameters
    ----------
    n_neighbors : int
    weights : {'uniform', 'distance'}
    metric : {'euclidean', 'minkowski', 'manhattan', 'cityblock', 'chebyshev', 'cosine'}
    p : float
        Minkowski order (``metric='minkowski'``; 2 is Euclidean).

    Notes
    -----
    Training rows stay where they are. For a query, the training blocks (with their class
    codes) travel around the ring of ranks (:mod:`heat.ml._ring`, transfer overlapped with
    compute); every rank keeps, for each of its query rows, the k smallest distances seen so
    far (a top-k merge per block). Memory per rank: the local query rows x (k + one training
    block); the training set is never gathered.

    Examples
    --------
    >>> import heat as ht
    >>> x = ht.array([[0.0], [1.0], [10.0], [11.0]], split=0)
    >>> knn = ht.classification.KNeighborsClassifier(n_neighbors=1).fit(x, ht.array([0, 0, 1, 1], split=0))
    >>> knn.predict(ht.array([[9.0]])).numpy()
    array([1])
    """

    def __init__(
        self, n_neighbors: int = 5, weights: str = "uniform", metric: str = "minkowski", p: float = 2
    ) -> None:
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.metric = metric
        self.p = p

    def fit(self, X: Any, y: Any) -> KNeighborsClassifier:  # noqa: N803
        """Remember the (row-split) training set and its classes; no communication beyond
        validation and the class list."""
        who = "KNeighborsClassifier.fit"
        if not isinstance(self.n_neighbors, int | np.integer) or self.n_neighbors < 1:
            raise ValueError(f"{who}: n_neighbors must be a positive int, got {self.n_neighbors!r}")
        if self.weights not in ("uniform", "distance"):
            raise ValueError(f"{who}: weights must be 'uniform' or 'distance', got {self.weights!r}")
        x = as_samples(X, who)
        t = as_targets(y, x, who, float_result=False)
        classes = classes_of(t)
        self.classes_ = wrap(classes, t, split=None)
        self._x = x
        self._codes = encode(t, classes, who)
        self.n_features_in_ = x.gshape[1]
        self.n_samples_fit_ = x.gshape[0]
        return self

    def _metric(self) -> tuple[str, float]:
        if self.metric == "minkowski":
            return ("euclidean", 2.0) if self.p == 2 else ("minkowski", float(self.p))
        return self.metric, float(self.p)

    def kneighbors_codes(self, X: Any) -> tuple[DNDarray, torch.Tensor, torch.Tensor]:  # noqa: N803
        """The query as a row-split array, and for its local rows the k smallest distances
        and the class codes of those neighbours (ascending distance)."""
        check_is_fitted(self, "classes_")
        x = as_samples(X, "KNeighborsClassifier.predict", dtype=self._x.larray.dtype)
        check_features(x, self.n_features_in_, "KNeighborsClassifier")
        k = int(self.n_neighbors)
        if k > self.n_samples_fit_:
            raise ValueError(
                f"Expected n_neighbors <= n_samples_fit, but n_neighbors = {k}, "
                f"n_samples_fit = {self.n_samples_fit_}"
            )
        metric, p = self._metric()
        q = x.larray
        best_d = torch.full((q.shape[0], k), float("inf"), dtype=q.dtype, device=q.device)
        best_c = torch.zeros((q.shape[0], k), dtype=torch.int64, device=q.device)
        train = self._x
        for _, (block, codes) in ring([train.larray, self._codes], train.counts, train.comm):
            if block.shape[0] == 0:
                continue
            d = pairwise_block(q, block, metric, p)
            cand_d = torch.cat([best_d, d], 1)
            cand_c = torch.cat([best_c, codes.unsqueeze(0).expand(q.shape[0], -1)], 1)
            top = torch.topk(cand_d, k, dim=1, largest=False, sorted=True)
            best_d = top.values
            best_c = cand_c.gather(1, top.indices)
        return x, best_d, best_c

    def predict_proba(self, X: Any) -> DNDarray:  # noqa: N803
        """Class probabilities, (n, n_classes) split along the query rows."""
        x, dist, codes = self.kneighbors_codes(X)
        c = self.classes_.gshape[0]
        if self.weights == "uniform":
            w = torch.ones_like(dist)
        else:
            exact = dist == 0
            any_exact = exact.any(1, keepdim=True)
            w = torch.where(any_exact, exact.to(dist.dtype), 1.0 / dist)
        votes = torch.zeros((dist.shape[0], c), dtype=dist.dtype, device=dist.device).scatter_add_(
            1, codes, w
        )
        return wrap(votes / votes.sum(1, keepdim=True), x)

    def predict(self, X: Any) -> DNDarray:  # noqa: N803
        """The class with the most (weighted) votes; ties go to the smallest class label."""
        proba = self.predict_proba(X)
        return wrap(self.classes_.larray[proba.larray.argmax(1)], proba)
