"""Blocked LU with partial pivoting over column panels, and what it solves: ``solve``,
``inv``, ``det``, ``slogdet``, ``solve_triangular``.

The matrix's columns are dealt to the ranks in panels of ``PANEL`` (256) columns, round-robin
(one all-to-all-v from any layout: a block-cyclic distribution, so every rank keeps working
while the panels advance). Left to right, the panel's owner factors it (rows from the diagonal
down) with LAPACK's ``getrf`` and broadcasts it with its pivots; every rank applies the row swaps
to its columns to the right of the panel (and to its right-hand-side columns), solves for its
block row of U and subtracts the Schur complement update. One broadcast
per panel (not per pivot); memory: the local block and one panel. Every rank sees every
factored panel, so every rank knows the determinant and the singularity verdict without a
further collective. Back substitution broadcasts the U panels right to left.

Right-hand sides ``B`` are split along their columns too: every rank eliminates and
back-substitutes its own columns of ``B``, so the solution comes out split like ``B``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import torch

from heat.core import factories, types
from heat.core.dndarray import DNDarray
from heat.core.redistribution import to_layout

from ._operands import as_array, float_dtype, wrap
from .errors import LinAlgError

__all__ = ["SlogdetResult", "det", "inv", "slogdet", "solve", "solve_triangular"]


class SlogdetResult(NamedTuple):
    """``det = sign * exp(logabsdet)``."""

    sign: DNDarray
    logabsdet: DNDarray


def _square(name: str, data: Any) -> DNDarray:
    a = as_array(data)
    if a.ndim < 2 or a.gshape[-1] != a.gshape[-2]:
        raise ValueError(f"{name}: expected a square matrix (or a stack of them), got shape {a.gshape}")
    dt = float_dtype(name, a)
    return a if a.dtype is dt else a.astype(dt)


def _swaps_to_perm(piv: torch.Tensor, rows: int) -> torch.Tensor:
    """LAPACK's sequential 1-based row swaps as one permutation of ``rows`` rows."""
    perm = list(range(rows))
    for i, pv in enumerate(piv.tolist()):
        j = int(pv) - 1
        perm[i], perm[j] = perm[j], perm[i]
    return torch.tensor(perm, dtype=torch.int64)


class _Factor(NamedTuple):
    lu: torch.Tensor  # this rank's columns of L\U (L only in the panels' own columns)
    diag: list[torch.Tensor]  # U's diagonal, panel by panel (every rank)
    swaps: int  # row interchanges (every rank)
    singular: bool  # agreed: every rank saw every panel


PANEL = 256  # the width of the panels the LU factors and broadcasts


class _Panel(NamedTuple):
    owner: int  # the rank holding the panel's columns
    start: int  # its first global column
    width: int
    local: int  # its first column in the owner's local storage


def _contiguous_panels(counts: Sequence[int], offs: Sequence[int], width: int) -> list[_Panel]:
    """Panels of at most ``width`` columns inside every rank's contiguous column block."""
    return [
        _Panel(j, offs[j] + s, min(width, counts[j] - s), s)
        for j in range(len(counts))
        for s in range(0, counts[j], width)
    ]


def _cyclic_panels(n: int, p: int, width: int) -> list[_Panel]:
    """Panels of ``width`` columns dealt round-robin: panel k on rank k % p."""
    used = [0] * p
    panels = []
    for k, s in enumerate(range(0, n, width)):
        w = min(width, n - s)
        panels.append(_Panel(k % p, s, w, used[k % p]))
        used[k % p] += w
    return panels


