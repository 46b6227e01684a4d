"""Joining and splitting: concatenate, stack and their variants; split, array_split and theirs.

Joining along an axis that is not the split axis is local once the operands share one split
and block sizes (:func:`heat.align`'s rule: the largest split operand keeps its layout, the
others move to it; replicated operands are sliced locally). Joining along the split axis gives
a balanced result: every rank fetches its runs of the operands' slices with one all-to-all-v
for all operands together. Splitting never communicates: a piece cut along the split axis keeps
each rank's part of it (possibly unbalanced, possibly empty blocks).
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import layout, types
from ._moves import Run, as_dndarray, fetch_runs, wrap_like
from .dndarray import DNDarray

__all__ = [
    "array_split",
    "column_stack",
    "concat",
    "concatenate",
    "dsplit",
    "dstack",
    "hsplit",
    "hstack",
    "split",
    "stack",
    "vsplit",
    "vstack",
]


def _operands(name: str, arrays: Any) -> list[DNDarray]:
    if isinstance(arrays, DNDarray) or not isinstance(arrays, Sequence) or len(arrays) == 0:
        raise ValueError(f"{name}: need a non-empty sequence of arrays, got {type(arrays).__name__}")
    like = next((a for a in arrays if isinstance(a, DNDarray)), None)
    if like is None:
        return [as_dndarray(a) for a in arrays]
    from .factories import array

    return [a if isinstance(a, DNDarray) else array(a, device=like.device, comm=like.comm) for a in arrays]


def concatenate(arrays: Sequence[Any], axis: int | None = 0, *, dtype: Any = None) -> DNDarray:
    """Join arrays along an existing axis (flattened first when ``axis`` is None), as
    ``numpy.concatenate``.

    Result split: the split of the largest split operand (None if none is split). Along another
    axis the operands are brought to its layout and joined locally; along the split axis the
    result is balanced and one all-to-all-v moves the operands' slices (each at most once).

    Examples
    --------
    >>> ht.concatenate([ht.arange(2, split=0), ht.arange(3, split=0)]).numpy()
    array([0, 1, 0, 1, 2])
    """
    from .redistribution import to_layout

    xs = _operands("concatenate", arrays)
    if axis is None:
        from .reshaping import ravel

        xs = [ravel(x) for x in xs]
        axis = 0
    if any(x.ndim == 0 for x in xs):
        raise ValueError("concatenate: zero-dimensional arrays cannot be concatenated")
    ndim = xs[0].ndim
    if any(x.ndim != ndim for x in xs):
        dims = ", ".join(str(x.ndim) for x in xs)
        raise ValueError(
            f"concatenate: all the input arrays must have the same number of dimensions, got {dims}"
        )
    from .manipulation import normalize_axis

    ax = normalize_axis("concatenate", axis, ndim)
    for x in xs[1:]:
        if any(a != b for i, (a, b) in enumerate(zip(x.gshape, xs[0].gshape, strict=True)) if i != ax):
            raise ValueError(
                f"concatenate: the shapes {xs[0].gshape} and {x.gshape} must match except along axis {ax}"
            )
    dt = types.result_type(*xs) if dtype is None else types.canonical(dtype)
    xs = [x if x.dtype is dt else x.astype(dt) for x in xs]
    shape = list(xs[0].gshape)
    shape[ax] = sum(x.gshape[ax] for x in xs)
    split_ops = [x for x in xs if x.split is not None]
    import torch

    if not split_ops:
        return wrap_like(xs[0], torch.cat([x.larray for x in xs], dim=ax), shape, None)
    anchor = max(split_ops, key=lambda x: x.nbytes)
    split = anchor.split
    assert split is not None
    if split != ax:
        moved = [to_layout(x, split, anchor.counts) for x in xs]
        local = torch.cat([x.larray for x in moved], dim=ax)
        return wrap_like(anchor, local, shape, split, anchor.counts)
    moved = [to_layout(x, ax, x.counts if x.split == ax else None) for x in xs]
    counts = layout.balanced_counts(shape[ax], anchor.comm.size)
    starts = layout.offsets([x.gshape[ax] for x in moved])
    wanted: list[list[Run]] = []
    for c, t0 in zip(counts, layout.offsets(counts), strict=True):
        runs = []
        for i, (x, s0) in enumerate(zip(moved, starts, strict=True)):
            lo, hi = max(t0, s0), min(t0 + c, s0 + x.gshape[ax])
            if hi > lo:
                runs.append(Run(i, lo - s0, hi - s0))
        wanted.append(runs)
    return wrap_like(anchor, fetch_runs(moved, ax, wanted), shape, ax, counts)


def concat(arrays: Sequence[Any], /, *, axis: int | None = 0) -> DNDarray:
    """The array API's name for :func:`concatenate`.

    Examples
    --------
    >>> ht.concat([ht.zeros(2), ht.ones(1)]).shape
    (3,)
    """
    return concatenate(arrays, axis)


def stack(arrays: Sequence[Any], axis: int = 0, *, dtype: Any = None) -> DNDarray:
    """Join arrays of one shape along a new axis, as ``numpy.stack``. The new axis is never a
    split axis, so the join is local once the operands share a layout (see :func:`concatenate`).

    Examples
    --------
    >>> ht.stack([ht.arange(3, split=0), ht.arange(3, split=0)]).split
    1
    """
    from .manipulation import expand_dims, normalize_axis

    xs = _operands("stack", arrays)
    if any(x.gshape != xs[0].gshape for x in xs):
        shapes = ", ".join(str(x.gshape) for x in xs)
        raise ValueError(f"stack: all input arrays must have the same shape, got {shapes}")
    ax = normalize_axis("stack", axis, xs[0].ndim + 1)
    return concatenate([expand_dims(x, ax) for x in xs], ax, dtype=dtype)


def _as_list(result: DNDarray | tuple[DNDarray, ...]) -> DNDarray:
    assert isinstance(result, DNDarray)
    return result


def hstack(tup: Sequence[Any], *, dtype: Any = None) -> DNDarray:
    """Join along the second axis (the first for 1-d arrays), as ``numpy.hstack``.

    Examples
    --------
    >>> ht.hstack([ht.zeros(2), ht.ones(2)]).shape
    (4,)
    """
    from .manipulation import atleast_1d

    xs = [_as_list(atleast_1d(x)) for x in _operands("hstack", tup)]
    return concatenate(xs, 0 if xs[0].ndim == 1 else 1, dtype=dtype)


def vstack(tup: Sequence[Any], *, dtype: Any = None) -> DNDarray:
    """Join along the first axis, 1-d arrays as rows, as ``numpy.vstack``.

    Examples
    --------
    >>> ht.vstack([ht.zeros(2), ht.ones(2)]).shape
    (2, 2)
    """
    from .manipulation import atleast_2d

    return concatenate([_as_list(atleast_2d(x)) for x in _operands("vstack", tup)], 0, dtype=dtype)


def dstack(tup: Sequence[Any]) -> DNDarray:
    """Join along the third axis, as ``numpy.dstack``.

    Examples
    --------
    >>> ht.dstack([ht.zeros((2, 2)), ht.ones((2, 2))]).shape
    (2, 2, 2)
    """
    from .manipulation import atleast_3d

    return concatenate([_as_list(atleast_3d(x)) for x in _operands("dstack", tup)], 2)


def column_stack(tup: Sequence[Any]) -> DNDarray:
    """Join 1-d arrays as columns (2-d arrays as they are), as ``numpy.column_stack``.

    Examples
    --------
    >>> ht.column_stack([ht.arange(3, split=0), ht.arange(3, split=0)]).shape
    (3, 2)
    """
    from .manipulation import atleast_2d, expand_dims

    xs = [
        expand_dims(x, 1) if x.ndim == 1 else _as_list(atleast_2d(x)) for x in _operands("column_stack", tup)
    ]
    return concatenate(xs, 1)


# ---------------------------------------------------------------------- splitting
def _piece(x: DNDarray, axis: int, start: int, stop: int) -> DNDarray:
    """Slices ``start..stop-1`` along ``axis``: local, each rank keeps its part."""
    shape = list(x.gshape)
    shape[axis] = stop - start
    if x.split != axis:
        counts = None if x.split is None else x.counts
        return wrap_like(x, x.larray.narrow(axis, start, stop - start), shape, x.split, counts)
    c, d = x.counts_displs()
    counts = tuple(max(0, min(d[r] + c[r], stop) - max(d[r], start)) for r in range(len(c)))
    rank = x.comm.rank
    lo = min(max(start - d[rank], 0), c[rank])
    return wrap_like(x, x.larray.narrow(axis, lo, counts[rank]), shape, axis, counts)


def array_split(ary: Any, indices_or_sections: Any, axis: int = 0) -> list[DNDarray]:
    """Split into sub-arrays along ``axis`` (sections may differ by one), as
    ``numpy.array_split``. Views, no communication: a piece cut along the split axis keeps
    every rank's part of it (block sizes possibly unbalanced or zero).

    Examples
    --------
    >>> [p.shape for p in ht.array_split(ht.arange(5, split=0), 2)]
    [(3,), (2,)]
    """
    from .manipulation import normalize_axis

    x = as_dndarray(ary)
    if x.ndim == 0:
        raise ValueError("array_split: a 0-d array cannot be split")
    ax = normalize_axis("array_split", axis, x.ndim)
    n = x.gshape[ax]
    if isinstance(indices_or_sections, DNDarray):
        indices_or_sections = indices_or_sections.tolist()
    if np.ndim(indices_or_sections) == 0:
        sections = operator.index(indices_or_sections)
        if sections <= 0:
            raise ValueError(f"array_split: the number of sections must be larger than 0, got {sections}")
        each, extra = divmod(n, sections)
        sizes = [each + 1] * extra + [each] * (sections - extra)
        bounds = [0, *np.cumsum(sizes).tolist()]
    else:
        bounds = [0, *(operator.index(i) for i in indices_or_sections), n]
    pieces = []
    for a, b in itertools.pairwise(bounds):
        start, stop, _ = slice(a, b).indices(n)
        pieces.append(_piece(x, ax, start, max(start, stop)))
    return pieces


def split(ary: Any, indices_or_sections: Any, axis: int = 0) -> list[DNDarray]:
    """Split into equal sub-arrays (or at the given indices) along ``axis``, as ``numpy.split``;
    see :func:`array_split` for the layout.

    Examples
    --------
    >>> len(ht.split(ht.arange(6, split=0), 3))
    3
    """
    x = as_dndarray(ary)
    if np.ndim(indices_or_sections) == 0 and not isinstance(indices_or_sections, DNDarray):
        from .manipulation import normalize_axis

        sections = operator.index(indices_or_sections)
        n = x.gshape[normalize_axis("split", axis, x.ndim)] if x.ndim else 0
        if sections <= 0 or n % sections:
            raise ValueError(
                f"split: an axis of length {n} does not split into {sections} equal sections; use array_split"
            )
    return array_split(x, indices_or_sections, axis)


def hsplit(ary: Any, indices_or_sections: Any) -> list[DNDarray]:
    """Split along the second axis (the first for 1-d arrays), as ``numpy.hsplit``.

    Examples
    --------
    >>> len(ht.hsplit(ht.zeros((2, 4)), 2))
    2
    """
    x = as_dndarray(ary)
    if x.ndim == 0:
        raise ValueError("hsplit only works on arrays of 1 or more dimensions")
    return split(x, indices_or_sections, 1 if x.ndim > 1 else 0)


def vsplit(ary: Any, indices_or_sections: Any) -> list[DNDarray]:
    """Split along the first axis of an array of at least 2 dimensions, as ``numpy.vsplit``.

    Examples
    --------
    >>> len(ht.vsplit(ht.zeros((4, 2), split=0), 2))
    2
    """
    x = as_dndarray(ary)
    if x.ndim < 2:
        raise ValueError("vsplit only works on arrays of 2 or more dimensions")
    return split(x, indices_or_sections, 0)


def dsplit(ary: Any, indices_or_sections: Any) -> list[DNDarray]:
    """Split along the third axis of an array of at least 3 dimensions, as ``numpy.dsplit``.

    Examples
    --------
    >>> len(ht.dsplit(ht.zeros((2, 2, 4)), 2))
    2
    """
    x = as_dndarray(ary)
    if x.ndim < 3:
        raise ValueError("dsplit only works on arrays of 3 or more dimensions")
    return split(x, indices_or_sections, 2)
