"""What k-means, k-medians and k-medoids share: hyper-parameters, validation, the
initialisation ('k-means++', 'random' or explicit centres), restarts and prediction."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

import heat.random as htrandom
from heat.comm import Communicator
from heat.core import types
from heat.core.dndarray import DNDarray

from .._base import BaseEstimator, ClusterMixin, TransformerMixin, check_is_fitted
from .._data import as_samples, as_targets, check_features, wrap
from . import _lloyd

__all__ = ["KCluster"]

_INITS = ("k-means++", "kmeans++", "random")


class KCluster(ClusterMixin, TransformerMixin, BaseEstimator):
    """Base of the centroid clusterers; subclasses set ``_metric`` and ``_update``."""

    _metric = "sqeuclidean"

    def __init__(
        self,
        n_clusters: int = 8,
        init: str | Any = "k-means++",
        n_init: int | str = 1,
        max_iter: int = 300,
        tol: float = 1e-4,
        random_state: int | None = None,
    ) -> None:
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    # ------------------------------------------------------------------ checks
    def _check_params(self, x: DNDarray) -> int:
        name = type(self).__name__
        if not isinstance(self.n_clusters, int | np.integer) or self.n_clusters < 1:
            raise ValueError(f"{name}: n_clusters must be a positive int, got {self.n_clusters!r}")
        if x.gshape[0] < self.n_clusters:
            raise ValueError(
                f"{name}: n_samples={x.gshape[0]} should be >= n_clusters={self.n_clusters}; "
                "pass fewer clusters or more samples"
            )
        if not isinstance(self.max_iter, int | np.integer) or self.max_iter < 1:
            raise ValueError(f"{name}: max_iter must be a positive int, got {self.max_iter!r}")
        if not self.tol >= 0:
            raise ValueError(f"{name}: tol must be >= 0, got {self.tol!r}")
        if isinstance(self.init, str) and self.init not in _INITS:
            raise ValueError(
                f"{name}: init must be 'k-means++' (alias 'kmeans++'), 'random' or an array of shape "
                f"(n_clusters, n_features), got {self.init!r}"
            )
        n_init = self.n_init
        if n_init == "auto":
            n_init = 1 if not isinstance(self.init, str) or self.init != "random" else 10
        if not isinstance(n_init, int | np.integer) or n_init < 1:
            raise ValueError(f"{name}: n_init must be a positive int or 'auto', got {self.n_init!r}")
        if not isinstance(self.init, str) and n_init != 1:
            n_init = 1  # scikit-learn warns and runs once with explicit centres
        return int(n_init)

    def _explicit_centers(self, x: DNDarray) -> torch.Tensor:
        init = self.init
        if isinstance(init, DNDarray):
            c = init.numpy()
        elif isinstance(init, torch.Tensor):
            c = init.detach().cpu().numpy()
        else:
            c = np.asarray(init)
        k, d = self.n_clusters, x.gshape[1]
        if c.shape != (k, d):
            raise ValueError(
                f"{type(self).__name__}: the init array has shape {c.shape}, expected "
                f"(n_clusters, n_features) = ({k}, {d})"
            )
        if not np.isfinite(c).all():
            raise ValueError(f"{type(self).__name__}: the init array contains NaN or infinity")
        return torch.as_tensor(c, dtype=x.larray.dtype, device=x.larray.device).clone()

    # ------------------------------------------------------------------ fitting
    def _initial(
        self,
        x: DNDarray,
        draw: _lloyd.Draw,
        comm: Communicator | None,
        rng: htrandom.Generator,
        weights: DNDarray | None = None,
    ) -> torch.Tensor:
        counts = x.counts if comm is not None else (x.larray.shape[0],)
        offset = sum(counts[: x.comm.rank]) if comm is not None else 0
        if not isinstance(self.init, str):
            return self._explicit_centers(x)
        if self.init == "random":  # with weights: rows drawn with probability proportional to them
            p = None
            if weights is not None:
                total = float(_lloyd._sum(weights.larray.sum().reshape(1), comm)[0])
                p = wrap(weights.larray / total, weights)
            picked = rng.choice(sum(counts), size=self.n_clusters, replace=False, p=p, comm=x.comm)
            return _lloyd.rows(x.larray, picked.larray.cpu().to(torch.int64), offset, comm)
        w = None if weights is None else weights.larray
        return _lloyd.kmeanspp(x.larray, self.n_clusters, draw, comm, counts, self._metric, weights=w)

    def _weights(self, sample_weight: Any, x: DNDarray) -> DNDarray | None:
        """``sample_weight`` laid out like ``x``'s rows, checked on every rank alike."""
        name = type(self).__name__
        if sample_weight is None:
            return None
        if np.ndim(sample_weight) == 0 and not isinstance(sample_weight, DNDarray):
            sample_weight = np.full(x.gshape[0], float(sample_weight))
        w = as_targets(sample_weight, x, f"{name}.fit", "sample_weight")
        local = w.larray
        stats = torch.tensor([float((local < 0).sum()), float(local.sum())], dtype=torch.float64)
        stats = _lloyd._sum(stats, x.comm if x.comm.size > 1 else None)
        if stats[0] > 0:
            raise ValueError(f"{name}.fit: sample_weight must be non-negative; got negative weights")
        if not stats[1] > 0:
            raise ValueError(f"{name}.fit: sample_weight must have a positive sum")
        return w

    def _tolerance(self, x: DNDarray) -> float:
        """scikit-learn's absolute tolerance: ``tol`` times the mean feature variance."""
        if self.tol == 0:
            return 0.0
        t = x.larray.to(torch.float64)
        moments = torch.cat(
            [torch.tensor([float(t.shape[0])], dtype=torch.float64), t.sum(0), (t * t).sum(0)]
        )
        moments = _lloyd._sum(moments, x.comm if x.comm.size > 1 else None)
        n, s, sq = moments[0], moments[1 : 1 + t.shape[1]], moments[1 + t.shape[1] :]
        var = (sq / n - (s / n) ** 2).clamp_min(0)
        return float(var.mean()) * float(self.tol)

    def _run(
        self,
        x: DNDarray,
        centers: torch.Tensor,
        tol: float,
        comm: Communicator | None,
        weights: DNDarray | None = None,
    ) -> _lloyd.LloydResult:
        w = None if weights is None else weights.larray
        update = self._update(comm)
        iters = int(self.max_iter)
        return _lloyd.lloyd(x.larray, centers, comm, iters, tol, self._metric, weights=w, update=update)

    def _update(self, comm: Communicator | None) -> _lloyd.Update | None:
        return None

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None) -> KCluster:  # noqa: N803
        """Compute the clusters of the rows of ``X`` (split along rows or replicated).

        Sets ``cluster_centers_`` (replicated DNDarray), ``labels_`` (int64, split like
        ``X``'s rows), ``inertia_``, ``n_iter_``, ``n_features_in_``. ``sample_weight``
        (non-negative, one per sample, any layout) weighs the seeding, the centres and the
        inertia as in scikit-learn; k-medians and k-medoids use weighted medians (an integer
        weight counts as that many copies of the row).
        """
        x = as_samples(X, f"{type(self).__name__}.fit")
        n_init = self._check_params(x)
        weights = self._weights(sample_weight, x)
        comm = x.comm if x.comm.size > 1 else None
        rng = htrandom.default_rng(self.random_state, comm=x.comm)

        def draw(m: int) -> torch.Tensor:
            return rng.random((m,), dtype=types.float64, comm=x.comm).larray.cpu()

        tol = self._tolerance(x)
        best: _lloyd.LloydResult | None = None
        for _ in range(n_init):
            result = self._run(x, self._initial(x, draw, comm, rng, weights), tol, comm, weights)
            if best is None or result.inertia < best.inertia:
                best = result
        assert best is not None
        self.cluster_centers_ = wrap(best.centers, x, split=None)
        self.labels_ = wrap(best.labels, x)
        self.inertia_ = best.inertia
        self.n_iter_ = best.n_iter
        self.n_features_in_ = x.gshape[1]
        return self

    # ------------------------------------------------------------------ using the model
    def _checked(self, X: Any, who: str) -> DNDarray:  # noqa: N803
        check_is_fitted(self, "cluster_centers_")
        x = as_samples(X, f"{type(self).__name__}.{who}", dtype=self.cluster_centers_.larray.dtype)
        check_features(x, self.n_features_in_, type(self).__name__)
        return x

    def predict(self, X: Any) -> DNDarray:  # noqa: N803
        """The index of the nearest centre for every row (local work, no communication)."""
        x = self._checked(X, "predict")
        labels, _ = _lloyd.assign(x.larray, self.cluster_centers_.larray, self._metric)
        return wrap(labels, x)

    def transform(self, X: Any) -> DNDarray:  # noqa: N803
        """Distances of every row to every centre, (n, k) split along rows (Euclidean for
        k-means as in scikit-learn, city-block for k-medians/medoids)."""
        x = self._checked(X, "transform")
        d = _lloyd.distances(x.larray, self.cluster_centers_.larray, self._metric)
        return wrap(d.sqrt_() if self._metric == "sqeuclidean" else d, x)

    def fit_predict(self, X: Any, y: Any = None, sample_weight: Any = None) -> DNDarray:  # noqa: N803
        """Fit and return ``labels_``."""
        return self.fit(X, sample_weight=sample_weight).labels_

    def score(self, X: Any, y: Any = None, sample_weight: Any = None) -> float:  # noqa: N803
        """Minus the (weighted) inertia of ``X`` on the fitted centres (one all-reduce)."""
        x = self._checked(X, "score")
        _, dist = _lloyd.assign(x.larray, self.cluster_centers_.larray, self._metric)
        weights = self._weights(sample_weight, x)
        if weights is not None:
            dist = dist * weights.larray
        total = _lloyd._sum(dist.sum().reshape(1), x.comm if x.comm.size > 1 else None)
        return -float(total[0])
