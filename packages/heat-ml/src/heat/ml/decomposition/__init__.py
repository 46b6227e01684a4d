"""heat.decomposition (``ht.decomposition``): matrix decompositions with scikit-learn's API."""

from __future__ import annotations

from .incremental_pca import IncrementalPCA
from .pca import PCA
from .truncated_svd import TruncatedSVD

__all__ = ["PCA", "IncrementalPCA", "TruncatedSVD"]
