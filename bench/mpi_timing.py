"""Timing shared by the mpiexec benchmark scripts in bench/."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def timeit(
    world: Any, fn: Callable[[], object], budget: float = 0.2, max_reps: int = 2000, min_reps: int = 3
) -> float:
    """Median seconds per call of ``fn``, each call barrier-aligned, max over the ranks.

    A warm-up call is not timed; every rank runs the same number of calls (decided from the
    slowest rank's first timing and ``budget`` seconds).
    """
    from mpi4py import MPI

    op_max = MPI.MAX
    fn()
    world.Barrier()
    t0 = time.perf_counter()
    fn()
    one = world.allreduce(time.perf_counter() - t0, op=op_max)
    reps = max(min_reps, min(max_reps, int(budget / max(one, 1e-7))))
    samples = []
    for _ in range(reps):
        world.Barrier()
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return float(world.allreduce(statistics.median(samples), op=op_max))
