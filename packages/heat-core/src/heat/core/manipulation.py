"""Shape manipulation (reshape, transpose, concatenate, pad, roll, flip, ...): local when the
split axis is untouched, otherwise one planned redistribution (DESIGN.md §2, "shape" rule).

Axis permutations, squeeze/expand_dims of other axes, broadcasting, and flip/roll/tile/repeat
along other axes only move the split axis's index (no communication). Along the split axis:
``flip`` sends each block to the mirror rank (the block sizes come out mirrored), ``roll``
and ``tile`` fetch their runs of slices with one all-to-all-v (:func:`_moves.fetch_runs`),
``repeat`` and ``diag``/``diagonal`` stay local (the result keeps the natural, possibly
unbalanced, block sizes). The joining, splitting, padding, window and reshape functions live in
:mod:`.joining`, :mod:`.padding`, :mod:`.windows` and :mod:`.reshaping`; see docs/manipulation.md.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from . import layout
from ._moves import Run, as_dndarray, fetch_runs, wrap_like
from .dndarray import DNDarray
from .joining import *  # noqa: F403
from .joining import __all__ as _joining_all
from .padding import *  # noqa: F403
from .padding import __all__ as _padding_all
from .reshaping import *  # noqa: F403
from .reshaping import __all__ as _reshaping_all
from .windows import *  # noqa: F403
from .windows import __all__ as _windows_all

__all__ = [  # noqa: PLE0604
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "broadcast_arrays",
    "broadcast_to",
    "diag",
    "diagonal",
    "expand_dims",
    "flip",
    "fliplr",
    "flipud",
    "moveaxis",
    "permute_dims",
    "repeat",
    "roll",
    "rot90",
    "squeeze",
    "swapaxes",
    "tile",
    "transpose",
    *_joining_all,
    *_padding_all,
    *_reshaping_all,
    *_windows_all,
]


def normalize_axis(name: str, axis: Any, ndim: int) -> int:
    """``axis`` as a non-negative int (NumPy's AxisError, a ValueError and IndexError, if not)."""
    try:
        ax = operator.index(axis)
    except TypeError:
        raise TypeError(f"{name}: axis must be an int, got {axis!r}") from None
    if not -ndim <= ax < ndim:
        raise np.exceptions.AxisError(f"{name}: axis {ax} is out of bounds for an array of dimension {ndim}")
    return ax % ndim


def normalize_axes(name: str, axes: Any, ndim: int) -> tuple[int, ...]:
    """An int or a sequence of ints as distinct non-negative axes."""
    raw = axes if isinstance(axes, Sequence) else (axes,)
    out = tuple(normalize_axis(name, a, ndim) for a in raw)
    if len(set(out)) != len(out):
        raise ValueError(f"{name}: repeated axis in {tuple(raw)}")
    return out


# ---------------------------------------------------------------------- axis permutations
def transpose(a: Any, axes: Sequence[int] | None = None) -> DNDarray:
    """``a`` with its axes permuted (reversed by default), as ``numpy.transpose``; local, the
    split moves with its axis.

    Examples
    --------
    >>> ht.transpose(ht.zeros((2, 3), split=0)).split
    1
    """
    return as_dndarray(a).transpose(axes)


def permute_dims(x: Any, /, axes: Sequence[int]) -> DNDarray:
    """The array API's name for :func:`transpose` with explicit ``axes``.

    Examples
    --------
    >>> ht.permute_dims(ht.zeros((2, 3, 4)), (2, 0, 1)).shape
    (4, 2, 3)
    """
    return transpose(x, axes)


def moveaxis(a: Any, source: int | Sequence[int], destination: int | Sequence[int]) -> DNDarray:
    """Move axes to new positions, the others keep their order, as ``numpy.moveaxis`` (local).

    Examples
    --------
    >>> ht.moveaxis(ht.zeros((2, 3, 4), split=0), 0, -1).split
    2
    """
    x = as_dndarray(a)
    src = normalize_axes("moveaxis", source, x.ndim)
    dst = normalize_axes("moveaxis", destination, x.ndim)
    if len(src) != len(dst):
        raise ValueError(
            f"moveaxis: source {source} and destination {destination} must have the same number of elements"
        )
    order = [i for i in range(x.ndim) if i not in src]
    for d, s in sorted(zip(dst, src, strict=True)):
        order.insert(d, s)
    return x.transpose(order)


def swapaxes(a: Any, axis1: int, axis2: int) -> DNDarray:
    """``a`` with two axes interchanged, as ``numpy.swapaxes`` (local).

    Examples
    --------
    >>> ht.swapaxes(ht.zeros((2, 3), split=1), 0, 1).split
    0
    """
    x = as_dndarray(a)
    i, j = normalize_axis("swapaxes", axis1, x.ndim), normalize_axis("swapaxes", axis2, x.ndim)
    order = list(range(x.ndim))
    order[i], order[j] = j, i
    return x.transpose(order)


# ---------------------------------------------------------------------- adding / removing axes
def _counts(x: DNDarray) -> tuple[int, ...] | None:
    return None if x.split is None else x.counts


def expand_dims(a: Any, axis: int | Sequence[int]) -> DNDarray:
    """``a`` with length-1 axes inserted at ``axis`` (positions in the result), as
    ``numpy.expand_dims``; local, the split axis keeps its data.

    Examples
    --------
    >>> ht.expand_dims(ht.zeros(3, split=0), 0).split
    1
    """
    x = as_dndarray(a)
    n_new = len(axis) if isinstance(axis, Sequence) else 1
    ndim = x.ndim + n_new
    new = normalize_axes("expand_dims", axis, ndim)
    old_pos = [i for i in range(ndim) if i not in new]
    shape = [1] * ndim
    local = [1] * ndim
    for i, p in enumerate(old_pos):
        shape[p], local[p] = x.gshape[i], x.lshape[i]
    split = None if x.split is None else old_pos[x.split]
    return DNDarray(x.larray.reshape(local), shape, x.dtype, split, x.device, x.comm, counts=_counts(x))


def squeeze(a: Any, axis: int | Sequence[int] | None = None) -> DNDarray:
    """``a`` without its length-1 axes (or those in ``axis``), as ``numpy.squeeze``.

    Local when the split axis stays. Squeezing a length-1 split axis (its one slice lives on one
    rank) re-splits the data along the first remaining axis with one all-to-all (a 0-d result
    is replicated).

    Examples
    --------
    >>> ht.squeeze(ht.zeros((1, 3, 1), split=1)).shape
    (3,)
    """
    x = as_dndarray(a)
    if axis is None:
        drop = tuple(i for i, n in enumerate(x.gshape) if n == 1)
    else:
        drop = normalize_axes("squeeze", axis, x.ndim)
        bad = [i for i in drop if x.gshape[i] != 1]
        if bad:
            raise ValueError(
                f"squeeze: cannot select axis {bad[0]} to squeeze out, it has size {x.gshape[bad[0]]} (not 1)"
            )
    keep = [i for i in range(x.ndim) if i not in drop]
    shape = tuple(x.gshape[i] for i in keep)
    if x.split is not None and x.split in drop:
        from .redistribution import to_layout

        x = to_layout(x, keep[0] if keep else None)
    local = tuple(x.lshape[i] for i in keep)
    split = None if x.split is None else keep.index(x.split)
    return DNDarray(x.larray.reshape(local), shape, x.dtype, split, x.device, x.comm, counts=_counts(x))


def _atleast(name: str, nd: int, arys: tuple[Any, ...]) -> DNDarray | tuple[DNDarray, ...]:
    out = []
    for a in arys:
        x = as_dndarray(a)
        if x.ndim < nd:
            if x.ndim == 0:
                axes: tuple[int, ...] = tuple(range(nd))
            elif x.ndim == 1:
                axes = (0,) if nd == 2 else (0, 2)
            else:
                axes = (2,)
            x = expand_dims(x, axes[: nd - x.ndim] if x.ndim else axes)
        out.append(x)
    return out[0] if len(out) == 1 else tuple(out)


def atleast_1d(*arys: Any) -> DNDarray | tuple[DNDarray, ...]:
    """Views with at least one dimension, as ``numpy.atleast_1d`` (local).

    Examples
    --------
    >>> ht.atleast_1d(ht.array(3)).shape
    (1,)
    """
    return _atleast("atleast_1d", 1, arys)


def atleast_2d(*arys: Any) -> DNDarray | tuple[DNDarray, ...]:
    """Views with at least two dimensions ((N,) becomes (1, N)), as ``numpy.atleast_2d``.

    Examples
    --------
    >>> ht.atleast_2d(ht.arange(3, split=0)).split
    1
    """
    return _atleast("atleast_2d", 2, arys)


def atleast_3d(*arys: Any) -> DNDarray | tuple[DNDarray, ...]:
    """Views with at least three dimensions ((N,) -> (1, N, 1), (M, N) -> (M, N, 1)), as
    ``numpy.atleast_3d``.

    Examples
    --------
    >>> ht.atleast_3d(ht.zeros((2, 3), split=0)).shape
    (2, 3, 1)
    """
    return _atleast("atleast_3d", 3, arys)


# ---------------------------------------------------------------------- broadcasting
def broadcast_to(array: Any, shape: Any) -> DNDarray:
    """A read-only view of ``array`` broadcast to ``shape``, as ``numpy.broadcast_to`` (do not
    write to it: the broadcast elements share memory).

    The split axis keeps its blocks when it is not broadcast; an array split along a length-1
    axis that is broadcast is replicated first (one all-gather of the input, not the result).

    Examples
    --------
    >>> ht.broadcast_to(ht.arange(3, split=0), (2, 3)).split
    1
    """
    x = as_dndarray(array)
    from .factories import sanitize_shape

    target = sanitize_shape(shape)
    try:
        ok = len(target) >= x.ndim and np.broadcast_shapes(x.gshape, target) == target
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"broadcast_to: cannot broadcast an array of shape {x.gshape} to shape {target}")
    lead = len(target) - x.ndim
    if x.split is not None and x.gshape[x.split] != target[x.split + lead]:
        from .redistribution import to_layout

        x = to_layout(x, None)
    split = None if x.split is None else x.split + lead
    local = list(target)
    if split is not None:
        local[split] = x.lshape[x.split]  # type: ignore[index]
    return DNDarray(x.larray.expand(local), target, x.dtype, split, x.device, x.comm, counts=_counts(x))


