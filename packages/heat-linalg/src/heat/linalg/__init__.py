"""heat.linalg: Distributed dense linear algebra for Heat: products, norms, decompositions, solvers."""

from __future__ import annotations

__all__: list[str] = []
