"""Shape manipulation (reshape, transpose, concatenate, pad, roll, flip, ...): local when the
split axis is untouched, otherwise one planned redistribution (DESIGN.md §2, "shape" rule).
"""

from __future__ import annotations

__all__: list[str] = []
