"""Analytic floating-point operation counts of the workloads (one count per algorithm).

Counts follow the algorithm as the harness runs it, not a framework's implementation: an
addition, multiplication, comparison, square root or exponential each counts as one operation.
GFLOP/s in the records is ``count / time / 1e9``.

>>> kmeans(n=100, d=10, k=8, iterations=30)
756000
"""

from __future__ import annotations


def kmeans(n: int, d: int, k: int, iterations: int) -> int:
    """Lloyd's k-means: per iteration the ``n x k`` squared distances (difference, square, sum:
    ``3 d`` each), the arg-min over ``k`` and the per-cluster sums of the ``n x d`` points."""
    per_iteration = 3 * n * k * d + n * k + n * d
    return iterations * per_iteration


def forward(n: int, d: int, h: int) -> int:
    """One dense layer ``relu(X @ W)``: ``2 n d h`` for the product, ``n h`` for the relu."""
    return 2 * n * d * h + n * h


def lasso(n: int, d: int, iterations: int) -> int:
    """Cyclic coordinate descent on a residual: per coordinate one dot product (``2 n``) and one
    residual update (``2 n``), per sweep ``d`` coordinates, plus centring ``X`` and ``y`` once."""
    return iterations * 4 * n * d + 2 * n * (d + 1)


def cdist(n: int, m: int, d: int) -> int:
    """Euclidean distances by the quadratic expansion ``|x|^2 + |y|^2 - 2 x.y``: ``2 n m d`` for
    the product, the row norms (``2 (n + m) d``) and ``4 n m`` for the sums, clamp and root."""
    return 2 * n * m * d + 2 * (n + m) * d + 4 * n * m


def spectral(n: int, d: int, k: int, lanczos: int, kmeans_iterations: int) -> int:
    """Spectral clustering with a dense RBF affinity: the ``n x n`` squared distances, their
    exponentials (``cdist + 2 n^2``), the symmetric normalisation (``3 n^2``), ``lanczos``
    matrix-vector products (``2 n^2`` each) with full re-orthogonalisation (``4 n j`` at step ``j``)
    and k-means on the ``n x k`` embedding."""
    affinity = cdist(n, n, d) + 2 * n * n + 3 * n * n
    krylov = lanczos * 2 * n * n + 2 * n * lanczos * (lanczos + 1)
    return affinity + krylov + kmeans(n, k, k, kmeans_iterations)
