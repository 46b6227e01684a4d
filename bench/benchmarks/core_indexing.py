"""asv suite ``core_indexing``: getitem/setitem overhead and routed distributed keys.

Under plain asv one process runs: ``x[0] = 0`` on a 1000 x 1000 float64 array against the
same torch assignment (``track_setitem_row_ratio``, target <= 3x), a scalar read, a local
slice, and ``x[key]`` with a random integer key of 10^6 entries. ``track_routed_key_*`` run
this file as a script under ``mpiexec -n 2`` (``python bench/benchmarks/core_indexing.py``):
a float32 array of 10^6 elements split over 2 ranks indexed with a random distributed key of
10^6 entries (each rank holds half), reported as a multiple of bare torch indexing of the
whole key into the whole array on one process.
"""

from __future__ import annotations

import sys

if __name__ == "__main__":  # run as a script: this folder's random.py must not shadow the stdlib's
    sys.path[:] = [p for p in sys.path if not p.rstrip("/").endswith("benchmarks")]

import argparse
import json
import statistics
import time
import timeit
from typing import Any

import numpy as np
import torch

import heat as ht

N_KEY = 10**6


def _ratio(fn: Any, base: Any, number: int = 2000, repeat: int = 7) -> float:
    a = min(timeit.repeat(fn, number=number, repeat=repeat))
    b = min(timeit.repeat(base, number=number, repeat=repeat))
    return a / b


class SetitemRow:
    """``x[0] = 0`` on a 1000 x 1000 array (the published Heat: ~8x torch)."""

    params = (None, 0, 1)
    param_names = ("split",)

    def setup(self, split: int | None) -> None:
        torch.set_num_threads(1)
        self.x = ht.zeros((1000, 1000), split=split)
        self.t = torch.zeros((1000, 1000), dtype=torch.float64)

    def time_heat(self, split: int | None) -> None:
        self.x[0] = 0

    def time_torch(self, split: int | None) -> None:
        self.t[0] = 0

    def time_heat_scalar_read(self, split: int | None) -> None:
        self.x[5, 3]

    def time_heat_local_slice(self, split: int | None) -> None:
        self.x[2:700, 10:20]

    def time_torch_local_slice(self, split: int | None) -> None:
        self.t[2:700, 10:20]


def track_setitem_row_ratio() -> float:
    """heat ``x[0] = 0`` / torch ``t[0] = 0`` (1000 x 1000 float64, split=0, 1 process)."""
    torch.set_num_threads(1)
    x = ht.zeros((1000, 1000), split=0)
    t = torch.zeros((1000, 1000), dtype=torch.float64)

    def heat_set() -> None:
        x[0] = 0

    def torch_set() -> None:
        t[0] = 0

    return _ratio(heat_set, torch_set)


track_setitem_row_ratio.unit = "x torch"  # type: ignore[attr-defined]


class RandomKey:
    """``x[key]`` with a random integer key of 10^6 entries (1 process: local indexing)."""

    def setup(self) -> None:
        torch.set_num_threads(1)
        rng = np.random.default_rng(0)
        self.x = ht.arange(N_KEY, dtype=ht.float32, split=0)
        self.key_np = rng.integers(0, N_KEY, size=N_KEY)
        self.key = ht.array(self.key_np, split=0)
        self.t = torch.arange(N_KEY, dtype=torch.float32)
        self.tkey = torch.from_numpy(self.key_np)

    def time_heat(self) -> None:
        self.x[self.key]

    def time_torch(self) -> None:
        self.t[self.tkey]


_CACHE: dict[str, Any] = {}


def _two_process_run() -> dict[str, Any]:
    if "rows" not in _CACHE:
        from ._mpirun import run_script

        record = run_script("benchmarks/core_indexing.py")
        _CACHE["rows"] = {r["case"]: r for r in record["rows"]}
    return _CACHE["rows"]  # type: ignore[no-any-return]


def track_routed_key_ratio() -> float:
    """2 processes: ``x[key]`` (10^6 distributed random key) / bare torch on one process."""
    return float(_two_process_run()["x[key] distributed"]["ratio_to_torch"])


def track_routed_key_seconds() -> float:
    """2 processes: seconds of ``x[key]`` with a 10^6 distributed random key."""
    return float(_two_process_run()["x[key] distributed"]["seconds"])


track_routed_key_ratio.unit = "x torch"  # type: ignore[attr-defined]
track_routed_key_seconds.unit = "s"  # type: ignore[attr-defined]


# ---------------------------------------------------------------------- mpiexec script
def _timed(comm: ht.Communicator, fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        comm.barrier()
        start = time.perf_counter()
        fn()
        comm.barrier()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=N_KEY)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json")
    parser.add_argument("--md")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    comm = ht.get_comm()
    n = args.n
    x = ht.arange(n, dtype=ht.float32, split=0)
    rng = np.random.default_rng(comm.rank)
    counts = ht.comm.counts(n, comm.size)
    key = ht.array(rng.integers(0, n, size=counts[comm.rank]), is_split=0)
    mask = x % 3 == 0
    rows = []
    whole = torch.arange(n, dtype=torch.float32)
    whole_key = torch.from_numpy(np.random.default_rng(99).integers(0, n, size=n))
    base = min(timeit.repeat(lambda: whole[whole_key], number=1, repeat=args.repeat))
    cases = {
        "x[key] distributed": lambda: x[key],
        "x[key] = 1.0 distributed": lambda: x.__setitem__(key, 1.0),
        "x[mask] aligned": lambda: x[mask],
        "x[::-1]": lambda: x[::-1],
    }
    for case, fn in cases.items():
        fn()
        seconds = _timed(comm, fn, args.repeat)
        rows.append(
            {"case": case, "seconds": seconds, "torch_seconds": base, "ratio_to_torch": seconds / base}
        )
    if comm.rank == 0:
        record = {"processes": comm.size, "n": n, "rows": rows}
        table = [
            f"{comm.size} processes, float32 array of {n} elements, key of {n} random entries",
            "",
            "| case | seconds | torch, 1 process, whole key | ratio |",
            "| --- | ---: | ---: | ---: |",
        ]
        table += [
            f"| `{r['case']}` | {r['seconds']:.4f} | {r['torch_seconds']:.4f} | {r['ratio_to_torch']:.2f} |"
            for r in rows
        ]
        if args.json:
            with open(args.json, "w") as fh:
                json.dump(record, fh)
        if args.md:
            with open(args.md, "w") as fh:
                fh.write("\n".join(table) + "\n")
        print("\n".join(table))


if __name__ == "__main__":
    main(sys.argv[1:])
