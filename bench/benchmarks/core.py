"""asv suite ``core``: resplit and balance of a DNDarray.

Under plain asv one process runs (no communication: the Python layer's overhead over the
local torch work); ``track_resplit_ratio`` / ``track_resplit_peak_blocks`` run
``bench/core_resplit.py`` under ``mpiexec -n 2`` (4096 x 4096 float32) and report resplit time
as a multiple of the raw all-to-all of the same bytes, and the peak memory rise in local blocks.
"""

from __future__ import annotations

from typing import Any

import torch

import heat as ht

from ._mpirun import run_script


class Resplit:
    params = ([(0, 1), (1, 0), (0, None), (None, 0)], [256, 2048])
    param_names = ("from_to", "n")

    def setup(self, from_to: tuple[int | None, int | None], n: int) -> None:
        torch.set_num_threads(1)
        self.x = ht.zeros((n, n), dtype=ht.float32, split=from_to[0])
        self.to = from_to[1]

    def time_resplit(self, from_to: tuple[int | None, int | None], n: int) -> None:
        ht.resplit(self.x, self.to)


class Factories:
    params = (16, 4096)
    param_names = ("n",)

    def setup(self, n: int) -> None:
        torch.set_num_threads(1)

    def time_zeros_split(self, n: int) -> None:
        ht.zeros((n, n), split=0)

    def time_torch_zeros(self, n: int) -> None:
        torch.zeros((n, n), dtype=torch.float64)

    def time_arange_split(self, n: int) -> None:
        ht.arange(n * n, split=0)


_CACHE: dict[str, Any] = {}


def _two_process_run() -> dict[str, Any]:
    if "rows" not in _CACHE:
        record = run_script("core_resplit.py")
        _CACHE["rows"] = {r["case"]: r for r in record["rows"]}
    return _CACHE["rows"]  # type: ignore[no-any-return]


def track_resplit_ratio() -> float:
    """ht.resplit(x, 1) time / raw all-to-all of the same bytes (2 processes, 4096^2 float32)."""
    return float(_two_process_run()["ht.resplit(x, 1)"]["ratio_to_raw"])


def track_resplit_peak_blocks() -> float:
    """Peak RSS rise during ht.resplit(x, 1), in local blocks (2 processes)."""
    return float(_two_process_run()["ht.resplit(x, 1)"]["peak_rise_blocks"])


def track_balance_ratio() -> float:
    """ht.balance of an unbalanced layout / raw all-to-all of a full block (2 processes)."""
    return float(_two_process_run()["ht.balance(unbalanced)"]["ratio_to_raw"])


track_resplit_ratio.unit = "x raw"  # type: ignore[attr-defined]
track_resplit_peak_blocks.unit = "blocks"  # type: ignore[attr-defined]
track_balance_ratio.unit = "x raw"  # type: ignore[attr-defined]


class Elementwise:
    """Heat against the bare torch call on one process (issue target: <= 1.1x)."""

    params = ("add", "exp", "sum", "sum_axis0")
    param_names = ("op",)

    def setup(self, op: str) -> None:
        torch.set_num_threads(1)
        if op == "sum_axis0":
            self.x = ht.ones((4096, 4096), dtype=ht.float32, split=0)
        else:
            self.x = ht.ones(10**7, dtype=ht.float32, split=0)
        self.t = self.x.larray
        x, t = self.x, self.t
        self.heat, self.torch = {
            "add": (lambda: x + x, lambda: t + t),
            "exp": (lambda: ht.exp(x), lambda: torch.exp(t)),
            "sum": (lambda: ht.sum(x), lambda: torch.sum(t)),
            "sum_axis0": (lambda: ht.sum(x, axis=0), lambda: torch.sum(t, dim=0)),
        }[op]

    def time_heat(self, op: str) -> None:
        self.heat()

    def time_torch(self, op: str) -> None:
        self.torch()


class Speedup:
    """Heat at 2 processes against Heat at 1 process (``bench/core_speedup.py``, one torch
    thread per rank; issue target: <= 0.6 for the compute-bound ones) and Heat against the bare
    torch call at 1 process (target: <= 1.1)."""

    params = ("add", "exp", "sum", "sum_axis0")
    param_names = ("op",)
    _rows: dict[str, Any] | None = None

    def setup(self, op: str) -> None:
        if Speedup._rows is None:
            import json
            import subprocess
            import sys
            import tempfile
            from pathlib import Path

            from ._mpirun import BENCH

            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "speedup.json"
                command = [sys.executable, str(BENCH / "core_speedup.py"), "--json", str(out)]
                subprocess.run([*command, "--md", str(Path(tmp) / "t.md")], check=True, capture_output=True)
                Speedup._rows = {r["op"]: r for r in json.loads(out.read_text())["rows"]}

    def track_two_over_one_process(self, op: str) -> float:
        assert Speedup._rows is not None
        return float(Speedup._rows[op]["ratio_2p_to_1p"])

    def track_heat_over_torch_one_process(self, op: str) -> float:
        assert Speedup._rows is not None
        return float(Speedup._rows[op]["heat_over_torch_1p"])

    track_two_over_one_process.unit = "x 1p"  # type: ignore[attr-defined]
    track_heat_over_torch_one_process.unit = "x torch"  # type: ignore[attr-defined]
