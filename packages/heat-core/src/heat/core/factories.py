"""Array creation with the NumPy signatures plus ``split``, ``device`` and ``comm``.

Factories with ``split`` create only the local block: ``ht.zeros((10**9, 10), split=0)`` on
four ranks allocates a quarter of the array per rank.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from . import layout, types
from .communication import Communicator, sanitize_comm
from .devices import Device, sanitize_device
from .dndarray import DNDarray
from .types import DType

__all__ = [
    "arange",
    "array",
    "asarray",
    "empty",
    "empty_like",
    "eye",
    "from_dlpack",
    "full",
    "full_like",
    "identity",
    "linspace",
    "logspace",
    "meshgrid",
    "ones",
    "ones_like",
    "zeros",
    "zeros_like",
]

ShapeLike = int | Sequence[int]


def sanitize_shape(shape: Any, where: str = "shape") -> tuple[int, ...]:
    """``shape`` as a tuple of non-negative ints (an int is a 1-d shape)."""
    try:
        dims = (
            (operator.index(shape),)
            if not isinstance(shape, Sequence | np.ndarray | torch.Size)
            else tuple(operator.index(s) for s in shape)
        )
    except TypeError:
        raise TypeError(f"{where} must be an int or a sequence of ints, got {shape!r}") from None
    if any(d < 0 for d in dims):
        raise ValueError(f"{where} {dims} has negative dimensions; every dimension must be >= 0")
    return dims


def _setup(
    shape: tuple[int, ...], split: Any, device: Any, comm: Any
) -> tuple[int | None, Device, Communicator, tuple[int, ...] | None, tuple[int, ...]]:
    """Validated (split, device, comm, counts, local shape) for a new balanced array."""
    split = layout.normalize_split(split, len(shape))
    dev = sanitize_device(device)
    com = sanitize_comm(comm)
    counts = None if split is None else layout.balanced_counts(shape[split], com.size)
    return split, dev, com, counts, layout.local_shape(shape, split, counts, com.rank)


def wrap(
    tensor: torch.Tensor,
    gshape: Sequence[int],
    split: int | None,
    device: Device,
    comm: Communicator,
    counts: Sequence[int] | None = None,
) -> DNDarray:
    """A DNDarray around this rank's block (dtype from the tensor)."""
    return DNDarray(tensor, tuple(gshape), types.from_torch(tensor.dtype), split, device, comm, counts=counts)


def _filled(
    shape: Any, fill: Any, dtype: Any, split: Any, device: Any, comm: Any, default: DType
) -> DNDarray:
    gshape = sanitize_shape(shape)
    dt = default if dtype is None else types.canonical(dtype)
    split, dev, com, counts, lshape = _setup(gshape, split, device, comm)
    tdt, tdev = dt.torch, dev.torch_device
    if fill is None:
        local = torch.empty(lshape, dtype=tdt, device=tdev)
    elif fill == 0 and not isinstance(fill, complex):
        local = torch.zeros(lshape, dtype=tdt, device=tdev)
    elif fill == 1 and not isinstance(fill, complex):
        local = torch.ones(lshape, dtype=tdt, device=tdev)
    else:
        local = torch.full(lshape, fill, dtype=tdt, device=tdev)
    return DNDarray(local, gshape, dt, split, dev, com, counts=counts)


def empty(
    shape: ShapeLike,
    dtype: Any = None,
    split: int | None = None,
    device: Any = None,
    comm: Any = None,
    order: str = "C",
) -> DNDarray:
    """An uninitialised array (float64 by default, as in NumPy).

    Examples
    --------
    >>> ht.empty((4, 3), split=0).lshape  # doctest: +SKIP
    (2, 3)
    """
    return _filled(shape, None, dtype, split, device, comm, types.default_float())


