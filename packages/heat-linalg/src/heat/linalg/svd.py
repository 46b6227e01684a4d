"""Singular value decompositions: exact (TSQR-based), randomized (Halko et al.) and
hierarchical truncated (merge tree over column blocks, with an error estimate).

* ``svd``/``svdvals``: a tall matrix is factored ``A = Q R`` (:func:`heat.linalg.qr`: TSQR for
  tall-skinny row-split input, column panels otherwise), the n x n ``R`` is replicated (one
  all-gather when it is column-split; this replication is the algorithm's cost, small for
  tall-skinny input) and decomposed locally, and ``U = Q U_R`` is one local (or matmul) product.
  A wide matrix is handled through its conjugate transpose.
* ``rsvd``: a random sketch ``Y = A Omega`` (Omega replicated, seeded identically on every
  rank), optional power iterations re-orthogonalised with QR, ``B = Q^H A`` (k x n), the SVD of
  ``B``. The k-column factors are the only replicated pieces.
* ``hsvd``: every rank truncates the SVD of its column block; the ``U S`` factors are merged
  pairwise up a binary tree (point-to-point, m x k each) and truncated again; the root's ``U``
  (m x k, replicated at the end) gives ``V^H = S^-1 U^H A``. The relative error estimate is
  ``sqrt(sum of discarded sigma^2) / ||A||_F``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import torch

from heat.core import types
from heat.core.dndarray import DNDarray
from heat.core.redistribution import to_layout

from ._operands import adjoint, as_array, float_dtype, wrap
from .products import matmul
from .qr import _panel_qr, tsqr

__all__ = ["HSVDResult", "SVDResult", "hsvd", "rsvd", "svd", "svdvals"]


class SVDResult(NamedTuple):
    """``A = U @ diag(S) @ Vh``."""

    U: DNDarray
    S: DNDarray
    Vh: DNDarray


class HSVDResult(NamedTuple):
    """A truncated SVD and the estimate of its relative error in the Frobenius norm."""

    U: DNDarray
    S: DNDarray
    Vh: DNDarray
    rel_error: float


def _matrix(name: str, data: Any) -> DNDarray:
    a = as_array(data)
    if a.ndim != 2:
        raise ValueError(f"{name}: expected a 2-d matrix, got shape {a.gshape}")
    dt = float_dtype(name, a)
    return a if a.dtype is dt else a.astype(dt)


def _tall_r(a: DNDarray, want_q: bool) -> tuple[DNDarray | None, torch.Tensor]:
    """``Q`` (or None) and the replicated ``R`` of a distributed tall matrix."""
    m, n = a.gshape
    if a.split == 0 and n * a.comm.size <= m:
        q_loc, r = tsqr(a, want_q)
        q = wrap(a, q_loc, (m, n), 0, a.counts) if q_loc is not None else None
        return q, r
    if a.split != 1:
        a = to_layout(a, 1)
    q_loc, r_loc = _panel_qr(a, want_q)
    r = a.comm.unchecked.allgather(r_loc.contiguous(), axis=1, counts=list(a.counts))
    return wrap(a, q_loc, (m, n), 1, a.counts) if want_q else None, r


def svd(a: Any, full_matrices: bool = True, compute_uv: bool = True) -> SVDResult | DNDarray:
    """Singular value decomposition ``A = U diag(S) Vh`` (NumPy's ``svd``; S descending).

    Distributed input: see this module's docstring (TSQR for tall-skinny row-split input;
    the min(m, n) x min(m, n) triangular factor is replicated). ``full_matrices=True`` needs
    a square or replicated matrix (a full U of a distributed tall matrix would be m x m).
    U is split like A's long axis, S and Vh are replicated (for wide input: U replicated, Vh
    split along columns).

    Examples
    --------
    >>> import heat as ht
    >>> u, s, vh = ht.linalg.svd(ht.random.randn(50, 3, split=0), full_matrices=False)
    >>> u.shape, s.shape, vh.shape
    ((50, 3), (3,), (3, 3))
    """
    a = _matrix("svd", a)
    m, n = a.gshape
    if not compute_uv:
        return svdvals(a)
    if not a.is_distributed():
        u, s, vh = torch.linalg.svd(a.larray, full_matrices=full_matrices)
        return SVDResult(wrap(a, u, u.shape, None), wrap(a, s, s.shape, None), wrap(a, vh, vh.shape, None))
    if full_matrices and m != n:
        raise ValueError(
            f"svd: full_matrices=True of a distributed {m} x {n} matrix would build a "
            f"{max(m, n)} x {max(m, n)} factor; pass full_matrices=False"
        )
    if m < n:
        u2, s2, vh2 = svd(adjoint(a), full_matrices=False)
        return SVDResult(adjoint(vh2), s2, adjoint(u2))
    q, r = _tall_r(a, True)
    assert q is not None
    ur, s, vh = torch.linalg.svd(r, full_matrices=False)
    u = matmul(q, wrap(a, ur, ur.shape, None))
    return SVDResult(u, wrap(a, s, s.shape, None), wrap(a, vh, vh.shape, None))


def svdvals(a: Any) -> DNDarray:
    """The singular values, descending, replicated (NumPy's ``svdvals``): the SVD of the
    replicated triangular factor of a TSQR / panel QR, without forming Q.

    Examples
    --------
    >>> import heat as ht
    >>> ht.linalg.svdvals(ht.eye(3, split=0)).numpy()
    array([1., 1., 1.])
    """
    a = _matrix("svdvals", a)
    if not a.is_distributed():
        s = torch.linalg.svdvals(a.larray)
        return wrap(a, s, s.shape, None)
    if a.gshape[0] < a.gshape[1]:
        a = adjoint(a)
    _, r = _tall_r(a, False)
    s = torch.linalg.svdvals(r)
    return wrap(a, s, s.shape, None)


def _orthonormal(y: DNDarray) -> DNDarray:
    from .qr import qr

    q = qr(y, mode="reduced").Q
    assert q is not None
    return q


def rsvd(a: Any, rank: int, n_oversamples: int = 10, power_iter: int = 1, seed: int = 0) -> SVDResult:
    """Randomized truncated SVD (Halko, Martinsson and Tropp 2011): the ``rank`` leading
    singular triplets, ``A ~ U diag(S) Vh``.

    ``Omega`` (n x (rank + n_oversamples)) is drawn from ``torch.Generator`` seeded with ``seed``,
    identically on every rank; ``power_iter`` power iterations sharpen the spectrum. Every
    product is :func:`matmul`; the k-column factors are the replicated pieces.

    Examples
    --------
    >>> import heat as ht
    >>> u, s, vh = ht.linalg.rsvd(ht.random.randn(200, 40, split=0), rank=5)
    >>> s.shape
    (5,)
    """
    a = _matrix("rsvd", a)
    m, n = a.gshape
    if not isinstance(rank, int) or rank < 1 or rank > min(m, n):
        raise ValueError(
            f"rsvd: rank must be an int in [1, {min(m, n)}] for a {m} x {n} matrix, got {rank!r}"
        )
    if n_oversamples < 0 or power_iter < 0:
        raise ValueError("rsvd: n_oversamples and power_iter must be >= 0")
    k = min(rank + n_oversamples, m, n)
    gen = torch.Generator(device=a.larray.device).manual_seed(seed)
    omega = torch.randn((n, k), generator=gen, dtype=types.to_real(a.dtype).torch, device=a.larray.device)
    omega = omega.to(a.dtype.torch)
    q = _orthonormal(matmul(a, wrap(a, omega, omega.shape, None)))
    ah = adjoint(a)
    for _ in range(power_iter):
        z = _orthonormal(matmul(ah, q))
        q = _orthonormal(matmul(a, z))
    b = matmul(adjoint(q), a)  # k x n
    ub, s, vh = svd(b, full_matrices=False)
    u = matmul(q, ub)
    return SVDResult(_keep(u, rank, 1), _keep(s, rank, 0), _keep(vh, rank, 0))


def _keep(x: DNDarray, k: int, axis: int) -> DNDarray:
    """The first ``k`` entries of ``x`` along ``axis`` (replicated along that axis first)."""
    if x.gshape[axis] == k:
        return x
    if x.split == axis and x.is_distributed():
        x = to_layout(x, None)
    shape = list(x.gshape)
    shape[axis] = k
    return wrap(x, x.larray.narrow(axis, 0, k), shape, x.split, x.counts if x.split is not None else None)


def _truncate(
    u: torch.Tensor, s: torch.Tensor, maxrank: int | None, tail_budget: float
) -> tuple[torch.Tensor, torch.Tensor, float]:
    """``u``, ``s`` truncated to ``maxrank`` and to the discarded energy budget; the energy
    (sum of squares) discarded."""
    sq = (s.double() ** 2).flip(0).cumsum(0).flip(0)  # tail energy from each index on
    keep = int(s.numel())
    if tail_budget > 0:
        keep = int((sq > tail_budget).sum().item())
    if maxrank is not None:
        keep = min(keep, maxrank)
    keep = max(keep, min(1, int(s.numel())))
    dropped = float(sq[keep].item()) if keep < s.numel() else 0.0
    return u[:, :keep], s[:keep], dropped


def hsvd(a: Any, maxrank: int | None = None, rtol: float | None = None) -> HSVDResult:
    """Hierarchical truncated SVD with an error estimate (the merge-tree algorithm of
    Iwen and Ong, as in the published Heat's ``hsvd``).

    Give ``maxrank`` (keep at most that many triplets) and/or ``rtol`` (target relative error
    in the Frobenius norm; the budget is split evenly over the tree's truncations). A
    row-split matrix is processed through its conjugate transpose. Memory: the local block
    and two m x k factors; the final U (m x k, or V for row-split input) is replicated.

    Examples
    --------
    >>> import heat as ht
    >>> u, s, vh, err = ht.linalg.hsvd(ht.random.randn(60, 200, split=1), maxrank=5)
    >>> u.shape, vh.shape
    ((60, 5), (5, 200))
    """
    a = _matrix("hsvd", a)
    if maxrank is None and rtol is None:
        raise ValueError("hsvd: give maxrank and/or rtol")
    if maxrank is not None and (not isinstance(maxrank, int) or maxrank < 1):
        raise ValueError(f"hsvd: maxrank must be a positive int, got {maxrank!r}")
    if rtol is not None and not rtol >= 0:
        raise ValueError(f"hsvd: rtol must be >= 0, got {rtol!r}")
    if a.split == 0 and a.is_distributed():
        t = hsvd(adjoint(a), maxrank, rtol)
        return HSVDResult(adjoint(t.Vh), t.S, adjoint(t.U), t.rel_error)
    comm = a.comm.unchecked
    p, rank = comm.size, comm.rank
    local = a.larray
    norm2 = torch.sum(torch.abs(local) ** 2).double().reshape(1)
    if a.split is not None and p > 1:
        norm2 = comm.allreduce(norm2, "sum")
    total = float(norm2.item())
    nodes = 2 * p - 1 if a.split is not None else 1
    budget = (rtol**2) * total / nodes if rtol is not None else 0.0
    m = a.gshape[0]
    u, s, _ = torch.linalg.svd(local, full_matrices=False)
    u, s, dropped = _truncate(u, s, maxrank, budget)
    us = u * s
    if a.split is not None and p > 1:
        step = 1
        while step < p:
            if rank % (2 * step) == 0 and rank + step < p:
                k = comm.recv(torch.empty(1, dtype=torch.int64), source=rank + step, tag=step)
                other = comm.recv(
                    torch.empty((m, int(k.item())), dtype=us.dtype, device=us.device),
                    source=rank + step,
                    tag=step,
                )
                u, s, _ = torch.linalg.svd(torch.cat([us, other], dim=1), full_matrices=False)
                u, s, extra = _truncate(u, s, maxrank, budget)
                dropped += extra
                us = u * s
            elif rank % (2 * step) == step:
                comm.send(torch.tensor([us.shape[1]], dtype=torch.int64), dest=rank - step, tag=step)
                comm.send(us.contiguous(), dest=rank - step, tag=step)
            step *= 2
        k = comm.bcast(torch.tensor([us.shape[1]], dtype=torch.int64), root=0)
        if rank != 0:
            u = torch.empty((m, int(k.item())), dtype=us.dtype, device=us.device)
            s = torch.empty(int(k.item()), dtype=types.to_real(a.dtype).torch, device=us.device)
        u = comm.bcast(u.contiguous(), root=0)
        s = comm.bcast(s.contiguous(), root=0)
        dropped = float(comm.allreduce(torch.tensor([dropped], dtype=torch.float64), "sum").item())
    U = wrap(a, u, u.shape, None)
    S = wrap(a, s, s.shape, None)
    inv_s = torch.where(s > 0, 1 / s, torch.zeros_like(s)).to(u.dtype)
    vh = matmul(wrap(a, (u * inv_s).mH.resolve_conj().contiguous(), (u.shape[1], m), None), a)
    err = (dropped / total) ** 0.5 if total > 0 else 0.0
    return HSVDResult(U, S, vh, err)