def broadcast_arrays(*args: Any) -> tuple[DNDarray, ...]:
    """The arrays broadcast against each other (read-only views), as ``numpy.broadcast_arrays``;
    each keeps its own split (see :func:`broadcast_to`).

    Examples
    --------
    >>> a, b = ht.broadcast_arrays(ht.zeros((2, 1)), ht.ones(3, split=0))
    >>> a.shape, b.split
    ((2, 3), 1)
    """
    arrays = [as_dndarray(a) for a in args]
    try:
        shape = np.broadcast_shapes(*(x.gshape for x in arrays))
    except ValueError:
        shapes = ", ".join(str(x.gshape) for x in arrays)
        raise ValueError(f"broadcast_arrays: shapes {shapes} cannot be broadcast together") from None
    return tuple(broadcast_to(x, shape) for x in arrays)


# ---------------------------------------------------------------------- reordering
def flip(m: Any, axis: int | Sequence[int] | None = None) -> DNDarray:
    """``m`` with the order of elements reversed along ``axis`` (all axes by default), as
    ``numpy.flip``.

    Local along other axes. Along the split axis each block is reversed and sent to the mirror
    rank (one all-to-all-v): the result's block sizes are the input's in reverse order.

    Examples
    --------
    >>> ht.flip(ht.arange(4, split=0)).numpy()
    array([3, 2, 1, 0])
    """
    x = as_dndarray(m)
    axes = tuple(range(x.ndim)) if axis is None else normalize_axes("flip", axis, x.ndim)
    local_axes = [a for a in axes if a != x.split or not x.is_distributed()]
    t = x.larray.flip(local_axes) if local_axes else x.larray.clone()
    result = wrap_like(x, t, x.gshape, x.split, _counts(x))
    if x.split is None or x.split not in axes or not x.is_distributed():
        return result
    counts, displs = x.counts_displs()
    size = x.comm.size
    wanted = [
        [Run(0, displs[size - 1 - q], displs[size - 1 - q] + counts[size - 1 - q], True)] for q in range(size)
    ]
    local = fetch_runs([result], x.split, wanted)
    return wrap_like(x, local, x.gshape, x.split, counts[::-1])


