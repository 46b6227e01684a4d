"""allreduce / reduce / scan / exscan / iallreduce against NumPy, for every dtype and op."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from comm_helpers import ALL_DTYPES, as_numpy, make

from heat.comm import Communicator, ReduceOp, get_comm

SHAPES = [(), (0,), (5,), (2, 3, 4)]
UFUNC = {
    "sum": np.add,
    "prod": np.multiply,
    "min": np.minimum,
    "max": np.maximum,
    "band": np.bitwise_and,
    "bor": np.bitwise_or,
    "bxor": np.bitwise_xor,
    "land": np.logical_and,
    "lor": np.logical_or,
    "lxor": np.logical_xor,
}


def valid(dtype: torch.dtype, op: str) -> bool:
    if op in ("band", "bor", "bxor"):
        return not (dtype.is_floating_point or dtype.is_complex)
    if op in ("min", "max"):
        return not dtype.is_complex
    return True


def expected(stack: list[np.ndarray], op: str, dtype: np.dtype) -> np.ndarray:
    arr = np.stack(stack)
    if op.startswith("l"):
        return UFUNC[op].reduce(arr != 0, axis=0).astype(dtype)
    if op in ("min", "max"):
        return UFUNC[op].reduce(arr, axis=0)
    return UFUNC[op].reduce(arr, axis=0, dtype=arr.dtype)


def rank_data(shape: tuple[int, ...], dtype: torch.dtype, rank: int) -> torch.Tensor:
    return make(shape, dtype, seed=100 + rank)


def all_data(comm: Communicator, shape: tuple[int, ...], dtype: torch.dtype) -> list[np.ndarray]:
    return [as_numpy(rank_data(shape, dtype, r)) for r in range(comm.size)]


@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=str)
@pytest.mark.parametrize("op", list(UFUNC))
def test_allreduce_matches_numpy(comm: Communicator, dtype: torch.dtype, op: str) -> None:
    if not valid(dtype, op):
        with pytest.raises(TypeError, match=op):
            comm.allreduce(rank_data((3,), dtype, comm.rank), op)
        return
    for shape in SHAPES:
        t = rank_data(shape, dtype, comm.rank)
        before = t.clone()
        got = comm.allreduce(t, op)
        assert got.dtype == dtype and got.shape == t.shape
        want = expected(all_data(comm, shape, dtype), op, as_numpy(t).dtype)
        np.testing.assert_array_equal(as_numpy(got), want)
        assert torch.equal(t, before), "allreduce must not modify its input"


@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.bfloat16, torch.bool], ids=str)
def test_allreduce_in_place_and_out(comm: Communicator, dtype: torch.dtype) -> None:
    want = expected(all_data(comm, (4, 3), dtype), "sum", as_numpy(make((1,), dtype, 0)).dtype)
    t = rank_data((4, 3), dtype, comm.rank)
    assert comm.allreduce(t, "sum", out=t) is t
    np.testing.assert_array_equal(as_numpy(t), want)
    out = torch.empty((3, 4), dtype=dtype).t()  # non-contiguous destination
    assert comm.allreduce(rank_data((4, 3), dtype, comm.rank), ReduceOp.SUM, out=out) is out
    np.testing.assert_array_equal(as_numpy(out), want)


def test_allreduce_non_contiguous_input(comm: Communicator) -> None:
    base = rank_data((6, 4), torch.float64, comm.rank)
    got = comm.allreduce(base.t()[:, ::2], "max")
    want = np.max(np.stack([a.T[:, ::2] for a in all_data(comm, (6, 4), torch.float64)]), axis=0)
    np.testing.assert_array_equal(got.numpy(), want)


def test_mpi4py_op_objects_are_accepted(comm: Communicator) -> None:
    from mpi4py import MPI

    got = comm.allreduce(torch.tensor([comm.rank]), MPI.MAX)
    assert got.item() == comm.size - 1


@pytest.mark.parametrize("root", [0, -1])
@pytest.mark.parametrize("dtype", [torch.float16, torch.int32, torch.complex128], ids=str)
def test_reduce_to_root(comm: Communicator, root: int, dtype: torch.dtype) -> None:
    root = root % comm.size
    got = comm.reduce(rank_data((2, 5), dtype, comm.rank), "sum", root=root)
    if comm.rank != root:
        assert got is None
        return
    assert got is not None
    want = expected(all_data(comm, (2, 5), dtype), "sum", as_numpy(make((1,), dtype, 0)).dtype)
    np.testing.assert_array_equal(as_numpy(got), want)


@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=str)
@pytest.mark.parametrize("op", ["sum", "prod", "min", "max", "lor", "bxor"])
def test_scan_and_exscan(comm: Communicator, dtype: torch.dtype, op: str) -> None:
    if not valid(dtype, op):
        return
    t = rank_data((3, 2), dtype, comm.rank)
    data = all_data(comm, (3, 2), dtype)
    npdtype = as_numpy(t).dtype
    np.testing.assert_array_equal(as_numpy(comm.scan(t, op)), expected(data[: comm.rank + 1], op, npdtype))
    ex = comm.exscan(t, op)
    assert ex.dtype == dtype
    if comm.rank == 0:
        ident = np.full((3, 2), ReduceOp(op).identity(dtype)).astype(npdtype)
        np.testing.assert_array_equal(as_numpy(ex), ident)
        # the identity really is neutral: combining it with the data gives the data back
        if not op.startswith("l") or dtype == torch.bool:
            np.testing.assert_array_equal(expected([as_numpy(ex), as_numpy(t)], op, npdtype), as_numpy(t))
    else:
        np.testing.assert_array_equal(as_numpy(ex), expected(data[: comm.rank], op, npdtype))


def test_exscan_gives_offsets(comm: Communicator) -> None:
    sizes = torch.tensor([comm.rank + 2])
    off = comm.exscan(sizes)
    assert off.item() == sum(r + 2 for r in range(comm.rank))


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16, torch.uint8], ids=str)
def test_iallreduce(comm: Communicator, dtype: torch.dtype) -> None:
    t = rank_data((7,), dtype, comm.rank)
    req = comm.iallreduce(t, "max")
    got = req.wait()
    assert req.test() and req.done
    assert got is not None
    np.testing.assert_array_equal(
        as_numpy(got), expected(all_data(comm, (7,), dtype), "max", as_numpy(t).dtype)
    )


def test_allreduce_object() -> None:
    comm = get_comm()
    assert comm.allreduce_object(comm.rank + 1) == comm.size * (comm.size + 1) // 2
    assert comm.allreduce_object(comm.rank, "max") == comm.size - 1


def test_lazily_conjugated_tensors_travel_conjugated(comm: Communicator) -> None:
    base = torch.tensor([1 + 2j, -3 - 1j], dtype=torch.complex128)
    lazy = base.conj()  # torch only sets the conjugate bit
    assert lazy.is_conj()
    np.testing.assert_array_equal(comm.allreduce(lazy).numpy(), comm.size * np.conj(base.numpy()))
    negated = torch.tensor([1.0, -2.0])._neg_view()
    np.testing.assert_array_equal(comm.allreduce(negated).numpy(), comm.size * np.array([-1.0, 2.0]))
