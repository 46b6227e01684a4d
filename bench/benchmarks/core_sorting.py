"""asv suite ``core_sorting``: the distributed sort against ``torch.sort`` in the same run.

Under plain asv one process runs ``Sort`` (ht.sort / ht.argsort of a split array against
torch.sort of the same tensor: the Python layer's overhead). ``track_sort_ratio_1proc`` /
``track_sort_ratio_2proc`` run this file as a script under ``mpiexec -n 1`` / ``-n 2``:

    mpiexec -n 2 python bench/benchmarks/core_sorting.py [--n 10000000] [--json F] [--md F]

which sorts 10^7 float32 values split along axis 0 and reports ht.sort (and ht.argsort) time
as a multiple of ``torch.sort`` of the whole array on one process with one thread, measured
in the same run (every rank runs torch with one thread). Time = median of barrier-aligned
calls, max over ranks.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # as a script: bench/ on the path, not bench/benchmarks/ (its random.py
    sys.path[0] = str(Path(__file__).resolve().parents[1])  # would shadow the standard library)

import torch

import heat as ht


class Sort:
    params = ([10**5, 10**7], ["sort", "argsort"])
    param_names = ("n", "op")
    timeout = 300

    def setup(self, n: int, op: str) -> None:
        torch.set_num_threads(1)
        torch.manual_seed(0)
        self.t = torch.rand(n, dtype=torch.float32)
        self.x = ht.array(self.t, split=0)
        self.heat = ht.sort if op == "sort" else ht.argsort

    def time_heat(self, n: int, op: str) -> None:
        self.heat(self.x)

    def time_torch(self, n: int, op: str) -> None:
        torch.sort(self.t, stable=True)


_CACHE: dict[int, dict[str, Any]] = {}


def _rows(nprocs: int) -> dict[str, Any]:
    from ._mpirun import run_script  # relative: this file also runs as a plain script

    if nprocs not in _CACHE:
        record = run_script("benchmarks/core_sorting.py", nprocs=nprocs)
        _CACHE[nprocs] = {r["case"]: r for r in record["rows"]}
    return _CACHE[nprocs]


def track_sort_ratio_1proc() -> float:
    """ht.sort of 10^7 float32 (1 process) / torch.sort of the same array."""
    return float(_rows(1)["ht.sort"]["ratio_to_torch"])


def track_sort_ratio_2proc() -> float:
    """ht.sort of 10^7 float32 split over 2 processes / torch.sort of the whole array."""
    return float(_rows(2)["ht.sort"]["ratio_to_torch"])


track_sort_ratio_1proc.unit = "x torch.sort"  # type: ignore[attr-defined]
track_sort_ratio_2proc.unit = "x torch.sort"  # type: ignore[attr-defined]


def main() -> None:
    import argparse
    import json
    import os
    import platform

    from mpi4py import MPI
    from mpi_timing import timeit

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10**7)
    ap.add_argument("--json", default=None)
    ap.add_argument("--md", default=None)
    args = ap.parse_args()
    torch.set_num_threads(1)
    world = MPI.COMM_WORLD
    p, rank = world.Get_size(), world.Get_rank()
    full = torch.rand(args.n, generator=torch.Generator().manual_seed(0))
    x = ht.array(full, split=0)
    cases = {
        "torch.sort (whole array, 1 process)": lambda: torch.sort(full, stable=True),
        "ht.sort": lambda: ht.sort(x),
        "ht.argsort": lambda: ht.argsort(x),
    }
    rows, base = [], None
    for name, fn in cases.items():
        seconds = timeit(world, fn, budget=3.0, max_reps=20, min_reps=3)
        base = seconds if base is None else base
        rows.append({"case": name, "seconds": seconds, "ratio_to_torch": seconds / base})
        if rank == 0:
            print(f"{name:38s} {seconds * 1e3:9.1f} ms  {seconds / base:5.2f}x torch.sort", flush=True)
    if rank != 0:
        return
    meta = {
        "ranks": p,
        "n": args.n,
        "dtype": "float32",
        "torch": torch.__version__,
        "torch_threads": 1,
        "mpi": MPI.Get_library_version().splitlines()[0].strip(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }
    if args.json:
        Path(args.json).write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))
    if args.md:
        lines = [
            f"{p} process(es), n = {args.n} float32",
            "",
            "| case | ms | x torch.sort |",
            "| --- | ---: | ---: |",
        ]
        lines += [f"| {r['case']} | {r['seconds'] * 1e3:.1f} | {r['ratio_to_torch']:.2f} |" for r in rows]
        Path(args.md).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
