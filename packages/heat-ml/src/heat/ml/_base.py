"""Estimator conventions shared by every heat.ml estimator (scikit-learn's): constructor
hyper-parameters only, ``get_params``/``set_params``, a readable ``repr``, fitted attributes
ending in ``_``, ``NotFittedError`` before ``fit``."""

from __future__ import annotations

import inspect
from typing import Any, TypeVar

__all__ = [
    "BaseEstimator",
    "ClassifierMixin",
    "ClusterMixin",
    "NotFittedError",
    "RegressorMixin",
    "TransformerMixin",
    "check_is_fitted",
]

E = TypeVar("E", bound="BaseEstimator")


class NotFittedError(ValueError, AttributeError):
    """An estimator was used before ``fit`` (scikit-learn's class of the same name)."""


class BaseEstimator:
    """Parameters are the constructor's keyword arguments, stored under the same names.

    Examples
    --------
    >>> from heat.cluster import KMeans
    >>> KMeans(n_clusters=3).get_params()["n_clusters"]
    3
    """

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
        return sorted(p.name for p in sig.parameters.values() if p.name != "self" and p.kind in kinds)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The hyper-parameters as a dict (``deep`` is accepted for scikit-learn compatibility)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self: E, **params: Any) -> E:
        """Set hyper-parameters by name; returns the estimator."""
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {type(self).__name__}. "
                    f"Valid parameters are: {valid!r}."
                )
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        sig = inspect.signature(type(self).__init__)
        shown = []
        for name in self._param_names():
            value = getattr(self, name)
            default = sig.parameters[name].default
            same = False
            try:
                same = bool(value is default or (type(value) is type(default) and value == default))
            except (TypeError, ValueError, RuntimeError):
                same = False
            if not same:
                shown.append(f"{name}={_short(value)}")
        return f"{type(self).__name__}({', '.join(shown)})"


def _short(value: Any) -> str:
    if hasattr(value, "shape") and not isinstance(value, (int, float, str)):
        return f"<{type(value).__name__} of shape {tuple(value.shape)}>"
    return repr(value)


def check_is_fitted(estimator: BaseEstimator, attribute: str) -> None:
    """Raise NotFittedError (on every rank: the check reads replicated state only) when
    ``estimator`` has no ``attribute`` yet."""
    if not hasattr(estimator, attribute):
        raise NotFittedError(
            f"This {type(estimator).__name__} instance is not fitted yet. Call 'fit' with "
            "appropriate arguments before using this estimator."
        )


class ClusterMixin:
    """``fit_predict`` for clusterers (``fit`` then ``labels_``)."""

    def fit_predict(self, X: Any, y: Any = None) -> Any:  # noqa: N803 - scikit-learn's name
        """Fit and return the cluster label of every sample (split like ``X``'s samples)."""
        return self.fit(X).labels_  # type: ignore[attr-defined]


class TransformerMixin:
    """``fit_transform`` for transformers."""

    def fit_transform(self, X: Any, y: Any = None) -> Any:  # noqa: N803 - scikit-learn's name
        """``fit(X, y)`` then ``transform(X)``."""
        return self.fit(X, y).transform(X)  # type: ignore[attr-defined]


class RegressorMixin:
    """``score`` as the coefficient of determination R^2 (scikit-learn's)."""

    def score(self, X: Any, y: Any) -> float:  # noqa: N803 - scikit-learn's name
        """R^2 of ``predict(X)`` against ``y``."""
        from .metrics import r2_score

        return r2_score(y, self.predict(X))  # type: ignore[attr-defined]


class ClassifierMixin:
    """``score`` as the mean accuracy (scikit-learn's)."""

    def score(self, X: Any, y: Any) -> float:  # noqa: N803 - scikit-learn's name
        """The fraction of samples whose ``predict(X)`` equals ``y``."""
        from .metrics import accuracy_score

        return accuracy_score(y, self.predict(X))  # type: ignore[attr-defined]