def zeros(
    shape: ShapeLike,
    dtype: Any = None,
    split: int | None = None,
    device: Any = None,
    comm: Any = None,
    order: str = "C",
) -> DNDarray:
    """An array of zeros.

    Examples
    --------
    >>> ht.zeros((2, 3), dtype=ht.int32).numpy()
    array([[0, 0, 0],
           [0, 0, 0]], dtype=int32)
    """
    return _filled(shape, 0, dtype, split, device, comm, types.default_float())


def ones(
    shape: ShapeLike,
    dtype: Any = None,
    split: int | None = None,
    device: Any = None,
    comm: Any = None,
    order: str = "C",
) -> DNDarray:
    """An array of ones.

    Examples
    --------
    >>> ht.ones(3).numpy()
    array([1., 1., 1.])
    """
    return _filled(shape, 1, dtype, split, device, comm, types.default_float())


def full(
    shape: ShapeLike,
    fill_value: Any,
    dtype: Any = None,
    split: int | None = None,
    device: Any = None,
    comm: Any = None,
    order: str = "C",
) -> DNDarray:
    """An array filled with ``fill_value`` (dtype inferred from it, as in NumPy).

    Examples
    --------
    >>> ht.full((2,), 7).numpy()
    array([7, 7])
    """
    if isinstance(fill_value, DNDarray | np.ndarray | np.generic | torch.Tensor):
        if dtype is None:
            dtype = types.result_type(fill_value)
        fill_value = fill_value.item()
    default = types.default_for_scalar(fill_value)
    return _filled(shape, fill_value, dtype, split, device, comm, default)


def _like_args(
    a: Any, dtype: Any, split: Any, device: Any, comm: Any
) -> tuple[tuple[int, ...], Any, Any, Any, Any]:
    if isinstance(a, DNDarray):
        return (
            a.gshape,
            a.dtype if dtype is None else dtype,
            a.split if split is None else split,
            a.device if device is None else device,
            a.comm if comm is None else comm,
        )
    arr = a if isinstance(a, np.ndarray | torch.Tensor) else np.asarray(a)
    return tuple(arr.shape), types.result_type(arr) if dtype is None else dtype, split, device, comm


def empty_like(
    a: Any, dtype: Any = None, split: int | None = None, device: Any = None, comm: Any = None
) -> DNDarray:
    """Like :func:`empty` with the shape (and, unless given, dtype, split, device, comm) of ``a``."""
    shape, dtype, split, device, comm = _like_args(a, dtype, split, device, comm)
    return empty(shape, dtype, split, device, comm)


def zeros_like(
    a: Any, dtype: Any = None, split: int | None = None, device: Any = None, comm: Any = None
) -> DNDarray:
    """Zeros with the shape (and, unless given, dtype, split, device, comm) of ``a``."""
    shape, dtype, split, device, comm = _like_args(a, dtype, split, device, comm)
    return zeros(shape, dtype, split, device, comm)


def ones_like(
    a: Any, dtype: Any = None, split: int | None = None, device: Any = None, comm: Any = None
) -> DNDarray:
    """Ones with the shape (and, unless given, dtype, split, device, comm) of ``a``."""
    shape, dtype, split, device, comm = _like_args(a, dtype, split, device, comm)
    return ones(shape, dtype, split, device, comm)


def full_like(
    a: Any, fill_value: Any, dtype: Any = None, split: int | None = None, device: Any = None, comm: Any = None
) -> DNDarray:
    """``fill_value`` everywhere, with the shape (and, unless given, dtype, ...) of ``a``."""
    shape, dtype, split, device, comm = _like_args(a, dtype, split, device, comm)
    return full(shape, fill_value, dtype, split, device, comm)


# ---------------------------------------------------------------------- ranges
def _python_number(value: Any, where: str) -> int | float | complex:
    if isinstance(value, DNDarray | np.generic | np.ndarray | torch.Tensor):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, int | float | complex):
        raise TypeError(f"{where} must be a number, got {type(value).__name__}")
    return value


