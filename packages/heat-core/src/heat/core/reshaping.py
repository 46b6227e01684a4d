"""reshape, ravel and flatten: one planned redistribution, computed from global index ranges.

Think of the input as (P, N, Q) around its split axis (P: product of the axes before it, N: its
length, Q: product of the axes after it) and of the output as (P', M, Q') around the result's
split axis. Rank r's input block holds the C-order flat indices f with ``(f // Q) % N`` in its
range, rank q's output block those with ``(f // Q') % M`` in its range; both are walked in
increasing f by their local C order. So each rank sends, for every destination, its elements in
local order, and each rank finds its received elements, per source in rank order, in its own
output order: one all-to-all-v of flat buffers, the plan a pure function of the global shapes
and block sizes (the same on every rank).

- Nothing moves when the result can keep every element on its rank (P == P' and every block
  boundary falls on a row of the result); the result then has those block sizes (possibly
  unbalanced). Otherwise the result is balanced along its split axis.
- When P == 1 and P' == 1 (the split axes are the outermost non-trivial axes, the common case),
  the local block is sent as it is and received straight into the result: memory is the input
  block plus the result. Otherwise the sender packs its block by destination and/or the
  receiver unpacks, in chunks of index arithmetic; the packed send buffer is freed before the
  result is allocated, so the peak is two local blocks on top of the input.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import Any

import torch

from . import layout
from ._moves import as_dndarray
from .dndarray import DNDarray

__all__ = ["flatten", "ravel", "reshape"]

_CHUNK = 1 << 18


def _new_shape(name: str, size: int, shape: Any) -> tuple[int, ...]:
    if isinstance(shape, int | torch.SymInt) or hasattr(shape, "__index__"):
        shape = (shape,)
    try:
        dims = [operator.index(s) for s in shape]
    except TypeError:
        raise TypeError(f"{name}: shape must be an int or a sequence of ints, got {shape!r}") from None
    unknown = [i for i, d in enumerate(dims) if d == -1]
    if len(unknown) > 1 or any(d < -1 for d in dims):
        raise ValueError(f"{name}: shape {tuple(dims)} may contain one -1 and otherwise non-negative sizes")
    known = math.prod(d for d in dims if d != -1)
    if unknown:
        if known == 0 or size % known:
            raise ValueError(f"{name}: cannot reshape array of size {size} into shape {tuple(dims)}")
        dims[unknown[0]] = size // known
    if math.prod(dims) != size:
        raise ValueError(f"{name}: cannot reshape array of size {size} into shape {tuple(dims)}")
    return tuple(dims)


def _pnq(shape: Sequence[int], axis: int) -> tuple[int, int, int]:
    return math.prod(shape[:axis]), shape[axis], math.prod(shape[axis + 1 :])


def _in_place_counts(x: DNDarray, shape: tuple[int, ...], t: int) -> tuple[int, ...] | None:
    """Block sizes along ``t`` that keep every element on its rank, or None if there are none."""
    assert x.split is not None
    p, _, q = _pnq(x.gshape, x.split)
    p2, _, q2 = _pnq(shape, t)
    if p != p2 or q2 == 0:
        return None
    counts = x.counts
    if any((c * q) % q2 for c in counts):
        return None
    return tuple(c * q // q2 for c in counts)


def _flat_index(local: torch.Tensor, p_len: int, lo: int, n_local: int, n: int, q: int) -> torch.Tensor:
    """Global C-order flat indices of local positions ``local`` of a (P, n_local, Q) block at
    offset ``lo`` of a (P, n, Q) array."""
    run = n_local * q
    return (local // run) * (n * q) + lo * q + local % run


def _owner(flat: torch.Tensor, n: int, q: int, ends: torch.Tensor) -> torch.Tensor:
    return torch.searchsorted(ends, (flat // q) % n, right=True)


class _Grouper:
    """Positions of elements, given in their natural order, in a buffer grouped by rank
    (stable: within a group the natural order is kept); fed chunk by chunk."""

    def __init__(self, counts: Sequence[int], device: torch.device) -> None:
        c = torch.tensor(list(counts), dtype=torch.int64, device=device)
        self.base = torch.cumsum(c, 0) - c
        self.size = len(counts)

    def __call__(self, groups: torch.Tensor) -> torch.Tensor:
        order = torch.argsort(groups, stable=True)
        sorted_groups = groups[order]
        counts = torch.bincount(groups, minlength=self.size)
        starts = torch.cumsum(counts, 0) - counts
        within = torch.arange(groups.numel(), device=groups.device) - starts[sorted_groups]
        pos = torch.empty_like(groups)
        pos[order] = self.base[sorted_groups] + within
        self.base += counts
        return pos


def _exchange(x: DNDarray, shape: tuple[int, ...], t: int, counts: tuple[int, ...]) -> torch.Tensor:
    """This rank's block of ``x`` reshaped to ``shape``, split along ``t`` with ``counts``."""
    assert x.split is not None
    comm = x.comm.unchecked
    rank, size = comm.rank, comm.size
    src = x.larray.contiguous().reshape(-1)
    dev = src.device
    p, n, q = _pnq(x.gshape, x.split)
    p2, m, q2 = _pnq(shape, t)
    in_counts, in_offs = x.counts_displs()
    out_offs = layout.offsets(counts)
    in_ends = torch.tensor([o + c for o, c in zip(in_offs, in_counts, strict=True)], device=dev)
    out_ends = torch.tensor([o + c for o, c in zip(out_offs, counts, strict=True)], device=dev)
    lo, n_loc = in_offs[rank], in_counts[rank]
    lo2, m_loc = out_offs[rank], counts[rank]
    out_shape = list(shape)
    out_shape[t] = m_loc
    n_out = math.prod(out_shape)

    def chunks(total: int) -> list[tuple[int, int]]:
        return [(a, min(a + _CHUNK, total)) for a in range(0, total, _CHUNK)]

    def dest_of(a: int, b: int) -> torch.Tensor:
        local = torch.arange(a, b, device=dev)
        return _owner(_flat_index(local, p, lo, n_loc, n, q), m, q2, out_ends)

    def source_of(a: int, b: int) -> torch.Tensor:
        local = torch.arange(a, b, device=dev)
        return _owner(_flat_index(local, p2, lo2, m_loc, m, q2), n, q, in_ends)

    send_counts = torch.zeros(size, dtype=torch.int64)
    recv_counts = torch.zeros(size, dtype=torch.int64)
    if p2 == 1 and p == 1:
        # both blocks are flat ranges: the counts are overlaps of ranges
        send_counts = torch.tensor(
            layout.overlap_counts([c * q for c in in_counts], [c * q2 for c in counts], rank)
        )
    else:
        for a, b in chunks(src.numel()):
            send_counts += torch.bincount(dest_of(a, b), minlength=size).cpu()
        if p != 1:
            for a, b in chunks(n_out):
                recv_counts += torch.bincount(source_of(a, b), minlength=size).cpu()
    if p2 == 1:
        send = src  # destinations increase with the flat index: already grouped
    else:
        send = torch.empty_like(src)
        group = _Grouper(send_counts.tolist(), dev)
        for a, b in chunks(src.numel()):
            send[group(dest_of(a, b))] = src[a:b]
    recv = comm.alltoallv(send, send_counts.tolist(), axis=0)
    del send
    if p == 1:
        return recv.reshape(out_shape)  # sources increase with the flat index
    out = torch.empty(n_out, dtype=recv.dtype, device=recv.device)
    group = _Grouper(recv_counts.tolist(), dev)
    for a, b in chunks(n_out):
        out[a:b] = recv[group(source_of(a, b))]
    return out.reshape(out_shape)


