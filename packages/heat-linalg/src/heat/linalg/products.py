"""The distributed matrix product: one rule per pair of operand layouts.

A matrix operand (the last two axes) is replicated (``R``), split along its rows (``0``) or
split along its columns (``1``); an operand split along a batch axis is handled by aligning the
other operand on that batch axis (local products). The pairs, ``A @ B`` with ``A`` of shape
``(m, k)`` and ``B`` of shape ``(k, n)``:

=========  ===========================================================  ===============
A @ B      algorithm                                                    result split
=========  ===========================================================  ===============
R @ R      local product                                                R
0 @ R      local product                                                0 (A's rows)
R @ 1      local product                                                1 (B's columns)
0 @ 0      ring: B's row panels circulate, ``C += A[:, panel] @ panel``   0 (A's rows)
1 @ 1      ring: A's column panels circulate, ``C += panel @ B[panel]``   1 (B's columns)
0 @ 1      ring: the smaller operand's panels circulate, ``C[:, j] = ..``  0 if m >= n else 1
1 @ 0      local partial sums, then an all-reduce when the result is no     R, or 0 / 1
           larger than the local inputs, else a ring reduce-scatter that
           computes the next partial while the previous one travels
R @ 0      A's columns sliced locally to B's row blocks, then ``1 @ 0``
1 @ R      B's rows sliced locally to A's column blocks, then ``1 @ 0``
=========  ===========================================================  ===============

Memory per rank is the local blocks, the local result and two panels (the one being used and
the one arriving); every ring step posts its non-blocking send/receive before the local product,
so communication overlaps compute. No rank ever holds a full-size result that is then
all-reduced (except the small-result case of ``1 @ 0``, which is cheaper than a ring).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

from heat.comm import Communicator
from heat.core import layout, types
from heat.core.dndarray import DNDarray
from heat.core.redistribution import to_layout

from ._operands import compute_dtype, deliver, operands, wrap

__all__ = ["matmul"]


def circulate(
    comm: Communicator,
    block: torch.Tensor,
    axis: int,
    counts: Sequence[int],
    visit: Callable[[torch.Tensor, int], None],
) -> None:
    """Pass every rank's ``block`` (cut along ``axis`` with sizes ``counts``) once around the
    ring. At step s this rank holds block ``j = (rank + s) % p`` and calls ``visit(block, j)``
    while block ``j + 1`` is on its way (sent to rank - 1, received from rank + 1)."""
    p, r = comm.size, comm.rank
    current = block.resolve_conj().contiguous()  # MPI reads memory: no lazy conjugation
    for s in range(p):
        j = (r + s) % p
        pending = None
        if s < p - 1:
            shape = list(current.shape)
            shape[axis] = counts[(j + 1) % p]
            incoming = torch.empty(shape, dtype=current.dtype, device=current.device)
            pending = (
                comm.irecv(incoming, source=(r + 1) % p, tag=s),
                comm.isend(current, dest=(r - 1) % p, tag=s),
            )
        visit(current, j)
        if pending is not None:
            received = pending[0].wait()
            pending[1].wait()
            assert received is not None
            current = received


def reduce_scatter(
    comm: Communicator, partial: Callable[[int], torch.Tensor], shape_of: Callable[[int], Sequence[int]]
) -> torch.Tensor:
    """Sum the ranks' partial results block by block so that rank r ends with block r.

    ``partial(t)`` is this rank's contribution to block t. At step s this rank computes its
    partial of block ``(rank + s + 1) % p`` while the running sum of the previous block travels
    to rank - 1; memory is two blocks, never the whole result."""
    p, r = comm.size, comm.rank
    acc = partial((r + 1) % p)
    for s in range(1, p):
        t = (r + s + 1) % p
        incoming = torch.empty(tuple(shape_of(t)), dtype=acc.dtype, device=acc.device)
        recv = comm.irecv(incoming, source=(r + 1) % p, tag=s)
        send = comm.isend(acc.resolve_conj().contiguous(), dest=(r - 1) % p, tag=s)
        part = partial(t)
        received = recv.wait()
        send.wait()
        assert received is not None
        acc = received.add_(part)
    return acc


# ---------------------------------------------------------------------------- split-pair rules
# Each rule takes A (..., m, k) and B (..., k, n), of one dtype, split None or along the last
# two axes (``0`` = rows = axis -2, ``1`` = columns = axis -1), and returns the product.


def _batch(a: DNDarray, b: DNDarray) -> tuple[int, ...]:
    return tuple(np.broadcast_shapes(a.gshape[:-2], b.gshape[:-2]))


def _shape(a: DNDarray, b: DNDarray) -> tuple[int, ...]:
    return (*_batch(a, b), a.gshape[-2], b.gshape[-1])


def _local(a: DNDarray, b: DNDarray, split: int | None, counts: Sequence[int] | None) -> DNDarray:
    shape = _shape(a, b)
    return wrap(a, torch.matmul(a.larray, b.larray), shape, split, counts)


def _rr(a: DNDarray, b: DNDarray) -> DNDarray:
    return _local(a, b, None, None)


def _0r(a: DNDarray, b: DNDarray) -> DNDarray:
    shape = _shape(a, b)
    return _local(a, b, len(shape) - 2, a.counts)


def _r1(a: DNDarray, b: DNDarray) -> DNDarray:
    shape = _shape(a, b)
    return _local(a, b, len(shape) - 1, b.counts)


def _empty_result(a: DNDarray, b: DNDarray, rows: int, cols: int) -> torch.Tensor:
    batch = _batch(a, b)
    return torch.zeros((*batch, rows, cols), dtype=a.larray.dtype, device=a.larray.device)


def _accumulate(out: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> None:
    """``out += x @ y`` without a temporary for matrices (BLAS gemm with beta = 1)."""
    if (
        out.dim() == 2
        and x.dim() == 2
        and y.dim() == 2
        and (out.dtype.is_floating_point or out.dtype.is_complex)
    ):
        out.addmm_(x, y)
    else:
        out.add_(torch.matmul(x, y))


def _00(a: DNDarray, b: DNDarray) -> DNDarray:
    comm = a.comm.unchecked
    _, offs = b.counts_displs()
    out = _empty_result(a, b, a.lshape[-2], b.gshape[-1])
    A = a.larray

    def visit(panel: torch.Tensor, j: int) -> None:
        _accumulate(out, A.narrow(-1, offs[j], panel.shape[-2]), panel)

    circulate(comm, b.larray, b.ndim - 2, b.counts, visit)
    shape = _shape(a, b)
    return wrap(a, out, shape, len(shape) - 2, a.counts)


def _11(a: DNDarray, b: DNDarray) -> DNDarray:
    comm = a.comm.unchecked
    _, offs = a.counts_displs()
    out = _empty_result(a, b, a.gshape[-2], b.lshape[-1])
    B = b.larray

    def visit(panel: torch.Tensor, j: int) -> None:
        _accumulate(out, panel, B.narrow(-2, offs[j], panel.shape[-1]))

    circulate(comm, a.larray, a.ndim - 1, a.counts, visit)
    shape = _shape(a, b)
    return wrap(a, out, shape, len(shape) - 1, b.counts)


def _01(a: DNDarray, b: DNDarray) -> DNDarray:
    comm = a.comm.unchecked
    shape = _shape(a, b)
    if a.gshape[-2] >= b.gshape[-1]:  # B's column panels circulate; the result keeps A's rows
        _, offs = b.counts_displs()
        out = _empty_result(a, b, a.lshape[-2], b.gshape[-1])

        def visit_cols(panel: torch.Tensor, j: int) -> None:
            out.narrow(-1, offs[j], panel.shape[-1]).copy_(torch.matmul(a.larray, panel))

        circulate(comm, b.larray, b.ndim - 1, b.counts, visit_cols)
        return wrap(a, out, shape, len(shape) - 2, a.counts)
    _, offs = a.counts_displs()
    out = _empty_result(a, b, a.gshape[-2], b.lshape[-1])

    def visit_rows(panel: torch.Tensor, j: int) -> None:
        out.narrow(-2, offs[j], panel.shape[-2]).copy_(torch.matmul(panel, b.larray))

    circulate(comm, a.larray, a.ndim - 2, a.counts, visit_rows)
    return wrap(a, out, shape, len(shape) - 1, b.counts)


def _10(a: DNDarray, b: DNDarray) -> DNDarray:
    comm = a.comm.unchecked
    if b.counts != a.counts:  # the contracted blocks must match
        b = to_layout(b, b.ndim - 2, a.counts)
    shape = _shape(a, b)
    m, k, n = shape[-2], a.gshape[-1], shape[-1]
    p = comm.size
    batch = math.prod(shape[:-2])
    if m * n * batch * p <= (m * k + k * n) * batch or max(m, n) < p:
        partial = torch.matmul(a.larray, b.larray)
        if p > 1:
            partial = comm.allreduce(partial.contiguous(), "sum", out=partial.contiguous())
        return wrap(a, partial, shape, None)
    axis = len(shape) - 2 if m >= n else len(shape) - 1
    counts = layout.balanced_counts(shape[axis], p)
    offs = layout.offsets(counts)
    A, B = a.larray, b.larray

    def part(t: int) -> torch.Tensor:
        if axis == len(shape) - 2:
            return torch.matmul(A.narrow(-2, offs[t], counts[t]), B)
        return torch.matmul(A, B.narrow(-1, offs[t], counts[t]))

    def shape_of(t: int) -> list[int]:
        s = list(shape)
        s[axis] = counts[t]
        return s

    return wrap(a, reduce_scatter(comm, part, shape_of), shape, axis, counts)


def _slice_local(x: DNDarray, axis: int, counts: Sequence[int]) -> DNDarray:
    """A replicated ``x`` viewed as split along ``axis`` with ``counts`` (local slicing)."""
    key = layout.local_slice(axis, counts, x.comm.rank, x.ndim)
    return wrap(x, x.larray[key], x.gshape, axis, counts)


def _r0(a: DNDarray, b: DNDarray) -> DNDarray:
    return _10(_slice_local(a, a.ndim - 1, b.counts), b)


def _1r(a: DNDarray, b: DNDarray) -> DNDarray:
    return _10(a, _slice_local(b, b.ndim - 2, a.counts))


_RULES: dict[tuple[int | None, int | None], Callable[[DNDarray, DNDarray], DNDarray]] = {
    (None, None): _rr,
    (0, None): _0r,
    (None, 1): _r1,
    (0, 0): _00,
    (1, 1): _11,
    (0, 1): _01,
    (1, 0): _10,
    (None, 0): _r0,
    (1, None): _1r,
}


def _matrix_split(x: DNDarray) -> int | None:
    """``x``'s split as 0 (rows), 1 (columns), None, or -1 for a batch axis."""
    if x.split is None or not x.is_distributed():
        return None
    return x.split - (x.ndim - 2) if x.split >= x.ndim - 2 else -1