def arange(
    *args: Any, dtype: Any = None, split: int | None = None, device: Any = None, comm: Any = None
) -> DNDarray:
    """Evenly spaced values in ``[start, stop)``: ``arange(stop)``, ``arange(start, stop[, step])``.

    Each rank computes only its own values, for its global indices i, bit for bit as NumPy
    does (``start + i * delta`` in the result dtype, ``delta = (start + step) - start``).

    Examples
    --------
    >>> ht.arange(1, 7, 2).numpy()
    array([1, 3, 5])
    """
    if not 1 <= len(args) <= 3:
        raise TypeError(f"arange takes 1 to 3 positional arguments (start, stop, step), got {len(args)}")
    nums = [_python_number(a, "arange's arguments") for a in args]
    start, stop, step = (
        (0, nums[0], 1) if len(nums) == 1 else (nums[0], nums[1], nums[2] if len(nums) == 3 else 1)
    )
    if isinstance(start, complex) or isinstance(stop, complex) or isinstance(step, complex):
        raise TypeError("arange does not support complex arguments; use linspace")
    if step == 0:
        raise ValueError("arange: step must not be zero")
    n = max(0, math.ceil((stop - start) / step))
    integral = all(isinstance(v, int) for v in (start, stop, step))
    dt = (
        (types.default_int() if integral else types.default_float())
        if dtype is None
        else types.canonical(dtype)
    )
    split, dev, com, counts, lshape = _setup((n,), split, device, comm)
    first = 0 if split is None or counts is None else layout.offsets(counts)[com.rank]
    index = torch.arange(first, first + lshape[0], dtype=torch.int64)
    if integral and (types.is_integer(dt) or types.is_bool(dt)):
        values = start + index * step
    else:
        # NumPy's fill: the first two values are stored in the result dtype, then
        # value[i] = value[0] + i * (value[1] - value[0]), computed in that dtype (float32 for
        # 16-bit floats, int64 for the integers, which truncate start and start + step first)
        if types.is_float(dt):
            work = torch.float64 if dt.itemsize == 8 else torch.float32
        else:
            work = dt.torch if types.is_complex(dt) else torch.int64
        two = torch.tensor([start, start + step], dtype=torch.float64).to(dt.torch).to(work)
        values = two[0] + index.to(work) * (two[1] - two[0])
        values[index == 1] = two[1]
    local = values.to(dt.torch).to(dev.torch_device)
    return DNDarray(local, (n,), dt, split, dev, com, counts=counts)


def linspace(
    start: Any,
    stop: Any,
    num: int = 50,
    endpoint: bool = True,
    retstep: bool = False,
    dtype: Any = None,
    split: int | None = None,
    device: Any = None,
    comm: Any = None,
) -> DNDarray | tuple[DNDarray, float | complex]:
    """``num`` evenly spaced values from ``start`` to ``stop`` (computed in float64, as NumPy).

    Examples
    --------
    >>> ht.linspace(0, 1, 5).numpy()
    array([0.  , 0.25, 0.5 , 0.75, 1.  ])
    """
    start_v = _python_number(start, "linspace's start")
    stop_v = _python_number(stop, "linspace's stop")
    num = operator.index(num)
    if num < 0:
        raise ValueError(f"linspace: num={num} must be non-negative")
    div = (num - 1) if endpoint else num
    delta = stop_v - start_v
    step = delta / div if div > 0 else math.nan
    cplx = isinstance(start_v, complex) or isinstance(stop_v, complex)
    default = types.default_complex() if cplx else types.default_float()
    dt = default if dtype is None else types.canonical(dtype)
    split, dev, com, counts, lshape = _setup((num,), split, device, comm)
    first = 0 if split is None or counts is None else layout.offsets(counts)[com.rank]
    work = torch.complex128 if cplx else torch.float64
    index = torch.arange(first, first + lshape[0], dtype=torch.float64).to(work)
    if div > 0:
        values = index * step + start_v
    else:
        values = index * delta + start_v
    if endpoint and num > 1 and first + lshape[0] == num and lshape[0] > 0:
        values[-1] = torch.as_tensor(stop_v, dtype=work)
    if types.is_integer(dt):
        values = torch.floor(values.real) if not cplx else values
    local = values.to(dt.torch).to(dev.torch_device)
    result = DNDarray(local, (num,), dt, split, dev, com, counts=counts)
    return (result, step) if retstep else result


