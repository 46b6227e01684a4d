"""Communicator basics: lazy MPI start, split, dup, unchecked views, defaults, large counts."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
import torch

import heat.comm
from heat.comm import Communicator, get_comm, use_comm


@pytest.mark.single_process
def test_import_does_not_start_mpi() -> None:
    code = (
        "import sys, heat.comm\n"
        "assert 'mpi4py.MPI' not in sys.modules, 'import heat.comm started MPI'\n"
        "assert heat.comm.counts_displs(5, 2) == ((3, 2), (0, 3))\n"
        "print(heat.comm.WORLD.size)\n"
    )
    # a fresh process outside the mpiexec job: drop the launcher's variables
    launcher = ("PMI", "PMIX", "HYDRA", "MPI_", "MPICH", "OMPI", "I_MPI")
    env = {k: v for k, v in os.environ.items() if not k.startswith(launcher)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "1"


def test_world_properties(comm: Communicator) -> None:
    from mpi4py import MPI

    assert comm.rank == MPI.COMM_WORLD.Get_rank() and comm.size == MPI.COMM_WORLD.Get_size()
    assert get_comm() == heat.comm.WORLD
    assert heat.comm.SELF.size == 1
    assert comm.unchecked.unchecked is comm.unchecked and not comm.unchecked.checked
    assert comm.counts_displs(7) == heat.comm.counts_displs(7, comm.size)
    assert repr(comm).startswith("Communicator(rank=")
    assert comm.is_distributed() == (comm.size > 1)
    comm.barrier()


def test_split_and_dup(comm: Communicator) -> None:
    halves = comm.split(comm.rank % 2)
    assert halves.size == len(range(comm.rank % 2, comm.size, 2))
    total = halves.allreduce(torch.tensor([comm.rank]))
    assert total.item() == sum(range(comm.rank % 2, comm.size, 2))
    d = comm.dup()
    assert d.size == comm.size and d.allreduce(torch.ones(1)).item() == comm.size
    none = comm.split(None if comm.rank == 0 else 1)
    assert (none is None) == (comm.rank == 0)
    for c in (halves, d, none):
        if c is not None:
            c.free()


def test_use_comm_sets_the_default(comm: Communicator) -> None:
    mine = comm.split(comm.rank)
    use_comm(mine)
    try:
        assert get_comm() is mine and get_comm().size == 1
    finally:
        use_comm(None)
        mine.free()
    assert get_comm() == heat.comm.WORLD
    with pytest.raises(TypeError, match="use_comm"):
        use_comm("world")  # type: ignore[arg-type]


def test_chunked_path_for_libraries_without_large_counts(comm: Communicator) -> None:
    """MPI-3 libraries cap a count at 2**31-1: big messages go in pieces; force tiny pieces."""
    small = Communicator(comm.handle, checked=comm.checked)
    small._max_count = 4
    t = torch.arange(11, dtype=torch.int64) * (comm.rank + 1)
    assert small.allreduce(t).tolist() == (torch.arange(11) * sum(range(1, comm.size + 1))).tolist()
    buf = torch.arange(9.0) if comm.rank == 0 else torch.zeros(9)
    assert small.bcast(buf).tolist() == list(map(float, range(9)))
    right, left = (comm.rank + 1) % comm.size, (comm.rank - 1) % comm.size
    got = small.sendrecv(torch.full((10,), comm.rank), right, torch.empty(10, dtype=torch.int64), source=left)
    assert got.tolist() == [left] * 10
    with pytest.raises(OverflowError, match="count limit"):
        small.allgather(torch.ones(5))


def test_more_than_2_31_elements(checked: Communicator) -> None:
    """A message of 2**31 + 3 int8 elements (2 GiB) through allreduce and bcast."""
    comm = checked
    n = 2**31 + 3
    t = torch.ones(n, dtype=torch.int8)
    got = comm.allreduce(t, out=t)
    assert got[0].item() == comm.size and got[-1].item() == comm.size
    assert int(torch.count_nonzero(got != comm.size)) == 0
    if comm.rank == 0:
        t[-1] = 7
    comm.bcast(t, root=0)
    assert t[-1].item() == 7
    del t, got
    np.testing.assert_equal(comm.allreduce(torch.ones(1)).item(), comm.size)
