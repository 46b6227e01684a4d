"""Feature scalers with scikit-learn's API. Statistics are per feature, so every ``fit`` is
local work plus one or two small all-reduces of per-feature vectors (RobustScaler: heat-core's
exact distributed percentiles); ``transform`` is local."""

from __future__ import annotations

from typing import Any

import torch

from heat.core import statistics
from heat.core.dndarray import DNDarray

from .._base import BaseEstimator, TransformerMixin, check_is_fitted
from .._data import as_samples, check_features, wrap

__all__ = ["MaxAbsScaler", "MinMaxScaler", "Normalizer", "RobustScaler", "StandardScaler"]


def _allreduce(t: torch.Tensor, x: DNDarray, op: str = "sum") -> torch.Tensor:
    if x.comm.size == 1:
        return t
    return x.comm.unchecked.allreduce(t.contiguous(), op)


def _nonzero(scale: torch.Tensor) -> torch.Tensor:
    """scikit-learn's ``_handle_zeros_in_scale``: a zero (or tiny) scale becomes 1."""
    eps = 10 * torch.finfo(scale.dtype).eps
    return torch.where(scale < eps, torch.ones_like(scale), scale)


class _Scaler(TransformerMixin, BaseEstimator):
    """``transform``: ``(X - shift) / scale`` per feature; ``inverse_transform`` undoes it."""

    def _stats(self, x: DNDarray) -> tuple[torch.Tensor, torch.Tensor]:
        raise NotImplementedError

    def _input(self, X: Any, who: str) -> DNDarray:  # noqa: N803
        return as_samples(X, f"{type(self).__name__}.{who}")

    def fit(self, X: Any, y: Any = None) -> _Scaler:  # noqa: N803
        """Learn the per-feature statistics of ``X`` (split along rows, replicated or NumPy)."""
        x = self._input(X, "fit")
        self._shift, self._scale = self._stats(x)
        self.n_features_in_ = x.gshape[1]
        self.n_samples_seen_ = x.gshape[0]
        return self

    def _fitted(self, X: Any, who: str) -> DNDarray:  # noqa: N803
        check_is_fitted(self, "n_features_in_")
        x = as_samples(X, f"{type(self).__name__}.{who}", dtype=self._scale.dtype)
        check_features(x, self.n_features_in_, type(self).__name__)
        return x

    def transform(self, X: Any) -> DNDarray:  # noqa: N803
        """The scaled rows, split like ``X``'s rows (no communication)."""
        x = self._fitted(X, "transform")
        return wrap((x.larray - self._shift) / self._scale, x)

    def inverse_transform(self, X: Any) -> DNDarray:  # noqa: N803
        """Undo :meth:`transform` (no communication)."""
        x = self._fitted(X, "inverse_transform")
        return wrap(x.larray * self._scale + self._shift, x)


class StandardScaler(_Scaler):
    """Zero mean and unit variance per feature (``sklearn.preprocessing.StandardScaler``).

    Two all-reduces: the column sums, then the squared deviations from the mean (the
    two-pass variance, no cancellation).

    Examples
    --------
    >>> import heat as ht
    >>> s = ht.preprocessing.StandardScaler().fit(ht.array([[0.0], [2.0]], split=0))
    >>> s.transform(ht.array([[1.0]])).numpy()
    array([[0.]])
    """

    def __init__(self, copy: bool = True, with_mean: bool = True, with_std: bool = True) -> None:
        self.copy = copy
        self.with_mean = with_mean
        self.with_std = with_std

    def _stats(self, x: DNDarray) -> tuple[torch.Tensor, torch.Tensor]:
        t = x.larray
        n = x.gshape[0]
        mean = _allreduce(t.sum(0), x) / n
        var = _allreduce(((t - mean) ** 2).sum(0), x) / n
        self.mean_ = wrap(mean, x, split=None) if self.with_mean or self.with_std else None
        self.var_ = wrap(var, x, split=None) if self.with_std else None
        scale = _nonzero(var.sqrt())
        self.scale_ = wrap(scale, x, split=None) if self.with_std else None
        shift = mean if self.with_mean else torch.zeros_like(mean)
        return shift, scale if self.with_std else torch.ones_like(scale)


class MinMaxScaler(_Scaler):
    """Scale each feature to ``feature_range`` (``sklearn.preprocessing.MinMaxScaler``); one
    all-reduce (minima and maxima in one max-reduction).

    Examples
    --------
    >>> import heat as ht
    >>> ht.preprocessing.MinMaxScaler().fit_transform(ht.array([[1.0], [3.0]], split=0)).numpy()
    array([[0.],
           [1.]])
    """

    def __init__(
        self, feature_range: tuple[float, float] = (0, 1), copy: bool = True, clip: bool = False
    ) -> None:
        self.feature_range = feature_range
        self.copy = copy
        self.clip = clip

    def _stats(self, x: DNDarray) -> tuple[torch.Tensor, torch.Tensor]:
        lo_r, hi_r = self.feature_range
        if not lo_r < hi_r:
            raise ValueError(
                f"MinMaxScaler: feature_range must be (min, max) with min < max, got {self.feature_range}"
            )
        t = x.larray
        inf = torch.full((t.shape[1],), float("inf"), dtype=t.dtype)
        local = torch.stack([-t.amin(0), t.amax(0)]) if t.shape[0] else torch.stack([-inf, -inf])
        both = _allreduce(local, x, "max")
        dmin, dmax = -both[0], both[1]
        rng = dmax - dmin
        scale = (hi_r - lo_r) / _nonzero(rng)
        self.data_min_ = wrap(dmin, x, split=None)
        self.data_max_ = wrap(dmax, x, split=None)
        self.data_range_ = wrap(rng, x, split=None)
        self.scale_ = wrap(scale, x, split=None)
        self.min_ = wrap(lo_r - dmin * scale, x, split=None)
        return dmin - lo_r / scale, 1 / scale

    def transform(self, X: Any) -> DNDarray:  # noqa: N803
        """Scaled rows (clipped to ``feature_range`` when ``clip``)."""
        x = self._fitted(X, "transform")
        out = x.larray * self.scale_.larray + self.min_.larray
        if self.clip:
            out = out.clamp(float(self.feature_range[0]), float(self.feature_range[1]))
        return wrap(out, x)


