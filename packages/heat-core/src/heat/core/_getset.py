"""The engine behind ``DNDarray.__getitem__`` and ``__setitem__``.

A key is parsed (:mod:`._keys`) into entries; its basic part (ints, slices, newaxis) is applied
first as a view of each rank's block, then the advanced part (integer and boolean arrays) on
the axes it names. Where the data of the result lives decides the communication:

* basic indexing is local; an integer on the split axis is a broadcast from its owner, a
  negative step along the split axis one all-to-all-v that restores the block order;
* advanced keys on axes that are not split are applied locally;
* advanced keys on the split axis are routed: each rank sends the indices of its block of the
  key to their owners and gets the values back (:mod:`._routing`), so the result is split
  like the key;
* a boolean mask over the split axis is aligned with the array and applied locally.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from . import layout
from ._keys import Basic, Entry, Index, Mask, basic_plan, parse
from ._routing import agree_bounds, deliver, move_ranges, owners_of, request
from .dndarray import DNDarray
from .redistribution import to_layout

__all__ = ["getitem", "setitem"]

_SCALARS = (int, float, bool, complex)


# ---------------------------------------------------------------------- layouts of results
def _blocks(counts: Sequence[int]) -> list[tuple[int, int]]:
    offs = layout.offsets(counts)
    return [(o, o + c) for o, c in zip(offs, counts, strict=True)]


def _reversed_blocks(counts: Sequence[int]) -> list[tuple[int, int]]:
    """Where each rank's block lands when the axis is read backwards."""
    total = sum(counts)
    return [(total - b, total - a) for a, b in _blocks(counts)]


def _wrap(
    x: DNDarray, t: torch.Tensor, shape: Sequence[int], split: int | None, counts: Any = None
) -> DNDarray:
    return DNDarray(t, tuple(shape), x.dtype, split, x.device, x.comm, counts=counts)


def _basic_get(x: DNDarray, entries: Sequence[Entry]) -> DNDarray:
    b = basic_plan(x, entries)
    comm = x.comm
    if b.owner is not None:
        if b.local is not None:
            t = x.larray[b.local]
            t = t.flip(b.flips) if b.flips else t
        else:
            t = torch.empty(b.shape, dtype=x.larray.dtype, device=x.larray.device)
        if comm.size > 1:
            t = comm.unchecked.bcast(t.contiguous(), root=b.owner)
        return _wrap(x, t, b.shape, None)
    assert b.local is not None
    t = x.larray[b.local]
    if b.flips:
        t = t.flip(b.flips)
    counts = b.counts
    if b.split is not None and b.reverse and counts is not None:
        counts = tuple(reversed(counts))
        t = move_ranges(comm, t, b.split, _reversed_blocks(b.counts or ()), _blocks(counts))
    return _wrap(x, t, b.shape, b.split, counts)


# ---------------------------------------------------------------------- the advanced plan
@dataclass(slots=True)
class _Plan:
    """An advanced key on ``y`` (the array after the key's basic part).

    ``dims``: the y axes the keys index, in key order; ``keys``: this rank's int64 key blocks
    (non-negative, all of shape ``bshape`` with the ``bsplit`` axis cut to ``bcounts``);
    ``place``: where the broadcast key axes go in the result; ``shape``: the result shape.
    """

    y: DNDarray
    basic: Basic
    dims: list[int]
    keys: list[torch.Tensor]
    bshape: tuple[int, ...]
    bsplit: int | None
    bcounts: tuple[int, ...] | None
    place: int
    shape: tuple[int, ...]
    flips: list[int]

    @property
    def routed(self) -> bool:
        return self.y.split is not None and self.y.split in self.dims and self.y.comm.size > 1

    def result_axis(self, ydim: int) -> int:
        """The result axis of a y axis that no key indexes."""
        rest = [d for d in range(self.y.ndim) if d not in self.dims].index(ydim)
        return rest if rest < self.place else rest + len(self.bshape)

    def result_layout(self) -> tuple[int | None, list[tuple[int, int]] | None]:
        """The result's split axis and every rank's range along it (in the view's order)."""
        if self.bsplit is not None:
            assert self.bcounts is not None
            return self.place + self.bsplit, _blocks(self.bcounts)
        y = self.y
        if y.split is not None and y.split not in self.dims:
            counts = y.counts
            ranges = _reversed_blocks(counts) if self.basic.reverse else _blocks(counts)
            return self.result_axis(y.split), ranges
        return None, None


