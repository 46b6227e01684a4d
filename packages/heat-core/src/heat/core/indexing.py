"""Indexing: ``__getitem__``/``__setitem__`` with NumPy semantics, ``where``, ``nonzero`` and
friends. Distributed keys are routed to their owners with all-to-all-v, never gathered whole.

Result layouts (see ``docs/indexing.md`` for the design):

* basic indexing (ints, slices, ``...``, ``None``) keeps the split axis where it survives; a
  slice of the split axis gives an unbalanced layout with no communication (a negative step
  adds one all-to-all-v that puts the blocks back in rank order); an integer on the split axis
  gives a replicated result, broadcast from the owner;
* an integer array or several, on the split axis: the result is split along the key axes like
  the key (a replicated key is cut evenly); each rank fetches the rows its part of the key
  names from their owners (request/response, two all-to-all-v);
* a boolean mask over the split axis: aligned with the array, applied locally; the result is
  split along the mask's axis with the block sizes the mask gives.

Examples
--------
>>> x = ht.arange(10, split=0)
>>> x[ht.array([7, 1, 7], split=0)].numpy()
array([7, 1, 7])
>>> x[x % 3 == 0].numpy()
array([0, 3, 6, 9])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from . import types
from ._getset import getitem, setitem
from ._routing import agree_bounds
from .dndarray import DNDarray
from .redistribution import to_layout

__all__ = [
    "argwhere",
    "compress",
    "extract",
    "flatnonzero",
    "nonzero",
    "put",
    "take",
    "take_along_axis",
    "where",
]


def _as_array(x: Any, like: DNDarray | None = None) -> DNDarray:
    if isinstance(x, DNDarray):
        return x
    from .factories import array

    if like is None:
        return array(x, copy=None)
    return array(x, copy=None, device=like.device, comm=like.comm)


def _gathered_counts(x: DNDarray, n: int) -> tuple[int, ...]:
    """Every rank's ``n`` (one small all-gather)."""
    every = x.comm.unchecked.allgather(torch.tensor([n], dtype=torch.int64), counts=[1] * x.comm.size)
    return tuple(int(c) for c in every.tolist())


def _flat(x: DNDarray) -> DNDarray:
    """``x`` as a 1-d array in C order (re-split to axis 0 first when split along another
    axis: one all-to-all)."""
    if not x.is_distributed():
        t = x.larray.reshape(-1)
        split = None if x.split is None else 0
        return DNDarray(
            t, (x.size,), x.dtype, split, x.device, x.comm, counts=None if split is None else (t.numel(),)
        )
    if x.split != 0:
        x = to_layout(x, 0)
    row = math.prod(x.gshape[1:])
    return DNDarray(
        x.larray.reshape(-1), (x.size,), x.dtype, 0, x.device, x.comm, counts=tuple(c * row for c in x.counts)
    )


# ---------------------------------------------------------------------- nonzero family
def _nonzero_local(x: DNDarray) -> tuple[torch.Tensor, tuple[int, ...] | None, DNDarray]:
    """The (n, ndim) indices of x's non-zeros: this rank's rows and every rank's row count
    (None when replicated). Split arrays are re-split to axis 0 first (C order across ranks)."""
    if not x.is_distributed():
        return torch.nonzero(x.larray), None, x
    if x.split != 0:
        x = to_layout(x, 0)
    idx = torch.nonzero(x.larray)
    start = sum(x.counts[: x.comm.rank])
    idx[:, 0] += start
    return idx, _gathered_counts(x, idx.shape[0]), x


def nonzero(x: Any) -> tuple[DNDarray, ...]:
    """The indices of the non-zero elements, one 1-d array per axis, in C order.

    For a split array each rank finds the non-zeros of its block (an array split along an
    axis other than 0 is re-split to axis 0 first, one all-to-all); the index arrays are split
    along axis 0 with the block sizes that gives (one small all-gather of the counts).

    Examples
    --------
    >>> ht.nonzero(ht.array([[0, 1], [2, 0]], split=0))[1].numpy()
    array([1, 0])
    """
    x = _as_array(x)
    if x.ndim == 0:
        raise ValueError(
            "nonzero: a 0-d array has no axes to index; use ht.atleast_1d(x) or x.reshape(1) first"
        )
    idx, counts, x = _nonzero_local(x)
    split = None if counts is None else 0
    n = idx.shape[0] if counts is None else sum(counts)
    return tuple(
        DNDarray(idx[:, j].contiguous(), (n,), types.int64, split, x.device, x.comm, counts=counts)
        for j in range(x.ndim)
    )


