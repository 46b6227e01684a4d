"""reshape, ravel and flatten: one planned redistribution, computed from global index ranges.

View the input as rows of length R = N*Q around its split axis (P rows: the product of the axes
before it; N: its length; Q: the product of the axes after it): rank r holds the columns
[lo_r*Q, hi_r*Q) of every row. The result likewise has rows of length R' = M*Q' and rank q
holds the columns [LO_q*Q', HI_q*Q'). Local C order is increasing global flat order on both
sides, so each rank sends, per destination in rank order, its elements in local order, and
finds what it receives, per source in rank order, in its own local order: one all-to-all-v of
flat buffers. Counts and positions are pure functions of the global shapes and block sizes
(the same plan on every rank); pieces are strided views of whole rows (a partial first row,
the full rows, a partial last row), never per-element indices.

Both layouts repeat every L = lcm(R, R') flat indices, so one period's pieces (J = L/R input
rows, J' = L/R' result rows) taken as strided views over all K = total/L periods describe the
whole exchange: a few views per rank pair and period row, never per-element indices.

- Nothing moves when every element can stay on its rank (P == P' and every block boundary
  falls on a row of the result); the result keeps those (possibly unbalanced) block sizes.
  Otherwise the result is balanced along its split axis.
- P' == 1 (the result's blocks are flat ranges): the block is sent as it is. P == 1 (the
  input's blocks are flat ranges): received straight into the result. Both (the common case
  of split axes that are outermost): the only new memory is the result. Otherwise the sender
  packs (one block), the packed buffer is freed after the exchange, and the receiver unpacks
  into the result: the peak is two local blocks on top of the input.
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


def _window_views(buf: torch.Tensor, start: int, row: int, a: int, b: int) -> list[torch.Tensor]:
    """Views of the elements of the rows of ``buf`` (a (K, len) tensor whose last axis holds
    the flat positions ``start, start+1, ...``) that sit at a position in ``[a, b)`` of their
    row of length ``row``, in flat order: a partial first row, the full rows as one strided
    view, a partial last row. Each view has K as its first axis."""
    end = start + buf.shape[-1]
    views = []

    def take(lo: int, hi: int) -> None:
        if hi > lo:
            views.append(buf[:, lo - start : hi - start])

    f = start
    if start % row:
        row0 = start - start % row
        f = min(row0 + row, end)
        take(max(row0 + a, start), min(row0 + b, f))
    full_end = max(f, end - end % row)
    rows = (full_end - f) // row
    if rows and b > a:
        views.append(buf[:, f - start : full_end - start].view(buf.shape[0], rows, row)[:, :, a:b])
    if end > full_end:
        take(full_end + a, min(full_end + b, end))
    return views


def _in_window(stop: int, row: int, a: int, b: int) -> int:
    """How many flat indices below ``stop`` sit at a position in ``[a, b)`` of their row."""
    return (stop // row) * (b - a) + min(max(stop % row - a, 0), b - a)


def _period_pieces(
    block: torch.Tensor, row: int, a: int, other_row: int, other_windows: list[tuple[int, int]]
) -> list[list[torch.Tensor]]:
    """For every rank of the other side, the views of ``block`` ((K periods, this side's rows
    in a period, this rank's columns from ``a``)) it shares with that rank, in flat order."""
    return [
        [
            v
            for j in range(block.shape[1])
            for v in _window_views(block[:, j, :], j * row + a, other_row, lo, hi)
        ]
        for lo, hi in other_windows
    ]


def _width(views: list[torch.Tensor]) -> int:
    return sum(v[0].numel() for v in views) if views and views[0].shape[0] else 0


def _exchange(x: DNDarray, shape: tuple[int, ...], t: int, counts: tuple[int, ...]) -> torch.Tensor:
    """This rank's block of ``x`` reshaped to ``shape``, split along ``t`` with ``counts``:
    one all-to-all-v of flat buffers (see the module notes)."""
    assert x.split is not None
    comm = x.comm.unchecked
    rank = comm.rank
    p, n, q = _pnq(x.gshape, x.split)
    p2, m, q2 = _pnq(shape, t)
    row, row2 = n * q, m * q2
    c_in, d_in = x.counts_displs()
    d_out = layout.offsets(counts)
    win = [(d * q, (d + c) * q) for c, d in zip(c_in, d_in, strict=True)]  # input columns per rank
    win2 = [(d * q2, (d + c) * q2) for c, d in zip(counts, d_out, strict=True)]
    out_shape = list(shape)
    out_shape[t] = counts[rank]
    src = x.larray.contiguous().reshape(-1)
    # both layouts repeat every lcm(row, row2) flat indices: K periods of J input / J2 output rows
    period = row // math.gcd(row, row2) * row2
    k = p * row // period
    (a, b), (a2, b2) = win[rank], win2[rank]
    if p2 == 1:  # destinations increase with the flat index: the block is already grouped
        send = src
        sends = [_in_window(hi, row, a, b) - _in_window(lo, row, a, b) for lo, hi in win2]
    else:
        pieces = _period_pieces(src.view(k, period // row, b - a), row, a, row2, win2)
        send, pos, sends = torch.empty_like(src), 0, []
        for views in pieces:
            region, off = send[pos : pos + k * _width(views)].view(k, -1), 0
            for v in views:
                region[:, off : off + v[0].numel()].view(v.shape).copy_(v)
                off += v[0].numel()
            sends.append(k * _width(views))
            pos += sends[-1]
        del pieces
    recv = comm.alltoallv(send, sends, axis=0)
    del send
    if p == 1:  # sources increase with the flat index: received in the result's order
        return recv.view(out_shape)
    out = recv.new_empty(math.prod(out_shape))
    pos = 0
    for views in _period_pieces(out.view(k, period // row2, b2 - a2), row2, a2, row, win):
        region, off = recv[pos : pos + k * _width(views)].view(k, -1), 0
        for v in views:
            v.copy_(region[:, off : off + v[0].numel()].view(v.shape))
            off += v[0].numel()
        pos += k * _width(views)
    return out.view(out_shape)


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
    local = (
        _exchange(x, shape, t, counts)
        if x.size
        else x.larray.reshape(-1)[:0].reshape(layout.local_shape(shape, t, counts, x.comm.rank))
    )
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
