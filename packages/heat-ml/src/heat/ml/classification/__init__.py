"""heat.classification (``ht.classification``): classifiers with scikit-learn's API."""

from __future__ import annotations

from .neighbors import KNeighborsClassifier

__all__ = ["KNeighborsClassifier"]