def argwhere(x: Any) -> DNDarray:
    """The indices of the non-zero elements as an (n, ndim) array, split along axis 0 like
    :func:`nonzero`'s arrays.

    Examples
    --------
    >>> ht.argwhere(ht.array([0, 3, 0, 4])).numpy()
    array([[1],
           [3]])
    """
    x = _as_array(x)
    if x.ndim == 0:
        t = torch.nonzero(x.larray.reshape(1))[:, :0]
        return DNDarray(t, tuple(t.shape), types.int64, None, x.device, x.comm)
    idx, counts, x = _nonzero_local(x)
    split = None if counts is None else 0
    n = idx.shape[0] if counts is None else sum(counts)
    return DNDarray(idx, (n, x.ndim), types.int64, split, x.device, x.comm, counts=counts)


def flatnonzero(x: Any) -> DNDarray:
    """Indices of the non-zero elements of ``x`` flattened (C order); split like :func:`nonzero`.

    Examples
    --------
    >>> ht.flatnonzero(ht.array([[0, 1], [2, 0]])).numpy()
    array([1, 2])
    """
    flat = _flat(_as_array(x))
    idx, counts, flat = _nonzero_local(flat)
    n = idx.shape[0] if counts is None else sum(counts)
    return DNDarray(
        idx[:, 0].contiguous(),
        (n,),
        types.int64,
        None if counts is None else 0,
        flat.device,
        flat.comm,
        counts=counts,
    )


def _operand(x: Any) -> DNDarray | bool | int | float | complex:
    if isinstance(x, DNDarray) or type(x) in (bool, int, float, complex):
        return x  # type: ignore[no-any-return]
    return _as_array(x)


def where(condition: Any, x: Any = None, y: Any = None) -> DNDarray | tuple[DNDarray, ...]:
    """``x`` where ``condition`` holds, else ``y`` (broadcasting as NumPy); with ``condition``
    alone, :func:`nonzero`.

    The operands are brought to the layout of the largest split operand (nothing moves when
    they already agree; a replicated operand is sliced locally) and the selection is local.

    Examples
    --------
    >>> ht.where(ht.arange(4, split=0) > 1, 1.0, -1.0).numpy()
    array([-1., -1.,  1.,  1.])
    """
    if x is None and y is None:
        return nonzero(condition)
    if x is None or y is None:
        raise ValueError("where: either both or neither of x and y must be given")
    ops = [_operand(condition), _operand(x), _operand(y)]
    arrays = [o for o in ops if isinstance(o, DNDarray)]
    if not arrays:
        arrays = [_as_array(condition)]
        ops[0] = arrays[0]
    dtype = types.result_type(ops[1], ops[2])
    try:
        shape = tuple(np.broadcast_shapes(*[a.gshape for a in arrays]))
    except ValueError:
        shown = " ".join(str(a.gshape) for a in arrays)
        raise ValueError(f"where: operands could not be broadcast together with shapes {shown}") from None
    ndim = len(shape)

    def out_axis(a: DNDarray) -> int | None:
        if a.split is None:
            return None
        axis = a.split + ndim - a.ndim
        return axis if a.gshape[a.split] == shape[axis] != 1 else None

    anchors = [a for a in arrays if out_axis(a) is not None]
    ref = max(anchors, key=lambda a: a.nbytes) if anchors else None
    axis = None if ref is None else out_axis(ref)
    local_shape = list(shape)
    if axis is not None and ref is not None:
        local_shape[axis] = ref.counts[ref.comm.rank]
    tensors: list[Any] = []
    for o in ops:
        if not isinstance(o, DNDarray):
            tensors.append(o)
            continue
        own = None if axis is None else axis - (ndim - o.ndim)
        if ref is not None and own is not None and own >= 0 and o.gshape[own] == shape[axis or 0]:
            tensors.append(to_layout(o, own, ref.counts).larray)  # no-op when aligned
        else:
            tensors.append(o.larray if o.split is None else to_layout(o, None).larray)
    device = arrays[0].larray.device
    cond = tensors[0]
    cond = cond.to(torch.bool) if isinstance(cond, torch.Tensor) else torch.tensor(bool(cond), device=device)
    a, b = (
        t.to(dtype.torch)
        if isinstance(t, torch.Tensor)
        else torch.tensor(t, dtype=dtype.torch, device=device)
        for t in tensors[1:]
    )
    local = torch.where(cond, a, b).expand(local_shape)
    if tuple(local.stride()) != tuple(local.contiguous().stride()):
        local = local.contiguous()
    ref_any = ref if ref is not None else arrays[0]
    return DNDarray(
        local, shape, dtype, axis, ref_any.device, ref_any.comm, counts=None if ref is None else ref.counts
    )