def logspace(
    start: Any,
    stop: Any,
    num: int = 50,
    endpoint: bool = True,
    base: float = 10.0,
    dtype: Any = None,
    split: int | None = None,
    device: Any = None,
    comm: Any = None,
) -> DNDarray:
    """``base ** linspace(start, stop, num)``.

    Examples
    --------
    >>> ht.logspace(0, 2, 3).numpy()
    array([  1.,  10., 100.])
    """
    exps = linspace(start, stop, num, endpoint, dtype=None, split=split, device=device, comm=comm)
    assert isinstance(exps, DNDarray)
    values = torch.pow(torch.as_tensor(base, dtype=exps.larray.dtype), exps.larray)
    dt = exps.dtype if dtype is None else types.canonical(dtype)
    if types.is_integer(dt):
        values = torch.floor(values)
    return exps._like(values.to(dt.torch), dtype=dt)


def eye(
    N: ShapeLike,  # noqa: N803 - NumPy's names
    M: int | None = None,  # noqa: N803
    k: int = 0,
    dtype: Any = None,
    split: int | None = None,
    device: Any = None,
    comm: Any = None,
) -> DNDarray:
    """A 2-d array with ones on diagonal ``k`` (``N`` may also be a ``(rows, cols)`` shape).

    Examples
    --------
    >>> ht.eye(2, 3, k=1, dtype=ht.int64).numpy()
    array([[0, 1, 0],
           [0, 0, 1]])
    """
    dims = sanitize_shape(N, "eye's N")
    if len(dims) == 1:
        rows = dims[0]
        cols = rows if M is None else operator.index(M)
    elif len(dims) == 2 and M is None:
        rows, cols = dims
    else:
        raise ValueError(f"eye: N must be an int or a (rows, cols) pair, got {N!r} with M={M!r}")
    gshape = sanitize_shape((rows, cols))
    dt = types.default_float() if dtype is None else types.canonical(dtype)
    split, dev, com, counts, lshape = _setup(gshape, split, device, comm)
    off = [0, 0]
    if split is not None and counts is not None:
        off[split] = layout.offsets(counts)[com.rank]
    r = torch.arange(off[0], off[0] + lshape[0]).unsqueeze(1)
    c = torch.arange(off[1], off[1] + lshape[1]).unsqueeze(0)
    local = (c - r == k).to(dt.torch).to(dev.torch_device)
    return DNDarray(local, gshape, dt, split, dev, com, counts=counts)


def identity(
    n: int, dtype: Any = None, split: int | None = None, device: Any = None, comm: Any = None
) -> DNDarray:
    """The ``n`` x ``n`` identity matrix."""
    return eye(operator.index(n), dtype=dtype, split=split, device=device, comm=comm)


# ---------------------------------------------------------------------- from data
def _to_tensor(obj: Any, dtype: DType | None, copy: bool | None) -> torch.Tensor:
    """A torch tensor holding ``obj`` (a tensor, NumPy array, nested sequence or scalar)."""
    if isinstance(obj, torch.Tensor):
        types.canonical(obj.dtype)  # a clear TypeError for unsupported dtypes
        t = obj
        if copy:
            t = t.clone()
    else:
        arr = obj if isinstance(obj, np.ndarray) else np.asarray(obj)
        if arr.dtype.byteorder not in ("=", "|") and arr.dtype.byteorder != np.dtype("=").byteorder:
            arr = arr.astype(arr.dtype.newbyteorder("="))
        types.canonical(arr.dtype)  # a clear TypeError for unsupported dtypes
        if copy and arr is obj:
            arr = arr.copy()
        t = (
            torch.from_numpy(np.ascontiguousarray(arr))
            if arr.ndim
            else torch.tensor(arr.item(), dtype=types.from_numpy(arr.dtype).torch)
        )
    if dtype is not None and t.dtype != dtype.torch:
        t = t.to(dtype.torch)
    return t


