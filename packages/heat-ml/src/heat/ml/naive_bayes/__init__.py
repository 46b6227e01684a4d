"""heat.naive_bayes (``ht.naive_bayes``): naive Bayes classifiers with scikit-learn's API."""

from __future__ import annotations

from .gaussian import GaussianNB

__all__ = ["GaussianNB"]
