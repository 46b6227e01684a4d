"""Order statistics without gathering: median, percentile and quantile.

Along the split axis, the k-th smallest value of every column is found by a bisection on the
values' order-preserving 64-bit integer keys: each step counts, per column, the local keys at
or below a midpoint and sums the counts with one small all-reduce (at most 64 steps, every
rank in lockstep because the bounds are global). The result is exact (it is an element of the
data), memory stays O(local block), and nothing is gathered. Along other axes the work is
local (a sort).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from . import types
from .dndarray import DNDarray
from .reductions import _as_array, _flat_view, normalize_axes

__all__ = ["median", "percentile", "quantile"]

T = torch.Tensor
_METHODS = ("linear", "lower", "higher", "nearest", "midpoint")
_I64_MAX = torch.iinfo(torch.int64).max


def _keys(t: T) -> T:
    """Order-preserving int64 keys of real values (floats via their bit patterns)."""
    if not t.is_floating_point():
        return t.to(torch.int64)
    bits = t.to(torch.float64).view(torch.int64)
    return torch.where(bits < 0, bits ^ _I64_MAX, bits)


def _values(keys: T, like: torch.dtype) -> T:
    if not like.is_floating_point:
        return keys
    bits = torch.where(keys < 0, keys ^ _I64_MAX, keys)
    return bits.view(torch.float64)


def _select(x: DNDarray, cols: T, ranks: T, distributed: bool) -> T:
    """The ``ranks`` (int64, (c, m)) smallest keys of each column of ``cols`` ((c, n_local)),
    over every rank's block when ``distributed``."""
    comm = x.comm.unchecked
    if not distributed:
        ordered = torch.sort(cols, dim=1).values
        return torch.gather(ordered, 1, ranks)
    big = torch.iinfo(torch.int64)
    lo_local = cols.amin(dim=1) if cols.shape[1] else torch.full((cols.shape[0],), big.max, dtype=torch.int64)
    hi_local = cols.amax(dim=1) if cols.shape[1] else torch.full((cols.shape[0],), big.min, dtype=torch.int64)
    lo = comm.allreduce(lo_local.contiguous(), "min").unsqueeze(1).expand(ranks.shape).clone()
    hi = comm.allreduce(hi_local.contiguous(), "max").unsqueeze(1).expand(ranks.shape).clone()
    while bool((lo < hi).any()):
        mid = (lo >> 1) + (hi >> 1) + (lo & hi & 1)
        below = (cols.unsqueeze(1) <= mid.unsqueeze(2)).sum(dim=2)
        count = comm.allreduce(below.contiguous(), "sum")
        enough = count >= ranks + 1
        hi = torch.where(enough, mid, hi)
        lo = torch.where(enough, lo, mid + 1)
    return lo


def _result_dtype(dtype: types.DType, q: Any, median: bool, method: str) -> types.DType:
    """NumPy's result dtype (it depends on q's form: a Python float is weak, an array is not)."""
    sample = np.ones(3, dtype=(types.float16 if dtype is types.bfloat16 else dtype).numpy)
    with np.errstate(all="ignore"):
        res = np.median(sample) if median else np.quantile(sample, q, method=method)  # type: ignore[call-overload]
    out = types.canonical(np.asarray(res).dtype)
    return types.bfloat16 if dtype is types.bfloat16 and out is types.float16 else out


def _lerp(a: T, b: T, t: T) -> T:
    """NumPy's interpolation: exact at both ends, symmetric rounding."""
    diff = b - a
    return torch.where(t >= 0.5, b - diff * (1 - t), a + diff * t)


def _order_statistics(
    name: str, x: DNDarray, q: T, axis: int | None, method: str, median: bool
) -> tuple[T, DNDarray, int]:
    """Per column (all non-reduced positions) and per q: the interpolated order statistic.
    Returns (values of shape (len(q), *rest_local)), the array the reduction ran on, axis)."""
    if axis is None:
        x = _flat_view(x)
        axis = 0
    n = x.gshape[axis]
    if n == 0:
        raise IndexError(f"{name}: cannot take order statistics of an empty axis (shape {x.gshape})")
    t = torch.movedim(x.larray, axis, -1)
    rest = t.shape[:-1]
    cols = t.reshape(math.prod(rest), t.shape[-1])
    virtual = q.to(torch.float64) * (n - 1)
    lower = torch.floor(virtual).to(torch.int64).clamp(0, n - 1)
    upper = torch.ceil(virtual).to(torch.int64).clamp(0, n - 1)
    frac = virtual - lower
    c = cols.shape[0]
    wanted = torch.cat([lower, upper]).unsqueeze(0).expand(c, -1).contiguous()
    nan = torch.isnan(cols).any(dim=1) if cols.is_floating_point() else torch.zeros(c, dtype=torch.bool)
    distributed = x.split == axis and x.comm.size > 1
    if distributed:
        nan = x.comm.unchecked.allreduce(nan.contiguous(), "lor")
    keys = _select(x, _keys(cols), wanted, distributed)
    work = torch.float64 if cols.is_floating_point() or True else cols.dtype
    vals = _values(keys, cols.dtype).to(work)
    m = q.numel()
    a, b = vals[:, :m], vals[:, m:]
    if median:
        out = (a + b) / 2
    elif method == "linear":
        out = _lerp(a, b, frac.unsqueeze(0))
    elif method == "lower":
        out = a
    elif method == "higher":
        out = b
    elif method == "midpoint":
        out = (a + b) / 2
    else:  # nearest: round half to even on the virtual index, as NumPy
        out = torch.where(torch.round(virtual).to(torch.int64).unsqueeze(0) == lower.unsqueeze(0), a, b)
    out = torch.where(nan.unsqueeze(1), torch.full_like(out, float("nan")), out)
    return out.T.reshape((m, *rest)), x, axis