def _batched(a: DNDarray, b: DNDarray) -> DNDarray:
    """Product of operands at least one of which is split along a batch axis: the other is
    brought to the same batch split (an all-to-all; replicated when it broadcasts along that
    axis), then every rank multiplies its batches locally."""
    shape = _shape(a, b)
    nb = len(shape) - 2
    a_anchors = _matrix_split(a) == -1
    anchor, other = (a, b) if a_anchors else (b, a)
    assert anchor.split is not None
    axis = anchor.split + nb + 2 - anchor.ndim  # in the result
    if anchor.gshape[anchor.split] != shape[axis]:  # split along a broadcast (length-1) axis
        anchor = to_layout(anchor, None)
        return _matmul_matrices(anchor, other) if a_anchors else _matmul_matrices(other, anchor)
    local_axis = axis - (nb + 2 - other.ndim)
    if local_axis < 0 or other.gshape[local_axis] == 1:
        other = to_layout(other, None)
    else:
        other = to_layout(other, local_axis, anchor.counts)
    x, y = (anchor, other) if a_anchors else (other, anchor)
    return wrap(a, torch.matmul(x.larray, y.larray), shape, axis, anchor.counts)


def _matmul_matrices(a: DNDarray, b: DNDarray) -> DNDarray:
    sa, sb = _matrix_split(a), _matrix_split(b)
    if sa == -1 or sb == -1:
        return _batched(a, b)
    if a.split is not None and sa is None:  # split over one rank: every rule is local
        a = wrap(a, a.larray, a.gshape, None)
    if b.split is not None and sb is None:
        b = wrap(b, b.larray, b.gshape, None)
    return _RULES[(sa, sb)](a, b)


