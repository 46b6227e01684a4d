"""Sorting along any axis and split: a parallel sample sort along the split axis, local sorts
otherwise; partition, topk, searchsorted.

Layout rule (one rule for every function here):

* along an axis that is not split (or on one process) the work is local: the result keeps the
  input's split and block sizes, and indices along that axis are global already;
* along the split axis the array is a batch of 1-d lanes cut across ranks; all lanes are
  sorted together by the sample sort of :mod:`heat.core._samplesort` (every element moves at
  most twice: to its bucket's rank, then to the balanced layout). The result is split along
  the same axis with balanced blocks;
* ``axis=None`` sorts the flattened array (split 0, or replicated when the input is).

Order: NumPy's, always stable (ties keep their input order, ``kind``/``stable`` are accepted
for compatibility); NaN sorts last. ``descending=True`` (a torch option NumPy lacks) puts the
largest first, NaN first, ties still in input order. Complex values raise TypeError (NumPy
orders them lexicographically; Heat does not yet).
"""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np
import torch

from . import layout, types
from ._operations import to_operand
from ._samplesort import keys, partition_lanes, query_owners, sample_sort
from .dndarray import DNDarray
from .reductions import _as_array, _flat_view, normalize_axes
from .statistics import _select

__all__ = ["argpartition", "argsort", "partition", "searchsorted", "sort", "topk"]

T = torch.Tensor


def _axis(name: str, axis: Any, ndim: int) -> int:
    if isinstance(axis, tuple | list):
        raise TypeError(f"{name}: axis must be None or an int, got {axis!r}")
    return normalize_axes(name, axis, ndim)[0]


def _orderable(name: str, x: DNDarray) -> None:
    if types.is_complex(x.dtype):
        raise TypeError(
            f"{name}: complex values are not supported (no order on {x.dtype}); "
            "order by x.real or abs(x) instead"
        )


def _prepare(name: str, a: Any, axis: Any) -> tuple[DNDarray, int]:
    x = _as_array(a)
    _orderable(name, x)
    if axis is None:
        return _flat_view(x), 0
    return x, _axis(name, axis, x.ndim)


def _wrap(x: DNDarray, block: T, shape: tuple[int, ...], counts: tuple[int, ...] | None) -> DNDarray:
    return DNDarray(block, shape, types.from_torch(block.dtype), x.split, x.device, x.comm, counts=counts)


def sort_along(
    x: DNDarray, axis: int, *, descending: bool = False, with_indices: bool = False
) -> tuple[DNDarray, DNDarray | None]:
    """``x`` sorted along ``axis`` (stable) and, when ``with_indices``, the global positions
    along ``axis`` of the sorted values in ``x`` (int64). Collective; see the module notes."""
    t = x.larray
    comm = x.comm
    if x.split != axis or comm.size == 1:
        v, order = torch.sort(t, dim=axis, stable=True, descending=descending)
        counts = None if x.split is None else x.counts
        return _wrap(x, v, x.gshape, counts), _wrap(x, order, x.gshape, counts) if with_indices else None
    target = layout.balanced_counts(x.gshape[axis], comm.size)
    lshape = layout.local_shape(x.gshape, axis, target, comm.rank)
    if x.size == 0:
        v = torch.empty(lshape, dtype=t.dtype, device=t.device)
        i = torch.empty(lshape, dtype=torch.int64, device=t.device)
    else:
        lanes = torch.movedim(t, axis, -1)
        rest = lanes.shape[:-1]
        flat = lanes.reshape(math.prod(rest), lanes.shape[-1])
        sv, si = sample_sort(flat, comm, x.counts, descending=descending, with_indices=with_indices)
        v = sv.reshape(*rest, -1).movedim(-1, axis).contiguous()
        i = v if si is None else si.reshape(*rest, -1).movedim(-1, axis).contiguous()
    values = _wrap(x, v, x.gshape, target)
    return values, _wrap(x, i, x.gshape, target) if with_indices else None


def sort(
    a: Any,
    axis: int | None = -1,
    kind: str | None = None,
    order: None = None,
    *,
    stable: bool | None = None,
    descending: bool = False,
) -> DNDarray:
    """A sorted copy of ``a`` along ``axis`` (flattened when None), as ``numpy.sort``.

    Along the split axis a parallel sample sort (no gather; each element moves at most twice)
    whose result is balanced; along other axes a local sort that keeps the layout. The order is
    always stable and NaN sorts last; ``descending=True`` reverses it (NaN first, ties still in
    input order).

    Examples
    --------
    >>> ht.sort(ht.array([3, 1, 2], split=0)).numpy()
    array([1, 2, 3])
    """
    if order is not None:
        raise ValueError("sort: order= names fields of structured arrays, which Heat does not have")
    x, ax = _prepare("sort", a, axis)
    return sort_along(x, ax, descending=descending)[0]


