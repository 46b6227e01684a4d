"""asv suite ``linalg``: heat.linalg at 2 processes x 1 thread against torch at 1 process x 2
threads, in the same run.

Run as a script under MPI (the asv tracks below do this through ``_mpirun.run_script``)::

    mpiexec -n 2 python bench/benchmarks/linalg.py [--n 4096] [--tsqr-rows 1000000]
        [--solve-n 4096] [--json FILE] [--md FILE]

Cases: float32 matmul of n x n matrices for the split pairs 0@1, 0@0, 1@1, 0@None; TSQR
(``ht.linalg.qr`` of a row-split tall-skinny matrix) against ``torch.linalg.qr``; ``solve`` of an
n x n system (blocked LU) against ``torch.linalg.solve``. Heat's time is the median of
barrier-aligned calls (max over ranks); torch's baseline runs on rank 0 with 2 threads while
the other ranks wait without spinning (the same machine, the same run). Peak memory = the rise
of each rank's peak RSS during one call, in local blocks of the left operand.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

_CACHE: dict[str, Any] = {}
PAIRS = ("0@1", "0@0", "1@1", "0@None")


def _record() -> dict[str, Any]:
    if "rows" not in _CACHE:
        from ._mpirun import run_script

        # sizes scaled down for a loaded 2-core machine; see the package README
        record = run_script(
            "benchmarks/linalg.py", "--n", "1024", "--tsqr-rows", "200000", "--solve-n", "1024"
        )
        _CACHE["rows"] = {r["case"]: r for r in record["rows"]}
    return _CACHE["rows"]  # type: ignore[no-any-return]


class TwoProcesses:
    """Heat at 2 processes x 1 thread / torch at 1 process x 2 threads (target <= 1.25)."""

    params = (*[f"matmul {p}" for p in PAIRS], "tsqr", "solve")
    param_names = ("case",)
    timeout = 1200

    def track_ratio_to_torch(self, case: str) -> float:
        return float(_record()[case]["ratio"])

    def track_peak_rise_blocks(self, case: str) -> float:
        return float(_record()[case]["peak_rise_blocks"])

    def track_heat_gflops(self, case: str) -> float:
        return float(_record()[case]["heat_gflops"])

    def track_speedup_vs_torch_1thread(self, case: str) -> float:
        return float(_record()[case]["speedup_vs_1thread"])

    track_ratio_to_torch.unit = "x torch"  # type: ignore[attr-defined]
    track_peak_rise_blocks.unit = "blocks"  # type: ignore[attr-defined]
    track_heat_gflops.unit = "GFLOP/s"  # type: ignore[attr-defined]
    track_speedup_vs_torch_1thread.unit = "x"  # type: ignore[attr-defined]


class Matmul:
    """One process: heat's matmul against the bare torch call (the Python layer's overhead)."""

    params = ([None, 0, 1], [256, 1024])
    param_names = ("split", "n")

    def setup(self, split: int | None, n: int) -> None:
        import torch

        import heat as ht

        torch.set_num_threads(1)
        self.a = ht.ones((n, n), dtype=ht.float32, split=split)
        self.t = self.a.larray

    def time_heat(self, split: int | None, n: int) -> None:
        self.a @ self.a

    def time_torch(self, split: int | None, n: int) -> None:
        self.t @ self.t


# ---------------------------------------------------------------------------- the MPI script
def _solo(world: Any, fn: Callable[[], object], reps: int) -> float:
    """Median seconds of ``fn`` on rank 0 alone; the other ranks wait without spinning."""
    from mpi_timing import median_seconds, quiet_bcast

    return float(quiet_bcast(world, median_seconds(fn, reps) if world.Get_rank() == 0 else 0.0))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=4096)
    ap.add_argument("--tsqr-rows", type=int, default=10**6)
    ap.add_argument("--tsqr-cols", type=int, default=64)
    ap.add_argument("--solve-n", type=int, default=4096)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--json", default="bench/results/linalg.json")
    ap.add_argument("--md", default="bench/results/linalg.md")
    args = ap.parse_args()
    # run as a script, this file's directory leads sys.path: its sibling suites (random.py, ...)
    # would shadow standard-library modules
    here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    try:  # a fixed mmap threshold: freed large blocks leave RSS, so peak rises are measurable
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(-3, 1 << 20)  # M_MMAP_THRESHOLD
    except OSError:
        pass
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import torch
    from mpi4py import MPI
    from mpi_timing import peak_rise, timeit

    import heat as ht

    world = MPI.COMM_WORLD
    p = world.Get_size()
    torch.manual_seed(world.Get_rank())
    rows: list[dict[str, Any]] = []

    def array(shape: tuple[int, ...], split: int | None) -> ht.DNDarray:
        x = ht.empty(shape, dtype=ht.float32, split=split)
        x.larray.normal_()
        return x

    def measure(case: str, heat_fn: Callable[[], object], torch_fn: Callable[[], object], flops: float,
                block_bytes: float) -> None:  # fmt: skip
        torch.set_num_threads(1)
        t_heat = timeit(world, heat_fn, budget=0.0, max_reps=args.reps, min_reps=args.reps)
        rise = world.allreduce(peak_rise(heat_fn), op=MPI.MAX)
        torch.set_num_threads(p)
        t_torch = _solo(world, torch_fn, args.reps)
        torch.set_num_threads(1)
        t_torch1 = _solo(world, torch_fn, args.reps)
        rows.append({
            "case": case, "heat_s": t_heat, "torch_s": t_torch, "ratio": t_heat / t_torch,
            "torch_1thread_s": t_torch1, "speedup_vs_1thread": t_torch1 / t_heat,
            "heat_gflops": flops / t_heat / 1e9, "torch_gflops": flops / t_torch / 1e9,
            "peak_rise_blocks": rise / block_bytes,
        })  # fmt: skip

    n = args.n
    block = n * n * 4 / p
    ta, tb = torch.randn(n, n), torch.randn(n, n)  # the baseline's operands (rank 0 uses them)
    for pair in PAIRS:
        sa, sb = (None if s == "None" else int(s) for s in pair.split("@"))
        a, b = array((n, n), sa), array((n, n), sb)
        measure(f"matmul {pair}", lambda a=a, b=b: a @ b, lambda: ta @ tb, 2.0 * n**3, block)
    m, k = args.tsqr_rows, args.tsqr_cols
    x = array((m, k), 0)
    tx = torch.randn(m, k) if world.Get_rank() == 0 else torch.empty(0)
    measure("tsqr", lambda: ht.linalg.qr(x), lambda: torch.linalg.qr(tx), 2.0 * m * k * k, m * k * 4 / p)
    s = args.solve_n
    A = array((s, s), 0)
    A.larray.add_(torch.eye(s)[ht.core.layout.local_slice(0, A.counts, world.Get_rank(), 2)] * s)
    bv = array((s,), 0)
    tA = torch.randn(s, s) + s * torch.eye(s)
    tb1 = torch.randn(s)
    measure("solve", lambda: ht.linalg.solve(A, bv), lambda: torch.linalg.solve(tA, tb1),
            2.0 / 3.0 * s**3 + 2.0 * s * s, s * s * 4 / p)  # fmt: skip
    if world.Get_rank() == 0:
        meta = {"processes": p, "threads_per_process": 1, "torch_threads": p, "n": n, "tsqr": [m, k],
                "solve_n": s, "host": platform.node(), "torch": torch.__version__}  # fmt: skip
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))
        lines = [
            f"{p} processes x 1 thread vs torch 1 process x {p} threads; matmul n={n}, "
            f"TSQR {m} x {k}, solve n={s}, float32",
            "",
            "| case | heat | torch | heat / torch | heat GFLOP/s | torch GFLOP/s | torch 1 thread | "
            "speed-up over torch 1 thread | peak RSS rise (blocks) |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {r['case']} | {r['heat_s'] * 1e3:.1f} ms | {r['torch_s'] * 1e3:.1f} ms | {r['ratio']:.2f} | "
            f"{r['heat_gflops']:.1f} | {r['torch_gflops']:.1f} | {r['torch_1thread_s'] * 1e3:.1f} ms | "
            f"{r['speedup_vs_1thread']:.2f} | {r['peak_rise_blocks']:.2f} |"
            for r in rows
        ]
        Path(args.md).write_text("\n".join(lines) + "\n")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