def _to_panels(a: DNDarray, panels: list[_Panel]) -> torch.Tensor:
    """This rank's columns of the column-split ``a`` in the panel layout (one all-to-all-v)."""
    comm = a.comm.unchecked
    counts, offs = a.counts_displs()
    lo, hi = offs[comm.rank], offs[comm.rank] + counts[comm.rank]
    pieces: list[list[torch.Tensor]] = [[] for _ in range(comm.size)]
    for pn in panels:
        a0, a1 = max(lo, pn.start), min(hi, pn.start + pn.width)
        if a1 > a0:
            pieces[pn.owner].append(a.larray[:, a0 - lo : a1 - lo])
    sends = [sum(t.shape[1] for t in ps) for ps in pieces]
    flat = [t for ps in pieces for t in ps]
    packed = torch.cat(flat, dim=1) if flat else a.larray[:, :0]
    return comm.alltoallv(packed.contiguous(), sends, axis=1)


def _lu_columns(a: DNDarray, rhs: torch.Tensor | None) -> tuple[_Factor, list[_Panel]]:
    """Blocked LU of the column-split square ``a``; eliminate ``rhs`` (this rank's columns of
    B, n x k_local) along the way.

    The columns are dealt to the ranks in panels of ``PANEL`` columns, round-robin (one
    all-to-all-v), so every rank keeps updating while the panels advance. Panel by panel,
    left to right: the owner factors it, broadcasts it with its pivots, and every rank
    updates its columns right of it (a suffix of its local storage)."""
    comm = a.comm.unchecked
    n = a.gshape[0]
    rank = comm.rank
    panels = _cyclic_panels(n, comm.size, PANEL)
    work = _to_panels(a, panels)
    mine = [pn for pn in panels if pn.owner == rank]
    diag: list[torch.Tensor] = []
    swaps = 0
    singular = False
    for pn in panels:
        o, c = pn.start, pn.width
        if rank == pn.owner:
            lu, piv, _ = torch.linalg.lu_factor_ex(work[o:, pn.local : pn.local + c])
            work[o:, pn.local : pn.local + c] = lu
            panel = lu.contiguous()
            pivots = piv.to(torch.int64)
        else:
            panel = torch.empty((n - o, c), dtype=work.dtype, device=work.device)
            pivots = torch.empty(min(n - o, c), dtype=torch.int64, device=work.device)
        if comm.size > 1:
            panel = comm.bcast(panel, root=pn.owner)
            pivots = comm.bcast(pivots, root=pn.owner)
        d = torch.diagonal(panel[:c])
        diag.append(d)
        swaps += int((pivots != torch.arange(1, pivots.numel() + 1, device=pivots.device)).sum().item())
        singular = singular or bool((d == 0).any().item())
        perm = _swaps_to_perm(pivots.cpu(), n - o)
        moved = torch.nonzero(perm != torch.arange(n - o)).flatten()  # at most 2c rows change
        src_rows, dst_rows = (perm[moved] + o).to(work.device), (moved + o).to(work.device)
        first_right = next((q.local for q in mine if q.start > o), work.shape[1])
        targets = []
        if first_right < work.shape[1]:
            targets.append(work[:, first_right:])
        if rhs is not None and rhs.shape[1]:
            targets.append(rhs)
        for t in targets:
            t[dst_rows] = t[src_rows]
            t[o : o + c] = torch.linalg.solve_triangular(
                panel[:c], t[o : o + c], upper=False, unitriangular=True
            )
            t[o + c :] -= panel[c:] @ t[o : o + c]
    return _Factor(work, diag, swaps, singular), panels


def _back_substitute(
    comm: Any,
    u_cols: torch.Tensor,
    panels: list[_Panel],
    rhs: torch.Tensor,
    upper: bool = True,
    unit: bool = False,
) -> torch.Tensor:
    """Solve ``U X = rhs`` (or ``L X = rhs``) for this rank's columns of ``rhs``, the triangular
    matrix stored in ``panels`` (``u_cols``: this rank's panels). One broadcast per panel."""
    n = rhs.shape[0]
    rank = comm.rank
    for pn in reversed(panels) if upper else panels:
        o, c = pn.start, pn.width
        lo, hi = (0, o + c) if upper else (o, n)
        if rank == pn.owner:
            panel = u_cols[lo:hi, pn.local : pn.local + c].contiguous()
        else:
            panel = torch.empty((hi - lo, c), dtype=rhs.dtype, device=rhs.device)
        if comm.size > 1:
            panel = comm.bcast(panel, root=pn.owner)
        if not rhs.shape[1]:
            continue
        block = panel[o - lo : o - lo + c]
        rhs[o : o + c] = torch.linalg.solve_triangular(block, rhs[o : o + c], upper=upper, unitriangular=unit)
        if upper:
            rhs[:o] -= panel[:o] @ rhs[o : o + c]
        else:
            rhs[o + c :] -= panel[c:] @ rhs[o : o + c]
    return rhs