def _pre_entries(entries: Sequence[Entry]) -> tuple[list[Entry], list[tuple[int, Entry]], int]:
    """The basic part (advanced entries replaced by ``:``), the advanced entries with the y axis
    they start at, and where the key axes go in the result."""
    pre: list[Entry] = []
    adv: list[tuple[int, Entry]] = []
    positions: list[int] = []
    ydim = 0
    place = -1
    rest_before = 0
    for i, e in enumerate(entries):
        if isinstance(e, Index | Mask) or type(e) is int:
            if place < 0:
                place = rest_before
            adv.append((ydim, e))
            positions.append(i)
            width = e.ndim if isinstance(e, Mask) else 1
            pre.extend([slice(None)] * width)
            ydim += width
        else:
            pre.append(e)
            ydim += 1
            rest_before += 1
    between = [e for e in entries[positions[0] : positions[-1] + 1] if e is not None]
    if any(not (isinstance(e, Index | Mask) or type(e) is int) for e in between):
        place = 0  # advanced entries apart: NumPy puts their axes first
    return pre, adv, place


def _materialize(x: DNDarray, b: Basic, view: bool) -> DNDarray:
    """The basic part's result (``view``: the un-flipped, un-reordered view of the block)."""
    assert b.local is not None
    t = x.larray[b.local]
    counts = b.counts
    if not view:
        if b.flips:
            t = t.flip(b.flips)
        if b.split is not None and b.reverse and counts is not None:
            counts = tuple(reversed(counts))
            t = move_ranges(x.comm, t, b.split, _reversed_blocks(b.counts or ()), _blocks(counts))
    return _wrap(x, t, b.shape, b.split, counts)


def _check_mask(m: Mask, y: DNDarray, start: int, dims0: Sequence[int]) -> None:
    for j, n in enumerate(m.shape):
        if y.gshape[start + j] != n:
            raise IndexError(
                f"boolean index did not match indexed array along axis {dims0[start + j]}; size of axis "
                f"is {y.gshape[start + j]} but size of corresponding boolean axis is {n}"
            )


def _nonzero_keys(m: Mask) -> list[torch.Tensor | DNDarray]:
    if isinstance(m.mask, torch.Tensor):
        return list(torch.nonzero(m.mask).unbind(1)) if m.mask.dim() else []
    from .indexing import nonzero

    return list(nonzero(m.mask))


def _local_key(
    key: torch.Tensor | DNDarray,
    bshape: tuple[int, ...],
    bsplit: int | None,
    bcounts: tuple[int, ...] | None,
    rank: int,
) -> torch.Tensor:
    """This rank's block of ``key`` broadcast to ``bshape`` and cut along ``bsplit``."""
    if isinstance(key, DNDarray):
        axis = None if bsplit is None else bsplit - (len(bshape) - key.ndim)
        if (
            axis is not None
            and axis >= 0
            and key.gshape[axis] == bshape[bsplit or 0]
            and key.gshape[axis] != 1
        ):
            moved = to_layout(key, axis, bcounts)
            local = list(bshape)
            local[bsplit or 0] = moved.lshape[axis]
            return moved.larray.to(torch.int64).expand(local)
        key = to_layout(key, None).larray
    t = key.to(torch.int64).expand(bshape)
    if bsplit is not None and bcounts is not None:
        start, stop = _blocks(bcounts)[rank]
        t = t.narrow(bsplit, start, stop - start)
    return t