def fliplr(m: Any) -> DNDarray:
    """Reverse the order of columns (axis 1), as ``numpy.fliplr``.

    Examples
    --------
    >>> ht.fliplr(ht.eye(2)).numpy()[0]
    array([0., 1.])
    """
    x = as_dndarray(m)
    if x.ndim < 2:
        raise ValueError(f"fliplr: the input must be at least 2-d, got {x.ndim}-d")
    return flip(x, 1)


def flipud(m: Any) -> DNDarray:
    """Reverse the order of rows (axis 0), as ``numpy.flipud``.

    Examples
    --------
    >>> ht.flipud(ht.arange(3, split=0)).numpy()
    array([2, 1, 0])
    """
    x = as_dndarray(m)
    if x.ndim < 1:
        raise ValueError("flipud: the input must be at least 1-d, got a 0-d array")
    return flip(x, 0)


def _roll_split(x: DNDarray, shift: int) -> DNDarray:
    """``x`` rolled by ``shift`` along its split axis, same block sizes (one all-to-all-v)."""
    assert x.split is not None
    n = x.gshape[x.split]
    counts, displs = x.counts_displs()
    wanted: list[list[Run]] = []
    for c, t0 in zip(counts, displs, strict=True):
        start = (t0 - shift) % n
        if c == 0:
            wanted.append([])
        elif start + c <= n:
            wanted.append([Run(0, start, start + c)])
        else:
            wanted.append([Run(0, start, n), Run(0, 0, start + c - n)])
    return wrap_like(x, fetch_runs([x], x.split, wanted), x.gshape, x.split, counts)


