"""Scores as scikit-learn's, computed where the labels live: each is local work plus one
small all-reduce (silhouette: a ring over the samples, see :mod:`heat.ml._ring`)."""

from __future__ import annotations

from typing import Any

import torch

from heat.core import factories, types
from heat.core.dndarray import DNDarray
from heat.core.redistribution import to_layout

from .._data import as_samples, as_targets
from .._ring import ring

__all__ = ["accuracy_score", "adjusted_rand_score", "r2_score", "silhouette_score"]


def _pair(y_true: Any, y_pred: Any, who: str, float_result: bool) -> tuple[DNDarray, DNDarray]:
    """Both label vectors with one row layout (the prediction's when it is a DNDarray)."""
    rows = _column(y_pred if isinstance(y_pred, DNDarray) else y_true, who)
    t = as_targets(y_true, rows, who, "y_true", float_result=float_result)
    p = as_targets(y_pred, rows, who, "y_pred", float_result=float_result)
    return t, p


def _column(y: Any, who: str) -> DNDarray:
    """An (n, 1) float64 stand-in, split along rows, for the sample axis of ``y`` (only its
    layout is used)."""
    v = y if isinstance(y, DNDarray) else factories.array(y, split=0)
    if v.ndim == 2 and v.gshape[1] == 1:
        v = as_samples(v, who, "labels")
    elif v.ndim != 1:
        raise ValueError(f"{who}: labels must be 1-d, got shape {v.gshape}")
    if v.split != 0:
        v = to_layout(v, 0)
    local = torch.zeros((v.larray.shape[0], 1), dtype=torch.float64, device=v.larray.device)
    return DNDarray(local, (v.gshape[0], 1), types.float64, 0, v.device, v.comm, counts=v.counts)


def _allsum(t: torch.Tensor, like: DNDarray) -> torch.Tensor:
    if like.split is None or like.comm.size == 1:
        return t
    return like.comm.unchecked.allreduce(t.contiguous(), "sum")


def accuracy_score(y_true: Any, y_pred: Any) -> float:
    """The fraction of samples whose predicted label equals the true one.

    Examples
    --------
    >>> from heat.ml.metrics import accuracy_score
    >>> accuracy_score([0, 1, 1, 0], [0, 1, 0, 0])
    0.75
    """
    t, p = _pair(y_true, y_pred, "accuracy_score", float_result=False)
    hits = _allsum(
        torch.tensor([float((t.larray == p.larray).sum()), float(t.larray.numel())], dtype=torch.float64), t
    )
    return float(hits[0] / hits[1])


def r2_score(y_true: Any, y_pred: Any) -> float:
    """The coefficient of determination ``1 - SS_res / SS_tot`` (1.0 for a perfect fit; a
    constant ``y_true`` gives 1.0 when predicted exactly, else 0.0, as scikit-learn).

    Examples
    --------
    >>> from heat.ml.metrics import r2_score
    >>> r2_score([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    1.0
    """
    t, p = _pair(y_true, y_pred, "r2_score", float_result=True)
    yt, yp = t.larray.to(torch.float64), p.larray.to(torch.float64)
    first = _allsum(torch.stack([yt.sum(), torch.tensor(float(yt.numel()), dtype=torch.float64)]), t)
    mean = first[0] / first[1]
    second = _allsum(torch.stack([((yt - yp) ** 2).sum(), ((yt - mean) ** 2).sum()]), t)
    ss_res, ss_tot = float(second[0]), float(second[1])
    if ss_tot == 0:
        return 1.0 if ss_res == 0 else 0.0
    return 1.0 - ss_res / ss_tot


def _codes(y: DNDarray) -> tuple[torch.Tensor, int]:
    """Dense codes 0..c-1 of the label values of every rank (the values themselves are
    replicated: one all-gather of each rank's distinct values, which are few)."""
    local = torch.unique(y.larray)
    if y.split is not None and y.comm.size > 1:
        sizes = y.comm.allgather_object(int(local.numel()))
        every = y.comm.unchecked.allgather(local.contiguous(), counts=sizes)
        local = torch.unique(every)
    return torch.searchsorted(local, y.larray.contiguous()), int(local.numel())


def adjusted_rand_score(labels_true: Any, labels_pred: Any) -> float:
    """The Rand index adjusted for chance (scikit-learn's ``adjusted_rand_score``): the
    contingency table is one all-reduce of a (classes x clusters) count table.

    Examples
    --------
    >>> from heat.ml.metrics import adjusted_rand_score
    >>> adjusted_rand_score([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    """
    t, p = _pair(labels_true, labels_pred, "adjusted_rand_score", float_result=False)
    ct, nt = _codes(t)
    cp, np_ = _codes(p)
    table = torch.zeros(nt * np_, dtype=torch.float64)
    table.index_add_(0, ct * np_ + cp, torch.ones(ct.numel(), dtype=torch.float64))
    table = _allsum(table, t).reshape(nt, np_)
    n = float(table.sum())

    def comb2(v: torch.Tensor) -> float:
        return float((v * (v - 1) / 2).sum())

    sum_comb = comb2(table)
    sum_a, sum_b = comb2(table.sum(1)), comb2(table.sum(0))
    total = n * (n - 1) / 2
    if nt == np_ == 1 or nt == np_ == n or total == 0:
        return 1.0
    expected = sum_a * sum_b / total
    maximum = (sum_a + sum_b) / 2
    if maximum == expected:
        return 1.0
    return (sum_comb - expected) / (maximum - expected)


def silhouette_score(X: Any, labels: Any, metric: str = "euclidean") -> float:  # noqa: N803
    """The mean silhouette coefficient over all samples (scikit-learn's).

    The distances are never stored whole: the samples travel around the ring of ranks with
    their labels and every rank accumulates, for each of its samples, the summed distance to
    every cluster (n_local x c); one all-reduce gives the cluster sizes and one the final sum.

    Examples
    --------
    >>> from heat.ml.metrics import silhouette_score
    >>> round(silhouette_score([[0.0], [0.1], [5.0], [5.1]], [0, 0, 1, 1]), 3)
    0.98
    """
    from ..spatial.distance import pairwise_block

    x = as_samples(X, "silhouette_score")
    lab = as_targets(labels, x, "silhouette_score", "labels", float_result=False)
    codes, c = _codes(lab)
    if not 2 <= c <= x.gshape[0] - 1:
        raise ValueError(
            f"silhouette_score: Number of labels is {c}. Valid values are 2 to n_samples - 1 "
            f"(inclusive) = {x.gshape[0] - 1}"
        )
    sizes = _allsum(torch.bincount(codes, minlength=c).to(torch.float64), x)
    sums = torch.zeros((x.larray.shape[0], c), dtype=torch.float64)
    for _, (block, their) in ring([x.larray, codes], x.counts, x.comm):
        d = pairwise_block(x.larray, block, metric).to(torch.float64)
        sums.index_add_(1, their, d)
    own = sizes[codes]
    a = sums.gather(1, codes.unsqueeze(1))[:, 0] / (own - 1).clamp_min(1)
    mean_other = sums / sizes
    mean_other.scatter_(1, codes.unsqueeze(1), float("inf"))
    b = mean_other.min(1).values
    s = torch.where(own > 1, (b - a) / torch.maximum(a, b), torch.zeros_like(a))
    s = torch.nan_to_num(s)
    total = _allsum(torch.stack([s.sum(), torch.tensor(float(s.numel()), dtype=torch.float64)]), x)
    return float(total[0] / total[1])
