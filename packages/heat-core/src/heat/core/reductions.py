"""Reductions and scans through one engine.

Rule (DESIGN.md §2): reducing axes that do not include the split axis is local and the split
axis shifts; reducing the split axis reduces locally and combines the per-rank partials with
one all-reduce (in between, the partials are what ``Partial(op)`` names). Arg-reductions
all-gather the per-rank (value, global index) partials (memory p x the result's size, never
the input) and keep NumPy's first-occurrence rule; mean/var merge per-rank moments (no sum of
squares of raw values). Scans along the split axis add (multiply) an exclusive scan of the
block totals.
Result dtypes are NumPy's (``np.sum`` of int8 is int64, ``np.mean`` of ints is float64, ...).
"""

from __future__ import annotations

import builtins
import functools
import operator
from collections.abc import Callable
from typing import Any, cast

import numpy as np
import torch

from . import types
from ._operations import _write_out, to_operand
from .dndarray import DNDarray
from .types import DType

__all__ = [
    "all",
    "amax",
    "amin",
    "any",
    "argmax",
    "argmin",
    "count_nonzero",
    "cumprod",
    "cumsum",
    "max",
    "mean",
    "min",
    "prod",
    "ptp",
    "std",
    "sum",
    "var",
]

T = torch.Tensor


@functools.lru_cache(maxsize=1024)
def _oracle(name: str, dtype: DType, **kwargs: Any) -> DType:
    """The dtype of ``np.<name>`` on a length-1 array of ``dtype``."""
    sample = np.ones(1, dtype=(types.float16 if dtype is types.bfloat16 else dtype).numpy)
    with np.errstate(all="ignore"):
        try:
            res = getattr(np, name)(sample, **kwargs)
        except TypeError:
            raise TypeError(f"{name}: not supported for arrays of dtype {dtype}") from None
    np_dtype = np.asarray(res).dtype
    # NumPy accumulates unsigned integers in uint64, which heat lacks: int64 instead
    out = types.int64 if np_dtype == np.uint64 else types.canonical(np_dtype)
    return types.bfloat16 if dtype is types.bfloat16 and out is types.float16 else out


def _as_array(x: Any) -> DNDarray:
    x = to_operand(x)
    if not isinstance(x, DNDarray):
        from .factories import array

        x = array(x)
    return cast(DNDarray, x)


