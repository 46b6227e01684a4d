"""Counting: bincount, histogram, histogram_bin_edges, digitize.

Counts are local (``torch.bincount`` / ``searchsorted`` on the local block) and combined with
one all-reduce; bin edges come from the global minimum and maximum (one all-reduce each). The
counts are small and replicated by definition.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from . import types
from .dndarray import DNDarray
from .reductions import _as_array

__all__ = ["bincount", "digitize", "histogram", "histogram_bin_edges"]

T = torch.Tensor


def _replicated(x: DNDarray, t: T) -> DNDarray:
    return DNDarray(t, tuple(t.shape), types.from_torch(t.dtype), None, x.device, x.comm)


def _global(x: DNDarray, t: T, op: str) -> T:
    if x.split is None or x.comm.size == 1:
        return t
    return x.comm.unchecked.allreduce(t.contiguous(), op)


def bincount(x: Any, weights: Any = None, minlength: int = 0) -> DNDarray:
    """Occurrences of each value in a 1-d array of non-negative ints, as ``numpy.bincount``.

    Examples
    --------
    >>> ht.bincount(ht.array([0, 1, 1, 3], split=0)).numpy()
    array([1, 2, 0, 1])
    """
    x = _as_array(x)
    if x.ndim != 1 or not (types.is_integer(x.dtype) or types.is_bool(x.dtype)):
        raise TypeError(f"bincount: needs a 1-d array of non-negative integers, got {x.ndim}-d {x.dtype}")
    if minlength < 0:
        raise ValueError(f"bincount: minlength must be non-negative, got {minlength}")
    t = x.larray.to(torch.int64)
    lo = _global(x, t.min().reshape(1) if t.numel() else torch.zeros(1, dtype=torch.int64), "min")
    if int(lo.item()) < 0:
        raise ValueError("bincount: the input contains negative values")
    hi = _global(x, t.max().reshape(1) if t.numel() else torch.full((1,), -1, dtype=torch.int64), "max")
    length = max(int(hi.item()) + 1, minlength)
    w = None
    if weights is not None:
        wd = weights if isinstance(weights, DNDarray) else _as_array(weights)
        if wd.gshape != x.gshape:
            raise ValueError(f"bincount: weights have shape {wd.gshape}, the input {x.gshape}")
        from .redistribution import to_layout

        wd = to_layout(wd, x.split, x.counts if x.split is not None else None)
        w = wd.larray.to(torch.float64)
    # torch returns int64 for an empty block even with weights: fix the dtype on every rank
    counts = torch.bincount(t, weights=w, minlength=length).to(torch.int64 if w is None else torch.float64)
    return _replicated(x, _global(x, counts, "sum"))


def _range(x: DNDarray, given: Any) -> tuple[float, float]:
    if given is not None:
        lo, hi = float(given[0]), float(given[1])
        if lo > hi:
            raise ValueError(f"histogram: max must be larger than min in range, got {given}")
    else:
        t = x.larray.to(torch.float64)
        empty = t.numel() == 0
        lo_t = _global(
            x, torch.full((1,), np.inf, dtype=torch.float64) if empty else t.min().reshape(1), "min"
        )
        hi_t = _global(
            x, torch.full((1,), -np.inf, dtype=torch.float64) if empty else t.max().reshape(1), "max"
        )
        lo, hi = float(lo_t.item()), float(hi_t.item())
        if x.size == 0:
            lo, hi = 0.0, 1.0
        if not (np.isfinite(lo) and np.isfinite(hi)):
            raise ValueError(f"histogram: autodetected range of [{lo}, {hi}] is not finite")
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    return lo, hi


def histogram_bin_edges(a: Any, bins: Any = 10, range: Any = None, weights: Any = None) -> DNDarray:
    """The bin edges :func:`histogram` uses, as ``numpy.histogram_bin_edges`` (int or array ``bins``)."""
    x = _as_array(a)
    if isinstance(bins, int | np.integer):
        if bins < 1:
            raise ValueError(f"histogram: bins must be positive, got {bins}")
        lo, hi = _range(x, range)
        edges = torch.from_numpy(np.linspace(lo, hi, int(bins) + 1))
    else:
        arr = bins.numpy() if isinstance(bins, DNDarray) else np.asarray(bins, dtype=np.float64)
        if arr.ndim != 1 or np.any(np.diff(arr) < 0):
            raise ValueError("histogram: bins must increase monotonically, when an array")
        edges = torch.from_numpy(arr.astype(np.float64))
    return _replicated(x, edges)


def histogram(
    a: Any,
    bins: Any = 10,
    range: Any = None,
    density: bool = False,
    weights: Any = None,
) -> tuple[DNDarray, DNDarray]:
    """Counts of ``a`` (flattened) in ``bins``, as ``numpy.histogram``: bins are half-open
    except the last, values outside the range are ignored.

    Examples
    --------
    >>> hist, edges = ht.histogram(ht.arange(10, split=0), bins=2)
    >>> hist.numpy()
    array([5, 5])
    """
    x = _as_array(a)
    edges_d = histogram_bin_edges(x, bins, range)
    edges = edges_d.larray
    nb = edges.numel() - 1
    t = x.larray.reshape(-1).to(torch.float64)
    w = None
    if weights is not None:
        wd = weights if isinstance(weights, DNDarray) else _as_array(weights)
        if wd.gshape != x.gshape:
            raise ValueError(f"histogram: weights have shape {wd.gshape}, the input {x.gshape}")
        from .redistribution import to_layout

        wd = to_layout(wd, x.split, x.counts if x.split is not None else None)
        w = wd.larray.reshape(-1).to(torch.float64)
    inside = (t >= edges[0]) & (t <= edges[-1])
    idx = torch.searchsorted(edges, t, right=True) - 1
    idx = idx.clamp(max=nb - 1)
    idx = idx[inside]
    wsel = None if w is None else w[inside]
    counts = torch.bincount(idx, weights=wsel, minlength=nb)[:nb]
    counts = counts.to(torch.int64 if w is None else torch.float64)  # the same dtype on every rank
    counts = _global(x, counts, "sum")
    if density:
        widths = edges[1:] - edges[:-1]
        counts = counts.to(torch.float64) / widths / counts.sum()
    return _replicated(x, counts), edges_d


def digitize(x: Any, bins: Any, right: bool = False) -> DNDarray:
    """Index of the bin of each element (local, keeps the layout), as ``numpy.digitize``."""
    xa = _as_array(x)
    arr = bins.numpy() if isinstance(bins, DNDarray) else np.asarray(bins)
    if arr.ndim != 1:
        raise ValueError("digitize: bins must be 1-dimensional")
    diffs = np.diff(arr)
    increasing = bool(np.all(diffs >= 0))
    if not increasing and not bool(np.all(diffs <= 0)):
        raise ValueError("digitize: bins must be monotonically increasing or decreasing")
    edges = torch.from_numpy(np.ascontiguousarray(arr if increasing else arr[::-1]).astype(np.float64))
    t = xa.larray.to(torch.float64)
    if increasing:
        idx = torch.searchsorted(edges, t, right=not right)
    else:
        idx = edges.numel() - torch.searchsorted(edges, t, right=not right)
    return xa._like(idx.to(torch.int64), dtype=types.int64)
