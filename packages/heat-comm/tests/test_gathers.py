"""allgather / gather / scatter along every axis with uneven and empty blocks, vs NumPy."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from comm_helpers import ALL_DTYPES, as_numpy, make

from heat.comm import Communicator, partition


def global_and_block(
    comm: Communicator, shape: tuple[int, ...], axis: int, dtype: torch.dtype
) -> tuple[torch.Tensor, torch.Tensor]:
    full = make(shape, dtype, seed=7)
    sl = [slice(None)] * len(shape)
    sl[axis] = partition.local_slice(shape[axis], comm.size, comm.rank)
    return full, full[tuple(sl)]


def lengths(comm: Communicator) -> list[int]:
    """Along-axis lengths: uneven (2p+1), fewer rows than ranks (p-1, some empty), zero."""
    return [2 * comm.size + 1, max(comm.size - 1, 0), 0, 1]


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
def test_allgather_every_axis(comm: Communicator, axis: int) -> None:
    for n in lengths(comm):
        shape = [3, 4, 2]
        shape[axis] = n
        full, block = global_and_block(comm, tuple(shape), axis, torch.float64)
        got = comm.allgather(block, axis=axis)
        assert got.is_contiguous()
        np.testing.assert_array_equal(got.numpy(), full.numpy())
        counts = list(partition.counts(n, comm.size))
        np.testing.assert_array_equal(comm.allgather(block, axis=axis, counts=counts).numpy(), full.numpy())


@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=str)
def test_allgather_every_dtype(comm: Communicator, dtype: torch.dtype) -> None:
    full, block = global_and_block(comm, (2 * comm.size + 1, 3), 1 if dtype.is_complex else 0, dtype)
    got = comm.allgather(block, axis=1 if dtype.is_complex else 0)
    assert got.dtype == dtype
    np.testing.assert_array_equal(as_numpy(got), as_numpy(full))


def test_allgather_non_contiguous_block(comm: Communicator) -> None:
    base = make((5, 2 * comm.size + 1), torch.int32, seed=comm.rank)
    got = comm.allgather(base.t(), axis=0)  # non-contiguous input
    want = np.concatenate(
        [make((5, 2 * comm.size + 1), torch.int32, seed=r).t().numpy() for r in range(comm.size)]
    )
    np.testing.assert_array_equal(got.numpy(), want)


def test_allgather_one_d_and_rank_dependent_sizes(comm: Communicator) -> None:
    block = torch.arange(comm.rank, dtype=torch.int64)  # rank 0 contributes nothing
    got = comm.allgather(block)
    np.testing.assert_array_equal(got.numpy(), np.concatenate([np.arange(r) for r in range(comm.size)]))


@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize("root", [0, -1])
def test_gather_to_root(comm: Communicator, axis: int, root: int) -> None:
    root %= comm.size
    shape = [2 * comm.size + 1, 3]
    shape[axis], shape[1 - axis] = shape[1 - axis], shape[axis]
    full, block = global_and_block(comm, tuple(shape), axis, torch.complex64)
    got = comm.gather(block, axis=axis, root=root)
    if comm.rank == root:
        assert got is not None
        np.testing.assert_array_equal(got.numpy(), full.numpy())
    else:
        assert got is None


@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("root", [0, -1])
def test_scatter_balanced_and_custom(comm: Communicator, axis: int, root: int) -> None:
    root %= comm.size
    for n in lengths(comm):
        shape = [3, 2, 4]
        shape[axis] = n
        full, block = global_and_block(comm, tuple(shape), axis, torch.bfloat16)
        got = comm.scatter(full if comm.rank == root else None, axis=axis, root=root)
        assert got.dtype == torch.bfloat16 and got.shape == block.shape
        np.testing.assert_array_equal(as_numpy(got), as_numpy(block))
    # custom counts: everything to the last rank
    counts = [0] * (comm.size - 1) + [5]
    data = torch.arange(10).reshape(5, 2)
    got = comm.scatter(data if comm.rank == root else None, root=root, counts=counts)
    assert got.shape == ((5, 2) if comm.rank == comm.size - 1 else (0, 2))


def test_scatter_zero_d_root_tensor_is_an_error(comm: Communicator) -> None:
    with pytest.raises(ValueError, match="0-d"):
        comm.scatter(torch.tensor(3.0) if comm.rank == 0 else None)


def test_object_variants(comm: Communicator) -> None:
    assert comm.allgather_object({"r": comm.rank}) == [{"r": r} for r in range(comm.size)]
    g = comm.gather_object(comm.rank * 2, root=0)
    assert g == ([2 * r for r in range(comm.size)] if comm.rank == 0 else None)
    s = comm.scatter_object([f"to {r}" for r in range(comm.size)] if comm.rank == 0 else None)
    assert s == f"to {comm.rank}"
    assert comm.bcast_object({"a": 1} if comm.rank == 0 else None) == {"a": 1}
    assert comm.alltoall_object([(comm.rank, j) for j in range(comm.size)]) == [
        (i, comm.rank) for i in range(comm.size)
    ]


@pytest.mark.parametrize("axis", [0, 1, 2])
def test_gathers_write_into_out(comm: Communicator, axis: int) -> None:
    shape = [comm.size + 2, 3, 2]
    shape[axis] = 2 * comm.size + 1
    full, block = global_and_block(comm, tuple(shape), axis, torch.float64)
    out = torch.empty(full.shape, dtype=torch.float64)
    got = comm.allgather(block, axis=axis, out=out)
    assert got is out
    np.testing.assert_array_equal(out.numpy(), full.numpy())
    out2 = torch.zeros(full.shape, dtype=torch.float64)
    got2 = comm.gather(block, axis=axis, root=0, out=out2)
    if comm.rank == 0:
        assert got2 is out2
        np.testing.assert_array_equal(out2.numpy(), full.numpy())
    with pytest.raises(ValueError, match="out has shape"):
        comm.allgather(block, axis=axis, out=torch.empty(1, dtype=torch.float64))
