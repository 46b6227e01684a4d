"""Gaussian naive Bayes on row-split data."""

from __future__ import annotations

import math
from typing import Any

import torch

from heat.core.dndarray import DNDarray

from .._base import BaseEstimator, ClassifierMixin, check_is_fitted
from .._data import as_samples, as_targets, check_features, wrap
from .._labels import classes_of, encode

__all__ = ["GaussianNB"]


class GaussianNB(ClassifierMixin, BaseEstimator):
    """Gaussian naive Bayes (``sklearn.naive_bayes.GaussianNB``), with ``partial_fit``.

    Each (partial) fit costs two all-reduces: per-class counts and sums (with the column
    sums), then the per-class squared deviations from the batch means (the two-pass
    variance); batches merge with scikit-learn's update formula. Prediction is local.

    Parameters
    ----------
    priors : array-like of shape (n_classes,), optional
    var_smoothing : float
        Added to the variances: this fraction of the largest feature variance.

    Attributes
    ----------
    classes_, class_count_, class_prior_, theta_, var_ : DNDarray, replicated
    epsilon_ : float

    Examples
    --------
    >>> import heat as ht
    >>> x = ht.array([[0.0], [0.2], [5.0], [5.2]], split=0)
    >>> nb = ht.naive_bayes.GaussianNB().fit(x, ht.array([0, 0, 1, 1], split=0))
    >>> nb.predict(ht.array([[4.0]])).numpy()
    array([1])
    """

    n_features_in_: int
    classes_: DNDarray
    class_count_: DNDarray
    class_prior_: DNDarray
    theta_: DNDarray
    var_: DNDarray
    epsilon_: float

    def __init__(self, priors: Any = None, var_smoothing: float = 1e-9) -> None:
        self.priors = priors
        self.var_smoothing = var_smoothing

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> GaussianNB:  # noqa: N803
        """Fit from scratch."""
        for name in ("classes_", "theta_"):
            if hasattr(self, name):
                delattr(self, name)
        return self._partial(X, y, None, "fit", refit=True)

    def partial_fit(self, X: Any, y: Any, classes: Any = None, sample_weight: Any = None) -> GaussianNB:  # noqa: N803
        """Update the model with a batch; the first call needs ``classes`` (all labels)."""
        return self._partial(X, y, classes, "partial_fit", refit=False)

    def _partial(self, X: Any, y: Any, classes: Any, who: str, refit: bool) -> GaussianNB:  # noqa: N803
        who = f"GaussianNB.{who}"
        x = as_samples(X, who)
        t = as_targets(y, x, who, float_result=False)
        first = not hasattr(self, "classes_")
        if first:
            if refit:
                cls = classes_of(t)
            elif classes is None:
                raise ValueError(f"{who}: classes must be passed on the first call to partial_fit")
            else:
                cls = torch.unique(
                    torch.as_tensor(classes.numpy() if isinstance(classes, DNDarray) else classes)
                )
            self.classes_ = wrap(cls.to(t.larray.dtype), t, split=None)
        else:
            check_features(x, self.n_features_in_, "GaussianNB")
        cls = self.classes_.larray
        codes = encode(t, cls, who)
        c, d = cls.numel(), x.gshape[1]
        xl = x.larray.to(torch.float64)
        buf = torch.zeros(c * d + c + d)
        buf = buf.to(torch.float64)
        buf[: c * d].view(c, d).index_add_(0, codes, xl)
        buf[c * d : c * d + c] = torch.bincount(codes, minlength=c).to(torch.float64)
        buf[c * d + c :] = xl.sum(0)
        buf = self._sum(buf, x)
        n_new = buf[c * d : c * d + c]
        mu_new = buf[: c * d].view(c, d) / n_new.clamp_min(1).unsqueeze(1)
        mean_all = buf[c * d + c :] / x.gshape[0]
        dev = torch.zeros(c * d + d, dtype=torch.float64)
        dev[: c * d].view(c, d).index_add_(0, codes, (xl - mu_new[codes]) ** 2)
        dev[c * d :] = ((xl - mean_all) ** 2).sum(0)
        dev = self._sum(dev, x)
        var_new = dev[: c * d].view(c, d) / n_new.clamp_min(1).unsqueeze(1)
        epsilon = float(self.var_smoothing) * float((dev[c * d :] / x.gshape[0]).max())
        if first:
            self.n_features_in_ = d
            count, theta, var = torch.zeros(c, dtype=torch.float64), mu_new.clone(), var_new.clone()
            count = count + n_new
            theta = torch.where(n_new.unsqueeze(1) > 0, mu_new, torch.zeros_like(mu_new))
            var = torch.where(n_new.unsqueeze(1) > 0, var_new, torch.zeros_like(var_new))
        else:
            count0 = self.class_count_.larray.to(torch.float64)
            theta0 = self.theta_.larray.to(torch.float64)
            var0 = self.var_.larray.to(torch.float64) - epsilon  # the new batch's epsilon, as scikit-learn
            total = count0 + n_new
            safe = total.clamp_min(1).unsqueeze(1)
            theta = (n_new.unsqueeze(1) * mu_new + count0.unsqueeze(1) * theta0) / safe
            ssd = count0.unsqueeze(1) * var0 + n_new.unsqueeze(1) * var_new
            ssd = ssd + (n_new * count0 / total.clamp_min(1)).unsqueeze(1) * (theta0 - mu_new) ** 2
            var = ssd / safe
            seen = n_new.unsqueeze(1) > 0
            theta = torch.where(seen, torch.where(count0.unsqueeze(1) > 0, theta, mu_new), theta0)
            var = torch.where(seen, torch.where(count0.unsqueeze(1) > 0, var, var_new), var0)
            count = total
        self.epsilon_ = epsilon
        dt = x.larray.dtype
        self.class_count_ = wrap(count.to(dt), x, split=None)
        self.theta_ = wrap(theta.to(dt), x, split=None)
        self.var_ = wrap((var + epsilon).to(dt), x, split=None)
        if self.priors is None:
            prior = count / count.sum()
        else:
            prior = torch.as_tensor(
                self.priors.numpy() if isinstance(self.priors, DNDarray) else self.priors, dtype=torch.float64
            )
            if prior.numel() != c:
                raise ValueError(
                    f"{who}: Number of priors ({prior.numel()}) must match number of classes ({c})"
                )
            if abs(float(prior.sum()) - 1.0) > 1e-8 or bool((prior < 0).any()):
                raise ValueError(f"{who}: the priors must be non-negative and sum to 1, got {prior.tolist()}")
        self.class_prior_ = wrap(prior.to(dt), x, split=None)
        return self

    @staticmethod
    def _sum(t: torch.Tensor, x: DNDarray) -> torch.Tensor:
        return t if x.comm.size == 1 else x.comm.unchecked.allreduce(t.contiguous(), "sum")

    def _joint_log_likelihood(self, X: Any, who: str) -> tuple[DNDarray, torch.Tensor]:  # noqa: N803
        check_is_fitted(self, "theta_")
        x = as_samples(X, f"GaussianNB.{who}", dtype=self.theta_.larray.dtype)
        check_features(x, self.n_features_in_, "GaussianNB")
        theta, var = self.theta_.larray, self.var_.larray
        xl = x.larray
        norm = -0.5 * torch.log(2.0 * math.pi * var).sum(1)
        quad = -0.5 * (((xl.unsqueeze(1) - theta.unsqueeze(0)) ** 2) / var.unsqueeze(0)).sum(2)
        return x, torch.log(self.class_prior_.larray) + norm + quad

    def predict(self, X: Any) -> DNDarray:  # noqa: N803
        """The most likely class of every row (local)."""
        x, jll = self._joint_log_likelihood(X, "predict")
        return wrap(self.classes_.larray[jll.argmax(1)], x)

    def predict_log_proba(self, X: Any) -> DNDarray:  # noqa: N803
        """Log class probabilities, (n, n_classes) split along rows."""
        x, jll = self._joint_log_likelihood(X, "predict_log_proba")
        return wrap(jll - torch.logsumexp(jll, 1, keepdim=True), x)

    def predict_proba(self, X: Any) -> DNDarray:  # noqa: N803
        """Class probabilities, (n, n_classes) split along rows."""
        x, jll = self._joint_log_likelihood(X, "predict_proba")
        return wrap(torch.softmax(jll, 1), x)
