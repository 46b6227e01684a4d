"""Set operations (unique, isin, intersect1d, union1d, setdiff1d, ...) on top of the distributed
sort.
"""

from __future__ import annotations

__all__: list[str] = []
