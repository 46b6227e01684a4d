"""Finite differences along an axis: local, plus one slice from the next rank's block when the
axis is the split axis (a halo exchange, no gather)."""

from __future__ import annotations

from typing import Any

import torch

from . import layout, types
from .dndarray import DNDarray

__all__ = ["diff"]


def _diff_once(x: DNDarray, axis: int) -> DNDarray:
    gshape = list(x.gshape)
    gshape[axis] = max(0, gshape[axis] - 1)
    t = x.larray

    def kernel(u: torch.Tensor) -> torch.Tensor:
        if types.is_bool(x.dtype):
            n = u.shape[axis] - 1
            return torch.logical_xor(u.narrow(axis, 1, n), u.narrow(axis, 0, n))
        return torch.diff(u, dim=axis)

    if x.split != axis or x.comm.size == 1:
        local = kernel(t) if t.shape[axis] > 0 else t
        counts = None if x.split is None else (x.counts if x.split != axis else (local.shape[axis],))
        return DNDarray(local, tuple(gshape), x.dtype, x.split, x.device, x.comm, counts=counts)
    from .redistribution import get_halo

    _, nxt = get_halo(x, 1)
    counts, offs = x.counts_displs()
    n = x.gshape[axis]
    new_counts = tuple(
        0 if c == 0 else (c if o + c < n else c - 1) for c, o in zip(counts, offs, strict=True)
    )
    if t.shape[axis] == 0:
        local = t
    else:
        ext = torch.cat([t, nxt], dim=axis) if nxt is not None else t
        local = kernel(ext)
    assert local.shape[axis] == new_counts[x.comm.rank]
    return DNDarray(local, tuple(gshape), x.dtype, axis, x.device, x.comm, counts=new_counts)


def diff(a: Any, n: int = 1, axis: int = -1, prepend: Any = None, append: Any = None) -> DNDarray:
    """The ``n``-th discrete difference along ``axis``, as ``numpy.diff``.

    Along the split axis each rank borrows the first slice of the next non-empty block
    (:func:`heat.get_halo`); the result's blocks shrink by one on the rank holding the last
    slice.

    Examples
    --------
    >>> ht.diff(ht.array([1, 4, 9, 16], split=0)).numpy()
    array([3, 5, 7])
    """
    from . import factories
    from ._operations import to_operand

    x = to_operand(a)
    if not isinstance(x, DNDarray):
        x = factories.array(x)
    if x.ndim == 0:
        raise ValueError("diff requires input that is at least one dimensional")
    if n < 0:
        raise ValueError(f"diff: order must be non-negative but got {n}")
    ax = layout.normalize_split(axis, x.ndim, "axis")
    assert ax is not None
    if prepend is not None or append is not None:
        x = _extend(x, ax, prepend, append)
    for _ in range(n):
        x = _diff_once(x, ax)
    return x


def _extend(x: DNDarray, axis: int, prepend: Any, append: Any) -> DNDarray:
    """``x`` with ``prepend``/``append`` joined along ``axis`` (scalars broadcast to one slice).

    The extra slices are arguments every rank holds; ``x`` itself is not gathered: along the
    split axis they join the first and the last rank's blocks, otherwise every rank joins its
    own part of them."""
    import numpy as np

    def piece(v: Any) -> torch.Tensor:
        arr = v.numpy() if isinstance(v, DNDarray) else np.asarray(v)
        if arr.ndim == 0:
            shape = list(x.gshape)
            shape[axis] = 1
            arr = np.broadcast_to(arr, shape)
        t = torch.as_tensor(np.ascontiguousarray(arr)).to(x.larray.device)
        if x.split is not None and x.split != axis:
            t = t[layout.local_slice(x.split, x.counts, x.comm.rank, x.ndim)]
        return t

    pre = piece(prepend) if prepend is not None else None
    app = piece(append) if append is not None else None
    dtype = types.result_type(x.dtype, *[types.from_torch(p.dtype) for p in (pre, app) if p is not None])
    rank, size = x.comm.rank, x.comm.size
    along_split = x.split == axis
    parts = []
    if pre is not None and (not along_split or rank == 0):
        parts.append(pre)
    parts.append(x.larray)
    if app is not None and (not along_split or rank == size - 1):
        parts.append(app)
    local = torch.cat([p.to(dtype.torch) for p in parts], dim=axis)
    gshape = list(x.gshape)
    gshape[axis] += (pre.shape[axis] if pre is not None else 0) + (app.shape[axis] if app is not None else 0)
    counts = None
    if x.split is not None:
        counts = list(x.counts)
        if along_split:
            counts[0] += pre.shape[axis] if pre is not None else 0
            counts[-1] += app.shape[axis] if app is not None else 0
    return DNDarray(local, tuple(gshape), dtype, x.split, x.device, x.comm, counts=counts)
