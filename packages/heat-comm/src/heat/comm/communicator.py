"""The torch-aware communicator.

Two cost models, in plain sight: tensor methods (``allreduce``, ``allgather``, ...) move
contiguous buffers with MPI's buffer (uppercase) calls; ``*_object`` methods pickle small
Python objects and are meant for metadata only.

A *checked* communicator (the default) first exchanges one small metadata row per rank
(dtype, shape, root, axes, op) with an ``Allgather``, so that mismatched calls (different
shapes, dtypes, roots or axes across ranks, an unsupported dtype on one rank) raise the same
clear exception on every rank instead of hanging or corrupting memory. That costs one
latency-bound collective per call; :meth:`Communicator.unchecked` returns a view of the same
communicator that skips it, for callers (such as heat-core) that keep global metadata
consistent themselves. Collectives that must learn other ranks' sizes (``allgather`` without
``counts``, ``scatter``, ...) exchange the row in both modes.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import torch

from . import buffers, partition
from ._mpi import large_count_supported, mpi
from .buffers import check_dtype, dtype_code, spec, spec_counts
from .errors import agree, describe, raise_agreed
from .ops import ReduceOp, ReductionPlan, reduction_plan
from .requests import Request

__all__ = ["Communicator"]

Tensor = torch.Tensor

_MAXDIM = 32
_ERR, _DT, _NDIM, _ROOT, _AX1, _AX2, _OP, _AUX = range(8)
_SHAPE = 8
_WIDTH = _SHAPE + _MAXDIM
_UNUSED = -(2**62)
_INT_MAX = 2**31 - 1


def _fmt_shape(row: np.ndarray) -> tuple[int, ...]:
    return tuple(int(s) for s in row[_SHAPE : _SHAPE + int(row[_NDIM])])


def _dtype_name(code: int) -> str:
    if code < 0:
        return "no tensor"
    return str(buffers.SUPPORTED_DTYPES[code]).removeprefix("torch.")


def _in_place(shape: Sequence[int], axis: int) -> bool:
    """Whether pieces cut along ``axis`` are consecutive runs of a contiguous tensor."""
    return math.prod(shape[:axis]) <= 1


@functools.lru_cache(maxsize=512)
def _joined(
    shape: tuple[int, ...], axis: int, sizes: tuple[int, ...]
) -> tuple[tuple[int, ...], list[int], list[int], bool]:
    """Geometry of joining pieces of ``shape`` (sizes along ``axis``): the joined shape,
    element counts and displacements per piece, and whether the pieces land in place."""
    joined = (*shape[:axis], sum(sizes), *shape[axis + 1 :])
    row = math.prod(shape[:axis]) * math.prod(shape[axis + 1 :])
    counts = [s * row for s in sizes]
    return joined, counts, list(partition.displs(counts)), _in_place(joined, axis)


def _pack(t: Tensor, axis: int, sizes: Sequence[int]) -> Tensor:
    """``t`` cut along ``axis`` into ``sizes`` pieces laid end to end in one buffer.

    Each piece keeps ``t``'s axis order, so packing is one copy of row runs (no transpose),
    and no copy at all (``t`` itself) when ``axis`` is the outermost non-trivial axis of a
    contiguous ``t``.
    """
    if t.is_contiguous() and _in_place(t.shape, axis):
        return t
    flat = torch.empty(t.numel(), dtype=t.dtype, device=t.device)
    start = pos = 0
    for size in sizes:
        piece = t.narrow(axis, start, size)
        n = piece.numel()
        flat[pos : pos + n].view(piece.shape).copy_(piece)
        start, pos = start + size, pos + n
    return flat


def _landing(shape: tuple[int, ...], in_place: bool, dtype: torch.dtype, out: Tensor | None) -> Tensor:
    """Receive buffer: ``out`` itself (or a new tensor of ``shape``) when the pieces land in
    place, else a flat buffer that :func:`_unpack` joins."""
    if not in_place:
        return torch.empty(math.prod(shape), dtype=dtype)
    if out is not None and out.dtype == dtype and out.is_contiguous() and not buffers.needs_staging(out):
        return out
    return torch.empty(shape, dtype=dtype)


def _unpack(
    dst: Tensor, shape: tuple[int, ...], axis: int, sizes: Sequence[int], out: Tensor | None
) -> Tensor:
    """Inverse of :func:`_pack`: join the pieces received in ``dst`` along ``axis``."""
    if dst.dim() == len(shape) and dst.shape == shape:
        return dst
    pieces, pos = [], 0
    for size in sizes:
        piece_shape = (*shape[:axis], size, *shape[axis + 1 :])
        n = math.prod(piece_shape)
        pieces.append(dst[pos : pos + n].view(piece_shape))
        pos += n
    if out is not None and out.dtype == dst.dtype and out.device == dst.device:
        return torch.cat(pieces, dim=axis, out=out)
    return torch.cat(pieces, dim=axis)


# above this many bytes per block, alltoall lets MPI read and write the pieces in place
# (subarray datatypes) instead of packing them into extra buffers: less memory, and fewer
# freshly allocated pages to touch
_DATATYPE_BYTES = 1 << 20


def _subarray_types(shape: tuple[int, ...], axis: int, sizes: Sequence[int], dtype: torch.dtype) -> list[Any]:
    """One committed MPI datatype per rank selecting its piece of a C-order ``shape`` tensor
    cut along ``axis`` (an empty piece sends nothing; consecutive pieces are plain contiguous
    runs); the caller frees them."""
    base = buffers.mpi_datatype(dtype)
    types, start = [], 0
    row = math.prod(shape[axis + 1 :])
    for size in sizes:
        if size == 0 or 0 in shape:
            types.append(base.Create_contiguous(0).Commit())
        elif _in_place(shape, axis):
            types.append(base.Create_indexed([size * row], [start * row]).Commit())
        else:
            sub = list(shape)
            sub[axis] = size
            starts = [0] * len(shape)
            starts[axis] = start
            types.append(base.Create_subarray(list(shape), sub, starts).Commit())
        start += size
    return types


def _check_out(name: str, out: Tensor | None, shape: Sequence[int]) -> None:
    if out is not None and tuple(out.shape) != tuple(shape):
        raise ValueError(f"{name}: out has shape {tuple(out.shape)}; the result has shape {tuple(shape)}")


class Communicator:
    """A torch-tensor-aware MPI communicator.

    Parameters
    ----------
    handle : mpi4py.MPI.Comm, optional
        The MPI communicator to wrap; ``MPI.COMM_WORLD`` when omitted.
    checked : bool
        Whether collectives verify that all ranks called them consistently (see module docs).

    Examples
    --------
    Average gradients across ranks (run with ``mpiexec -n 2 python script.py``):

    >>> from heat.comm import get_comm
    >>> comm = get_comm()
    >>> g = torch.ones(3) * (comm.rank + 1)
    >>> comm.allreduce(g, "sum") / comm.size      # doctest: +SKIP
    tensor([1.5000, 1.5000, 1.5000])
    """

    def __init__(self, handle: Any = None, *, checked: bool = True) -> None:
        MPI = mpi()
        self._handle = MPI.COMM_WORLD if handle is None else handle
        self.rank: int = self._handle.Get_rank()
        self.size: int = self._handle.Get_size()
        self.checked = checked
        self._max_count: int | None = None if large_count_supported() else _INT_MAX
        self._unchecked: Communicator | None = None if checked else self

    # ------------------------------------------------------------------ basics
    @property
    def handle(self) -> Any:
        """The wrapped ``mpi4py.MPI.Comm``."""
        return self._handle

    def __repr__(self) -> str:
        return f"Communicator(rank={self.rank}, size={self.size}, checked={self.checked})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Communicator)
            and self._handle == other._handle
            and self.checked == other.checked
        )

    def __hash__(self) -> int:
        return hash((id(self._handle), self.checked))

    @property
    def unchecked(self) -> Communicator:
        """This communicator without the per-call consistency check (same MPI handle)."""
        if self._unchecked is None:
            u = Communicator.__new__(Communicator)
            u.__dict__.update(self.__dict__)
            u.checked = False
            u._unchecked = u
            self._unchecked = u
        return self._unchecked

    def is_distributed(self) -> bool:
        """Whether more than one process takes part."""
        return self.size > 1

    def split(self, color: int, key: int | None = None) -> Communicator:
        """Partition the ranks by ``color``; order within a part by ``key`` (default: rank).

        Collective. Ranks passing ``color=None`` get ``None`` back (MPI_UNDEFINED).
        """
        MPI = mpi()
        new = self._handle.Split(MPI.UNDEFINED if color is None else color, self.rank if key is None else key)
        if new == MPI.COMM_NULL:
            return None  # type: ignore[return-value]
        return Communicator(new, checked=self.checked)

    def dup(self) -> Communicator:
        """A new communicator with the same ranks and its own message space. Collective."""
        return Communicator(self._handle.Dup(), checked=self.checked)

    def free(self) -> None:
        """Release a communicator made by ``split``/``dup``. Collective."""
        MPI = mpi()
        if self._handle not in (MPI.COMM_WORLD, MPI.COMM_SELF):
            self._handle.Free()

    def barrier(self) -> None:
        """Block until every rank has called ``barrier``."""
        self._handle.Barrier()

    def counts_displs(self, n: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Balanced block sizes and offsets of a length-``n`` axis over this communicator."""
        return partition.counts_displs(n, self.size)

    # ------------------------------------------------------------------ errors
    def agree(self, error: BaseException | None = None) -> None:
        """Raise the same exception on every rank if any rank passes one. Collective.

        Examples
        --------
        >>> problem = None if local_ok else ValueError("bad value")   # doctest: +SKIP
        >>> comm.agree(problem)                                        # doctest: +SKIP
        """
        agree(self._handle, error)

    @contextmanager
    def collective_errors(self) -> Iterator[None]:
        """Run a block of *local* work; if it raises on any rank, raise on every rank.

        The block must not call collectives (a rank that failed early would skip them).

        Examples
        --------
        >>> with comm.collective_errors():      # doctest: +SKIP
        ...     check_my_block(x)
        """
        try:
            yield
        except Exception as err:
            agree(self._handle, err)
            raise
        agree(self._handle, None)

    def _exchange(
        self,
        name: str,
        tensor: Any,
        *,
        root: int | None = None,
        axes: tuple[int | None, int | None] = (None, None),
        op: ReduceOp | None = None,
        aux: int | None = None,
        error: BaseException | None = None,
        allow_none: bool = False,
    ) -> np.ndarray:
        """Allgather one metadata row per rank; raise everywhere if any rank had a local error."""
        row = np.zeros(_WIDTH, dtype=np.int64)
        row[_DT] = -1
        if error is None:
            if tensor is None:
                if not allow_none:
                    error = TypeError(f"{name}: expected a torch.Tensor, got None")
            elif not isinstance(tensor, torch.Tensor):
                error = TypeError(f"{name}: expected a torch.Tensor, got {type(tensor).__name__}")
            elif dtype_code(tensor.dtype) < 0:
                try:
                    check_dtype(name, tensor.dtype)
                except TypeError as err:
                    error = err
            elif tensor.dim() > _MAXDIM:
                error = ValueError(f"{name}: tensors with more than {_MAXDIM} dimensions are not supported")
            else:
                row[_DT] = dtype_code(tensor.dtype)
                row[_NDIM] = tensor.dim()
                row[_SHAPE : _SHAPE + tensor.dim()] = tensor.shape
        row[_ERR] = error is not None
        row[_ROOT] = _UNUSED if root is None else root
        row[_AX1] = _UNUSED if axes[0] is None else axes[0]
        row[_AX2] = _UNUSED if axes[1] is None else axes[1]
        row[_OP] = _UNUSED if op is None else op.code
        row[_AUX] = _UNUSED if aux is None else aux
        table = np.empty((self.size, _WIDTH), dtype=np.int64)
        self._handle.Allgather(row, table)
        if any(table[:, _ERR].tolist()):
            raise_agreed(self._handle.allgather(None if error is None else describe(error)), error)
        return table

    @staticmethod
    def _uniform(table: np.ndarray, except_column: int | None = None) -> bool:
        """Whether every rank sent the same metadata row (ignoring one column): the common case,
        decided without the detailed (message-building) checks."""
        rows = table.tolist()
        first = rows[0]
        if except_column is None:
            return all(r == first for r in rows)
        return all(
            r[:except_column] == first[:except_column]
            and r[except_column + 1 :] == first[except_column + 1 :]
            for r in rows
        )

    def _same(self, name: str, table: np.ndarray, column: int, what: str) -> int:
        values = table[:, column]
        if (values != values[0]).any():
            shown = ", ".join(f"rank {r}: {int(v)}" for r, v in enumerate(values))
            raise ValueError(f"{name}: every rank must pass the same {what} ({shown})")
        return int(values[0])

    def _check_root(self, name: str, root: int) -> None:
        if not isinstance(root, (int, np.integer)) or not 0 <= root < self.size:
            raise ValueError(
                f"{name}: root {root!r} is out of range for a communicator of size {self.size} "
                f"(valid roots: 0..{self.size - 1})",
            )

    def _check_axis(self, name: str, axis: int, ndim: int, what: str = "axis") -> int:
        if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
            raise TypeError(f"{name}: {what} must be an int, got {type(axis).__name__}")
        if ndim == 0:
            raise ValueError(
                f"{name}: {what} {axis} is out of range for a 0-d tensor; reshape it to 1-d first",
            )
        if not -ndim <= axis < ndim:
            raise ValueError(
                f"{name}: {what} {axis} is out of range for a {ndim}-d tensor (valid: {-ndim}..{ndim - 1})",
            )
        return int(axis) % ndim

    def _same_dtype(self, name: str, table: np.ndarray, ranks: Sequence[int] | None = None) -> None:
        rows = table if ranks is None else table[list(ranks)]
        codes = rows[:, _DT]
        if (codes != codes[0]).any():
            shown = ", ".join(
                f"rank {r}: {_dtype_name(int(c))}"
                for r, c in zip(range(self.size) if ranks is None else ranks, codes, strict=True)
            )
            raise TypeError(f"{name}: every rank must pass the same dtype ({shown}); cast with .to(dtype)")

    def _same_shape(self, name: str, table: np.ndarray, except_axis: int | None = None) -> None:
        ndims = table[:, _NDIM]
        shapes = [_fmt_shape(r) for r in table]
        bad = (ndims != ndims[0]).any()
        if not bad:
            ref = list(shapes[0])
            for s in shapes:
                a, b = list(s), list(ref)
                if except_axis is not None:
                    a[except_axis] = b[except_axis] = 0
                if a != b:
                    bad = True
                    break
        if bad:
            shown = ", ".join(f"rank {r}: {s}" for r, s in enumerate(shapes))
            rule = "shape" if except_axis is None else f"shape except along axis {except_axis}"
            raise ValueError(f"{name}: every rank must pass the same {rule} ({shown})")

    def _chunks(self, *tensors: Tensor) -> Iterator[tuple[Tensor, ...]]:
        """Flat pieces of at most ``_max_count`` elements (one piece with large-count MPI)."""
        step = self._max_count
        if step is None or tensors[0].numel() <= step:
            yield tensors  # spec() reads numel and address: no flattening needed
            return
        flats = tuple(t.reshape(-1) for t in tensors)
        n = flats[0].numel()
        for start in range(0, n, step):
            yield tuple(f[start : start + step] for f in flats)

    def _check_vector_size(self, name: str, total: int) -> None:
        if self._max_count is not None and total > self._max_count:
            raise OverflowError(
                f"{name}: {total} elements exceed this MPI library's count limit ({self._max_count}); "
                "use an MPI-4 library (large counts) or communicate in parts",
            )

    @staticmethod
    def _deliver(result: Tensor, device: torch.device, out: Tensor | None) -> Tensor:
        if out is None:
            return result if result.device == device else result.to(device)
        if out.data_ptr() != result.data_ptr() or out.dtype != result.dtype:
            out.copy_(result)
        return out

    # ------------------------------------------------------------------ broadcast
    def bcast(
        self, tensor: Tensor | None, root: int = 0, *, device: torch.device | str | None = None
    ) -> Tensor:
        """Broadcast the root's tensor to every rank.

        Parameters
        ----------
        tensor : Tensor or None
            On the root, the data. Elsewhere, a buffer of the same shape and dtype that is
            filled in place and returned, or ``None`` to allocate one (checked communicators
            only: the shape comes from the root's metadata row).
        root : int
            The sending rank.
        device : optional
            Where a buffer allocated for ``tensor=None`` lives (default: CPU).

        Examples
        --------
        >>> x = comm.bcast(torch.arange(3) if comm.rank == 0 else None, root=0)  # doctest: +SKIP
        """
        name = "bcast"
        is_root = self.rank == root
        if self.checked or tensor is None:
            table = self._exchange(name, tensor, root=root, allow_none=not is_root)
            root = self._same(name, table, _ROOT, "root")
            self._check_root(name, root)
            ref = table[root]
            if ref[_DT] < 0:
                raise TypeError(f"{name}: the root (rank {root}) passed no tensor")
            for r, row in enumerate(table):
                if row[_DT] >= 0 and (row[_DT] != ref[_DT] or _fmt_shape(row) != _fmt_shape(ref)):
                    raise ValueError(
                        f"{name}: rank {r}'s buffer is {_fmt_shape(row)} {_dtype_name(int(row[_DT]))} but "
                        f"the root's tensor (rank {root}) is {_fmt_shape(ref)} "
                        f"{_dtype_name(int(ref[_DT]))}; pass a buffer of the root's shape and dtype, or None",
                    )
            shape, dtype = _fmt_shape(ref), buffers.SUPPORTED_DTYPES[int(ref[_DT])]
        else:
            self._check_root(name, root)
            check_dtype(name, tensor.dtype)
            shape, dtype = tuple(tensor.shape), tensor.dtype
        if is_root:
            assert tensor is not None
            buf = buffers.host(tensor)
        elif tensor is None:
            buf = torch.empty(shape, dtype=dtype)
        elif tensor.is_contiguous() and not buffers.needs_staging(tensor):
            buf = tensor
        else:
            buf = torch.empty(shape, dtype=dtype)
        for (piece,) in self._chunks(buf):
            self._handle.Bcast(spec(piece), root=root)
        if is_root:
            assert tensor is not None
            return tensor
        if tensor is None:
            return buf if device is None else buf.to(device)
        return self._deliver(buf, tensor.device, tensor)

    def bcast_object(self, obj: Any, root: int = 0) -> Any:
        """Broadcast a small picklable object from ``root`` (metadata, not array data)."""
        self._check_root("bcast_object", root)
        return self._handle.bcast(obj, root=root)

    # ------------------------------------------------------------------ reductions
    def _reduction_args(
        self, name: str, tensor: Tensor, op: ReduceOp | str | Any, root: int | None
    ) -> ReduceOp:
        if self.checked:
            error: BaseException | None = None
            try:
                rop = ReduceOp.of(op)
            except ValueError as err:
                rop, error = ReduceOp.SUM, err
            table = self._exchange(name, tensor, root=root, op=rop, error=error)
            if not self._uniform(table):
                self._same(name, table, _OP, "op")
                if root is not None:
                    self._same(name, table, _ROOT, "root")
                self._same_dtype(name, table)
                self._same_shape(name, table)
            if root is not None:
                self._check_root(name, root)
            return rop
        if not isinstance(tensor, torch.Tensor):
            raise TypeError(f"{name}: expected a torch.Tensor, got {type(tensor).__name__}")
        check_dtype(name, tensor.dtype)
        if root is not None:
            self._check_root(name, root)
        return ReduceOp.of(op)

    @staticmethod
    def _reduction_buffers(
        tensor: Tensor, plan: ReductionPlan, out: Tensor | None = None
    ) -> tuple[Tensor, Tensor]:
        """Send buffer in the plan's compute dtype, and a receive buffer: ``out`` itself when
        MPI can write there directly, else a new one."""
        src = buffers.host(tensor)
        if plan.compute is torch.bool:
            src = src != 0
        elif plan.compute is not None:
            src = src.to(plan.compute)
        if (
            out is not None
            and out.dtype == src.dtype
            and out.shape == src.shape
            and out.is_contiguous()
            and not buffers.needs_staging(out)
            and out.data_ptr() != src.data_ptr()
        ):
            return src, out
        return src, torch.empty_like(src, memory_format=torch.contiguous_format)

    def _reduce_call(self, name: str, tensor: Tensor, rop: ReduceOp, out: Tensor | None, call: Any) -> Tensor:
        """Run an MPI reduction ``call(send_spec, recv_spec, mpi_op)`` following the dtype's plan."""
        plan = reduction_plan(name, tensor.dtype, rop)
        mpi_op = plan.mpi_op
        if (
            out is tensor
            and plan.compute is None
            and tensor.is_contiguous()
            and not buffers.needs_staging(tensor)
            and name == "allreduce"
        ):
            in_place = mpi().IN_PLACE
            for (piece,) in self._chunks(tensor):
                call(in_place, spec(piece), mpi_op)
            return tensor
        src, dst = self._reduction_buffers(tensor, plan, out)
        for a, b in self._chunks(src, dst):
            call(spec(a), spec(b), mpi_op)
        return self._deliver(dst if dst.dtype == tensor.dtype else dst.to(tensor.dtype), tensor.device, out)

    def allreduce(
        self, tensor: Tensor, op: ReduceOp | str | Any = "sum", *, out: Tensor | None = None
    ) -> Tensor:
        """Combine ``tensor`` elementwise across ranks with ``op``; every rank gets the result.

        Parameters
        ----------
        tensor : Tensor
            Same shape and dtype on every rank.
        op : {"sum", "prod", "min", "max", "land", "lor", "lxor", "band", "bor", "bxor"}
            Booleans follow NumPy's ufuncs (sum = or, prod = and); float16/bfloat16 are reduced
            in float32 and rounded once. See :mod:`heat.comm.ops`.
        out : Tensor, optional
            Where to write the result; ``out=tensor`` reduces in place (no extra buffer).

        Examples
        --------
        >>> comm.allreduce(torch.tensor([comm.rank]), "max")   # doctest: +SKIP
        tensor([1])
        """
        rop = self._reduction_args("allreduce", tensor, op, None)
        return self._reduce_call(
            "allreduce", tensor, rop, out, lambda s, r, o: self._handle.Allreduce(s, r, op=o)
        )

    def reduce(
        self, tensor: Tensor, op: ReduceOp | str | Any = "sum", root: int = 0, *, out: Tensor | None = None
    ) -> Tensor | None:
        """Like :meth:`allreduce`, but only ``root`` receives the result (others get ``None``)."""
        rop = self._reduction_args("reduce", tensor, op, root)
        result = self._reduce_call(
            "reduce", tensor, rop, out, lambda s, r, o: self._handle.Reduce(s, r, op=o, root=root)
        )
        return result if self.rank == root else None

    def scan(self, tensor: Tensor, op: ReduceOp | str | Any = "sum", *, out: Tensor | None = None) -> Tensor:
        """Inclusive prefix reduction: rank r gets ``op`` over the tensors of ranks 0..r."""
        rop = self._reduction_args("scan", tensor, op, None)
        return self._reduce_call("scan", tensor, rop, out, lambda s, r, o: self._handle.Scan(s, r, op=o))

    def exscan(
        self, tensor: Tensor, op: ReduceOp | str | Any = "sum", *, out: Tensor | None = None
    ) -> Tensor:
        """Exclusive prefix reduction: rank r gets ``op`` over ranks 0..r-1.

        Rank 0, where MPI leaves the result undefined, gets the op's identity (0 for sum, 1 for
        prod, the dtype's largest value for min, ...), so ``exscan(counts)`` gives offsets.
        """
        rop = self._reduction_args("exscan", tensor, op, None)
        result = self._reduce_call(
            "exscan", tensor, rop, out, lambda s, r, o: self._handle.Exscan(s, r, op=o)
        )
        if self.rank == 0:
            result.fill_(rop.identity(tensor.dtype))
        return result

    def allreduce_object(self, obj: Any, op: ReduceOp | str | Any = "sum") -> Any:
        """Reduce small Python objects (numbers, tuples of numbers) with a pickled collective."""
        MPI = mpi()
        return self._handle.allreduce(obj, op=getattr(MPI, ReduceOp.of(op).name))

    # ------------------------------------------------------------------ gathers
    def _gather_args(
        self, name: str, tensor: Tensor, axis: int, root: int | None, counts: Sequence[int] | None
    ) -> tuple[int, list[int], tuple[int, ...], torch.dtype]:
        """Validate a (all)gather; return (axis, sizes along axis per rank, local shape, dtype)."""
        if self.checked or counts is None:
            table = self._exchange(name, tensor, root=root, axes=(axis, None))
            ndim = int(table[0, _NDIM])
            ax = (
                self._check_axis(name, axis, ndim)
                if isinstance(axis, int) and ndim > 0 and -ndim <= axis < ndim
                else -1
            )
            if ax < 0 or not self._uniform(table, _SHAPE + ax):
                self._same(name, table, _AX1, "axis")
                if root is not None:
                    self._same(name, table, _ROOT, "root")
                self._same_dtype(name, table)
                ndim = self._same(name, table, _NDIM, "number of dimensions")
                ax = self._check_axis(name, axis, ndim)
                self._same_shape(name, table, except_axis=ax)
            if root is not None:
                self._check_root(name, root)
            sizes = [int(s) for s in table[:, _SHAPE + ax]]
            if counts is not None and list(counts) != sizes:
                raise ValueError(
                    f"{name}: counts {list(counts)} do not match the sizes along axis {ax}: {sizes}"
                )
        else:
            if not isinstance(tensor, torch.Tensor):
                raise TypeError(f"{name}: expected a torch.Tensor, got {type(tensor).__name__}")
            check_dtype(name, tensor.dtype)
            if root is not None:
                self._check_root(name, root)
            ax = axis if 0 <= axis < tensor.dim() else self._check_axis(name, axis, tensor.dim())
            sizes = counts if type(counts) is list else [int(c) for c in counts]
            if len(sizes) != self.size:
                raise ValueError(
                    f"{name}: counts has {len(sizes)} entries; the communicator has {self.size} ranks"
                )
        return ax, sizes, tuple(tensor.shape), tensor.dtype

    def _gathered(
        self, name: str, tensor: Tensor, ax: int, sizes: list[int], out: Tensor | None
    ) -> tuple[Tensor, Tensor, tuple[int, ...], list[int], list[int]]:
        """Send buffer, receive buffer, result shape, element counts and displacements."""
        src = buffers.host(tensor)
        shape, counts, displs, in_place = _joined(tuple(src.shape), ax, tuple(sizes))
        if out is not None:
            _check_out(name, out, shape)
        if self._max_count is not None:
            self._check_vector_size(name, math.prod(shape))
        return src, _landing(shape, in_place, src.dtype, out), shape, counts, displs

    def allgather(
        self,
        tensor: Tensor,
        axis: int = 0,
        *,
        counts: Sequence[int] | None = None,
        out: Tensor | None = None,
    ) -> Tensor:
        """Concatenate every rank's tensor along ``axis``; every rank gets the whole result.

        Sizes along ``axis`` may differ between ranks (uneven blocks, empty blocks); all other
        dimensions must agree. Pass ``counts`` (every rank's size along ``axis``) to skip the
        size exchange on an unchecked communicator, and ``out`` to receive into existing memory
        (no allocation). Blocks travel in their own axis order; for an inner ``axis`` the
        received blocks are joined with one copy.

        Examples
        --------
        >>> comm.allgather(torch.full((comm.rank + 1, 2), comm.rank), axis=0)  # doctest: +SKIP
        """
        name = "allgather"
        ax, sizes, _, _ = self._gather_args(name, tensor, axis, None, counts)
        src, dst, shape, cnts, displs = self._gathered(name, tensor, ax, sizes, out)
        self._handle.Allgatherv(spec(src), spec_counts(dst, cnts, displs))
        return self._deliver(_unpack(dst, shape, ax, sizes, out), tensor.device, out)

    def gather(
        self,
        tensor: Tensor,
        axis: int = 0,
        root: int = 0,
        *,
        counts: Sequence[int] | None = None,
        out: Tensor | None = None,
    ) -> Tensor | None:
        """Concatenate every rank's tensor along ``axis`` on ``root``; other ranks get ``None``."""
        name = "gather"
        ax, sizes, _, _ = self._gather_args(name, tensor, axis, root, counts)
        if self.rank != root:
            src = buffers.host(tensor)  # spec() holds an address only: keep the tensor alive
            self._handle.Gatherv(spec(src), None, root=root)
            return None
        src, dst, shape, cnts, displs = self._gathered(name, tensor, ax, sizes, out)
        self._handle.Gatherv(spec(src), spec_counts(dst, cnts, displs), root=root)
        return self._deliver(_unpack(dst, shape, ax, sizes, out), tensor.device, out)

    def allgather_object(self, obj: Any) -> list[Any]:
        """Every rank's small picklable object, in rank order."""
        return list(self._handle.allgather(obj))

    def gather_object(self, obj: Any, root: int = 0) -> list[Any] | None:
        """Every rank's small picklable object on ``root`` (``None`` elsewhere)."""
        self._check_root("gather_object", root)
        gathered = self._handle.gather(obj, root=root)
        return None if gathered is None else list(gathered)

    # ------------------------------------------------------------------ scatter
    def scatter(
        self,
        tensor: Tensor | None,
        axis: int = 0,
        root: int = 0,
        *,
        counts: Sequence[int] | None = None,
        device: torch.device | str | None = None,
    ) -> Tensor:
        """Cut the root's tensor along ``axis`` into blocks and send block r to rank r.

        Parameters
        ----------
        tensor : Tensor or None
            The data on the root; ignored (pass ``None``) elsewhere.
        counts : sequence of int, optional
            Block sizes along ``axis`` (one per rank, same on every rank); balanced by default.
        device : optional
            Where non-root ranks' blocks live (default: CPU; the root keeps its tensor's device).

        Examples
        --------
        >>> block = comm.scatter(torch.arange(10) if comm.rank == 0 else None)  # doctest: +SKIP
        """
        name = "scatter"
        is_root = self.rank == root
        chash = None if counts is None else hash(tuple(int(c) for c in counts))
        table = self._exchange(
            name, tensor if is_root else None, root=root, axes=(axis, None), aux=chash, allow_none=True
        )
        root = self._same(name, table, _ROOT, "root")
        self._check_root(name, root)
        self._same(name, table, _AX1, "axis")
        self._same(name, table, _AUX, "counts")
        ref = table[root]
        if ref[_DT] < 0:
            raise TypeError(f"{name}: the root (rank {root}) passed no tensor")
        shape = _fmt_shape(ref)
        ax = self._check_axis(name, axis, len(shape))
        if counts is None:
            sizes = list(partition.counts(shape[ax], self.size))
        else:
            sizes = [int(c) for c in counts]
            if len(sizes) != self.size or min(sizes) < 0 or sum(sizes) != shape[ax]:
                raise ValueError(
                    f"{name}: counts {sizes} must be {self.size} non-negative sizes summing to "
                    f"{shape[ax]} (the root's length along axis {ax})",
                )
        dtype = buffers.SUPPORTED_DTYPES[int(ref[_DT])]
        local = (*shape[:ax], sizes[self.rank], *shape[ax + 1 :])
        dst = torch.empty(local, dtype=dtype)
        if is_root:
            assert tensor is not None
            src = _pack(buffers.host(tensor), ax, sizes)
            self._check_vector_size(name, src.numel())
            row = math.prod(shape[:ax]) * math.prod(shape[ax + 1 :])
            cnts = [s * row for s in sizes]
            self._handle.Scatterv(spec_counts(src, cnts, list(partition.displs(cnts))), spec(dst), root=root)
            target = tensor.device
        else:
            self._handle.Scatterv(None, spec(dst), root=root)
            target = torch.device("cpu") if device is None else torch.device(device)
        return self._deliver(dst, target, None)

    def scatter_object(self, objs: Sequence[Any] | None, root: int = 0) -> Any:
        """Send ``objs[r]`` (small picklable objects, significant on root) to rank r."""
        self._check_root("scatter_object", root)
        return self._handle.scatter(objs, root=root)

    # ------------------------------------------------------------------ all-to-all
    def alltoall(
        self,
        tensor: Tensor,
        split_axis: int,
        concat_axis: int,
        *,
        split_counts: Sequence[int] | None = None,
        concat_counts: Sequence[int] | None = None,
        out: Tensor | None = None,
    ) -> Tensor:
        """Move the cut of a distributed tensor from ``concat_axis`` to ``split_axis``.

        Every rank holds one block of a global tensor cut along ``concat_axis`` and the whole
        extent of ``split_axis``. Each rank cuts its block along ``split_axis`` into
        ``split_counts`` pieces (balanced by default) and sends piece j to rank j; the pieces a
        rank receives are concatenated along ``concat_axis`` in rank order. The result is that
        rank's block of the same global tensor cut along ``split_axis``: the kernel of
        ``resplit``. Pieces travel in the tensor's own axis order, so there is no transpose:
        sending costs one copy of row runs unless ``split_axis`` is the outermost axis, and
        receiving one copy unless ``concat_axis`` is (then MPI writes straight into the
        result, or into ``out``). Memory: the local block, at most one packed send buffer and
        the result.

        Examples
        --------
        >>> # global (6, 4) tensor split along rows -> split along columns
        >>> cols = comm.alltoall(rows_block, split_axis=1, concat_axis=0)   # doctest: +SKIP
        """
        name = "alltoall"
        if self.checked or concat_counts is None:
            table = self._exchange(name, tensor, axes=(split_axis, concat_axis))
            self._same(name, table, _AX1, "split_axis")
            self._same(name, table, _AX2, "concat_axis")
            self._same_dtype(name, table)
            ndim = self._same(name, table, _NDIM, "number of dimensions")
            sa = self._check_axis(name, split_axis, ndim, "split_axis")
            ca = self._check_axis(name, concat_axis, ndim, "concat_axis")
            self._same_shape(name, table, except_axis=ca)
            theirs = [int(s) for s in table[:, _SHAPE + ca]]
            if concat_counts is not None and list(concat_counts) != theirs:
                raise ValueError(
                    f"{name}: concat_counts {list(concat_counts)} do not match the sizes {theirs}"
                )
        else:
            if not isinstance(tensor, torch.Tensor):
                raise TypeError(f"{name}: expected a torch.Tensor, got {type(tensor).__name__}")
            check_dtype(name, tensor.dtype)
            sa = self._check_axis(name, split_axis, tensor.dim(), "split_axis")
            ca = self._check_axis(name, concat_axis, tensor.dim(), "concat_axis")
            theirs = [int(c) for c in concat_counts]
        if sa == ca:
            raise ValueError(
                f"{name}: split_axis and concat_axis are both {sa}; to rebalance along one axis use alltoallv"
            )
        n_split = tensor.shape[sa]
        mine = (
            list(partition.counts(n_split, self.size))
            if split_counts is None
            else [int(c) for c in split_counts]
        )
        if len(mine) != self.size or min(mine) < 0 or sum(mine) != n_split:
            raise ValueError(
                f"{name}: split_counts {mine} must be {self.size} non-negative sizes summing to {n_split}",
            )
        src = buffers.host(tensor)
        local = list(src.shape)
        local[sa] = mine[self.rank]
        shape, recv_counts, recv_displs, in_place = _joined(tuple(local), ca, tuple(theirs))
        if out is not None:
            _check_out(name, out, shape)
        send_counts, send_displs = _joined(tuple(src.shape), sa, tuple(mine))[1:3]
        self._check_vector_size(name, max(sum(send_counts), sum(recv_counts)))
        # the choice of collective must be the same on every rank: decide from the global shape
        whole = list(src.shape)
        whole[ca] = sum(theirs)
        moves = not _in_place(whole, sa) or not _in_place(whole, ca)
        if moves and math.prod(whole) * src.element_size() >= _DATATYPE_BYTES * self.size:
            return self._alltoall_datatypes(src, sa, mine, ca, theirs, shape, out, tensor.device)
        send = _pack(src, sa, mine)
        dst = _landing(shape, in_place, src.dtype, out)
        self._handle.Alltoallv(
            spec_counts(send, send_counts, send_displs), spec_counts(dst, recv_counts, recv_displs)
        )
        return self._deliver(_unpack(dst, shape, ca, theirs, out), tensor.device, out)

    def _alltoall_datatypes(
        self,
        src: Tensor,
        sa: int,
        mine: list[int],
        ca: int,
        theirs: list[int],
        shape: tuple[int, ...],
        out: Tensor | None,
        device: torch.device,
    ) -> Tensor:
        """``alltoall`` with MPI subarray datatypes: no packing or unpacking buffers; MPI reads
        each piece straight out of the block and writes it straight into the result."""
        dst = (
            out
            if out is not None
            and out.dtype == src.dtype
            and out.is_contiguous()
            and not buffers.needs_staging(out)
            else torch.empty(shape, dtype=src.dtype)
        )
        send_types = _subarray_types(tuple(src.shape), sa, mine, src.dtype)
        recv_types = _subarray_types(shape, ca, theirs, src.dtype)
        try:
            zeros = [0] * self.size
            ones = [1] * self.size
            self._handle.Alltoallw(
                [buffers.memory(src), (ones, zeros), send_types],
                [buffers.memory(dst), (ones, zeros), recv_types],
            )
        finally:
            for t in (*send_types, *recv_types):
                t.Free()
        return self._deliver(dst, device, out)

    def alltoallv(
        self,
        tensor: Tensor,
        send_counts: Sequence[int],
        axis: int = 0,
        *,
        out: Tensor | None = None,
        recv_counts: Sequence[int] | None = None,
    ) -> Tensor:
        """Redistribute along one axis: send ``send_counts[j]`` consecutive slices to rank j.

        The received slices are concatenated along ``axis`` in rank order, so for a tensor cut
        along ``axis`` this moves data between ranks while keeping the global order: the kernel
        of ``balance()`` and ``redistribute()``. One small all-to-all of the counts precedes the
        data exchange, unless the caller knows ``recv_counts`` (``recv_counts[j]`` slices come
        from rank j, e.g. from a plan computed from global metadata) and the communicator is
        unchecked: then the data exchange is the only collective.
        """
        name = "alltoallv"
        sc = [int(c) for c in send_counts]
        if not self.checked and recv_counts is not None:
            if not isinstance(tensor, torch.Tensor):
                raise TypeError(f"{name}: expected a torch.Tensor, got {type(tensor).__name__}")
            ax = self._check_axis(name, axis, tensor.dim())
            if len(sc) != self.size or (sc and min(sc) < 0) or sum(sc) != tensor.shape[ax]:
                raise ValueError(
                    f"{name}: send_counts {sc} must be {self.size} non-negative sizes summing to "
                    f"the {tensor.shape[ax]} slices along axis {ax}"
                )
            rc = tuple(int(c) for c in recv_counts)
            if len(rc) != self.size:
                raise ValueError(f"{name}: recv_counts {list(rc)} must have {self.size} entries")
        else:
            error: BaseException | None = None
            if len(sc) != self.size or (sc and min(sc) < 0):
                error = ValueError(f"{name}: send_counts {sc} must be {self.size} non-negative sizes")
            table = self._exchange(name, tensor, axes=(axis, None), aux=sum(sc), error=error)
            self._same(name, table, _AX1, "axis")
            self._same_dtype(name, table)
            ndim = self._same(name, table, _NDIM, "number of dimensions")
            ax = self._check_axis(name, axis, ndim)
            self._same_shape(name, table, except_axis=ax)
            for r, row in enumerate(table):
                if row[_AUX] != row[_SHAPE + ax]:
                    raise ValueError(
                        f"{name}: rank {r}'s send_counts sum to {int(row[_AUX])} but its tensor has "
                        f"{int(row[_SHAPE + ax])} slices along axis {ax}",
                    )
            recv = np.empty(self.size, dtype=np.int64)
            self._handle.Alltoall(np.asarray(sc, dtype=np.int64), recv)
            rc = tuple(int(c) for c in recv)
            if recv_counts is not None:
                mismatch = [int(c) for c in recv_counts] != list(rc)
                if self._handle.allreduce(mismatch, op=mpi().LOR):  # agreed: no rank goes on alone
                    raise ValueError(
                        f"{name}: recv_counts {list(recv_counts)} differ from what is sent to rank "
                        f"{self.rank}: {list(rc)} (on at least one rank)"
                    )
        src = buffers.host(tensor)
        send = _pack(src, ax, sc)
        scounts, sdispls = _joined(tuple(src.shape), ax, tuple(sc))[1:3]
        shape, rcounts, rdispls, in_place = _joined(tuple(src.shape), ax, rc)
        if out is not None:
            _check_out(name, out, shape)
        self._check_vector_size(name, max(sum(scounts), sum(rcounts)))
        dst = _landing(shape, in_place, src.dtype, out)
        self._handle.Alltoallv(spec_counts(send, scounts, sdispls), spec_counts(dst, rcounts, rdispls))
        return self._deliver(_unpack(dst, shape, ax, rc, out), tensor.device, out)

    def alltoall_object(self, objs: Sequence[Any]) -> list[Any]:
        """Send ``objs[j]`` (small picklable objects) to rank j; return what each rank sent here."""
        if len(objs) != self.size:
            raise ValueError(f"alltoall_object: need {self.size} objects (one per rank), got {len(objs)}")
        return list(self._handle.alltoall(list(objs)))

    # ------------------------------------------------------------------ point to point
    def _check_peer(self, name: str, peer: int, what: str, wildcard: bool = False) -> None:
        MPI = mpi()
        if wildcard and peer == MPI.ANY_SOURCE:
            return
        if peer == MPI.PROC_NULL:
            return
        if not isinstance(peer, (int, np.integer)) or not 0 <= peer < self.size:
            raise ValueError(
                f"{name}: {what} {peer!r} is out of range for a communicator of size {self.size} "
                f"(valid: 0..{self.size - 1})"
            )

    def _send_buffer(self, name: str, tensor: Tensor, dest: int) -> Tensor:
        if not isinstance(tensor, torch.Tensor):
            raise TypeError(f"{name}: expected a torch.Tensor, got {type(tensor).__name__}")
        check_dtype(name, tensor.dtype)
        self._check_peer(name, dest, "dest")
        return buffers.host(tensor)

    def _recv_buffer(self, name: str, buf: Tensor, source: int) -> Tensor:
        if not isinstance(buf, torch.Tensor):
            raise TypeError(
                f"{name}: expected a torch.Tensor buffer to receive into, got {type(buf).__name__}"
            )
        check_dtype(name, buf.dtype)
        self._check_peer(name, source, "source", wildcard=True)
        if buf.is_contiguous() and not buffers.needs_staging(buf):
            return buf
        return torch.empty(buf.shape, dtype=buf.dtype)

    def send(self, tensor: Tensor, dest: int, tag: int = 0) -> None:
        """Send ``tensor`` to rank ``dest`` (blocking; the receiver passes a buffer of equal size)."""
        src = self._send_buffer("send", tensor, dest)
        for (piece,) in self._chunks(src):
            self._handle.Send(spec(piece), dest=dest, tag=tag)

    def recv(
        self, buf: Tensor, source: int | None = None, tag: int | None = None, status: Any = None
    ) -> Tensor:
        """Receive into ``buf`` from ``source`` (default: any) with ``tag`` (default: any).

        Raises ValueError when the message does not fill the buffer exactly.
        """
        MPI = mpi()
        source = MPI.ANY_SOURCE if source is None else source
        tag = MPI.ANY_TAG if tag is None else tag
        dst = self._recv_buffer("recv", buf, source)
        st = MPI.Status() if status is None else status
        got = 0
        for (piece,) in self._chunks(dst):
            self._handle.Recv(spec(piece), source=source, tag=tag, status=st)
            got += st.Get_count(buffers.mpi_datatype(dst.dtype))
            source, tag = st.Get_source(), st.Get_tag()  # later pieces come from the same message stream
        if got != dst.numel():
            raise ValueError(
                f"recv: received {got} elements from rank {st.Get_source()} into a buffer of "
                f"{dst.numel()}; pass a buffer of the sent tensor's size"
            )
        return self._deliver(dst, buf.device, buf)

    def isend(self, tensor: Tensor, dest: int, tag: int = 0) -> Request:
        """Non-blocking :meth:`send`; keep the returned request and ``wait()`` on it."""
        src = self._send_buffer("isend", tensor, dest)
        reqs = [self._handle.Isend(spec(p), dest=dest, tag=tag) for (p,) in self._chunks(src)]
        return Request(reqs, keep=src)

    def irecv(self, buf: Tensor, source: int | None = None, tag: int | None = None) -> Request:
        """Non-blocking :meth:`recv`; ``wait()`` returns ``buf`` filled."""
        MPI = mpi()
        source = MPI.ANY_SOURCE if source is None else source
        tag = MPI.ANY_TAG if tag is None else tag
        dst = self._recv_buffer("irecv", buf, source)
        reqs = [self._handle.Irecv(spec(p), source=source, tag=tag) for (p,) in self._chunks(dst)]
        return Request(reqs, keep=dst, finish=lambda: self._deliver(dst, buf.device, buf))

    def sendrecv(
        self,
        tensor: Tensor,
        dest: int,
        buf: Tensor,
        source: int | None = None,
        sendtag: int = 0,
        recvtag: int | None = None,
    ) -> Tensor:
        """Send ``tensor`` to ``dest`` and receive into ``buf`` from ``source`` at once (no
        deadlock in rings and halo exchanges); returns ``buf``."""
        MPI = mpi()
        source = MPI.ANY_SOURCE if source is None else source
        recvtag = MPI.ANY_TAG if recvtag is None else recvtag
        src = self._send_buffer("sendrecv", tensor, dest)
        dst = self._recv_buffer("sendrecv", buf, source)
        if self._max_count is not None and max(src.numel(), dst.numel()) > self._max_count:
            req = self.irecv(buf, source, recvtag)
            self.send(tensor, dest, sendtag)
            result = req.wait()
            assert result is not None
            return result
        self._handle.Sendrecv(spec(src), dest, sendtag, spec(dst), source, recvtag)
        return self._deliver(dst, buf.device, buf)

    def send_object(self, obj: Any, dest: int, tag: int = 0) -> None:
        """Send a small picklable object."""
        self._check_peer("send_object", dest, "dest")
        self._handle.send(obj, dest=dest, tag=tag)

    def recv_object(self, source: int | None = None, tag: int | None = None) -> Any:
        """Receive a small picklable object."""
        MPI = mpi()
        return self._handle.recv(
            source=MPI.ANY_SOURCE if source is None else source, tag=MPI.ANY_TAG if tag is None else tag
        )

    # ------------------------------------------------------------------ non-blocking collectives
    def ibcast(self, tensor: Tensor, root: int = 0) -> Request:
        """Non-blocking broadcast into ``tensor`` (every rank passes a buffer of equal shape).

        On a checked communicator the consistency check runs (blocking) before the broadcast
        starts. ``wait()`` returns the filled tensor.
        """
        name = "ibcast"
        if self.checked:
            table = self._exchange(name, tensor, root=root)
            self._check_root(name, self._same(name, table, _ROOT, "root"))
            self._same_dtype(name, table)
            self._same_shape(name, table)
        else:
            check_dtype(name, tensor.dtype)
            self._check_root(name, root)
        if self.rank == root:
            buf = buffers.host(tensor)
        else:
            buf = self._recv_buffer(name, tensor, root)
        reqs = [self._handle.Ibcast(spec(p), root=root) for (p,) in self._chunks(buf)]
        return Request(reqs, keep=buf, finish=lambda: self._deliver(buf, tensor.device, tensor))

    def iallreduce(
        self, tensor: Tensor, op: ReduceOp | str | Any = "sum", *, out: Tensor | None = None
    ) -> Request:
        """Non-blocking :meth:`allreduce`; ``wait()`` returns the result."""
        name = "iallreduce"
        rop = self._reduction_args(name, tensor, op, None)
        plan = reduction_plan(name, tensor.dtype, rop)
        src, dst = self._reduction_buffers(tensor, plan, out)
        reqs = [self._handle.Iallreduce(spec(a), spec(b), op=plan.mpi_op) for a, b in self._chunks(src, dst)]

        def finish() -> Tensor:
            res = dst if dst.dtype == tensor.dtype else dst.to(tensor.dtype)
            return self._deliver(res, tensor.device, out)

        return Request(reqs, keep=(src, dst), finish=finish)