def _plan(x: DNDarray, entries: Sequence[Entry], view: bool) -> _Plan | tuple[DNDarray, Mask, int, Basic]:
    """The advanced plan, or (y, mask, start) for a lone boolean mask."""
    pre, adv, place = _pre_entries(entries)
    b = basic_plan(x, pre)
    y = _materialize(x, b, view)
    # the x axis behind each y axis, for NumPy's messages
    dims0, d = [], 0
    for e in pre:
        dims0.append(d if e is not None else -1)
        d += e is not None
    lone = adv[0][1]
    if len(adv) == 1 and type(lone) is Mask and lone.ndim:
        _check_mask(lone, y, adv[0][0], dims0)
        return y, lone, adv[0][0], b
    keyed: list[tuple[int, torch.Tensor | DNDarray]] = []
    for ydim, e in adv:
        if isinstance(e, Mask):
            _check_mask(e, y, ydim, dims0)
            keyed.extend((ydim + j, k) for j, k in enumerate(_nonzero_keys(e)))
        elif isinstance(e, Index):
            keyed.append((ydim, e.key))
        else:
            keyed.append((ydim, torch.tensor(e, dtype=torch.int64)))
    shapes = [k.gshape if isinstance(k, DNDarray) else tuple(k.shape) for _, k in keyed]
    try:
        bshape = tuple(np.broadcast_shapes(*shapes))
    except ValueError:
        shown = " ".join(str(s) for s in shapes)
        raise IndexError(
            f"shape mismatch: indexing arrays could not be broadcast together with shapes {shown}"
        ) from None
    dims = [d for d, _ in keyed]
    routed = y.split is not None and y.split in dims and y.comm.size > 1
    # the keys' layout: like the largest distributed key, or cut evenly when routing
    bsplit: int | None = None
    bcounts: tuple[int, ...] | None = None
    anchors = [
        k
        for _, k in keyed
        if isinstance(k, DNDarray)
        and k.split is not None
        and k.gshape[k.split] == bshape[k.split + len(bshape) - k.ndim]
        and k.gshape[k.split] != 1
    ]
    kept_split = y.split is not None and y.split not in dims and y.comm.size > 1
    # writing into a replicated array: every rank applies the whole key (gathered)
    replicated_write = view and not y.is_distributed()
    if anchors and not kept_split and not replicated_write:
        anchor = max(anchors, key=lambda k: k.size)
        assert anchor.split is not None
        bsplit, bcounts = anchor.split + len(bshape) - anchor.ndim, anchor.counts
    elif routed and bshape:
        bsplit, bcounts = 0, layout.balanced_counts(bshape[0], y.comm.size)
    keys = [_local_key(k, bshape, bsplit, bcounts, y.comm.rank) for _, k in keyed]
    negative = _check_bounds(y, keyed, keys, dims0)
    keys = [
        torch.where(k < 0, k + y.gshape[d], k) if neg else k
        for (d, _), k, neg in zip(keyed, keys, negative, strict=True)
    ]
    rest = [y.gshape[d] for d in range(y.ndim) if d not in dims]
    shape = (*rest[:place], *bshape, *rest[place:])
    plan = _Plan(y, b, dims, keys, bshape, bsplit, bcounts, place, shape, [])
    plan.flips = [plan.result_axis(f) for f in b.flips] if view else []
    return plan


def _check_bounds(
    y: DNDarray, keyed: list[tuple[int, torch.Tensor | DNDarray]], keys: list[torch.Tensor], dims0: list[int]
) -> list[bool]:
    """IndexError for an out-of-bounds key entry; agreed across ranks when a key is distributed.
    Returns, per key, whether this rank's block may hold negative entries."""
    bad: int | None = None
    negative = []
    message = ""
    distributed = any(isinstance(k, DNDarray) for _, k in keyed)
    for (d, whole), block in zip(keyed, keys, strict=True):
        k = whole if isinstance(whole, torch.Tensor) else block  # a replicated key is checked whole
        n = y.gshape[d]
        negative.append(False)
        if k.numel():
            lo_t, hi_t = torch.aminmax(k)
            lo, hi = int(lo_t), int(hi_t)
            negative[-1] = lo < 0
            if hi >= n or lo < -n:
                bad = hi if hi >= n else lo
                message = f"index {{value}} is out of bounds for axis {dims0[d]} with size {n}"
                break
    if distributed and y.comm.size > 1:
        if not message:
            message = "index {value} is out of bounds for an axis of the indexed array"
        agree_bounds(y.comm, bad, message)
    elif bad is not None:
        raise IndexError(message.format(value=bad))
    negative += [True] * (len(keys) - len(negative))  # after a failed check: not reached
    return negative


