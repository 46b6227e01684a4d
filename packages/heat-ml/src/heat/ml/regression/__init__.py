"""heat.regression (``ht.regression``): linear models on row-split data, scikit-learn's API."""

from __future__ import annotations

from .lasso import Lasso
from .linear import LinearRegression, Ridge

__all__ = ["Lasso", "LinearRegression", "Ridge"]
