"""heat.random: counter-based parallel random numbers, the same global array for any process count."""

from __future__ import annotations

__all__: list[str] = []
