"""asv suite ``io``: heat.io reading HDF5 against h5py and Dask, and its memory per rank.

Under plain asv one process runs: ``Small`` times ``ht.load_hdf5`` / ``ht.save_hdf5`` of a
16 MiB float32 dataset against the bare h5py calls (the Python layer's overhead). The
``track_`` functions run this file as a script under ``mpiexec -n 2``:

    mpiexec -n 2 python bench/benchmarks/io.py [--gib 2] [--json FILE] [--md FILE]

which writes one float32 HDF5 dataset of ``--gib`` GiB (16384 columns, no chunking) and, in
one run on the same file, times

- ``ht.load_hdf5(split=0)`` on 2 processes (each reads its half),
- ``ht.load_hdf5(split=0)`` on 1 process (``comm=COMM_SELF`` on rank 0),
- h5py reading the whole dataset in one process (``dset[...]``),
- ``dask.array.from_array(dset).compute()`` (threaded scheduler, ``chunks="auto"``) in one
  process,

each the median of barrier-aligned reads after a warm-up read (from the page cache where it
keeps the file, otherwise from disk), and the rise of each rank's peak RSS
(``VmHWM`` reset through ``/proc/self/clear_refs``) during one 2-process load, in local blocks.
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__" and os.path.realpath(sys.path[0]) == os.path.dirname(os.path.realpath(__file__)):
    # run as a script: this folder's modules (io, random, core, ...) would shadow the stdlib's
    sys.path.pop(0)

import argparse
import json
import platform
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

COLUMNS = 16384


def _write_dataset(path: str, rows: int) -> None:
    import h5py
    import numpy as np

    rng = np.random.default_rng(0)
    with h5py.File(path, "w") as f:
        dset = f.create_dataset("data", shape=(rows, COLUMNS), dtype=np.float32)
        step = max(1, (64 * 2**20) // (4 * COLUMNS))
        for r in range(0, rows, step):
            dset[r : r + step] = rng.random((min(step, rows - r), COLUMNS), dtype=np.float32)


def main() -> None:
    bench = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(bench))
    import dask.array as da
    import h5py
    import torch
    from mpi4py import MPI
    from mpi_timing import peak_rise, timeit

    import heat as ht

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gib", type=float, default=2.0, help="dataset size in GiB")
    ap.add_argument("--dir", default=None, help="where to write the dataset (default: a temp dir)")
    ap.add_argument("--json", default=None)
    ap.add_argument("--md", default=None)
    args = ap.parse_args()
    torch.set_num_threads(1)
    world = MPI.COMM_WORLD
    p, rank = world.Get_size(), world.Get_rank()
    rows = int(args.gib * 2**30) // (4 * COLUMNS)
    nbytes = rows * COLUMNS * 4

    tmpdir = world.bcast(tempfile.mkdtemp(prefix="heat-io-bench-", dir=args.dir) if rank == 0 else None)
    path = os.path.join(tmpdir, "read.h5")
    try:
        if rank == 0:
            _write_dataset(path, rows)
        world.Barrier()
        self_comm = ht.comm.Communicator(MPI.COMM_SELF)

        def on_rank0(fn: Callable[[], Any]) -> Callable[[], None]:
            return lambda: (fn() if rank == 0 else None, None)[1]

        def h5py_whole() -> Any:
            with h5py.File(path, "r") as f:
                return f["data"][...]

        def dask_whole() -> Any:
            with h5py.File(path, "r") as f:
                return da.from_array(f["data"], chunks="auto").compute(scheduler="threads")

        cases: dict[str, Callable[[], Any]] = {
            "h5py, whole dataset, 1 process": on_rank0(h5py_whole),
            "dask.array.from_array(h5py).compute(), 1 process": on_rank0(dask_whole),
            "ht.load_hdf5(split=0), 1 process": on_rank0(
                lambda: ht.load_hdf5(path, "data", split=0, comm=self_comm)
            ),
            f"ht.load_hdf5(split=0), {p} processes": lambda: ht.load_hdf5(path, "data", split=0),
        }
        # memory first: after the timed reads, glibc may serve blocks below its (adaptive, at most
        # 32 MiB) mmap threshold from freed heap memory, which would hide the rise
        ht.load_hdf5(path, "data", split=0)  # warm-up (imports, page cache)
        rise = peak_rise(lambda: ht.load_hdf5(path, "data", split=0))
        peak_blocks = world.allgather(rise / (nbytes / p))
        rows_out = []
        base = None
        for name, fn in cases.items():
            seconds = timeit(world, fn, budget=1.0, max_reps=5, min_reps=3)
            base = seconds if base is None else base
            rows_out.append(
                {
                    "case": name,
                    "seconds": seconds,
                    "gib_per_s": nbytes / 2**30 / seconds,
                    "ratio_to_h5py": seconds / base,
                }
            )
            if rank == 0:
                print(f"{name:50s} {seconds:7.3f} s  {nbytes / 2**30 / seconds:6.2f} GiB/s", flush=True)
    finally:
        world.Barrier()
        if rank == 0:
            Path(path).unlink(missing_ok=True)
            os.rmdir(tmpdir)
    if rank != 0:
        return
    meta = {
        "ranks": p,
        "gib": nbytes / 2**30,
        "shape": [rows, COLUMNS],
        "peak_rss_rise_blocks_per_rank": peak_blocks,
        "h5py": h5py.version.version,
        "h5py_mpi": bool(h5py.get_config().mpi),
        "torch": torch.__version__,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }
    record = {"meta": meta, "rows": rows_out}
    lines = [
        f"float32 ({rows}, {COLUMNS}) HDF5 dataset, {nbytes / 2**30:.2f} GiB, contiguous; "
        f"h5py {meta['h5py']} (MPI-IO: {meta['h5py_mpi']}), {meta['machine']}.",
        "",
        "| case | time | throughput | time / h5py |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r['case']} | {r['seconds']:.3f} s | {r['gib_per_s']:.2f} GiB/s | {r['ratio_to_h5py']:.2f} |"
        for r in rows_out
    ]
    lines += [
        "",
        "Peak RSS rise per rank during the 2-process load, in local blocks: "
        + ", ".join(f"{b:.2f}" for b in peak_blocks),
    ]
    if args.json:
        Path(args.json).write_text(json.dumps(record, indent=1))
    if args.md:
        Path(args.md).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


# ---------------------------------------------------------------------------- asv benchmarks
_CACHE: dict[str, Any] = {}


def _two_process_run() -> dict[str, Any]:
    if "record" not in _CACHE:
        from ._mpirun import run_script

        _CACHE["record"] = run_script("benchmarks/io.py", "--gib", os.environ.get("HEAT_IO_BENCH_GIB", "2"))
    return _CACHE["record"]  # type: ignore[no-any-return]


def _row(prefix: str) -> dict[str, Any]:
    return next(r for r in _two_process_run()["rows"] if r["case"].startswith(prefix))


def track_load_2proc_gib_per_s() -> float:
    """ht.load_hdf5(split=0) read throughput on 2 processes (GiB/s, 2 GiB float32;
    HEAT_IO_BENCH_GIB sets another size)."""
    return float(_row("ht.load_hdf5(split=0), 2")["gib_per_s"])


def track_load_2proc_ratio_to_h5py() -> float:
    """ht.load_hdf5 on 2 processes: time / h5py reading the whole dataset on 1 process."""
    return float(_row("ht.load_hdf5(split=0), 2")["ratio_to_h5py"])


def track_load_1proc_ratio_to_h5py() -> float:
    """ht.load_hdf5 on 1 process: time / h5py reading the whole dataset on 1 process."""
    return float(_row("ht.load_hdf5(split=0), 1")["ratio_to_h5py"])


def track_dask_ratio_to_h5py() -> float:
    """dask.array.from_array(h5py dataset).compute(): time / h5py whole read (1 process)."""
    return float(_row("dask")["ratio_to_h5py"])


def track_load_peak_rss_blocks() -> float:
    """Largest peak RSS rise of a rank during a 2-process load, in local blocks (target ~1)."""
    return float(max(_two_process_run()["meta"]["peak_rss_rise_blocks_per_rank"]))


for _track in (
    track_load_2proc_gib_per_s,
    track_load_2proc_ratio_to_h5py,
    track_load_1proc_ratio_to_h5py,
    track_dask_ratio_to_h5py,
    track_load_peak_rss_blocks,
):
    _track.timeout = 1800  # type: ignore[attr-defined]  # writing and reading 2 GiB several times
track_load_2proc_gib_per_s.unit = "GiB/s"  # type: ignore[attr-defined]
track_load_2proc_ratio_to_h5py.unit = "x h5py"  # type: ignore[attr-defined]
track_load_1proc_ratio_to_h5py.unit = "x h5py"  # type: ignore[attr-defined]
track_dask_ratio_to_h5py.unit = "x h5py"  # type: ignore[attr-defined]
track_load_peak_rss_blocks.unit = "blocks"  # type: ignore[attr-defined]


class Small:
    """One process, 16 MiB float32: heat.io against the bare h5py call (Python-layer overhead)."""

    def setup(self) -> None:
        import h5py
        import numpy as np

        import heat as ht

        self.dir = tempfile.mkdtemp(prefix="heat-io-asv-")
        self.path = os.path.join(self.dir, "small.h5")
        self.data = np.random.default_rng(0).random((1024, 4096), dtype=np.float32)
        with h5py.File(self.path, "w") as f:
            f["data"] = self.data
        self.x = ht.array(self.data, split=0)

    def teardown(self) -> None:
        import shutil

        shutil.rmtree(self.dir, ignore_errors=True)

    def time_ht_load(self) -> None:
        import heat as ht

        ht.load_hdf5(self.path, "data", split=0)

    def time_h5py_read(self) -> None:
        import h5py

        with h5py.File(self.path, "r") as f:
            f["data"][...]

    def time_ht_save(self) -> None:
        import heat as ht

        ht.save_hdf5(self.x, os.path.join(self.dir, "out.h5"), "data")

    def time_h5py_write(self) -> None:
        import h5py

        with h5py.File(os.path.join(self.dir, "raw.h5"), "w") as f:
            f["data"] = self.data


if __name__ == "__main__":
    main()