def _fresh(moved: DNDarray, original: DNDarray) -> bool:
    """Whether ``moved``'s block has memory of its own (it may then be overwritten)."""
    return moved.larray.untyped_storage().data_ptr() != original.larray.untyped_storage().data_ptr()


def _batched_local(a: DNDarray) -> bool:
    """Whether ``a`` is a stack of matrices split along a stack axis, or not distributed."""
    return not a.is_distributed() or (a.split is not None and a.split < a.ndim - 2)


def _rhs_columns(b: DNDarray, n: int) -> tuple[DNDarray, bool]:
    """``b`` as an n x k matrix split along its columns; whether it was a vector."""
    vector = b.ndim == 1
    if vector:
        b = wrap(b, b.larray.unsqueeze(1), (n, 1), b.split, b.counts if b.split is not None else None)
    return to_layout(b, 1), vector


def _raise_singular(name: str) -> None:
    raise LinAlgError(f"{name}: singular matrix (an exact zero pivot in the LU factorisation)")


def solve(a: Any, b: Any) -> DNDarray:
    """Solve ``a @ x = b`` for a square ``a`` (NumPy's ``solve``).

    A distributed 2-d ``a`` is factored by the blocked LU of this module (one broadcast per
    panel); ``b`` (a vector or an n x k matrix) is eliminated column-wise alongside, so ``x``
    comes back with ``b``'s layout. Stacks split along a stack axis are solved locally.
    Raises :class:`LinAlgError` on every rank for a singular matrix.

    Examples
    --------
    >>> import heat as ht
    >>> a = ht.array([[3.0, 1.0], [1.0, 2.0]], split=0)
    >>> ht.linalg.solve(a, ht.array([9.0, 8.0])).numpy()
    array([2., 3.])
    """
    a = _square("solve", a)
    b = as_array(b, a)
    dt = types.result_type(a.dtype, float_dtype("solve", b))
    a, b = a.astype(dt, copy=False), b.astype(dt, copy=False)
    n = a.gshape[-1]
    if b.ndim == 0 or b.gshape[0 if b.ndim == 1 else -2] != n:
        raise ValueError(f"solve: a has shape {a.gshape}, b has shape {b.gshape}; b needs {n} rows")
    if a.ndim > 2 or (not a.is_distributed() and not b.is_distributed()):
        return _solve_local(a, b)
    if a.ndim > 2:
        raise ValueError(
            f"solve: a stack of matrices split along a matrix axis (shape {a.gshape}, split {a.split}); "
            "resplit it along a stack axis"
        )
    ac = to_layout(a, 1) if a.split != 1 else a
    bc, vector = _rhs_columns(b, n)
    rhs = bc.larray if _fresh(bc, b) else bc.larray.clone()
    fac, panels = _lu_columns(ac, rhs)
    if fac.singular:
        _raise_singular("solve")
    x = _back_substitute(a.comm.unchecked, fac.lu, panels, rhs)
    result = wrap(bc, x, bc.gshape, 1, bc.counts)
    if vector:
        result = to_layout(result, None)
        result = wrap(result, result.larray.squeeze(1), (n,), None)
        return to_layout(result, 0) if b.split is not None else result
    return to_layout(result, b.split, None)