class MaxAbsScaler(_Scaler):
    """Divide each feature by its largest absolute value (``sklearn.preprocessing.MaxAbsScaler``);
    one all-reduce.

    Examples
    --------
    >>> import heat as ht
    >>> ht.preprocessing.MaxAbsScaler().fit_transform(ht.array([[-4.0], [2.0]], split=0)).numpy()
    array([[-1. ],
           [ 0.5]])
    """

    def __init__(self, copy: bool = True) -> None:
        self.copy = copy

    def _stats(self, x: DNDarray) -> tuple[torch.Tensor, torch.Tensor]:
        t = x.larray
        local = t.abs().amax(0) if t.shape[0] else t.new_zeros(t.shape[1])
        max_abs = _allreduce(local, x, "max")
        self.max_abs_ = wrap(max_abs, x, split=None)
        scale = _nonzero(max_abs)
        self.scale_ = wrap(scale, x, split=None)
        return torch.zeros_like(scale), scale


class RobustScaler(_Scaler):
    """Remove the median and divide by the inter-quantile range
    (``sklearn.preprocessing.RobustScaler``); the percentiles are heat-core's exact
    distributed ones (no gather).

    Examples
    --------
    >>> import heat as ht
    >>> ht.preprocessing.RobustScaler().fit(ht.array([[1.0], [2.0], [3.0]], split=0)).center_.numpy()
    array([2.])
    """

    def __init__(
        self,
        with_centering: bool = True,
        with_scaling: bool = True,
        quantile_range: tuple[float, float] = (25.0, 75.0),
        copy: bool = True,
        unit_variance: bool = False,
    ) -> None:
        self.with_centering = with_centering
        self.with_scaling = with_scaling
        self.quantile_range = quantile_range
        self.copy = copy
        self.unit_variance = unit_variance

    def _stats(self, x: DNDarray) -> tuple[torch.Tensor, torch.Tensor]:
        q_lo, q_hi = self.quantile_range
        if not 0 <= q_lo <= q_hi <= 100:
            raise ValueError(
                f"RobustScaler: invalid quantile range {self.quantile_range}; need 0 <= min <= max <= 100"
            )
        qs = statistics.percentile(x, [float(q_lo), 50.0, float(q_hi)], axis=0)
        q = qs.larray if qs.split is None else qs.resplit(None).larray
        q = q.to(x.larray.dtype)
        center, scale = q[1], _nonzero(q[2] - q[0])
        if self.unit_variance:
            from statistics import NormalDist

            adjust = NormalDist().inv_cdf(q_hi / 100.0) - NormalDist().inv_cdf(q_lo / 100.0)
            scale = scale / adjust
        self.center_ = wrap(center, x, split=None) if self.with_centering else None
        self.scale_ = wrap(scale, x, split=None) if self.with_scaling else None
        return (
            center if self.with_centering else torch.zeros_like(center),
            scale if self.with_scaling else torch.ones_like(scale),
        )


class Normalizer(TransformerMixin, BaseEstimator):
    """Scale every sample (row) to unit norm (``sklearn.preprocessing.Normalizer``); rows are
    local, so nothing is communicated.

    Examples
    --------
    >>> import heat as ht
    >>> ht.preprocessing.Normalizer().fit_transform(ht.array([[3.0, 4.0]], split=0)).numpy()
    array([[0.6, 0.8]])
    """

    def __init__(self, norm: str = "l2", copy: bool = True) -> None:
        self.norm = norm
        self.copy = copy

    def fit(self, X: Any, y: Any = None) -> Normalizer:  # noqa: N803
        """Validate ``X`` and remember its number of features (stateless otherwise)."""
        if self.norm not in ("l1", "l2", "max"):
            raise ValueError(f"Normalizer: norm must be 'l1', 'l2' or 'max', got {self.norm!r}")
        self.n_features_in_ = as_samples(X, "Normalizer.fit").gshape[1]
        return self

    def transform(self, X: Any) -> DNDarray:  # noqa: N803
        """Every row divided by its norm (zero rows stay zero)."""
        check_is_fitted(self, "n_features_in_")
        x = as_samples(X, "Normalizer.transform")
        check_features(x, self.n_features_in_, "Normalizer")
        t = x.larray
        if self.norm == "l1":
            norms = t.abs().sum(1)
        elif self.norm == "l2":
            norms = t.norm(dim=1)
        else:
            norms = t.abs().amax(1) if t.shape[0] else t.new_zeros(0)
        return wrap(t / _nonzero(norms).unsqueeze(1), x)