def array(
    obj: Any,
    dtype: Any = None,
    copy: bool | None = True,
    ndmin: int = 0,
    order: str = "C",
    split: int | None = None,
    is_split: int | None = None,
    device: Any = None,
    comm: Any = None,
) -> DNDarray:
    """A DNDarray from data.

    ``split=k``: every rank passes the same whole data; each keeps only its block (no
    communication). ``is_split=k``: each rank passes its own piece along axis ``k``; pieces
    may differ in length along ``k`` and are validated collectively (same number of
    dimensions, same lengths elsewhere; their dtypes are promoted together).

    Examples
    --------
    >>> x = ht.array([[1, 2], [3, 4]], split=0)
    >>> x.shape, x.dtype
    ((2, 2), heat.int64)
    """
    if split is not None and is_split is not None:
        raise ValueError(f"array: split={split} and is_split={is_split} are exclusive; pass one of them")
    dt = None if dtype is None else types.canonical(dtype)
    if isinstance(obj, DNDarray):
        if is_split is not None:
            raise ValueError("array: is_split cannot be used with a DNDarray input; use resplit()")
        out = obj.astype(dt, copy=bool(copy)) if dt is not None else (obj.copy() if copy else obj)
        if device is not None:
            out = out.to_device(device)
        if out.ndim < ndmin:
            ones = (1,) * (ndmin - out.ndim)
            out = DNDarray(
                out.larray.reshape(ones + out.lshape),
                ones + out.gshape,
                out.dtype,
                None if out.split is None else out.split + len(ones),
                out.device,
                out.comm,
                counts=None if out.split is None else out.counts,
            )
        if split is not None and layout.normalize_split(split, out.ndim) != out.split:
            out = out.resplit(split)
        return out
    com = sanitize_comm(comm)
    dev = sanitize_device(device)
    if is_split is None:
        local = _to_tensor(obj, dt, copy=False if split is not None else copy)
    else:
        with com.collective_errors():  # a bad piece on one rank raises on every rank
            local = _to_tensor(obj, dt, copy)
    while local.dim() < ndmin:
        local = local.unsqueeze(0)
    if is_split is None:
        gshape = tuple(local.shape)
        sp = layout.normalize_split(split, len(gshape))
        counts = None
        if sp is not None:
            counts = layout.balanced_counts(gshape[sp], com.size)
            local = local[layout.local_slice(sp, counts, com.rank, len(gshape))].clone()
        local = local.to(dev.torch_device)
        return DNDarray(local, gshape, types.from_torch(local.dtype), sp, dev, com, counts=counts)
    return _from_pieces(local, is_split, dt, dev, com)


