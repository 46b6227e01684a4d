"""Covariance, correlation, skewness and kurtosis from centred moments.

The mean comes first (one all-reduce along the split axis), then the centred products or
powers are reduced (one more): no sums of raw powers, which lose precision.
"""

from __future__ import annotations

from typing import Any

import torch

from . import types
from .dndarray import DNDarray
from .reductions import _as_array, _finish, normalize_axes

__all__ = ["corrcoef", "cov", "kurtosis", "skew"]

T = torch.Tensor


def cov(m: Any, y: Any = None, rowvar: bool = True, bias: bool = False, ddof: int | None = None) -> DNDarray:
    """Covariance matrix of the variables in ``m`` (rows, or columns if ``rowvar=False``), as
    ``numpy.cov``. The (variables x variables) result is replicated. Observations split over
    the ranks are reduced locally plus one all-reduce; variables split are first re-split to
    the observation axis (one all-to-all).

    Examples
    --------
    >>> ht.cov(ht.array([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]], split=1)).numpy()
    array([[ 1., -1.],
           [-1.,  1.]])
    """
    from .redistribution import to_layout

    x = _as_array(m)
    if x.ndim > 2:
        raise ValueError(f"cov: m has more than 2 dimensions ({x.gshape})")
    x = _as_rows(x)
    if not rowvar:
        x = x.transpose()
    if y is not None:
        yy = _as_rows(_as_array(y))
        if not rowvar:
            yy = yy.transpose()
        if yy.gshape[1] != x.gshape[1]:
            raise ValueError(f"cov: m and y have {x.gshape[1]} and {yy.gshape[1]} observations")
        x = _stack_rows(x, yy)
    res = types.result_type(x.dtype, types.float64) if not types.is_inexact(x.dtype) else x.dtype
    res = types.float64 if res in (types.float16, types.bfloat16) else res
    if x.split == 0:
        x = to_layout(x, 1)
    n = x.gshape[1]
    d = (0 if bias else 1) if ddof is None else ddof
    t = x.larray.to(res.torch)
    distributed = x.split == 1 and x.comm.size > 1
    total = t.sum(dim=1, keepdim=True)
    if distributed:
        total = x.comm.unchecked.allreduce(total.contiguous(), "sum")
    centred = t - total / n
    prod = centred @ centred.conj().T
    if distributed:
        prod = x.comm.unchecked.allreduce(prod.contiguous(), "sum")
    c = prod / (n - d) if n - d > 0 else prod * float("nan")
    if c.shape == (1, 1):
        c = c.reshape(())
    return DNDarray(c, tuple(c.shape), res, None, x.device, x.comm)


def _as_rows(x: DNDarray) -> DNDarray:
    """A 1-d array as one row (observations along axis 1, keeping the layout)."""
    if x.ndim >= 2:
        return x
    split = None if x.split is None else 1
    counts = None if x.split is None else x.counts
    return DNDarray(x.larray.reshape(1, -1), (1, *x.gshape), x.dtype, split, x.device, x.comm, counts=counts)


def _stack_rows(a: DNDarray, b: DNDarray) -> DNDarray:
    from .redistribution import to_layout

    a = to_layout(a, None if a.split != 1 else 1)
    b = to_layout(b, a.split, a.counts if a.split is not None else None)
    dt = types.result_type(a.dtype, b.dtype)
    t = torch.cat([a.larray.to(dt.torch), b.larray.to(dt.torch)], dim=0)
    return DNDarray(
        t,
        (a.gshape[0] + b.gshape[0], a.gshape[1]),
        dt,
        a.split,
        a.device,
        a.comm,
        counts=None if a.split is None else a.counts,
    )


def corrcoef(x: Any, y: Any = None, rowvar: bool = True) -> DNDarray:
    """Pearson correlation coefficients, as ``numpy.corrcoef`` (clipped to [-1, 1])."""
    c = cov(x, y, rowvar)
    t = c.larray
    if t.dim() == 0:
        return c._like(t / t)
    d = torch.sqrt(torch.diagonal(t).real)
    r = t / d[:, None] / d[None, :]
    r = torch.complex(r.real.clamp(-1, 1), r.imag.clamp(-1, 1)) if r.is_complex() else r.clamp(-1, 1)
    return c._like(r)


def _central(
    name: str, x: DNDarray, axis: Any, powers: tuple[int, ...]
) -> tuple[list[T], int, tuple[int, ...], bool]:
    axes = normalize_axes(name, axis, x.ndim)
    n = 1
    for a in axes:
        n *= x.gshape[a]
    t = x.larray.to(torch.float64)
    combined = x.split is not None and x.split in axes and x.comm.size > 1
    s = t.sum(dim=axes, keepdim=True) if axes else t.clone()
    if combined:
        s = x.comm.unchecked.allreduce(s.contiguous(), "sum")
    dev = t - s / n
    sums = []
    for p in powers:
        v = (dev**p).sum(dim=axes, keepdim=True) if axes else dev**p
        sums.append(v)
    if combined:
        stacked = x.comm.unchecked.allreduce(torch.stack(sums).contiguous(), "sum")
        sums = list(stacked)
    return [v / n for v in sums], n, axes, combined


def skew(x: Any, axis: Any = None, bias: bool = True, keepdims: bool = False) -> DNDarray:
    """Sample skewness ``m3 / m2**1.5`` over ``axis`` (scipy.stats.skew's definition; with
    ``bias=False`` the adjusted Fisher-Pearson coefficient)."""
    a = _as_array(x)
    (m2, m3), n, axes, combined = _central("skew", a, axis, (2, 3))
    g = m3 / m2**1.5
    if not bias and n > 2:
        g = g * ((n * (n - 1)) ** 0.5) / (n - 2)
    return _finish(a, g, axes, keepdims, types.float64, combined)


def kurtosis(
    x: Any, axis: Any = None, fisher: bool = True, bias: bool = True, keepdims: bool = False
) -> DNDarray:
    """Kurtosis ``m4 / m2**2`` over ``axis`` (minus 3 when ``fisher``; scipy.stats.kurtosis's
    definition, ``bias=False`` for the unbiased estimator)."""
    a = _as_array(x)
    (m2, m4), n, axes, combined = _central("kurtosis", a, axis, (2, 4))
    k = m4 / m2**2
    if not bias and n > 3:
        k = 1.0 / (n - 2) / (n - 3) * ((n * n - 1.0) * k - 3 * (n - 1) ** 2.0) + 3.0
    if fisher:
        k = k - 3
    return _finish(a, k, axes, keepdims, types.float64, combined)
