"""Bad input raises the same clear exception on every rank; the communicator stays usable."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import torch

from heat.comm import CollectiveError, Communicator


def raises_everywhere(comm: Communicator, exc: type[Exception], match: str, fn: Callable[[], Any]) -> None:
    """``fn`` raises ``exc`` on every rank with the same message; then the comm still works."""
    with pytest.raises(exc, match=match) as info:
        fn()
    messages = comm.allgather_object(str(info.value))
    assert len(set(messages)) == 1, messages
    assert comm.allreduce(torch.ones(1)).item() == comm.size  # no desynchronisation


@pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental")
def test_unsupported_dtype(comm: Communicator) -> None:
    t = torch.zeros(2, dtype=torch.complex32)
    raises_everywhere(comm, TypeError, "complex32 cannot be communicated", lambda: comm.allreduce(t))
    raises_everywhere(comm, TypeError, "complex32 cannot be communicated", lambda: comm.allgather(t))


def test_unknown_op(comm: Communicator) -> None:
    raises_everywhere(
        comm, ValueError, "unknown operation 'avg'", lambda: comm.allreduce(torch.ones(1), "avg")
    )


def test_root_out_of_range(comm: Communicator) -> None:
    bad = comm.size
    raises_everywhere(
        comm, ValueError, f"root {bad} is out of range", lambda: comm.reduce(torch.ones(1), root=bad)
    )
    raises_everywhere(
        comm, ValueError, f"root {bad} is out of range", lambda: comm.bcast(torch.ones(1), root=bad)
    )
    raises_everywhere(
        comm, ValueError, "root -1 is out of range", lambda: comm.gather(torch.ones(1), root=-1)
    )


def test_axis_out_of_range(comm: Communicator) -> None:
    t = torch.ones(2, 3)
    raises_everywhere(comm, ValueError, "axis 2 is out of range for a 2-d", lambda: comm.allgather(t, axis=2))
    raises_everywhere(comm, ValueError, "out of range for a 0-d", lambda: comm.allgather(torch.tensor(1.0)))
    raises_everywhere(
        comm,
        ValueError,
        "split_axis -3 is out of range",
        lambda: comm.alltoall(t, split_axis=-3, concat_axis=0),
    )


def test_bad_counts(comm: Communicator) -> None:
    raises_everywhere(
        comm,
        ValueError,
        "counts",
        lambda: comm.scatter(torch.ones(4) if comm.rank == 0 else None, counts=[5] * comm.size),
    )
    raises_everywhere(
        comm, ValueError, "send_counts", lambda: comm.alltoallv(torch.ones(2), [1] * (comm.size + 1))
    )


# --- inconsistent calls across ranks: only a checked communicator can see them -----------------
pytestmark_multi = pytest.mark.mpi(min_size=2)


@pytestmark_multi
def test_mismatched_shapes(checked: Communicator) -> None:
    t = torch.ones(3 if checked.rank == 0 else 4)
    raises_everywhere(checked, ValueError, "same shape", lambda: checked.allreduce(t))
    raises_everywhere(checked, ValueError, "same shape", lambda: checked.scan(t))
    u = torch.ones(2, 3 if checked.rank == 0 else 4)
    raises_everywhere(checked, ValueError, "same shape except along axis 0", lambda: checked.allgather(u))
    raises_everywhere(
        checked, ValueError, "same shape except along axis 0", lambda: checked.alltoall(u, 1, 0)
    )


@pytestmark_multi
def test_mismatched_dtypes(checked: Communicator) -> None:
    t = torch.ones(3, dtype=torch.float32 if checked.rank == 0 else torch.float64)
    raises_everywhere(checked, TypeError, "same dtype", lambda: checked.allreduce(t))
    raises_everywhere(checked, TypeError, "same dtype", lambda: checked.allgather(t))


@pytestmark_multi
def test_mismatched_arguments(checked: Communicator) -> None:
    r = checked.rank
    raises_everywhere(checked, ValueError, "same root", lambda: checked.reduce(torch.ones(1), root=min(r, 1)))
    raises_everywhere(
        checked, ValueError, "same op", lambda: checked.allreduce(torch.ones(1), "max" if r else "min")
    )
    raises_everywhere(
        checked, ValueError, "same axis", lambda: checked.allgather(torch.ones(2, 2), axis=min(r, 1))
    )


@pytestmark_multi
@pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental")
def test_one_rank_passes_garbage(checked: Communicator) -> None:
    bad: Any = [1.0] if checked.rank == 1 else torch.ones(1)
    raises_everywhere(
        checked, TypeError, r"expected a torch.Tensor, got list \[rank 1\]", lambda: checked.allreduce(bad)
    )
    odd = torch.zeros(1, dtype=torch.complex32) if checked.rank == 1 else torch.ones(1)
    raises_everywhere(checked, TypeError, "complex32", lambda: checked.allgather(odd))


@pytestmark_multi
def test_bcast_buffer_mismatch(checked: Communicator) -> None:
    buf = torch.ones(3) if checked.rank == 0 else torch.ones(2)
    raises_everywhere(checked, ValueError, "root's shape and dtype", lambda: checked.bcast(buf))


# --- the agreement helpers ------------------------------------------------------------------------
def test_agree_passes_when_nobody_failed(comm: Communicator) -> None:
    comm.agree(None)
    with comm.collective_errors():
        pass


def test_agree_raises_the_lowest_failing_rank_everywhere(comm: Communicator) -> None:
    culprit = comm.size - 1
    err = KeyError("missing column 'x'") if comm.rank == culprit else None
    raises_everywhere(comm, KeyError, f"missing column 'x'.*rank {culprit}", lambda: comm.agree(err))


class _Custom(Exception):
    pass


def test_collective_errors_context(comm: Communicator) -> None:
    def body() -> None:
        with comm.collective_errors():
            if comm.rank == 0:
                raise _Custom("disk full")

    raises_everywhere(comm, CollectiveError, "_Custom: disk full", body)

    def body2() -> None:
        with comm.collective_errors():
            raise IndexError(f"index {comm.rank + 10} out of bounds")

    more = f" \\(and {comm.size - 1} more rank\\(s\\)\\)" if comm.size > 1 else ""
    raises_everywhere(comm, IndexError, rf"index 10 out of bounds \[rank 0{more}\]", body2)
