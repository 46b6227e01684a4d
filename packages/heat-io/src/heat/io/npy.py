"""NPY files: one ``.npy`` file or a folder of them; every rank reads and writes only its bytes.

A C-order ``.npy`` file stores its rows (axis 0) one after another, so a block along axis 0 is
one contiguous byte range: a rank reads it straight into its block (``readinto``, no
intermediate copy) and writes it with ``pwrite`` at its offset, concurrently with the others.
A block along another axis is read in bounded row batches (memory: block + one batch of at
most 32 MiB); saving an array split along another axis first moves it to axis 0 (one
all-to-all, no gather). Fortran-order files are read as the transposed C-order array.
"""

from __future__ import annotations

import io
import math
import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from heat.core import layout
from heat.core.communication import sanitize_comm
from heat.core.devices import sanitize_device
from heat.core.dndarray import DNDarray

from ._blocks import assemble, balanced_range, file_dtype, local_numpy, row_block, storage_dtype
from ._collective import atomic_target, run_agreed

__all__ = ["load_npy", "save_npy"]

_BATCH_BYTES = 32 * 2**20


@dataclass(frozen=True)
class _Header:
    path: str
    shape: tuple[int, ...]
    dtype: np.dtype[Any]
    fortran: bool
    offset: int


def _header(path: str, where: str) -> _Header:
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{where}: no such file {path!r}")
    with open(path, "rb") as f:
        try:
            version = np.lib.format.read_magic(f)
            if version == (1, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
            else:
                shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
        except ValueError as err:
            raise ValueError(f"{where}: {path!r} is not a valid .npy file ({err})") from None
        if dtype.hasobject:
            raise TypeError(f"{where}: {path!r} holds Python objects (dtype {dtype}); Heat cannot load them")
        return _Header(path, tuple(shape), dtype, bool(fortran), f.tell())


def _read_c_block(h: _Header, shape: tuple[int, ...], axis: int | None, lo: int, hi: int) -> np.ndarray:
    """Positions ``lo:hi`` along ``axis`` of a C-order array of ``shape`` stored at ``h.offset``."""
    out_shape = list(shape)
    if axis is not None:
        out_shape[axis] = hi - lo
    out = np.empty(out_shape, dtype=h.dtype)
    if out.size == 0:
        return out
    row_bytes = math.prod(shape[1:]) * h.dtype.itemsize
    with open(h.path, "rb", buffering=0) as f:
        if axis is None or axis == 0:
            first = 0 if axis is None else lo
            f.seek(h.offset + first * row_bytes)
            _read_exactly(f, out.reshape(-1).view(np.uint8).data, h.path)
            return out
        batch = max(1, _BATCH_BYTES // max(row_bytes, 1))
        buf = np.empty((min(batch, shape[0]), *shape[1:]), dtype=h.dtype)
        key = [slice(None)] * len(shape)
        key[axis] = slice(lo, hi)
        f.seek(h.offset)
        for r0 in range(0, shape[0], batch):
            part = buf[: min(batch, shape[0] - r0)]
            _read_exactly(f, part.reshape(-1).view(np.uint8).data, h.path)
            out[r0 : r0 + len(part)] = part[tuple(key)]
    return out


def _read_exactly(f: Any, view: memoryview, path: str) -> None:
    done = 0
    while done < len(view):
        n = f.readinto(view[done:])
        if not n:
            raise ValueError(f"load_npy: {path!r} is shorter than its header says (truncated file?)")
        done += n


def _read_block(h: _Header, axis: int | None, lo: int, hi: int) -> np.ndarray:
    """Positions ``lo:hi`` along ``axis`` (None: everything) of the stored array."""
    if not h.fortran:
        return _read_c_block(h, h.shape, axis, lo, hi)
    ndim = len(h.shape)
    flipped = _read_c_block(h, h.shape[::-1], None if axis is None else ndim - 1 - axis, lo, hi)
    return flipped.T


def _folder(path: str, where: str) -> list[str]:
    names = sorted(n for n in os.listdir(path) if n.endswith(".npy"))
    if not names:
        raise FileNotFoundError(f"{where}: the folder {path!r} holds no .npy files")
    return [os.path.join(path, n) for n in names]


def load_npy(
    path: str | os.PathLike[str],
    dtype: Any = None,
    split: int | None = None,
    device: Any = None,
    comm: Any = None,
) -> DNDarray:
    """Load a ``.npy`` file, or a folder of ``.npy`` files concatenated in name order.

    Parameters
    ----------
    path : str or PathLike
        A ``.npy`` file, or a folder whose ``.npy`` files (sorted by name) are concatenated along
        ``split`` (along axis 0 when ``split=None``); their shapes must agree elsewhere.
    dtype : Heat dtype, optional
        Convert to this type (default: the stored type).
    split : int or None
        The axis to distribute (balanced blocks); each rank reads only the bytes of its block
        (of a folder: only the files that overlap its block).
    device, comm : optional
        Where the result lives and the ranks it is distributed over.

    Examples
    --------
    >>> np.save("x.npy", np.arange(12.0).reshape(4, 3))  # doctest: +SKIP
    >>> ht.load_npy("x.npy", split=0).shape  # doctest: +SKIP
    (4, 3)
    """
    where = "load_npy"
    com = sanitize_comm(comm)
    dev = sanitize_device(device)
    fspath = os.fspath(path)

    def probe() -> tuple[list[_Header], tuple[int, ...], int | None, int, Any]:
        if os.path.isdir(fspath):
            heads = [_header(p, where) for p in _folder(fspath, where)]
        else:
            heads = [_header(fspath, where)]
        first = heads[0]
        sp = layout.normalize_split(split, len(first.shape))
        axis = 0 if sp is None else sp
        for h in heads[1:]:
            rest = (h.shape[:axis] + h.shape[axis + 1 :], h.dtype)
            if len(h.shape) != len(first.shape) or rest != (
                first.shape[:axis] + first.shape[axis + 1 :],
                first.dtype,
            ):
                raise ValueError(
                    f"{where}: {h.path!r} has shape {h.shape} and dtype {h.dtype}, but "
                    f"{first.path!r} has {first.shape} and {first.dtype}; the files must agree "
                    f"except along the concatenation axis {axis}"
                )
        if len(heads) > 1 and not first.shape:
            raise ValueError(f"{where}: the files in {fspath!r} are 0-d; they cannot be concatenated")
        shape = list(first.shape)
        if heads[1:]:
            shape[axis] = sum(h.shape[axis] for h in heads)
        return heads, tuple(shape), sp, axis, file_dtype(first.dtype, dtype, where)

    heads, gshape, sp, axis, dt = run_agreed(com, probe)
    counts, lo, hi = (None, 0, gshape[0] if gshape else 0) if sp is None else balanced_range(gshape[sp], com)

    def read() -> Any:
        if len(heads) == 1:
            return local_numpy(_read_block(heads[0], sp, lo, hi), dt, dev)
        pieces, start = [], 0
        for h in heads:
            stop = start + h.shape[axis]
            a, b = max(lo, start), min(hi, stop)
            if a < b:
                pieces.append(_read_block(h, axis, a - start, b - start))
            start = stop
        if not pieces:
            pieces.append(_read_block(heads[0], axis, 0, 0))
        return local_numpy(np.concatenate(pieces, axis=axis), dt, dev)

    return assemble(run_agreed(com, read), gshape, dt, sp, dev, com, counts)


def _header_bytes(shape: tuple[int, ...], dtype: np.dtype[Any]) -> bytes:
    buf = io.BytesIO()
    info = {"descr": np.lib.format.dtype_to_descr(dtype), "fortran_order": False, "shape": shape}
    try:
        np.lib.format.write_array_header_1_0(buf, info)
    except ValueError:  # header longer than 64 KiB: version 2.0
        buf = io.BytesIO()
        np.lib.format.write_array_header_2_0(buf, info)
    return buf.getvalue()


def _pwrite_all(fd: int, data: memoryview, offset: int) -> None:
    done = 0
    while done < len(data):
        done += os.pwrite(fd, data[done:], offset + done)


def save_npy(x: DNDarray, path: str | os.PathLike[str]) -> None:
    """Save ``x`` as one ``.npy`` file (C order); every rank writes its own byte range.

    An array split along an axis other than 0 is first moved to axis 0 (one all-to-all). The
    file is written under a temporary name and renamed when every rank succeeded.

    Examples
    --------
    >>> ht.save_npy(ht.arange(10, split=0), "x.npy")  # doctest: +SKIP
    >>> np.load("x.npy")  # doctest: +SKIP
    array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    """
    where = "save_npy"
    np_dtype = storage_dtype(x, where)
    rows, block, first_row = row_block(x, where)
    header = _header_bytes(x.gshape, np_dtype)
    row_bytes = math.prod(x.gshape[1:]) * np_dtype.itemsize
    with atomic_target(path, x.comm, where, start="empty") as tmp:

        def write() -> None:
            fd = os.open(tmp, os.O_WRONLY)
            try:
                if x.comm.rank == 0:
                    _pwrite_all(fd, memoryview(header), 0)
                if block.ndim == 0 or block.size:
                    data = np.ascontiguousarray(block).reshape(-1).view(np.uint8).data
                    _pwrite_all(fd, data, len(header) + first_row * row_bytes)
            finally:
                os.close(fd)

        run_agreed(x.comm, write)
    del rows