def _from_pieces(
    local: torch.Tensor, is_split: int, dt: DType | None, dev: Device, com: Communicator
) -> DNDarray:
    """Adopt each rank's ``local`` piece along ``is_split``, validated collectively."""
    if not isinstance(is_split, int | np.integer) or isinstance(is_split, bool):
        raise TypeError(f"is_split must be an int or None, got {type(is_split).__name__}")
    is_split = int(is_split)
    meta = com.allgather_object((tuple(local.shape), types.from_torch(local.dtype).name))
    ndims = {len(s) for s, _ in meta}
    if len(ndims) != 1:
        detail = ", ".join(f"rank {r}: {s}" for r, (s, _) in enumerate(meta))
        raise ValueError(
            f"array(is_split={is_split}): the local pieces differ in number of dimensions ({detail})"
        )
    ndim = ndims.pop()
    sp = layout.normalize_split(is_split, ndim, "is_split")
    assert sp is not None
    rest = {s[:sp] + s[sp + 1 :] for s, _ in meta}
    if len(rest) != 1:
        detail = ", ".join(f"rank {r}: {s}" for r, (s, _) in enumerate(meta))
        raise ValueError(
            f"array(is_split={sp}): the local pieces must agree outside axis {sp}, "
            f"but their shapes are {detail}"
        )
    if dt is None:
        dt = types.result_type(*[types.canonical(name) for _, name in meta])
        local = local.to(dt.torch)
    counts = tuple(s[sp] for s, _ in meta)
    gshape = list(meta[0][0])
    gshape[sp] = sum(counts)
    return DNDarray(local.to(dev.torch_device), tuple(gshape), dt, sp, dev, com, counts=counts)


def asarray(
    obj: Any,
    dtype: Any = None,
    copy: bool | None = None,
    order: str = "C",
    is_split: int | None = None,
    split: int | None = None,
    device: Any = None,
    comm: Any = None,
) -> DNDarray:
    """Like :func:`array` but without a copy when ``obj`` can be used as it is."""
    if copy is False and split is not None and not isinstance(obj, DNDarray):
        raise ValueError(
            "asarray(copy=False, split=...) would have to copy this rank's block; pass copy=None"
        )
    return array(
        obj, dtype=dtype, copy=copy, order=order, split=split, is_split=is_split, device=device, comm=comm
    )


def from_dlpack(x: Any, split: int | None = None, device: Any = None, comm: Any = None) -> DNDarray:
    """A (replicated, or with ``split`` sliced) DNDarray sharing memory with a DLPack producer."""
    t = torch.utils.dlpack.from_dlpack(x)
    return array(t, copy=False if split is None else None, split=split, device=device, comm=comm)


def meshgrid(*arrays: Any, indexing: str = "xy") -> list[DNDarray]:
    """Coordinate matrices from 1-d coordinate arrays, as NumPy's ``meshgrid`` (``copy=True``).

    If one input is split, every output is split along the axis that input spans; at most one
    input may be split.

    Examples
    --------
    >>> xs, ys = ht.meshgrid(ht.arange(3), ht.arange(2))
    >>> xs.shape
    (2, 3)
    """
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}")
    if not arrays:
        return []
    ins = [a if isinstance(a, DNDarray) else array(a) for a in arrays]
    for a in ins:
        if a.ndim != 1:
            raise ValueError(f"meshgrid: every input must be 1-d, got shape {a.gshape}")
    splitted = [i for i, a in enumerate(ins) if a.split is not None]
    if len(splitted) > 1:
        raise ValueError(
            f"meshgrid: inputs {splitted} are all split; at most one may be (resplit the others)"
        )
    n = len(ins)
    order = list(range(n))
    if indexing == "xy" and n >= 2:
        order[0], order[1] = 1, 0  # output axis of each input
    gshape = [0] * n
    for i, a in enumerate(ins):
        gshape[order[i]] = a.gshape[0]
    split_out = order[splitted[0]] if splitted else None
    locals_ = [a.larray for a in ins]
    shape_local = [t.shape[0] for t in locals_]
    lshape = [0] * n
    for i in range(n):
        lshape[order[i]] = shape_local[i]
    outs = []
    ref = ins[splitted[0]] if splitted else ins[0]
    for i, t in enumerate(locals_):
        view = [1] * n
        view[order[i]] = t.shape[0]
        grid = t.reshape(view).expand(lshape).clone()
        counts = ins[splitted[0]].counts if splitted else None
        outs.append(
            DNDarray(grid, tuple(gshape), ins[i].dtype, split_out, ref.device, ref.comm, counts=counts)
        )
    return outs