def _front(plan: _Plan) -> torch.Tensor:
    """This rank's y block with the keyed axes first (a view)."""
    n = len(plan.dims)
    return plan.y.larray.movedim(plan.dims, list(range(n)))


def _advanced_get(x: DNDarray, entries: Sequence[Entry]) -> DNDarray:
    planned = _plan(x, entries, view=False)
    if isinstance(planned, tuple):
        return _mask_get(*planned[:3])
    plan = planned
    y, nb, place = plan.y, len(plan.bshape), plan.place
    front = _front(plan)
    if not plan.routed:
        vals = front[tuple(plan.keys)]
        split = plan.result_layout()[0]
        counts = None
        if plan.bsplit is not None:
            counts = plan.bcounts
        elif split is not None:
            counts = y.counts
        return _wrap(
            x, vals.movedim(list(range(nb)), list(range(place, place + nb))), plan.shape, split, counts
        )
    assert y.split is not None
    s = plan.dims.index(y.split)
    offs = layout.offsets(y.counts)
    cols = (
        torch.stack([k.reshape(-1) for k in plan.keys], dim=1)
        if plan.keys[0].numel()
        else torch.empty((0, len(plan.keys)), dtype=torch.int64, device=front.device)
    )
    owner = owners_of(cols[:, s], offs)
    cols[:, s] -= torch.tensor(offs, dtype=torch.int64, device=cols.device)[owner]
    if not plan.bshape:  # every key is a scalar: one owner broadcasts
        root = int(owner[0])
        if y.comm.rank == root:
            vals = front[tuple(cols[0])].contiguous()
        else:
            vals = torch.empty(plan.shape, dtype=front.dtype, device=front.device)
        return _wrap(x, y.comm.unchecked.bcast(vals, root=root), plan.shape, None)
    rest = tuple(front.shape[len(plan.dims) :])
    vals = request(y.comm, owner, cols, lambda q: front[tuple(q.t())])
    local_b = tuple(plan.keys[0].shape)
    vals = vals.reshape(*local_b, *rest).movedim(list(range(nb)), list(range(place, place + nb)))
    assert plan.bsplit is not None
    return _wrap(x, vals, plan.shape, place + plan.bsplit, plan.bcounts)


def _aligned_mask(y: DNDarray, mask: Mask, start: int) -> tuple[DNDarray, torch.Tensor, bool]:
    """``y`` (re-split to the mask's first axis if the mask covers its split axis) and the
    mask block matching this rank's block; whether the mask covers the split axis."""
    k = mask.ndim
    covers = y.split is not None and start <= y.split < start + k and y.comm.size > 1
    m = mask.mask
    if covers:
        if y.split != start:
            y = to_layout(y, start)
        if isinstance(m, DNDarray):
            return y, to_layout(m, 0, y.counts).larray, True
        a, b = _blocks(y.counts)[y.comm.rank]
        return y, m[a:b], True
    if isinstance(m, DNDarray):
        m = to_layout(m, None).larray
    return y, m, False


def _mask_get(y: DNDarray, mask: Mask, start: int) -> DNDarray:
    k = mask.ndim
    y, m, covers = _aligned_mask(y, mask, start)
    vals = y.larray[(slice(None),) * start + (m.to(y.larray.device),)]
    shape = [*y.gshape[:start], 0, *y.gshape[start + k :]]
    if covers:
        # the number of selected elements: one small all-reduce (the result's block sizes
        # stay unknown until someone asks)
        n = torch.tensor([vals.shape[start]], dtype=torch.int64)
        shape[start] = int(y.comm.unchecked.allreduce(n, "sum")[0])
        return DNDarray(vals, tuple(shape), y.dtype, start, y.device, y.comm)
    shape[start] = vals.shape[start]
    split = y.split
    counts = None if split is None else y.counts
    if split is not None and start <= split < start + k:  # one process
        split, counts = start, (vals.shape[start],)
    elif split is not None and split > start:
        split -= k - 1
    return DNDarray(vals, tuple(shape), y.dtype, split, y.device, y.comm, counts=counts)


