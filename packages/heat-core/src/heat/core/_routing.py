"""Moving index requests and their values between ranks (the communication of indexing).

Three primitives, each a fixed sequence of collectives that every rank calls, whatever its
local data:

``move_ranges``
    every rank holds one contiguous range of positions along an axis and wants another; one
    all-to-all-v moves the overlaps (slices with a negative step, value blocks for setitem).
``request``
    request/response: each rank sends the indices it wants to their owners and gets the
    values back in its own order (two all-to-all-v; only the requested rows travel, the key is
    never gathered).
``deliver``
    the setitem direction: (index, value) pairs travel to the owners, which write them.

``agree_bounds`` turns a local out-of-bounds verdict into the same IndexError on every rank
with one all-reduce.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import torch

from heat.comm import Communicator

__all__ = ["agree_bounds", "deliver", "move_ranges", "owners_of", "request"]

Range = tuple[int, int]


def move_ranges(
    comm: Communicator, local: torch.Tensor, axis: int, have: Sequence[Range], want: Sequence[Range]
) -> torch.Tensor:
    """Rank r holds positions ``have[r]`` (start, stop) of an axis in ``local`` and gets
    positions ``want[r]``. ``have`` and ``want`` are global metadata (the same on every rank);
    when they agree nothing moves. Ranges of different ranks may come in any order.

    Examples
    --------
    >>> # two ranks holding [0, 3) and [3, 5) swap to [0, 2) and [2, 5)   # doctest: +SKIP
    >>> move_ranges(comm, block, 0, [(0, 3), (3, 5)], [(0, 2), (2, 5)])   # doctest: +SKIP
    """
    if list(have) == list(want) or comm.size == 1:
        return local
    h0, h1 = have[comm.rank]
    pieces, sends = [], []
    for w0, w1 in want:
        a, b = max(h0, w0), min(h1, w1)
        n = max(0, b - a)
        sends.append(n)
        if n:
            pieces.append(local.narrow(axis, a - h0, n))
    send = (
        torch.cat(pieces, dim=axis) if len(pieces) > 1 else pieces[0] if pieces else local.narrow(axis, 0, 0)
    )
    got = comm.unchecked.alltoallv(send.contiguous(), sends, axis=axis)
    w0, w1 = want[comm.rank]
    parts = [(max(s0, w0), max(0, min(s1, w1) - max(s0, w0))) for s0, s1 in have]
    arrived = [p for p in parts if p[1]]
    if all(a[0] <= b[0] for a, b in itertools.pairwise(arrived)):
        return got  # sources arrive in rank order, which is position order here
    cut = list(torch.split(got, [n for _, n in parts], dim=axis))
    order = sorted(range(len(parts)), key=lambda s: parts[s][0])
    return torch.cat([cut[s] for s in order if parts[s][1]], dim=axis)


def owners_of(index: torch.Tensor, offsets: Sequence[int]) -> torch.Tensor:
    """The rank owning each global ``index`` along a split axis whose blocks start at
    ``offsets`` (empty blocks own nothing)."""
    starts = torch.tensor(offsets[1:], dtype=torch.int64, device=index.device)
    return torch.searchsorted(starts, index.contiguous(), right=True)


def _route(
    comm: Communicator, owner: torch.Tensor, payload: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, list[int]]:
    """Send row i of ``payload`` to rank ``owner[i]``; return the permutation applied, the rows
    received (grouped by source rank) and how many came from each source."""
    order = torch.argsort(owner, stable=True)
    counts = torch.bincount(owner, minlength=comm.size).tolist()
    source = torch.full((payload.shape[0], 1), comm.rank, dtype=torch.int64, device=payload.device)
    tagged = torch.cat([payload[order], source], dim=1)
    got = comm.unchecked.alltoallv(tagged, counts, axis=0)
    came = torch.bincount(got[:, -1], minlength=comm.size).tolist()
    return order, got[:, :-1], came


def request(
    comm: Communicator,
    owner: torch.Tensor,
    payload: torch.Tensor,
    serve: Callable[[torch.Tensor], torch.Tensor],
) -> torch.Tensor:
    """Ask rank ``owner[i]`` for the row ``serve(payload[i])``; every rank answers the requests
    it received with ``serve`` (int64 rows in, one value row each out). Returns the answers in
    request order. Collective: request, then response (two all-to-all-v); only the requested
    rows travel.

    Examples
    --------
    >>> vals = request(comm, owner, local_idx[:, None], lambda q: block[q[:, 0]])  # doctest: +SKIP
    """
    if comm.size == 1:
        return serve(payload)
    order, asked, came = _route(comm, owner, payload)
    answers = serve(asked).contiguous()
    back = comm.unchecked.alltoallv(answers, came, axis=0)
    result = torch.empty_like(back)
    result[order] = back
    return result


def deliver(
    comm: Communicator,
    owner: torch.Tensor,
    payload: torch.Tensor,
    values: torch.Tensor,
    write: Callable[[torch.Tensor, torch.Tensor], None],
) -> None:
    """Send (``payload[i]``, ``values[i]``) to rank ``owner[i]``, which calls ``write`` with the
    pairs it received (in the senders' rank order, each sender's pairs in its order, so a
    repeated index ends with the last value in global order). Collective (two all-to-all-v)."""
    if comm.size == 1:
        write(payload, values)
        return
    order, asked, came = _route(comm, owner, payload)
    sends = torch.bincount(owner, minlength=comm.size).tolist()
    got = comm.unchecked.alltoallv(values[order].contiguous(), sends, axis=0)
    assert sum(came) == got.shape[0]
    write(asked, got)


def agree_bounds(comm: Communicator, bad: int | None, what: str) -> None:
    """Raise the same IndexError on every rank if any rank found an out-of-bounds index
    (``bad`` is its offending value, None when all were fine). One all-reduce; the message
    ``what`` is formatted with the largest offending value."""
    none = -(2**62)
    verdict = torch.tensor([0 if bad is None else 1, none if bad is None else bad], dtype=torch.int64)
    verdict = comm.unchecked.allreduce(verdict, "max")
    if int(verdict[0]) > 0:
        raise IndexError(what.format(value=int(verdict[1])))