def roll(a: Any, shift: int | Sequence[int], axis: int | Sequence[int] | None = None) -> DNDarray:
    """Roll elements along ``axis`` (the flattened array when None), as ``numpy.roll``.

    Local along other axes; along the split axis the block sizes are kept and every rank fetches
    its (at most two) runs of slices with one all-to-all-v. ``axis=None`` rolls a flat view (see
    :func:`ravel`) and reshapes back.

    Examples
    --------
    >>> ht.roll(ht.arange(5, split=0), 2).numpy()
    array([3, 4, 0, 1, 2])
    """
    x = as_dndarray(a)
    if axis is None:
        from .reshaping import reshape

        flat = reshape(x, (-1,), new_split=None if x.split is None else 0)
        total = int(np.sum(np.asarray(shift)))
        rolled = roll(flat, total, 0)
        return reshape(rolled, x.gshape, new_split=x.split)
    shifts, axes = np.broadcast_arrays(np.asarray(shift), np.asarray(axis))
    if shifts.ndim > 1:
        raise ValueError("roll: shift and axis must be ints or 1-d sequences")
    per_axis = [0] * x.ndim
    for s, ax in zip(shifts.reshape(-1).tolist(), axes.reshape(-1).tolist(), strict=True):
        per_axis[normalize_axis("roll", ax, x.ndim)] += int(s)
    local = [(i, s % x.gshape[i]) for i, s in enumerate(per_axis) if x.gshape[i] and s % x.gshape[i]]
    on_split = [s for i, s in local if i == x.split and x.is_distributed()]
    local = [(i, s) for i, s in local if i != x.split or not x.is_distributed()]
    t = torch.roll(x.larray, [s for _, s in local], [i for i, _ in local]) if local else x.larray.clone()
    result = wrap_like(x, t, x.gshape, x.split, _counts(x))
    return _roll_split(result, on_split[0]) if on_split else result


def rot90(m: Any, k: int = 1, axes: Sequence[int] = (0, 1)) -> DNDarray:
    """Rotate by 90 degrees ``k`` times in the plane of ``axes``, as ``numpy.rot90``
    (a flip and a transpose: see :func:`flip` for the split axis).

    Examples
    --------
    >>> ht.rot90(ht.array([[1, 2], [3, 4]], split=0)).numpy()
    array([[2, 4],
           [1, 3]])
    """
    x = as_dndarray(m)
    if len(axes) != 2:
        raise ValueError(f"rot90: axes must have 2 elements, got {tuple(axes)}")
    if x.ndim < 2:
        raise ValueError(f"rot90: the array must be at least 2-d, got {x.ndim}-d")
    a0, a1 = normalize_axis("rot90", axes[0], x.ndim), normalize_axis("rot90", axes[1], x.ndim)
    if a0 == a1:
        raise ValueError(f"rot90: axes {tuple(axes)} must be different")
    k = operator.index(k) % 4
    if k == 0:
        return x.copy()
    if k == 2:
        return flip(x, (a0, a1))
    order = list(range(x.ndim))
    order[a0], order[a1] = a1, a0
    if k == 1:
        return flip(x, a1).transpose(order)
    return flip(x.transpose(order), a1)


