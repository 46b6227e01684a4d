"""The k-means kernels on local row blocks: assignment, the Lloyd update with one all-reduce,
k-means++ seeding, exact per-cluster medians. ``comm=None`` means the rows are all there is
(replicated or purely local data): no communication at all.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch

from heat.comm import Communicator

__all__ = ["LloydResult", "assign", "cluster_medians", "kmeanspp", "lloyd", "rows"]

T = torch.Tensor
Draw = Callable[[int], T]
"""``draw(m)``: m uniform floats in [0, 1) (float64), the same on every rank."""

_I64_MAX = torch.iinfo(torch.int64).max


def _sum(t: T, comm: Communicator | None, op: str = "sum") -> T:
    if comm is None or comm.size == 1:
        return t
    return comm.unchecked.allreduce(t.contiguous(), op)


def distances(x: T, centers: T, metric: str, x_sq: T | None = None) -> T:
    """(n, k) distances of the rows of ``x`` to ``centers``: squared Euclidean by the
    quadratic expansion (as scikit-learn's k-means) or city-block."""
    if metric == "sqeuclidean":
        if x_sq is None:
            x_sq = (x * x).sum(1)
        d = torch.addmm((centers * centers).sum(1).unsqueeze(0), x, centers.T, alpha=-2.0)
        return d.add_(x_sq.unsqueeze(1)).clamp_min_(0.0)
    return torch.cdist(x, centers, p=1.0)


def assign(x: T, centers: T, metric: str, x_sq: T | None = None) -> tuple[T, T]:
    """Nearest centre of every row and the distance to it (local, no communication)."""
    if x.shape[0] == 0:
        return torch.zeros(0, dtype=torch.int64, device=x.device), x.new_zeros(0)
    best = distances(x, centers, metric, x_sq).min(dim=1)
    return best.indices, best.values


def rows(x: T, index: T, offset: int, comm: Communicator | None) -> T:
    """The rows with global indices ``index`` (replicated) of the row-split data whose local
    block ``x`` starts at global row ``offset``: the owners fill them in, one all-reduce."""
    out = x.new_zeros((index.numel(), x.shape[1]))
    mine = (index >= offset) & (index < offset + x.shape[0])
    out[mine] = x[index[mine] - offset]
    return _sum(out, comm)


def kmeanspp(
    x: T, k: int, draw: Draw, comm: Communicator | None, counts: tuple[int, ...], metric: str = "sqeuclidean"
) -> T:
    """Greedy k-means++ seeding (scikit-learn's: ``2 + log(k)`` candidates per centre drawn with
    probability proportional to the distance to the nearest chosen centre, the one that
    lowers the potential most kept), distributed over row blocks.

    Candidates are located on the *global* cumulative sum of the distances: the ranks' block
    sums are known to every rank (one all-gather), so every rank agrees which rank owns a
    candidate; the owner finds the row in its local cumulative sum. Per centre: one
    all-reduce (the candidate rows) and one all-gather (every rank's potential for every
    candidate, which also gives the next round's block sums). Memory: O(n_local x trials).
    """
    rank = 0 if comm is None else comm.rank
    size = 1 if comm is None else comm.size
    n = sum(counts)
    offset = sum(counts[:rank])
    trials = 2 + int(math.log(k))
    first = torch.clamp((draw(1) * n).to(torch.int64), max=n - 1)
    centers = x.new_empty((k, x.shape[1]))
    centers[0] = rows(x, first, offset, comm)[0]
    x_sq = (x * x).sum(1) if metric == "sqeuclidean" else None
    closest = distances(x, centers[:1], metric, x_sq)[:, 0].to(torch.float64)

    def gathered(local: T) -> T:  # (size, m): every rank's row of local values
        row = local.reshape(1, -1).contiguous()
        if comm is None or size == 1:
            return row
        return comm.unchecked.allgather(row, counts=[1] * size)

    block_sums = gathered(closest.sum().reshape(1))[:, 0]
    for c in range(1, k):
        ends = torch.cumsum(block_sums, 0)
        targets = draw(trials) * float(ends[-1])
        nonempty = [q for q in range(size) if counts[q] > 0]
        owners = []
        for v in targets.tolist():
            hit = [q for q in nonempty if float(ends[q]) >= v]
            owners.append(hit[0] if hit else nonempty[-1])
        index = torch.full((trials,), -1, dtype=torch.int64)
        local_cum = torch.cumsum(closest, 0) + (float(ends[rank - 1]) if rank > 0 else 0.0)
        for t, (v, q) in enumerate(zip(targets.tolist(), owners, strict=True)):
            if q == rank:
                j = int(torch.searchsorted(local_cum, torch.tensor([v], dtype=torch.float64))[0])
                index[t] = offset + min(j, counts[rank] - 1)
        cand = x.new_zeros((trials, x.shape[1]))
        mine = index >= 0
        cand[mine] = x[index[mine] - offset]
        cand = _sum(cand, comm)
        to_cand = torch.minimum(closest.unsqueeze(1), distances(x, cand, metric, x_sq).to(torch.float64))
        pots = gathered(to_cand.sum(0))  # (size, trials)
        best = int(torch.argmin(pots.sum(0)))
        centers[c] = cand[best]
        closest = to_cand[:, best].contiguous()
        block_sums = pots[:, best].contiguous()
    return centers


@dataclass
class LloydResult:
    centers: T
    labels: T
    inertia: float
    n_iter: int


Update = Callable[[T, T, T, T], T]
"""``update(x, labels, old_centers, counts)``: the new centres (collective when distributed)."""


def lloyd(
    x: T,
    centers: T,
    comm: Communicator | None,
    max_iter: int,
    tol: float,
    metric: str = "sqeuclidean",
    weights: T | None = None,
    update: Update | None = None,
) -> LloydResult:
    """Lloyd iterations as scikit-learn's ``_kmeans_single_lloyd``: assign, update, stop on
    unchanged labels (strict convergence) or when the squared centre shift is <= ``tol``.

    k-means (``update=None``): every iteration is local work plus **one** all-reduce of a
    single buffer holding every cluster's coordinate sums and sizes, the inertia and the
    number of changed labels. An empty cluster keeps its previous centre. Other updates
    (medians, medoids) receive the cluster sizes from the same all-reduce.
    """
    k, d = centers.shape
    x_sq = (x * x).sum(1) if metric == "sqeuclidean" else None
    labels_old = torch.full((x.shape[0],), -1, dtype=torch.int64, device=x.device)
    strict = False
    inertia = 0.0
    labels = labels_old
    n_iter = 0
    for n_iter in range(1, max_iter + 1):  # noqa: B007 - the count is returned
        labels, dist = assign(x, centers, metric, x_sq)
        buf = x.new_zeros(k * d + k + 2)
        sums = buf[: k * d].view(k, d)
        w = None if weights is None else weights.to(x.dtype)
        if update is None:
            sums.index_add_(0, labels, x if w is None else x * w.unsqueeze(1))
        buf[k * d : k * d + k] = torch.bincount(labels, weights=w, minlength=k).to(x.dtype)
        buf[-2] = (dist if w is None else dist * w).sum()
        buf[-1] = (labels != labels_old).sum()
        buf = _sum(buf, comm)
        sums = buf[: k * d].view(k, d)
        sizes = buf[k * d : k * d + k]
        inertia = float(buf[-2])
        if update is None:
            new = torch.where(sizes.unsqueeze(1) > 0, sums / sizes.clamp_min(1).unsqueeze(1), centers)
        else:
            new = update(x, labels, centers, sizes)
        shift = float(((new - centers) ** 2).sum())
        centers = new
        if int(buf[-1]) == 0:
            strict = True
            break
        if shift <= tol:
            break
        labels_old = labels
    if not strict:
        labels, dist = assign(x, centers, metric, x_sq)
        total = (dist if weights is None else dist * weights.to(x.dtype)).sum().reshape(1)
        inertia = float(_sum(total, comm)[0])
    return LloydResult(centers, labels, inertia, n_iter)


def _keys(t: T) -> T:
    """Order-preserving int64 keys of float values (their float64 bit patterns)."""
    bits = t.to(torch.float64).view(torch.int64)
    return torch.where(bits < 0, bits ^ _I64_MAX, bits)


def _values(keys: T) -> T:
    return torch.where(keys < 0, keys ^ _I64_MAX, keys).view(torch.float64)


def cluster_medians(x: T, labels: T, k: int, sizes: T, old: T, comm: Communicator | None) -> T:
    """Exact per-cluster, per-feature medians (NumPy's: the mean of the two middle values for
    an even count) of row-split data, without moving any rows: a bisection on
    order-preserving 64-bit keys, one all-reduce of a (2, k, d) count table per step (at most
    64 steps). Empty clusters keep ``old``."""
    d = x.shape[1]
    keys = _keys(x)  # (n, d)
    m = sizes.round().to(torch.int64)  # (k,)
    want = torch.stack([(m - 1) // 2, m // 2]).unsqueeze(2).expand(2, k, d)  # order statistics
    lo = torch.full((2, k, d), torch.iinfo(torch.int64).min, dtype=torch.int64)
    hi = torch.full((2, k, d), _I64_MAX, dtype=torch.int64)
    if x.shape[0]:
        kmin = torch.full((k, d), _I64_MAX, dtype=torch.int64).scatter_reduce(
            0, labels.unsqueeze(1).expand(-1, d), keys, "amin"
        )
        kmax = torch.full((k, d), torch.iinfo(torch.int64).min, dtype=torch.int64).scatter_reduce(
            0, labels.unsqueeze(1).expand(-1, d), keys, "amax"
        )
    else:
        kmin = torch.full((k, d), _I64_MAX, dtype=torch.int64)
        kmax = torch.full((k, d), torch.iinfo(torch.int64).min, dtype=torch.int64)
    bounds = _sum(torch.stack([-(kmin + 1), kmax]), comm, "max")  # -(v+1) never overflows
    lo[:] = -bounds[0] - 1
    hi[:] = bounds[1]
    empty = (m == 0).view(1, k, 1).expand(2, k, d)
    hi = torch.where(empty, lo, hi)
    while bool((lo < hi).any()):
        mid = (lo >> 1) + (hi >> 1) + (lo & hi & 1)
        below = (keys.unsqueeze(0) <= mid[:, labels, :]).to(torch.int64)  # (2, n, d)
        cnt = torch.zeros((2, k, d), dtype=torch.int64).index_add_(1, labels, below)
        cnt = _sum(cnt, comm)
        enough = cnt >= want + 1
        hi = torch.where(enough, mid, hi)
        lo = torch.where(enough, lo, mid + 1)
    vals = _values(lo).to(x.dtype)
    med = (vals[0] + vals[1]) / 2
    return torch.where((m > 0).unsqueeze(1), med, old)
