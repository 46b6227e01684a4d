"""heat.linalg: distributed dense linear algebra on DNDarrays.

Products (``matmul`` and the contractions built on it), matrix helpers, norms, decompositions
(QR, SVD, eigh) and solvers. Local work is torch; communication goes through the arrays'
communicator. Every function documents its distribution (the algorithm and the result split)
and any replication it needs; see the package README for the table.

Examples
--------
>>> import heat as ht
>>> a = ht.ones((6, 4), split=0)
>>> (a.T @ a).shape
(4, 4)
"""

from __future__ import annotations

from .contractions import dot, einsum, inner, outer, tensordot, vdot, vecdot
from .eigen import EighResult, LanczosResult, eigh, eigvalsh, lanczos
from .errors import LinAlgError
from .lu import SlogdetResult, det, inv, slogdet, solve, solve_triangular
from .matrices import cross, kron, matrix_transpose, trace, tril, triu
from .norms import cond, matrix_norm, matrix_rank, norm, vector_norm
from .products import matmul
from .qr import QRResult, qr
from .solvers import LstsqResult, cg, cholesky, lstsq, pinv
from .svd import HSVDResult, SVDResult, hsvd, rsvd, svd, svdvals

__all__ = [
    # errors
    "LinAlgError",
    # products
    "cross",
    "dot",
    "einsum",
    "inner",
    "kron",
    "matmul",
    "matrix_transpose",
    "outer",
    "tensordot",
    "trace",
    "tril",
    "triu",
    "vdot",
    "vecdot",
    # norms
    "cond",
    "matrix_norm",
    "matrix_rank",
    "norm",
    "vector_norm",
    # decompositions
    "EighResult",
    "HSVDResult",
    "LanczosResult",
    "QRResult",
    "SVDResult",
    "eigh",
    "eigvalsh",
    "hsvd",
    "lanczos",
    "qr",
    "rsvd",
    "svd",
    "svdvals",
    # solvers and determinants
    "LstsqResult",
    "SlogdetResult",
    "cg",
    "cholesky",
    "det",
    "inv",
    "lstsq",
    "pinv",
    "slogdet",
    "solve",
    "solve_triangular",
]
