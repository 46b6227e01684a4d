"""alltoall (resplit kernel) and alltoallv (rebalancing) against NumPy slicing."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from comm_helpers import ALL_DTYPES, as_numpy, make

from heat.comm import Communicator, get_comm, partition


def block(full: torch.Tensor, axis: int, comm: Communicator) -> torch.Tensor:
    sl = [slice(None)] * full.dim()
    sl[axis] = partition.local_slice(full.shape[axis], comm.size, comm.rank)
    return full[tuple(sl)]


@pytest.mark.parametrize("ndim", [2, 3])
def test_alltoall_moves_the_split_between_any_two_axes(comm: Communicator, ndim: int) -> None:
    for n in (2 * comm.size + 1, max(comm.size - 1, 0), 0):
        shape = (n, comm.size + 2, 3)[:ndim]
        shape = tuple(reversed(shape)) if n == 0 else shape
        full = make(shape, torch.float32, seed=3)
        for src in range(ndim):
            for dst in range(ndim):
                if src == dst:
                    continue
                got = comm.alltoall(block(full, src, comm), split_axis=dst, concat_axis=src)
                assert got.is_contiguous()
                np.testing.assert_array_equal(got.numpy(), block(full, dst, comm).numpy())


@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=str)
def test_alltoall_every_dtype(comm: Communicator, dtype: torch.dtype) -> None:
    full = make((2 * comm.size + 1, comm.size + 1), dtype, seed=11)
    got = comm.alltoall(block(full, 0, comm), split_axis=1, concat_axis=0)
    assert got.dtype == dtype
    np.testing.assert_array_equal(as_numpy(got), as_numpy(block(full, 1, comm)))


def test_alltoall_explicit_counts(comm: Communicator) -> None:
    full = make((4, 2 * comm.size), torch.int64, seed=5)
    rows = list(partition.counts(4, comm.size))
    cols = [2] * comm.size
    mine = block(full, 0, comm)
    got = comm.alltoall(mine, split_axis=1, concat_axis=0, split_counts=cols, concat_counts=rows)
    np.testing.assert_array_equal(got.numpy(), full[:, 2 * comm.rank : 2 * comm.rank + 2].numpy())


def test_alltoallv_rebalances_keeping_global_order(comm: Communicator) -> None:
    # unbalanced: rank r holds r + 1 rows of a (sum, 3) array; target: balanced
    sizes = [r + 1 for r in range(comm.size)]
    total = sum(sizes)
    full = make((total, 3), torch.float64, seed=9)
    start = sum(sizes[: comm.rank])
    mine = full[start : start + sizes[comm.rank]]
    target = partition.counts(total, comm.size)
    tstarts = partition.displs(target)
    send = []
    for j in range(comm.size):
        lo = max(start, tstarts[j])
        hi = min(start + sizes[comm.rank], tstarts[j] + target[j])
        send.append(max(hi - lo, 0))
    got = comm.alltoallv(mine, send, axis=0)
    np.testing.assert_array_equal(got.numpy(), block(full, 0, comm).numpy())
    # along axis 1 as well
    got_t = comm.alltoallv(mine.t(), send, axis=1)
    np.testing.assert_array_equal(got_t.numpy(), block(full, 0, comm).t().numpy())
    # receive counts known from the plan: on the unchecked view only the data moves
    recv = []
    for j in range(comm.size):
        sj = sum(sizes[:j])
        lo, hi = max(sj, tstarts[comm.rank]), min(sj + sizes[j], tstarts[comm.rank] + target[comm.rank])
        recv.append(max(hi - lo, 0))
    fast = comm.unchecked
    calls: list[str] = []
    original = fast._handle

    class Watch:
        def __getattr__(self, name: str) -> object:
            calls.append(name)
            return getattr(original, name)

    fast._handle = Watch()
    try:
        got_fast = fast.alltoallv(mine, send, axis=0, recv_counts=recv)
    finally:
        fast._handle = original
    np.testing.assert_array_equal(got_fast.numpy(), block(full, 0, comm).numpy())
    assert calls.count("Alltoallv") == 1 and "Alltoall" not in calls and "Allgather" not in calls, calls
    # a checked communicator verifies recv_counts against what is actually sent
    checked = comm if comm.checked else get_comm()
    got_checked = checked.alltoallv(mine, send, recv_counts=recv)
    np.testing.assert_array_equal(got_checked.numpy(), block(full, 0, comm).numpy())
    with pytest.raises(ValueError, match="recv_counts"):
        checked.alltoallv(mine, send, recv_counts=[c + 1 for c in recv])


def test_alltoall_same_axis_is_an_error(comm: Communicator) -> None:
    with pytest.raises(ValueError, match="alltoallv"):
        comm.alltoall(torch.zeros(2, 2), split_axis=1, concat_axis=1)


@pytest.mark.parametrize(("src", "dst"), [(0, 1), (1, 0), (1, 2), (2, 0)])
def test_alltoall_and_alltoallv_write_into_out(comm: Communicator, src: int, dst: int) -> None:
    full = make((2 * comm.size + 1, comm.size + 2, 3), torch.int32, seed=21)
    want = block(full, dst, comm)
    out = torch.empty(want.shape, dtype=torch.int32)
    got = comm.alltoall(block(full, src, comm), split_axis=dst, concat_axis=src, out=out)
    assert got is out
    np.testing.assert_array_equal(out.numpy(), want.numpy())
    # alltoallv: everything to rank 0 keeps the global order along src
    mine = block(full, src, comm)
    send = [mine.shape[src] if r == 0 else 0 for r in range(comm.size)]
    expect = full if comm.rank == 0 else full.narrow(src, 0, 0)
    out_v = torch.empty(expect.shape, dtype=torch.int32)
    got_v = comm.alltoallv(mine, send, axis=src, out=out_v)
    assert got_v is out_v
    np.testing.assert_array_equal(out_v.numpy(), expect.numpy())


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16, torch.complex128, torch.bool], ids=str)
def test_alltoall_with_datatypes_for_large_blocks(
    comm: Communicator, dtype: torch.dtype, monkeypatch: pytest.MonkeyPatch
) -> None:
    from heat.comm import communicator

    monkeypatch.setattr(communicator, "_DATATYPE_BYTES", 0)  # every block counts as large
    for n in (2 * comm.size + 1, max(comm.size - 1, 0)):
        full = make((n, comm.size + 2, 3), dtype, seed=23)
        for src, dst in ((0, 1), (1, 0), (2, 1), (1, 2)):
            got = comm.alltoall(block(full, src, comm), split_axis=dst, concat_axis=src)
            np.testing.assert_array_equal(as_numpy(got), as_numpy(block(full, dst, comm)))
            out = torch.empty(block(full, dst, comm).shape, dtype=dtype)
            assert comm.alltoall(block(full, src, comm), split_axis=dst, concat_axis=src, out=out) is out
            np.testing.assert_array_equal(as_numpy(out), as_numpy(block(full, dst, comm)))


def test_alltoall_with_very_uneven_blocks_picks_one_strategy_everywhere(
    comm: Communicator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from heat.comm import communicator

    # rank 0 holds one row, the others many: a per-rank size rule would split the ranks
    # between two different MPI collectives and hang
    monkeypatch.setattr(communicator, "_DATATYPE_BYTES", 64)
    rows = [1] + [9] * (comm.size - 1)
    full = make((sum(rows), 6, 2), torch.float64, seed=31)
    start = sum(rows[: comm.rank])
    mine = full[start : start + rows[comm.rank]]
    got = comm.alltoall(mine, split_axis=1, concat_axis=0, concat_counts=rows)
    np.testing.assert_array_equal(got.numpy(), block(full, 1, comm).numpy())
