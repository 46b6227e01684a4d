"""heat.decomposition (``ht.decomposition``): matrix decompositions with scikit-learn's API."""

from __future__ import annotations

from .pca import PCA

__all__ = ["PCA"]
