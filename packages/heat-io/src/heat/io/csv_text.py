"""CSV text: ranks parse byte ranges in parallel and write disjoint byte ranges.

Loading: after the header lines, the file's bytes are cut into equal ranges. Rank r > 0 moves
its start forward to just after the first newline at or after its nominal start minus one
byte, so a line belongs to the rank in whose range it begins. The starts are exchanged (one
small allgather): rank r parses bytes ``[start_r, start_{r+1})``. Row and column counts are then
agreed (one small allgather) and the rows are rebalanced (one all-to-all-v). The encoding must
be ASCII-compatible (UTF-8, Latin-1): a newline byte then always ends a line.

Saving: every rank formats its rows, the byte lengths are exchanged, and each rank writes its
text at its offset with ``pwrite``, concurrently, into a temporary file renamed on success.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from typing import Any

import numpy as np

from heat.core import layout, types
from heat.core.communication import sanitize_comm
from heat.core.devices import sanitize_device
from heat.core.dndarray import DNDarray
from heat.core.redistribution import balance, resplit

from ._blocks import assemble, local_numpy, row_block, storage_dtype
from ._collective import atomic_target, run_agreed

__all__ = ["load_csv", "save_csv"]

_SCAN = 1 << 16
SUPPORTED = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64")
_DIGITS = {"float16": 5, "float32": 9, "float64": 17}


def _check_encoding(encoding: str, where: str) -> None:
    if "\n".encode(encoding) != b"\n" or "a".encode(encoding) != b"a":
        raise ValueError(f"{where}: encoding={encoding!r} is not ASCII-compatible; use 'utf-8' or 'latin-1'")


def _line_start(f: Any, pos: int, end: int) -> int:
    """The first position >= ``pos`` that starts a line (just after a newline), or ``end``."""
    f.seek(pos - 1)
    at = pos - 1
    while at < end:
        chunk: bytes = f.read(min(_SCAN, end - at))
        if not chunk:
            return end
        hit = chunk.find(b"\n")
        if hit >= 0:
            return at + hit + 1
        at += len(chunk)
    return end


def load_csv(
    path: str | os.PathLike[str],
    sep: str = ",",
    header_lines: int = 0,
    dtype: Any = None,
    split: int | None = None,
    device: Any = None,
    comm: Any = None,
    encoding: str = "utf-8",
) -> DNDarray:
    """Load a CSV file as a 2-d array (rows x columns); ranks parse byte ranges in parallel.

    Parameters
    ----------
    path : str or PathLike
        The text file; blank lines are skipped.
    sep : str
        The column separator.
    header_lines : int
        Lines to skip at the top.
    dtype : Heat dtype, optional
        The result's type (default float64).
    split : int or None
        0: rows distributed; 1: columns distributed; None: replicated.
    device, comm : optional
        Where the result lives and the ranks it is distributed over.
    encoding : str
        An ASCII-compatible text encoding.

    Examples
    --------
    >>> x = ht.load_csv("table.csv", header_lines=1, split=0)  # doctest: +SKIP
    """
    where = "load_csv"
    com = sanitize_comm(comm)
    dev = sanitize_device(device)
    fspath = os.fspath(path)
    dt = types.default_float() if dtype is None else types.canonical(dtype)
    if dt.name not in SUPPORTED:
        raise TypeError(
            f"{where}: dtype {dt.name} is not supported for CSV (supported: {', '.join(SUPPORTED)})"
        )
    sp = layout.normalize_split(split, 2)
    if not isinstance(header_lines, int) or header_lines < 0:
        raise ValueError(f"{where}: header_lines={header_lines!r} must be a non-negative int")
    if not isinstance(sep, str) or not sep or "\n" in sep:
        raise ValueError(f"{where}: sep={sep!r} must be a non-empty string without newlines")

    def find_start() -> tuple[int, int]:
        _check_encoding(encoding, where)
        if not os.path.isfile(fspath):
            raise FileNotFoundError(f"{where}: no such file {fspath!r}")
        size = os.path.getsize(fspath)
        with open(fspath, "rb") as f:
            for _ in range(header_lines):
                f.readline()
            head = f.tell()
            nominal = head + (size - head) * com.rank // com.size
            return (nominal if com.rank == 0 else _line_start(f, max(nominal, head + 1), size)), size

    start, size = run_agreed(com, find_start)
    starts = com.allgather_object(start)
    stop = starts[com.rank + 1] if com.rank + 1 < com.size else size
    parse_dtype = np.int64 if dt.kind in "biu" else np.float64

    def parse() -> np.ndarray:
        with open(fspath, "rb") as f:
            f.seek(start)
            text = f.read(max(0, stop - start)).decode(encoding)
        if not text.strip():
            return np.empty((0, 0), dtype=parse_dtype)
        try:
            return np.loadtxt(io.StringIO(text), delimiter=sep, dtype=parse_dtype, ndmin=2)
        except ValueError as err:
            raise ValueError(f"{where}: cannot parse {fspath!r}: {err}") from None

    rows = run_agreed(com, parse)
    shapes = com.allgather_object(rows.shape)
    widths = {c for r, c in shapes if r}
    if len(widths) > 1:
        raise ValueError(
            f"{where}: {fspath!r} has rows of different lengths ({sorted(widths)} columns); "
            "every row needs the same number of values"
        )
    ncols = widths.pop() if widths else 0
    if not rows.shape[0]:
        rows = np.empty((0, ncols), dtype=parse_dtype)
    local = local_numpy(rows != 0 if dt.kind == "b" else rows, dt, dev)
    counts = tuple(r for r, _ in shapes)
    x = assemble(local, (sum(counts), ncols), dt, 0, dev, com, counts)
    if sp == 0:
        return x if x.is_balanced() else balance(x)
    return resplit(x, sp)


def _format(dtype_name: str, fmt: str | None) -> str:
    if fmt is not None:
        return fmt
    if dtype_name in _DIGITS:
        return f"%.{_DIGITS[dtype_name]}g"
    return "%d"


def save_csv(
    x: DNDarray,
    path: str | os.PathLike[str],
    sep: str = ",",
    header_lines: Iterable[str] | None = None,
    fmt: str | None = None,
    encoding: str = "utf-8",
) -> None:
    """Save a 1-d or 2-d array as CSV; every rank writes its rows' bytes at their offset.

    Parameters
    ----------
    x : DNDarray
        1-d (one value per line) or 2-d; real dtypes. Split along columns, it is first moved to
        rows (one all-to-all).
    path : str or PathLike
        The file to (re)place.
    sep : str
        The column separator.
    header_lines : iterable of str, optional
        Lines written first.
    fmt : str, optional
        A ``%`` format for each value (default: ``%d`` for integers, round-trip precision for
        floats: ``%.17g`` for float64, ``%.9g`` for float32).
    encoding : str
        An ASCII-compatible encoding.

    Examples
    --------
    >>> ht.save_csv(ht.arange(6.0, split=0).reshape((3, 2)), "x.csv")  # doctest: +SKIP
    """
    where = "save_csv"
    storage_dtype(x, where, SUPPORTED)
    if x.ndim not in (1, 2):
        raise ValueError(f"{where}: CSV holds 1-d or 2-d arrays; got {x.ndim}-d (reshape it first)")
    _check_encoding(encoding, where)
    header = "".join(f"{line}\n" for line in header_lines or ()).encode(encoding)
    value_fmt = _format(x.dtype.name, fmt)
    rows, block, _ = row_block(x, where)

    def render() -> bytes:
        buf = io.BytesIO()
        if block.size:
            data = block.astype(np.int64) if block.dtype == np.bool_ else block
            np.savetxt(buf, data.reshape(len(data), -1), fmt=value_fmt, delimiter=sep, encoding=encoding)
        return buf.getvalue()

    text = run_agreed(x.comm, render)
    sizes = x.comm.allgather_object(len(text))
    offset = len(header) + sum(sizes[: x.comm.rank])
    with atomic_target(path, x.comm, where, start="empty") as tmp:

        def write() -> None:
            fd = os.open(tmp, os.O_WRONLY)
            try:
                parts = [(header, 0), (text, offset)] if x.comm.rank == 0 else [(text, offset)]
                for data, at in parts:
                    view, done = memoryview(data), 0
                    while done < len(view):
                        done += os.pwrite(fd, view[done:], at + done)
            finally:
                os.close(fd)

        run_agreed(x.comm, write)
    del rows
