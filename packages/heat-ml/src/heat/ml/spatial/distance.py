"""Pairwise distances and kernels between the rows of two arrays.

Distribution of ``cdist(X, Y)`` (n x m result):

- ``X`` split 0, ``Y`` replicated: local ``X_block`` against all of ``Y``; result split 0.
- ``X`` replicated, ``Y`` split 0: all of ``X`` against the local ``Y`` block; result split 1.
- both split 0: ``Y``'s row blocks travel around a ring of the ranks (:mod:`heat.ml._ring`),
  the transfer of the next block overlapping the distance computation on the current one;
  result split 0 with ``X``'s row layout. Per rank: O(n_local x m) result + two Y blocks.
- ``Y`` is ``X`` (or None), split 0: the symmetry ``D[j, i] = D[i, j]^T`` halves the work.
  Only ``floor(p / 2)`` ring steps run: at step ``s`` rank ``r`` computes the block
  ``D[r, r + s]`` and sends its transpose to rank ``r + s``, receiving ``D[r, r - s]``
  (computed by rank ``r - s``) in exchange; for even ``p`` the last step (``s = p / 2``) is
  computed by both partners and nothing is exchanged.
- both replicated: local; result replicated.

Unbalanced layouts work as they are (block sizes come from the arrays' layout maps).
"""

from __future__ import annotations

import math
from typing import Any

import torch

from heat.core import types
from heat.core.dndarray import DNDarray

from .._data import as_samples
from .._ring import ring

__all__ = ["cdist", "manhattan", "pairwise_block", "rbf"]

_METRICS = ("euclidean", "sqeuclidean", "cityblock", "manhattan", "cosine", "minkowski", "chebyshev")


def pairwise_block(
    a: torch.Tensor,
    b: torch.Tensor,
    metric: str = "euclidean",
    p: float = 2.0,
    quadratic_expansion: bool = False,
) -> torch.Tensor:
    """Distances between the rows of two local tensors (no communication)."""
    if metric == "euclidean":
        mode = "use_mm_for_euclid_dist" if quadratic_expansion else "donot_use_mm_for_euclid_dist"
        return torch.cdist(a, b, p=2.0, compute_mode=mode)
    if metric == "sqeuclidean":
        if quadratic_expansion:
            sq = (a * a).sum(1, keepdim=True) + (b * b).sum(1) - 2.0 * (a @ b.T)
            return sq.clamp_min_(0.0)
        return torch.cdist(a, b, p=2.0, compute_mode="donot_use_mm_for_euclid_dist").square_()
    if metric in ("cityblock", "manhattan"):
        return torch.cdist(a, b, p=1.0)
    if metric == "chebyshev":
        return torch.cdist(a, b, p=math.inf)
    if metric == "minkowski":
        return torch.cdist(a, b, p=p)
    # cosine
    an = a / a.norm(dim=1, keepdim=True)
    bn = b / b.norm(dim=1, keepdim=True)
    out: torch.Tensor = (1.0 - an @ bn.T).clamp_(0.0, 2.0)
    return out


_PIECE = 1 << 22  # result elements per piece in _fill_block: 16-32 MiB (measured best on this host)


