"""The scaling harness lives in bench/scaling (run as ``python -m scaling`` from bench/)."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = str(Path(__file__).resolve().parents[1])
if BENCH not in sys.path:
    sys.path.insert(0, BENCH)