def argsort(
    a: Any,
    axis: int | None = -1,
    kind: str | None = None,
    order: None = None,
    *,
    stable: bool | None = None,
    descending: bool = False,
) -> DNDarray:
    """Global indices that sort ``a`` along ``axis`` (flattened when None), as ``numpy.argsort``
    with ``kind="stable"`` (ties in input order, always). Layout as :func:`sort`.

    Examples
    --------
    >>> ht.argsort(ht.array([3, 1, 2, 1], split=0)).numpy()
    array([1, 3, 2, 0])
    """
    if order is not None:
        raise ValueError("argsort: order= names fields of structured arrays, which Heat does not have")
    x, ax = _prepare("argsort", a, axis)
    indices = sort_along(x, ax, descending=descending, with_indices=True)[1]
    assert indices is not None
    return indices


def _kth(name: str, kth: Any, n: int) -> list[int]:
    arr = np.atleast_1d(np.asarray(kth.numpy() if isinstance(kth, DNDarray) else kth))
    if arr.ndim != 1 or not (np.issubdtype(arr.dtype, np.integer) or arr.size == 0):
        raise TypeError(f"{name}: kth must be an int or a sequence of ints, got {kth!r}")
    out = []
    for k in arr.tolist():
        if not -n <= k < n:
            raise ValueError(f"{name}: kth={k} is out of bounds for an axis of length {n}")
        out.append(k % n)
    return out


def _partition_along(name: str, a: Any, kth: Any, axis: int | None, *, with_indices: bool) -> DNDarray:
    x, ax = _prepare(name, a, axis)
    ks = _kth(name, kth, x.gshape[ax])
    if x.split != ax or x.comm.size == 1 or x.size == 0 or not ks:
        ordered, where = sort_along(x, ax, with_indices=with_indices)
        return where if where is not None else ordered
    lanes = torch.movedim(x.larray, ax, -1)
    rest = lanes.shape[:-1]
    flat = lanes.reshape(math.prod(rest), lanes.shape[-1])
    wanted = torch.tensor(sorted(set(ks)), dtype=torch.int64).expand(flat.shape[0], -1).contiguous()
    pivots = _select(x, keys(flat).cpu(), wanted, True).to(flat.device)
    v, i = partition_lanes(flat, x.comm, x.counts, pivots, with_indices=with_indices)
    block = v if i is None else i
    target = layout.balanced_counts(x.gshape[ax], x.comm.size)
    return _wrap(x, block.reshape(*rest, -1).movedim(-1, ax).contiguous(), x.gshape, target)


def partition(
    a: Any, kth: Any, axis: int | None = -1, kind: str = "introselect", order: None = None
) -> DNDarray:
    """``a`` rearranged along ``axis`` so that each ``kth`` element is where a sort would put it,
    smaller ones before and larger ones after, as ``numpy.partition``.

    Along the split axis a distributed selection: the kth order statistics of every lane are
    found by bisection on order-preserving keys (one small all-reduce of counts per step, at
    most 64 steps, as :func:`heat.median`), then every element is sent once, straight to its
    position in the balanced result (classes below, equal to and between the pivots, each in
    input order). Along other axes a local (stable) sort, which is a valid partition.

    Examples
    --------
    >>> ht.partition(ht.array([5, 1, 4, 2, 3], split=0), 2).numpy()[2]
    3
    """
    if order is not None:
        raise ValueError("partition: order= names fields of structured arrays, which Heat does not have")
    return _partition_along("partition", a, kth, axis, with_indices=False)


def argpartition(
    a: Any, kth: Any, axis: int | None = -1, kind: str = "introselect", order: None = None
) -> DNDarray:
    """Global indices that partition ``a`` along ``axis`` around ``kth``, as
    ``numpy.argpartition`` (see :func:`partition`).

    Examples
    --------
    >>> x = ht.array([5, 1, 4, 2, 3], split=0)
    >>> int(x.numpy()[ht.argpartition(x, 2).numpy()[2]])
    3
    """
    if order is not None:
        raise ValueError("argpartition: order= names fields of structured arrays, which Heat does not have")
    return _partition_along("argpartition", a, kth, axis, with_indices=True)


