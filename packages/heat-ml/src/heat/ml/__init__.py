"""heat.ml: distributed machine learning with the scikit-learn API.

The subpackages are also reachable as ``ht.cluster``, ``ht.spatial``, ``ht.regression``,
``ht.classification``, ``ht.naive_bayes``, ``ht.decomposition`` and ``ht.preprocessing`` (and
``import heat.cluster``); ``heat.ml.metrics`` holds the scores.

Examples
--------
>>> import heat as ht
>>> x = ht.array([[0.0], [0.1], [5.0], [5.1]], split=0)
>>> ht.cluster.KMeans(n_clusters=2, init=[[0.0], [5.0]]).fit(x).labels_.numpy()
array([0, 0, 1, 1])
"""

from __future__ import annotations

from . import classification, cluster, decomposition, metrics, naive_bayes, preprocessing, regression, spatial
from ._base import NotFittedError

__all__: list[str] = [
    "NotFittedError",
    "classification",
    "cluster",
    "decomposition",
    "metrics",
    "naive_bayes",
    "preprocessing",
    "regression",
    "spatial",
]
