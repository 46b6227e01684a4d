"""The distributed N-dimensional array."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import torch

from heat.comm import Communicator

from . import devices, layout, types
from .devices import Device
from .types import DType

if TYPE_CHECKING:
    from types import ModuleType

__all__ = ["DNDarray"]


class DNDarray:
    """A global N-d array stored as one torch tensor per MPI rank, cut along ``split``.

    Every rank holds the same global metadata (``gshape``, ``split``, ``dtype``, ``device``, the
    block sizes along ``split``) and its own block, ``larray``. ``split=None`` means every rank
    holds the whole array. Arrays are usually made with the factories (``ht.array``,
    ``ht.zeros``, ...), not with this constructor.

    Parameters
    ----------
    array : torch.Tensor
        This rank's block.
    gshape : tuple of int
        The global shape.
    dtype : DType
        The Heat dtype (``array.dtype`` must be ``dtype.torch``).
    split : int or None
        The axis cut across ranks, or None (replicated).
    device : Device
        Where the blocks live.
    comm : Communicator
        The ranks the array is distributed over.
    balanced : bool, optional
        Whether the layout is known to be balanced (then no communication is needed to learn it).
    counts : sequence of int, optional
        Every rank's block size along ``split``, when known (saves a collective later).

    Examples
    --------
    >>> import heat as ht
    >>> x = ht.arange(10, split=0)
    >>> x.shape, x.split
    ((10,), 0)
    """

    __slots__ = (
        "__weakref__",
        "_comm",
        "_counts",
        "_device",
        "_dtype",
        "_gshape",
        "_larray",
        "_split",
        "halo_next",
        "halo_prev",
    )

    def __init__(
        self,
        array: torch.Tensor,
        gshape: Sequence[int],
        dtype: DType,
        split: int | None,
        device: Device,
        comm: Communicator,
        balanced: bool | None = None,
        counts: Sequence[int] | None = None,
    ) -> None:
        self._larray = array
        self._gshape = tuple(int(s) for s in gshape)
        self._dtype = dtype
        self._split = split
        self._device = device
        self._comm = comm
        if split is None:
            self._counts: tuple[int, ...] | None = None
        elif counts is not None:
            self._counts = tuple(int(c) for c in counts)
        elif balanced:
            self._counts = layout.balanced_counts(self._gshape[split], comm.size)
        else:
            self._counts = None
        self.halo_prev: torch.Tensor | None = None
        self.halo_next: torch.Tensor | None = None

    # ------------------------------------------------------------------ metadata
    @property
    def larray(self) -> torch.Tensor:
        """This rank's block (a torch tensor)."""
        return self._larray

    @larray.setter
    def larray(self, array: torch.Tensor) -> None:
        """Replace this rank's block. For an array split over several ranks this is collective
        (every rank assigns; one small allgather): the block length along ``split`` may change,
        the global shape is re-learnt, and a bad block on any rank raises on every rank."""
        old = self._larray.shape
        error: Exception | None = None
        dtype: DType | None = None
        if not isinstance(cast(object, array), torch.Tensor):  # callers may ignore the annotation
            error = TypeError(f"larray must be a torch.Tensor, got {type(array).__name__}")
        elif array.dim() != len(old) or any(
            a != b for i, (a, b) in enumerate(zip(array.shape, old, strict=True)) if i != self._split
        ):
            error = ValueError(
                f"larray: the new block has shape {tuple(array.shape)} but this rank's block is "
                f"{tuple(old)}; only the length along split={self._split} may change"
            )
        elif devices.of_tensor(array) != self._device:
            error = ValueError(
                f"larray: the new block is on {array.device} but the array is on {self._device}; "
                "move the block with .to() or the array with to_device()"
            )
        else:
            try:
                dtype = types.from_torch(array.dtype)
            except TypeError as err:
                error = err
        if self._split is None or self._comm.size == 1:
            if error is not None:
                raise error
            counts: tuple[int, ...] | None = None if self._split is None else (array.shape[self._split],)
        else:
            mine = [-1, -1] if dtype is None else [array.shape[self._split], types.ALL_DTYPES.index(dtype)]
            every = self._comm.unchecked.allgather(torch.tensor([mine]), counts=[1] * self._comm.size)
            if (every[:, 0] < 0).any():
                self._comm.agree(error)  # raises the failing rank's error on every rank
            names = [types.ALL_DTYPES[int(i)].name for i in every[:, 1].tolist()]
            if len(set(names)) != 1:
                raise ValueError(
                    f"larray: the ranks assigned blocks of different dtypes ({', '.join(names)})"
                )
            counts = tuple(int(c) for c in every[:, 0].tolist())
        assert dtype is not None
        self._larray = array
        self._dtype = dtype
        if counts is not None and self._split is not None:
            self._counts = counts
            shape = list(self._gshape)
            shape[self._split] = sum(counts)
            self._gshape = tuple(shape)

    @property
    def gshape(self) -> tuple[int, ...]:
        """The global shape."""
        return self._gshape

    shape = gshape

    @property
    def split(self) -> int | None:
        """The axis cut across ranks, or None when every rank holds the whole array."""
        return self._split

    @property
    def layout(self) -> layout.Layout:
        """The layout as a value: ``Split(axis)`` or ``Replicate()``."""
        return layout.as_layout(self._split)

    @property
    def dtype(self) -> DType:
        return self._dtype

    @property
    def device(self) -> Device:
        return self._device

    @property
    def comm(self) -> Communicator:
        return self._comm

    @property
    def ndim(self) -> int:
        return len(self._gshape)

    @property
    def size(self) -> int:
        """Number of elements of the global array."""
        return math.prod(self._gshape)

    gnumel = size

    @property
    def lshape(self) -> tuple[int, ...]:
        return tuple(self._larray.shape)

    @property
    def lnumel(self) -> int:
        return self._larray.numel()

    @property
    def nbytes(self) -> int:
        """Bytes of the global array."""
        return self.size * self._dtype.itemsize

    gnbytes = nbytes

    @property
    def lnbytes(self) -> int:
        return self.lnumel * self._dtype.itemsize

    @property
    def counts(self) -> tuple[int, ...]:
        """Every rank's block size along ``split`` (cached; one small collective the first
        time for a layout nobody recorded). For ``split=None``: the full length on every rank."""
        if self._split is None:
            return (self._gshape[0] if self._gshape else 1,) * self._comm.size
        if self._counts is None:
            mine = torch.tensor([self._larray.shape[self._split]], dtype=torch.int64)
            every = self._comm.unchecked.allgather(mine, counts=[1] * self._comm.size)
            self._counts = tuple(int(c) for c in every.tolist())
        return self._counts

    def counts_displs(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Block sizes along ``split`` and their global offsets."""
        counts = self.counts
        return counts, layout.offsets(counts)

    @property
    def lshape_map(self) -> torch.Tensor:
        """Every rank's local shape, as an int64 tensor of shape (ranks, ndim)."""
        shape_map = torch.tensor([self._gshape] * self._comm.size, dtype=torch.int64).reshape(
            self._comm.size, self.ndim
        )
        if self._split is not None:
            shape_map[:, self._split] = torch.tensor(self.counts, dtype=torch.int64)
        return shape_map

    def create_lshape_map(self, force_check: bool = False) -> torch.Tensor:
        """:attr:`lshape_map`, re-learnt from the ranks when ``force_check``."""
        if force_check and self._split is not None:
            self._counts = None
        return self.lshape_map

    @property
    def balanced(self) -> bool:
        """Whether block sizes differ by at most one, larger blocks first (the canonical layout)."""
        return self.is_balanced()

    def is_balanced(self, force_check: bool = False) -> bool:
        if self._split is None:
            return True
        if force_check:
            self._counts = None
        return self.counts == layout.balanced_counts(self._gshape[self._split], self._comm.size)

    def is_distributed(self) -> bool:
        """Whether the data is actually spread over more than one rank."""
        return self._split is not None and self._comm.size > 1

    def __array_namespace__(self, *, api_version: str | None = None) -> ModuleType:
        import heat

        return heat

    def __len__(self) -> int:
        if not self._gshape:
            raise TypeError("len() of a 0-d DNDarray")
        return self._gshape[0]

    # ------------------------------------------------------------------ conversions
    def numpy(self) -> np.ndarray:
        """The whole array as a NumPy array on every rank (gathers a split array: O(global)
        memory per rank). bfloat16 becomes float32, NumPy having no bfloat16. The result never
        shares memory with the array, whatever the number of processes."""
        data = self._replicated_tensor()
        if data.dtype == torch.bfloat16:
            data = data.float()
        elif data is self._larray and data.device.type == "cpu":
            data = data.clone()
        return data.detach().cpu().numpy()

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        if copy is False:
            if self.is_distributed() or self._larray.device.type != "cpu" or self._dtype.numpy is None:
                raise ValueError(
                    "a NumPy view of this array is impossible (it is split over several ranks, on a GPU "
                    "or bfloat16); use numpy() or np.asarray(x) without copy=False"
                )
            arr = self._larray.detach().numpy()
        else:
            arr = self.numpy()
        return arr if dtype is None else arr.astype(dtype, copy=False)

    def tolist(self) -> Any:
        """The whole array as nested Python lists on every rank."""
        data = self._replicated_tensor()
        return data.detach().cpu().tolist()

    def _replicated_tensor(self) -> torch.Tensor:
        if self._split is None or self._comm.size == 1:
            return self._larray
        return self._comm.unchecked.allgather(self._larray, axis=self._split, counts=list(self.counts))

    def item(self) -> Any:
        """The single element as a Python scalar, on every rank (one broadcast from its owner)."""
        if self.size != 1:
            raise ValueError(
                "item(): only a size-1 array can be converted to a Python scalar; "
                f"this one has shape {self._gshape}"
            )
        if self._split is None or self._comm.size == 1:
            return self._larray.reshape(()).item()
        owner = self.counts.index(1)
        value = (
            self._larray.reshape(1) if self._comm.rank == owner else torch.empty(1, dtype=self._larray.dtype)
        )
        return self._comm.unchecked.bcast(value.to("cpu"), root=owner).item()

    def __bool__(self) -> bool:
        return bool(self._scalar("bool"))

    def __int__(self) -> int:
        return int(self._scalar("int"))

    def __float__(self) -> float:
        return float(self._scalar("float"))

    def __complex__(self) -> complex:
        return complex(self._scalar("complex"))

    def __index__(self) -> int:
        if not types.is_integer(self._dtype) and not types.is_bool(self._dtype):
            raise TypeError(f"only integer arrays can be used as an index, this one is {self._dtype}")
        return int(self._scalar("index"))

    def _scalar(self, what: str) -> Any:
        if self.size != 1:
            raise ValueError(
                f"{what}() of an array with {self.size} elements (shape {self._gshape}) is ambiguous; "
                "use .any() or .all() for truth values, or index one element"
            )
        return self.item()

    def astype(self, dtype: Any, copy: bool = True) -> DNDarray:
        """This array cast to ``dtype`` (local, no communication).

        Examples
        --------
        >>> ht.arange(3).astype(ht.float32).dtype
        heat.float32
        """
        target = types.canonical(dtype)
        if target is self._dtype and not copy:
            return self
        return self._like(self._larray.to(target.torch, copy=True), dtype=target)

    def copy(self) -> DNDarray:
        """A copy with its own memory (same layout)."""
        return self._like(self._larray.clone())

    __copy__ = copy

    def __deepcopy__(self, memo: dict[int, Any]) -> DNDarray:
        return self.copy()

    def _like(self, tensor: torch.Tensor, dtype: DType | None = None) -> DNDarray:
        """A new array with this one's shape and layout around ``tensor``."""
        return DNDarray(
            tensor,
            self._gshape,
            dtype if dtype is not None else types.from_torch(tensor.dtype),
            self._split,
            self._device,
            self._comm,
            counts=self._counts,
        )

    # ------------------------------------------------------------------ devices
    def to_device(self, device: Device | str) -> DNDarray:
        """This array on ``device`` (a copy unless already there)."""
        target = devices.sanitize_device(device)
        if target == self._device:
            return self
        result = self._like(self._larray.to(target.torch_device))
        result._device = target
        return result

    def cpu(self) -> DNDarray:
        return self.to_device(devices.cpu)

    def gpu(self) -> DNDarray:
        return self.to_device(devices.gpu)

    def __dlpack__(self, *args: Any, **kwargs: Any) -> Any:
        if self.is_distributed():
            raise BufferError(
                "__dlpack__: this array is split over several ranks; DLPack exchanges one "
                "process's memory only. Use .larray for the local block or resplit(None) first"
            )
        return self._larray.__dlpack__(*args, **kwargs)

    def __dlpack_device__(self) -> tuple[int, int]:
        return self._larray.__dlpack_device__()

    # ------------------------------------------------------------------ layout changes
    def resplit_(self, axis: int | None = None) -> DNDarray:
        """Change the split axis in place (see :func:`heat.resplit`)."""
        from .redistribution import resplit

        moved = resplit(self, axis)
        self._adopt(moved)
        return self

    def resplit(self, axis: int | None = None) -> DNDarray:
        from .redistribution import resplit

        return resplit(self, axis)

    def redistribute_(self, lshape_map: Any = None, target_map: Any = None) -> DNDarray:
        """Move data along ``split`` so that rank r holds ``target_map[r]`` (block sizes, or a
        (ranks, ndim) shape map); balanced when ``target_map`` is None."""
        from .redistribution import redistribute

        self._adopt(redistribute(self, target_map))
        return self

    def redistribute(self, target_map: Any = None) -> DNDarray:
        from .redistribution import redistribute

        return redistribute(self, target_map)

    def balance_(self) -> DNDarray:
        """Balance the layout in place (one all-to-all-v; nothing moves when already balanced)."""
        return self.redistribute_()

    def balance(self) -> DNDarray:
        from .redistribution import balance

        return balance(self)

    def _adopt(self, other: DNDarray) -> None:
        self._larray, self._split, self._counts = other._larray, other._split, other._counts
        self.halo_prev = self.halo_next = None  # fetched for the old blocks

    def get_halo(self, halo_size: int) -> None:
        """Fetch ``halo_size`` neighbouring slices along ``split`` from the adjacent blocks into
        :attr:`halo_prev` / :attr:`halo_next` (see :func:`heat.get_halo`)."""
        from .redistribution import get_halo

        self.halo_prev, self.halo_next = get_halo(self, halo_size)

    @property
    def array_with_halos(self) -> torch.Tensor:
        """The local block with the fetched halos attached along ``split``."""
        if self._split is None:
            return self._larray
        parts = [t for t in (self.halo_prev, self._larray, self.halo_next) if t is not None]
        return torch.cat(parts, dim=self._split) if len(parts) > 1 else self._larray

    if TYPE_CHECKING:  # installed by heat.core.indexing (setattr), declared for type checkers

        def __getitem__(self, key: Any) -> DNDarray: ...

        def __setitem__(self, key: Any, value: Any) -> None: ...

    # ------------------------------------------------------------------ simple views
    @property
    def T(self) -> DNDarray:  # noqa: N802 - NumPy's name
        """The array with its axes reversed (local, no communication)."""
        return self.transpose()

    @property
    def mT(self) -> DNDarray:  # noqa: N802 - the array API's name
        """The last two axes swapped."""
        if self.ndim < 2:
            raise ValueError(f"mT needs at least 2 dimensions, this array has {self.ndim}")
        axes = list(range(self.ndim))
        axes[-2], axes[-1] = axes[-1], axes[-2]
        return self.transpose(axes)

    def transpose(self, axes: Sequence[int] | None = None) -> DNDarray:
        """Permute the axes (reverse them by default); local, the split axis moves along."""
        ndim = self.ndim
        if axes is None:
            perm = list(range(ndim))[::-1]
        else:
            perm = [int(a) for a in axes]
            if (
                len(perm) != ndim
                or any(not -ndim <= a < ndim for a in perm)
                or sorted(a % ndim for a in perm) != list(range(ndim))
            ):
                raise ValueError(f"transpose: axes {list(axes)} are not a permutation of the {ndim} axes")
            perm = [a % ndim for a in perm]
        split = None if self._split is None else perm.index(self._split)
        return DNDarray(
            self._larray.permute(perm),
            tuple(self._gshape[a] for a in perm),
            self._dtype,
            split,
            self._device,
            self._comm,
            counts=self._counts,
        )

    @property
    def real(self) -> DNDarray:
        if not types.is_complex(self._dtype):
            return self
        return self._like(torch.real(self._larray))

    @property
    def imag(self) -> DNDarray:
        if not types.is_complex(self._dtype):
            return self._like(torch.zeros_like(self._larray))
        return self._like(torch.imag(self._larray))

    def __iter__(self) -> Iterator[DNDarray]:
        if not self._gshape:
            raise TypeError("iteration over a 0-d DNDarray")
        for i in range(self._gshape[0]):
            yield self._row(i)

    def _row(self, i: int) -> DNDarray:
        """``x[i]`` along axis 0 (a broadcast from the owner when axis 0 is split)."""
        rest = self._gshape[1:]
        if self._split is None:
            return DNDarray(self._larray[i], rest, self._dtype, None, self._device, self._comm)
        if self._split > 0:
            return DNDarray(
                self._larray[i],
                rest,
                self._dtype,
                self._split - 1,
                self._device,
                self._comm,
                counts=self._counts,
            )
        counts, offs = self.counts_displs()
        owner = next(r for r in range(len(counts)) if offs[r] <= i < offs[r] + counts[r])
        if self._comm.rank == owner:
            row = self._larray[i - offs[owner]].contiguous().cpu()
        else:
            row = torch.empty(rest, dtype=self._larray.dtype)
        row = self._comm.unchecked.bcast(row, root=owner).to(self._larray.device)
        return DNDarray(row, rest, self._dtype, None, self._device, self._comm)

    def save(self, path: str, *args: Any, **kwargs: Any) -> None:
        """Save to ``path`` with :func:`heat.save` (format from the extension; needs heat-io).

        Examples
        --------
        >>> import heat as ht
        >>> ht.arange(6, split=0).save("x.h5", "data")  # doctest: +SKIP
        """
        import heat

        facade: Any = heat  # heat.io is resolved lazily (an optional distribution)
        facade.save(self, path, *args, **kwargs)

    # ------------------------------------------------------------------ printing
    def __repr__(self) -> str:
        from .printing import array_repr

        return array_repr(self)

    def __str__(self) -> str:
        from .printing import array_str

        return array_str(self)
