"""``Generator``: a stream of random numbers that gives the same global array for any number
of processes and any split.

A generator's state is a 64-bit seed (the Threefry key) and a stream position (a count of
128-bit cipher blocks). A draw of ``n`` values takes the blocks from the current position
on (element ``i`` uses block ``position + i // lanes``, see :mod:`heat.random.streams`) and
advances the position by the blocks it used; the advance depends only on global metadata,
so every rank keeps the same state. ``default_rng(seed)`` makes an independent generator;
the module-level functions of :mod:`heat.random` share one global generator.

Examples
--------
>>> import heat as ht
>>> rng = ht.random.default_rng(42)
>>> x = rng.random((4, 3), split=1)  # the same 12 numbers on 1, 2 or 3 processes
>>> x.shape
(4, 3)
"""

from __future__ import annotations

import math
import operator
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from heat.core import layout, types
from heat.core.communication import Communicator, sanitize_comm
from heat.core.devices import Device, sanitize_device
from heat.core.dndarray import DNDarray
from heat.core.factories import array, sanitize_shape, zeros
from heat.core.redistribution import to_layout
from heat.core.types import DType

from . import distributions, permutations, routing, streams
from .streams import Transform
from .threefry import MASK32

__all__ = ["Generator", "default_rng"]

_ALGORITHM = "Threefry"
_VALUES, _PERMUTATIONS = 0, 1  # key word 2: separates the value stream from permutation keys
_FLOATS = ("float16", "bfloat16", "float32", "float64")


def _check_seed(name: str, seed: Any) -> int:
    if isinstance(seed, bool | np.bool_):
        raise TypeError(f"{name}: seed must be an int in [0, 2**64), got a bool")
    try:
        value = operator.index(seed)
    except TypeError:
        raise TypeError(
            f"{name}: seed must be an int in [0, 2**64) or None, got {type(seed).__name__}"
        ) from None
    if not 0 <= value < 1 << 64:
        raise ValueError(f"{name}: seed {value} is out of range; use an int in [0, 2**64)")
    return value


def _entropy(comm: Communicator) -> int:
    """A fresh 64-bit seed from rank 0's entropy, the same on every rank (collective)."""
    mine = int.from_bytes(os.urandom(8), "little") if comm.rank == 0 else None
    return int(comm.bcast_object(mine, root=0))


def _size(name: str, size: Any) -> tuple[int, ...]:
    return () if size is None else sanitize_shape(size, f"{name}: size")


def _dims(name: str, d: Sequence[Any]) -> tuple[int, ...]:
    """``rand(2, 3)`` and ``rand((2, 3))`` alike."""
    if len(d) == 1 and isinstance(d[0], Sequence | np.ndarray | torch.Size):
        return sanitize_shape(d[0], f"{name}: shape")
    return sanitize_shape(tuple(d), f"{name}: shape")


def _float_dtype(name: str, dtype: Any) -> DType:
    dt = types.default_float() if dtype is None else types.canonical(dtype)
    if dt.name not in _FLOATS:
        raise TypeError(f"{name}: dtype {dt.name} is not supported; use one of {', '.join(_FLOATS)}")
    return dt


def _int(name: str, what: str, value: Any) -> int:
    if isinstance(value, DNDarray | np.ndarray) and getattr(value, "ndim", 0) > 0:
        raise TypeError(f"{name}: {what} must be an integer scalar, got an array")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{name}: {what} must be an integer, got {value!r}") from None


def _limbs(words: torch.Tensor) -> torch.Tensor:
    """The four 32-bit words of each block as non-negative int64 limbs, shape (B, 4)."""
    return (words.to(torch.int64) & MASK32).T


