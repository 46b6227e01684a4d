"""asv suite ``random``: heat.random's counter-based ``rand`` against ``torch.rand``.

Under plain asv one process runs ``Rand`` (float32 values per call, one torch thread, heat
and torch in the same process). ``track_rand_ratio_1proc`` / ``track_rand_ratio_2procs``
run this module under ``mpiexec -n 1`` / ``-n 2`` (``python -m benchmarks.random`` from
``bench/``): each rank draws its block of ``ht.random.rand(N, dtype=float32, split=0)`` and,
in the same run, ``torch.rand`` of the same local size; they report torch's time / heat's
time, i.e. heat's throughput per process as a fraction of torch.rand's (target >= 0.5).

Run by hand (``--n`` global float32 values, default 10**7)::

    cd bench && ../.venv/bin/mpiexec -n 2 ../.venv/bin/python -m benchmarks.random --n 100000000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import torch

import heat as ht

BENCH = Path(__file__).resolve().parents[1]
N_TRACK = 10**7


class Rand:
    params = (10**5, 10**6, 10**7)
    param_names = ("n",)

    def setup(self, n: int) -> None:
        torch.set_num_threads(1)
        self.rng = ht.random.default_rng(0)

    def time_heat_rand_float32(self, n: int) -> None:
        self.rng.rand(n, dtype=ht.float32, split=0)

    def time_torch_rand_float32(self, n: int) -> None:
        torch.rand(n, dtype=torch.float32)

    def time_heat_randn_float32(self, n: int) -> None:
        self.rng.randn(n, dtype=ht.float32, split=0)

    def time_heat_randint_int64(self, n: int) -> None:
        self.rng.randint(0, 1000, n, split=0)


def _run(nprocs: int, n: int) -> dict[str, Any]:
    """This module under ``mpiexec -n nprocs``; its JSON record."""
    mpiexec = Path(sys.executable).with_name("mpiexec")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PMI", "HYDRA", "MPI_"))}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "record.json"
        command = [str(mpiexec), "-n", str(nprocs), sys.executable, "-m", "benchmarks.random"]
        command += ["--n", str(n), "--json", str(out)]
        subprocess.run(command, check=True, capture_output=True, env=env, cwd=BENCH)
        return json.loads(out.read_text())  # type: ignore[no-any-return]


_CACHE: dict[int, dict[str, Any]] = {}


def _ratio(nprocs: int) -> float:
    if nprocs not in _CACHE:
        _CACHE[nprocs] = _run(nprocs, N_TRACK)
    return float(_CACHE[nprocs]["ratio"])


def track_rand_ratio_1proc() -> float:
    """heat rand / torch.rand throughput per process, 10**7 float32, 1 process."""
    return _ratio(1)


def track_rand_ratio_2procs() -> float:
    """heat rand / torch.rand throughput per process, 10**7 float32 over 2 processes."""
    return _ratio(2)


track_rand_ratio_1proc.unit = "x torch.rand"  # type: ignore[attr-defined]
track_rand_ratio_2procs.unit = "x torch.rand"  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=N_TRACK, help="global number of float32 values")
    parser.add_argument("--threads", type=int, default=1, help="torch threads per process")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    from mpi4py import MPI
    from mpi_timing import timeit

    world = MPI.COMM_WORLD
    rng = ht.random.default_rng(0)
    local = ht.MPI_WORLD.counts_displs(args.n)[0][world.rank]
    heat_s = timeit(world, lambda: rng.rand(args.n, dtype=ht.float32, split=0), budget=2.0, max_reps=20)
    torch_s = timeit(world, lambda: torch.rand(local, dtype=torch.float32), budget=2.0, max_reps=20)
    record = {
        "n": args.n,
        "procs": world.size,
        "threads": args.threads,
        "local_n": local,
        "heat_s": heat_s,
        "torch_s": torch_s,
        "heat_values_per_s_per_proc": local / heat_s,
        "torch_values_per_s_per_proc": local / torch_s,
        "ratio": torch_s / heat_s,
    }
    if world.rank == 0:
        print(json.dumps(record))
        if args.json is not None:
            args.json.write_text(json.dumps(record))


if __name__ == "__main__":
    main()