def normalize_axes(name: str, axis: Any, ndim: int) -> tuple[int, ...]:
    """``axis`` (None, an int or a tuple of ints) as sorted non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    raw = axis if isinstance(axis, tuple | list) else (axis,)
    axes = []
    for item in raw:
        try:
            a = operator.index(item)
        except TypeError:
            raise TypeError(f"{name}: axis must be None, an int or a tuple of ints, got {axis!r}") from None
        if not -ndim <= a < ndim:
            raise np.exceptions.AxisError(
                f"{name}: axis {a} is out of bounds for an array of dimension {ndim}"
            )
        axes.append(a % ndim)
    if len(set(axes)) != len(axes):
        raise ValueError(f"{name}: duplicate value in axis {axis!r}")
    return tuple(sorted(axes))


def _neutral(op: str, dtype: torch.dtype) -> Any:
    if dtype.is_complex:
        far = float("inf") if op == "min" else float("-inf")
        return complex(far, far)
    if dtype == torch.bool:
        return op == "min"
    if dtype.is_floating_point:
        return float("inf") if op == "min" else float("-inf")
    info = torch.iinfo(dtype)
    return info.max if op == "min" else info.min


def _finish(
    x: DNDarray, partial: T, axes: tuple[int, ...], keepdims: bool, dtype: DType, combined: bool
) -> DNDarray:
    """Wrap a keepdim-shaped reduced block as the result array."""
    gshape = [1 if i in axes else n for i, n in enumerate(x.gshape)]
    split = None if combined or x.split is None or x.split in axes else x.split
    counts = None if split is None else x.counts
    if not keepdims:
        partial = partial.reshape([n for i, n in enumerate(partial.shape) if i not in axes])
        gshape = [n for i, n in enumerate(gshape) if i not in axes]
        if split is not None:
            split -= builtins.sum(1 for a in axes if a < split)
    if partial.dtype != dtype.torch:
        partial = partial.to(dtype.torch)
    return DNDarray(partial, tuple(gshape), dtype, split, x.device, x.comm, counts=counts)


_IDENTITY = {"sum": 0, "prod": 1, "land": True, "lor": False}


def local_mask(name: str, x: DNDarray, where: Any) -> T | bool:
    """``where=`` as a bool tensor broadcastable against ``x``'s local block (or a Python bool).

    A mask with extent along ``x``'s split axis is moved to ``x``'s blocks; one without (a
    broadcast along the split axis) is replicated: it is at most ``x.size / x.gshape[split]``.
    """
    from .redistribution import to_layout

    if where is True or where is None:
        return True
    w = to_operand(where, x)
    if not isinstance(w, DNDarray):
        return builtins.bool(w)
    if not types.is_bool(w.dtype):
        raise TypeError(f"{name}: where= must be a boolean mask, got dtype {w.dtype}")
    try:
        fits = np.broadcast_shapes(w.gshape, x.gshape) == x.gshape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(f"{name}: where= of shape {w.gshape} does not broadcast to the array's {x.gshape}")
    lead = x.ndim - w.ndim
    axis = None if x.split is None else x.split - lead
    if axis is None or axis < 0 or w.gshape[axis] == 1:
        w = to_layout(w, None)
    else:
        w = to_layout(w, axis, x.counts)
    return w.larray.to(torch.bool)


def _selection(
    name: str, x: DNDarray, axis: Any, axes: tuple[int, ...], where: Any, *, unbounded: bool
) -> T | bool:
    """The local ``where=`` mask of a reduction. ``unbounded``: the operation has no identity
    and no ``initial`` (min/max), so it must reduce something and be unmasked, as NumPy says."""
    mask = local_mask(name, x, where)
    if unbounded:
        if builtins.any(x.gshape[a] == 0 for a in axes):
            raise ValueError(
                f"{name}: zero-size array (shape {x.gshape}) reduced over axis {axis} has no "
                "identity; pass initial= or check for empty input"
            )
        if mask is not True:
            raise ValueError(f"{name}: where= needs initial= (the reduction has no identity), as in NumPy")
    return mask


def _apply_initial(partial: T, combine: str, initial: Any) -> T:
    bound = torch.tensor(initial, dtype=partial.dtype, device=partial.device)
    if combine == "sum":
        return partial + bound
    if combine == "prod":
        return partial * bound
    return torch.maximum(partial, bound) if combine == "max" else torch.minimum(partial, bound)


def reduce_op(
    name: str,
    x: Any,
    axis: Any,
    keepdims: bool,
    local: Callable[[T, tuple[int, ...]], T],
    combine: str,
    dtype: DType,
    work: DType | None = None,
    *,
    identity: bool = True,
    out: DNDarray | None = None,
    where: Any = True,
    initial: Any = None,
) -> DNDarray:
    """Reduce ``x`` over ``axis`` with ``local`` (keepdim result) and ``combine`` across ranks.

    ``identity=False`` (min, max): a reduction over zero elements raises unless ``initial`` is
    given, as NumPy does, and ranks with empty blocks contribute the operation's neutral
    element. Elements where ``where`` is False are replaced by the identity (``initial`` for
    min/max) before the local kernel; ``initial`` enters once, after the combine.
    """
    x = _as_array(x)
    axes = normalize_axes(name, axis, x.ndim)
    mask = _selection(name, x, axis, axes, where, unbounded=not identity and initial is None)
    t = x.larray
    wt = (work or dtype).torch
    if t.dtype != wt:
        t = t.to(wt)
    if mask is not True:
        fill = _IDENTITY.get(combine, initial)
        t = torch.where(
            torch.as_tensor(mask, device=t.device), t, torch.tensor(fill, dtype=t.dtype, device=t.device)
        )
    combined = x.split is not None and x.split in axes and x.comm.size > 1
    shape = [1 if i in axes else n for i, n in enumerate(t.shape)]
    if not axes:
        partial = t.clone()
    elif t.numel() == 0 and not identity:
        partial = torch.full(shape, _neutral(combine, t.dtype), dtype=t.dtype, device=t.device)
    else:
        partial = local(t, axes)
    if combined:
        partial = _allreduce(x, partial, combine)
    if initial is not None:
        partial = _apply_initial(partial, combine, initial)
    result = _finish(x, partial, axes, keepdims, dtype, combined)
    return _write_out(name, result, out, True)


def _allreduce(x: DNDarray, partial: T, op: str) -> T:
    comm = x.comm.unchecked
    host = partial.contiguous()
    if op in ("min", "max") and host.is_floating_point():
        # MPI's MIN/MAX need not propagate NaN; NumPy's do
        nan = comm.allreduce(torch.isnan(host).contiguous(), "lor")
        reduced = comm.allreduce(torch.nan_to_num(host, nan=_neutral(op, host.dtype)), op)
        return torch.where(nan, torch.full_like(reduced, float("nan")), reduced)
    return comm.allreduce(host, op)


def _multi(fn: Callable[..., T]) -> Callable[[T, tuple[int, ...]], T]:
    """A one-axis-at-a-time torch reduction applied over several axes (keepdim)."""

    def run(t: T, axes: tuple[int, ...]) -> T:
        for a in axes:
            t = fn(t, dim=a, keepdim=True)
        return t

    return run


def _values(result: Any) -> T:
    return result.values if hasattr(result, "values") else result  # type: ignore[no-any-return]


def sum(
    x: Any,
    axis: Any = None,
    dtype: Any = None,
    out: DNDarray | None = None,
    keepdims: bool = False,
    initial: Any = None,
    where: Any = True,
) -> DNDarray:
    """Sum over ``axis`` (all axes by default) of the elements where ``where`` holds, plus
    ``initial``, as ``numpy.sum``.

    Examples
    --------
    >>> ht.sum(ht.ones((3, 4), split=0), axis=0).numpy()
    array([3., 3., 3., 3.])
    """
    x = _as_array(x)
    dt = _oracle("sum", x.dtype) if dtype is None else types.canonical(dtype)
    return reduce_op(
        "sum",
        x,
        axis,
        keepdims,
        lambda t, ax: torch.sum(t, dim=ax, keepdim=True),
        "sum",
        dt,
        out=out,
        where=where,
        initial=initial,
    )


def prod(
    x: Any,
    axis: Any = None,
    dtype: Any = None,
    out: DNDarray | None = None,
    keepdims: bool = False,
    initial: Any = None,
    where: Any = True,
) -> DNDarray:
    """Product over ``axis`` of the elements where ``where`` holds, times ``initial``, as
    ``numpy.prod``."""
    x = _as_array(x)
    dt = _oracle("prod", x.dtype) if dtype is None else types.canonical(dtype)
    return reduce_op(
        "prod", x, axis, keepdims, _multi(torch.prod), "prod", dt, out=out, where=where, initial=initial
    )


def _lexicographic(t: T, dim: int, largest: bool) -> tuple[T, T]:
    """(value, index) of the largest/smallest complex entry along ``dim`` (keepdim) in NumPy's
    order: by real part, then imaginary part; the first NaN wins, ties go to the first."""
    re, im = t.real, t.imag
    nan = torch.isnan(re) | torch.isnan(im)
    extreme = torch.amax if largest else torch.amin
    far = float("-inf") if largest else float("inf")
    best_re = extreme(torch.where(nan, far, re), dim=dim, keepdim=True)
    on_best = (re == best_re) & ~nan
    best_im = extreme(torch.where(on_best, im, far), dim=dim, keepdim=True)
    hit = on_best & (im == best_im)
    any_nan = nan.any(dim=dim, keepdim=True)
    hit = torch.where(any_nan, nan, hit)
    idx = torch.argmax(hit.to(torch.uint8), dim=dim, keepdim=True)  # the first hit
    return torch.take_along_dim(t, idx, dim=dim), idx


def _complex_extreme(
    name: str,
    largest: bool,
    x: DNDarray,
    axis: Any,
    keepdims: bool,
    out: DNDarray | None,
    initial: Any,
    where: Any,
) -> DNDarray:
    """min/max of complex input (NumPy's lexicographic order); per-rank partials are
    all-gathered (memory p x the result) and reduced once more."""
    axes = normalize_axes(name, axis, x.ndim)
    mask = _selection(name, x, axis, axes, where, unbounded=initial is None)
    t = x.larray
    if mask is not True:
        t = torch.where(torch.as_tensor(mask, device=t.device), t, torch.tensor(initial, dtype=t.dtype))
    shape = [1 if i in axes else n for i, n in enumerate(t.shape)]
    if not axes:
        partial = t.clone()
    elif t.numel() == 0:
        far = float("-inf") if largest else float("inf")
        partial = torch.full(shape, complex(far, far), dtype=t.dtype, device=t.device)
    else:
        kept = [i for i in range(t.ndim) if i not in axes]
        flat = t.permute([*kept, *axes]).reshape([t.shape[i] for i in kept] + [-1])
        partial = _lexicographic(flat, -1, largest)[0].reshape(shape)
    combined = x.split is not None and x.split in axes and x.comm.size > 1
    if combined:
        comm = x.comm.unchecked
        every = comm.allgather(partial.contiguous().unsqueeze(0), counts=[1] * comm.size)
        partial = _lexicographic(every, 0, largest)[0].squeeze(0)
    if initial is not None:
        both = torch.stack([partial, torch.full_like(partial, initial)])
        partial = _lexicographic(both, 0, largest)[0].squeeze(0)
    return _write_out(name, _finish(x, partial, axes, keepdims, x.dtype, combined), out, True)


def _extreme(name: str, op: str, fn: Callable[..., T]) -> Callable[..., DNDarray]:
    def reduce(
        x: Any,
        axis: Any = None,
        out: DNDarray | None = None,
        keepdims: bool = False,
        initial: Any = None,
        where: Any = True,
    ) -> DNDarray:
        x = _as_array(x)
        if types.is_complex(x.dtype):
            return _complex_extreme(name, op == "max", x, axis, keepdims, out, initial, where)
        return reduce_op(
            name,
            x,
            axis,
            keepdims,
            lambda t, ax: fn(t, dim=ax, keepdim=True),
            op,
            x.dtype,
            identity=False,
            out=out,
            where=where,
            initial=initial,
        )

    reduce.__name__ = reduce.__qualname__ = name
    reduce.__doc__ = (
        f"The {op}imum over ``axis`` (NaN propagates) of the elements where ``where`` holds and "
        f"``initial``, as ``numpy.{name}`` (``where=`` needs ``initial=``)."
    )
    return reduce


amax = max = _extreme("max", "max", torch.amax)
amin = min = _extreme("min", "min", torch.amin)


def all(
    x: Any, axis: Any = None, out: DNDarray | None = None, keepdims: bool = False, *, where: Any = True
) -> DNDarray:
    """Whether every element (over ``axis``, where ``where`` holds) is true, as ``numpy.all``."""
    return reduce_op(
        "all", x, axis, keepdims, _multi(torch.all), "land", types.bool_, types.bool_, out=out, where=where
    )


def any(
    x: Any, axis: Any = None, out: DNDarray | None = None, keepdims: bool = False, *, where: Any = True
) -> DNDarray:
    """Whether any element (over ``axis``, where ``where`` holds) is true, as ``numpy.any``."""
    return reduce_op(
        "any", x, axis, keepdims, _multi(torch.any), "lor", types.bool_, types.bool_, out=out, where=where
    )


def count_nonzero(x: Any, axis: Any = None, keepdims: bool = False) -> DNDarray:
    """Number of non-zero elements over ``axis``, as ``numpy.count_nonzero``."""
    x = _as_array(x)

    def local(t: T, ax: tuple[int, ...]) -> T:
        return torch.sum(t, dim=ax, keepdim=True)  # t is cast to bool (the work dtype)

    return reduce_op("count_nonzero", x, axis, keepdims, local, "sum", types.int64, types.bool_)


def ptp(x: Any, axis: Any = None, keepdims: bool = False) -> DNDarray:
    """Range (max - min) over ``axis``, as ``numpy.ptp``."""
    hi = max(x, axis=axis, keepdims=keepdims)  # raises first for empty input, as NumPy
    lo = min(x, axis=axis, keepdims=keepdims)
    if types.is_bool(hi.dtype):
        raise TypeError(
            "ptp: boolean subtract is not supported (as NumPy); cast with astype() to an integer dtype"
        )
    return hi._like(hi.larray - lo.larray)


def _moments(
    name: str, x: DNDarray, axis: Any, dtype: Any, where: Any = True, second: bool = True
) -> tuple[T, T | None, T | int, tuple[int, ...]]:
    """(global mean, global sum of squared deviations or None, count, axes) as keepdim blocks,
    over the elements where ``where`` holds; the count is an int when there is no mask."""
    axes = normalize_axes(name, axis, x.ndim)
    res = _oracle("mean", x.dtype) if dtype is None else types.canonical(dtype)
    work = torch.float32 if res in (types.float16, types.bfloat16) else res.torch
    t = x.larray.to(work)
    mask = local_mask(name, x, where)
    combined = x.split is not None and x.split in axes and x.comm.size > 1
    comm = x.comm.unchecked

    def total(v: T) -> T:
        return torch.sum(v, dim=axes, keepdim=True) if axes else v.clone()

    n_local: T | int
    n_total: T | int
    if mask is True:
        n_local = int(np.prod([t.shape[a] for a in axes])) if axes else 1
        n_total = int(np.prod([x.gshape[a] for a in axes])) if axes else 1
        keep = None
    else:
        keep = torch.as_tensor(mask, device=t.device).expand(t.shape)
        t = torch.where(keep, t, torch.zeros((), dtype=t.dtype, device=t.device))
        n_local = total(keep.to(t.real.dtype if t.is_complex() else t.dtype))
        n_total = comm.allreduce(n_local.contiguous(), "sum") if combined else n_local

    def squared(v: T) -> T:
        return (v * v.conj()).real if v.is_complex() else v * v

    def deviations(centre: T) -> T:
        sq = squared(t - centre)
        return (
            sq if keep is None else torch.where(keep, sq, torch.zeros((), dtype=sq.dtype, device=sq.device))
        )

    local_sum = total(t)
    if not combined:
        mean = local_sum / n_total
        return mean, (total(deviations(mean)) if second else None), n_total, axes
    mean = comm.allreduce(local_sum.contiguous(), "sum") / n_total
    if not second:
        return mean, None, n_total, axes
    if isinstance(n_local, int):
        local_mean = local_sum / n_local if n_local else torch.zeros_like(local_sum)
    else:
        local_mean = torch.where(n_local > 0, local_sum / n_local.clamp(min=1), torch.zeros_like(local_sum))
    m2 = comm.allreduce(
        (total(deviations(local_mean)) + n_local * squared(local_mean - mean)).contiguous(), "sum"
    )
    return mean, m2, n_total, axes


def mean(
    x: Any,
    axis: Any = None,
    dtype: Any = None,
    out: DNDarray | None = None,
    keepdims: bool = False,
    *,
    where: Any = True,
) -> DNDarray:
    """Arithmetic mean over ``axis`` of the elements where ``where`` holds, as ``numpy.mean``
    (float64 for integer input).

    Examples
    --------
    >>> ht.mean(ht.arange(4, split=0)).item()
    1.5
    """
    x = _as_array(x)
    res = _oracle("mean", x.dtype) if dtype is None else types.canonical(dtype)
    work = types.float32 if res in (types.float16, types.bfloat16) else res
    axes = normalize_axes("mean", axis, x.ndim)
    combined = x.split is not None and x.split in axes and x.comm.size > 1
    if where is not True:
        values, _, _, _ = _moments("mean", x, axis, dtype, where, second=False)
        return _write_out("mean", _finish(x, values, axes, keepdims, res, combined), out, True)
    n = int(np.prod([x.gshape[a] for a in axes])) if axes else 1
    total = reduce_op(
        "mean", x, axis, True, lambda t, ax: torch.sum(t, dim=ax, keepdim=True), "sum", work, work
    )
    values = total.larray / n if n else total.larray * float("nan")
    result = _finish(x, values, axes, keepdims, res, total.split is None and x.split is not None)
    return _write_out("mean", result, out, True)


def var(
    x: Any,
    axis: Any = None,
    dtype: Any = None,
    out: DNDarray | None = None,
    ddof: float = 0,
    keepdims: bool = False,
    *,
    where: Any = True,
) -> DNDarray:
    """Variance over ``axis`` of the elements where ``where`` holds, with ``ddof`` delta
    degrees of freedom, as ``numpy.var``.

    Per-rank moments are merged (Chan et al.): no sum of squares of raw values.
    """
    x = _as_array(x)
    _, m2, n, axes = _moments("var", x, axis, dtype, where)
    assert m2 is not None
    res = types.to_real(_oracle("var", x.dtype) if dtype is None else types.canonical(dtype))
    # NumPy: inf (or nan for 0/0) when ddof >= n
    values = m2 / (builtins.max(n - ddof, 0) if isinstance(n, int) else (n - ddof).clamp(min=0))
    combined = x.split is not None and x.split in axes and x.comm.size > 1
    result = _finish(x, values, axes, keepdims, res, combined)
    return _write_out("var", result, out, True)


def std(
    x: Any,
    axis: Any = None,
    dtype: Any = None,
    out: DNDarray | None = None,
    ddof: float = 0,
    keepdims: bool = False,
    *,
    where: Any = True,
) -> DNDarray:
    """Standard deviation over ``axis`` (of the elements where ``where`` holds), as
    ``numpy.std``."""
    v = var(x, axis=axis, dtype=dtype, ddof=ddof, keepdims=keepdims, where=where)
    result = v._like(torch.sqrt(v.larray))
    return _write_out("std", result, out, True)


def _arg(name: str, largest: bool) -> Callable[..., DNDarray]:
    def reduce(
        x: Any, axis: int | None = None, out: DNDarray | None = None, keepdims: bool = False
    ) -> DNDarray:
        x = _as_array(x)
        if axis is None:
            flat = x if x.ndim == 1 else _flat_view(x)
            res = reduce(flat, 0)
            if keepdims:
                res = DNDarray(
                    res.larray.reshape((1,) * x.ndim), (1,) * x.ndim, res.dtype, None, x.device, x.comm
                )
            return res
        if isinstance(cast(object, axis), tuple | list):
            raise TypeError(f"{name}: axis must be None or an int, got {axis!r}")
        (ax,) = normalize_axes(name, axis, x.ndim)
        if x.gshape[ax] == 0:
            raise ValueError(f"{name}: attempt to get {name} of an empty sequence (axis {ax} has length 0)")
        t = x.larray
        if t.dtype == torch.bool:
            t = t.to(torch.uint8)
        offset = 0
        combined = x.split == ax and x.comm.size > 1
        if combined:
            offset = x.counts_displs()[1][x.comm.rank]
        if t.shape[ax] == 0:
            shape = list(t.shape)
            shape[ax] = 1
            vals = torch.full(
                shape, _neutral("max" if largest else "min", t.dtype), dtype=t.dtype, device=t.device
            )
            idx = torch.full(shape, x.gshape[ax], dtype=torch.int64, device=t.device)
        elif t.is_complex():
            vals, idx = _lexicographic(t, ax, largest)
            idx = idx + offset
        else:
            fn = torch.argmax if largest else torch.argmin
            idx = fn(t, dim=ax, keepdim=True)
            vals = torch.take_along_dim(t, idx, dim=ax)
            idx = idx + offset
        if combined:
            comm = x.comm.unchecked
            every_v = comm.allgather(vals.contiguous().unsqueeze(0), counts=[1] * comm.size)
            every_i = comm.allgather(idx.contiguous().unsqueeze(0), counts=[1] * comm.size)
            if every_v.is_complex():
                best = _lexicographic(every_v, 0, largest)[0].squeeze(0)
            else:
                best = every_v.amax(0) if largest else every_v.amin(0)
            hit = every_v == best
            if every_v.is_floating_point() or every_v.is_complex():
                hit |= torch.isnan(every_v) & torch.isnan(best)
            idx = torch.where(hit, every_i, torch.full_like(every_i, x.gshape[ax])).amin(0)
        result = _finish(x, idx, (ax,), keepdims, types.int64, combined)
        return _write_out(name, result, out, True)

    reduce.__name__ = reduce.__qualname__ = name
    which = "largest" if largest else "smallest"
    reduce.__doc__ = f"Global index of the {which} value (first on ties), as ``numpy.{name}``."
    return reduce


def _flat_view(x: DNDarray) -> DNDarray:
    """``x`` flattened to 1-d in C order, split along the flat axis (a redistribution when the
    split axis is not 0)."""
    from .redistribution import to_layout

    if x.split is not None and x.split != 0:
        x = to_layout(x, 0)
    n = x.size
    if x.split is None:
        return DNDarray(x.larray.reshape(-1), (n,), x.dtype, None, x.device, x.comm)
    row = int(np.prod(x.gshape[1:]))
    counts = tuple(c * row for c in x.counts)
    return DNDarray(x.larray.reshape(-1), (n,), x.dtype, 0, x.device, x.comm, counts=counts)


argmax = _arg("argmax", largest=True)
argmin = _arg("argmin", largest=False)


def _scan(name: str, fn: Callable[..., T], op: str) -> Callable[..., DNDarray]:
    def scan(x: Any, axis: int | None = None, dtype: Any = None, out: DNDarray | None = None) -> DNDarray:
        x = _as_array(x)
        if isinstance(cast(object, axis), tuple | list):
            raise TypeError(f"{name}: axis must be None or an int, got {axis!r}")
        if axis is None:
            x = _flat_view(x)
            axis = 0
        (ax,) = normalize_axes(name, axis, x.ndim)
        dt = _oracle(name, x.dtype) if dtype is None else types.canonical(dtype)
        t = x.larray.to(dt.torch)
        local = fn(t, dim=ax, dtype=dt.torch)  # torch would widen integers to int64
        if x.split == ax and x.comm.size > 1:
            shape = list(t.shape)
            shape[ax] = 1
            if t.shape[ax]:
                total = local.narrow(ax, t.shape[ax] - 1, 1).contiguous()
            else:
                total = torch.full(shape, 0 if op == "sum" else 1, dtype=t.dtype, device=t.device)
            before = x.comm.unchecked.exscan(total, op)
            local = local + before if op == "sum" else local * before
        result = DNDarray(
            local, x.gshape, dt, x.split, x.device, x.comm, counts=None if x.split is None else x.counts
        )
        return _write_out(name, result, out, True)

    scan.__name__ = scan.__qualname__ = name
    scan.__doc__ = f"Cumulative {op} along ``axis`` (flattened when None), as ``numpy.{name}``."
    return scan


cumsum = _scan("cumsum", torch.cumsum, "sum")
cumprod = _scan("cumprod", torch.cumprod, "prod")


def _install_methods() -> None:
    for name in (
        "sum", "prod", "min", "max", "mean", "var", "std", "all", "any", "argmin", "argmax",
        "cumsum", "cumprod", "ptp", "count_nonzero",
    ):  # fmt: skip
        setattr(DNDarray, name, globals()[name])


_install_methods()
