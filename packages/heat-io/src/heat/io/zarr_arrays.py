"""Zarr v3 arrays: every rank reads its block and writes its own chunks.

Zarr stores each chunk as one object, so two ranks writing parts of the same chunk at once
would lose one part. Saving therefore chooses the chunk length along the written axis so that
every rank boundary of the layout map falls on a chunk boundary (the largest divisor of the
boundaries' greatest common divisor that keeps chunks under 64 MiB); then all ranks write
concurrently. When that would give tiny chunks (under 1 MiB, e.g. a balanced 10 rows over 3
ranks), or when the caller's ``chunks`` do not align, ranks write in turn instead (correct,
serial). Other axes are stored whole per chunk unless ``chunks`` says otherwise.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from heat.core import layout
from heat.core.communication import sanitize_comm
from heat.core.devices import sanitize_device
from heat.core.dndarray import DNDarray

from ._blocks import (
    assemble,
    balanced_range,
    file_dtype,
    is_empty_slab,
    local_numpy,
    select,
    storage_dtype,
    write_slab,
)
from ._collective import atomic_target, in_rank_order, run_agreed
from ._optional import require

__all__ = ["chunk_plan", "load_zarr", "save_zarr"]

_MAX_CHUNK = 64 * 2**20
_MIN_CHUNK = 2**20


def load_zarr(
    path: str | os.PathLike[str],
    name: str | None = None,
    dtype: Any = None,
    slices: Any = None,
    split: int | None = None,
    device: Any = None,
    comm: Any = None,
) -> DNDarray:
    """Load a Zarr array (a store path, or an array ``name`` inside a group).

    Parameters
    ----------
    path : str or PathLike
        The store (a directory).
    name : str, optional
        The array's path inside the group at ``path``; omit when ``path`` is the array.
    dtype : Heat dtype, optional
        Convert to this type (default: the stored type).
    slices : slice or tuple of slices, optional
        Load only this regular selection (positive steps).
    split : int or None
        The axis to distribute (balanced blocks); each rank reads only the chunks its block
        touches.
    device, comm : optional
        Where the result lives and the ranks it is distributed over.

    Examples
    --------
    >>> x = ht.load_zarr("data.zarr", split=0)  # doctest: +SKIP
    """
    where = "load_zarr"
    com = sanitize_comm(comm)
    dev = sanitize_device(device)
    fspath = os.fspath(path)

    def probe() -> tuple[Any, Any, int | None, Any]:
        zarr = require("zarr", where)
        if not os.path.exists(fspath):
            raise FileNotFoundError(f"{where}: no such Zarr store {fspath!r}")
        try:
            node = zarr.open(fspath, mode="r")
        except Exception as err:
            raise ValueError(f"{where}: {fspath!r} is not a Zarr store ({err})") from None
        if name is not None:
            if not isinstance(node, zarr.Group) or name not in node:
                raise KeyError(f"{where}: the store {fspath!r} has no array {name!r}")
            node = node[name]
        if not isinstance(node, zarr.Array):
            raise KeyError(
                f"{where}: {fspath!r} is a group; pass name= one of its arrays "
                f"({sorted(node.array_keys())[:20]})"
            )
        sel = select(node.shape, slices, where)
        dt = file_dtype(np.dtype(node.dtype), dtype, where)
        return node, sel, layout.normalize_split(split, len(sel.shape)), dt

    arr, sel, sp, dt = run_agreed(com, probe)
    counts, lo, hi = (None, 0, 0) if sp is None else balanced_range(sel.shape[sp], com)

    def read() -> Any:
        lshape = layout.local_shape(sel.shape, sp, counts, com.rank)
        if 0 in lshape:
            return local_numpy(np.empty(lshape, np.dtype(arr.dtype)), dt, dev)
        return local_numpy(np.asarray(arr[sel.key(sp, lo, hi)]), dt, dev)

    return assemble(run_agreed(com, read), sel.shape, dt, sp, dev, com, counts)


def _largest_divisor(n: int, cap: int) -> int:
    """The largest divisor of ``n`` that is at most ``cap``."""
    best = 1
    for d in range(1, math.isqrt(n) + 1):
        if n % d == 0:
            for c in (d, n // d):
                if best < c <= cap:
                    best = c
    return best


def chunk_plan(
    gshape: Sequence[int], axis: int, counts: Sequence[int], itemsize: int, chunks: Sequence[int] | None
) -> tuple[tuple[int, ...], bool]:
    """Chunk shape for an array written in blocks ``counts`` along ``axis``, and whether the
    blocks align with chunks (so ranks may write concurrently).

    Examples
    --------
    >>> chunk_plan((1200, 1000), 0, (400, 400, 400), 8, None)
    ((400, 1000), True)
    """
    n = gshape[axis]
    starts = [s for s, c in zip(layout.offsets(counts), counts, strict=True) if c and s]
    if chunks is None:
        row = math.prod(s for i, s in enumerate(gshape) if i != axis) * itemsize
        cap = max(1, _MAX_CHUNK // max(row, 1))
        g = math.gcd(*starts) if starts else max(n, 1)
        length = _largest_divisor(g, cap)
        if length * row < _MIN_CHUNK and length < min(cap, max(counts)):
            length = max(1, min(cap, max(counts)))
        chunk = tuple(length if i == axis else max(s, 1) for i, s in enumerate(gshape))
    else:
        chunk = tuple(int(c) for c in chunks)
    aligned = all(s % chunk[axis] == 0 for s in starts)
    return chunk, aligned


def save_zarr(
    x: DNDarray,
    path: str | os.PathLike[str],
    mode: str = "w",
    chunks: Sequence[int] | None = None,
    **zarr_kwargs: Any,
) -> None:
    """Save ``x`` as a Zarr v3 array; every rank writes only the chunks of its block.

    Parameters
    ----------
    x : DNDarray
        Any layout and dtype except bfloat16.
    path : str or PathLike
        The store directory to create.
    mode : {"w", "w-"}
        Replace an existing store, or fail if one exists.
    chunks : sequence of int, optional
        The chunk shape (default: aligned with the layout, see the module notes).
    **zarr_kwargs
        Passed to ``zarr.create_array`` (``compressors``, ``fill_value``, ``attributes``,
        ``shards``, ...). With ``shards``, ranks write concurrently only when the shards align
        with the layout.

    Notes
    -----
    The store is written under a temporary name in the same directory and renamed when every
    rank succeeded.

    Examples
    --------
    >>> ht.save_zarr(ht.zeros((1000, 10), split=0), "x.zarr")  # doctest: +SKIP
    """
    where = "save_zarr"
    np_dtype = storage_dtype(x, where)
    if mode not in ("w", "w-"):
        raise ValueError(f"{where}: mode={mode!r} is not one of 'w', 'w-'")
    if chunks is not None and (len(chunks) != x.ndim or any(int(c) < 1 for c in chunks)):
        raise ValueError(f"{where}: chunks={tuple(chunks)} must be {x.ndim} positive ints, one per axis")
    comm = x.comm
    zarr = run_agreed(comm, lambda: require("zarr", where))
    key, block = write_slab(x)
    chunk: tuple[int, ...] = ()
    aligned = False
    if x.ndim:
        axis = 0 if x.split is None else x.split
        counts = x.counts if x.split is not None else layout.balanced_counts(x.gshape[0], comm.size)
        chunk, aligned = chunk_plan(x.gshape, axis, counts, np_dtype.itemsize, chunks)
        if zarr_kwargs.get("shards") is not None:  # a shard is the unit a writer rewrites
            _, aligned = chunk_plan(x.gshape, axis, counts, np_dtype.itemsize, zarr_kwargs["shards"])
    with atomic_target(path, comm, where, mode=mode) as tmp:

        def create() -> None:
            if chunk:
                zarr_kwargs.setdefault("chunks", chunk)
            zarr.create_array(store=tmp, shape=x.gshape, dtype=np_dtype, zarr_format=3, **zarr_kwargs)

        run_agreed(comm, create if comm.rank == 0 else lambda: None)

        def write() -> None:
            if not is_empty_slab(block):
                zarr.open_array(store=tmp, mode="r+")[key] = block

        if aligned:
            run_agreed(comm, write)
        else:
            in_rank_order(comm, write)
