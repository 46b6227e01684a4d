"""Symmetric / Hermitian eigenproblems: ``eigh``, ``eigvalsh`` and the Lanczos process.

``eigh`` of a distributed matrix replicates it (one all-gather: the whole n x n matrix on every
rank, the documented cost of this function) and every rank runs LAPACK's ``syevd`` through
torch; the eigenvectors come back split like the input (each rank keeps its slice). For large
matrices use ``lanczos``: a row-split matrix-vector product per step (one all-gather of a
length-n vector) and full re-orthogonalisation against the basis (local products and one
all-reduce of m numbers); the basis V keeps the matrix's row blocks, T (m x m) is replicated.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import torch

from heat.core import types
from heat.core.dndarray import DNDarray
from heat.core.redistribution import to_layout

from ._operands import as_array, float_dtype, wrap
from .solvers import RowOperator

__all__ = ["EighResult", "LanczosResult", "eigh", "eigvalsh", "lanczos"]


class EighResult(NamedTuple):
    """Eigenvalues (ascending) and the eigenvectors as columns."""

    eigenvalues: DNDarray
    eigenvectors: DNDarray


class LanczosResult(NamedTuple):
    """``A V ~ V T``: the orthonormal Krylov basis V (n x m) and the tridiagonal T (m x m)."""

    V: DNDarray
    T: DNDarray


def _hermitian(name: str, data: Any) -> DNDarray:
    a = as_array(data)
    if a.ndim < 2 or a.gshape[-1] != a.gshape[-2]:
        raise ValueError(f"{name}: expected a square matrix (or a stack), got shape {a.gshape}")
    dt = float_dtype(name, a)
    return a if a.dtype is dt else a.astype(dt)


def eigh(a: Any, UPLO: str = "L") -> EighResult:  # noqa: N803 - NumPy's name
    """Eigenvalues (ascending, as NumPy) and eigenvectors of a Hermitian matrix.

    Only the ``UPLO`` triangle is read: a non-symmetric input is treated as the Hermitian
    matrix its lower (or upper) triangle defines, like NumPy. A distributed 2-d matrix is
    replicated (see this module's docstring); the eigenvalues are replicated and the
    eigenvectors have ``a``'s split.

    Examples
    --------
    >>> import heat as ht
    >>> w, v = ht.linalg.eigh(ht.array([[2.0, 1.0], [1.0, 2.0]], split=0))
    >>> w.numpy()
    array([1., 3.])
    """
    a = _hermitian("eigh", a)
    if UPLO not in ("L", "U"):
        raise ValueError(f"eigh: UPLO must be 'L' or 'U', got {UPLO!r}")
    stack = a.ndim > 2 and a.is_distributed() and a.split is not None and a.split < a.ndim - 2
    full = a if stack else to_layout(a, None)
    w, v = torch.linalg.eigh(full.larray, UPLO=UPLO)
    if stack:
        return EighResult(wrap(a, w, a.gshape[:-1], a.split, a.counts), a._like(v))
    vals = wrap(a, w, w.shape, None)
    vecs = wrap(a, v, v.shape, None)
    if a.split is not None and a.is_distributed():
        vecs = to_layout(vecs, a.split, a.counts)
    return EighResult(vals, vecs)


def eigvalsh(a: Any, UPLO: str = "L") -> DNDarray:  # noqa: N803 - NumPy's name
    """Eigenvalues (ascending) of a Hermitian matrix; see :func:`eigh` for the distribution.

    Examples
    --------
    >>> import heat as ht
    >>> ht.linalg.eigvalsh(ht.eye(3, split=1)).numpy()
    array([1., 1., 1.])
    """
    a = _hermitian("eigvalsh", a)
    if UPLO not in ("L", "U"):
        raise ValueError(f"eigvalsh: UPLO must be 'L' or 'U', got {UPLO!r}")
    stack = a.ndim > 2 and a.is_distributed() and a.split is not None and a.split < a.ndim - 2
    full = a if stack else to_layout(a, None)
    w = torch.linalg.eigvalsh(full.larray, UPLO=UPLO)
    if stack:
        return wrap(a, w, a.gshape[:-1], a.split, a.counts)
    return wrap(a, w, w.shape, None)


def lanczos(a: Any, m: int, v0: Any = None, seed: int = 0) -> LanczosResult:
    """``m`` steps of the Lanczos process with full re-orthogonalisation for a Hermitian
    ``a``: ``V`` (n x m, orthonormal columns, split along rows like a row-split ``a``) and the
    real symmetric tridiagonal ``T = V^H A V`` (m x m, replicated). The eigenvalues of ``T``
    approximate ``a``'s extreme eigenvalues (``eigvalsh(T)``, ascending).

    ``v0`` is the start vector (default: drawn from ``torch.Generator(seed)``, the same on
    every rank). When the Krylov space becomes invariant a fresh random vector, orthogonal to
    the basis, continues the process (T gets a zero off-diagonal entry there).

    Examples
    --------
    >>> import heat as ht
    >>> v, t = ht.linalg.lanczos(ht.eye(5, split=0) * 2, 3)
    >>> v.shape, t.shape
    ((5, 3), (3, 3))
    """
    a = _hermitian("lanczos", a)
    if a.ndim != 2:
        raise ValueError(f"lanczos: expected a 2-d matrix, got shape {a.gshape}")
    n = a.gshape[0]
    if not isinstance(m, int) or not 1 <= m <= n:
        raise ValueError(f"lanczos: m must be an int in [1, {n}], got {m!r}")
    op = RowOperator("lanczos", a, hermitian=True)
    dev, tdt = a.larray.device, a.dtype.torch
    gen = torch.Generator(device=dev).manual_seed(seed)
    real = types.to_real(a.dtype).torch

    def random_block() -> torch.Tensor:
        full = torch.randn(n, generator=gen, dtype=real, device=dev).to(tdt)
        return full[op.rows]

    v = op.local(as_array(v0, a).astype(a.dtype)).clone() if v0 is not None else random_block()
    basis = torch.zeros((v.shape[0], m), dtype=tdt, device=dev)
    alpha = torch.zeros(m, dtype=real, device=dev)
    beta = torch.zeros(max(m - 1, 0), dtype=real, device=dev)

    def normalize(x: torch.Tensor) -> tuple[torch.Tensor, float]:
        nrm = float(op.dot((x, x))[0].real.sqrt())
        return (x / nrm if nrm > 0 else x), nrm

    def orthogonalize(x: torch.Tensor, k: int) -> torch.Tensor:
        for _ in range(2):
            coeff = basis[:, :k].mH @ x
            if op.distributed:
                coeff = op.comm.allreduce(coeff.contiguous(), "sum")
            x = x - basis[:, :k] @ coeff
        return x

    v, _ = normalize(v)
    for k in range(m):
        basis[:, k] = v
        w = op(v)
        alpha[k] = op.dot((v, w))[0].real
        if k == m - 1:
            break
        w = orthogonalize(w, k + 1)
        w, nrm = normalize(w)
        scale = float(alpha.abs().max()) if k else abs(float(alpha[0])) + 1.0
        if nrm <= 1e-10 * max(scale, 1.0):  # invariant subspace: restart orthogonally
            w, _ = normalize(orthogonalize(random_block(), k + 1))
            nrm = 0.0
        beta[k] = nrm
        v = w
    t = torch.diag(alpha) + torch.diag(beta, 1) + torch.diag(beta, -1)
    V = wrap(a, basis, (n, m), 0 if op.distributed else None, op.counts if op.distributed else None)
    return LanczosResult(V, wrap(a, t, (m, m), None))
