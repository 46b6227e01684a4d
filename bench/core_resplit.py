"""resplit and balance of a distributed array against the raw all-to-all of the same bytes.

    mpiexec -n 2 python bench/core_resplit.py [--n 4096] [--json FILE] [--md FILE]

A float32 (n, n) array split along rows is resplit to columns (``ht.resplit``) and, from an
unbalanced layout (rank 0 holds half of its rows' share more), rebalanced (``ht.balance``).
Baseline: raw mpi4py ``Alltoall`` moving the same bytes per rank between preallocated NumPy
buffers (no packing), in the same run. Time = median of barrier-aligned calls (max over
ranks). Peak memory = the rise of this process's peak RSS (``VmHWM``, reset through
``/proc/self/clear_refs``) during one call, as a multiple of the local block's bytes.
"""

from __future__ import annotations

import argparse
import json
import platform
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch
from mpi4py import MPI
from mpi_timing import peak_rise, timeit

import heat as ht


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=4096)
    ap.add_argument("--json", default="bench/results/core_resplit.json")
    ap.add_argument("--md", default="bench/results/core_resplit.md")
    args = ap.parse_args()
    torch.set_num_threads(1)
    world = MPI.COMM_WORLD
    p, rank = world.Get_size(), world.Get_rank()
    n = args.n

    x = ht.zeros((n, n), dtype=ht.float32, split=0)
    x.larray.uniform_()
    block_bytes = x.lnbytes

    # raw all-to-all of the same bytes: each rank sends 1/p of its block to every rank
    elems = x.lnumel // p
    send = np.ones(elems * p, np.float32)
    recv = np.empty(elems * p, np.float32)

    def raw() -> None:
        world.Alltoall(send, recv)

    # unbalanced layout: rank 0 holds ~1.5x its share, the last rank the rest
    counts = list(ht.core.layout.balanced_counts(n, p))
    if p > 1:
        extra = counts[0] // 2
        counts[0] += extra
        counts[-1] -= extra
    data = torch.rand(counts[rank], n)
    unbalanced = ht.array(data, is_split=0)

    rows = []
    cases: dict[str, Callable[[], Any]] = {
        "raw Alltoall (same bytes)": raw,
        "ht.resplit(x, 1)": lambda: ht.resplit(x, 1),
        "ht.balance(unbalanced)": lambda: ht.balance(unbalanced),
    }
    base = None
    for name, fn in cases.items():
        seconds = timeit(world, fn, budget=2.0, max_reps=200, min_reps=5)
        peak = world.allreduce(peak_rise(fn), op=MPI.MAX)
        base = seconds if base is None else base
        rows.append(
            {
                "case": name,
                "seconds": seconds,
                "ratio_to_raw": seconds / base,
                "peak_rise_bytes": peak,
                "peak_rise_blocks": peak / block_bytes,
            }
        )
        if rank == 0:
            print(
                f"{name:28s} {seconds * 1e3:9.2f} ms  {seconds / base:5.2f}x raw  "
                f"peak +{peak / block_bytes:.2f} blocks",
                flush=True,
            )
    if rank != 0:
        return
    meta = {
        "ranks": p,
        "n": n,
        "local_block_bytes": block_bytes,
        "torch": torch.__version__,
        "mpi": MPI.Get_library_version().splitlines()[0].strip(),
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores",
    }
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))
    lines = [
        f"{p} ranks, float32 {n}x{n} (local block {block_bytes / 2**20:.0f} MiB), {meta['mpi']}, "
        f"torch {meta['torch']}, {meta['machine']}.",
        "",
        "| case | time | time / raw all-to-all | peak RSS rise per rank (local blocks) |",
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
