"""Moving data between ranks: the primitives every other operation calls.

One switch over (from layout, to layout):

========================  ======================================================
``S(k) -> S(k)``          nothing, or one all-to-all-v when block sizes differ
``S(k) -> S(j)``          one all-to-all (``Communicator.alltoall``)
``S(k) -> R``             one all-gather
``R -> S(k)``             local slicing, no communication
========================  ======================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from . import layout
from .dndarray import DNDarray

__all__ = ["align", "balance", "get_halo", "redistribute", "resplit", "to_layout"]


def _target_counts(x: DNDarray, axis: int, counts: Sequence[int] | None) -> tuple[int, ...]:
    n = x.gshape[axis]
    if counts is None:
        return layout.balanced_counts(n, x.comm.size)
    target = tuple(int(c) for c in counts)
    if len(target) != x.comm.size or min(target, default=0) < 0 or sum(target) != n:
        raise ValueError(
            f"target block sizes {list(target)} must be {x.comm.size} non-negative sizes summing to {n}, "
            f"the length of axis {axis}"
        )
    return target


def to_layout(x: DNDarray, split: int | None, counts: Sequence[int] | None = None) -> DNDarray:
    """``x`` with split ``split`` and block sizes ``counts`` (balanced when None); ``x`` itself
    when it already is laid out so. Every rank must pass the same arguments."""
    split = layout.normalize_split(split, x.ndim)
    comm = x.comm.unchecked
    if split is None:
        if x.split is None:
            return x
        full = comm.allgather(x.larray, axis=x.split, counts=list(x.counts))
        return DNDarray(full, x.gshape, x.dtype, None, x.device, x.comm)
    target = _target_counts(x, split, counts)
    if x.split is None:
        local = x.larray[layout.local_slice(split, target, comm.rank, x.ndim)].clone()
        return DNDarray(local, x.gshape, x.dtype, split, x.device, x.comm, counts=target)
    if x.split == split:
        if x.counts == target:
            return x
        sends = layout.overlap_counts(x.counts, target, comm.rank)
        recvs = layout.overlap_counts(target, x.counts, comm.rank)
        local = comm.alltoallv(x.larray, sends, axis=split, recv_counts=recvs)
        return DNDarray(local, x.gshape, x.dtype, split, x.device, x.comm, counts=target)
    local = comm.alltoall(
        x.larray, split_axis=split, concat_axis=x.split, split_counts=target, concat_counts=list(x.counts)
    )
    return DNDarray(local, x.gshape, x.dtype, split, x.device, x.comm, counts=target)


def resplit(x: DNDarray, axis: int | None = None) -> DNDarray:
    """A copy of ``x`` split along ``axis`` (None: replicated on every rank), balanced.

    Split to split is one all-to-all; to None one all-gather (the result is replicated by
    definition); None to split is local slicing. Peak memory: the input block, one packed
    send buffer (none when the old split axis is the outermost) and the result.

    Examples
    --------
    >>> x = ht.zeros((4, 6), split=0)
    >>> ht.resplit(x, 1).split
    1
    """
    if not isinstance(x, DNDarray):
        raise TypeError(f"resplit: expected a DNDarray, got {type(x).__name__}")
    moved = to_layout(x, axis)
    return moved.copy() if moved is x else moved


def redistribute(x: DNDarray, target_map: Any = None) -> DNDarray:
    """``x`` with rank r holding ``target_map[r]`` slices along ``split`` (one all-to-all-v).

    ``target_map`` is a sequence of block sizes or a (ranks, ndim) shape map (like
    :attr:`DNDarray.lshape_map`); None balances.

    Examples
    --------
    >>> x = ht.arange(6, split=0)
    >>> ht.redistribute(x, [6] + [0] * (x.comm.size - 1)).lshape  # doctest: +SKIP
    """
    if x.split is None:
        if target_map is not None:
            raise ValueError("redistribute: the array is not split (split=None); there is nothing to move")
        return x.copy()
    counts = None
    if target_map is not None:
        tm = np.asarray(target_map.cpu() if isinstance(target_map, torch.Tensor) else target_map)
        if tm.ndim == 2:
            if tm.shape != (x.comm.size, x.ndim):
                raise ValueError(
                    f"redistribute: target_map has shape {tm.shape}, expected ({x.comm.size}, {x.ndim})"
                )
            other = np.delete(tm, x.split, axis=1)
            expect = np.delete(np.asarray(x.gshape), x.split)
            if (other != expect).any():
                raise ValueError("redistribute: target_map may only change the sizes along the split axis")
            tm = tm[:, x.split]
        counts = [int(c) for c in tm.reshape(-1)]
    moved = to_layout(x, x.split, counts)
    return moved.copy() if moved is x else moved


def balance(x: DNDarray) -> DNDarray:
    """A balanced copy of ``x`` (block sizes differ by at most one, larger blocks first)."""
    return redistribute(x)


def align(a: DNDarray, b: DNDarray) -> tuple[DNDarray, DNDarray]:
    """Bring two operands of a broadcasting operation to one split and one layout.

    After alignment the local blocks broadcast against each other exactly as the global
    arrays do. The larger operand (in bytes; ``a`` on ties) keeps its layout and the other one
    moves: sliced locally when replicated, re-blocked with an all-to-all-v when split along
    the same axis with other block sizes, re-split with one all-to-all when split along a
    different axis. An operand whose split axis is broadcast (length 1, or absent) is
    replicated.

    Examples
    --------
    >>> a, b = ht.align(ht.zeros((4, 3), split=0), ht.ones((4, 3), split=1))
    >>> a.split, b.split
    (0, 0)
    """
    ndim = max(a.ndim, b.ndim)
    shape = np.broadcast_shapes(a.gshape, b.gshape)

    def out_axis(x: DNDarray) -> int | None:
        if x.split is None:
            return None
        axis = x.split + ndim - x.ndim
        return axis if x.gshape[x.split] == shape[axis] and shape[axis] != 1 else -1

    axes = [out_axis(a), out_axis(b)]
    ops = [a, b]
    for i in (0, 1):
        if axes[i] == -1:  # split along a broadcast axis: cheap to replicate, and needed
            ops[i] = to_layout(ops[i], None)
            axes[i] = None
    if axes[0] is None and axes[1] is None:
        return ops[0], ops[1]
    if axes[1] is not None and (axes[0] is None or ops[1].nbytes > ops[0].nbytes):
        anchor, other = 1, 0
    else:
        anchor, other = 0, 1
    ref, mover = ops[anchor], ops[other]
    axis = axes[anchor]
    assert axis is not None
    local_axis = axis - (ndim - mover.ndim)
    if local_axis < 0 or mover.gshape[local_axis] == 1:
        if mover.split is not None:
            mover = to_layout(mover, None)
    else:
        mover = to_layout(mover, local_axis, ref.counts)
    ops[other] = mover
    return ops[0], ops[1]


def get_halo(x: DNDarray, halo_size: int) -> tuple[torch.Tensor | None, torch.Tensor | None]:
    """The ``halo_size`` slices along ``split`` just before and just after this rank's block.

    Works for any layout, empty blocks included: the slices come from whichever ranks own
    them (one all-to-all-v per side). At the global edges the halo is shorter or None.

    Examples
    --------
    >>> prev, nxt = ht.get_halo(ht.arange(10, split=0), 1)  # doctest: +SKIP
    """
    if isinstance(halo_size, bool) or not isinstance(halo_size, int) or halo_size < 0:
        raise ValueError(f"get_halo: halo_size must be a non-negative int, got {halo_size!r}")
    if x.split is None or x.comm.size == 1:
        return None, None
    comm = x.comm.unchecked
    axis = x.split
    counts, offs = x.counts_displs()
    ends = [o + c for o, c in zip(offs, counts, strict=True)]
    n = x.gshape[axis]
    wanted_prev = [(max(0, o - halo_size), o) for o in offs]
    wanted_next = [(e, min(n, e + halo_size)) for e in ends]
    mine = (offs[comm.rank], ends[comm.rank])

    def fetch(wanted: list[tuple[int, int]]) -> torch.Tensor | None:
        pieces, sends = [], []
        for lo, hi in wanted:
            start, stop = max(lo, mine[0]), min(hi, mine[1])
            count = max(0, stop - start)
            sends.append(count)
            if count:
                pieces.append(x.larray.narrow(axis, start - mine[0], count))
        send = torch.cat(pieces, dim=axis) if pieces else x.larray.narrow(axis, 0, 0)
        got = comm.alltoallv(send.contiguous(), sends, axis=axis)
        lo, hi = wanted[comm.rank]
        return got if hi > lo else None

    return fetch(wanted_prev), fetch(wanted_next)
