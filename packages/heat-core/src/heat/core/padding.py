"""pad: NumPy's constant, edge, reflect, symmetric and wrap modes, axis by axis.

Padding an axis that is not split is local. Along the split axis the padding joins the first
rank's block (before) and the last rank's (after): constant padding needs no communication; the
other modes fetch the slices they copy (a few halo slices, or the other end of the array for
``wrap``) from their owners with one all-to-all-v. Axes are padded in order, each over the
already padded array, which gives NumPy's corners.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np
import torch

from ._moves import Run, as_dndarray, fetch_runs, runs_of_indices, wrap_like
from .dndarray import DNDarray

__all__ = ["pad"]

_MODES = ("constant", "edge", "reflect", "symmetric", "wrap")


def _source_index(mode: str, j: int, n: int) -> int:
    """The slice a padded position ``j`` (may be < 0 or >= n) copies."""
    if mode == "edge":
        return min(max(j, 0), n - 1)
    if mode == "wrap":
        return j % n
    if mode == "reflect":
        if n == 1:
            return 0
        period = 2 * (n - 1)
        k = j % period
        return k if k < n else period - k
    k = j % (2 * n)  # symmetric
    return k if k < n else 2 * n - 1 - k


def _pairs(name: str, value: Any, ndim: int) -> np.ndarray:
    arr = np.asarray(value.numpy() if isinstance(value, DNDarray) else value)
    try:
        return np.broadcast_to(arr, (ndim, 2))
    except ValueError:
        raise ValueError(
            f"pad: {name} {value!r} cannot be broadcast to ({ndim}, 2) (before, after) pairs"
        ) from None


def _pad_axis(
    x: DNDarray, axis: int, before: int, after: int, mode: str, values: tuple[Any, Any]
) -> DNDarray:
    n = x.gshape[axis]
    shape = list(x.gshape)
    shape[axis] = n + before + after
    t = x.larray
    along_split = x.split == axis and x.is_distributed()
    counts = None if x.split is None else list(x.counts)
    if x.split == axis:
        assert counts is not None
        counts[0] += before
        counts[-1] += after
    rank, last = x.comm.rank, x.comm.size - 1
    pre = before if not along_split or rank == 0 else 0
    post = after if not along_split or rank == last else 0
    if mode == "constant":
        parts = []
        for width, value in ((pre, values[0]), (post, values[1])):
            side = list(t.shape)
            side[axis] = width
            parts.append(torch.full(side, value, dtype=t.dtype, device=t.device) if width else None)
        local = torch.cat([p for p in (parts[0], t, parts[1]) if p is not None], dim=axis)
        return wrap_like(x, local, shape, x.split, counts)
    before_idx = [_source_index(mode, j, n) for j in range(-before, 0)]
    after_idx = [_source_index(mode, j, n) for j in range(n, n + after)]
    if not along_split:
        index = torch.tensor(before_idx + list(range(n)) + after_idx, dtype=torch.int64, device=t.device)
        return wrap_like(x, t.index_select(axis, index), shape, x.split, counts)
    c, d = x.counts_displs()
    wanted: list[list[Run]] = []
    for q in range(x.comm.size):
        runs = runs_of_indices(0, before_idx) if q == 0 else []
        if c[q]:
            runs.append(Run(0, d[q], d[q] + c[q]))
        if q == last:
            runs += runs_of_indices(0, after_idx)
        wanted.append(runs)
    return wrap_like(x, fetch_runs([x], axis, wanted), shape, x.split, counts)


def pad(array: Any, pad_width: Any, mode: str = "constant", *, constant_values: Any = 0) -> DNDarray:
    """``array`` padded with ``pad_width`` = ((before, after), ...) slices per axis, as
    ``numpy.pad`` for the modes constant, edge, reflect, symmetric and wrap.

    Result split: the input's. Along the split axis the first rank's block grows by ``before``
    and the last rank's by ``after`` (unbalanced by the pad widths); constant padding is local,
    the other modes fetch the copied slices from their owners (one all-to-all-v).

    Examples
    --------
    >>> ht.pad(ht.arange(3, split=0), (1, 2), mode="edge").numpy()
    array([0, 0, 1, 2, 2, 2])
    """
    x = as_dndarray(array)
    if mode not in _MODES:
        raise ValueError(f"pad: mode {mode!r} is not supported; use one of {', '.join(_MODES)}")
    widths = _pairs("pad_width", pad_width, x.ndim)
    if widths.dtype.kind not in "iu":
        raise TypeError(f"pad: pad_width must be integers, got {widths.dtype}")
    if (widths < 0).any():
        raise ValueError(f"pad: pad_width {pad_width!r} contains negative values")
    values = _pairs("constant_values", constant_values, x.ndim)
    result = x
    for axis in range(x.ndim):
        before, after = (operator.index(int(w)) for w in widths[axis])
        if before == 0 and after == 0:
            continue
        if mode != "constant" and x.gshape[axis] == 0:
            raise ValueError(f"pad: can't extend empty axis {axis} using modes other than 'constant'")
        pair = (values[axis][0].item(), values[axis][1].item())
        result = _pad_axis(result, axis, before, after, mode, pair)
    return result if result is not x else x.copy()
