"""Matrix-shaped helpers: trace, triangles, transpose, Kronecker and cross products.

All of them are local on every rank's block once the block's global offset is known
(triangles shift their diagonal by it); only ``trace`` along the split axis combines partial
sums with one all-reduce.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import torch

from heat.core import types
from heat.core.dndarray import DNDarray
from heat.core.redistribution import align, to_layout

from ._operands import as_array, operands, wrap

__all__ = ["cross", "kron", "matrix_transpose", "trace", "tril", "triu"]


def _need_matrix(name: str, x: DNDarray) -> None:
    if x.ndim < 2:
        raise ValueError(f"{name}: expected an array of at least 2 dimensions, got shape {x.gshape}")


def _offset(x: DNDarray) -> int:
    return x.counts_displs()[1][x.comm.rank] if x.split is not None else 0


def _triangle(name: str, fn: Any, x: Any, k: int) -> DNDarray:
    x = as_array(x)
    _need_matrix(name, x)
    k = int(k)
    shift = 0
    if x.split == x.ndim - 2:
        shift = _offset(x)
    elif x.split == x.ndim - 1:
        shift = -_offset(x)
    result: DNDarray = x._like(fn(x.larray, k + shift))
    return result


def tril(x: Any, /, k: int = 0) -> DNDarray:
    """Lower triangle of the last two axes: elements above diagonal ``k`` become zero (local;
    each rank shifts the diagonal by its block's offset).

    Examples
    --------
    >>> import heat as ht
    >>> ht.tril(ht.ones((3, 3), split=0)).sum().item()
    6.0
    """
    return _triangle("tril", torch.tril, x, k)


def triu(x: Any, /, k: int = 0) -> DNDarray:
    """Upper triangle of the last two axes: elements below diagonal ``k`` become zero (local).

    Examples
    --------
    >>> import heat as ht
    >>> ht.triu(ht.ones((3, 3), split=1), k=1).sum().item()
    3.0
    """
    return _triangle("triu", torch.triu, x, k)


def matrix_transpose(x: Any, /) -> DNDarray:
    """The last two axes swapped (local; the split axis moves with them).

    Examples
    --------
    >>> import heat as ht
    >>> ht.matrix_transpose(ht.ones((2, 3), split=0)).split
    1
    """
    x = as_array(x)
    _need_matrix("matrix_transpose", x)
    return cast(DNDarray, x.mT)


def trace(x: Any, /, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None) -> DNDarray:
    """Sum along the diagonal ``offset`` of the axes ``axis1``, ``axis2`` (NumPy's ``trace``).

    Local when the split axis is another one (the result keeps it); when the diagonal runs
    across the split axis every rank sums its part and one all-reduce combines them (the
    result is replicated).

    Examples
    --------
    >>> import heat as ht
    >>> ht.trace(ht.eye(4, split=0)).item()
    4.0
    """
    x = as_array(x)
    _need_matrix("trace", x)
    nd = x.ndim
    if not (-nd <= axis1 < nd and -nd <= axis2 < nd) or axis1 % nd == axis2 % nd:
        raise ValueError(f"trace: axis1={axis1}, axis2={axis2} are not two distinct axes of a {nd}-d array")
    a1, a2 = axis1 % nd, axis2 % nd
    sample = np.trace(np.empty((0, 0), dtype=(types.float16 if x.dtype is types.bfloat16 else x.dtype).numpy))
    out_dt = types.canonical(sample.dtype) if dtype is None else types.canonical(dtype)
    if x.dtype is types.bfloat16 and dtype is None:
        out_dt = types.bfloat16
    shift = 0
    if x.split == a1:
        shift = _offset(x)
    elif x.split == a2:
        shift = -_offset(x)
    t = torch.diagonal(x.larray, offset + shift, a1, a2).to(out_dt.torch).sum(-1)
    shape = tuple(s for i, s in enumerate(x.gshape) if i not in (a1, a2))
    if x.split in (a1, a2) and x.is_distributed():
        t = x.comm.unchecked.allreduce(t.contiguous(), "sum")
        return wrap(x, t, shape, None)
    if x.split is None or x.split in (a1, a2):
        return wrap(x, t, shape, None)
    split = x.split - sum(1 for a in (a1, a2) if a < x.split)
    return wrap(x, t, shape, split, x.counts)


def kron(a: Any, b: Any, /) -> DNDarray:
    """Kronecker product (NumPy's ``kron``).

    ``a``'s blocks stay where they are: each rank multiplies its block by the whole of ``b``,
    so ``b`` is replicated when it is split (an all-gather of the second factor, usually the
    small one). The result is split like ``a`` (block sizes scaled by ``b``'s length).

    Examples
    --------
    >>> import heat as ht
    >>> ht.kron(ht.eye(2, split=0), ht.ones((2, 2))).shape
    (4, 4)
    """
    a, b = operands(a, b)
    dt = types.result_type(a.dtype, b.dtype)
    nd = max(a.ndim, b.ndim)
    if b.split is not None and b.is_distributed():
        b = to_layout(b, None)
    ta = a.larray.reshape((1,) * (nd - a.ndim) + tuple(a.larray.shape)).to(dt.torch)
    tb = b.larray.reshape((1,) * (nd - b.ndim) + tuple(b.larray.shape)).to(dt.torch)
    ga = (1,) * (nd - a.ndim) + a.gshape
    gb = (1,) * (nd - b.ndim) + b.gshape
    shape = tuple(x * y for x, y in zip(ga, gb, strict=True))
    t = torch.kron(ta.to(torch.uint8), tb.to(torch.uint8)).bool() if dt is types.bool else torch.kron(ta, tb)
    if a.split is None or not a.is_distributed():
        return wrap(a, t, shape, None)
    split = a.split + nd - a.ndim
    return wrap(a, t, shape, split, [c * gb[split] for c in a.counts])


def cross(a: Any, b: Any, /, *, axis: int = -1) -> DNDarray:
    """Cross product of 3-element vectors along ``axis`` (2-element vectors are taken with a
    zero third component; both 2-element gives the scalar z-component, as NumPy).

    Elementwise along the other axes: the operands are aligned with the core's broadcasting
    rule. An operand split along the vector axis is first resplit along another axis (an
    all-to-all) or, for 1-d vectors, replicated (three elements).

    Examples
    --------
    >>> import heat as ht
    >>> ht.cross(ht.array([1.0, 0, 0]), ht.array([0.0, 1, 0])).numpy()
    array([0., 0., 1.])
    """
    a, b = operands(a, b)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError("cross: operands must be at least 1-d")
    la, lb = a.gshape[axis], b.gshape[axis]
    if la not in (2, 3) or lb not in (2, 3):
        raise ValueError(
            f"cross: the vector axis {axis} must have 2 or 3 elements, shapes are {a.gshape} and {b.gshape}"
        )
    dt = types.result_type(a.dtype, b.dtype)
    if types.is_bool(dt):
        raise TypeError("cross: boolean operands are not supported; cast them to a number type")

    def to_last(x: DNDarray) -> DNDarray:
        ax = axis % x.ndim
        perm = [i for i in range(x.ndim) if i != ax] + [ax]
        x = x.transpose(perm)
        if x.split == x.ndim - 1 and x.is_distributed():
            x = to_layout(x, None if x.ndim == 1 else 0)
        return x

    a, b = align(to_last(a), to_last(b))
    ta, tb = a.larray.to(dt.torch), b.larray.to(dt.torch)
    if la == 2:
        ta = torch.nn.functional.pad(ta, (0, 1))
    if lb == 2:
        tb = torch.nn.functional.pad(tb, (0, 1))
    shape_ab = tuple(np.broadcast_shapes(tuple(ta.shape), tuple(tb.shape)))
    ta, tb = ta.expand(shape_ab), tb.expand(shape_ab)
    t = torch.linalg.cross(ta, tb, dim=-1)
    ref = a if a.split is not None else b
    shape = (*np.broadcast_shapes(a.gshape[:-1], b.gshape[:-1]), 3)
    split = None if ref.split is None else ref.split + len(shape) - ref.ndim
    counts = ref.counts if ref.split is not None else None
    if la == 2 and lb == 2:
        return wrap(ref, t[..., 2], shape[:-1], split, counts)
    result = wrap(ref, t, shape, split, counts)
    res_axis = axis % len(shape) if axis < 0 else axis
    if res_axis != len(shape) - 1:
        perm = list(range(len(shape) - 1))
        perm.insert(res_axis, len(shape) - 1)
        result = result.transpose(perm)
    return result