# ---------------------------------------------------------------------- take / put family
def _wrap_mode(key: Any, n: int, mode: str, name: str) -> Any:
    if mode == "raise":
        return key
    if mode not in ("wrap", "clip"):
        raise ValueError(f"{name}: mode must be 'raise', 'wrap' or 'clip', got {mode!r}")
    if n == 0:
        raise IndexError(f"{name}: cannot do a non-empty take from an empty axis")

    def fix(t: torch.Tensor) -> torch.Tensor:
        return t.remainder(n) if mode == "wrap" else t.clamp(0, n - 1)

    if isinstance(key, DNDarray):
        return key._like(fix(key.larray.to(torch.int64)))
    if type(key) is int:
        return int(fix(torch.tensor(key)))
    return fix(torch.as_tensor(np.asarray(key)).to(torch.int64))


def take(a: Any, indices: Any, axis: int | None = None, mode: str = "raise") -> DNDarray:
    """Elements of ``a`` along ``axis`` (of the flattened array when None) at ``indices``.

    Same as ``a[..., indices, ...]``: distributed indices along the split axis are routed to
    their owners; the result is split like ``indices`` there.

    Examples
    --------
    >>> ht.take(ht.arange(10, split=0) * 10, [3, -1]).numpy()
    array([30, 90])
    """
    a = _as_array(a)
    if axis is None:
        a, axis = _flat(a), 0
    else:
        from .layout import normalize_split

        axis = normalize_split(axis, a.ndim, "take: axis")
        assert axis is not None
    indices = _wrap_mode(indices, a.gshape[axis], mode, "take")
    if not isinstance(indices, DNDarray | int) and not isinstance(indices, torch.Tensor):
        indices = torch.as_tensor(np.asarray(indices))
    return getitem(a, (slice(None),) * axis + (indices,))


