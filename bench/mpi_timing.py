"""Timing and peak-memory measurement shared by the mpiexec benchmark scripts in bench/."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
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


def rss_kib(field: str) -> int:
    """A ``/proc/self/status`` memory field (``VmRSS``, ``VmHWM``, ...) in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def peak_rise(fn: Callable[[], Any]) -> float:
    """Bytes by which this process's peak RSS rises above its current RSS while ``fn`` runs
    (``VmHWM`` reset through ``/proc/self/clear_refs``; NaN where that is not allowed)."""
    import gc

    gc.collect()
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return float("nan")
    before = rss_kib("VmRSS")
    result = fn()
    peak = rss_kib("VmHWM")
    del result
    return (peak - before) * 1024.0


def median_seconds(fn: Callable[[], Any], reps: int = 3) -> float:
    """Median wall time of ``reps`` calls of ``fn`` in this process, after one warm-up call."""
    fn()
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return float(statistics.median(samples))


def quiet_bcast(world: Any, value: Any) -> Any:
    """Broadcast rank 0's ``value``; the other ranks wait sleeping, not busy-polling in MPI, so a
    baseline timed on rank 0 alone (with as many threads as there are ranks) gets the cores."""
    req = world.Ibarrier()
    while not req.Test():
        time.sleep(0.005)
    return world.bcast(value, root=0)
