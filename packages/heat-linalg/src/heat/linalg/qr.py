"""QR decomposition: TSQR for tall-skinny row-split matrices, block Gram-Schmidt over column
panels for column-split (and square) matrices.

* ``split=0`` and ``n * p <= m`` (tall-skinny): TSQR. Every rank factors its block,
  ``A_r = Q_r R_r``; the small R factors (at most n x n) are combined pairwise up a binary
  tree (point-to-point messages), the root's R is broadcast (replicated: n x n), and Q is
  rebuilt down the tree. Q keeps A's split and blocks; R is replicated.
* ``split=1`` (and square or wide ``split=0`` matrices, resplit to columns first): the column
  panels are processed left to right. The panel's owner factors it with Householder QR and
  broadcasts its Q panel; every rank to its right projects its columns on the panel twice
  (block classical Gram-Schmidt with re-orthogonalisation, BCGS2). Memory: the local block
  and one panel. Q and R are split along columns (R's column blocks are local).
* Wide matrices (m < n): Q comes from the square leading m x m part, ``R = Q^H A``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import torch

from heat.core.dndarray import DNDarray
from heat.core.redistribution import to_layout

from ._operands import adjoint, as_array, float_dtype, wrap
from .products import matmul

__all__ = ["QRResult", "qr"]


class QRResult(NamedTuple):
    """``Q`` and ``R`` of a QR decomposition (``Q`` is None for ``mode='r'``)."""

    Q: DNDarray | None
    R: DNDarray


def _columns(x: DNDarray, stop: int) -> DNDarray:
    """Columns ``[0, stop)`` of the matrix ``x`` (local narrowing; blocks may become empty)."""
    if x.split == 1 and x.is_distributed():
        counts, offs = x.counts_displs()
        new = [max(0, min(c, stop - o)) for c, o in zip(counts, offs, strict=True)]
        return wrap(x, x.larray.narrow(1, 0, new[x.comm.rank]), (x.gshape[0], stop), 1, new)
    return wrap(
        x, x.larray[:, :stop], (x.gshape[0], stop), x.split, x.counts if x.split is not None else None
    )


def tsqr(a: DNDarray, want_q: bool = True) -> tuple[torch.Tensor | None, torch.Tensor]:
    """TSQR of a row-split ``a`` (m >= n): this rank's block of Q (or None) and the replicated R.

    A binary reduction tree: every rank factors its block; at level s the rank ``r`` with
    ``r % 2s == 0`` receives the R factor of rank ``r + s`` and factors the two stacked R's. The
    root's R (n x n, replicated by one broadcast) is the result; Q is rebuilt down the same
    tree, each node sending its child the child's rows of ``Q_node @ C``. Messages are n x n;
    ``2 log2(p)`` of them on the critical path."""
    comm = a.comm.unchecked
    n = a.gshape[1]
    q_loc, r = torch.linalg.qr(a.larray, mode="reduced" if want_q else "r")
    if not a.is_distributed():
        return (q_loc if want_q else None), r
    p, rank = comm.size, comm.rank
    counts = a.counts

    def height(lo: int, hi: int) -> int:
        return min(sum(counts[lo:hi]), n)

    dtype, device = r.dtype, r.device

    def empty(rows: int, cols: int) -> torch.Tensor:
        return torch.empty((rows, cols), dtype=dtype, device=device)

    merges: list[tuple[int, torch.Tensor]] = []  # (step, the merge's Q), bottom-up
    parent = sent_rows = -1
    step = 1
    while step < p:
        if rank % (2 * step) == step:
            parent, sent_rows = rank - step, r.shape[0]
            comm.send(r.contiguous(), dest=parent, tag=step)
            break
        if rank + step < p:
            other = comm.recv(
                empty(height(rank + step, min(rank + 2 * step, p)), n), source=rank + step, tag=step
            )
            q_node, r = torch.linalg.qr(torch.cat([r, other]), mode="reduced" if want_q else "r")
            merges.append((step, q_node))
        step *= 2
    total = height(0, p)
    r = comm.bcast(r.contiguous() if rank == 0 else empty(total, n), root=0)
    if not want_q:
        return None, r
    if rank == 0:
        coeff = torch.eye(total, dtype=dtype, device=device)
    else:
        coeff = comm.recv(empty(sent_rows, total), source=parent, tag=p + 1)
    for step_, q_node in reversed(merges):
        full = q_node @ coeff
        below = height(rank + step_, min(rank + 2 * step_, p))
        mine = full.shape[0] - below
        comm.send(full[mine:].contiguous(), dest=rank + step_, tag=p + 1)
        coeff = full[:mine]
    return q_loc @ coeff, r


def _panel_qr(a: DNDarray, want_q: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """Block Gram-Schmidt (BCGS2) over the column panels of a column-split ``a`` (m >= n):
    this rank's column blocks of Q and R. One broadcast of a Q panel per rank."""
    comm = a.comm.unchecked
    counts, offs = a.counts_displs()
    n = a.gshape[1]
    rank = comm.rank
    work = a.larray.clone()
    r_loc = torch.zeros((n, counts[rank]), dtype=work.dtype, device=work.device)
    for j in range(comm.size):
        c = counts[j]
        if c == 0:
            continue
        if rank == j:
            q_panel, r_jj = torch.linalg.qr(work, mode="reduced")
            work = q_panel
            r_loc[offs[j] : offs[j] + c] += r_jj
            panel = q_panel.contiguous()
        else:
            panel = torch.empty((a.gshape[0], c), dtype=work.dtype, device=work.device)
        if comm.size > 1:
            panel = comm.bcast(panel, root=j)
        if rank > j:
            for _ in range(2):  # re-orthogonalise once
                coeff = panel.mH @ work
                work -= panel @ coeff
                r_loc[offs[j] : offs[j] + c] += coeff
    return work, r_loc


