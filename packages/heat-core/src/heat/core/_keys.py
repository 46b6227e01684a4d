"""Key normalisation for ``__getitem__``/``__setitem__``: a NumPy index as a list of entries,
one per consumed axis, and the geometry of the basic (int, slice, newaxis) part.

Everything here is a function of global metadata only (the key's own values for Python
ints/slices, shapes and splits of array keys), so every rank parses a key the same way and
raises the same error. Array keys are not looked at here: bounds inside them are checked
where they are used (and agreed across ranks when they are distributed).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from types import EllipsisType
from typing import Any

import numpy as np
import torch

from .dndarray import DNDarray

__all__ = ["Basic", "Entry", "Index", "Mask", "basic_plan", "parse", "positive_slice"]

_BAD_KEY = (
    "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or "
    "boolean arrays are valid indices"
)

_BOOL_SCALAR = "boolean scalar indices are not supported; use None (newaxis) or a boolean array"


@dataclass(frozen=True, slots=True)
class Index:
    """An integer array indexing one axis (a local tensor when replicated)."""

    key: torch.Tensor | DNDarray


@dataclass(frozen=True, slots=True)
class Mask:
    """A boolean array indexing ``ndim`` consecutive axes (a local tensor when replicated)."""

    mask: torch.Tensor | DNDarray

    @property
    def ndim(self) -> int:
        return self.mask.ndim if isinstance(self.mask, DNDarray) else self.mask.dim()

    @property
    def shape(self) -> tuple[int, ...]:
        return self.mask.gshape if isinstance(self.mask, DNDarray) else tuple(self.mask.shape)


Entry = int | slice | None | Index | Mask


def _array_entry(item: Any) -> Entry:
    if isinstance(item, DNDarray):
        kind = item.dtype.torch
        local: torch.Tensor | DNDarray = item if item.is_distributed() else item.larray
    elif isinstance(item, torch.Tensor):
        kind, local = item.dtype, item
    else:
        arr = np.asarray(item)
        if arr.dtype == object or arr.dtype.kind not in "biu":
            if arr.size == 0 and isinstance(item, list | tuple):
                arr = arr.astype(np.int64)  # NumPy reads [] as an empty integer index
            else:
                raise IndexError(_BAD_KEY)
        if arr.dtype.kind == "u":
            arr = arr.astype(np.int64)
        if arr.ndim == 0:
            if arr.dtype == bool:
                raise IndexError(_BOOL_SCALAR)
            return int(arr)
        local = torch.from_numpy(np.ascontiguousarray(arr))
        kind = local.dtype
    if kind == torch.bool:
        if local.ndim == 0:
            raise IndexError(_BOOL_SCALAR)
        return Mask(local)
    if kind.is_floating_point or kind.is_complex:
        raise IndexError(_BAD_KEY)
    if local.ndim == 0:
        return int(local.item() if isinstance(local, torch.Tensor) else local.larray.item())
    return Index(local)


def parse(key: Any, ndim: int) -> list[Entry]:
    """``key`` as entries in key order, ``...`` expanded and trailing axes filled with ``:``.

    Raises NumPy's IndexError for a bad entry type, several ellipses or too many indices.

    Examples
    --------
    >>> parse((0, ...), 3)
    [0, slice(None, None, None), slice(None, None, None)]
    """
    items = key if type(key) is tuple else (key,)
    entries: list[Entry | EllipsisType] = []
    for item in items:
        if item is None or item is Ellipsis or type(item) is slice or type(item) is int:
            entries.append(item)
        elif isinstance(item, bool | np.bool_):
            raise IndexError(_BOOL_SCALAR)
        elif isinstance(item, int | np.integer):
            entries.append(operator.index(item))
        elif isinstance(item, DNDarray | torch.Tensor | np.ndarray | list | tuple):
            entries.append(_array_entry(item))
        else:
            raise IndexError(_BAD_KEY)
    used = sum(e.ndim if isinstance(e, Mask) else 1 for e in entries if e is not None and e is not ...)
    if used > ndim:
        raise IndexError(f"too many indices for array: array is {ndim}-dimensional, but {used} were indexed")
    ellipses = [i for i, e in enumerate(entries) if isinstance(e, EllipsisType)]
    if len(ellipses) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    fill: list[Entry] = [slice(None)] * (ndim - used)
    if ellipses:
        i = ellipses[0]
        entries = [*entries[:i], *fill, *entries[i + 1 :]]
    else:
        entries = [*entries, *fill]
    return [e for e in entries if not isinstance(e, EllipsisType)]


def positive_slice(s: slice, n: int) -> tuple[int, int, int, bool]:
    """``s`` on a length-``n`` axis as (start, length, step > 0, reversed): the same elements
    in increasing order, and whether ``s`` lists them in decreasing order."""
    start, stop, step = s.indices(n)
    length = len(range(start, stop, step))
    if step > 0:
        return start, length, step, False
    if length == 0:
        return 0, 0, 1, False
    return start + (length - 1) * step, length, -step, True


@dataclass(slots=True)
class Basic:
    """The basic part of a key on an array: a torch key giving this rank's view, the global
    result shape and how the result is laid out.

    ``split``/``counts``: the result's split axis and block sizes, in the order of the view
    (increasing positions); ``reverse``: the split axis is read backwards (a negative step:
    the blocks must be reordered); ``owner``: an integer picked the split axis, the rank
    ``owner`` holds the whole result (others have no view, ``local`` is None there);
    ``flips``: result axes to flip locally (negative steps).
    """

    local: tuple[Any, ...] | None
    shape: tuple[int, ...]
    split: int | None
    counts: tuple[int, ...] | None
    reverse: bool
    owner: int | None
    flips: list[int]


def _block_range(start: int, length: int, step: int, lo: int, hi: int) -> tuple[int, int]:
    """Which positions j of ``start + j * step`` (j < length) fall in [lo, hi)."""
    j0 = min(length, max(0, -((start - lo) // step)))
    j1 = min(length, max(0, -((start - hi) // step)))
    return j0, max(j0, j1)


def basic_plan(x: DNDarray, entries: Sequence[Entry]) -> Basic:
    """The basic part of ``entries`` (ints, slices, None only) applied to ``x``.

    Raises IndexError for an integer out of bounds (global metadata: same on every rank).
    """
    split = x.split
    gshape = x.gshape
    local: list[Any] = []
    shape: list[int] = []
    flips: list[int] = []
    out_split: int | None = None
    counts: tuple[int, ...] | None = None
    reverse = False
    owner: int | None = None
    dim = 0
    for e in entries:
        if e is None:
            local.append(None)
            shape.append(1)
            continue
        n = gshape[dim]
        if type(e) is int:
            if not -n <= e < n:
                raise IndexError(f"index {e} is out of bounds for axis {dim} with size {n}")
            i = e % n
            if dim == split:
                cnts, offs = x.counts_displs()
                owner = next(r for r, (o, c) in enumerate(zip(offs, cnts, strict=True)) if o <= i < o + c)
                i -= offs[owner]
            local.append(i)
        else:
            assert isinstance(e, slice)
            start, length, step, rev = positive_slice(e, n)
            if dim == split:
                cnts, offs = x.counts_displs()
                mine = []
                for o, c in zip(offs, cnts, strict=True):
                    j0, j1 = _block_range(start, length, step, o, o + c)
                    mine.append((j0, j1))
                j0, j1 = mine[x.comm.rank]
                lo = start + j0 * step - offs[x.comm.rank]
                local.append(slice(lo, lo + (j1 - j0 - 1) * step + 1, step) if j1 > j0 else slice(0, 0))
                out_split, counts, reverse = len(shape), tuple(b - a for a, b in mine), rev
            else:
                local.append(slice(start, start + (length - 1) * step + 1, step) if length else slice(0, 0))
            if rev:
                flips.append(len(shape))
            shape.append(length)
        dim += 1
    rank = x.comm.rank
    return Basic(
        None if owner is not None and owner != rank else tuple(local),
        tuple(shape),
        out_split,
        counts,
        reverse,
        owner,
        flips,
    )


def numel(shape: Sequence[int]) -> int:
    return math.prod(shape)
