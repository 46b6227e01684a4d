"""The study: plan the runs, generate the data, launch each run with a time limit, show progress.

``python -m scaling --nodes N [--ranks-per-node R] [--threads-per-rank T] [--launcher mpiexec|srun]
[--benchmarks ...] [--frameworks ...] [--mode weak|strong|both] [--trials K] [--scale S]``

Process counts are 1, 2, 4, ... up to ``N * R`` (and ``N * R`` itself). Heat and Dask run on
``p`` processes (Dask: ``p`` workers plus its scheduler and client, ``p + 2`` MPI processes);
NumPy, PyTorch and scikit-learn run on one process with ``p * T`` threads, the same cores. Every
planned run ends as one record: measured, failed (with the reason), timed out or skipped (a
framework without that algorithm).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from . import data, records
from .frameworks import DISTRIBUTED, FRAMEWORKS, MPI_RANKS
from .workloads import DEFAULT_SCALE, MODES, WORKLOADS, Problem, parse_scale, problem

BENCH = Path(__file__).resolve().parents[1]
ROOT = BENCH.parent


def process_counts(total: int) -> list[int]:
    """1, 2, 4, ... below ``total``, then ``total``.

    >>> process_counts(6)
    [1, 2, 4, 6]
    """
    if total < 1:
        raise ValueError(f"need at least one process, got nodes * ranks-per-node = {total}")
    out, p = [], 1
    while p < total:
        out.append(p)
        p *= 2
    return [*out, total]


@dataclass(frozen=True)
class Run:
    framework: str
    problem: Problem
    launched: int  # MPI processes started
    threads: int  # per process

    @property
    def label(self) -> str:
        p = self.problem
        return f"{p.mode:6} {p.workload:8} p={p.processes:<3} {self.framework}"


def plan(
    workloads: list[str],
    frameworks: list[str],
    modes: list[str],
    total: int,
    scale: float,
    rpn: int,
    threads: int,
) -> list[Run]:
    """Every run of the study, workload by workload (so a study cut short by ``--max-minutes``
    still has whole workloads), NumPy first within each (workload, mode, p) so its result is the
    cached reference for the others."""
    order = sorted(frameworks, key=lambda f: (f != "numpy", FRAMEWORKS.index(f)))
    runs = []
    for w in workloads:
        for mode in modes:
            for p in process_counts(total):
                prob = problem(w, mode, p, scale, rpn)
                for f in order:
                    if f in DISTRIBUTED:
                        runs.append(Run(f, prob, p + 2 if f.startswith("dask") else p, threads))
                    else:
                        runs.append(Run(f, prob, 1, p * threads))
    return runs


def unsupported(framework: str, workload: str) -> str | None:
    """The reason a framework lacks a workload's algorithm, read without importing the framework."""
    if framework == "sklearn" and workload == "forward":
        return "scikit-learn has no dense-layer forward pass (relu(X @ W))"
    return None


PUBLISHED_PYTHON = ROOT / ".venv-published" / "bin" / "python"


def python_for(framework: str, args: argparse.Namespace) -> str | None:
    """The interpreter of a run: this one, or for ``heat-published`` the published Heat's
    environment (None when it is missing)."""
    if framework != "heat-published":
        return sys.executable
    return str(args.published_python) if Path(args.published_python).exists() else None


def launcher_command(launcher: str, nprocs: int, threads: int) -> list[str]:
    if launcher == "srun":
        return ["srun", f"--ntasks={nprocs}", f"--cpus-per-task={threads}", "--kill-on-bad-exit=0"]
    exe = os.environ.get("HEAT_MPIEXEC") or shutil.which("mpiexec", path=str(Path(sys.executable).parent))
    exe = exe or shutil.which("mpiexec")
    if exe is None:
        raise SystemExit("no mpiexec found: run the README's set-up (it installs the mpich wheel)")
    return [exe, *shlex.split(os.environ.get("HEAT_MPIEXEC_FLAGS", "")), "-n", str(nprocs)]


def thread_env(threads: int) -> dict[str, str]:
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
        env[var] = str(threads)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BENCH), os.environ.get("PYTHONPATH", "")]))
    env["PYTHONWARNINGS"] = "ignore"
    return env