def _expand(x: DNDarray, axis: int) -> DNDarray:
    """``x`` with a new length-1 axis at ``axis`` (local)."""
    axis %= x.ndim + 1
    split = None if x.split is None else x.split + (x.split >= axis)
    shape = (*x.gshape[:axis], 1, *x.gshape[axis:])
    return wrap(x, x.larray.unsqueeze(axis), shape, split, x.counts if x.split is not None else None)


def _squeeze(x: DNDarray, axis: int) -> DNDarray:
    """``x`` without its length-1 axis ``axis`` (replicated first if it is split along it)."""
    axis %= x.ndim
    if x.split == axis:
        x = to_layout(x, None)
    split = None if x.split is None else x.split - (x.split > axis)
    shape = x.gshape[:axis] + x.gshape[axis + 1 :]
    return wrap(x, x.larray.squeeze(axis), shape, split, x.counts if x.split is not None else None)


def matmul(a: Any, b: Any, /, *, out: DNDarray | None = None) -> DNDarray:
    """Matrix product of two arrays (NumPy's ``matmul``, the ``@`` operator).

    1-d operands are promoted to matrices (a row for ``a``, a column for ``b``) and the added
    axis is removed from the result; batch axes broadcast. Result dtype: NumPy's promotion.

    Distribution: see the table in this module's docstring. Memory per rank stays
    O(local blocks + one panel): products of two split operands circulate panels around a
    ring with non-blocking sends overlapped with the local products. Results are split along
    A's rows for ``0@R``, ``0@0``, ``0@1`` (when m >= n); along B's columns for ``R@1``,
    ``1@1``; the contracted-split cases (``1@0``, ``R@0``, ``1@R``) are replicated when the
    result is small, else split along its longer axis.

    Parameters
    ----------
    a, b : DNDarray or array_like
        At least 1-d; ``a.shape[-1] == b.shape[-2]`` (``b.shape[0]`` for a 1-d ``b``).
    out : DNDarray, optional
        Where to write the result (cast to its dtype, moved to its layout).

    Examples
    --------
    >>> import heat as ht
    >>> a = ht.ones((4, 3), split=0)
    >>> (a @ ht.ones((3, 2), split=1)).shape
    (4, 2)
    """
    a, b = operands(a, b)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(
            f"matmul: operands must be at least 1-d, got shapes {a.gshape} and {b.gshape}; "
            "use multiply (*) for scalars"
        )
    dt = types.result_type(a.dtype, b.dtype)
    a2 = _expand(a, 0) if a.ndim == 1 else a
    b2 = _expand(b, -1) if b.ndim == 1 else b
    if a2.gshape[-1] != b2.gshape[-2]:
        raise ValueError(
            f"matmul: shapes {a.gshape} (split {a.split}) and {b.gshape} (split {b.split}) do not "
            f"conform: the last axis of a has {a2.gshape[-1]} elements, the contracted axis of b "
            f"has {b2.gshape[-2]}"
        )
    try:
        np.broadcast_shapes(a2.gshape[:-2], b2.gshape[:-2])
    except ValueError:
        raise ValueError(
            f"matmul: the batch axes of shapes {a.gshape} and {b.gshape} do not broadcast"
        ) from None
    cdt = compute_dtype(dt)
    a2 = a2 if a2.larray.dtype == cdt else a2._like(a2.larray.to(cdt))
    b2 = b2 if b2.larray.dtype == cdt else b2._like(b2.larray.to(cdt))
    result = _matmul_matrices(a2, b2)
    if b.ndim == 1:
        result = _squeeze(result, -1)
    if a.ndim == 1:
        result = _squeeze(result, -1 if b.ndim == 1 else -2)
    if result.larray.dtype != dt.torch:
        t = result.larray != 0 if dt is types.bool else result.larray.to(dt.torch)
        result = result._like(t)
    return deliver("matmul", result, out)
