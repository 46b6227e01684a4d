"""heat.ml: distributed machine learning with the scikit-learn API."""

from __future__ import annotations

__all__: list[str] = []
