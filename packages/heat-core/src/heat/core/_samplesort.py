"""Parallel sample sort of 1-d lanes cut across ranks, and the routing kernels built on it.

A distributed array sorted along its split axis is a batch of *lanes* (every 1-d line along
that axis), each cut into the same per-rank pieces. :func:`sample_sort` sorts all lanes of a
rank's ``(lanes, n_local)`` block together:

1. local stable sort of every lane;
2. regular samples (at most p per lane and rank) carrying their tie-break ``(rank, position)``,
   one all-gather; each lane picks its own p - 1 splitters from its sorted samples;
3. every lane's sorted run is cut at its splitters (searchsorted, ties broken by the
   splitter's origin, so that equal values never straddle a cut out of order) and one
   all-to-all-v moves each piece to its bucket's rank (the first move);
4. a local merge of the received runs (a stable sort: torch has no k-way merge kernel);
5. one more all-to-all-v moves the globally sorted runs to the balanced layout (the second
   move); an element moves at most twice.

Pieces of several lanes travel in one message per rank pair, grouped by destination: the
``(lane, rank)`` segment tables are regrouped with one gather index (no Python loop over
lanes). Ties keep their global order (stable): pieces arrive in source-rank order and every
local sort is stable, which is NumPy's order for ``kind="stable"``.

Splitters and searches compare order-preserving int64 keys (:func:`keys`): NaN of either
sign is the largest value and ``-0.0 == 0.0``, exactly as ``torch.sort`` orders floats.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

from heat.comm import Communicator, partition

__all__ = ["exchange", "keys", "partition_lanes", "query_owners", "sample_sort"]

T = torch.Tensor
_I64_MAX = torch.iinfo(torch.int64).max


def keys(t: T, descending: bool = False) -> T:
    """Order-preserving int64 keys of real values, in ``torch.sort``'s order (NaN last,
    ``-0.0 == 0.0``); reversed (bitwise not) when ``descending``.

    Examples
    --------
    >>> keys(torch.tensor([-1.5, float("nan"), 0.0, -0.0])).argsort(stable=True).tolist()
    [0, 2, 3, 1]
    """
    if t.is_floating_point():
        f = t.to(torch.float64) + 0.0  # -0.0 + 0.0 is +0.0
        bits = f.view(torch.int64)
        k = torch.where(bits < 0, bits ^ _I64_MAX, bits)
        k = torch.where(torch.isnan(f), _I64_MAX, k)
    else:
        k = t.to(torch.int64)
    return ~k if descending else k


def _exclusive(t: T) -> T:
    return torch.cumsum(t, 0) - t


def _regroup(sizes: T) -> T | None:
    """Gather index that reorders segments laid out row-major over ``sizes`` (an (R, S) table
    of segment lengths) into column-major order (segment (r, s) before (r + 1, s)); None when
    the order does not change (one row or one column)."""
    r, s = sizes.shape
    if r <= 1 or s <= 1:
        return None
    starts = _exclusive(sizes.reshape(-1)).reshape(r, s).T.reshape(-1)
    lengths = sizes.T.reshape(-1)
    total = int(lengths.sum())
    seg = torch.repeat_interleave(torch.arange(r * s), lengths)
    within = torch.arange(total) - _exclusive(lengths)[seg]
    return starts[seg] + within


def exchange(comm: Communicator, tensors: Sequence[T], send: T) -> tuple[list[T], T]:
    """Move lane pieces between ranks: ``send[b, j]`` consecutive elements of lane ``b`` go to
    rank ``j`` (each lane's elements laid out in destination order, lanes one after the other in
    the flat ``tensors``). Returns the received tensors, lane after lane with each lane's
    pieces in source-rank order, and the (lanes, ranks) table of received piece lengths.
    Collective: one small all-to-all-v of the table, one all-to-all-v per tensor."""
    lanes, p = send.shape
    device = tensors[0].device
    order = _regroup(send)
    if order is not None:
        order = order.to(device)
        tensors = [t[order] for t in tensors]
    per_rank = send.sum(0).tolist()
    table = comm.alltoallv(send.T.contiguous().reshape(-1), [lanes] * p).reshape(p, lanes)
    moved = [comm.alltoallv(t.contiguous(), per_rank) for t in tensors]
    back = _regroup(table)
    if back is not None:
        back = back.to(device)
        moved = [t[back] for t in moved]
    return moved, table.T.contiguous()


def _merge(values: T, extra: T | None, lengths: T, descending: bool) -> tuple[T, T | None]:
    """Stable sort of every lane of a flat lane-after-lane layout (lane lengths ``lengths``)."""
    order = torch.sort(values, stable=True, descending=descending).indices
    if lengths.numel() > 1:
        lane = torch.repeat_interleave(
            torch.arange(lengths.numel(), device=values.device), lengths.to(values.device)
        )
        order = order[torch.sort(lane[order], stable=True).indices]
    return values[order], None if extra is None else extra[order]


def sample_sort(
    block: T,
    comm: Communicator,
    counts: Sequence[int],
    *,
    descending: bool = False,
    with_indices: bool = False,
) -> tuple[T, T | None]:
    """Sort every lane of a block of lanes cut across ranks (see the module notes).

    Parameters
    ----------
    block : torch.Tensor
        This rank's (lanes, counts[rank]) piece; every rank has the same number of lanes.
    comm : Communicator
        The ranks the lanes are cut over.
    counts : sequence of int
        Every rank's piece length (the same on every rank).
    descending : bool
        Largest first (NaN first), ties still in their global order.
    with_indices : bool
        Also return each element's global position along the lane in the input.

    Returns
    -------
    values, indices
        This rank's (lanes, balanced count) piece of the sorted lanes, and the global input
        positions of those values (None unless ``with_indices``).
    """
    comm = comm.unchecked
    p, rank = comm.size, comm.rank
    lanes, n_local = block.shape
    total = sum(counts)
    offset = partition.displs(counts)[rank]
    device = block.device
    values, order = torch.sort(block, dim=1, stable=True, descending=descending)
    k = keys(values, descending).contiguous()

    # regular samples: (key, origin rank, local sorted position), at most p per lane and rank
    n_samples = [min(c, p) for c in counts]
    positions = (
        (torch.arange(n_samples[rank], device=device) * 2 + 1) * n_local // (2 * max(n_samples[rank], 1))
    )
    mine = torch.stack(
        [
            k[:, positions],
            torch.full((lanes, positions.numel()), rank, dtype=torch.int64, device=device),
            positions.expand(lanes, -1),
        ],
        dim=2,
    )
    samples = comm.allgather(mine.contiguous(), axis=1, counts=n_samples)
    by_key = torch.sort(samples[:, :, 0], dim=1, stable=True).indices  # rank-ordered ties stay ordered
    samples = torch.gather(samples, 1, by_key.unsqueeze(2).expand(-1, -1, 3))
    n_all = samples.shape[1]
    picks = torch.arange(1, p, device=device) * n_all // p
    split_key, split_rank, split_pos = samples[:, picks].unbind(2)

    # cut each local run at the splitters: equal keys are ordered by (rank, position)
    lo = torch.searchsorted(k, split_key.contiguous(), right=False)
    hi = torch.searchsorted(k, split_key.contiguous(), right=True)
    cut = torch.where(split_rank < rank, lo, torch.where(split_rank > rank, hi, split_pos))
    edges = torch.cat(
        [
            torch.zeros((lanes, 1), dtype=torch.int64, device=device),
            cut,
            torch.full((lanes, 1), n_local, device=device),
        ],
        dim=1,
    )
    send = torch.diff(edges, dim=1).cpu()
    flat = [values.reshape(-1)]
    if with_indices:
        flat.append((order + offset).reshape(-1))
    moved, got = exchange(comm, flat, send)
    lengths = got.sum(1)
    merged, idx = _merge(moved[0], moved[1] if with_indices else None, lengths, descending)

    # the runs are globally sorted, rank after rank: move them to the balanced layout
    start = comm.exscan(lengths, "sum")
    target = partition.counts(total, p)
    t_lo = torch.tensor(partition.displs(target), dtype=torch.int64)
    t_hi = t_lo + torch.tensor(target, dtype=torch.int64)
    s_lo, s_hi = start.unsqueeze(1), (start + lengths).unsqueeze(1)
    send = (torch.minimum(s_hi, t_hi) - torch.maximum(s_lo, t_lo)).clamp(min=0)
    flat = [merged] if idx is None else [merged, idx]
    moved, _ = exchange(comm, flat, send)
    out = [t.reshape(lanes, target[rank]) for t in moved]
    return out[0], out[1] if with_indices else None


def query_owners(
    comm: Communicator,
    block: T,
    counts: Sequence[int],
    queries: T,
    side: str,
    answer: Callable[[T, T], T],
) -> T:
    """Answer 1-d ``queries`` (keys) against a sorted 1-d array of keys cut across ranks
    (``block`` is this rank's piece, ``counts`` every rank's length): each query goes to the
    rank whose block range holds it (block boundaries as splitters: the last non-empty rank whose
    first key is below the query, or at most it for ``side="right"``), which computes
    ``answer(block, received_queries)`` (int64, one per query); the answers come back in query
    order. Collective: three all-to-all-v (counts, queries, answers) and one small all-gather.
    """
    comm = comm.unchecked
    p = comm.size
    device = queries.device
    first = block[:1] if block.numel() else torch.zeros(1, dtype=torch.int64, device=device)
    firsts = comm.allgather(first.contiguous(), counts=[1] * p)
    full = torch.tensor([c > 0 for c in counts], device=firsts.device)
    ranks = torch.arange(p, device=firsts.device)[full]
    bounds = firsts[full].to(device)
    j = torch.searchsorted(bounds, queries.contiguous(), right=side == "right") - 1
    owner = ranks.to(device)[j.clamp(min=0)]
    order = torch.sort(owner, stable=True).indices
    send = torch.bincount(owner, minlength=p).cpu()
    recv = comm.alltoallv(send, [1] * p)
    asked = comm.alltoallv(queries[order].contiguous(), send.tolist())
    replies = comm.alltoallv(answer(block, asked).contiguous(), recv.tolist())
    result = torch.empty_like(replies)
    result[order] = replies
    return result


def partition_lanes(
    block: T, comm: Communicator, counts: Sequence[int], pivots: T, *, with_indices: bool = False
) -> tuple[T, T | None]:
    """Partition every lane of a block of lanes cut across ranks around its ``pivots``.

    ``pivots`` ((lanes, m) keys, nondecreasing along each lane) are the keys of the lane's
    order statistics, found beforehand by a distributed selection. Every element gets a class
    (below the first pivot, equal to it, between it and the next, ...); the classes are laid
    out in order, each in input order (so the partition is stable), which puts every order
    statistic where a sort would. Class sizes (one all-reduce and one exclusive scan of a
    (lanes, 2m + 1) table) give every element its global position, and one all-to-all-v moves
    it straight to the balanced owner of that position: each element moves once.

    Returns this rank's (lanes, balanced count) piece and, with ``with_indices``, the global
    input positions of its values.
    """
    comm = comm.unchecked
    p, rank = comm.size, comm.rank
    lanes, n_local = block.shape
    device = block.device
    m = pivots.shape[1]
    k = keys(block)
    lo = torch.searchsorted(pivots.contiguous(), k.contiguous())
    equal = (lo < m) & (k == pivots.gather(1, lo.clamp(max=m - 1)))
    cls = 2 * lo + equal
    local = torch.zeros((lanes, 2 * m + 1), dtype=torch.int64, device=device)
    local.scatter_add_(1, cls, torch.ones_like(cls))
    every = comm.allreduce(local.cpu().contiguous(), "sum").to(device)
    before = comm.exscan(local.cpu().contiguous(), "sum").to(device)
    class_start = torch.cumsum(every, 1) - every + before
    order = torch.sort(cls, dim=1, stable=True).indices
    cls = cls.gather(1, order)
    within = torch.arange(n_local, device=device) - (torch.cumsum(local, 1) - local).gather(1, cls)
    position = class_start.gather(1, cls) + within
    target = partition.counts(sum(counts), p)
    t_hi = torch.tensor(partition.displs(target), dtype=torch.int64, device=device) + torch.tensor(
        target, device=device
    )
    cuts = torch.searchsorted(position.contiguous(), t_hi.expand(lanes, -1).contiguous())
    send = torch.diff(cuts, dim=1, prepend=torch.zeros((lanes, 1), dtype=torch.int64, device=device)).cpu()
    flat = [block.gather(1, order).reshape(-1), position.reshape(-1)]
    if with_indices:
        flat.append((order + partition.displs(counts)[rank]).reshape(-1))
    moved, _ = exchange(comm, flat, send)
    mine = target[rank]
    slot = moved[1].reshape(lanes, mine) - partition.displs(target)[rank]
    values = torch.empty((lanes, mine), dtype=block.dtype, device=device).scatter_(
        1, slot, moved[0].reshape(lanes, mine)
    )
    if not with_indices:
        return values, None
    indices = torch.empty((lanes, mine), dtype=torch.int64, device=device).scatter_(
        1, slot, moved[2].reshape(lanes, mine)
    )
    return values, indices