def _fill_block(
    out: torch.Tensor,
    a: torch.Tensor,
    b: torch.Tensor,
    metric: str = "euclidean",
    p: float = 2.0,
    quadratic_expansion: bool = False,
) -> None:
    """``out[...] = pairwise_block(a, b, ...)`` where ``out`` is a (strided) slice of a larger
    result. On CPU the rows of ``a`` go in pieces whose distances fit in cache, so no
    ``len(a) x len(b)`` temporary is allocated (page faults) and written twice."""
    if a.device.type != "cpu":
        out.copy_(pairwise_block(a, b, metric, p, quadratic_expansion))
        return
    rows = max(1, _PIECE // max(1, b.shape[0]))
    for i in range(0, a.shape[0], rows):
        out[i : i + rows] = pairwise_block(a[i : i + rows], b, metric, p, quadratic_expansion)


def _check_metric(metric: str, p: float) -> None:
    if metric not in _METRICS:
        raise ValueError(f"cdist: unknown metric {metric!r}; choose one of {', '.join(_METRICS)}")
    if metric == "minkowski" and not p >= 1:
        raise ValueError(f"cdist: minkowski needs p >= 1, got p={p}")


def _pair(X: Any, Y: Any, who: str) -> tuple[DNDarray, DNDarray | None]:  # noqa: N803
    x = X if isinstance(X, DNDarray) and X.split is None else as_samples(X, who, "X")
    if x.split is None:
        x = _replicated_samples(x, who, "X")
    if Y is None or Y is X:
        return x, None
    comm = x.comm
    y = Y if isinstance(Y, DNDarray) and Y.split is None else as_samples(Y, who, "Y", comm=comm)
    if y.split is None:
        y = _replicated_samples(y, who, "Y")
    if x.gshape[1] != y.gshape[1]:
        raise ValueError(
            f"{who}: X has {x.gshape[1]} features but Y has {y.gshape[1]}; "
            "both need the same number of columns"
        )
    dt = torch.promote_types(x.dtype.torch, y.dtype.torch)
    if x.dtype.torch != dt:
        x = x.astype(types.from_torch(dt))
    if y.dtype.torch != dt:
        y = y.astype(types.from_torch(dt))
    return x, y


def _replicated_samples(x: DNDarray, who: str, name: str) -> DNDarray:
    """A replicated input stays replicated (validated and converted to float like as_samples)."""
    if x.ndim != 2:
        raise ValueError(f"{who}: Expected a 2D array for {name}, got shape {x.gshape}")
    if x.dtype.torch.is_complex:
        raise TypeError(f"{who}: complex {name} is not supported; pass real data")
    want = torch.float32 if x.dtype.torch in (torch.float32, torch.float16, torch.bfloat16) else torch.float64
    if x.dtype.torch != want:
        x = x.astype(types.from_torch(want))
    if not bool(torch.isfinite(x.larray).all()):
        raise ValueError(
            f"{who}: Input {name} contains NaN or infinity; remove or impute those samples first"
        )
    return x


def _result(
    t: torch.Tensor, shape: tuple[int, int], split: int | None, like: DNDarray, counts: Any
) -> DNDarray:
    return DNDarray(t, shape, types.from_torch(t.dtype), split, like.device, like.comm, counts=counts)


def _symmetric(x: DNDarray, metric: str, p: float, qe: bool) -> torch.Tensor:
    comm, size, rank = x.comm, x.comm.size, x.comm.rank
    counts = x.counts
    offsets = [sum(counts[:q]) for q in range(size)]
    a = x.larray
    out = torch.empty((a.shape[0], x.gshape[0]), dtype=a.dtype, device=a.device)
    sends: list[tuple[Any, torch.Tensor | None, torch.Tensor | None]] = []
    for step, (owner, (b,)) in enumerate(ring([a], counts, comm, steps=size // 2 + 1)):
        block = out[:, offsets[owner] : offsets[owner] + counts[owner]]
        _fill_block(block, a, b, metric, p, qe)
        if step == 0 or (size % 2 == 0 and step == size // 2):
            continue
        partner = (rank - step) % size
        target = out[:, offsets[partner] : offsets[partner] + counts[partner]]
        incoming = torch.empty((a.shape[0], counts[partner]), dtype=a.dtype, device=a.device)
        sends.append((comm.irecv(incoming, source=partner, tag=9200 + step), incoming, target))
        sends.append((comm.isend(block.T.contiguous(), dest=owner, tag=9200 + step), None, None))
    for req, got, where in sends:
        req.wait()
        if got is not None and where is not None:
            where.copy_(got)
    return out


def cdist(
    X: Any,  # noqa: N803 - SciPy's name
    Y: Any = None,  # noqa: N803
    metric: str = "euclidean",
    p: float = 2.0,
    quadratic_expansion: bool = False,
) -> DNDarray:
    """Distances between every row of ``X`` and every row of ``Y`` (``Y=None``: ``X``), as
    ``scipy.spatial.distance.cdist``.

    Parameters
    ----------
    X, Y : DNDarray or array-like, shape (n, d) and (m, d)
        Split along rows (0) or replicated; see the module docstring for the distribution.
    metric : {"euclidean", "sqeuclidean", "cityblock", "manhattan", "cosine", "minkowski", "chebyshev"}
    p : float
        The Minkowski order (``metric="minkowski"``).
    quadratic_expansion : bool
        Euclidean distances via ``|x|^2 + |y|^2 - 2 x.y`` (a matrix product: much faster,
        less accurate for nearly equal rows) instead of the exact differences.

    Returns
    -------
    DNDarray, shape (n, m)
        float32 for float32 inputs, float64 otherwise.

    Examples
    --------
    >>> import heat as ht
    >>> x = ht.array([[0.0, 0.0], [3.0, 4.0]], split=0)
    >>> ht.spatial.cdist(x).numpy()
    array([[0., 5.],
           [5., 0.]])
    """
    _check_metric(metric, p)
    x, y = _pair(X, Y, "cdist")
    n = x.gshape[0]
    if y is None:
        if x.split is None or x.comm.size == 1:
            d = pairwise_block(x.larray, x.larray, metric, p, quadratic_expansion)
            return _result(d, (n, n), x.split, x, None if x.split is None else x.counts)
        return _result(_symmetric(x, metric, p, quadratic_expansion), (n, n), 0, x, x.counts)
    m = y.gshape[0]
    if y.split is None:
        d = pairwise_block(x.larray, y.larray, metric, p, quadratic_expansion)
        return _result(d, (n, m), x.split, x, None if x.split is None else x.counts)
    if x.split is None:
        d = pairwise_block(x.larray, y.larray, metric, p, quadratic_expansion)
        return _result(d, (n, m), 1, x, y.counts)
    counts = y.counts
    offsets = [sum(counts[:q]) for q in range(y.comm.size)]
    out = torch.empty((x.larray.shape[0], m), dtype=x.larray.dtype, device=x.larray.device)
    for owner, (b,) in ring([y.larray], counts, y.comm):
        _fill_block(
            out[:, offsets[owner] : offsets[owner] + counts[owner]],
            x.larray,
            b,
            metric,
            p,
            quadratic_expansion,
        )
    return _result(out, (n, m), 0, x, x.counts)


def manhattan(X: Any, Y: Any = None) -> DNDarray:  # noqa: N803
    """City-block distances, ``cdist(X, Y, metric="cityblock")`` (Heat's name)."""
    return cdist(X, Y, metric="cityblock")


def rbf(
    X: Any,  # noqa: N803
    Y: Any = None,  # noqa: N803
    sigma: float = 1.0,
    quadratic_expansion: bool = False,
    gamma: float | None = None,
) -> DNDarray:
    """The Gaussian (RBF) kernel ``exp(-gamma |x - y|^2)`` with ``gamma = 1 / (2 sigma^2)``
    (pass ``gamma`` for scikit-learn's ``rbf_kernel`` parametrisation). Distributed as
    :func:`cdist`.

    Examples
    --------
    >>> import heat as ht
    >>> k = ht.spatial.rbf(ht.zeros((3, 2), split=0), sigma=2.0)
    >>> float(k.numpy().min())
    1.0
    """
    if gamma is None:
        if not sigma > 0:
            raise ValueError(f"rbf: sigma must be > 0, got {sigma}")
        gamma = 1.0 / (2.0 * sigma * sigma)
    d = cdist(X, Y, metric="sqeuclidean", quadratic_expansion=quadratic_expansion)
    d.larray.mul_(-gamma).exp_()
    return d