def getitem(x: DNDarray, key: Any) -> DNDarray:
    """``x[key]`` with NumPy semantics (see the module docstring for the communication)."""
    if type(key) is int and x.ndim and (x.split is None or x.split or x.comm.size == 1):
        n = x.gshape[0]
        if not -n <= key < n:
            raise IndexError(f"index {key} is out of bounds for axis 0 with size {n}")
        split = None if x.split is None or x.split == 0 else x.split - 1
        return _wrap(x, x.larray[key], x.gshape[1:], split, None if split is None else x.counts)
    entries = parse(key, x.ndim)
    if any(isinstance(e, Index | Mask) for e in entries):
        return _advanced_get(x, entries)
    return _basic_get(x, entries)


# ---------------------------------------------------------------------- setitem
def _broadcast_error(value_shape: Sequence[int], shape: Sequence[int]) -> ValueError:
    return ValueError(
        f"could not broadcast input array from shape {tuple(value_shape)} into shape {tuple(shape)}"
    )


def _broadcastable(vshape: Sequence[int], shape: Sequence[int]) -> int:
    """How many leading (length-1) axes of a value of ``vshape`` to drop to broadcast it to
    ``shape``; ValueError (NumPy's message) when it cannot."""
    off = max(0, len(vshape) - len(shape))
    if any(v != 1 for v in vshape[:off]) or any(
        v not in (1, s) for v, s in zip(vshape[off:], shape[len(shape) - len(vshape) + off :], strict=True)
    ):
        raise _broadcast_error(vshape, shape)
    return off


def _value_block(
    x: DNDarray,
    value: Any,
    shape: tuple[int, ...],
    split: int | None,
    ranges: Sequence[tuple[int, int]] | None,
) -> torch.Tensor:
    """This rank's part of ``value`` broadcast to ``shape``: the positions ``ranges[rank]``
    along ``split`` (everything when ``split`` is None), as x's dtype on x's device.

    A DNDarray value split along the axis that becomes ``split`` sends each rank just its
    range (one all-to-all-v, after an all-to-all when it is split along another axis); a
    value split along a broadcast axis, or written where the target is not split, is
    all-gathered (it is at most the size of the written region).
    """
    dev, dt = x.larray.device, x.dtype.torch
    if isinstance(value, DNDarray):
        vshape = value.gshape
        off = _broadcastable(vshape, shape)
        if value.is_distributed():
            axis = None if split is None else split - (len(shape) - len(vshape))
            if (
                ranges is not None
                and axis is not None
                and axis >= off
                and vshape[axis] == shape[split or 0] != 1
            ):
                moved = value if value.split == axis else to_layout(value, axis)
                t = move_ranges(x.comm, moved.larray, axis, _blocks(moved.counts), ranges)
                local = list(shape)
                a, b = ranges[x.comm.rank]
                local[split or 0] = b - a
                return t.reshape(t.shape[off:]).to(device=dev, dtype=dt).expand(local)
            t = to_layout(value, None).larray
        else:
            t = value.larray
        t = t.reshape(vshape[off:])
    elif isinstance(value, torch.Tensor):
        t = value
    elif type(value) in _SCALARS:
        t = torch.tensor(value, dtype=dt, device=dev)
    else:
        arr = np.asarray(value)
        if arr.dtype == object or arr.dtype.kind not in "biufc":
            raise TypeError(f"setitem: cannot assign a {type(value).__name__} to an array of {x.dtype}")
        if arr.dtype.kind == "u" and arr.dtype != np.uint8:
            arr = arr.astype(np.int64)
        t = torch.from_numpy(np.ascontiguousarray(arr)) if arr.ndim else torch.tensor(arr.item())
    off = _broadcastable(tuple(t.shape), shape)
    t = t.reshape(t.shape[off:]).to(device=dev, dtype=dt).expand(shape)
    if split is not None and ranges is not None:
        a, b = ranges[x.comm.rank]
        t = t.narrow(split, a, b - a)
    return t


def _basic_set(x: DNDarray, entries: Sequence[Entry], value: Any) -> None:
    b = basic_plan(x, entries)
    if b.owner is not None:
        whole = _value_block(x, value, b.shape, None, None)
        if b.local is not None:
            x.larray[b.local] = whole.flip(b.flips) if b.flips else whole
        return
    assert b.local is not None
    ranges = None
    if b.split is not None and b.counts is not None:
        ranges = _reversed_blocks(b.counts) if b.reverse else _blocks(b.counts)
    piece = _value_block(x, value, b.shape, b.split, ranges)
    x.larray[b.local] = piece.flip(b.flips) if b.flips else piece


