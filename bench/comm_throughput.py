"""heat.comm against raw mpi4py, same sizes, same run.

    mpiexec -n 2 python bench/comm_throughput.py [--sizes 1KB,1MB,256MB] [--md FILE] [--json FILE]

For each operation and message size (bytes of float32 data per rank's *result*), time
raw mpi4py on NumPy buffers, heat.comm checked and heat.comm unchecked, each as the median of
repeated barrier-aligned calls, and report GB/s, heat/raw throughput and added latency.

Operations: allreduce (sum), allgather along axis 0 and along axis 1 of a 2-d block (raw:
Allgatherv into a packed buffer + NumPy unpack; raw-dt: derived datatypes, no copies),
alltoall (resplit kernel, 2-d, rows -> columns; raw: one packing copy, Alltoallv straight
into the result). "out" = heat.comm unchecked with a preallocated ``out=`` result, as the raw
calls have.
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
from mpi_timing import timeit

from heat.comm import counts_displs, get_comm

UNITS = {"KB": 2**10, "MB": 2**20, "GB": 2**30}


def parse_size(text: str) -> int:
    for unit, mult in UNITS.items():
        if text.upper().endswith(unit):
            return int(float(text[: -len(unit)]) * mult)
    return int(text)


def cases(size_bytes: int, p: int, rank: int, world: Any) -> dict[str, dict[str, Callable[[], object]]]:
    comm = get_comm()
    fast = comm.unchecked
    n = max(size_bytes // 4, p)  # float32 elements of the result
    out: dict[str, dict[str, Callable[[], object]]] = {}

    # allreduce: message = result = n elements
    t = torch.ones(n)
    a, b = t.numpy(), np.empty(n, np.float32)
    out["allreduce"] = {
        "raw": lambda: world.Allreduce(a, b),
        "checked": lambda: comm.allreduce(t),
        "unchecked": lambda: fast.allreduce(t),
        "out": lambda: fast.allreduce(t, out=torch.from_numpy(b)),
    }

    # allgather axis 0: result (rows, cols), each rank holds its rows
    cols = 64
    rows = max(n // cols, p)
    rc, _ = counts_displs(rows, p)
    blk0 = torch.ones(rc[rank], cols)
    a0, r0 = blk0.numpy(), np.empty((rows, cols), np.float32)
    o0 = torch.empty(rows, cols)
    cnt0 = [c * cols for c in rc]
    dsp0 = list(np.cumsum([0, *cnt0[:-1]]))
    out["allgather axis 0"] = {
        "raw": lambda: world.Allgatherv(a0, [r0, (cnt0, dsp0), MPI.FLOAT]),
        "checked": lambda: comm.allgather(blk0, axis=0),
        "unchecked": lambda: fast.allgather(blk0, axis=0, counts=list(rc)),
        "out": lambda: fast.allgather(blk0, axis=0, counts=list(rc), out=o0),
    }

    # allgather axis 1: result (64, n/64), each rank holds a block of columns
    rows1 = 64
    cols1 = max(n // rows1, p)
    cc, cd = counts_displs(cols1, p)
    blk1 = torch.ones(rows1, cc[rank])
    a1 = np.ascontiguousarray(blk1.numpy())
    packed = np.empty(rows1 * cols1, np.float32)
    r1 = np.empty((rows1, cols1), np.float32)
    o1 = torch.empty(rows1, cols1)
    cnt1 = [c * rows1 for c in cc]
    dsp1 = list(np.cumsum([0, *cnt1[:-1]]))

    def raw_packed() -> None:
        # send the block column-major (one pack copy), unpack into (rows, cols)
        world.Allgatherv(np.ascontiguousarray(a1.T), [packed, (cnt1, dsp1), MPI.FLOAT])
        for i in range(p):
            r1[:, cd[i] : cd[i] + cc[i]] = packed[dsp1[i] : dsp1[i] + cnt1[i]].reshape(cc[i], rows1).T

    col = MPI.FLOAT.Create_vector(rows1, 1, cols1).Create_resized(0, 4).Commit()
    mine = MPI.FLOAT.Create_vector(rows1, 1, max(cc[rank], 1)).Create_resized(0, 4).Commit()

    def raw_datatype() -> None:
        world.Allgatherv([a1, cc[rank], mine], [r1, (list(cc), list(cd)), col])

    out["allgather axis 1"] = {
        "raw": raw_packed,
        "raw-dt": raw_datatype,
        "checked": lambda: comm.allgather(blk1, axis=1),
        "unchecked": lambda: fast.allgather(blk1, axis=1, counts=list(cc)),
        "out": lambda: fast.allgather(blk1, axis=1, counts=list(cc), out=o1),
    }

    # alltoall: (rows, cols) split along rows -> split along columns; result ~ n/p per rank
    side = max(int(np.sqrt(n * p)), p)
    sc, _ = counts_displs(side, p)
    blk = torch.ones(sc[rank], side)
    src = blk.numpy()
    send = np.empty(src.size, np.float32)
    res = np.empty((side, sc[rank]), np.float32)
    o2 = torch.empty(side, sc[rank])
    scount = [sc[rank] * c for c in sc]
    rcount = [r * sc[rank] for r in sc]
    sdsp = list(np.cumsum([0, *scount[:-1]]))
    rdsp = list(np.cumsum([0, *rcount[:-1]]))
    cstarts = list(np.cumsum([0, *sc[:-1]]))

    def raw_alltoall() -> None:
        # pack column blocks (one copy); the pieces received are row blocks of the result
        for j in range(p):
            send[sdsp[j] : sdsp[j] + scount[j]] = src[:, cstarts[j] : cstarts[j] + sc[j]].ravel()
        world.Alltoallv([send, (scount, sdsp), MPI.FLOAT], [res, (rcount, rdsp), MPI.FLOAT])

    out["alltoall"] = {
        "raw": raw_alltoall,
        "checked": lambda: comm.alltoall(blk, split_axis=1, concat_axis=0),
        "unchecked": lambda: fast.alltoall(blk, split_axis=1, concat_axis=0, concat_counts=list(sc)),
        "out": lambda: fast.alltoall(blk, split_axis=1, concat_axis=0, concat_counts=list(sc), out=o2),
    }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1KB,64KB,1MB,16MB,256MB")
    ap.add_argument("--json", default="bench/results/comm.json")
    ap.add_argument("--md", default="bench/results/comm_table.md")
    args = ap.parse_args()
    torch.set_num_threads(1)
    world = MPI.COMM_WORLD
    p, rank = world.Get_size(), world.Get_rank()
    rows = []
    for text in args.sizes.split(","):
        size = parse_size(text)
        for op, variants in cases(size, p, rank, world).items():
            times = {name: timeit(world, fn) for name, fn in variants.items()}
            raw = times["raw"]
            row = {"op": op, "bytes": size, **{f"t_{k}_us": v * 1e6 for k, v in times.items()}}
            for k, v in times.items():
                row[f"gbps_{k}"] = size / v / 1e9
            row["checked_pct"] = 100 * raw / times["checked"]
            row["unchecked_pct"] = 100 * raw / times["unchecked"]
            row["out_pct"] = 100 * raw / times["out"]
            row["added_us_checked"] = (times["checked"] - raw) * 1e6
            row["added_us_unchecked"] = (times["unchecked"] - raw) * 1e6
            rows.append(row)
            if rank == 0:
                print(
                    f"{op:17s} {text:>6s} raw {raw * 1e6:10.1f} us  heat {row['checked_pct']:5.0f}% / "
                    f"unchecked {row['unchecked_pct']:5.0f}% / out= {row['out_pct']:5.0f}%",
                    flush=True,
                )
    if rank != 0:
        return
    meta = {
        "ranks": p,
        "torch": torch.__version__,
        "mpi4py": __import__("mpi4py").__version__,
        "mpi": MPI.Get_library_version().splitlines()[0].strip(),
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores",
        "definition": "bytes = float32 result bytes per rank (allreduce: the message); "
        "throughput = bytes / time",
    }
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))
    lines = [
        f"{p} ranks, {meta['mpi']}, torch {meta['torch']}, mpi4py {meta['mpi4py']}, {meta['machine']}.",
        "",
        "| op | size | raw mpi4py | heat checked | heat unchecked | checked / raw | unchecked / raw "
        "| unchecked, out= / raw | added latency checked / unchecked |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        human = next(
            (f"{r['bytes'] / m:g} {u}" for u, m in reversed(UNITS.items()) if r["bytes"] >= m),
            f"{r['bytes']} B",
        )
        extra = f" (derived types: {r['gbps_raw-dt']:.2f} GB/s)" if "gbps_raw-dt" in r else ""
        lines.append(
            f"| {r['op']} | {human} | {r['gbps_raw']:.2f} GB/s{extra} | {r['gbps_checked']:.2f} GB/s | "
            f"{r['gbps_unchecked']:.2f} GB/s | {r['checked_pct']:.0f} % | {r['unchecked_pct']:.0f} % | "
            f"{r['out_pct']:.0f} % | "
            f"{r['added_us_checked']:.1f} / {r['added_us_unchecked']:.1f} µs |"
        )
    Path(args.md).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
