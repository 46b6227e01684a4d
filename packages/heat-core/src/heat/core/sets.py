"""Set operations (unique, isin, intersect1d, union1d, setdiff1d, ...) on top of the distributed
sort.

* ``unique``: the flattened array is sample-sorted (split 0, balanced); a value starts a new
  run where it differs from its predecessor, the predecessor of a block's first value being
  the last value of the previous non-empty block (one all-gather of p values). Counts are the
  distances between run starts in global positions (one all-gather of p pairs). The results
  (values, first indices, counts) come back in NumPy's sorted order, **split along axis 0 and
  balanced** when the input is split (nothing is replicated), replicated when it is not. The
  inverse is routed back to the owners of the input positions (one all-to-all-v) and has the
  input's shape, split along axis 0 (or None).
* ``isin``/``in1d``: ``test_elements`` is flattened and sorted distributed; each element is sent
  to the rank whose sorted block range may hold it (block boundaries as splitters), answered
  there and sent back. ``test_elements`` is never gathered.
* ``intersect1d``, ``setdiff1d``, ``union1d``: :func:`unique` plus :func:`isin` and a local
  filter (then a rebalance); results as ``unique``'s.

Complex values raise TypeError (no order). NaN: ``unique`` folds all NaNs into one
(``equal_nan=True``, NumPy's default), the array API functions ``unique_values``/``_counts``/
``_inverse``/``_all`` keep every NaN distinct, as NumPy 2 does; ``isin`` never matches NaN.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import torch

from . import layout, types
from ._samplesort import keys, query_owners
from .dndarray import DNDarray
from .redistribution import to_layout
from .reductions import _as_array, _flat_view
from .sorting import _orderable, searchsorted, sort_along

__all__ = [
    "UniqueAllResult",
    "UniqueCountsResult",
    "UniqueInverseResult",
    "in1d",
    "intersect1d",
    "isin",
    "setdiff1d",
    "union1d",
    "unique",
    "unique_all",
    "unique_counts",
    "unique_inverse",
    "unique_values",
]

T = torch.Tensor


class UniqueAllResult(NamedTuple):
    values: DNDarray
    indices: DNDarray
    inverse_indices: DNDarray
    counts: DNDarray


class UniqueCountsResult(NamedTuple):
    values: DNDarray
    counts: DNDarray


class UniqueInverseResult(NamedTuple):
    values: DNDarray
    inverse_indices: DNDarray


def _split0(x: DNDarray) -> DNDarray:
    """``x`` split along axis 0 or replicated (an all-to-all when split along another axis)."""
    return x if x.split in (None, 0) else to_layout(x, 0)


def _flat(a: Any, name: str) -> DNDarray:
    x = _as_array(a)
    _orderable(name, x)
    return _flat_view(_split0(x))


def _gather_counts(x: DNDarray, n: int) -> tuple[int, ...]:
    got = x.comm.unchecked.allgather(torch.tensor([n], dtype=torch.int64), counts=[1] * x.comm.size)
    return tuple(int(c) for c in got.tolist())


def _pieces(like: DNDarray, local: T, counts: tuple[int, ...] | None) -> DNDarray:
    """A 1-d result from per-rank pieces: balanced split 0 when ``counts`` (every rank's piece
    length) is given, else laid out as ``like`` (replicated, or one process)."""
    if counts is None:
        n = local.shape[0]
        split, cnt = like.split, None if like.split is None else (n,)
        return DNDarray(local, (n,), types.from_torch(local.dtype), split, like.device, like.comm, counts=cnt)
    res = DNDarray(
        local, (sum(counts),), types.from_torch(local.dtype), 0, like.device, like.comm, counts=counts
    )
    return to_layout(res, 0)


def _compress(x: DNDarray, mask: T) -> DNDarray:
    """The elements of the 1-d ``x`` where the local ``mask`` holds, in order (rebalanced)."""
    local = x.larray[mask]
    counts = _gather_counts(x, local.shape[0]) if x.is_distributed() else None
    return _pieces(x, local, counts)


def _same(a: T, b: T, equal_nan: bool) -> T:
    eq = a == b
    if equal_nan and a.is_floating_point():
        eq |= torch.isnan(a) & torch.isnan(b)
    return eq


def _unique(
    a: Any, name: str, *, index: bool, inverse: bool, counts: bool, equal_nan: bool
) -> tuple[DNDarray, DNDarray | None, DNDarray | None, DNDarray | None]:
    x = _as_array(a)
    _orderable(name, x)
    x0 = _split0(x)
    flat = _flat_view(x0)
    comm = flat.comm.unchecked
    p, rank = comm.size, comm.rank
    dist = flat.is_distributed()
    ordered, where = sort_along(flat, 0, with_indices=index or inverse)
    v = ordered.larray
    n_local, total = v.shape[0], flat.size
    same = _same(v[1:], v[:-1], equal_nan)
    offset = 0
    first_same = torch.zeros(min(n_local, 1), dtype=torch.bool, device=v.device)
    if dist:
        sizes = ordered.counts
        offset = layout.offsets(sizes)[rank]
        last = v[-1:] if n_local else torch.zeros(1, dtype=v.dtype, device=v.device)
        lasts = comm.allgather(last.contiguous(), counts=[1] * p)
        before = [r for r in range(rank) if sizes[r] > 0]
        if before and n_local:
            first_same = _same(v[:1], lasts[before[-1] : before[-1] + 1].to(v.device), equal_nan)
    starts = ~torch.cat([first_same, same])
    pos = torch.nonzero(starts).reshape(-1)
    n_unique = pos.shape[0]
    every: tuple[int, ...] | None = None
    after, base = total, 0
    if dist:
        info = torch.tensor([[n_unique, offset + int(pos[0]) if n_unique else total]], dtype=torch.int64)
        table = comm.allgather(info, counts=[1] * p)
        every = tuple(int(c) for c in table[:, 0].tolist())
        after = min([total, *table[rank + 1 :, 1].tolist()])
        base = sum(every[:rank])
    values = _pieces(flat, v[pos], every)
    first = None if where is None or not index else _pieces(flat, where.larray[pos], every)
    count = None
    if counts:
        edges = torch.cat([pos + offset, torch.tensor([after], device=pos.device)])
        count = _pieces(flat, torch.diff(edges), every)
    inv = None
    if inverse:
        assert where is not None
        run = torch.cumsum(starts.to(torch.int64), 0) - 1 + base
        inv = _inverse(x0, flat, where.larray, run)
    return values, first, inv, count


def _inverse(x0: DNDarray, flat: DNDarray, position: T, run: T) -> DNDarray:
    """Scatter ``run`` (the unique number of every sorted element) back to the input positions
    ``position``: an all-to-all-v to the owners of those positions when split."""
    out = torch.empty(flat.lshape, dtype=torch.int64, device=run.device)
    if flat.is_distributed():
        comm = flat.comm.unchecked
        counts, offs = flat.counts_displs()
        ends = torch.tensor([o + c for o, c in zip(offs, counts, strict=True)], device=position.device)
        owner = torch.searchsorted(ends, position, right=True)
        order = torch.sort(owner, stable=True).indices
        send = torch.bincount(owner, minlength=comm.size).tolist()
        pairs = comm.alltoallv(torch.stack([position, run], 1)[order].contiguous(), send)
        out[pairs[:, 0] - offs[comm.rank]] = pairs[:, 1]
    else:
        out[position] = run
    counts0 = None if x0.split is None else x0.counts
    return DNDarray(
        out.reshape(x0.lshape), x0.gshape, types.int64, x0.split, x0.device, x0.comm, counts=counts0
    )


def _unique_axis(x: DNDarray, axis: Any, index: bool, inverse: bool, counts: bool) -> tuple[Any, ...]:
    """``unique`` of the slices along ``axis`` of a replicated array (local torch.unique)."""
    from .reductions import normalize_axes

    if x.is_distributed():
        raise NotImplementedError(
            f"unique: axis={axis} is supported for arrays that are not split over several ranks; "
            "use axis=None, or x.resplit(None) first (replicates the array)"
        )
    (ax,) = normalize_axes("unique", axis, x.ndim)
    t = x.larray
    vals, inv, cnt = torch.unique(t, sorted=True, return_inverse=True, return_counts=True, dim=ax)
    out: list[DNDarray] = [_replicated(x, vals)]
    if index:
        positions = torch.arange(t.shape[ax], device=t.device)
        first = torch.full((vals.shape[ax],), t.shape[ax], dtype=torch.int64, device=t.device)
        first = first.scatter_reduce(0, inv, positions, "amin")
        out.append(_replicated(x, first))
    if inverse:
        out.append(_replicated(x, inv))
    if counts:
        out.append(_replicated(x, cnt))
    return tuple(out)


def _replicated(x: DNDarray, t: T) -> DNDarray:
    return DNDarray(t, tuple(t.shape), types.from_torch(t.dtype), None, x.device, x.comm)


def unique(
    ar: Any,
    return_index: bool = False,
    return_inverse: bool = False,
    return_counts: bool = False,
    axis: int | None = None,
    *,
    equal_nan: bool = True,
) -> Any:
    """The sorted unique values of ``ar`` (flattened), as ``numpy.unique``; optionally the
    index of each value's first occurrence, the inverse (the input rebuilt as indices into the
    unique values, with the input's shape) and the counts.

    A split input gives split (axis 0), balanced results: the unique values are never
    replicated (see the module notes). ``axis=k`` works for arrays that are not split over
    several ranks.

    Examples
    --------
    >>> u, c = ht.unique(ht.array([3, 1, 3, 2, 1], split=0), return_counts=True)
    >>> u.numpy(), c.numpy()
    (array([1, 2, 3]), array([2, 1, 2]))
    """
    x = _as_array(ar)
    if axis is not None:
        res = _unique_axis(x, axis, return_index, return_inverse, return_counts)
        return res[0] if len(res) == 1 else res
    values, first, inv, count = _unique(
        x, "unique", index=return_index, inverse=return_inverse, counts=return_counts, equal_nan=equal_nan
    )
    extra = [r for r in (first, inv, count) if r is not None]
    return (values, *extra) if extra else values


def unique_values(x: Any, /) -> DNDarray:
    """The unique values (every NaN distinct), as ``numpy.unique_values`` (sorted here)."""
    return _unique(x, "unique_values", index=False, inverse=False, counts=False, equal_nan=False)[0]


def unique_counts(x: Any, /) -> UniqueCountsResult:
    """The unique values and their counts, as ``numpy.unique_counts``."""
    values, _, _, count = _unique(
        x, "unique_counts", index=False, inverse=False, counts=True, equal_nan=False
    )
    assert count is not None
    return UniqueCountsResult(values, count)


def unique_inverse(x: Any, /) -> UniqueInverseResult:
    """The unique values and the inverse (input shape), as ``numpy.unique_inverse``."""
    values, _, inv, _ = _unique(x, "unique_inverse", index=False, inverse=True, counts=False, equal_nan=False)
    assert inv is not None
    return UniqueInverseResult(values, inv)


def unique_all(x: Any, /) -> UniqueAllResult:
    """Values, first indices, inverse and counts, as ``numpy.unique_all``.

    Examples
    --------
    >>> ht.unique_all(ht.array([2, 2, 1], split=0)).counts.numpy()
    array([1, 2])
    """
    values, first, inv, count = _unique(
        x, "unique_all", index=True, inverse=True, counts=True, equal_nan=False
    )
    assert first is not None and inv is not None and count is not None
    return UniqueAllResult(values, first, inv, count)


def _member(block: T, asked: T) -> T:
    """Whether each key of ``asked`` is in the sorted ``block`` (int64 0/1)."""
    if block.numel() == 0:
        return torch.zeros_like(asked)
    at = torch.searchsorted(block, asked)
    return (block[at.clamp(max=block.numel() - 1)] == asked).to(torch.int64)


def isin(
    element: Any,
    test_elements: Any,
    assume_unique: bool = False,
    invert: bool = False,
    *,
    kind: str | None = None,
) -> DNDarray:
    """Whether each element of ``element`` is in ``test_elements``, as ``numpy.isin`` (same
    shape and layout as ``element``, bool).

    A split ``test_elements`` is sorted distributed and never gathered: a split ``element``
    sends each value to the rank whose sorted block range may hold it (three all-to-all-v); a
    replicated one is tested against every block and the answers are or-reduced (one
    all-reduce of ``element``'s size). ``assume_unique`` and ``kind`` are accepted for NumPy
    compatibility and change nothing.

    Examples
    --------
    >>> ht.isin(ht.array([1, 2, 3, 4], split=0), ht.array([4, 2], split=0)).numpy()
    array([False,  True, False,  True])
    """
    e = _as_array(element)
    tests = _flat(test_elements, "isin")
    _orderable("isin", e)
    common = types.promote_types(e.dtype, tests.dtype).torch
    asked = e.larray.to(common).reshape(-1)
    k_asked = keys(asked)
    comm = tests.comm.unchecked
    kt = tests._like(keys(tests.larray.to(common)), types.int64)
    block = sort_along(kt, 0)[0]
    if not tests.is_distributed() or tests.size == 0:
        found = _member(block.larray, k_asked).bool()
    elif e.split is None:
        found = comm.allreduce(_member(block.larray, k_asked).bool().contiguous(), "lor")
    else:
        found = query_owners(comm, block.larray, block.counts, k_asked, "right", _member).bool()
    if asked.is_floating_point():
        found &= ~torch.isnan(asked)
    if invert:
        found = ~found
    return e._like(found.reshape(e.larray.shape), types.bool)


def in1d(ar1: Any, ar2: Any, assume_unique: bool = False, invert: bool = False) -> DNDarray:
    """:func:`isin` of the flattened ``ar1`` (1-d result), as the former ``numpy.in1d``.

    Examples
    --------
    >>> ht.in1d(ht.array([[1, 2], [3, 4]], split=0), [2, 3]).numpy()
    array([False,  True,  True, False])
    """
    return isin(_flat(ar1, "in1d"), ar2, assume_unique, invert)


def intersect1d(ar1: Any, ar2: Any, assume_unique: bool = False, return_indices: bool = False) -> Any:
    """The sorted values present in both arrays, as ``numpy.intersect1d``; with
    ``return_indices`` also the first index of each value in the flattened ``ar1`` and ``ar2``.

    Examples
    --------
    >>> ht.intersect1d(ht.array([1, 3, 4, 3], split=0), [3, 1, 2, 1]).numpy()
    array([1, 3])
    """
    dtype = types.promote_types(_as_array(ar1).dtype, _as_array(ar2).dtype)
    if not return_indices:
        u1 = unique(ar1)
        return _compress(u1, isin(u1, ar2).larray).astype(dtype, copy=False)
    u1, i1 = unique(ar1, return_index=True)
    u2, i2 = unique(ar2, return_index=True)
    mask = isin(u1, u2).larray
    common, ind1 = _compress(u1, mask), _compress(i1, mask)
    return common.astype(dtype, copy=False), ind1, _take(i2, searchsorted(u2, common))


def _take(x: DNDarray, at: DNDarray) -> DNDarray:
    """``x[at]`` for a 1-d ``x`` and integer positions ``at`` (layout of ``at``): each position
    is asked from its owner (three all-to-all-v when ``x`` is split)."""
    if not x.is_distributed():
        return at._like(x.larray[at.larray.to(x.larray.device)], x.dtype)
    counts, offs = x.counts_displs()
    start = offs[x.comm.rank]
    mine = torch.arange(start, start + x.lshape[0], device=x.larray.device)

    def answer(_: T, asked: T) -> T:
        return x.larray[asked - start].to(torch.int64)

    got = query_owners(x.comm, mine, counts, at.larray.reshape(-1), "right", answer)
    return at._like(got.to(x.larray.dtype).reshape(at.larray.shape), x.dtype)


def _concat_flat(ar1: Any, ar2: Any, name: str) -> DNDarray:
    """Both arrays flattened into one 1-d array (order irrelevant: callers sort it)."""
    a, b = _flat(ar1, name), _flat(ar2, name)
    common = types.promote_types(a.dtype, b.dtype)
    if a.split is None and b.split is None:
        t = torch.cat([a.larray.to(common.torch), b.larray.to(common.torch)])
        return DNDarray(t, (t.shape[0],), common, None, a.device, a.comm)
    a, b = (
        to_layout(a, 0, a.counts if a.split == 0 else None),
        to_layout(b, 0, b.counts if b.split == 0 else None),
    )
    t = torch.cat([a.larray.to(common.torch), b.larray.to(common.torch)])
    counts = tuple(i + j for i, j in zip(a.counts, b.counts, strict=True))
    return DNDarray(t, (sum(counts),), common, 0, a.device, a.comm, counts=counts)


def union1d(ar1: Any, ar2: Any) -> DNDarray:
    """The sorted unique values of both arrays, as ``numpy.union1d``.

    Examples
    --------
    >>> ht.union1d(ht.array([3, 1], split=0), [2, 1]).numpy()
    array([1, 2, 3])
    """
    return unique(_concat_flat(ar1, ar2, "union1d"))  # type: ignore[no-any-return]


def setdiff1d(ar1: Any, ar2: Any, assume_unique: bool = False) -> DNDarray:
    """The unique values of ``ar1`` not in ``ar2``, sorted, as ``numpy.setdiff1d`` (with
    ``assume_unique=True`` the values of the flattened ``ar1`` in their input order).

    Examples
    --------
    >>> ht.setdiff1d(ht.array([5, 1, 3, 1], split=0), [3]).numpy()
    array([1, 5])
    """
    u1 = _flat(ar1, "setdiff1d") if assume_unique else unique(ar1)
    return _compress(u1, isin(u1, ar2, invert=True).larray)
