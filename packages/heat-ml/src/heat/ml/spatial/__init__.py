"""heat.spatial (``ht.spatial``): pairwise distances and kernels on distributed rows."""

from __future__ import annotations

from .distance import cdist, manhattan, rbf

__all__ = ["cdist", "manhattan", "rbf"]