def take_along_axis(arr: Any, indices: Any, axis: int | None) -> DNDarray:
    """``arr``'s elements at ``indices`` along ``axis`` (``indices`` has ``arr``'s number of
    dimensions and broadcasts against it elsewhere), as NumPy.

    Local when ``arr`` is not split along ``axis`` (``indices`` is brought to ``arr``'s layout);
    along the split axis every index is routed to its owner (see :func:`take`).

    Examples
    --------
    >>> x = ht.array([[10, 30, 20], [60, 40, 50]], split=0)
    >>> ht.take_along_axis(x, ht.argmax(x, axis=1, keepdims=True), axis=1).numpy()
    array([[30],
           [60]])
    """
    arr = _as_array(arr)
    idx = _as_array(indices, arr)
    if axis is None:
        arr, axis = _flat(arr), 0
        if idx.ndim != 1:
            raise ValueError("take_along_axis: with axis=None the indices must be 1-d")
    from .layout import normalize_split

    axis = normalize_split(axis, arr.ndim, "take_along_axis: axis")
    assert axis is not None
    if idx.ndim != arr.ndim:
        raise ValueError(
            f"take_along_axis: indices ({idx.ndim}-d) and arr ({arr.ndim}-d) must have the same number "
            "of dimensions"
        )
    if not types.is_integer(idx.dtype):
        raise IndexError(f"take_along_axis: indices must be integers, got {idx.dtype}")
    try:
        other = np.broadcast_shapes(
            tuple(s for d, s in enumerate(arr.gshape) if d != axis),
            tuple(s for d, s in enumerate(idx.gshape) if d != axis),
        )
    except ValueError:
        raise ValueError(
            f"take_along_axis: shape mismatch between arr {arr.gshape} and indices {idx.gshape} "
            f"outside axis {axis}"
        ) from None
    shape = list(other)
    shape.insert(axis, idx.gshape[axis])
    if arr.is_distributed() and arr.split == axis:
        keys: list[Any] = []
        for d in range(arr.ndim):
            if d == axis:
                keys.append(idx)
            else:
                view = [1] * arr.ndim
                view[d] = shape[d]
                keys.append(torch.arange(shape[d]).reshape(view))
        return getitem(arr, tuple(keys))
    # local: bring the indices to arr's layout (or arr to the indices' when arr is replicated)
    n = arr.gshape[axis]
    split: int | None = None
    counts: tuple[int, ...] | None = None
    if arr.is_distributed() and arr.gshape[arr.split or 0] == shape[arr.split or 0] != 1:
        split, counts = arr.split, arr.counts
        if idx.gshape[arr.split or 0] == shape[arr.split or 0]:
            idx = to_layout(idx, split, counts)
        else:
            idx = to_layout(idx, None)
    else:
        if arr.is_distributed():
            arr = to_layout(arr, None)
        if idx.is_distributed() and idx.gshape[idx.split or 0] == shape[idx.split or 0] != 1:
            split, counts = idx.split, idx.counts
        elif idx.is_distributed():
            idx = to_layout(idx, None)
    t, k = arr.larray, idx.larray.to(torch.int64)
    local = list(shape)
    if split is not None and counts is not None:
        local[split] = counts[arr.comm.rank]
        start = sum(counts[: arr.comm.rank])
        if t.shape[split] == shape[split] and split != axis and not arr.is_distributed():
            t = t.narrow(split, start, local[split])
        if k.shape[split] == shape[split] and not idx.is_distributed():
            k = k.narrow(split, start, local[split])
    bad_hi = int(k.max()) if k.numel() else 0
    bad_lo = int(k.min()) if k.numel() else 0
    bad = bad_hi if bad_hi >= n else bad_lo if bad_lo < -n else None
    message = f"index {{value}} is out of bounds for axis {axis} with size {n}"
    if idx.is_distributed():
        agree_bounds(arr.comm, bad, message)
    elif bad is not None:
        raise IndexError(message.format(value=bad))
    k = torch.where(k < 0, k + n, k)
    src_shape = list(local)
    src_shape[axis] = n
    t = t.expand(src_shape)
    k = k.expand(local).to(t.device)
    return DNDarray(
        torch.gather(t, axis, k), tuple(shape), arr.dtype, split, arr.device, arr.comm, counts=counts
    )