def reshape(
    a: Any, shape: Any, order: str = "C", *, new_split: int | None = None, copy: bool | None = None
) -> DNDarray:
    """``a`` with a new shape and the same elements in C order, as ``numpy.reshape``.

    One dimension may be -1 (inferred). The result is split along ``new_split``; by default
    along the input's split axis (the last axis if the result has fewer dimensions, None for a
    replicated input or a 0-d result). When every element can stay on its rank (the split axis
    and the axes before it are untouched, or the block boundaries fall on rows of the result)
    nothing is communicated and the result keeps those (possibly unbalanced) blocks; otherwise
    the result is balanced and one all-to-all-v, planned from the global block ranges, moves
    each element once (see the module notes for memory: at most two local blocks on top of
    the input). The result is a view when nothing moves (``copy=True`` copies).

    Examples
    --------
    >>> ht.reshape(ht.arange(6, split=0), (2, 3)).shape
    (2, 3)
    >>> ht.arange(12, split=0).reshape(3, -1, new_split=1).split
    1
    """
    x = as_dndarray(a)
    if order != "C":
        raise ValueError(
            f"reshape: only order='C' is supported, got order={order!r}; transpose first for 'F'"
        )
    shape = _new_shape("reshape", x.size, shape)
    ndim = len(shape)
    if new_split is not None:
        t = layout.normalize_split(new_split, ndim, "reshape: new_split")
    elif x.split is None or ndim == 0:
        t = None
    else:
        t = min(x.split, ndim - 1)
    if x.split is None or t is None:
        if x.split is not None:
            from .redistribution import to_layout

            x = to_layout(x, None)
        local = x.larray.reshape(shape)
        if t is not None:
            local = local[
                layout.local_slice(t, layout.balanced_counts(shape[t], x.comm.size), x.comm.rank, ndim)
            ]
            result = DNDarray(local, shape, x.dtype, t, x.device, x.comm, balanced=True)
        else:
            result = DNDarray(local, shape, x.dtype, None, x.device, x.comm)
        return result.copy() if copy else result
    stay = (shape[t],) if x.comm.size == 1 else _in_place_counts(x, shape, t)
    if stay is not None:
        local_shape = list(shape)
        local_shape[t] = stay[x.comm.rank]
        result = DNDarray(x.larray.reshape(local_shape), shape, x.dtype, t, x.device, x.comm, counts=stay)
        return result.copy() if copy else result
    if copy is False:
        raise ValueError(
            f"reshape: copy=False, but reshaping {x.gshape} (split {x.split}) to {shape} (split {t}) moves "
            "data between ranks; pass copy=None"
        )
    counts = layout.balanced_counts(shape[t], x.comm.size)
    local = _exchange(x, shape, t, counts)
    return DNDarray(local, shape, x.dtype, t, x.device, x.comm, counts=counts)


def ravel(a: Any, order: str = "C") -> DNDarray:
    """``a`` as a 1-d array in C order, as ``numpy.ravel`` (see :func:`reshape` for the layout:
    no communication when the input is split along its first axis or replicated).

    Examples
    --------
    >>> ht.ravel(ht.zeros((3, 4), split=0)).shape
    (12,)
    """
    return reshape(a, (-1,), order, new_split=None if as_dndarray(a).split is None else 0)


def flatten(a: Any, order: str = "C") -> DNDarray:
    """A flattened copy of ``a`` (see :func:`ravel`), as ``numpy.ndarray.flatten``.

    Examples
    --------
    >>> ht.flatten(ht.ones((2, 2), split=1)).split
    0
    """
    return reshape(a, (-1,), order, new_split=None if as_dndarray(a).split is None else 0, copy=True)
