"""Layouts as values: how a global array is laid out over the ranks of a communicator.

``Split(axis)`` cuts ``axis`` into contiguous blocks, block r on rank r (``split=axis`` in the
user API); ``Replicate()`` gives every rank the whole array (``split=None``); ``Partial(op)``
marks per-rank partial results not yet combined with ``op`` (an all-reduce turns it into
``Replicate()``). The geometry helpers are pure functions of the global shape and the block
sizes along the split axis: no communication.

Examples
--------
>>> Split(0), Replicate(), Partial("sum")
(Split(axis=0), Replicate(), Partial(op='sum'))
>>> str(Split(1)), str(Replicate())
('S(1)', 'R')
>>> local_shape((10, 3), 0, (4, 3, 3), 1)
(3, 3)
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from heat.comm import partition

__all__ = [
    "Layout",
    "Partial",
    "Replicate",
    "Split",
    "as_layout",
    "balanced_counts",
    "local_shape",
    "local_slice",
    "normalize_split",
    "offsets",
    "overlap_counts",
]


@dataclass(frozen=True, slots=True)
class Replicate:
    """Every rank holds the whole array."""

    def __str__(self) -> str:
        return "R"


@dataclass(frozen=True, slots=True)
class Split:
    """Axis ``axis`` is cut into contiguous blocks, block r on rank r."""

    axis: int

    def __str__(self) -> str:
        return f"S({self.axis})"


@dataclass(frozen=True, slots=True)
class Partial:
    """Every rank holds a partial result; combining them with ``op`` gives the array."""

    op: str = "sum"

    def __str__(self) -> str:
        return f"P({self.op})"


Layout = Replicate | Split | Partial


def as_layout(split: int | None) -> Layout:
    """The layout value of a user-facing ``split``."""
    return Replicate() if split is None else Split(split)


def normalize_split(split: object, ndim: int, where: str = "split") -> int | None:
    """Validate a user ``split`` against ``ndim`` dimensions; negative axes count from the end.

    Raises the same error on every rank (it depends only on global arguments).

    Examples
    --------
    >>> normalize_split(-1, 3)
    2
    """
    if split is None:
        return None
    if isinstance(split, bool | np.bool_):
        raise TypeError(f"{where} must be an int or None, got a bool")
    if not isinstance(split, int):
        try:
            split = operator.index(split)  # type: ignore[arg-type]  # NumPy integers
        except TypeError:
            raise TypeError(f"{where} must be an int or None, got {type(split).__name__}") from None
    assert isinstance(split, int)
    if not -ndim <= split < ndim:
        raise ValueError(
            f"{where}={split} is out of range for a {ndim}-d array; use None or an axis in [{-ndim}, {ndim})"
            if ndim
            else f"{where}={split} is out of range for a 0-d array; a 0-d array can only have split=None"
        )
    return split % ndim


def balanced_counts(n: int, size: int) -> tuple[int, ...]:
    """Block sizes of ``n`` over ``size`` ranks: the first ``n % size`` get one more."""
    return partition.counts(n, size)


def offsets(counts: Sequence[int]) -> tuple[int, ...]:
    """Global start of each rank's block."""
    return partition.displs(counts)


def local_shape(
    gshape: Sequence[int], split: int | None, counts: Sequence[int] | None, rank: int
) -> tuple[int, ...]:
    """Shape of ``rank``'s block."""
    if split is None or counts is None:
        return tuple(gshape)
    shape = list(gshape)
    shape[split] = counts[rank]
    return tuple(shape)


def local_slice(split: int | None, counts: Sequence[int], rank: int, ndim: int) -> tuple[slice, ...]:
    """Index of ``rank``'s block within the global array."""
    if split is None:
        return (slice(None),) * ndim
    start = sum(counts[:rank])
    key = [slice(None)] * ndim
    key[split] = slice(start, start + counts[rank])
    return tuple(key)


def overlap_counts(source: Sequence[int], target: Sequence[int], rank: int) -> list[int]:
    """How many consecutive elements ``rank`` sends to each rank when a split axis laid out
    as ``source`` becomes laid out as ``target`` (same total, same order).

    Examples
    --------
    >>> overlap_counts((4, 0, 2), (2, 2, 2), 0)
    [2, 2, 0]
    """
    start = sum(source[:rank])
    stop = start + source[rank]
    sends, t0 = [], 0
    for n in target:
        t1 = t0 + n
        sends.append(max(0, min(stop, t1) - max(start, t0)))
        t0 = t1
    return sends


def nbytes(shape: Sequence[int], itemsize: int) -> int:
    return math.prod(shape) * itemsize