def _is_scalar(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return False
    if isinstance(value, DNDarray | np.ndarray | torch.Tensor):
        return value.ndim == 0
    return True


def _parameters(
    name: str, values: Sequence[Any], size: Any, device: Any, comm: Any, integral: bool = False
) -> tuple[list[Any], tuple[int, ...]]:
    """Array-valued distribution parameters as DNDarrays (float64, or int64 when ``integral``;
    typed Any: their operators are installed at import time), and the shape of the draw:
    ``size``, which they must broadcast to, or else their broadcast shape (NumPy's rule)."""
    arrays = []
    for value in values:
        if not isinstance(value, DNDarray):
            data = np.asarray(value)
            if integral and data.dtype.kind not in "iub":
                raise TypeError(f"{name}: the bounds must be integers, got an array of {data.dtype}")
            arrays.append(array(data.astype(np.int64 if integral else np.float64), device=device, comm=comm))
        elif integral:
            if not (types.is_integer(value.dtype) or types.is_bool(value.dtype)):
                raise TypeError(f"{name}: the bounds must be integers, got an array of {value.dtype.name}")
            arrays.append(value.astype(types.int64))
        else:
            arrays.append(value)
    try:
        shape = tuple(np.broadcast_shapes(*(a.shape for a in arrays)))
    except ValueError:
        shapes = ", ".join(str(a.shape) for a in arrays)
        raise ValueError(f"{name}: the parameters' shapes {shapes} do not broadcast together") from None
    if size is None:
        return arrays, shape
    target = _size(name, size)
    if not _broadcasts(target, shape) or tuple(np.broadcast_shapes(target, shape)) != target:
        raise ValueError(
            f"{name}: parameters of shape {shape} do not broadcast to size {target}; "
            "pass a size they broadcast to, or size=None"
        )
    return arrays, target


def _broadcasts(target: tuple[int, ...], shape: tuple[int, ...]) -> bool:
    try:
        np.broadcast_shapes(target, shape)
    except ValueError:
        return False
    return True


def _nonnegative(name: str, what: str, value: Any) -> None:
    """ValueError on every rank unless every element of ``value`` is >= 0 (NaN fails)."""
    if not bool((value >= 0).all()):
        raise ValueError(f"{name}: every element of {what} must be >= 0")


def _shaped(x: DNDarray, result: DNDarray) -> DNDarray:
    """``result`` (computed from the draw ``x`` and parameter arrays) in ``x``'s dtype and split."""
    result = result.astype(x.dtype, copy=False)
    return result if result.split == x.split else result.resplit(x.split)


class Generator:
    """An independent stream of random numbers (Threefry-4x32-20, counter based).

    Parameters
    ----------
    seed : int, optional
        In [0, 2**64). None draws one from rank 0's entropy and broadcasts it (collective).
    comm : Communicator, optional
        The ranks that share the generator when ``seed`` is None (default: the default
        communicator).

    Examples
    --------
    >>> import heat as ht
    >>> a = ht.random.Generator(7).integers(0, 10, size=5)
    >>> b = ht.random.Generator(7).integers(0, 10, size=5, split=0)
    >>> bool((a == b).all())
    True
    """

    def __init__(self, seed: Any = None, comm: Any = None, *, _lazy: bool = False) -> None:
        self._seed: int | None = None
        self._position = 0
        if seed is not None:
            self._seed = _check_seed("Generator", seed)
        elif not _lazy:
            self._seed = _entropy(sanitize_comm(comm))

    def __repr__(self) -> str:
        return f"Generator(Threefry, seed={self._seed}, position={self._position})"

    # ------------------------------------------------------------------ state
    def seed(self, seed: Any = None, comm: Any = None) -> None:
        """Restart the stream from ``seed`` (None: fresh entropy from rank 0, collective)."""
        self._seed = _entropy(sanitize_comm(comm)) if seed is None else _check_seed("seed", seed)
        self._position = 0

    def get_state(self) -> tuple[str, int, int, int, float]:
        """``("Threefry", seed, position, 0, 0.0)``: the seed and the stream position in
        128-bit blocks (the last two entries keep NumPy's five-tuple shape).

        Examples
        --------
        >>> ht.random.default_rng(3).get_state()
        ('Threefry', 3, 0, 0, 0.0)
        """
        return (_ALGORITHM, self._ensure_seeded(None), self._position, 0, 0.0)

    def set_state(self, state: Sequence[Any]) -> None:
        """Restore a state returned by :meth:`get_state` (a 3- or 5-tuple)."""
        if not isinstance(state, Sequence) or len(state) not in (3, 5) or state[0] != _ALGORITHM:
            raise ValueError(
                f"set_state: expected ('{_ALGORITHM}', seed, position[, 0, 0.0]) as returned by "
                f"get_state(), got {state!r}"
            )
        seed = _check_seed("set_state", state[1])
        position = _int("set_state", "position", state[2])
        if not 0 <= position < 1 << 62:
            raise ValueError(f"set_state: position {position} is out of range; use an int in [0, 2**62)")
        self._seed, self._position = seed, position

    def _ensure_seeded(self, comm: Communicator | None) -> int:
        if self._seed is None:  # the global generator before any seed(): collective once
            self._seed = _entropy(sanitize_comm(comm))
        return self._seed

    def _key(self, domain: int) -> tuple[int, int, int, int]:
        seed = self._ensure_seeded(None)
        return (seed & 0xFFFFFFFF, seed >> 32, domain, 0)

    def _take(self, blocks: int) -> int:
        """The current stream position; advances it by ``blocks``."""
        start = self._position
        self._position += blocks
        return start

    # ------------------------------------------------------------------ the one draw rule
    def _draw(
        self,
        shape: tuple[int, ...],
        split: Any,
        device: Any,
        comm: Any,
        lanes: int,
        transform: Transform,
        dtype: DType,
    ) -> DNDarray:
        axis = layout.normalize_split(split, len(shape))
        dev = sanitize_device(device)
        com = sanitize_comm(comm)
        self._ensure_seeded(com)
        counts = None if axis is None else layout.balanced_counts(shape[axis], com.size)
        position = self._take(streams.blocks_for(math.prod(shape), lanes))
        local = streams.local_values(
            self._key(_VALUES), position, shape, axis, counts, com.rank, lanes, transform, dtype.torch,
            dev.torch_device,
        )  # fmt: skip
        return DNDarray(local, shape, dtype, axis, dev, com, counts=counts)

    # ------------------------------------------------------------------ floats
    def random(
        self, size: Any = None, dtype: Any = None, split: Any = None, device: Any = None, comm: Any = None
    ) -> DNDarray:
        """Uniform floats in [0, 1) (float64 by default; full significand: 53 bits for
        float64, 24 for float32).

        Examples
        --------
        >>> ht.random.default_rng(0).random((2, 2), split=0).shape
        (2, 2)
        """
        dt = _float_dtype("random", dtype)
        lanes, transform = distributions.uniform(dt.torch)
        return self._draw(_size("random", size), split, device, comm, lanes, transform, dt)

    random_sample = sample = ranf = random

    def rand(
        self, *d: Any, dtype: Any = None, split: Any = None, device: Any = None, comm: Any = None
    ) -> DNDarray:
        """Uniform floats in [0, 1) of shape ``d`` (``rand(2, 3)`` or ``rand((2, 3))``).

        Examples
        --------
        >>> ht.random.default_rng(0).rand(3, 2, split=1).shape
        (3, 2)
        """
        dt = _float_dtype("rand", dtype)
        lanes, transform = distributions.uniform(dt.torch)
        return self._draw(_dims("rand", d), split, device, comm, lanes, transform, dt)

    def standard_normal(
        self, size: Any = None, dtype: Any = None, split: Any = None, device: Any = None, comm: Any = None
    ) -> DNDarray:
        """Standard normal floats (Box-Muller).

        Examples
        --------
        >>> ht.random.default_rng(0).standard_normal(4).dtype
        heat.float64
        """
        dt = _float_dtype("standard_normal", dtype)
        lanes, transform = distributions.normal(dt.torch)
        return self._draw(_size("standard_normal", size), split, device, comm, lanes, transform, dt)

    def randn(
        self, *d: Any, dtype: Any = None, split: Any = None, device: Any = None, comm: Any = None
    ) -> DNDarray:
        """Standard normal floats of shape ``d``.

        Examples
        --------
        >>> ht.random.default_rng(0).randn(2, 5, split=0).shape
        (2, 5)
        """
        dt = _float_dtype("randn", dtype)
        lanes, transform = distributions.normal(dt.torch)
        return self._draw(_dims("randn", d), split, device, comm, lanes, transform, dt)

    def normal(
        self,
        loc: float = 0.0,
        scale: float = 1.0,
        size: Any = None,
        dtype: Any = None,
        split: Any = None,
        device: Any = None,
        comm: Any = None,
    ) -> DNDarray:
        """Normal floats with mean ``loc`` and standard deviation ``scale`` (>= 0). Either may
        be an array: the draw has shape ``size`` (which they must broadcast to) or else their
        broadcast shape, as in NumPy.

        Examples
        --------
        >>> ht.random.default_rng(0).normal(10.0, 2.0, size=3).shape
        (3,)
        """
        if not (_is_scalar(loc) and _is_scalar(scale)):
            (loc_a, scale_a), shape = _parameters("normal", (loc, scale), size, device, comm)
            _nonnegative("normal", "scale", scale_a)
            x = self.standard_normal(shape, dtype, split, device, comm)
            return _shaped(x, x * scale_a + loc_a)
        loc, scale = float(loc), float(scale)
        if not scale >= 0:
            raise ValueError(f"normal: scale must be >= 0, got {scale}")
        x = self.standard_normal(size, dtype, split, device, comm)
        x.larray.mul_(scale).add_(loc)
        return x

    def uniform(
        self,
        low: float = 0.0,
        high: float = 1.0,
        size: Any = None,
        dtype: Any = None,
        split: Any = None,
        device: Any = None,
        comm: Any = None,
    ) -> DNDarray:
        """Uniform floats in [low, high) (``low + (high - low) * u``; rounding may reach high,
        as in NumPy). ``low`` and ``high`` may be arrays (broadcast as in ``normal``).

        Examples
        --------
        >>> x = ht.random.default_rng(0).uniform(-1.0, 1.0, size=100)
        >>> bool((x >= -1).all() and (x <= 1).all())
        True
        """
        if not (_is_scalar(low) and _is_scalar(high)):
            (low_a, high_a), shape = _parameters("uniform", (low, high), size, device, comm)
            x = self.random(shape, dtype, split, device, comm)
            return _shaped(x, x * (high_a - low_a) + low_a)
        low, high = float(low), float(high)
        if not math.isfinite(high - low):
            raise OverflowError(f"uniform: the range high - low = {high} - {low} is not finite")
        x = self.random(size, dtype, split, device, comm)
        x.larray.mul_(high - low).add_(low)
        return x

    def exponential(
        self,
        scale: float = 1.0,
        size: Any = None,
        dtype: Any = None,
        split: Any = None,
        device: Any = None,
        comm: Any = None,
    ) -> DNDarray:
        """Exponential floats with mean ``scale`` (>= 0): ``-scale * log(1 - u)``. ``scale``
        may be an array (broadcast as in ``normal``).

        Examples
        --------
        >>> bool((ht.random.default_rng(0).exponential(2.0, size=10) >= 0).all())
        True
        """
        if not _is_scalar(scale):
            (scale_a,), shape = _parameters("exponential", (scale,), size, device, comm)
            _nonnegative("exponential", "scale", scale_a)
            x = self.exponential(1.0, shape, dtype, split, device, comm)
            return _shaped(x, x * scale_a)
        scale = float(scale)
        if not scale >= 0:
            raise ValueError(f"exponential: scale must be >= 0, got {scale}")
        dt = _float_dtype("exponential", dtype)
        lanes, transform = distributions.exponential(dt.torch)
        x = self._draw(_size("exponential", size), split, device, comm, lanes, transform, dt)
        x.larray.mul_(scale)
        return x

    # ------------------------------------------------------------------ integers
    def integers(
        self,
        low: Any,
        high: Any = None,
        size: Any = None,
        dtype: Any = None,
        endpoint: bool = False,
        split: Any = None,
        device: Any = None,
        comm: Any = None,
    ) -> DNDarray:
        """Integers uniform in [low, high) (``[low, high]`` with ``endpoint=True``; one
        argument: [0, low)), for every integer dtype and ranges up to 2**64, without modulo
        bias (see :mod:`heat.random.distributions`).

        Examples
        --------
        >>> x = ht.random.default_rng(0).integers(5, 10, size=6, dtype=ht.int8)
        >>> bool(((x >= 5) & (x < 10)).all()), x.dtype
        (True, heat.int8)
        """
        return self._integers("integers", low, high, size, dtype, endpoint, split, device, comm)

    def randint(
        self,
        low: Any,
        high: Any = None,
        size: Any = None,
        dtype: Any = None,
        split: Any = None,
        device: Any = None,
        comm: Any = None,
    ) -> DNDarray:
        """Integers uniform in [low, high) (one argument: [0, low)); int64 by default.

        Examples
        --------
        >>> ht.random.default_rng(0).randint(3, size=(2, 2), split=1).dtype
        heat.int64
        """
        return self._integers("randint", low, high, size, dtype, False, split, device, comm)

    def _integers(
        self,
        name: str,
        low: Any,
        high: Any,
        size: Any,
        dtype: Any,
        endpoint: bool,
        split: Any,
        device: Any,
        comm: Any,
    ) -> DNDarray:
        if high is None:
            low, high = 0, low
        dt = types.default_int() if dtype is None else types.canonical(dtype)
        if not (types.is_integer(dt) or types.is_bool(dt)):
            raise TypeError(f"{name}: dtype {dt.name} is not an integer type; use e.g. int64 or int32")
        info = (0, 1) if types.is_bool(dt) else (types.iinfo(dt).min, types.iinfo(dt).max)
        if not (_is_scalar(low) and _is_scalar(high)):
            return self._integers_from_arrays(name, low, high, size, dt, info, endpoint, split, device, comm)
        lo, hi = _int(name, "low", low), _int(name, "high", high) + (1 if endpoint else 0)
        if lo >= hi:
            shown = f"[{lo}, {hi - 1}]" if endpoint else f"[{lo}, {hi})"
            raise ValueError(f"{name}: low >= high: the range {shown} is empty; pass low < high")
        if lo < info[0] or hi - 1 > info[1]:
            raise ValueError(
                f"{name}: the range [{lo}, {hi}) is out of bounds for {dt.name} "
                f"(values {info[0]}..{info[1]}); pass a wider dtype"
            )
        lanes, transform = distributions.integers(lo, hi - lo, dt.torch)
        return self._draw(_size(name, size), split, device, comm, lanes, transform, dt)

    def _integers_from_arrays(
        self,
        name: str,
        low: Any,
        high: Any,
        size: Any,
        dt: DType,
        info: tuple[int, int],
        endpoint: bool,
        split: Any,
        device: Any,
        comm: Any,
    ) -> DNDarray:
        """``integers`` with array-valued bounds: element i is ``low_i + floor(X_i * span_i /
        2**128)``, X_i the 128-bit cipher block of stream element i, exactly as for scalar
        bounds (so constant arrays give the scalar draw). The bounds are broadcast to the
        draw's layout by an elementwise operation (no gather); ranges must be narrower than
        2**63."""
        (low_a, high_a), shape = _parameters(name, (low, high), size, device, comm, integral=True)
        axis = layout.normalize_split(split, len(shape))
        dev = sanitize_device(device)
        com = sanitize_comm(comm)
        counts = None if axis is None else layout.balanced_counts(shape[axis], com.size)

        def aligned(a: Any) -> torch.Tensor:
            full = zeros(shape, dtype=types.int64, split=axis, device=dev, comm=com) + a
            return to_layout(full, axis, counts).larray

        lo, hi = aligned(low_a), aligned(high_a) + (1 if endpoint else 0)
        flags = torch.tensor(
            [
                bool((lo >= hi).any()),
                bool((lo < info[0]).any() or (hi - 1 > info[1]).any()),
                bool((hi.double() - lo.double() >= 2.0**63).any()),
            ],
            dtype=torch.int32,
        )
        if axis is not None and com.size > 1:
            flags = com.unchecked.allreduce(flags, "max")
        if flags[0]:
            raise ValueError(f"{name}: low >= high for some elements: every range must be non-empty")
        if flags[1]:
            raise ValueError(
                f"{name}: some bounds are out of bounds for {dt.name} (values {info[0]}..{info[1]}); "
                "pass a wider dtype"
            )
        if flags[2]:
            raise ValueError(f"{name}: array-valued ranges must be narrower than 2**63; use scalar bounds")
        self._ensure_seeded(com)
        position = self._take(math.prod(shape))  # one block per element, as for scalar bounds
        ids = streams.local_indices(shape, axis, counts, com.rank, dev.torch_device) + position
        limbs = streams.cipher_blocks(self._key(_VALUES), ids, _limbs, 4, torch.int64, dev.torch_device)
        span = (hi - lo).reshape(-1)
        top = distributions._mulhi128([limbs[:, i] for i in range(4)], span & MASK32, span >> 32)
        local = (top + lo.reshape(-1)).to(dt.torch).reshape(layout.local_shape(shape, axis, counts, com.rank))
        return DNDarray(local, shape, dt, axis, dev, com, counts=counts)

    # ------------------------------------------------------------------ permutations
    def randperm(
        self, n: Any, dtype: Any = None, split: Any = None, device: Any = None, comm: Any = None
    ) -> DNDarray:
        """A random permutation of [0, n); each rank computes only its block (O(local) memory
        for n > ``permutations.SMALL``), the same for any number of processes.

        Examples
        --------
        >>> p = ht.random.default_rng(0).randperm(6, split=0)
        >>> sorted(p.numpy().tolist())
        [0, 1, 2, 3, 4, 5]
        """
        n = _int("randperm", "n", n)
        if n < 0:
            raise ValueError(f"randperm: n must be >= 0, got {n}")
        dt = types.int64 if dtype is None else types.canonical(dtype)
        if not types.is_integer(dt) or (n > 0 and n - 1 > types.iinfo(dt).max):
            raise TypeError(f"randperm: dtype {dt.name} cannot hold the values 0..{n - 1}; use int64")
        axis = layout.normalize_split(split, 1)
        dev = sanitize_device(device)
        com = sanitize_comm(comm)
        self._ensure_seeded(com)
        counts = None if axis is None else layout.balanced_counts(n, com.size)
        position = self._take(1)
        index = streams.local_indices((n,), axis, counts, com.rank, dev.torch_device)
        local = permutations.forward(self._key(_PERMUTATIONS), position, n, index).to(dt.torch)
        return DNDarray(local, (n,), dt, axis, dev, com, counts=counts)

    def permutation(self, x: Any, split: Any = None, device: Any = None, comm: Any = None) -> DNDarray:
        """A permuted copy of ``x`` along axis 0, or (``x`` an int) a permutation of
        [0, x). Rows of a split array move to their new owners with one all-to-all-v (plus one
        for their positions); nothing is gathered.

        Examples
        --------
        >>> x = ht.arange(10, split=0)
        >>> sorted(ht.random.default_rng(1).permutation(x).numpy().tolist()) == list(range(10))
        True
        """
        if not isinstance(x, DNDarray):
            if isinstance(x, int | np.integer) and not isinstance(x, bool):
                return self.randperm(x, split=split, device=device, comm=comm)
            x = array(x, device=device, comm=comm)
        return DNDarray(self._permuted(x, "permutation"), x.gshape, x.dtype, x.split, x.device, x.comm,
                        counts=None if x.split is None else x.counts)  # fmt: skip

    def shuffle(self, x: DNDarray) -> None:
        """Permute ``x`` along axis 0 in place (its layout is unchanged).

        Examples
        --------
        >>> x = ht.arange(5, split=0)
        >>> ht.random.default_rng(0).shuffle(x)
        >>> sorted(x.numpy().tolist())
        [0, 1, 2, 3, 4]
        """
        if not isinstance(x, DNDarray):
            raise TypeError(f"shuffle: x must be a DNDarray (shuffled in place), got {type(x).__name__}")
        moved = self._permuted(x, "shuffle")
        x.larray.copy_(moved)

    def _permuted(self, x: DNDarray, name: str) -> torch.Tensor:
        """This rank's block of ``x`` permuted along axis 0."""
        if x.ndim == 0:
            raise ValueError(f"{name}: x must be at least 1-dimensional, got a 0-d array")
        self._ensure_seeded(x.comm)
        n = x.gshape[0]
        key, position = self._key(_PERMUTATIONS), self._take(1)
        device = x.larray.device
        if x.split != 0 or x.comm.size == 1:  # axis 0 is whole on every rank
            order = permutations.forward(key, position, n, torch.arange(n, dtype=torch.int64, device=device))
            return x.larray[order]
        counts, displs = x.counts_displs()
        rows = torch.arange(displs[x.comm.rank], displs[x.comm.rank] + counts[x.comm.rank], device=device)
        target = permutations.inverse(key, position, n, rows)  # out[target] = x[rows]
        dest = routing.owners(target, displs)
        arrived = routing.route(x.larray, dest, x.comm)
        where = routing.route(target, dest, x.comm) - displs[x.comm.rank]
        out = torch.empty_like(x.larray)
        out[where] = arrived
        return out

    # ------------------------------------------------------------------ choice
    def choice(
        self,
        a: Any,
        size: Any = None,
        replace: bool = True,
        p: Any = None,
        split: Any = None,
        device: Any = None,
        comm: Any = None,
    ) -> DNDarray:
        """A random sample from ``a`` (a 1-d array, or ``range(a)`` for an int).

        Without replacement the sample is the first entries of a random permutation; with
        probabilities ``p`` an inverse CDF on the distributed cumulative sum of ``p`` in
        53-bit fixed point (exact, so the result is the same for any number of processes;
        an entry with probability below 2**-53 is never drawn); with ``p`` and without
        replacement the ``size`` largest keys ``log(u) / p`` (Efraimidis-Spirakis; the sample,
        at most ``size`` candidates per rank, is replicated before it is cut to ``split``).
        Values of a split ``a`` are fetched from their owners (all-to-all-v), never gathered.

        Examples
        --------
        >>> rng = ht.random.default_rng(0)
        >>> rng.choice(5, size=3, replace=False).shape
        (3,)
        >>> int(rng.choice(ht.array([7, 8]), size=4, p=[0.0, 1.0]).min())
        8
        """
        population: DNDarray | None = None
        if isinstance(a, DNDarray):
            population = a
        elif isinstance(a, int | np.integer) and not isinstance(a, bool):
            n = int(a)
        else:
            population = array(a, device=device, comm=comm)
        if population is not None:
            if population.ndim != 1:
                raise ValueError(f"choice: a must be 1-dimensional, got shape {population.gshape}")
            n = population.gshape[0]
            comm = population.comm if comm is None else comm
            device = population.device if device is None else device
        shape = _size("choice", size)
        k = math.prod(shape)
        if n <= 0 and k > 0:
            raise ValueError(
                f"choice: a must be a non-empty population when samples are taken, got {n} entries"
            )
        if not replace and k > n:
            raise ValueError(
                f"choice: cannot take a larger sample ({k}) than the population ({n}) when replace=False"
            )
        if p is not None:
            weights, positive = self._probabilities(p, n, device, comm)
            if replace:
                index = self._weighted(weights, shape, split, device, comm)
            elif positive < k:
                raise ValueError(
                    f"choice: p has {positive} non-zero entries, fewer than the {k} samples asked for "
                    "without replacement"
                )
            else:
                index = self._weighted_distinct(weights, shape, split)
        elif replace:
            index = self.integers(0, max(n, 1), size=shape, split=split, device=device, comm=comm)
        else:
            index = self._first_of_permutation(n, shape, split, device, comm)
        if population is None:
            return index
        return DNDarray(self._take_rows(population, index.larray.reshape(-1)).reshape(index.lshape),
                        shape, population.dtype, index.split, index.device, index.comm,
                        counts=None if index.split is None else index.counts)  # fmt: skip

    def _first_of_permutation(
        self, n: int, shape: tuple[int, ...], split: Any, device: Any, comm: Any
    ) -> DNDarray:
        axis = layout.normalize_split(split, len(shape))
        dev: Device = sanitize_device(device)
        com = sanitize_comm(comm)
        self._ensure_seeded(com)
        counts = None if axis is None else layout.balanced_counts(shape[axis], com.size)
        position = self._take(1)
        flat = streams.local_indices(shape, axis, counts, com.rank, dev.torch_device)
        local = permutations.forward(self._key(_PERMUTATIONS), position, n, flat)
        return DNDarray(local.reshape(layout.local_shape(shape, axis, counts, com.rank)), shape, types.int64,
                        axis, dev, com, counts=counts)  # fmt: skip

    @staticmethod
    def _probabilities(p: Any, n: int, device: Any, comm: Any) -> tuple[DNDarray, int]:
        """``p`` as a validated 1-d DNDarray of n probabilities and its number of non-zero
        entries (the checks that read values agree across ranks with one all-reduce)."""
        weights = p if isinstance(p, DNDarray) else array(np.asarray(p, np.float64), device=device, comm=comm)
        if weights.ndim != 1 or weights.gshape[0] != n:
            raise ValueError(
                f"choice: a and p must have the same size; a has {n} entries, p has shape {weights.gshape}"
            )
        local = weights.larray.to(torch.float64)
        stats = torch.stack((local.sum(), (local < 0).sum(), torch.isnan(local).sum(), (local > 0).sum()))
        stats = stats.to(torch.float64).cpu()
        if weights.is_distributed():
            stats = weights.comm.unchecked.allreduce(stats, "sum")
        total, negative, nans, positive = (float(v) for v in stats.tolist())
        if nans:
            raise ValueError("choice: the probabilities p contain NaN")
        if negative:
            raise ValueError("choice: the probabilities p must be non-negative")
        if abs(total - 1.0) > math.sqrt(torch.finfo(torch.float64).eps) * max(1.0, n**0.5):
            raise ValueError(f"choice: the probabilities p sum to {total}, not 1; divide p by its sum")
        return weights, int(positive)

    def _weighted(
        self, weights: DNDarray, shape: tuple[int, ...], split: Any, device: Any, comm: Any
    ) -> DNDarray:
        """Indices drawn with probabilities ``weights``: integer inverse CDF."""
        com = weights.comm
        local = weights.larray.to(torch.float64)
        fixed = torch.floor(local * 2.0**53).to(torch.int64)
        cumulative = torch.cumsum(fixed, 0)
        mine = (
            cumulative[-1:] if cumulative.numel() else torch.zeros(1, dtype=torch.int64, device=local.device)
        )
        if weights.is_distributed():
            sums = com.unchecked.allgather(mine.cpu(), counts=[1] * com.size)
            uppers = torch.cumsum(sums, 0)
        else:
            uppers = mine.cpu()
        span = int(uppers[-1])
        if span == 0:
            raise ValueError("choice: every probability in p is below 2**-53; nothing can be drawn")
        targets = self.integers(0, span, size=shape, split=split, device=device, comm=comm)
        flat = targets.larray.reshape(-1)
        if not weights.is_distributed():
            found = torch.searchsorted(cumulative, flat, right=True)
        else:
            displs = weights.counts_displs()[1]
            below = int(uppers[com.rank]) - int(sums[com.rank])
            here = cumulative + below

            def answer(t: torch.Tensor) -> torch.Tensor:
                return torch.searchsorted(here, t, right=True) + displs[com.rank]

            owner = torch.searchsorted(uppers.to(flat.device), flat, right=True)
            found = routing.pull(flat, owner, answer, com)
        return DNDarray(found.reshape(targets.lshape), shape, types.int64, targets.split, targets.device,
                        targets.comm, counts=None if targets.split is None else targets.counts)  # fmt: skip

    def _weighted_distinct(self, weights: DNDarray, shape: tuple[int, ...], split: Any) -> DNDarray:
        """k distinct indices drawn with probabilities ``weights``, in the order of sequential
        draws without replacement: the k largest keys ``log(u_i) / p_i`` (Efraimidis and
        Spirakis), ties to the smaller index. Each rank offers its k largest keys and every rank
        merges the offers: the sample (k entries per rank) is replicated before it is cut to
        ``split``, so this suits samples much smaller than the population."""
        com, k, n = weights.comm, math.prod(shape), weights.gshape[0]
        self._ensure_seeded(com)
        lanes, transform = distributions.uniform(torch.float64)
        position = self._take(streams.blocks_for(n, lanes))
        counts = None if weights.split is None else weights.counts
        u = streams.local_values(self._key(_VALUES), position, (n,), weights.split, counts, com.rank,
                                 lanes, transform, torch.float64, weights.larray.device)  # fmt: skip
        keys = torch.log(u) / weights.larray.to(torch.float64)
        first = 0 if counts is None else layout.offsets(counts)[com.rank]
        index = torch.arange(first, first + keys.numel(), dtype=torch.int64, device=keys.device)
        keys, index = _largest(keys, index, k)
        if weights.is_distributed():
            offered = [min(k, c) for c in weights.counts]
            keys = com.unchecked.allgather(keys.contiguous(), counts=offered)
            index = com.unchecked.allgather(index.contiguous(), counts=offered)
            keys, index = _largest(keys, index, k)
        axis = layout.normalize_split(split, len(shape))
        dev = sanitize_device(weights.device)
        out_counts = None if axis is None else layout.balanced_counts(shape[axis], com.size)
        mine = streams.local_indices(shape, axis, out_counts, com.rank, index.device)
        local = index[mine].reshape(layout.local_shape(shape, axis, out_counts, com.rank))
        return DNDarray(local, shape, types.int64, axis, dev, com, counts=out_counts)

    @staticmethod
    def _take_rows(population: DNDarray, index: torch.Tensor) -> torch.Tensor:
        """``population[index]`` for global indices; fetched from the owners when split."""
        if not population.is_distributed():
            return population.larray[index]
        displs = population.counts_displs()[1]
        start = displs[population.comm.rank]

        def answer(i: torch.Tensor) -> torch.Tensor:
            return population.larray[i - start]

        return routing.pull(index, routing.owners(index, displs), answer, population.comm)


def _largest(keys: torch.Tensor, index: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The k largest keys in descending order, ties to the smaller index; with their indices."""
    by_index = torch.argsort(index, stable=True)
    keys, index = keys[by_index], index[by_index]
    order = torch.argsort(keys, descending=True, stable=True)[:k]
    return keys[order], index[order]


def default_rng(seed: Any = None, comm: Any = None) -> Generator:
    """A new :class:`Generator` (``seed`` None: fresh entropy from rank 0, collective).

    Examples
    --------
    >>> import heat as ht
    >>> rng = ht.random.default_rng(12345)
    >>> rng.get_state()[:3]
    ('Threefry', 12345, 0)
    """
    if isinstance(seed, Generator):
        return seed
    return Generator(seed, comm)
