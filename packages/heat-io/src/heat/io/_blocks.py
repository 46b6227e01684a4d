"""Which part of a file each rank reads or writes: the one distribution rule of heat.io.

Reading: the selected region (after ``slices``) is cut along ``split`` into balanced blocks;
rank r reads block r. Writing: rank r writes the block its layout map says it holds (any
layout, balanced or not); a replicated array (``split=None``) is written in balanced blocks of
axis 0, so the work is shared without communication.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from heat.comm import Communicator
from heat.core import layout, types
from heat.core.devices import Device
from heat.core.dndarray import DNDarray

__all__ = [
    "Selection",
    "assemble",
    "file_dtype",
    "local_numpy",
    "row_block",
    "select",
    "storage_dtype",
    "write_slab",
]


@dataclass(frozen=True)
class Selection:
    """A regular selection of a stored array: per axis ``start``, ``step`` (> 0) and length."""

    starts: tuple[int, ...]
    steps: tuple[int, ...]
    shape: tuple[int, ...]

    def key(self, axis: int | None, lo: int, hi: int) -> tuple[slice, ...]:
        """The file index of positions ``lo:hi`` of this selection along ``axis`` (all of the
        other axes); ``axis=None``: the whole selection."""
        key = []
        for i, (start, step, n) in enumerate(zip(self.starts, self.steps, self.shape, strict=True)):
            a, b = (lo, hi) if i == axis else (0, n)
            first = start + a * step
            key.append(slice(first, first + (b - a - 1) * step + 1 if b > a else first, step))
        return tuple(key)


def select(shape: Sequence[int], slices: Any, where: str) -> Selection:
    """Validate ``slices`` (None, a slice, or a tuple of slices, one per leading axis, positive
    steps) against a stored array of ``shape``."""
    shape = tuple(int(s) for s in shape)
    if slices is None:
        items: tuple[Any, ...] = ()
    elif isinstance(slices, slice):
        items = (slices,)
    elif isinstance(slices, tuple | list):
        items = tuple(slices)
    else:
        raise TypeError(f"{where}: slices must be a slice or a tuple of slices, got {type(slices).__name__}")
    if len(items) > len(shape):
        raise IndexError(
            f"{where}: {len(items)} slices given for a stored array of shape {shape}; "
            f"give at most {len(shape)}"
        )
    starts, steps, lengths = [], [], []
    for axis, n in enumerate(shape):
        s = items[axis] if axis < len(items) else slice(None)
        if s is None:
            s = slice(None)
        if not isinstance(s, slice):
            raise TypeError(
                f"{where}: slices[{axis}] is {s!r}; only slice objects are supported "
                f"(write {s}:{s}+1 to keep one position)"
            )
        try:
            parts = [None if v is None else operator.index(v) for v in (s.start, s.stop, s.step)]
        except TypeError:
            raise TypeError(f"{where}: slices[{axis}] = {s!r} must have integer bounds") from None
        if parts[2] is not None and parts[2] <= 0:
            raise ValueError(f"{where}: slices[{axis}] = {s!r} has step {parts[2]}; steps must be positive")
        start, stop, step = slice(*parts).indices(n)
        starts.append(start)
        steps.append(step)
        lengths.append(len(range(start, stop, step)))
    return Selection(tuple(starts), tuple(steps), tuple(lengths))


def balanced_range(n: int, comm: Communicator) -> tuple[tuple[int, ...], int, int]:
    """Balanced block sizes of a length-``n`` axis and this rank's ``[lo, hi)``."""
    counts = layout.balanced_counts(n, comm.size)
    lo = sum(counts[: comm.rank])
    return counts, lo, lo + counts[comm.rank]


def file_dtype(stored: np.dtype[Any], dtype: Any, where: str) -> types.DType:
    """The Heat dtype of the result: ``dtype`` if given, else the stored one (which must be a
    type Heat supports)."""
    if dtype is not None:
        return types.canonical(dtype)
    try:
        return types.canonical(stored)
    except TypeError:
        raise TypeError(
            f"{where}: the stored dtype {stored} has no Heat equivalent; pass dtype= "
            "(e.g. dtype=ht.int64 or ht.float64) to convert while reading"
        ) from None


def local_numpy(arr: np.ndarray, dt: types.DType, device: Device) -> torch.Tensor:
    """A NumPy block as a torch tensor of ``dt`` on ``device`` (no copy when nothing changes)."""
    target = dt.numpy if dt.numpy is not None else np.dtype(np.float32)
    if arr.dtype != target or not arr.dtype.isnative:
        arr = arr.astype(target)
    tensor = torch.from_numpy(np.ascontiguousarray(arr))
    if tensor.dtype != dt.torch:
        tensor = tensor.to(dt.torch)
    return tensor.to(device.torch_device)


def assemble(
    local: torch.Tensor,
    gshape: Sequence[int],
    dt: types.DType,
    split: int | None,
    device: Device,
    comm: Communicator,
    counts: Sequence[int] | None,
) -> DNDarray:
    return DNDarray(local, tuple(gshape), dt, split, device, comm, counts=counts)


def storage_dtype(x: DNDarray, where: str, supported: Sequence[str] | None = None) -> np.dtype[Any]:
    """The NumPy dtype ``x`` is stored as; TypeError (on every rank: global metadata) when the
    format cannot hold it."""
    if not isinstance(x, DNDarray):
        raise TypeError(f"{where}: expected a DNDarray, got {type(x).__name__}")
    if x.dtype.numpy is None or (supported is not None and x.dtype.name not in supported):
        allowed = ", ".join(supported) if supported is not None else "every dtype except bfloat16"
        raise TypeError(
            f"{where}: dtype {x.dtype.name} cannot be stored in this format (supported: {allowed}); "
            "convert first, e.g. x.astype(ht.float32)"
        )
    return x.dtype.numpy


def write_slab(x: DNDarray) -> tuple[tuple[slice, ...], np.ndarray]:
    """This rank's part to write: the global index of its block and the block as NumPy.

    ``split=k``: the block the layout map says this rank holds. ``split=None``: a balanced
    block of axis 0 (rank 0 writes a 0-d array). Blocks may be empty.
    """
    t = x.larray.detach()
    if x.split is not None:
        counts, offsets = x.counts_displs()
        key = [slice(None)] * x.ndim
        start = offsets[x.comm.rank]
        key[x.split] = slice(start, start + counts[x.comm.rank])
        return tuple(key), t.cpu().numpy()
    if x.ndim == 0:
        mine = x.comm.rank == 0
        return (), t.cpu().numpy() if mine else np.empty((0,), dtype=x.dtype.numpy)
    _, lo, hi = balanced_range(x.gshape[0], x.comm)
    return (slice(lo, hi),), t[lo:hi].cpu().numpy()


def row_block(x: DNDarray, where: str) -> tuple[DNDarray, np.ndarray, int]:
    """``x`` distributed along axis 0 (an all-to-all for ``split`` > 0, nothing otherwise),
    this rank's rows as a C-contiguous NumPy array and the global index of its first row.

    For formats that store rows contiguously (NPY, CSV): each rank then owns a byte range.
    """
    if x.ndim == 0:
        data = x.larray.detach().cpu().numpy()
        return x, data if x.comm.rank == 0 else np.empty((0,), dtype=data.dtype), 0
    rows = x.resplit(0) if x.split not in (None, 0) else x
    key, block = write_slab(rows)
    return rows, np.ascontiguousarray(block), int(key[0].start or 0)


def is_empty_slab(block: np.ndarray) -> bool:
    return block.ndim > 0 and block.size == 0