# ---------------------------------------------------------------------- repetition
def repeat(a: Any, repeats: Any, axis: int | None = None) -> DNDarray:
    """Repeat each element ``repeats`` times along ``axis`` (the flattened array when None), as
    ``numpy.repeat``.

    No communication beyond :func:`ravel` for ``axis=None``: along the split axis each rank
    repeats its own slices, so the result's block sizes are the repeated counts (unbalanced when
    ``repeats`` varies). A distributed ``repeats`` array is replicated first (it has one entry
    per slice of the axis).

    Examples
    --------
    >>> ht.repeat(ht.arange(3, split=0), 2).numpy()
    array([0, 0, 1, 1, 2, 2])
    """
    x = as_dndarray(a)
    if axis is None:
        from .reshaping import reshape

        x = reshape(x, (-1,), new_split=None if x.split is None else 0)
        axis = 0
    ax = normalize_axis("repeat", axis, x.ndim)
    n = x.gshape[ax]
    reps = np.asarray(repeats.numpy() if isinstance(repeats, DNDarray) else repeats)
    if reps.dtype.kind not in "iub" or reps.ndim > 1:
        raise TypeError(f"repeat: repeats must be an int or a 1-d sequence of ints, got {repeats!r}")
    if (reps < 0).any():
        raise ValueError("repeat: repeats may not contain negative values")
    if reps.size not in (1, n):
        raise ValueError(f"repeat: {reps.size} repeats for an axis of length {n}; pass 1 or {n}")
    full = np.broadcast_to(reps.reshape(-1).astype(np.int64), (n,))
    shape = list(x.gshape)
    shape[ax] = int(full.sum())
    counts = _counts(x)
    mine = full
    if x.split == ax:
        c, d = x.counts_displs()
        counts = tuple(int(full[d[r] : d[r] + c[r]].sum()) for r in range(x.comm.size))
        mine = full[d[x.comm.rank] : d[x.comm.rank] + c[x.comm.rank]]
    t = torch.repeat_interleave(x.larray, torch.tensor(mine, device=x.larray.device), dim=ax)
    return wrap_like(x, t, shape, x.split, counts)


