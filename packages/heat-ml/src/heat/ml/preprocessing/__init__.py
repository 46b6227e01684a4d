"""heat.preprocessing (``ht.preprocessing``): feature scaling with scikit-learn's API."""

from __future__ import annotations

from .scalers import MaxAbsScaler, MinMaxScaler, Normalizer, RobustScaler, StandardScaler

__all__ = ["MaxAbsScaler", "MinMaxScaler", "Normalizer", "RobustScaler", "StandardScaler"]
