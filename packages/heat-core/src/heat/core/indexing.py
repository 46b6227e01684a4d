"""Indexing: ``__getitem__``/``__setitem__`` with NumPy semantics, ``where``, ``nonzero`` and
friends. Distributed keys are routed to their owners with all-to-all-v, never gathered whole.
"""

from __future__ import annotations

__all__: list[str] = []
