"""Small helpers shared by heat.linalg's modules: operands, dtypes and local re-wrapping."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from heat.core import factories, types
from heat.core.dndarray import DNDarray
from heat.core.redistribution import to_layout

__all__ = ["adjoint", "as_array", "compute_dtype", "deliver", "float_dtype", "operands", "wrap"]


def as_array(x: Any, like: DNDarray | None = None) -> DNDarray:
    """``x`` as a DNDarray (array-likes become replicated arrays on ``like``'s device/comm)."""
    if isinstance(x, DNDarray):
        return x
    if like is None:
        return factories.array(x, copy=None)
    return factories.array(x, copy=None, device=like.device, comm=like.comm)


def operands(a: Any, b: Any) -> tuple[DNDarray, DNDarray]:
    """Two operands as DNDarrays sharing a device and communicator."""
    like = a if isinstance(a, DNDarray) else b if isinstance(b, DNDarray) else None
    return as_array(a, like), as_array(b, like)


def wrap(
    like: DNDarray,
    tensor: torch.Tensor,
    gshape: Sequence[int],
    split: int | None,
    counts: Sequence[int] | None = None,
) -> DNDarray:
    """A DNDarray around this rank's block ``tensor`` on ``like``'s device and communicator."""
    return DNDarray(
        tensor,
        tuple(gshape),
        types.from_torch(tensor.dtype),
        split,
        like.device,
        like.comm,
        counts=None if split is None else counts,
    )


def compute_dtype(dtype: types.DType) -> torch.dtype:
    """The torch dtype local products run in (torch has no bool matrix product)."""
    return torch.int64 if dtype is types.bool else dtype.torch


def float_dtype(name: str, x: DNDarray) -> types.DType:
    """The floating dtype a decomposition of ``x`` computes in (NumPy: integers -> float64)."""
    if types.is_complex(x.dtype) or types.is_float(x.dtype):
        if x.dtype in (types.float16, types.bfloat16):
            return types.float32
        return x.dtype
    if types.is_integer(x.dtype) or types.is_bool(x.dtype):
        return types.float64
    raise TypeError(f"{name}: unsupported dtype {x.dtype}")


def deliver(name: str, result: DNDarray, out: DNDarray | None) -> DNDarray:
    """``result``, or written into ``out`` (cast to its dtype, moved to its layout)."""
    if out is None:
        return result
    if not isinstance(out, DNDarray):
        raise TypeError(f"{name}: out must be a DNDarray, got {type(out).__name__}")
    if out.gshape != result.gshape:
        raise ValueError(f"{name}: out has shape {out.gshape}, the result has shape {result.gshape}")
    moved = to_layout(result, out.split, out.counts if out.split is not None else None)
    out.larray.copy_(moved.larray.to(out.larray.dtype))
    return out


def adjoint(x: DNDarray) -> DNDarray:
    """The conjugate transpose of the last two axes (local; the split axis moves along)."""
    t: DNDarray = x.mT
    return t._like(t.larray.conj_physical()) if types.is_complex(x.dtype) else t