def tile(A: Any, reps: int | Sequence[int]) -> DNDarray:  # noqa: N803 - NumPy's name
    """``A`` repeated ``reps`` times along each axis, as ``numpy.tile``.

    Local along other axes. Along the split axis the result is balanced and every rank fetches
    its runs of the periodic copies with one all-to-all-v.

    Examples
    --------
    >>> ht.tile(ht.arange(3, split=0), 2).numpy()
    array([0, 1, 2, 0, 1, 2])
    """
    x = as_dndarray(A)
    r = (operator.index(reps),) if not isinstance(reps, Sequence) else tuple(operator.index(i) for i in reps)
    if any(i < 0 for i in r):
        raise ValueError(f"tile: reps {r} must be non-negative")
    if len(r) > x.ndim:
        x = expand_dims(x, tuple(range(len(r) - x.ndim)))
    r = (1,) * (x.ndim - len(r)) + r
    split = x.split
    distributed = split is not None and x.is_distributed() and r[split] > 1 and x.gshape[split] > 0
    local_reps = [1 if (i == split and distributed) else k for i, k in enumerate(r)]
    shape = [n * k for n, k in zip(x.gshape, r, strict=True)]
    counts = _counts(x)
    if split is not None and not distributed:
        counts = tuple(c * r[split] for c in x.counts)
    t = x.larray.repeat(*local_reps) if x.ndim else x.larray.clone()
    if not distributed:
        return wrap_like(x, t, shape, split, counts)
    assert split is not None
    part_shape = list(shape)
    part_shape[split] = x.gshape[split]
    part = wrap_like(x, t, part_shape, split, counts)
    n = x.gshape[split]
    new_counts = layout.balanced_counts(shape[split], x.comm.size)
    wanted: list[list[Run]] = []
    for c, t0 in zip(new_counts, layout.offsets(new_counts), strict=True):
        runs, j = [], t0
        while j < t0 + c:
            stop = min(t0 + c, (j // n + 1) * n)
            runs.append(Run(0, j % n, j % n + stop - j))
            j = stop
        wanted.append(runs)
    return wrap_like(x, fetch_runs([part], split, wanted), shape, split, new_counts)


# ---------------------------------------------------------------------- diagonals
def diagonal(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> DNDarray:
    """The diagonal of the ``axis1``/``axis2`` planes, appended as the last axis, as
    ``numpy.diagonal`` (a read-only view; do not write to it).

    No communication: when the split axis is one of the two, each rank takes the diagonal
    entries of its own block and the result is split along its last axis with those (possibly
    unbalanced) block sizes.

    Examples
    --------
    >>> ht.diagonal(ht.eye(3, split=0)).numpy()
    array([1., 1., 1.])
    """
    x = as_dndarray(a)
    if x.ndim < 2:
        raise ValueError(f"diagonal: the array must be at least 2-d, got {x.ndim}-d")
    i1, i2 = normalize_axis("diagonal", axis1, x.ndim), normalize_axis("diagonal", axis2, x.ndim)
    if i1 == i2:
        raise ValueError(f"diagonal: axis1 and axis2 cannot be the same (both {i1})")
    offset = operator.index(offset)
    n1, n2 = x.gshape[i1], x.gshape[i2]
    first, stop = max(0, -offset), min(n1, n2 - offset)
    length = max(0, stop - first)
    rest = [i for i in range(x.ndim) if i not in (i1, i2)]
    shape = (*(x.gshape[i] for i in rest), length)
    split, counts, local_offset = x.split, _counts(x), offset
    if x.split is not None and x.split in (i1, i2):
        c, d = x.counts_displs()
        if x.split == i1:  # entry i sits at row i
            counts = tuple(max(0, min(d[r] + c[r], stop) - max(d[r], first)) for r in range(len(c)))
            local_offset = offset + d[x.comm.rank]
        else:  # entry i sits at column i + offset
            counts = tuple(
                max(0, min(d[r] + c[r], stop + offset) - max(d[r], first + offset)) for r in range(len(c))
            )
            local_offset = offset - d[x.comm.rank]
        split = len(shape) - 1
    elif x.split is not None:
        split = rest.index(x.split)
    t = x.larray
    if split is not None and split == len(shape) - 1 and counts is not None and counts[x.comm.rank] == 0:
        local_shape = list(shape)
        local_shape[-1] = 0
        local = t.new_empty(local_shape)
    else:
        local = torch.diagonal(t, local_offset, i1, i2)
    return wrap_like(x, local, shape, split, counts)


def diag(v: Any, k: int = 0) -> DNDarray:
    """Extract the ``k``-th diagonal of a 2-d array or build a 2-d array with the 1-d ``v`` on
    its ``k``-th diagonal, as ``numpy.diag``.

    Building from a split ``v`` needs no communication: the result is split along its rows,
    each rank builds the rows holding its entries, and the ``|k|`` all-zero rows join the last
    rank (``k > 0``) or the first (``k < 0``).

    Examples
    --------
    >>> ht.diag(ht.array([1, 2], split=0)).numpy()
    array([[1, 0],
           [0, 2]])
    """
    x = as_dndarray(v)
    k = operator.index(k)
    if x.ndim == 2:
        return diagonal(x, k)
    if x.ndim != 1:
        raise ValueError(f"diag: the input must be 1-d or 2-d, got {x.ndim}-d")
    n = x.gshape[0]
    size = n + abs(k)
    if x.split is None:
        return wrap_like(x, torch.diag(x.larray, k), (size, size), None)
    c, d = x.counts_displs()
    counts = list(c)
    counts[-1 if k >= 0 else 0] += abs(k)
    rank = x.comm.rank
    row0 = layout.offsets(counts)[rank]
    local = torch.zeros((counts[rank], size), dtype=x.larray.dtype, device=x.larray.device)
    entries = torch.arange(d[rank], d[rank] + c[rank], device=x.larray.device)
    local[entries + max(0, -k) - row0, entries + max(0, k)] = x.larray
    return wrap_like(x, local, (size, size), 0, tuple(counts))


def _reshape_method(self: DNDarray, *shape: Any, new_split: int | None = None, order: str = "C") -> DNDarray:
    """``x.reshape(2, 3)`` or ``x.reshape((2, 3))``: see :func:`heat.reshape`."""
    from .reshaping import reshape

    target = shape[0] if len(shape) == 1 else shape
    return reshape(self, target, order, new_split=new_split)


def _install_methods() -> None:
    from . import reshaping

    DNDarray.reshape = _reshape_method  # type: ignore[attr-defined]
    for name, fn in (
        ("flatten", reshaping.flatten),
        ("ravel", reshaping.ravel),
        ("squeeze", squeeze),
        ("swapaxes", swapaxes),
        ("expand_dims", expand_dims),
        ("flip", flip),
        ("roll", roll),
        ("repeat", repeat),
        ("tile", tile),
        ("diagonal", diagonal),
        ("moveaxis", moveaxis),
    ):
        setattr(DNDarray, name, fn)


_install_methods()
