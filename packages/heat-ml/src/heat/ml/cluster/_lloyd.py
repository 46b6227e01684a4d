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

from . import _fused

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
    if metric == "sqeuclidean":  # centres x rows: the faster GEMM shape for few centres
        if x_sq is None:
            x_sq = (x * x).sum(1)
        d = torch.addmm((centers * centers).sum(1).unsqueeze(1), centers, x.T, alpha=-2.0)
        best = d.add_(x_sq.unsqueeze(0)).clamp_min_(0.0).min(dim=0)
    else:
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
    x: T,
    k: int,
    draw: Draw,
    comm: Communicator | None,
    counts: tuple[int, ...],
    metric: str = "sqeuclidean",
    weights: T | None = None,
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
    w = None if weights is None else weights.to(torch.float64)

    def gathered(local: T) -> T:  # (size, m): every rank's row of local values
        row = local.reshape(1, -1).contiguous()
        if comm is None or size == 1:
            return row
        return comm.unchecked.allgather(row, counts=[1] * size)

    def locate(values: T, block_sums: T, m: int) -> T:
        """``m`` rows drawn with probability proportional to ``values`` (this rank's part of a
        row-split non-negative vector whose per-rank sums are ``block_sums``): their global
        indices, known only to the owning rank (-1 elsewhere)."""
        ends = torch.cumsum(block_sums, 0)
        targets = draw(m) * float(ends[-1])
        nonempty = [q for q in range(size) if counts[q] > 0]
        index = torch.full((m,), -1, dtype=torch.int64)
        local_cum = torch.cumsum(values, 0) + (float(ends[rank - 1]) if rank > 0 else 0.0)
        for t, v in enumerate(targets.tolist()):
            hit = [q for q in nonempty if float(ends[q]) >= v]
            if (hit[0] if hit else nonempty[-1]) == rank:
                j = int(torch.searchsorted(local_cum, torch.tensor([v], dtype=torch.float64))[0])
                index[t] = offset + min(j, counts[rank] - 1)
        return index

    if w is None:
        first = torch.clamp((draw(1) * n).to(torch.int64), max=n - 1)
    else:  # scikit-learn: the first centre with probability proportional to the weights
        first = _sum(locate(w, gathered(w.sum().reshape(1))[:, 0], 1), comm, "max")
    centers = x.new_empty((k, x.shape[1]))
    centers[0] = rows(x, first, offset, comm)[0]
    x_sq = (x * x).sum(1) if metric == "sqeuclidean" else None
    closest = distances(x, centers[:1], metric, x_sq)[:, 0].to(torch.float64)
    if w is not None:
        closest = closest * w

    block_sums = gathered(closest.sum().reshape(1))[:, 0]
    for c in range(1, k):
        index = locate(closest, block_sums, trials)
        cand = x.new_zeros((trials, x.shape[1]))
        mine = index >= 0
        cand[mine] = x[index[mine] - offset]
        cand = _sum(cand, comm)
        to_cand_d = distances(x, cand, metric, x_sq).to(torch.float64)
        if w is not None:
            to_cand_d = to_cand_d * w.unsqueeze(1)
        to_cand = torch.minimum(closest.unsqueeze(1), to_cand_d)
        pots = gathered(to_cand.sum(0))  # (size, trials)
        best = int(torch.argmin(pots.sum(0)))
        centers[c] = cand[best]
        closest = to_cand[:, best].contiguous()
        block_sums = pots[:, best].contiguous()
    return centers


def _cluster_sums(out: T, labels: T, x: T) -> None:
    """``out[c] = sum of the rows labelled c``: a one-hot matrix product for few clusters
    (several times faster than ``index_add_`` on CPU), ``index_add_`` beyond."""
    k = out.shape[0]
    if k <= 64:
        onehot = torch.zeros((x.shape[0], k), dtype=x.dtype, device=x.device)
        onehot.scatter_(1, labels.unsqueeze(1), 1.0)
        torch.mm(onehot.T, x, out=out) if out.is_contiguous() else out.copy_(onehot.T @ x)
    else:
        out.index_add_(0, labels, x)


