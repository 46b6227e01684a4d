"""Contractions built on :func:`matmul` and the core reductions: dot, vdot, vecdot, inner,
outer, tensordot, einsum.

``tensordot`` folds each operand into a matrix with local reshapes only: the operand's split
axis is moved to the front of its group (free or contracted axes), so every rank's block stays
one contiguous block of the folded matrix; ``matmul`` then applies its split-pair rule, and the
result is unfolded (locally) and its axes permuted back.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any, cast

import torch

import heat.core
from heat.core import layout, types
from heat.core.dndarray import DNDarray
from heat.core.redistribution import to_layout

from ._operands import as_array, compute_dtype, deliver, operands, wrap
from .products import matmul

core: Any = heat.core  # elementwise functions are generated from a table (untyped for mypy)

__all__ = ["dot", "einsum", "inner", "outer", "tensordot", "vdot", "vecdot"]


def _fold(x: DNDarray, rows: list[int], cols: list[int]) -> DNDarray:
    """``x`` with axes ``rows`` merged into the first and ``cols`` into the second axis of a
    matrix (local: the split axis must lead its group)."""
    t = x.larray.permute(*rows, *cols)
    lr = math.prod(t.shape[: len(rows)])
    lc = math.prod(t.shape[len(rows) :])
    shape = (math.prod(x.gshape[a] for a in rows), math.prod(x.gshape[a] for a in cols))
    if x.split is None or not x.is_distributed():
        return wrap(x, t.reshape(lr, lc), shape, None)
    group = rows if x.split in rows else cols
    assert group[0] == x.split
    rest = math.prod(x.gshape[a] for a in group[1:])
    return wrap(x, t.reshape(lr, lc), shape, 0 if group is rows else 1, [c * rest for c in x.counts])


def _unfold(x: DNDarray, row_shape: Sequence[int], col_shape: Sequence[int]) -> DNDarray:
    """The matrix ``x`` with its axes split back into ``row_shape`` and ``col_shape`` (an
    all-to-all-v first when its blocks do not fall on whole slices of the leading axis)."""
    shape = (*row_shape, *col_shape)
    if x.split is not None and x.is_distributed():
        group = row_shape if x.split == 0 else col_shape
        rest = math.prod(group[1:])
        if not group or x.size == 0:  # a vanishing length-1 axis, or nothing to hold
            x = to_layout(x, None)
        elif any(c % rest for c in x.counts):
            x = to_layout(x, x.split, [c * rest for c in layout.balanced_counts(group[0], x.comm.size)])
    if x.split is None or not x.is_distributed():
        return wrap(x, x.larray.reshape(shape), shape, None)
    group = row_shape if x.split == 0 else col_shape
    rest = math.prod(group[1:])
    counts = [c // rest for c in x.counts]
    axis = 0 if x.split == 0 else len(row_shape)
    local = list(shape)
    local[axis] = counts[x.comm.rank]
    return wrap(x, x.larray.reshape(local), shape, axis, counts)


def _normalize_axes(name: str, axes: Any, ndim_a: int, ndim_b: int) -> tuple[list[int], list[int]]:
    if isinstance(axes, int):
        if axes < 0 or axes > min(ndim_a, ndim_b):
            raise ValueError(f"{name}: axes={axes} must be in [0, {min(ndim_a, ndim_b)}]")
        return list(range(ndim_a - axes, ndim_a)), list(range(axes))
    try:
        xa, xb = axes
    except (TypeError, ValueError):
        raise ValueError(f"{name}: axes must be an int or a pair of axis sequences, got {axes!r}") from None
    xa = [xa] if isinstance(xa, int) else list(xa)
    xb = [xb] if isinstance(xb, int) else list(xb)
    if len(xa) != len(xb):
        raise ValueError(f"{name}: axes {xa} and {xb} have different lengths")
    for axs, nd in ((xa, ndim_a), (xb, ndim_b)):
        if any(not -nd <= ax < nd for ax in axs):
            raise ValueError(f"{name}: axes {axs} out of range for a {nd}-d operand")
    return [ax % ndim_a for ax in xa], [ax % ndim_b for ax in xb]


def tensordot(a: Any, b: Any, axes: Any = 2) -> DNDarray:
    """Sum products over the axes ``axes`` of ``a`` and ``b`` (NumPy's ``tensordot``).

    Each operand is folded into a matrix by local reshapes and the contraction is one
    :func:`matmul` (its split-pair rule decides the algorithm). When both operands are split
    along contracted axes that are not paired, ``b`` is resplit to pair them (an all-to-all).
    The result is split along the axis that carries an operand's split, or replicated.

    Examples
    --------
    >>> import heat as ht
    >>> ht.tensordot(ht.ones((3, 4, 5), split=0), ht.ones((4, 5, 2)), axes=2).shape
    (3, 2)
    """
    a, b = operands(a, b)
    xa, xb = _normalize_axes("tensordot", axes, a.ndim, b.ndim)
    for i, j in zip(xa, xb, strict=True):
        if a.gshape[i] != b.gshape[j]:
            raise ValueError(
                f"tensordot: shape mismatch for a contracted axis: a{a.gshape} axis {i} has "
                f"{a.gshape[i]} elements, b{b.gshape} axis {j} has {b.gshape[j]}"
            )
    if len(set(xa)) != len(xa) or len(set(xb)) != len(xb):
        raise ValueError(f"tensordot: repeated axes in {xa} / {xb}")
    sa = a.split if a.is_distributed() else None
    sb = b.split if b.is_distributed() else None
    if sa in xa and sb in xb and xa.index(sa) != xb.index(sb):
        b = to_layout(b, xb[xa.index(sa)])
        sb = b.split
    order = list(range(len(xa)))
    lead = xa.index(sa) if sa in xa else xb.index(sb) if sb in xb else None
    if lead is not None:
        order = [lead, *[i for i in order if i != lead]]
    xa, xb = [xa[i] for i in order], [xb[i] for i in order]
    fa = [i for i in range(a.ndim) if i not in xa]
    fb = [i for i in range(b.ndim) if i not in xb]
    fa_order = sorted(fa, key=lambda i: i != sa)
    fb_order = sorted(fb, key=lambda i: i != sb)
    A = _fold(a, fa_order, xa)
    B = _fold(b, xb, fb_order)
    C = matmul(A, B)
    C = _unfold(C, [a.gshape[i] for i in fa_order], [b.gshape[i] for i in fb_order])
    # the free axes in their original order
    current = [("a", i) for i in fa_order] + [("b", i) for i in fb_order]
    wanted = [("a", i) for i in fa] + [("b", i) for i in fb]
    perm = [current.index(w) for w in wanted]
    return C if perm == list(range(len(perm))) else C.transpose(perm)


def dot(a: Any, b: Any, out: DNDarray | None = None) -> DNDarray:
    """NumPy's ``dot``: a product for scalars, :func:`matmul` for 1-d and 2-d operands, and a
    :func:`tensordot` over a's last and b's second-to-last axis otherwise.

    Examples
    --------
    >>> import heat as ht
    >>> float(ht.dot(ht.ones(4, split=0), ht.ones(4, split=0)))
    4.0
    """
    a, b = operands(a, b)
    if a.ndim == 0 or b.ndim == 0:
        result = cast(DNDarray, core.multiply(a, b))
    elif b.ndim == 1 or (a.ndim <= 2 and b.ndim <= 2):
        result = matmul(a, b)
    else:
        result = tensordot(a, b, axes=([a.ndim - 1], [b.ndim - 2]))
    return deliver("dot", result, out)


def inner(a: Any, b: Any, /) -> DNDarray:
    """Sum of products over the last axes (NumPy's ``inner``; no complex conjugation).

    Examples
    --------
    >>> import heat as ht
    >>> ht.inner(ht.ones((2, 3), split=0), ht.ones(3)).shape
    (2,)
    """
    a, b = operands(a, b)
    if a.ndim == 0 or b.ndim == 0:
        return cast(DNDarray, core.multiply(a, b))
    if a.gshape[-1] != b.gshape[-1]:
        raise ValueError(f"inner: the last axes of shapes {a.gshape} and {b.gshape} differ")
    return tensordot(a, b, axes=([a.ndim - 1], [b.ndim - 1]))


def flatten(x: DNDarray) -> DNDarray:
    """``x`` as a 1-d array in C order (local when split along axis 0 or replicated; an
    all-to-all to split 0 first otherwise)."""
    if x.split is not None and x.split != 0 and x.is_distributed():
        x = to_layout(x, 0)
    if x.ndim == 0:
        return wrap(x, x.larray.reshape(1), (1,), None)
    rest = math.prod(x.gshape[1:])
    n = x.size
    if x.split is None or not x.is_distributed():
        return wrap(x, x.larray.reshape(-1), (n,), None)
    return wrap(x, x.larray.reshape(-1), (n,), 0, [c * rest for c in x.counts])


def outer(a: Any, b: Any, /, out: DNDarray | None = None) -> DNDarray:
    """Outer product of the flattened operands (NumPy's ``outer``): a column times a row,
    through :func:`matmul` (split 0 when ``a`` is split, split 1 when only ``b`` is).

    Examples
    --------
    >>> import heat as ht
    >>> ht.outer(ht.arange(3, split=0), ht.arange(4)).shape
    (3, 4)
    """
    a, b = operands(a, b)
    fa, fb = flatten(a), flatten(b)
    col = wrap(
        fa, fa.larray.unsqueeze(1), (fa.gshape[0], 1), fa.split, fa.counts if fa.split is not None else None
    )
    row = wrap(
        fb,
        fb.larray.unsqueeze(0),
        (1, fb.gshape[0]),
        None if fb.split is None else 1,
        fb.counts if fb.split is not None else None,
    )
    return deliver("outer", matmul(col, row), out)


def vdot(a: Any, b: Any, /) -> DNDarray:
    """Dot product of the flattened operands, conjugating ``a`` (NumPy's ``vdot``); a 0-d
    replicated result (local partial sums and one all-reduce).

    Examples
    --------
    >>> import heat as ht
    >>> float(ht.vdot(ht.ones((2, 2), split=0), ht.ones((2, 2), split=1)))
    4.0
    """
    a, b = operands(a, b)
    if a.size != b.size:
        raise ValueError(
            f"vdot: operands have {a.size} and {b.size} elements (shapes {a.gshape}, {b.gshape})"
        )
    fa, fb = flatten(a), flatten(b)
    if types.is_complex(fa.dtype):
        fa = fa._like(fa.larray.conj_physical())
    return matmul(fa, fb)


def vecdot(x1: Any, x2: Any, /, *, axis: int = -1) -> DNDarray:
    """Vector dot product along ``axis``, conjugating ``x1`` (NumPy 2's ``vecdot``): the
    broadcast product and a sum, the core's elementwise and reduction rules.

    Examples
    --------
    >>> import heat as ht
    >>> ht.vecdot(ht.ones((3, 2), split=0), ht.ones(2)).shape
    (3,)
    """
    a, b = operands(x1, x2)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError("vecdot: operands must be at least 1-d")
    if a.gshape[axis] != b.gshape[axis]:
        raise ValueError(f"vecdot: axis {axis} of shapes {a.gshape} and {b.gshape} differ")
    dt = types.result_type(a.dtype, b.dtype)
    if types.is_complex(a.dtype):
        a = core.conj(a)
    result = cast(DNDarray, core.sum(core.multiply(a, b), axis=axis))
    return result if result.dtype == dt else result.astype(dt)


# ---------------------------------------------------------------------------- einsum
_SUBSCRIPT = re.compile(r"^[a-zA-Z]*$")


def _parse(subscripts: str, ops: Sequence[DNDarray]) -> tuple[list[str], str]:
    text = subscripts.replace(" ", "")
    if "." in text:
        raise ValueError("einsum: ellipsis ('...') is not supported; write the axes out")
    lhs, arrow, out = text.partition("->")
    inputs = lhs.split(",")
    if len(inputs) != len(ops):
        raise ValueError(f"einsum: {len(inputs)} operand subscripts for {len(ops)} operands")
    for sub, op in zip(inputs, ops, strict=True):
        if not _SUBSCRIPT.match(sub) or len(sub) != op.ndim:
            raise ValueError(f"einsum: subscripts {sub!r} do not fit an operand of shape {op.gshape}")
    if not arrow:
        letters = "".join(inputs)
        out = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    if not _SUBSCRIPT.match(out) or len(set(out)) != len(out) or any(c not in lhs for c in out):
        raise ValueError(f"einsum: invalid output subscripts {out!r}")
    sizes: dict[str, int] = {}
    for sub, op in zip(inputs, ops, strict=True):
        for c, n in zip(sub, op.gshape, strict=True):
            if sizes.setdefault(c, n) != n:
                raise ValueError(f"einsum: index {c!r} has sizes {sizes[c]} and {n}")
    return inputs, out


def einsum(subscripts: str, *operands_: Any, out: DNDarray | None = None) -> DNDarray:
    """Einstein summation (NumPy's ``einsum``, explicit axes; no ellipsis).

    Two-operand contractions without batch indices are :func:`tensordot` (the matmul rules).
    Otherwise one index carries the distribution: the split index of the largest split operand.
    Every operand that has it is moved to be split along it (an all-to-all when split
    elsewhere; repeated occurrences are sliced locally), operands that lack it are replicated
    (an all-gather: documented replication), and every rank evaluates ``torch.einsum`` on its
    blocks. When the index survives, the result is split along it; when it is summed, the
    partial results are all-reduced (a replicated result).

    Examples
    --------
    >>> import heat as ht
    >>> ht.einsum("ij,jk->ik", ht.ones((3, 4), split=0), ht.ones((4, 2))).shape
    (3, 2)
    """
    ops = [as_array(x) for x in operands_]
    if not ops:
        raise ValueError("einsum: at least one operand is needed")
    ops = [as_array(x, ops[0]) for x in ops]
    inputs, output = _parse(subscripts, ops)
    dt = types.result_type(*[op.dtype for op in ops])
    if len(ops) == 2:
        a, b = inputs
        everything = a + b
        if (
            len(set(a)) == len(a)
            and len(set(b)) == len(b)
            and all(everything.count(c) == 1 for c in output)
            and all(everything.count(c) == 2 for c in set(everything) if c not in output)
            and all(c in a and c in b for c in set(everything) if c not in output)
        ):
            contracted = [c for c in a if c not in output]
            r = tensordot(
                ops[0], ops[1], axes=([a.index(c) for c in contracted], [b.index(c) for c in contracted])
            )
            free = [c for c in a if c in output] + [c for c in b if c in output]
            perm = [free.index(c) for c in output]
            if perm != list(range(len(perm))):
                r = r.transpose(perm)
            r = r if r.dtype == dt else r.astype(dt)
            return deliver("einsum", r, out)
    split_ops = [(op.nbytes, i) for i, op in enumerate(ops) if op.split is not None and op.is_distributed()]
    cdt = compute_dtype(dt)
    if not split_ops:
        t = torch.einsum(f"{','.join(inputs)}->{output}", *[op.larray.to(cdt) for op in ops])
        result = wrap(ops[0], t, t.shape, None)
    else:
        anchor = ops[max(split_ops)[1]]
        assert anchor.split is not None
        index = inputs[max(split_ops)[1]][anchor.split]
        counts = anchor.counts
        rank = anchor.comm.rank
        start = layout.offsets(counts)[rank]
        blocks = []
        for sub, op in zip(inputs, ops, strict=True):
            if index not in sub:
                blocks.append(to_layout(op, None).larray.to(cdt))
                continue
            first = sub.index(index)
            moved = to_layout(op, first, counts)
            t = moved.larray
            for pos, c in enumerate(sub):
                if c == index and pos != first:
                    t = t.narrow(pos, start, counts[rank])
            blocks.append(t.to(cdt))
        t = torch.einsum(f"{','.join(inputs)}->{output}", *blocks)
        shape = tuple(anchor_size(inputs, ops, c) for c in output)
        if index in output:
            result = wrap(anchor, t, shape, output.index(index), counts)
        else:
            t = anchor.comm.unchecked.allreduce(t.contiguous(), "sum")
            result = wrap(anchor, t, shape, None)
    if result.larray.dtype != dt.torch:
        result = result._like(result.larray != 0 if dt is types.bool else result.larray.to(dt.torch))
    return deliver("einsum", result, out)


def anchor_size(inputs: Sequence[str], ops: Sequence[DNDarray], index: str) -> int:
    """The global length of einsum index ``index``."""
    for sub, op in zip(inputs, ops, strict=True):
        if index in sub:
            return op.gshape[sub.index(index)]
    raise ValueError(f"einsum: unknown index {index!r}")
