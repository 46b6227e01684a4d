"""bcast, ibcast and point-to-point calls."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from comm_helpers import ALL_DTYPES, as_numpy, make

from heat.comm import Communicator, Request


@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=str)
@pytest.mark.parametrize("shape", [(), (0,), (3, 4)])
def test_bcast_into_buffer(comm: Communicator, dtype: torch.dtype, shape: tuple[int, ...]) -> None:
    root = comm.size - 1
    want = make(shape, dtype, seed=1)
    buf = want.clone() if comm.rank == root else torch.zeros(shape, dtype=dtype)
    got = comm.bcast(buf, root=root)
    assert got is buf
    np.testing.assert_array_equal(as_numpy(got), as_numpy(want))


def test_bcast_allocates_from_root_metadata(checked: Communicator) -> None:
    want = make((2, 5), torch.complex128, seed=2)
    got = checked.bcast(want if checked.rank == 0 else None)
    assert got.dtype == torch.complex128
    np.testing.assert_array_equal(got.numpy(), want.numpy())


def test_bcast_non_contiguous_buffer(comm: Communicator) -> None:
    want = make((4, 3), torch.float32, seed=4)
    buf = want.t().contiguous().t() if comm.rank == 0 else torch.zeros(3, 4).t()
    got = comm.bcast(buf, root=0)
    assert got is buf
    np.testing.assert_array_equal(got.numpy(), want.numpy())


def test_ibcast(comm: Communicator) -> None:
    want = make((6,), torch.int16, seed=6)
    buf = want.clone() if comm.rank == 0 else torch.zeros(6, dtype=torch.int16)
    req = comm.ibcast(buf, root=0)
    assert isinstance(req, Request)
    got = req.wait()
    assert got is buf
    np.testing.assert_array_equal(buf.numpy(), want.numpy())


@pytest.mark.parametrize("dtype", [torch.float64, torch.bfloat16, torch.bool, torch.uint64], ids=str)
def test_ring_sendrecv(comm: Communicator, dtype: torch.dtype) -> None:
    right, left = (comm.rank + 1) % comm.size, (comm.rank - 1) % comm.size
    mine = make((3, 2), dtype, seed=comm.rank)
    got = comm.sendrecv(mine, right, torch.empty((3, 2), dtype=dtype), source=left)
    np.testing.assert_array_equal(as_numpy(got), as_numpy(make((3, 2), dtype, seed=left)))


def test_isend_irecv_halo_exchange(comm: Communicator) -> None:
    """Each rank owns 4 rows of a 1-d field and fetches one halo cell from each neighbour."""
    field = torch.arange(4 * comm.size, dtype=torch.float64)
    mine = field[4 * comm.rank : 4 * comm.rank + 4]
    reqs = []
    lo, hi = torch.full((1,), -1.0, dtype=torch.float64), torch.full((1,), -1.0, dtype=torch.float64)
    if comm.rank > 0:
        reqs += [comm.isend(mine[:1], comm.rank - 1, tag=1), comm.irecv(lo, comm.rank - 1, tag=2)]
    if comm.rank < comm.size - 1:
        reqs += [comm.isend(mine[-1:], comm.rank + 1, tag=2), comm.irecv(hi, comm.rank + 1, tag=1)]
    Request.waitall(reqs)
    if comm.rank > 0:
        assert lo.item() == field[4 * comm.rank - 1].item()
    if comm.rank < comm.size - 1:
        assert hi.item() == field[4 * comm.rank + 4].item()


@pytest.mark.mpi(min_size=2)
def test_blocking_send_recv_and_objects(comm: Communicator) -> None:
    if comm.rank == 0:
        comm.send(torch.arange(5, dtype=torch.int32), dest=1, tag=3)
        comm.send_object({"meta": (5,)}, dest=1)
    elif comm.rank == 1:
        buf = torch.zeros(5, dtype=torch.int32).reshape(5, 1)[:, 0]
        got = comm.recv(buf, source=0, tag=3)
        assert got is buf and buf.tolist() == list(range(5))
        assert comm.recv_object(source=0) == {"meta": (5,)}


@pytest.mark.mpi(min_size=2)
def test_recv_size_mismatch_is_an_error(comm: Communicator) -> None:
    if comm.rank == 0:
        comm.send(torch.arange(3.0), dest=1)
    elif comm.rank == 1:
        with pytest.raises(ValueError, match="received 3 elements"):
            comm.recv(torch.empty(4), source=0)


def test_p2p_bad_peer_is_an_error(comm: Communicator) -> None:
    with pytest.raises(ValueError, match=f"dest {comm.size} is out of range"):
        comm.send(torch.zeros(1), dest=comm.size)
    with pytest.raises(ValueError, match="source -5 is out of range"):
        comm.irecv(torch.zeros(1), source=-5)
    with pytest.raises(TypeError, match=r"expected a torch\.Tensor"):
        comm.isend([1, 2], dest=0)  # type: ignore[arg-type]
