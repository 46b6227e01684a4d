"""Elementwise and reduction speed-up from 1 to p processes, beside the bare torch call.

    python bench/core_speedup.py [--nprocs 1 2] [--json FILE] [--md FILE]

Launches itself under ``mpiexec -n p`` for each p (one torch thread per rank), times a 10^7
float32 ``x + x``, ``ht.exp(x)``, ``ht.sum(x)`` and a 4096 x 4096 ``ht.sum(x, axis=0)`` (split
0), and at p = 1 also the bare torch call on the same tensor. Time = median of barrier-aligned
calls, max over ranks. Reports heat/torch at 1 process (target <= 1.1) and time(p)/time(1)
(target <= 0.6 at 2 processes for the compute-bound ones).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

OPS = ("add", "exp", "sum", "sum_axis0")


def cases(op: str, x: Any, t: Any) -> tuple[Any, Any]:
    """(heat call, bare torch call) of ``op`` on the DNDarray ``x`` and its local tensor ``t``."""
    import torch

    import heat as ht

    return {
        "add": (lambda: x + x, lambda: t + t),
        "exp": (lambda: ht.exp(x), lambda: torch.exp(t)),
        "sum": (lambda: ht.sum(x), lambda: torch.sum(t)),
        "sum_axis0": (lambda: ht.sum(x, axis=0), lambda: torch.sum(t, dim=0)),
    }[op]


def worker(out: str) -> None:
    import torch
    from mpi4py import MPI
    from mpi_timing import timeit

    import heat as ht

    torch.set_num_threads(1)
    world = MPI.COMM_WORLD
    times: dict[str, dict[str, float]] = {}
    for op in OPS:
        shape: tuple[int, ...] = (4096, 4096) if op == "sum_axis0" else (10**7,)
        x = ht.ones(shape, dtype=ht.float32, split=0)
        heat_fn, torch_fn = cases(op, x, x.larray)
        times[op] = {"heat": timeit(world, heat_fn, budget=1.0)}
        if world.size == 1:
            times[op]["torch"] = timeit(world, torch_fn, budget=1.0)
    if world.rank == 0:
        Path(out).write_text(json.dumps(times))


def run(nprocs: int) -> dict[str, dict[str, float]]:
    mpiexec = Path(sys.executable).with_name("mpiexec")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PMI", "HYDRA", "MPI_"))}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "times.json"
        cmd = [str(mpiexec), "-n", str(nprocs), sys.executable, __file__, "--worker", str(out)]
        subprocess.run(cmd, check=True, env=env, cwd=Path(__file__).parent)
        return json.loads(out.read_text())  # type: ignore[no-any-return]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nprocs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--json", default="bench/results/core_speedup.json")
    ap.add_argument("--md", default="bench/results/core_speedup.md")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.worker)
        return
    by_p = {p: run(p) for p in args.nprocs}
    base = by_p[args.nprocs[0]]
    rows: list[dict[str, Any]] = []
    for op in OPS:
        row: dict[str, Any] = {"op": op, "torch_1p_ms": base[op].get("torch", float("nan")) * 1e3}
        for p, times in by_p.items():
            row[f"heat_{p}p_ms"] = times[op]["heat"] * 1e3
            row[f"ratio_{p}p_to_1p"] = times[op]["heat"] / base[op]["heat"]
        row["heat_over_torch_1p"] = base[op]["heat"] / base[op]["torch"] if "torch" in base[op] else None
        rows.append(row)
    meta = {"machine": platform.node(), "cpus": os.cpu_count(), "python": platform.python_version()}
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))
    ps = list(by_p)
    head = [
        "op",
        "torch 1p (ms)",
        *[f"heat {p}p (ms)" for p in ps],
        "heat/torch 1p",
        *[f"{p}p/1p" for p in ps[1:]],
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for r in rows:
        cells = [r["op"], f"{r['torch_1p_ms']:.2f}", *[f"{r[f'heat_{p}p_ms']:.2f}" for p in ps]]
        cells += [f"{r['heat_over_torch_1p']:.2f}", *[f"{r[f'ratio_{p}p_to_1p']:.2f}" for p in ps[1:]]]
        lines.append("| " + " | ".join(cells) + " |")
    Path(args.md).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
