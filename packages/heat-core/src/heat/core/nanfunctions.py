"""NaN-ignoring reductions and weighted averages, built on the reduction engine.

Each is a reduction whose local kernel skips NaN (``torch.nansum``, NaN replaced by the
operation's neutral element) followed by the same one-collective combine as its plain
counterpart; ``nanmean``/``nanvar`` reduce a (sum, count) pair.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from . import types
from .dndarray import DNDarray
from .reductions import _as_array, _finish, _oracle, normalize_axes, reduce_op

__all__ = ["average", "nanmax", "nanmean", "nanmin", "nanprod", "nanstd", "nansum", "nanvar"]

T = torch.Tensor


def _no_nan(t: T, fill: float) -> T:
    if t.is_floating_point() or t.is_complex():
        return torch.where(torch.isnan(t), torch.full_like(t, fill), t)
    return t


def nansum(
    x: Any,
    axis: Any = None,
    dtype: Any = None,
    keepdims: bool = False,
    initial: Any = None,
    where: Any = True,
) -> DNDarray:
    """Sum treating NaN as zero, as ``numpy.nansum``."""
    x = _as_array(x)
    dt = _oracle("nansum", x.dtype) if dtype is None else types.canonical(dtype)
    return reduce_op(
        "nansum",
        x,
        axis,
        keepdims,
        lambda t, ax: torch.sum(_no_nan(t, 0), dim=ax, keepdim=True),
        "sum",
        dt,
        where=where,
        initial=initial,
    )


def nanprod(
    x: Any,
    axis: Any = None,
    dtype: Any = None,
    keepdims: bool = False,
    initial: Any = None,
    where: Any = True,
) -> DNDarray:
    """Product treating NaN as one, as ``numpy.nanprod``."""
    x = _as_array(x)
    dt = _oracle("nanprod", x.dtype) if dtype is None else types.canonical(dtype)

    def local(t: T, ax: tuple[int, ...]) -> T:
        t = _no_nan(t, 1)
        for a in ax:
            t = torch.prod(t, dim=a, keepdim=True)
        return t

    return reduce_op("nanprod", x, axis, keepdims, local, "prod", dt, where=where, initial=initial)


def _nan_extreme(name: str, op: str) -> Any:
    def reduce(
        x: Any, axis: Any = None, keepdims: bool = False, initial: Any = None, where: Any = True
    ) -> DNDarray:
        x = _as_array(x)
        if not (types.is_float(x.dtype)):
            from . import reductions

            fn = getattr(reductions, op)
            return fn(x, axis=axis, keepdims=keepdims, initial=initial, where=where)  # type: ignore[no-any-return]
        fill = float("inf") if op == "min" else float("-inf")
        fn = torch.amin if op == "min" else torch.amax

        def local(t: T, ax: tuple[int, ...]) -> T:
            return fn(_no_nan(t, fill), dim=ax, keepdim=True)

        res = reduce_op(
            name, x, axis, keepdims, local, op, x.dtype, identity=False, where=where, initial=initial
        )
        if initial is None:  # all-NaN slices: NumPy returns NaN (with a RuntimeWarning)
            counts = nansum(_not_nan(x), axis=axis, keepdims=keepdims, where=where)
            res.larray[counts.larray == 0] = float("nan")
        return res

    reduce.__name__ = reduce.__qualname__ = name
    reduce.__doc__ = f"The {op}imum ignoring NaN (NaN for all-NaN slices), as ``numpy.{name}``."
    return reduce


def _not_nan(x: DNDarray) -> DNDarray:
    return x._like(~torch.isnan(x.larray), dtype=types.bool_)


nanmin = _nan_extreme("nanmin", "min")
nanmax = _nan_extreme("nanmax", "max")


def nanmean(
    x: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False, *, where: Any = True
) -> DNDarray:
    """Mean of the non-NaN values (where ``where`` holds), as ``numpy.nanmean`` (NaN for
    all-NaN slices)."""
    x = _as_array(x)
    res = _oracle("nanmean", x.dtype) if dtype is None else types.canonical(dtype)
    work = types.float32 if res in (types.float16, types.bfloat16) else res
    total = nansum(x, axis=axis, dtype=work, keepdims=True, where=where)
    count = (
        nansum(_not_nan(x), axis=axis, dtype=types.int64, keepdims=True, where=where)
        if types.is_inexact(x.dtype) or where is not True
        else None
    )
    axes = normalize_axes("nanmean", axis, x.ndim)
    n = count.larray if count is not None else int(np.prod([x.gshape[a] for a in axes]))
    values = total.larray / n
    combined = total.split is None and x.split is not None
    return _finish(x, values, axes, keepdims, res, combined)


def nanvar(
    x: Any, axis: Any = None, dtype: Any = None, ddof: float = 0, keepdims: bool = False, *, where: Any = True
) -> DNDarray:
    """Variance of the non-NaN values, as ``numpy.nanvar`` (two passes: mean, then squared
    deviations; no sum of squares of raw values)."""
    from . import elementwise as _ew

    ew: Any = _ew  # its functions are generated from tables at import time
    x = _as_array(x)
    res = types.to_real(_oracle("nanvar", x.dtype) if dtype is None else types.canonical(dtype))
    m = nanmean(x, axis=axis, keepdims=True, where=where)
    dev = ew.subtract(x, m)
    sq = ew.absolute(dev) if types.is_complex(dev.dtype) else dev
    sq = ew.multiply(sq, sq)
    total = nansum(sq, axis=axis, keepdims=True, where=where)
    count = nansum(_not_nan(x), axis=axis, dtype=types.int64, keepdims=True, where=where)
    denom = count.larray - ddof
    values = torch.where(
        denom > 0, total.larray / denom.clamp(min=1), torch.full_like(total.larray, float("nan"))
    )
    axes = normalize_axes("nanvar", axis, x.ndim)
    return _finish(x, values, axes, keepdims, res, total.split is None and x.split is not None)


def nanstd(
    x: Any, axis: Any = None, dtype: Any = None, ddof: float = 0, keepdims: bool = False, *, where: Any = True
) -> DNDarray:
    """Standard deviation of the non-NaN values, as ``numpy.nanstd``."""
    v = nanvar(x, axis=axis, dtype=dtype, ddof=ddof, keepdims=keepdims, where=where)
    return v._like(torch.sqrt(v.larray))


def average(
    x: Any, axis: Any = None, weights: Any = None, returned: bool = False, keepdims: bool = False
) -> DNDarray | tuple[DNDarray, DNDarray]:
    """Weighted average over ``axis``, as ``numpy.average``; 1-d ``weights`` apply along a
    single ``axis``."""
    from . import elementwise as _ew
    from . import reductions
    from .factories import array

    ew: Any = _ew
    x = _as_array(x)
    if weights is None:
        avg = reductions.mean(x, axis=axis, keepdims=keepdims)
        if returned:
            n = x.size // max(avg.size, 1) if x.size else 0
            return avg, avg._like(torch.full_like(avg.larray, n))
        return avg
    w = weights if isinstance(weights, DNDarray) else array(weights, comm=x.comm, device=x.device)
    if w.gshape != x.gshape:
        if axis is None or w.ndim != 1:
            raise TypeError(
                f"average: weights of shape {w.gshape} differ from the data's {x.gshape}; pass axis="
            )
        (ax,) = normalize_axes("average", axis, x.ndim)
        if w.gshape[0] != x.gshape[ax]:
            raise ValueError(f"average: {w.gshape[0]} weights for an axis of length {x.gshape[ax]}")
        shape = [1] * x.ndim
        shape[ax] = w.gshape[0]
        from .redistribution import to_layout

        w = to_layout(w, None)
        w = DNDarray(w.larray.reshape(shape), tuple(shape), w.dtype, None, w.device, w.comm)
    from .factories import ones_like

    scale = reductions.sum(ew.multiply(w, ones_like(x, dtype=w.dtype)), axis=axis, keepdims=keepdims)
    if bool(reductions.any(ew.equal(scale, 0))):
        raise ZeroDivisionError("average: weights sum to zero, can't be normalized")
    avg = ew.true_divide(reductions.sum(ew.multiply(x, w), axis=axis, keepdims=keepdims), scale)
    return (avg, scale) if returned else avg
