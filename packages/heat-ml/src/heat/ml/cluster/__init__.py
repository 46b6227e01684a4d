"""heat.cluster (``ht.cluster``): clustering of row-split data with scikit-learn's API."""

from __future__ import annotations

from .batchparallel import BatchParallelKMeans
from .kmeans import KMeans, KMedians, KMedoids
from .spectral import Spectral

__all__ = ["BatchParallelKMeans", "KMeans", "KMedians", "KMedoids", "Spectral"]
