"""What makes ``heat`` an array API namespace beyond the NumPy names: the standard's version,
its inspection object, and the functions whose standard signature differs from NumPy's
(``astype``, ``isdtype``, ``cumulative_sum``, ``cumulative_prod``).

Rules: ``astype`` is elementwise (no communication); the cumulative functions are scans (see
:mod:`heat.core.reductions`); the rest is metadata.
"""

from __future__ import annotations

from typing import Any

import torch

from . import devices, types
from .dndarray import DNDarray
from .types import DType

__all__ = [
    "__array_api_version__",
    "__array_namespace_info__",
    "astype",
    "cumulative_prod",
    "cumulative_sum",
    "isdtype",
    "unstack",
]

__array_api_version__ = "2023.12"

_KINDS: dict[str, Any] = {
    "bool": types.is_bool,
    "signed integer": lambda d: types.is_integer(d) and d.torch.is_signed,
    "unsigned integer": lambda d: types.is_integer(d) and not d.torch.is_signed,
    "integral": types.is_integer,
    "real floating": types.is_float,
    "complex floating": types.is_complex,
    "numeric": lambda d: not types.is_bool(d),
}

_STANDARD_DTYPES = (
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "float32",
    "float64",
    "complex64",
    "complex128",
)


def isdtype(dtype: Any, kind: Any) -> bool:
    """Whether ``dtype`` is of ``kind``: a dtype, one of the standard's kind names ('bool',
    'signed integer', 'unsigned integer', 'integral', 'real floating', 'complex floating',
    'numeric') or a tuple of those, as the array API's ``isdtype``.

    Examples
    --------
    >>> ht.isdtype(ht.float32, ("integral", "real floating"))
    True
    """
    d = types.canonical(dtype)
    if isinstance(kind, tuple):
        return any(isdtype(d, k) for k in kind)
    if isinstance(kind, str):
        if kind not in _KINDS:
            raise ValueError(f"isdtype: unknown kind {kind!r}; use a dtype or one of {', '.join(_KINDS)}")
        return bool(_KINDS[kind](d))
    return d is types.canonical(kind)


def astype(x: DNDarray, dtype: Any, /, *, copy: bool = True, device: Any = None) -> DNDarray:
    """``x`` cast to ``dtype`` (and moved to ``device``); local, the layout is kept.

    Examples
    --------
    >>> ht.astype(ht.arange(3, split=0), ht.float32).dtype
    heat.float32
    """
    if not isinstance(x, DNDarray):
        raise TypeError(f"astype: expected a DNDarray, got {type(x).__name__}; use ht.asarray(x, dtype=...)")
    y = x.astype(dtype, copy=copy)
    return y if device is None else y.to_device(device)


def _cumulative(name: str, scan: str) -> Any:
    def cumulative(
        x: DNDarray, /, *, axis: int | None = None, dtype: Any = None, include_initial: bool = False
    ) -> DNDarray:
        from . import reductions

        if axis is None:
            if x.ndim > 1:
                raise ValueError(f"{name}: axis is required for a {x.ndim}-d array (the standard's rule)")
            axis = 0
        result: DNDarray = getattr(reductions, scan)(x, axis=axis, dtype=dtype)
        if not include_initial:
            return result
        # the identity goes in front of the first block: rank 0's block grows by one
        ax = axis % max(x.ndim, 1)
        local = result.larray
        counts = None if result.split is None else list(result.counts)
        if result.split != ax or result.comm.rank == 0:
            shape = list(local.shape)
            shape[ax] = 1
            start = torch.full(shape, 0 if scan == "cumsum" else 1, dtype=local.dtype, device=local.device)
            local = torch.cat([start, local], dim=ax)
        if counts is not None and result.split == ax:
            counts[0] += 1
        gshape = list(result.gshape)
        gshape[ax] += 1
        return DNDarray(
            local, tuple(gshape), result.dtype, result.split, result.device, result.comm, counts=counts
        )

    cumulative.__name__ = cumulative.__qualname__ = name
    op = "sum" if scan == "cumsum" else "product"
    cumulative.__doc__ = (
        f"Cumulative {op} along ``axis`` (required for N-d input), optionally starting with the "
        f"identity (``include_initial``), as the array API's ``{name}``."
    )
    return cumulative


cumulative_sum = _cumulative("cumulative_sum", "cumsum")
cumulative_prod = _cumulative("cumulative_prod", "cumprod")


def unstack(x: DNDarray, /, *, axis: int = 0) -> tuple[DNDarray, ...]:
    """The slices of ``x`` along ``axis``, as the array API's ``unstack``: indexing, so a slice
    across the split axis is a broadcast from its owner, any other slice is local.

    Examples
    --------
    >>> [t.numpy().tolist() for t in ht.unstack(ht.arange(4, split=0).reshape((2, 2)))]
    [[0, 1], [2, 3]]
    """
    if x.ndim == 0:
        raise ValueError("unstack: a 0-d array has no axis to unstack; use it as is")
    ax = axis + x.ndim if -x.ndim <= axis < 0 else axis
    if not 0 <= ax < x.ndim:
        raise ValueError(f"unstack: axis {axis} is out of bounds for a {x.ndim}-d array")
    lead = (slice(None),) * ax
    return tuple(x[(*lead, i)] for i in range(x.gshape[ax]))


class _NamespaceInfo:
    """The array API's inspection object (``ht.__array_namespace_info__()``)."""

    def capabilities(self) -> dict[str, Any]:
        return {"boolean indexing": True, "data-dependent shapes": True, "max dimensions": 64}

    def default_device(self) -> devices.Device:
        return devices.get_device()

    def devices(self) -> list[devices.Device]:
        return [devices.cpu, devices.gpu] if torch.cuda.is_available() else [devices.cpu]

    def default_dtypes(self, *, device: Any = None) -> dict[str, DType]:
        return {
            "real floating": types.default_float(),
            "complex floating": types.default_complex(),
            "integral": types.default_int(),
            "indexing": types.int64,
        }

    def dtypes(self, *, device: Any = None, kind: Any = None) -> dict[str, DType]:
        every = {name: types.canonical(name) for name in _STANDARD_DTYPES}
        if kind is None:
            return every
        return {name: d for name, d in every.items() if isdtype(d, kind)}


def __array_namespace_info__() -> _NamespaceInfo:  # noqa: N807 - the standard's name
    """The array API inspection object: capabilities, devices and default dtypes.

    Examples
    --------
    >>> ht.__array_namespace_info__().default_dtypes()["integral"]
    heat.int64
    """
    return _NamespaceInfo()