class Progress:
    """One line per run; on a terminal the running line shows its elapsed time live."""

    def __init__(self, total: int, stream: TextIO = sys.stdout) -> None:
        self.total, self.stream, self.start = total, stream, time.perf_counter()
        self.live = stream.isatty()
        self.counts: dict[str, int] = {}

    def _prefix(self, i: int) -> str:
        el = time.perf_counter() - self.start
        return f"[{i:>{len(str(self.total))}}/{self.total} {int(el // 60):02d}:{int(el % 60):02d}]"

    def running(self, i: int, label: str, seconds: float) -> None:
        if self.live:
            self.stream.write(f"\r{self._prefix(i)} {label} ... {seconds:5.0f} s ")
            self.stream.flush()

    def done(self, i: int, label: str, rec: dict[str, Any]) -> None:
        self.counts[rec["status"]] = self.counts.get(rec["status"], 0) + 1
        if rec["status"] == "ok":
            g = rec.get("gflops")
            what = f"{rec['time_s']:.3g} s  {g:.3g} GFLOP/s" if g else f"{rec['time_s']:.3g} s"
            what += f"  check {rec['check']['value']:.2g}"
        else:
            what = f"{rec['status'].upper()}: {(rec.get('reason') or '')[:110]}"
        self.stream.write(
            ("\r" if self.live else "") + f"{self._prefix(i)} {label}  {what}\x1b[K\n"
            if self.live
            else f"{self._prefix(i)} {label}  {what}\n"
        )
        self.stream.flush()

    def summary(self) -> str:
        el = time.perf_counter() - self.start
        parts = ", ".join(f"{v} {k}" for k, v in sorted(self.counts.items()))
        return f"{self.total} runs in {el / 60:.1f} min: {parts}"