def _solve_local(a: DNDarray, b: DNDarray) -> DNDarray:
    """Stacks split along a stack axis (``b`` follows that split), or nothing distributed."""
    if a.ndim > 2 and not _batched_local(a):
        raise ValueError(
            f"solve: a stack of matrices split along a matrix axis (shape {a.gshape}, split {a.split}); "
            "resplit it along a stack axis"
        )
    split = a.split if a.is_distributed() else None
    if split is not None and b.ndim == a.ndim and b.gshape[split] == a.gshape[split]:
        b = to_layout(b, split, a.counts)
    elif b.is_distributed():
        b = to_layout(b, None)
    vector = b.ndim == 1
    x, info = torch.linalg.solve_ex(a.larray, b.larray.unsqueeze(-1) if vector else b.larray)
    singular = torch.tensor([int(bool((info != 0).any().item()))])
    if split is not None:
        singular = a.comm.unchecked.allreduce(singular, "max")
    if singular.item():
        _raise_singular("solve")
    x = x.squeeze(-1) if vector else x
    shape = list(x.shape)
    if split is None:
        return wrap(a, x, shape, None)
    shape[split] = a.gshape[split]
    return wrap(a, x, shape, split, a.counts)


def inv(a: Any) -> DNDarray:
    """Inverse of a square matrix (NumPy's ``inv``): :func:`solve` with the identity, split
    along columns; the result has ``a``'s split. Raises :class:`LinAlgError` if singular.

    Examples
    --------
    >>> import heat as ht
    >>> ht.linalg.inv(ht.array([[2.0, 0.0], [0.0, 4.0]], split=0)).numpy()
    array([[0.5 , 0.  ],
           [0.  , 0.25]])
    """
    a = _square("inv", a)
    if _batched_local(a):
        x, info = torch.linalg.inv_ex(a.larray)
        singular = bool((info != 0).any().item())
        if a.is_distributed():
            singular = bool(a.comm.unchecked.allreduce(torch.tensor([int(singular)]), "max").item())
        if singular:
            _raise_singular("inv")
        result: DNDarray = a._like(x)
        return result
    if a.ndim > 2:
        raise ValueError(
            f"inv: a stack split along a matrix axis (shape {a.gshape}); resplit along a stack axis"
        )
    n = a.gshape[0]
    eye = factories.eye(n, dtype=a.dtype, split=1, device=a.device, comm=a.comm)
    x = solve(a, eye)
    return to_layout(x, a.split)


def _factor_for_det(name: str, a: DNDarray) -> _Factor:
    ac = to_layout(a, 1) if a.split != 1 else a
    return _lu_columns(ac, None)[0]


def slogdet(a: Any) -> SlogdetResult:
    """Sign and log of the absolute value of the determinant (NumPy's ``slogdet``); a
    singular matrix gives sign 0 and logabsdet -inf. Replicated 0-d results (stacks: split
    like the stack).

    Distributed matrices: the blocked LU of this module; every rank sums the logs of the
    broadcast pivots itself (no extra collective).

    Examples
    --------
    >>> import heat as ht
    >>> s, l = ht.linalg.slogdet(ht.array([[2.0, 0.0], [0.0, 3.0]], split=0))
    >>> float(s), round(float(l), 4)
    (1.0, 1.7918)
    """
    a = _square("slogdet", a)
    if _batched_local(a):
        s, ld = torch.linalg.slogdet(a.larray)
        shape = a.gshape[:-2]
        split = a.split if a.split is not None and a.is_distributed() else None
        return SlogdetResult(wrap(a, s, shape, split, a.counts if split is not None else None),
                             wrap(a, ld, shape, split, a.counts if split is not None else None))  # fmt: skip
    fac = _factor_for_det("slogdet", a)
    d = torch.cat(fac.diag) if fac.diag else torch.ones(0, dtype=a.larray.dtype)
    real = types.to_real(a.dtype).torch
    if fac.singular:
        sign = torch.zeros((), dtype=a.larray.dtype)
        logabs = torch.tensor(-math.inf, dtype=real)
    else:
        phase = d / d.abs()
        sign = torch.prod(phase) * (-1 if fac.swaps % 2 else 1)
        logabs = torch.sum(torch.log(d.abs())).to(real)
    dev = a.larray.device
    return SlogdetResult(wrap(a, sign.to(dev), (), None), wrap(a, logabs.to(dev), (), None))


