"""One run of the study: ``<launcher> -n P python -m scaling.worker --spec spec.json``.

Loads this process's rows (untimed), times ``trials`` calls of the workload (each call
barrier-aligned for Heat, the slowest process's time counts), checks the last result against the
NumPy result (computed once and cached next to the data), and writes the run's record. Any error
becomes a record with status "failed" and the reason; the harness never sees a traceback only.
Trials stop early when another one would pass the run's time budget. The first trial pays
one-time costs (lazy imports, numba compilation in dask-ml, torch's thread pool): ``time_s`` is the
median of the later trials, or the first when it is the only one (flagged in the record).
"""

from __future__ import annotations

import argparse
import json
import time
import traceback
from pathlib import Path
from typing import Any

import numpy as np

from . import checks, records
from .frameworks import MPI_RANKS
from .workloads import Problem


def _reference(problem: Problem, path: Path, ref_path: Path) -> dict[str, Any]:
    if ref_path.exists():
        with np.load(ref_path) as f:
            return {k: f[k] for k in f.files}
    from .frameworks import numpy_impl

    ref = numpy_impl.reference(problem, numpy_impl.load_all(problem, path))
    ref_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = ref_path.with_suffix(".tmp.npz")
    np.savez(tmp, **ref)
    tmp.replace(ref_path)
    return ref


def _make_runner(framework: str, problem: Problem, path: Path, threads: int, device: str) -> Any:
    if framework in MPI_RANKS:
        from .frameworks import heat_impl

        return heat_impl.Runner(problem, path, threads, device, published=framework == "heat-published")
    if framework.startswith("dask-"):
        from .frameworks import dask_impl

        return dask_impl.Runner(problem, path, threads, device, chunking=framework.removeprefix("dask-"))
    if framework == "numpy":
        from .frameworks import numpy_impl

        return numpy_impl.Runner(problem, path, threads, device)
    if framework == "torch":
        from .frameworks import torch_impl

        return torch_impl.Runner(problem, path, threads, device)
    if framework == "sklearn":
        from .frameworks import sklearn_impl

        return sklearn_impl.Runner(problem, path, threads, device)
    raise ValueError(f"unknown framework {framework!r}")


MAX_TRIALS = 100


def more_trials(times: list[float], spec: dict[str, Any], load_s: float) -> bool:
    """Whether to call again: until ``trials`` calls and ``min_seconds`` of counted (warm)
    trials, at most ``MAX_TRIALS``, never past the time budget. Decided from the slowest
    process's times only, so every process decides alike.

    >>> more_trials([1.0], {"trials": 2, "min_seconds": 0.0, "budget_s": 10.0}, 0.0)
    True
    >>> more_trials([0.001] * 5, {"trials": 2, "min_seconds": 0.25, "budget_s": 10.0}, 0.0)
    True
    >>> more_trials([1.0, 1.0], {"trials": 2, "min_seconds": 0.25, "budget_s": 10.0}, 0.0)
    False
    >>> more_trials([4.0], {"trials": 2, "min_seconds": 0.0, "budget_s": 8.0}, 0.0)
    False
    """
    if load_s + sum(times) + 1.2 * times[-1] > spec["budget_s"] or len(times) >= MAX_TRIALS:
        return False
    return len(times) < spec["trials"] or sum(times[1:]) < spec.get("min_seconds", 0.0)


def run(spec: dict[str, Any], comm: Any) -> dict[str, Any] | None:
    """Execute the spec; the record on the writing process (rank 0, or dask's client), else None."""
    problem = Problem.from_dict(spec["problem"])
    rec: dict[str, Any] = dict(spec["record"])
    framework, workload = spec["framework"], problem.workload
    distributed = framework in MPI_RANKS
    writer = comm is None or comm.Get_rank() == 0
    started = time.perf_counter()

    def barrier() -> None:
        if distributed:
            comm.Barrier()

    def slowest(t: float) -> float:
        return float(comm.allreduce(t, op=_max())) if distributed else t

    runner = None
    try:
        runner = _make_runner(framework, problem, Path(spec["path"]), spec["threads"], spec["device"])
        t0 = time.perf_counter()
        runner.load()
        barrier()
        rec["load_s"] = slowest(time.perf_counter() - t0)
        call = getattr(runner, workload)
        times: list[float] = []
        out = None
        while True:
            out = None  # the previous trial's result is freed before the next call
            barrier()
            t0 = time.perf_counter()
            out = call()
            barrier()
            times.append(slowest(time.perf_counter() - t0))
            if not more_trials(times, spec, rec["load_s"]):
                break
        rec["times_s"] = times
        rec["time_s"] = records.summarize_times(times)
        rec["time_includes_first_call"] = len(times) < 2
        result = runner.fetch(workload, out)
        if getattr(runner, "version", None):
            rec["framework_version"] = runner.version
        iterations = getattr(runner, "iterations", None)
        rec["iterations"] = iterations if iterations is not None else problem.params.get("iterations")
        rec["flops"] = problem.flop_count(iterations)
        rec["gflops"] = rec["flops"] / rec["time_s"] / 1e9 if rec["time_s"] else None
        if writer:
            ref = _reference(problem, Path(spec["path"]), Path(spec["reference"]))
            rec["check"] = checks.check(workload, result, ref)
        rec["status"] = "ok" if not writer or rec["check"]["passed"] else "failed"
        if writer and not rec["check"]["passed"]:
            c = rec["check"]
            rec["reason"] = (
                f"result differs from NumPy: {c['metric']} = {c['value']:.3g} (tolerance {c['tolerance']})"
            )
    except Exception as err:
        rec["status"] = "failed"
        rec["reason"] = f"{type(err).__name__}: {err}".strip()[:500]
        rec["traceback"] = traceback.format_exc()[-3000:]
    if hasattr(runner, "peak_rss"):
        try:
            rec["peak_rss_mib"] = runner.peak_rss()
        except Exception:
            rec["peak_rss_mib"] = [records.peak_rss_mib()]
    elif distributed:
        rec["peak_rss_mib"] = comm.allgather(records.peak_rss_mib())
    else:
        rec["peak_rss_mib"] = [records.peak_rss_mib()]
    if hasattr(runner, "close"):
        runner.close()
    rec["wall_s"] = time.perf_counter() - started
    return rec if writer else None


def _max() -> Any:
    from mpi4py import MPI

    return MPI.MAX


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--spec", required=True, type=Path)
    args = parser.parse_args(argv)
    spec = json.loads(args.spec.read_text())
    comm = None
    if spec["framework"].startswith("dask-"):
        import dask
        from dask_mpi import initialize

        dask.config.set({"distributed.worker.daemon": False, "logging.distributed": "error"})
        # rank 0: scheduler, ranks >= 2: workers (both return only at shutdown and exit); rank 1: here
        initialize(
            interface="lo", nthreads=spec["threads"], dashboard=False, memory_limit=spec["memory_limit"]
        )
    elif spec["framework"] in MPI_RANKS:
        from mpi4py import MPI

        comm = MPI.COMM_WORLD
    rec = run(spec, comm)
    if rec is not None:
        Path(spec["out"]).write_text(json.dumps(rec, indent=1, sort_keys=True, default=float) + "\n")


if __name__ == "__main__":
    main()
