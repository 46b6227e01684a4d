"""Iterative and factorisation-based solvers: ``cg``, ``cholesky``, ``lstsq``, ``pinv``.

``cg`` (and :func:`heat.linalg.lanczos`) multiply a row-split matrix by a vector with one
all-gather of the vector (length n, replicated: the documented cost) and one local product;
dot products are local sums and one small all-reduce. ``cholesky`` is a right-looking blocked
factorisation over column panels (one broadcast per panel). ``lstsq`` goes through QR,
``pinv`` through the SVD.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import torch

import heat.core
from heat.core import types
from heat.core.dndarray import DNDarray
from heat.core.redistribution import to_layout

from ._operands import adjoint, as_array, float_dtype, wrap
from .errors import LinAlgError
from .lu import solve_triangular
from .products import matmul
from .qr import qr
from .svd import svd, svdvals

__all__ = ["LstsqResult", "cg", "cholesky", "lstsq", "pinv"]


class RowOperator:
    """``y = A x`` for a Hermitian (or row-split) matrix ``A`` with vectors held as blocks
    matching A's row blocks: one all-gather of ``x`` per product.

    A column-split Hermitian matrix is used through its conjugate transpose (equal to it), so
    no data moves."""

    def __init__(self, name: str, a: DNDarray, hermitian: bool) -> None:
        if a.ndim != 2 or a.gshape[0] != a.gshape[1]:
            raise ValueError(f"{name}: expected a square matrix, got shape {a.gshape}")
        if a.split == 1 and a.is_distributed():
            if not hermitian:
                a = to_layout(a, 0)
            else:
                a = adjoint(a)
        self.a = a
        self.comm = a.comm.unchecked
        self.distributed = a.split == 0 and a.is_distributed()
        n = a.gshape[0]
        self.counts = list(a.counts) if self.distributed else [n]
        start = a.counts_displs()[1][self.comm.rank] if self.distributed else 0
        self.rows = slice(start, start + (self.counts[self.comm.rank] if self.distributed else n))

    def local(self, v: DNDarray) -> torch.Tensor:
        """This rank's block of the vector ``v`` (matching A's rows)."""
        if self.distributed:
            return to_layout(v, 0, self.counts).larray
        return to_layout(v, None).larray

    def __call__(self, x_local: torch.Tensor) -> torch.Tensor:
        full = self.comm.allgather(x_local, counts=self.counts) if self.distributed else x_local
        return self.a.larray @ full

    def dot(self, *pairs: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
        """The inner products ``x^H y`` of several pairs with one all-reduce."""
        parts = torch.stack([torch.vdot(x, y) for x, y in pairs])
        return self.comm.allreduce(parts, "sum") if self.distributed else parts


def cg(
    A: Any,  # noqa: N803 - SciPy's name
    b: Any,
    x0: Any = None,
    *,
    rtol: float = 1e-5,
    atol: float = 0.0,
    maxiter: int | None = None,
) -> DNDarray:
    """Conjugate gradients for a Hermitian positive definite ``A``: ``x`` with
    ``||b - A x|| <= max(rtol * ||b||, atol)`` (SciPy's criterion), or the last iterate after
    ``maxiter`` iterations (default ``10 n``). Nothing is printed.

    Per iteration: one all-gather of the search direction (the matrix-vector product, see
    :class:`RowOperator`) and two small all-reduces. ``x`` has ``b``'s layout.

    Examples
    --------
    >>> import heat as ht
    >>> a = ht.array([[4.0, 1.0], [1.0, 3.0]], split=0)
    >>> ht.linalg.cg(a, ht.array([1.0, 2.0]), rtol=1e-10).numpy().round(4)
    array([0.0909, 0.6364])
    """
    A = as_array(A)
    b = as_array(b, A)
    dt = types.result_type(float_dtype("cg", A), float_dtype("cg", b))
    A, b = A.astype(dt, copy=False), b.astype(dt, copy=False)
    if b.ndim != 1 or b.gshape[0] != A.gshape[-1]:
        raise ValueError(f"cg: b must be a vector of length {A.gshape[-1]}, got shape {b.gshape}")
    op = RowOperator("cg", A, hermitian=True)
    n = b.gshape[0]
    x = op.local(as_array(x0, A).astype(dt)).clone() if x0 is not None else torch.zeros_like(op.local(b))
    r = op.local(b) - op(x) if x0 is not None else op.local(b).clone()
    p = r.clone()
    bb, rr = op.dot((op.local(b), op.local(b)), (r, r)).real
    threshold = max(rtol * float(bb.sqrt()), atol)
    limit = 10 * n if maxiter is None else maxiter
    it = 0
    while float(rr.sqrt()) > threshold and it < limit:
        ap = op(p)
        pap = op.dot((p, ap))[0].real
        alpha = rr / pap
        x += alpha * p
        r -= alpha * ap
        rr_new = op.dot((r, r))[0].real
        p = r + (rr_new / rr) * p
        rr = rr_new
        it += 1
    counts = op.counts if op.distributed else None
    result = wrap(b, x, (n,), 0 if op.distributed else None, counts)
    return to_layout(result, b.split if b.is_distributed() else None)


def cholesky(a: Any, /, *, upper: bool = False) -> DNDarray:
    """Cholesky factor of a Hermitian positive definite matrix, ``a = L L^H`` (NumPy's
    ``cholesky``; ``upper=True`` returns ``L^H``). Only the lower triangle is read.

    Distributed: right-looking over column panels; the panel's owner factors its diagonal
    block and solves its panel, broadcasts it (one broadcast per panel), and every rank to the
    right updates its columns. The result has ``a``'s layout. A matrix that is not positive
    definite raises :class:`LinAlgError` on every rank.

    Examples
    --------
    >>> import heat as ht
    >>> ht.linalg.cholesky(ht.array([[4.0, 2.0], [2.0, 5.0]], split=0)).numpy()
    array([[2., 0.],
           [1., 2.]])
    """
    a = as_array(a)
    if a.ndim < 2 or a.gshape[-1] != a.gshape[-2]:
        raise ValueError(f"cholesky: expected a square matrix, got shape {a.gshape}")
    dt = float_dtype("cholesky", a)
    a = a.astype(dt, copy=False)
    if a.ndim > 2 or not a.is_distributed():
        if a.ndim > 2 and a.is_distributed() and a.split is not None and a.split >= a.ndim - 2:
            raise ValueError("cholesky: a stack split along a matrix axis; resplit along a stack axis")
        low, info = torch.linalg.cholesky_ex(a.larray)
        bad = torch.tensor([int(bool((info != 0).any().item()))])
        if a.is_distributed():
            bad = a.comm.unchecked.allreduce(bad, "max")
        if bad.item():
            raise LinAlgError("cholesky: the matrix is not positive definite")
        out = a._like(low)
        return adjoint(out) if upper else out
    ac = to_layout(a, 1) if a.split != 1 else a
    comm = a.comm.unchecked
    n = a.gshape[0]
    counts, offs = ac.counts_displs()
    rank = comm.rank
    work = torch.tril(ac.larray, -offs[rank])  # the lower triangle of this rank's columns
    for j in range(comm.size):
        c, o = counts[j], offs[j]
        if c == 0:
            continue
        status = torch.zeros(1, dtype=torch.int64)
        if rank == j:
            l_jj, info = torch.linalg.cholesky_ex(work[o : o + c])
            status[0] = int(info.item() != 0)
            below = torch.linalg.solve_triangular(l_jj.mH, work[o + c :], upper=True, left=False)
            work[o : o + c] = l_jj
            work[o + c :] = below
            panel = work[o:].contiguous()
        else:
            panel = torch.empty((n - o, c), dtype=work.dtype, device=work.device)
        if comm.size > 1:
            status = comm.bcast(status, root=j)
            panel = comm.bcast(panel, root=j)
        if status.item():
            raise LinAlgError("cholesky: the matrix is not positive definite")
        if rank > j:
            mine = offs[rank] - o  # where this rank's columns start inside the panel rows
            l_rows = panel[mine:]  # rows from this rank's first column down
            work[offs[rank] :] -= l_rows @ panel[mine : mine + counts[rank]].mH
    low = wrap(ac, torch.tril(work, -offs[rank]), ac.gshape, 1, ac.counts)
    result = to_layout(low, a.split)
    return adjoint(result) if upper else result


class LstsqResult(NamedTuple):
    """NumPy's ``lstsq`` tuple: solution, residual sums of squares, rank, singular values."""

    x: DNDarray
    residuals: DNDarray
    rank: DNDarray
    s: DNDarray


def lstsq(a: Any, b: Any, rcond: Any = None) -> LstsqResult:
    """Least-squares solution of ``a @ x = b`` (NumPy's ``lstsq``) for a full-rank ``a``.

    Tall ``a`` (m >= n): QR (TSQR or column panels), ``x = R^-1 Q^H b``. Wide ``a``: the
    minimum-norm solution through the QR of ``a^H``. ``residuals`` are ``||b - a x||^2`` per
    column when m > n, else empty; ``rank`` and ``s`` come from the triangular factor.
    Rank-deficient matrices raise :class:`LinAlgError` (use :func:`pinv`).

    Examples
    --------
    >>> import heat as ht
    >>> a = ht.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], split=0)
    >>> ht.linalg.lstsq(a, ht.array([1.0, 1.0, 2.0])).x.numpy()
    array([1., 1.])
    """
    a = as_array(a)
    b = as_array(b, a)
    if a.ndim != 2 or b.ndim not in (1, 2) or b.gshape[0] != a.gshape[0]:
        raise ValueError(
            f"lstsq: a must be 2-d and b have as many rows; got shapes {a.gshape} and {b.gshape}"
        )
    dt = types.result_type(float_dtype("lstsq", a), float_dtype("lstsq", b))
    a, b = a.astype(dt, copy=False), b.astype(dt, copy=False)
    m, n = a.gshape
    s = svdvals(a)
    smax = float(s.larray.max()) if s.larray.numel() else 0.0
    eps = torch.finfo(s.larray.dtype).eps
    cutoff = smax * (max(m, n) * eps if rcond is None else float(rcond))
    rank = int((s.larray > cutoff).sum())
    if rank < min(m, n):
        raise LinAlgError(f"lstsq: the matrix is rank deficient (rank {rank} < {min(m, n)}); use pinv")
    b2 = (
        b
        if b.ndim == 2
        else wrap(b, b.larray.unsqueeze(1), (m, 1), b.split, b.counts if b.split is not None else None)
    )
    if m >= n:
        q, r = qr(a)
        assert q is not None
        y = matmul(adjoint(q), b2)
        x = solve_triangular(r, y, upper=True)
    else:
        q, r = qr(adjoint(a))
        assert q is not None
        y = solve_triangular(adjoint(r), b2, upper=False)
        x = matmul(q, y)
    if m > n:
        from .norms import vector_norm

        core: Any = heat.core
        res = core.square(vector_norm(core.subtract(b2, matmul(a, x)), axis=0))
    else:
        res = wrap(a, torch.zeros(0, dtype=types.to_real(dt).torch, device=a.larray.device), (0,), None)
    if b.ndim == 1:
        x = to_layout(x, None) if x.split == 1 else x
        x = wrap(x, x.larray.squeeze(1), (x.gshape[0],), x.split, x.counts if x.split is not None else None)
        if res.size:
            res = to_layout(res, None)
    rk = wrap(a, torch.tensor(rank, dtype=torch.int64, device=a.larray.device), (), None)
    return LstsqResult(x, res, rk, s)


def pinv(a: Any, rtol: Any = None, hermitian: bool = False) -> DNDarray:
    """Moore-Penrose pseudo-inverse through the SVD (NumPy's ``pinv``): singular values below
    ``rtol * S.max()`` (default ``max(m, n) * eps``) are treated as zero. The SVD's small
    factor is replicated (see :func:`heat.linalg.svd`).

    Examples
    --------
    >>> import heat as ht
    >>> ht.linalg.pinv(ht.array([[2.0, 0.0], [0.0, 0.0]], split=0)).numpy()
    array([[0.5, 0. ],
           [0. , 0. ]])
    """
    a = as_array(a)
    if a.ndim != 2:
        raise ValueError(f"pinv: expected a 2-d matrix, got shape {a.gshape}")
    u, s, vh = svd(a, full_matrices=False)
    st = s.larray
    eps = torch.finfo(st.dtype).eps
    cut = (max(a.gshape) * eps if rtol is None else float(rtol)) * (st.max() if st.numel() else 0)
    inv_s = torch.where(st > cut, 1 / st, torch.zeros_like(st)).to(u.larray.dtype)
    v_scaled = adjoint(vh)
    v_scaled = v_scaled._like(v_scaled.larray * inv_s)
    return matmul(v_scaled, adjoint(u))