def _wrap(
    x: DNDarray,
    values: T,
    axis_reduced: int,
    q_shape: tuple[int, ...],
    keepdims: bool,
    dtype: types.DType,
    orig_ndim: int,
    axis_arg: int | None,
) -> DNDarray:
    """Shape the (len(q), *rest_local) block into NumPy's result: q axes first."""
    rest_g = [s for i, s in enumerate(x.gshape) if i != axis_reduced]
    split = x.split
    counts = None
    if split is not None and split != axis_reduced and axis_arg is not None:
        split = split - (1 if split > axis_reduced else 0)
        counts = x.counts
    else:
        split = None
    vals = values.reshape((*q_shape, *values.shape[1:]))
    gshape = [*q_shape, *rest_g]
    if keepdims:
        pos = len(q_shape) + (axis_reduced if axis_arg is not None else 0)
        if axis_arg is None:
            vals = vals.reshape((*q_shape, *([1] * orig_ndim)))
            gshape = [*q_shape, *([1] * orig_ndim)]
        else:
            vals = vals.unsqueeze(pos)
            gshape.insert(pos, 1)
            if split is not None and split + len(q_shape) >= pos:
                split += 1
    if split is not None:
        split += len(q_shape)
    vals = vals.to(dtype.torch)
    return DNDarray(vals.contiguous(), tuple(gshape), dtype, split, x.device, x.comm, counts=counts)


def _q_tensor(name: str, q: Any, scale: float) -> tuple[T, tuple[int, ...]]:
    arr = q.numpy() if isinstance(q, DNDarray) else np.asarray(q, dtype=np.float64)
    if arr.ndim > 1:
        raise ValueError(f"{name}: q must be a scalar or 1-d, got shape {arr.shape}")
    arr = arr.astype(np.float64) / scale
    if np.any((arr < 0) | (arr > 1)) or np.any(np.isnan(arr)):
        raise ValueError(
            f"{name}: q must be in [0, {int(scale) if scale > 1 else 1}], got {np.asarray(q).tolist()}"
        )
    return torch.from_numpy(arr.reshape(-1).copy()), tuple(arr.shape)


def _quantiles(
    name: str, a: Any, q: Any, axis: Any, keepdims: bool, method: str, scale: float, median: bool = False
) -> DNDarray:
    x = _as_array(a)
    if types.is_complex(x.dtype):
        raise TypeError(f"{name}: complex values are not ordered; use .real or abs() first")
    if method not in _METHODS:
        raise ValueError(f"{name}: method {method!r} is not supported; use one of {', '.join(_METHODS)}")
    if isinstance(axis, Sequence) and not isinstance(axis, str):
        if len(axis) != 1:
            raise NotImplementedError(
                f"{name}: a tuple of several axes is not supported; reduce one axis at a time"
            )
        axis = axis[0]
    ax = None if axis is None else normalize_axes(name, axis, x.ndim)[0]
    qt, q_shape = _q_tensor(name, q, scale)
    q_in = q.numpy() if isinstance(q, DNDarray) else q
    dtype = _result_dtype(
        x.dtype,
        np.asarray(q_in) / scale if not isinstance(q_in, float | int) else q_in / scale,
        median,
        method,
    )
    if types.is_bool(x.dtype) and not median:
        raise TypeError(f"{name}: boolean input is not supported; cast with astype()")
    values, reduced, red_axis = _order_statistics(name, x, qt, ax, method, median)
    return _wrap(reduced, values, red_axis, q_shape, keepdims, dtype, x.ndim, ax)


def percentile(
    a: Any,
    q: Any,
    axis: Any = None,
    out: None = None,
    overwrite_input: bool = False,
    method: str = "linear",
    keepdims: bool = False,
) -> DNDarray:
    """The ``q``-th percentiles (0..100) along ``axis``, exact, as ``numpy.percentile``.

    Along the split axis this is a distributed selection (no gather; see the module notes).

    Examples
    --------
    >>> ht.percentile(ht.arange(11, split=0), [10, 50]).numpy()
    array([1., 5.])
    """
    return _quantiles("percentile", a, q, axis, keepdims, method, 100.0)


def quantile(
    a: Any,
    q: Any,
    axis: Any = None,
    out: None = None,
    overwrite_input: bool = False,
    method: str = "linear",
    keepdims: bool = False,
) -> DNDarray:
    """The ``q``-th quantiles (0..1) along ``axis``, exact, as ``numpy.quantile``."""
    return _quantiles("quantile", a, q, axis, keepdims, method, 1.0)


def median(
    a: Any, axis: Any = None, out: None = None, overwrite_input: bool = False, keepdims: bool = False
) -> DNDarray:
    """The median along ``axis``, exact, as ``numpy.median`` (mean of the two middle values)."""
    return _quantiles("median", a, 0.5, axis, keepdims, "linear", 1.0, median=True)