def det(a: Any) -> DNDarray:
    """Determinant (NumPy's ``det``); 0 for a singular matrix. Distributed matrices: the
    product of the pivots of the blocked LU (see :func:`slogdet`), replicated.

    Examples
    --------
    >>> import heat as ht
    >>> float(ht.linalg.det(ht.array([[2.0, 1.0], [1.0, 3.0]], split=1)))
    5.0
    """
    a = _square("det", a)
    if _batched_local(a):
        return wrap(a, torch.linalg.det(a.larray), a.gshape[:-2], a.split if a.is_distributed() else None,
                    a.counts if a.split is not None and a.is_distributed() else None)  # fmt: skip
    fac = _factor_for_det("det", a)
    d = torch.cat(fac.diag) if fac.diag else torch.ones(0, dtype=a.larray.dtype, device=a.larray.device)
    value = torch.prod(d) * (-1 if fac.swaps % 2 else 1)
    if fac.singular:
        value = torch.zeros((), dtype=a.larray.dtype)
    return wrap(a, value.to(a.larray.device), (), None)


def solve_triangular(
    a: Any, b: Any, /, *, upper: bool, left: bool = True, unitriangular: bool = False
) -> DNDarray:
    """Solve ``a @ x = b`` for a triangular ``a`` (SciPy's / torch's ``solve_triangular``;
    ``left=False`` solves ``x @ a = b``).

    A distributed ``a`` is split along its columns and its panels are broadcast one at a
    time (right to left for upper, left to right for lower); every rank solves its columns of
    ``b``, so ``x`` has ``b``'s layout.

    Examples
    --------
    >>> import heat as ht
    >>> u = ht.array([[2.0, 1.0], [0.0, 4.0]], split=0)
    >>> ht.linalg.solve_triangular(u, ht.array([[4.0], [8.0]]), upper=True).numpy()
    array([[1.],
           [2.]])
    """
    a = _square("solve_triangular", a)
    b = as_array(b, a)
    if not left:
        from ._operands import adjoint

        xt = solve_triangular(adjoint(a), adjoint(b), upper=not upper, unitriangular=unitriangular)
        return adjoint(xt)
    dt = types.result_type(a.dtype, float_dtype("solve_triangular", b))
    a, b = a.astype(dt, copy=False), b.astype(dt, copy=False)
    n = a.gshape[-1]
    if b.ndim < 2 or b.gshape[-2] != n:
        raise ValueError(
            f"solve_triangular: a has shape {a.gshape}, b has shape {b.gshape}; b needs {n} rows"
        )
    if a.ndim > 2 or (not a.is_distributed() and not b.is_distributed()):
        if a.ndim > 2 and not _batched_local(a):
            raise ValueError(
                "solve_triangular: a stack split along a matrix axis; resplit along a stack axis"
            )
        if b.is_distributed():
            b = to_layout(
                b, a.split if a.is_distributed() else None, a.counts if a.is_distributed() else None
            )
        x = torch.linalg.solve_triangular(a.larray, b.larray, upper=upper, unitriangular=unitriangular)
        if a.is_distributed():
            return wrap(a, x, (*a.gshape[:-2], *b.gshape[-2:]), a.split, a.counts)
        return wrap(a, x, x.shape, None)
    ac = to_layout(a, 1) if a.split != 1 else a
    bc = to_layout(b, 1)
    counts, offs = ac.counts_displs()
    panels = _contiguous_panels(counts, offs, PANEL)
    x = _back_substitute(a.comm.unchecked, ac.larray, panels, bc.larray.clone(), upper, unitriangular)
    return to_layout(wrap(bc, x, bc.gshape, 1, bc.counts), b.split)