def qr(a: Any, mode: str = "reduced") -> QRResult:
    """QR decomposition ``A = Q R`` of a matrix (NumPy's ``qr``; modes 'reduced', 'r',
    'complete').

    Algorithm and result layouts: see this module's docstring. 'complete' is available when
    it equals 'reduced' (m <= n) or for a replicated input (a complete Q of a distributed tall
    matrix would be m x m). Integer input is factored in float64.

    Examples
    --------
    >>> import heat as ht
    >>> q, r = ht.linalg.qr(ht.random.randn(100, 4, split=0))
    >>> q.shape, r.shape
    ((100, 4), (4, 4))
    """
    a = as_array(a)
    if mode not in ("reduced", "r", "complete"):
        raise ValueError(f"qr: mode must be 'reduced', 'r' or 'complete', got {mode!r}")
    if a.ndim != 2:
        raise ValueError(f"qr: expected a 2-d matrix, got shape {a.gshape}")
    dt = float_dtype("qr", a)
    if a.dtype is not dt:
        a = a.astype(dt)
    m, n = a.gshape
    want_q = mode != "r"
    if not a.is_distributed():
        q, r = torch.linalg.qr(a.larray, mode=mode)
        return QRResult(wrap(a, q, q.shape, None) if want_q else None, wrap(a, r, r.shape, None))
    if mode == "complete" and m > n:
        raise ValueError(
            f"qr: mode='complete' of a distributed {m} x {n} matrix would build an {m} x {m} Q; "
            "use mode='reduced' or resplit(None) first"
        )
    if m < n:
        sq = qr(_columns(a, m), mode="reduced")
        assert sq.Q is not None
        r_full = matmul(adjoint(sq.Q), a)
        return QRResult(sq.Q if want_q else None, r_full)
    if a.split == 0 and n * a.comm.size <= m:
        q_loc, r = tsqr(a, want_q)
        q = wrap(a, q_loc, (m, n), 0, a.counts) if q_loc is not None else None
        return QRResult(q, wrap(a, r, (n, n), None))
    if a.split != 1:
        a = to_layout(a, 1)
    q_loc, r_loc = _panel_qr(a, want_q)
    q = wrap(a, q_loc, (m, n), 1, a.counts)
    return QRResult(q if want_q else None, wrap(a, r_loc, (n, n), 1, a.counts))