@dataclass
class LloydResult:
    centers: T
    labels: T
    inertia: float
    n_iter: int


Update = Callable[[T, T, T, T, T | None], T]
"""``update(x, labels, old_centers, sizes, weights)``: the new centres (collective when
distributed); ``sizes`` are the all-reduced (weighted) cluster sizes, ``weights`` this block's
sample weights or None."""


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
    number of changed labels. On CPU the local work is one fused pass (``_fused.step``) when
    the compiled kernel is available. Empty clusters are relocated as scikit-learn does:
    k-means on the sums (``_relocate``); other updates (medians, medoids), which receive the
    cluster sizes from the same all-reduce, on the labels (``_relocate_members``).
    """
    k, d = centers.shape
    squares: list[T] = []  # |x|^2 per row, computed once if the torch path runs

    def row_norms() -> T | None:
        if metric != "sqeuclidean":
            return None
        if not squares:
            squares.append((x * x).sum(1))
        return squares[0]

    labels_old = torch.full((x.shape[0],), -1, dtype=torch.int64, device=x.device)
    strict = False
    inertia = 0.0
    labels = labels_old
    n_iter = 0
    fusable = update is None and metric == "sqeuclidean"
    for n_iter in range(1, max_iter + 1):  # noqa: B007 - the count is returned
        stats = _fused.step(x, centers, labels_old, weights) if fusable else None
        if stats is not None:  # labels_old now holds the new labels
            labels, buf = labels_old, stats.to(x.dtype)
        else:
            labels, dist = assign(x, centers, metric, row_norms())
            buf = x.new_zeros(k * d + k + 2)
            sums = buf[: k * d].view(k, d)
            w = None if weights is None else weights.to(x.dtype)
            if update is None:
                _cluster_sums(sums, labels, x if w is None else x * w.unsqueeze(1))
            buf[k * d : k * d + k] = torch.bincount(labels, weights=w, minlength=k).to(x.dtype)
            buf[-2] = (dist if w is None else dist * w).sum()
            buf[-1] = (labels != labels_old).sum()
        buf = _sum(buf, comm)
        sums = buf[: k * d].view(k, d)
        sizes = buf[k * d : k * d + k]
        inertia = float(buf[-2])
        if bool((sizes == 0).any()):  # every rank sees the same sizes: all take the branch
            if update is None:
                _relocate(x, centers, labels, weights, sums, sizes, comm)
            else:
                labels = labels.clone()  # the assignment's labels stay for the convergence count
                _relocate_members(x, dist, labels, weights, sizes, comm)
        if update is None:
            safe = torch.where(sizes > 0, sizes, torch.ones_like(sizes))  # weights may sum below 1
            new = torch.where(sizes.unsqueeze(1) > 0, sums / safe.unsqueeze(1), centers)
        else:
            new = update(x, labels, centers, sizes, weights)
        shift = float(((new - centers) ** 2).sum())
        centers = new
        if int(buf[-1]) == 0:
            strict = True
            break
        if shift <= tol:
            break
        labels_old = labels
    if not strict:
        labels = labels.clone()
        stats = _fused.step(x, centers, labels, weights) if fusable else None
        if stats is not None:
            total = stats[-2:-1].to(x.dtype)
        else:
            labels, dist = assign(x, centers, metric, row_norms())
            total = (dist if weights is None else dist * weights.to(x.dtype)).sum().reshape(1)
        inertia = float(_sum(total, comm)[0])
    return LloydResult(centers, labels, inertia, n_iter)


def _farthest(
    x: T, dist: T, labels: T, weights: T | None, e: int, comm: Communicator | None
) -> list[list[float]]:
    """The (at most) ``e`` rows farthest from their centres over all ranks, in decreasing
    ``dist`` (ties: the lower global index, i.e. lower rank, then lower local index), each as
    ``[dist, rank, local index, weight, label, *row]``; rows whose ``dist`` is not finite are
    never chosen. One all-gather of ``e x (d + 5)`` values."""
    d = x.shape[1]
    rank = 0 if comm is None else comm.rank
    dist = dist.to(torch.float64)
    top = torch.topk(dist, min(e, dist.numel())).indices
    m = top.numel()
    w = torch.ones_like(dist) if weights is None else weights.to(torch.float64)
    offer = torch.full((e, d + 5), float("-inf"), dtype=torch.float64)
    offer[:m, 0], offer[:m, 1], offer[:m, 2] = dist[top], float(rank), top.to(torch.float64)
    offer[:m, 3], offer[:m, 4], offer[:m, 5:] = w[top], labels[top].to(torch.float64), x[top].double()
    if comm is not None and comm.size > 1:
        offer = comm.unchecked.allgather(offer.unsqueeze(0).contiguous(), counts=[1] * comm.size)
    offer = offer.reshape(-1, d + 5)
    rows: list[list[float]] = offer[torch.isfinite(offer[:, 0])].tolist()
    rows.sort(key=lambda o: (-o[0], o[1], o[2]))
    return rows[:e]


def _relocate(
    x: T, centers: T, labels: T, weights: T | None, sums: T, sizes: T, comm: Communicator | None
) -> None:
    """scikit-learn's relocation of empty clusters, in place on the all-reduced ``sums`` and
    ``sizes``: the e samples farthest (squared Euclidean) from their previous centres, e the
    number of empty clusters (``_farthest``), each leave their cluster and become the sole
    member of an empty one. Runs only when a cluster is empty (every rank sees the same
    sizes, so every rank takes the branch)."""
    empty = torch.nonzero(sizes == 0).flatten().tolist()
    dist = ((x - centers[labels]) ** 2).sum(1)
    for cluster, o in zip(empty, _farthest(x, dist, labels, weights, len(empty), comm), strict=False):
        weight, old = o[3], int(o[4])
        row = torch.tensor(o[5:], dtype=sums.dtype, device=sums.device)
        sums[old] -= row * weight
        sums[cluster] = row * weight
        sizes[cluster] = weight
        sizes[old] -= weight


def _relocate_members(
    x: T, dist: T, labels: T, weights: T | None, sizes: T, comm: Communicator | None
) -> None:
    """The relocation of empty clusters for updates that read cluster members (medians,
    medoids): the e rows farthest from their centres (in the assignment's metric; rows of
    weight zero are never moved) are relabelled, in place, to the e empty clusters, whose
    centre each then is; ``sizes`` follow."""
    empty = torch.nonzero(sizes == 0).flatten().tolist()
    if weights is not None:
        dist = torch.where(weights > 0, dist, torch.full_like(dist, float("-inf")))
    rank = 0 if comm is None else comm.rank
    for cluster, o in zip(empty, _farthest(x, dist, labels, weights, len(empty), comm), strict=False):
        if int(o[1]) == rank:
            labels[int(o[2])] = cluster
        sizes[cluster] = o[3]
        sizes[int(o[4])] -= o[3]


def _keys(t: T) -> T:
    """Order-preserving int64 keys of float values (their float64 bit patterns)."""
    bits = t.to(torch.float64).view(torch.int64)
    return torch.where(bits < 0, bits ^ _I64_MAX, bits)


def _values(keys: T) -> T:
    return torch.where(keys < 0, keys ^ _I64_MAX, keys).view(torch.float64)


def cluster_medians(
    x: T, labels: T, k: int, old: T, comm: Communicator | None, weights: T | None = None
) -> T:
    """Exact per-cluster, per-feature medians (NumPy's: the mean of the two middle values for
    an even count) of row-split data, without moving any rows.

    With ``weights`` the median is the weighted one that treats an integer weight as that
    many copies of the row: the mean of the smallest value whose cumulative weight reaches
    half the cluster's weight and the smallest value whose cumulative weight exceeds it
    (unit weights give NumPy's median; zero weights drop a row).

    A multi-way bisection on order-preserving 64-bit keys: each step counts (weighs), for
    every (middle, cluster, feature), the keys below ``B - 1`` pivots that cut the remaining
    interval into ``B`` parts; one all-reduce of the (2, k, d, B - 1) table per step.
    ``B = 16`` (at most ~17 steps) while the global data is small enough for the (2, n, d, 15)
    local comparison, ``B = 2`` (at most 64 steps) beyond. Clusters of zero weight keep
    ``old``. Counts and weights are summed in float64 (exact for counts below 2^53).
    """
    d = x.shape[1]
    w = torch.ones(x.shape[0], dtype=torch.float64) if weights is None else weights.to(torch.float64)
    totals = torch.zeros(k + 1, dtype=torch.float64).index_add_(0, labels, w)
    totals[k] = float(x.shape[0])
    totals = _sum(totals, comm)  # the clusters' weights and the global number of rows
    half, n_total = totals[:k] / 2, int(totals[k])
    ways = 16 if n_total * d <= 1 << 16 else 2
    keys = _keys(x)  # (n, d)
    m = totals[:k] > 0  # (k,) clusters with members of positive weight
    big, small = _I64_MAX, torch.iinfo(torch.int64).min
    index = labels.unsqueeze(1).expand(-1, d)
    kmin = torch.full((k, d), big, dtype=torch.int64)
    kmax = torch.full((k, d), small, dtype=torch.int64)
    if x.shape[0]:
        kmin = kmin.scatter_reduce(0, index, keys, "amin")
        kmax = kmax.scatter_reduce(0, index, keys, "amax")
    bounds = _sum(torch.stack([-(kmin + 1), kmax]), comm, "max")  # -(v+1) never overflows
    lo = (-bounds[0] - 1).unsqueeze(0).expand(2, k, d).clone()
    hi = bounds[1].unsqueeze(0).expand(2, k, d).clone()
    hi = torch.where(~m.view(1, k, 1), lo, hi)
    steps = torch.arange(1, ways, dtype=torch.int64)  # (B-1,)
    while bool((lo < hi).any()):
        straddle = (lo < 0) & (hi >= 0)  # split off the negatives first: later spans fit int64
        span = torch.where(straddle, torch.zeros_like(lo), hi - lo)
        step = span // ways + 1
        pivots = torch.minimum(lo.unsqueeze(3) + steps * step.unsqueeze(3) - 1, hi.unsqueeze(3))
        pivots = torch.where(straddle.unsqueeze(3), torch.full_like(pivots, -1), pivots)  # (2, k, d, B-1)
        below = (keys.view(1, -1, d, 1) <= pivots[:, labels]).to(torch.float64)  # (2, n, d, B-1)
        below *= w.view(1, -1, 1, 1)
        cnt = _sum(torch.zeros(pivots.shape, dtype=torch.float64).index_add_(1, labels, below), comm)
        reach = half.view(k, 1, 1)  # the lower middle reaches half the weight, the upper exceeds it
        enough = torch.stack([cnt[0] >= reach, cnt[1] > reach])
        first = torch.where(enough.any(3), enough.to(torch.int8).argmax(3), torch.full_like(lo, ways - 1))
        upper = torch.cat([pivots, hi.unsqueeze(3)], 3).gather(3, first.unsqueeze(3))[..., 0]
        lower = torch.cat([lo.unsqueeze(3) - 1, pivots], 3).gather(3, first.unsqueeze(3))[..., 0] + 1
        active = lo < hi
        lo = torch.where(active, lower, lo)
        hi = torch.where(active, upper, hi)
    vals = _values(lo).to(x.dtype)
    med = (vals[0] + vals[1]) / 2
    return torch.where(m.unsqueeze(1), med, old)
