"""The host-staging path that GPU tensors take without GPU-aware MPI, exercised on CPU.

With ``FORCE_STAGING`` every tensor is copied to a separate host buffer before MPI sees it and
results are copied back into the caller's tensors, exactly as for a CUDA tensor.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from comm_helpers import make

from heat.comm import Communicator, buffers


def test_staged_collectives(comm: Communicator, staged: None) -> None:
    assert buffers.needs_staging(torch.zeros(1))
    t = make((3, 2), torch.float32, seed=comm.rank)
    want = np.sum([make((3, 2), torch.float32, seed=r).numpy() for r in range(comm.size)], axis=0)
    np.testing.assert_array_equal(comm.allreduce(t).numpy(), want)
    assert comm.allreduce(t, out=t) is t  # in place through a staging buffer
    np.testing.assert_array_equal(t.numpy(), want)
    buf = torch.arange(4.0) if comm.rank == 0 else torch.zeros(4)
    assert comm.bcast(buf) is buf and buf.tolist() == [0.0, 1.0, 2.0, 3.0]
    g = comm.allgather(torch.full((1, 2), float(comm.rank)))
    assert g[:, 0].tolist() == [float(r) for r in range(comm.size)]
    req = comm.ibcast(buf := (torch.ones(2) if comm.rank == 0 else torch.zeros(2)))
    assert req.wait() is buf and buf.tolist() == [1.0, 1.0]


def test_staged_point_to_point(comm: Communicator, staged: None) -> None:
    right, left = (comm.rank + 1) % comm.size, (comm.rank - 1) % comm.size
    out = torch.empty(3)
    assert comm.sendrecv(torch.full((3,), float(comm.rank)), right, out, source=left) is out
    assert out.tolist() == [float(left)] * 3
    dst = torch.empty(2)
    reqs = [comm.isend(torch.full((2,), 7.0), right), comm.irecv(dst, left)]
    assert reqs[1].wait() is dst
    reqs[0].wait()
    assert dst.tolist() == [7.0, 7.0]


def test_gpu_aware_detection_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    buffers.gpu_aware.cache_clear()
    try:
        monkeypatch.setenv("HEAT_GPU_AWARE_MPI", "1")
        assert buffers.gpu_aware()
        buffers.gpu_aware.cache_clear()
        monkeypatch.setenv("HEAT_GPU_AWARE_MPI", "0")
        assert not buffers.gpu_aware()
        buffers.gpu_aware.cache_clear()
        monkeypatch.delenv("HEAT_GPU_AWARE_MPI")
        monkeypatch.setenv("MPICH_GPU_SUPPORT_ENABLED", "1")
        assert buffers.gpu_aware()
    finally:
        buffers.gpu_aware.cache_clear()


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_tensors_round_trip(comm: Communicator) -> None:
    dev = torch.device("cuda", comm.rank % torch.cuda.device_count())
    t = torch.full((4,), float(comm.rank + 1), device=dev)
    got = comm.allreduce(t)
    assert got.device == dev
    assert got.cpu().tolist() == [comm.size * (comm.size + 1) / 2] * 4
    g = comm.allgather(t[:1])
    assert g.device == dev and g.cpu().tolist() == [float(r + 1) for r in range(comm.size)]