def _mask_set(y: DNDarray, mask: Mask, start: int, value: Any) -> None:
    k = mask.ndim
    _, m, covers = _aligned_mask(y, mask, start)
    m = m.to(y.larray.device)
    sel = int(m.sum())
    shape = [*y.gshape[:start], sel, *y.gshape[start + k :]]
    split: int | None = None
    ranges: list[tuple[int, int]] | None = None
    key = (slice(None),) * start + (m,)
    if covers:
        split = start
        if not (type(value) in _SCALARS or (not isinstance(value, DNDarray) and np.ndim(value) == 0)):
            counts = y.comm.unchecked.allgather(
                torch.tensor([sel], dtype=torch.int64), counts=[1] * y.comm.size
            )
            shape[start] = int(counts.sum())
            ranges = _blocks(counts.tolist())
        else:
            shape[start] = -1  # scalars broadcast to any length
    elif y.split is not None and y.comm.size > 1:
        split = y.split if y.split < start else y.split - k + 1
        ranges = _blocks(y.counts)
    if shape[start] < 0:
        y.larray[key] = _value_block(y, value, (), None, None)
        return
    y.larray[key] = _value_block(y, value, tuple(shape), split, ranges)


def setitem(x: DNDarray, key: Any, value: Any) -> None:
    """``x[key] = value`` with NumPy semantics; ``value`` broadcasts to ``x[key]``'s shape."""
    if type(key) is int and type(value) in _SCALARS and x.ndim:
        n = x.gshape[0]
        if not -n <= key < n:
            raise IndexError(f"index {key} is out of bounds for axis 0 with size {n}")
        if x.split != 0 or x.comm.size == 1:
            x.larray[key] = value
            return
    entries = parse(key, x.ndim)
    if not any(isinstance(e, Index | Mask) for e in entries):
        _basic_set(x, entries, value)
        return
    planned = _plan(x, entries, view=True)
    if isinstance(planned, tuple):
        y, mask, start, b = planned
        inner = y.split is not None and y.comm.size > 1 and start < y.split < start + mask.ndim
        if not inner and not b.flips:
            _mask_set(y, mask, start, value)
            return
        planned = _plan(x, [_as_keys(e) for e in entries], view=True)
        assert not isinstance(planned, tuple)
    _advanced_set(planned, value)


def _as_keys(e: Entry) -> Entry:
    """A lone mask as its integer keys (forces the general path)."""
    if isinstance(e, Mask):
        return _MaskKeys(e.mask)
    return e


class _MaskKeys(Mask):
    """A mask that takes the general (nonzero) path even when alone."""


def _advanced_set(plan: _Plan, value: Any) -> None:
    y, nb, place = plan.y, len(plan.bshape), plan.place
    front = _front(plan)
    split, ranges = plan.result_layout()
    if plan.routed:
        split, ranges = (
            (None, None) if not plan.bshape else (place + (plan.bsplit or 0), _blocks(plan.bcounts or ()))
        )
    piece = _value_block(y, value, plan.shape, split, ranges)
    if plan.flips:
        piece = piece.flip(plan.flips)
    piece = piece.movedim(list(range(place, place + nb)), list(range(nb)))
    if not plan.routed:
        front[tuple(plan.keys)] = piece
        return
    assert y.split is not None
    s = plan.dims.index(y.split)
    offs = layout.offsets(y.counts)
    m = math.prod(plan.keys[0].shape)
    cols = (
        torch.stack([k.reshape(-1) for k in plan.keys], dim=1)
        if m
        else torch.empty((0, len(plan.keys)), dtype=torch.int64, device=front.device)
    )
    owner = owners_of(cols[:, s], offs)
    cols[:, s] -= torch.tensor(offs, dtype=torch.int64, device=cols.device)[owner]
    rest = tuple(front.shape[len(plan.dims) :])
    vals = piece.expand(*plan.keys[0].shape, *rest).reshape(m, *rest)

    def write(q: torch.Tensor, v: torch.Tensor) -> None:
        front[tuple(q.t())] = v

    deliver(y.comm, owner, cols, vals, write)
