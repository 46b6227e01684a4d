"""asv suite ``core_manipulation``: reshape and concatenate.

Under plain asv one process runs: ``Reshape``/``Concatenate`` time Heat against the bare torch
call (the Python layer's overhead). The ``track_*`` functions run this file as a script under
``mpiexec -n 2`` and report, for reshapes that move data, the time as a multiple of a raw
all-to-all of the same bytes and the peak memory rise in local blocks (target: <= 2).

    mpiexec -n 2 python bench/benchmarks/core_manipulation.py [--n 4096] [--json FILE] [--md FILE]
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":  # run as a script: this folder's random.py must not shadow the stdlib's
    _here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _here]
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

import heat as ht


class Reshape:
    """ht.reshape against torch.reshape on one process (no communication)."""

    params = ([(2048, 8192), (-1,), (64, 64, 4096)], [0, 1])
    param_names = ("shape", "split")

    def setup(self, shape: tuple[int, ...], split: int) -> None:
        torch.set_num_threads(1)
        self.x = ht.zeros((4096, 4096), dtype=ht.float32, split=split)
        self.t = self.x.larray
        self.shape = shape

    def time_heat(self, shape: tuple[int, ...], split: int) -> None:
        ht.reshape(self.x, self.shape)

    def time_torch(self, shape: tuple[int, ...], split: int) -> None:
        torch.reshape(self.t, self.shape)


class Concatenate:
    """ht.concatenate of two (2048, 2048) float32 arrays against torch.cat on one process."""

    params = ([0, 1],)
    param_names = ("axis",)

    def setup(self, axis: int) -> None:
        torch.set_num_threads(1)
        self.x = ht.ones((2048, 2048), dtype=ht.float32, split=0)
        self.t = self.x.larray

    def time_heat(self, axis: int) -> None:
        ht.concatenate([self.x, self.x], axis)

    def time_torch(self, axis: int) -> None:
        torch.cat([self.t, self.t], axis)


_CACHE: dict[str, Any] = {}


def _two_process_run() -> dict[str, Any]:
    if "rows" not in _CACHE:
        from ._mpirun import run_script

        record = run_script("benchmarks/core_manipulation.py")
        _CACHE["rows"] = {r["case"]: r for r in record["rows"]}
    return _CACHE["rows"]  # type: ignore[no-any-return]


def track_reshape_peak_blocks() -> float:
    """Largest peak RSS rise over the data-moving reshapes, in local blocks (2 processes)."""
    return max(float(r["peak_rise_blocks"]) for k, r in _two_process_run().items() if k.startswith("reshape"))


def track_reshape_ratio() -> float:
    """Slowest data-moving reshape / raw all-to-all of the same bytes (2 processes)."""
    return max(float(r["ratio_to_raw"]) for k, r in _two_process_run().items() if k.startswith("reshape"))


def track_concatenate_split_axis_ratio() -> float:
    """concatenate([x, x]) along the split axis / raw all-to-all of a block (2 processes)."""
    return float(_two_process_run()["concatenate axis 0 (split)"]["ratio_to_raw"])


track_reshape_peak_blocks.unit = "blocks"  # type: ignore[attr-defined]
track_reshape_ratio.unit = "x raw"  # type: ignore[attr-defined]
track_concatenate_split_axis_ratio.unit = "x raw"  # type: ignore[attr-defined]


def _cases(n: int) -> dict[str, Callable[[], Any]]:
    """Reshapes whose block boundaries do not fall on rows of the result (data moves)."""
    rows0 = ht.zeros((n + 1, n), dtype=ht.float32, split=0)
    rows0.larray.uniform_()
    cols = ht.zeros((n, n), dtype=ht.float32, split=1)
    cols.larray.uniform_()
    rows = ht.zeros((n, n), dtype=ht.float32, split=0)
    rows.larray.uniform_()
    return {
        "reshape (n+1, n) S0 -> (n, n+1) S0": lambda: ht.reshape(rows0, (n, n + 1)),
        "reshape (n, n) S1 -> (n*n,) S0": lambda: ht.reshape(cols, (n * n,), new_split=0),
        "reshape (n, n) S0 -> (n/2, 2n) S1": lambda: ht.reshape(rows, (n // 2, 2 * n), new_split=1),
        "reshape (n, n) S1 -> (2n, n/2) S1": lambda: ht.reshape(cols, (2 * n, n // 2), new_split=1),
        "concatenate axis 0 (split)": lambda: ht.concatenate([rows, rows], 0),
        "concatenate axis 1 (local)": lambda: ht.concatenate([rows, rows], 1),
    }


def main() -> None:
    import argparse
    import json

    bench = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(bench))
    import numpy as np
    from mpi4py import MPI
    from mpi_timing import peak_rise, timeit

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=4096)
    ap.add_argument("--json", default=str(bench / "results/core_manipulation.json"))
    ap.add_argument("--md", default=str(bench / "results/core_manipulation.md"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    world = MPI.COMM_WORLD
    p, n = world.Get_size(), args.n
    block_bytes = n * n * 4 // p
    send = np.ones(block_bytes // 4, np.float32)
    recv = np.empty_like(send)
    cases: dict[str, Callable[[], Any]] = {"raw Alltoall (same bytes)": lambda: world.Alltoall(send, recv)}
    cases.update(_cases(n))
    rows, base = [], None
    for name, fn in cases.items():
        seconds = timeit(world, fn, budget=2.0, max_reps=100, min_reps=5)
        peak = world.allreduce(peak_rise(fn), op=MPI.MAX)
        base = seconds if base is None else base
        rows.append(
            {
                "case": name,
                "seconds": seconds,
                "ratio_to_raw": seconds / base,
                "peak_rise_blocks": peak / block_bytes,
            }
        )
    if world.Get_rank() != 0:
        return
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(
        json.dumps({"meta": {"ranks": p, "n": n, "block_bytes": block_bytes}, "rows": rows})
    )
    lines = [
        f"{p} ranks, float32 {n}x{n} (local block {block_bytes / 2**20:.0f} MiB)",
        "",
        "| case | time | time / raw all-to-all | peak RSS rise (local blocks) |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r['case']} | {r['seconds'] * 1e3:.1f} ms | {r['ratio_to_raw']:.2f} "
        f"| {r['peak_rise_blocks']:.2f} |"
        for r in rows
    ]
    Path(args.md).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
