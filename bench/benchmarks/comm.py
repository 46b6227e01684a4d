"""asv suite ``comm``: heat.comm against raw mpi4py on the same buffers.

Under plain asv this runs on one process (``COMM_WORLD`` of size 1), which measures the
per-call overhead of the Python layer; the multi-process throughput table comes from
``bench/comm_throughput.py`` under mpiexec (``track_allreduce_1mb_ratio`` runs it).
"""

from __future__ import annotations

import numpy as np
import torch
from mpi4py import MPI

from heat.comm import get_comm

from ._mpirun import run_script

SIZES = [2**10, 2**20, 16 * 2**20]


class Allreduce:
    params = (["raw", "checked", "unchecked"], SIZES)
    param_names = ("impl", "bytes")

    def setup(self, impl: str, nbytes: int) -> None:
        torch.set_num_threads(1)
        self.t = torch.ones(nbytes // 4)
        self.a, self.b = self.t.numpy(), np.empty(nbytes // 4, np.float32)
        comm = get_comm()
        self.call = {
            "raw": lambda: MPI.COMM_WORLD.Allreduce(self.a, self.b),
            "checked": lambda: comm.allreduce(self.t),
            "unchecked": lambda: comm.unchecked.allreduce(self.t),
        }[impl]

    def time_allreduce(self, impl: str, nbytes: int) -> None:
        self.call()


class Allgather:
    params = (["raw", "checked", "unchecked"], [0, 1], SIZES)
    param_names = ("impl", "axis", "bytes")

    def setup(self, impl: str, axis: int, nbytes: int) -> None:
        torch.set_num_threads(1)
        n = nbytes // 4
        shape = (n // 64, 64) if axis == 0 else (64, n // 64)
        self.t = torch.ones(shape)
        a = np.ascontiguousarray(self.t.numpy() if axis == 0 else self.t.numpy().T)
        b = np.empty_like(a)
        comm = get_comm()
        self.call = {
            "raw": lambda: MPI.COMM_WORLD.Allgather(a, b),
            "checked": lambda: comm.allgather(self.t, axis=axis),
            "unchecked": lambda: comm.unchecked.allgather(self.t, axis=axis, counts=[shape[axis]]),
        }[impl]

    def time_allgather(self, impl: str, axis: int, nbytes: int) -> None:
        self.call()


class Alltoall:
    params = (["checked", "unchecked"], SIZES)
    param_names = ("impl", "bytes")

    def setup(self, impl: str, nbytes: int) -> None:
        side = int((nbytes // 4) ** 0.5)
        self.t = torch.ones(side, side)
        comm = get_comm() if impl == "checked" else get_comm().unchecked
        self.call = lambda: comm.alltoall(self.t, split_axis=1, concat_axis=0, concat_counts=[side])

    def time_alltoall(self, impl: str, nbytes: int) -> None:
        self.call()


def track_allreduce_1mb_ratio() -> float:
    """heat.comm (checked) allreduce throughput as % of raw mpi4py at 1 MB, 2 processes."""
    rows = run_script("comm_throughput.py", "--sizes", "1MB")["rows"]
    return float(next(r["checked_pct"] for r in rows if r["op"] == "allreduce"))


track_allreduce_1mb_ratio.unit = "%"  # type: ignore[attr-defined]