def put(a: DNDarray, ind: Any, v: Any, mode: str = "raise") -> None:
    """``a.flat[ind] = v`` in place; ``v`` is repeated to the length of ``ind`` (NumPy's
    ``put``). Distributed indices travel with their values to the owning ranks.

    Examples
    --------
    >>> x = ht.zeros(5, split=0)
    >>> ht.put(x, [0, 4], [1.0, 2.0])
    >>> x.numpy()
    array([1., 0., 0., 0., 2.])
    """
    if not isinstance(a, DNDarray):
        raise TypeError(f"put: a must be a DNDarray, got {type(a).__name__}")
    size = a.size
    ind = _wrap_mode(ind, size, mode, "put")
    if isinstance(ind, DNDarray):
        flat_ind = _flat(ind)
        local = flat_ind.larray.to(torch.int64)
        distributed = flat_ind.is_distributed()
        count = flat_ind.size
    else:
        local = torch.as_tensor(np.asarray(ind)).reshape(-1).to(torch.int64)
        distributed, count = False, local.numel()
        flat_ind = None
    if not types.is_integer(types.from_torch(local.dtype)):
        raise TypeError("put: indices must be integers")
    bad = None
    if local.numel():
        hi, lo = int(local.max()), int(local.min())
        bad = hi if hi >= size else lo if lo < -size else None
    message = f"index {{value}} is out of bounds for axis 0 with size {size}"
    if distributed:
        agree_bounds(a.comm, bad, message)
    elif bad is not None:
        raise IndexError(message.format(value=bad))
    if count == 0:
        return
    local = torch.where(local < 0, local + size, local)
    # unravel the flat indices into one key per axis (same layout as the indices)
    keys: list[Any] = []
    rest = local
    for n in reversed(a.gshape):
        keys.append(rest % n)
        rest = rest // n
    keys.reverse()
    if flat_ind is not None and distributed:
        keys = [flat_ind._like(k) for k in keys]
    values: Any = v
    vsize = (
        v.size
        if isinstance(v, DNDarray)
        else int(np.size(v))
        if not isinstance(v, torch.Tensor)
        else v.numel()
    )
    if vsize == 0:
        return
    if vsize != count:
        if isinstance(v, DNDarray):
            values = to_layout(v, None).larray.reshape(-1)
        else:
            values = torch.as_tensor(np.asarray(v)).reshape(-1)
        values = values.repeat(-(-count // vsize))[:count]
    elif isinstance(v, DNDarray):
        values = _flat(v)
    else:
        values = torch.as_tensor(np.asarray(v)).reshape(-1)
    if a.ndim == 0:
        a.larray[()] = values.larray[-1] if isinstance(values, DNDarray) else values[-1]
        return
    setitem(a, tuple(keys), values)


def extract(condition: Any, arr: Any) -> DNDarray:
    """The elements of ``arr`` (flattened) where ``condition`` (flattened) is non-zero.

    Both are flattened in C order (re-split to axis 0 when split along another axis); the
    condition is aligned with ``arr`` and applied locally, so the result is split like the
    flattened ``arr`` with the block sizes the condition gives.

    Examples
    --------
    >>> ht.extract(ht.arange(6, split=0) % 2 == 0, ht.arange(6, split=0) * 10).numpy()
    array([ 0, 20, 40])
    """
    arr = _as_array(arr)
    cond = _as_array(condition, arr)
    if cond.size != arr.size:
        raise ValueError(
            f"extract: condition has {cond.size} elements but arr has {arr.size}; they must match"
        )
    flat_cond = _flat(cond)
    mask = flat_cond._like(flat_cond.larray != 0) if not types.is_bool(cond.dtype) else flat_cond
    return getitem(_flat(arr), mask if mask.is_distributed() else mask.larray)


def compress(condition: Any, a: Any, axis: int | None = None) -> DNDarray:
    """The slices of ``a`` along ``axis`` (the flattened ``a`` when None) where the 1-d
    ``condition`` is true; a shorter condition selects among the first slices only.

    Examples
    --------
    >>> ht.compress([False, True], ht.array([[1, 2], [3, 4]], split=0), axis=0).numpy()
    array([[3, 4]])
    """
    a = _as_array(a)
    cond = _as_array(condition, a)
    if cond.ndim != 1:
        raise ValueError(f"compress: condition must be 1-d, got {cond.ndim}-d")
    if axis is None:
        a, axis = _flat(a), 0
    else:
        from .layout import normalize_split

        axis = normalize_split(axis, a.ndim, "compress: axis")
        assert axis is not None
    truth = cond._like(cond.larray != 0) if not types.is_bool(cond.dtype) else cond
    if truth.gshape[0] == a.gshape[axis]:
        key: Any = truth if truth.is_distributed() else truth.larray
    else:
        key = nonzero(truth)[0]
        if not key.is_distributed():
            key = key.larray
    return getitem(a, (slice(None),) * axis + (key,))


# ---------------------------------------------------------------------- methods
def _install_methods() -> None:
    def _nonzero(self: DNDarray) -> tuple[DNDarray, ...]:
        return nonzero(self)

    def _take(self: DNDarray, indices: Any, axis: int | None = None, mode: str = "raise") -> DNDarray:
        return take(self, indices, axis, mode)

    def _put(self: DNDarray, ind: Any, v: Any, mode: str = "raise") -> None:
        put(self, ind, v, mode)

    def _compress(self: DNDarray, condition: Any, axis: int | None = None) -> DNDarray:
        return compress(condition, self, axis)

    methods: dict[str, Any] = {
        "__getitem__": getitem,
        "__setitem__": setitem,
        "nonzero": _nonzero,
        "take": _take,
        "put": _put,
        "compress": _compress,
    }
    for name, fn in methods.items():
        setattr(DNDarray, name, fn)


_install_methods()
