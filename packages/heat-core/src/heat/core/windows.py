"""Sliding windows: ``unfold`` (torch's ``Tensor.unfold``: size and step along one axis) and
``sliding_window_view`` (NumPy's signature, step 1, several axes).

Windows along a non-split axis are local views. Along the split axis each rank keeps the windows
that start in its block and fetches the ``size - 1`` slices that follow its block (a halo, from
whichever ranks own them) with one all-to-all-v; the result stays split along that axis, with
the number of windows starting on each rank as block sizes.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

from ._moves import Run, as_dndarray, fetch_runs, wrap_like
from .dndarray import DNDarray

__all__ = ["sliding_window_view", "unfold"]


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def unfold(x: Any, axis: int, size: int, step: int = 1) -> DNDarray:
    """Windows of ``size`` slices every ``step`` slices along ``axis``, as
    ``torch.Tensor.unfold``: ``axis`` becomes the window count and a last axis of length
    ``size`` holds each window (a read-only view unless fetched along the split axis).

    Examples
    --------
    >>> ht.unfold(ht.arange(6, split=0), 0, 3, 2).numpy()
    array([[0, 1, 2],
           [2, 3, 4]])
    """
    from .manipulation import normalize_axis

    a = as_dndarray(x)
    if a.ndim == 0:
        raise ValueError("unfold: a 0-d array has no axis to slide along")
    ax = normalize_axis("unfold", axis, a.ndim)
    size, step = operator.index(size), operator.index(step)
    n = a.gshape[ax]
    if size < 0 or size > n:
        raise ValueError(f"unfold: window size {size} must be between 0 and the axis length {n}")
    if step < 1:
        raise ValueError(f"unfold: step must be positive, got {step}")
    windows = (n - size) // step + 1
    shape = [*a.gshape, size]
    shape[ax] = windows
    if a.split != ax or not a.is_distributed():
        counts = None if a.split is None else ((windows,) if a.split == ax else a.counts)
        return wrap_like(a, a.larray.unfold(ax, size, step), shape, a.split, counts)
    c, d = a.counts_displs()
    first = [min(_ceil_div(d[r], step), windows) for r in range(len(c))]
    stop = [max(first[r], min(_ceil_div(d[r] + c[r], step), windows)) for r in range(len(c))]
    stop[-1] = windows  # a window of size 0 may start at the very end
    counts = tuple(e - f for f, e in zip(first, stop, strict=True))
    wanted = [
        [Run(0, first[r] * step, (stop[r] - 1) * step + size)] if counts[r] else [] for r in range(len(c))
    ]
    block = fetch_runs([a], ax, wanted)
    if counts[a.comm.rank]:
        local = block.unfold(ax, size, step)
    else:
        empty = [*block.shape, size]
        empty[ax] = 0
        local = block.new_empty(empty)
    return wrap_like(a, local, shape, ax, counts)


def sliding_window_view(
    x: Any,
    window_shape: int | Sequence[int],
    axis: int | Sequence[int] | None = None,
    *,
    writeable: bool = False,
) -> DNDarray:
    """All windows of ``window_shape`` (over ``axis``, every axis by default), as
    ``numpy.lib.stride_tricks.sliding_window_view``: each windowed axis shrinks by the window
    length minus one and the window axes are appended in the order of ``axis``. A read-only
    view where no halo is fetched (``writeable=True`` is refused).

    Examples
    --------
    >>> ht.sliding_window_view(ht.arange(4, split=0), 2).numpy()
    array([[0, 1],
           [1, 2],
           [2, 3]])
    """
    if writeable:
        raise ValueError("sliding_window_view: writeable=True is not supported (windows overlap)")
    a = as_dndarray(x)
    shapes = [window_shape] if not isinstance(window_shape, Sequence) else list(window_shape)
    if axis is None:
        if len(shapes) != a.ndim:
            raise ValueError(
                f"sliding_window_view: window_shape {tuple(shapes)} must have one entry per axis "
                f"({a.ndim}) when axis is None"
            )
        axes = list(range(a.ndim))
    else:
        axes = [axis] if not isinstance(axis, Sequence) else list(axis)
        if len(axes) != len(shapes):
            raise ValueError(
                f"sliding_window_view: window_shape {tuple(shapes)} and axis {tuple(axes)} differ in length"
            )
    if any(operator.index(w) < 0 for w in shapes):
        raise ValueError("sliding_window_view: window_shape cannot contain negative values")
    from .manipulation import normalize_axis

    axes = [normalize_axis("sliding_window_view", ax, a.ndim) for ax in axes]
    result = a
    for ax, w in zip(axes, shapes, strict=True):
        n = result.gshape[ax]
        if operator.index(w) > n:
            raise ValueError(f"sliding_window_view: window length {w} is larger than axis {ax} (length {n})")
        result = unfold(result, ax, operator.index(w), 1)
    return result
