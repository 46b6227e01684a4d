"""Moving rows of a distributed array to the ranks that need them: one all-to-all-v per
exchange, written once for every random function that reorders data (``permutation``,
``shuffle``, ``choice``).

``route`` pushes each local row to a destination rank; ``pull`` asks the owners of global
indices for an answer and brings it back in request order. Memory per rank: the rows sent and
received, never the whole array.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

from heat.comm import Communicator

__all__ = ["owners", "pull", "route"]


def owners(index: torch.Tensor, displs: Sequence[int]) -> torch.Tensor:
    """The rank whose block (blocks starting at ``displs``) holds each global ``index``.

    >>> owners(torch.tensor([0, 3, 4]), (0, 2, 4)).tolist()
    [0, 1, 2]
    """
    bounds = torch.tensor(list(displs[1:]), dtype=torch.int64, device=index.device)
    return torch.searchsorted(bounds, index, right=True)


def route(rows: torch.Tensor, dest: torch.Tensor, comm: Communicator) -> torch.Tensor:
    """Send ``rows[i]`` to rank ``dest[i]``; return the rows this rank receives, grouped by
    source rank (in rank order) and in the sender's order within a source. Collective."""
    if comm.size == 1:
        return rows
    order = torch.argsort(dest, stable=True)
    counts = torch.bincount(dest, minlength=comm.size).tolist()
    return comm.unchecked.alltoallv(rows[order].contiguous(), counts, axis=0)


def pull(
    keys: torch.Tensor,
    dest: torch.Tensor,
    answer: Callable[[torch.Tensor], torch.Tensor],
    comm: Communicator,
) -> torch.Tensor:
    """``answer(keys)`` computed on the ranks ``dest`` (the owners of the keys), returned in
    the order of ``keys``. ``answer`` maps a 1-d int64 tensor of keys to one row per key (it
    is called on every rank, possibly with no keys). Collective: three all-to-all-v."""
    if comm.size == 1:
        return answer(keys)
    n = keys.numel()
    here = torch.stack(
        (
            keys,
            torch.arange(n, dtype=torch.int64, device=keys.device),
            torch.full((n,), comm.rank, dtype=torch.int64, device=keys.device),
        ),
        dim=1,
    )
    asked = route(here, dest, comm)
    replies = answer(asked[:, 0].contiguous())
    back = route(replies, asked[:, 2], comm)
    where = route(asked[:, 1], asked[:, 2], comm)
    out = torch.empty((n, *replies.shape[1:]), dtype=replies.dtype, device=replies.device)
    out[where] = back
    return out
