"""heat.ml.metrics: scores of predictions and clusterings on distributed labels."""

from __future__ import annotations

from .scores import accuracy_score, adjusted_rand_score, r2_score, silhouette_score

__all__ = ["accuracy_score", "adjusted_rand_score", "r2_score", "silhouette_score"]
