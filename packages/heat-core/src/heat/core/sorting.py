"""Sorting along any axis and split: a parallel sample sort along the split axis, local sorts
otherwise; partition, topk, searchsorted.
"""

from __future__ import annotations

__all__: list[str] = []
