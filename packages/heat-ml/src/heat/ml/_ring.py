"""The ring pipeline behind pairwise work on two row-split arrays (cdist, k-nearest
neighbours, silhouette): the blocks of one operand travel around the ranks while every rank
computes on the block it holds.

At step ``s`` rank ``r`` holds the block of rank ``(r + s) % p``. The transfer of the next
block (non-blocking send to ``r - 1``, receive from ``r + 1``) is posted *before* the current
block is handed to the caller, so communication overlaps the caller's compute. Memory: the
caller's own data plus two blocks of the travelling operand.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import torch

from heat.comm import Communicator

__all__ = ["ring"]

_TAG = 9100


def ring(
    blocks: Sequence[torch.Tensor], counts: Sequence[int], comm: Communicator, steps: int | None = None
) -> Iterator[tuple[int, tuple[torch.Tensor, ...]]]:
    """Yield ``(owner, blocks_of_owner)`` for ``steps`` ring steps (default: every rank once,
    starting with this rank's own blocks).

    ``blocks`` are this rank's tensors (the same number of rows, ``counts[rank]``); the rows
    of rank ``q``'s blocks number ``counts[q]``. Every rank must iterate to the end.
    """
    p, rank = comm.size, comm.rank
    steps = p if steps is None else steps
    current = tuple(b.contiguous() for b in blocks)
    owner = rank
    for step in range(steps):
        pending = []
        incoming: tuple[torch.Tensor, ...] = ()
        if step + 1 < steps:
            nxt = (owner + 1) % p
            incoming = tuple(
                torch.empty((counts[nxt], *b.shape[1:]), dtype=b.dtype, device=b.device) for b in current
            )
            for i, (out, buf) in enumerate(zip(current, incoming, strict=True)):
                pending.append(comm.irecv(buf, source=(rank + 1) % p, tag=_TAG + i))
                pending.append(comm.isend(out, dest=(rank - 1) % p, tag=_TAG + i))
        yield owner, current
        if pending:
            for req in pending:
                req.wait()
            current, owner = incoming, (owner + 1) % p