def topk(
    a: Any, k: int, dim: int = -1, largest: bool = True, sorted: bool = True
) -> tuple[DNDarray, DNDarray]:
    """The ``k`` largest (smallest) values along ``dim`` and their global indices, as
    ``torch.topk`` (NaN counts as the largest value; ties go to the smaller index).

    Along the split axis: a local top-k on every rank, then the k candidates of every rank
    are all-gathered (k x p values and indices replicated per lane) and merged; the result is
    split along ``dim`` with balanced blocks. Along other axes the work is local. The values
    are always returned in order (largest first for ``largest=True``).

    Examples
    --------
    >>> v, i = ht.topk(ht.array([1, 5, 3, 4], split=0), 2)
    >>> v.numpy(), i.numpy()
    (array([5, 4]), array([1, 3]))
    """
    x = _as_array(a)
    _orderable("topk", x)
    ax = _axis("topk", dim, x.ndim)
    n = x.gshape[ax]
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 0 <= k <= n:
        raise ValueError(f"topk: k={k!r} must be an int in [0, {n}] (the length of axis {ax})")
    k = operator.index(k)
    t = x.larray
    work = t.to(torch.uint8) if t.dtype == torch.bool else t
    shape = tuple(k if i == ax else s for i, s in enumerate(x.gshape))
    comm = x.comm
    if x.split != ax or comm.size == 1:
        v, i = torch.topk(work, k, dim=ax, largest=largest, sorted=True)
        counts = None if x.split is None else (x.counts if x.split != ax else (k,))
        return _wrap(x, v.to(t.dtype), shape, counts), _wrap(x, i, shape, counts)
    counts, offs = x.counts_displs()
    kk = [min(k, c) for c in counts]
    lv, li = torch.topk(work, kk[comm.rank], dim=ax, largest=largest, sorted=False)
    li = li + offs[comm.rank]
    u = comm.unchecked
    cand_v = u.allgather(lv.contiguous(), axis=ax, counts=kk)
    cand_i = u.allgather(li.contiguous(), axis=ax, counts=kk)
    by_index = torch.sort(cand_i, dim=ax, stable=True).indices
    cand_v, cand_i = cand_v.gather(ax, by_index), cand_i.gather(ax, by_index)
    best = torch.sort(cand_v, dim=ax, stable=True, descending=largest).indices.narrow(ax, 0, k)
    target = layout.balanced_counts(k, comm.size)
    mine = best.narrow(ax, layout.offsets(target)[comm.rank], target[comm.rank])
    v, i = cand_v.gather(ax, mine).to(t.dtype), cand_i.gather(ax, mine)
    return _wrap(x, v, shape, target), _wrap(x, i, shape, target)


def searchsorted(a: Any, v: Any, side: str = "left", sorter: Any = None) -> DNDarray:
    """Global insertion indices of ``v`` into the sorted 1-d ``a``, as ``numpy.searchsorted``.

    The result has ``v``'s shape and layout (int64). When ``a`` is split the first value of
    every block serves as a splitter: each element of a split ``v`` is sent to the rank whose
    block range holds it, answered there by a local search plus the block's offset, and sent
    back (three all-to-all-v); a replicated ``v`` is searched on every block and the per-rank
    counts are summed (one all-reduce of ``v``'s size). ``sorter`` is supported for a
    replicated ``a`` only.

    Examples
    --------
    >>> ht.searchsorted(ht.arange(10, split=0), ht.array([3, 7.5])).numpy()
    array([3, 8])
    """
    x = _as_array(a)
    if x.ndim != 1:
        raise ValueError(f"searchsorted: a must be 1-d, got shape {x.gshape}")
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted: side must be 'left' or 'right', got {side!r}")
    op = to_operand(v, x)
    values = op if isinstance(op, DNDarray) else _as_array(np.asarray(op))
    common = types.promote_types(x.dtype, values.dtype)
    if types.is_complex(common):
        raise TypeError("searchsorted: complex values are not supported; search x.real or abs(x)")
    block = x.larray
    if sorter is not None:
        if x.is_distributed():
            raise ValueError(
                "searchsorted: sorter= needs a replicated a (split=None); pass ht.sort(a) instead"
            )
        order = sorter.larray if isinstance(sorter, DNDarray) else torch.as_tensor(np.asarray(sorter))
        block = block[order.to(torch.int64)]
    ka = keys(block.to(common.torch))
    kv = keys(values.larray.to(common.torch)).reshape(-1)
    right = side == "right"
    comm = x.comm.unchecked
    if not x.is_distributed() or x.gshape[0] == 0:
        found = torch.searchsorted(ka, kv, right=right)
    elif values.split is None:
        found = comm.allreduce(torch.searchsorted(ka, kv, right=right).contiguous(), "sum")
    else:
        counts, offs = x.counts_displs()
        start = offs[comm.rank]

        def answer(sorted_block: T, asked: T) -> T:
            return torch.searchsorted(sorted_block, asked, right=right) + start

        found = query_owners(comm, ka, counts, kv, side, answer)
    return values._like(found.reshape(values.larray.shape), types.int64)


def _sort_method(
    self: DNDarray, axis: int = -1, kind: str | None = None, order: None = None, *, descending: bool = False
) -> None:
    """Sort in place along ``axis`` (as ``numpy.ndarray.sort``); see :func:`sort`."""
    if axis is None:
        raise ValueError("DNDarray.sort: axis=None would change the shape; use ht.sort(x, axis=None)")
    self._adopt(sort(self, axis, kind, order, descending=descending))


def _partition_method(
    self: DNDarray, kth: Any, axis: int = -1, kind: str = "introselect", order: None = None
) -> None:
    """Partition in place along ``axis`` (as ``numpy.ndarray.partition``); see :func:`partition`."""
    self._adopt(partition(self, kth, axis, kind, order))


def _install_methods() -> None:
    setattr(DNDarray, "sort", _sort_method)  # noqa: B010 - attached after the class is built
    setattr(DNDarray, "partition", _partition_method)  # noqa: B010
    for name in ("argsort", "argpartition", "searchsorted"):
        setattr(DNDarray, name, globals()[name])


_install_methods()
