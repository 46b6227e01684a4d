"""Planned data movement along a split axis, shared by the shape functions.

:func:`fetch_runs` is the one exchange behind roll, flip, tile, pad, concatenate and the
sliding windows along the split axis: every rank names, from global metadata only, the runs of
global slices (of one or more arrays split along the same axis) that make up its new block; the
plan is the same on every rank, so each rank knows what to send where, and one all-to-all-v
moves the pieces. Nothing is communicated when every piece already lives on its destination.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple, cast

import torch

from .dndarray import DNDarray

__all__ = ["Run", "as_dndarray", "fetch_runs", "runs_of_indices", "wrap_like"]


class Run(NamedTuple):
    """Slices ``start..stop-1`` of source ``source`` along the split axis, reversed when
    ``reverse``, repeated ``times`` times (fetched once)."""

    source: int
    start: int
    stop: int
    reverse: bool = False
    times: int = 1


def as_dndarray(x: Any) -> DNDarray:
    """``x`` as a DNDarray (NumPy/torch arrays, scalars and sequences become replicated)."""
    if isinstance(x, DNDarray):
        return x
    from .factories import array

    return array(x)


def runs_of_indices(source: int, indices: Sequence[int]) -> list[Run]:
    """Global indices along an axis as runs (steps of +1, -1, or repeats of one index).

    Examples
    --------
    >>> [tuple(r) for r in runs_of_indices(0, [3, 2, 1, 0, 0, 0, 5, 6])]
    [(0, 0, 4, True, 1), (0, 0, 1, False, 2), (0, 5, 7, False, 1)]
    """
    runs: list[Run] = []
    i, n = 0, len(indices)
    while i < n:
        j = i + 1
        step = indices[j] - indices[i] if j < n else 0
        if step not in (-1, 0, 1):
            step = 0
            j = i + 1
        else:
            while j < n and indices[j] - indices[j - 1] == step:
                j += 1
        a = indices[i]
        if step == 1:
            runs.append(Run(source, a, a + j - i))
        elif step == -1:
            runs.append(Run(source, a - (j - i) + 1, a + 1, True))
        else:
            runs.append(Run(source, a, a + 1, False, j - i))
        i = j
    return runs


def fetch_runs(sources: Sequence[DNDarray], axis: int, wanted: Sequence[Sequence[Run]]) -> torch.Tensor:
    """This rank's new block: the runs ``wanted[rank]`` of ``sources`` joined along ``axis``.

    ``sources`` are split along ``axis`` (any block sizes) and agree in dtype, device and every
    other dimension; ``wanted`` lists, for every rank, the runs of global slices making its block
    and must be the same on every rank. One all-to-all-v along ``axis`` (none when every piece is
    already where it is wanted). Memory: the pieces this rank sends, the pieces it receives and
    the joined block.
    """
    comm = sources[0].comm
    rank, size = comm.rank, comm.size
    offs = [x.counts_displs() for x in sources]
    # pieces[q]: (run index, owner, source, local start, length) in the order q joins them
    pieces: list[list[tuple[int, int, int, int, int]]] = []
    for q in range(size):
        mine = []
        for k, run in enumerate(wanted[q]):
            counts, displs = offs[run.source]
            for r in range(size):
                lo, hi = max(run.start, displs[r]), min(run.stop, displs[r] + counts[r])
                if hi > lo:
                    mine.append((k, r, run.source, lo - displs[r], hi - lo))
        pieces.append(mine)
    template = sources[0].larray
    got = [
        sources[s].larray.narrow(axis, lo, n) if owner == rank else None
        for _, owner, s, lo, n in pieces[rank]
    ]
    if size > 1 and any(owner != q for q in range(size) for _, owner, *_ in pieces[q]):
        # pieces a rank already holds are not sent to itself
        send_parts, send_counts = [], []
        for q in range(size):
            out = (
                []
                if q == rank
                else [sources[s].larray.narrow(axis, lo, n) for _, o, s, lo, n in pieces[q] if o == rank]
            )
            send_parts.extend(out)
            send_counts.append(sum(p.shape[axis] for p in out))
        send = torch.cat(send_parts, dim=axis) if send_parts else template.narrow(axis, 0, 0)
        recv = comm.unchecked.alltoallv(send.contiguous(), send_counts, axis=axis)
        del send, send_parts
        # the received buffer holds, per owner in rank order, that owner's pieces in our order
        pos = 0
        for r in range(size):
            for i, (_, owner, _s, _lo, n) in enumerate(pieces[rank]):
                if owner == r and r != rank:
                    got[i] = recv.narrow(axis, pos, n)
                    pos += n
    runs: list[torch.Tensor] = []
    for k, run in enumerate(wanted[rank]):
        parts = [g for g, p in zip(got, pieces[rank], strict=True) if p[0] == k and g is not None]
        if not parts:
            continue
        t = parts[0] if len(parts) == 1 else torch.cat(parts, dim=axis)
        if run.reverse:
            t = t.flip(axis)
        if run.times > 1:
            reps = [1] * t.dim()
            reps[axis] = run.times
            t = t.repeat(*reps)
        runs.append(t)
    if not runs:
        shape = list(template.shape)
        shape[axis] = 0
        return template.new_empty(shape)
    return runs[0] if len(runs) == 1 else torch.cat(runs, dim=axis)


def wrap_like(
    x: DNDarray, tensor: torch.Tensor, gshape: Sequence[int], split: int | None, counts: Any = None
) -> DNDarray:
    """A DNDarray on ``x``'s device and communicator around ``tensor`` (dtype from the tensor)."""
    from . import types

    return DNDarray(
        tensor,
        tuple(int(s) for s in gshape),
        types.from_torch(tensor.dtype),
        split,
        x.device,
        x.comm,
        counts=cast(Any, counts) if split is not None else None,
    )
