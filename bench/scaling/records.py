"""The JSON record of one run, machine and version info, and reading a study back.

A record (``bench/results/scaling/<study>/<mode>-<workload>-<framework>-p<P>.json``)::

    {"schema": 1, "study": "...", "framework": "heat", "workload": "kmeans", "mode": "weak",
     "processes": 2, "launched_processes": 2, "threads_per_process": 1, "nodes": 2.0,
     "rows": 600, "cols": 6144, "status": "ok" | "failed" | "timeout" | "skipped",
     "reason": null, "times_s": [...], "time_s": <median>, "flops": ..., "gflops": ...,
     "iterations": 30, "check": {"metric", "value", "tolerance", "passed"},
     "peak_rss_mib": [per process], "oversubscribed": false, "machine": {...},
     "versions": {...}, ...}

``time_s`` is the median of the trials after the first (each trial the slowest process's time
of one call); the first trial pays one-time costs (imports, JIT compilation).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

SCHEMA = 1
PACKAGES = (
    "heat-comm",
    "heat-core",
    "heat-linalg",
    "heat-random",
    "heat-io",
    "heat-ml",
    "numpy",
    "torch",
    "scikit-learn",
    "dask",
    "distributed",
    "dask-mpi",
    "dask-ml",
    "h5py",
    "mpi4py",
    "mpich",
)
STATUSES = ("ok", "failed", "timeout", "skipped")


def peak_rss_mib() -> float:
    """This process's peak resident set size in MiB (Linux reports KiB)."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / 1024 if sys.platform != "darwin" else kib / 2**20


def cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS
        return os.cpu_count() or 1


def machine() -> dict[str, Any]:
    """Host, CPU model, cores, memory and the load average (the machine may be shared)."""
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gib = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {
        "host": platform.node(),
        "system": f"{platform.system()} {platform.release()}",
        "cpu": cpu,
        "cores": cores(),
        "memory_gib": mem_gib,
        "loadavg": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
    }


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def versions(root: Path | None = None) -> dict[str, Any]:
    """Installed versions of the benchmarked packages (None: not installed) and the git commit."""
    out: dict[str, Any] = {}
    for name in PACKAGES:
        out[name] = _version(name)
    if root is not None:
        try:
            out["git_commit"] = subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, check=True
            ).stdout.strip()
            dirty = subprocess.run(
                ["git", "status", "--porcelain", "--", "packages"],
                check=False,
                cwd=root,
                capture_output=True,
                text=True,
            ).stdout.strip()
            out["packages_modified_since_commit"] = bool(dirty)
        except (OSError, subprocess.CalledProcessError):
            out["git_commit"] = None
    return out


def summarize_times(times: list[float]) -> float | None:
    """Median of the trials after the first (which pays one-time costs); the first if alone.

    >>> summarize_times([9.0, 1.0, 3.0, 2.0])
    2.0
    """
    if not times:
        return None
    return statistics.median(times[1:] if len(times) > 1 else times)


def filename(rec: dict[str, Any]) -> str:
    return f"{rec['mode']}-{rec['workload']}-{rec['framework']}-p{rec['processes']}.json"


def write(directory: Path, rec: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / filename(rec)
    path.write_text(json.dumps(rec, indent=1, sort_keys=True, default=float) + "\n")
    return path


def validate(rec: dict[str, Any]) -> dict[str, Any]:
    """``rec`` if it is a scaling record this code understands; ValueError naming what is wrong."""
    missing = [k for k in ("schema", "framework", "workload", "mode", "processes", "status") if k not in rec]
    if missing:
        raise ValueError(f"not a scaling record: missing {missing}")
    if rec["schema"] != SCHEMA:
        raise ValueError(f"record schema {rec['schema']} is not {SCHEMA}; re-run the study")
    if rec["status"] not in STATUSES:
        raise ValueError(f"record status {rec['status']!r} is not one of {STATUSES}")
    if rec["status"] == "ok" and not rec.get("time_s"):
        raise ValueError("record has status 'ok' but no time_s")
    return rec


def load(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """Every valid record in the given files or directories (recursively); others are skipped
    with a message on stderr."""
    out = []
    for p in paths:
        files = sorted(Path(p).rglob("*.json")) if Path(p).is_dir() else [Path(p)]
        for f in files:
            if f.name == "study.json":
                continue
            try:
                out.append(validate(json.loads(f.read_text())))
            except (ValueError, json.JSONDecodeError, KeyError, TypeError) as err:
                print(f"skipping {f}: {err}", file=sys.stderr)
    return out


def latest_study(results: Path) -> Path | None:
    """The most recent study directory under ``results``: the one whose ``study.json`` was
    written last (a study's name need not sort by its start, e.g. ``--name``)."""
    studies = (
        [d for d in results.iterdir() if d.is_dir() and (d / "study.json").exists()]
        if results.exists()
        else []
    )
    return max(studies, key=lambda d: ((d / "study.json").stat().st_mtime, d.name)) if studies else None