def execute(
    run: Run, base: dict[str, Any], args: argparse.Namespace, out_dir: Path, progress: Progress, i: int
) -> dict[str, Any]:
    """Launch one run and return its record (a failure record when the run produced none)."""
    prob = run.problem
    rec = {
        **base,
        "framework": run.framework,
        **prob.as_dict(),
        "launched_processes": run.launched,
        "threads_per_process": run.threads,
        "ranks_per_node": args.ranks_per_node,
        "device": args.device if run.framework in (*MPI_RANKS, "torch") else "cpu",
        "trials_requested": args.trials,
        "time_limit_s": args.time_limit,
        "status": "failed",
        "reason": None,
    }
    busy = run.launched * run.threads - (2 * run.threads - 2 if run.framework.startswith("dask") else 0)
    rec["oversubscribed"] = busy > base["machine"]["cores"] or run.launched > base["machine"]["cores"]
    rec["machine"] = {**base["machine"], "loadavg": list(os.getloadavg())}
    reason = unsupported(run.framework, prob.workload)
    if reason:
        rec.update(status="skipped", reason=reason)
        return rec
    python = python_for(run.framework, args)
    if python is None:
        rec.update(
            reason=f"no published Heat environment at {args.published_python}: run nox -s published_env"
        )
        return rec
    with tempfile.TemporaryDirectory(prefix="heat-scaling-") as tmp:
        spec = {
            "framework": run.framework,
            "problem": prob.as_dict(),
            "path": str(data.path_for(args.data_dir, prob.dataset, prob.cols)),
            "reference": str(
                args.data_dir
                / "reference"
                / f"{prob.workload}_{prob.rows}x{prob.cols}_v{data.GENERATOR_VERSION}.npz"
            ),
            "threads": run.threads,
            "device": rec["device"],
            "trials": args.trials,
            "min_seconds": args.min_seconds,
            "budget_s": 0.8 * args.time_limit,
            "memory_limit": args.dask_memory_limit,
            "out": str(Path(tmp) / "record.json"),
            "record": rec,
        }
        spec_path = Path(tmp) / "spec.json"
        spec_path.write_text(json.dumps(spec))
        cmd = [
            *launcher_command(args.launcher, run.launched, run.threads),
            python,
            "-m",
            "scaling.worker",
        ]
        cmd += ["--spec", str(spec_path)]
        log = Path(tmp) / "log.txt"
        t0 = time.perf_counter()
        with log.open("w") as fh:
            proc = subprocess.Popen(
                cmd,
                cwd=BENCH,
                env=thread_env(run.threads),
                stdout=fh,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            timed_out = False
            while proc.poll() is None:
                elapsed = time.perf_counter() - t0
                progress.running(i, run.label, elapsed)
                if elapsed > args.time_limit:
                    timed_out = True
                    _stop(proc)
                    break
                time.sleep(0.25)
        out = Path(spec["out"])
        if out.exists() and not timed_out:
            rec = json.loads(out.read_text())
        elif timed_out:
            rec.update(status="timeout", reason=f"time limit of {args.time_limit:.0f} s reached")
        else:
            tail = log.read_text(errors="replace").strip().splitlines()[-6:]
            rec.update(
                status="failed",
                reason=f"exit code {proc.returncode} without a record: " + " | ".join(tail)[-400:],
            )
        rec["launch_wall_s"] = time.perf_counter() - t0
        rec["command"] = " ".join(cmd[:-2])
    return rec


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate the run's process group (only the processes this run started), then kill it."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=5)
            return
        except subprocess.TimeoutExpired:
            continue


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="nox -s bench --", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--nodes", type=int, default=1, help="nodes (process counts go up to nodes * ranks-per-node)"
    )
    ap.add_argument("--ranks-per-node", type=int, default=1)
    ap.add_argument("--threads-per-rank", type=int, default=1)
    ap.add_argument("--launcher", choices=("mpiexec", "srun"), default="mpiexec")
    ap.add_argument("--benchmarks", nargs="+", choices=list(WORKLOADS), default=list(WORKLOADS))
    ap.add_argument("--frameworks", nargs="+", choices=list(FRAMEWORKS), default=list(FRAMEWORKS))
    ap.add_argument("--mode", choices=("weak", "strong", "both"), default="both")
    ap.add_argument("--trials", type=int, default=2, help="calls per run at least (the first is not counted)")
    ap.add_argument(
        "--min-seconds",
        type=float,
        default=0.25,
        help="more calls (up to 100) until the counted ones take this long: sub-millisecond calls",
    )
    ap.add_argument(
        "--scale", default=str(DEFAULT_SCALE), help="'paper', a number or a fraction (default 1/4096)"
    )
    ap.add_argument("--time-limit", type=float, default=30.0, help="seconds per run, start-up included")
    ap.add_argument("--max-minutes", type=float, default=None, help="study budget: later runs are skipped")
    ap.add_argument("--device", choices=("cpu", "gpu"), default="cpu", help="Heat's and PyTorch's device")
    ap.add_argument("--dask-memory-limit", default="auto", help="per Dask worker (dask-mpi's memory_limit)")
    ap.add_argument(
        "--published-python",
        type=Path,
        default=Path(os.environ.get("HEAT_PUBLISHED_PYTHON", PUBLISHED_PYTHON)),
        help="the Python of the published Heat's environment (framework heat-published)",
    )
    ap.add_argument("--data-dir", type=Path, default=BENCH / "data")
    ap.add_argument("--results", type=Path, default=BENCH / "results" / "scaling")
    ap.add_argument("--name", default=None, help="study name (default: the start time)")
    args = ap.parse_args(argv)
    if args.scale == str(DEFAULT_SCALE):
        args.scale = DEFAULT_SCALE
    args.scale = parse_scale(args.scale)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    modes = list(MODES) if args.mode == "both" else [args.mode]
    total = args.nodes * args.ranks_per_node
    runs = plan(
        args.benchmarks, args.frameworks, modes, total, args.scale, args.ranks_per_node, args.threads_per_rank
    )
    name = args.name or dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out_dir = args.results / name
    out_dir.mkdir(parents=True, exist_ok=True)
    base = {
        "schema": records.SCHEMA,
        "study": name,
        "scale": args.scale,
        "machine": records.machine(),
        "versions": records.versions(ROOT),
        "launcher": args.launcher,
    }
    study = {
        **base,
        "argv": sys.argv[1:],
        "nodes": args.nodes,
        "ranks_per_node": args.ranks_per_node,
        "threads_per_rank": args.threads_per_rank,
        "trials": args.trials,
        "min_seconds": args.min_seconds,
        "time_limit_s": args.time_limit,
        "modes": modes,
        "workloads": args.benchmarks,
        "frameworks": args.frameworks,
        "planned_runs": len(runs),
    }
    previous = out_dir / "study.json"
    if previous.exists():  # a study continued under the same --name: keep what earlier parts ran
        old = json.loads(previous.read_text())
        study["parts"] = [*old.get("parts", [{"argv": old.get("argv", [])}]), {"argv": sys.argv[1:]}]
        study["planned_runs"] += old.get("planned_runs", 0)
        for key in ("workloads", "frameworks", "modes"):
            study[key] = sorted(set(study[key]) | set(old.get(key, [])))
    previous.write_text(json.dumps(study, indent=1) + "\n")
    print(
        f"study {name}: {len(runs)} runs, scale {args.scale:g}, process counts {process_counts(total)}, "
        f"{base['machine']['cores']} cores, results in {out_dir}",
        flush=True,
    )
    needed: dict[tuple[str, int], int] = {}
    for r in runs:
        key = (r.problem.dataset, r.problem.cols)
        needed[key] = max(needed.get(key, 0), r.problem.rows)
    for (dataset, cols), rows in sorted(needed.items()):
        t0 = time.perf_counter()
        path = data.ensure(args.data_dir, dataset, rows, cols)
        print(
            f"data {path.name}: {rows} x {cols} float32 ready ({time.perf_counter() - t0:.1f} s)", flush=True
        )
    progress = Progress(len(runs))
    deadline = time.perf_counter() + 60 * args.max_minutes if args.max_minutes else None
    for i, run in enumerate(runs, 1):
        if deadline is not None and time.perf_counter() > deadline:
            rec = {
                **base,
                "framework": run.framework,
                **run.problem.as_dict(),
                "status": "skipped",
                "reason": f"study budget (--max-minutes {args.max_minutes:g}) spent before this run started",
                "launched_processes": run.launched,
                "threads_per_process": run.threads,
            }
            records.write(out_dir, rec)
            progress.done(i, run.label, rec)
            continue
        try:
            rec = execute(run, base, args, out_dir, progress, i)
        except Exception as err:  # the harness itself must not die on one run
            rec = {
                **base,
                "framework": run.framework,
                **run.problem.as_dict(),
                "status": "failed",
                "reason": f"harness error: {type(err).__name__}: {err}",
                "launched_processes": run.launched,
                "threads_per_process": run.threads,
            }
        records.write(out_dir, rec)
        progress.done(i, run.label, rec)
    print(progress.summary(), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
