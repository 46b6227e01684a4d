"""The rule engine: one place that applies a distribution rule around a local torch kernel.

Every elementwise function is a table entry (name, torch kernel); the engine does the rest:

1. *dtype*: NumPy is the oracle. The result dtype of ``np.<ufunc>`` on empty arrays of the
   operands' dtypes (Python scalars stay weak, NEP 50) is computed once per signature and
   cached; bfloat16, which NumPy lacks, is resolved as float16 and mapped back. A signature
   NumPy rejects (``bitwise_and`` on floats) raises NumPy's TypeError, reworded.
2. *layout*: operands are brought to one split and layout with :func:`align` (no
   communication when they already agree); the result keeps that layout.
3. *kernel*: the torch function runs on the local blocks, cast to the result dtype.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from . import types
from .dndarray import DNDarray
from .types import DType

__all__ = ["binary_op", "numpy_result_dtype", "to_operand", "unary_op"]

Kernel = Callable[..., torch.Tensor]
_SCALARS = (bool, int, float, complex)
_WEAK_SAMPLE = {bool: True, int: 1, float: 1.0, complex: 1j}


def _np_sample(spec: DType | type) -> Any:
    if isinstance(spec, DType):
        dt = types.float16 if spec is types.bfloat16 else spec
        return np.empty(0, dtype=dt.numpy)
    return _WEAK_SAMPLE[spec]


@functools.lru_cache(maxsize=4096)
def numpy_result_dtype(name: str, *specs: DType | type, **kwargs: Any) -> DType:
    """The dtype NumPy's ``name`` returns for operands of these dtypes (or weak scalar types)."""
    fn = getattr(np, name)
    try:
        with np.errstate(all="ignore"):
            res = fn(*[_np_sample(s) for s in specs], **kwargs)
    except TypeError:
        shown = ", ".join(str(s) if isinstance(s, DType) else f"Python {s.__name__}" for s in specs)
        raise TypeError(
            f"{name}: not supported for operands of type {shown}; cast with astype() to a supported dtype"
        ) from None
    if isinstance(res, tuple):
        res = res[0]
    out = types.canonical(np.asarray(res).dtype)
    bf16 = [s for s in specs if s is types.bfloat16]
    if bf16 and out is types.float16:
        return types.float32 if types.float16 in specs else types.bfloat16
    return out


def _spec(x: Any) -> DType | type:
    if isinstance(x, DNDarray):
        return x.dtype
    t = type(x)
    if t in _SCALARS:
        return t
    for s in _SCALARS[::-1]:
        if isinstance(x, s):
            return s
    return x.dtype  # type: ignore[no-any-return]


def to_operand(x: Any, like: DNDarray | None = None) -> DNDarray | bool | int | float | complex:
    """A DNDarray, or a Python scalar (kept weak). NumPy/torch arrays, NumPy scalars and
    sequences become replicated DNDarrays on ``like``'s device and communicator."""
    if isinstance(x, DNDarray) or type(x) in _SCALARS:
        return x  # type: ignore[no-any-return]
    if isinstance(x, _SCALARS) and not isinstance(x, np.generic):
        return x
    from .factories import array

    if like is None:
        return array(x, copy=None)
    return array(x, copy=None, device=like.device, comm=like.comm)


def _result(template: DNDarray, tensor: torch.Tensor, gshape: tuple[int, ...], dtype: DType) -> DNDarray:
    split = template.split
    if split is not None:
        split += len(gshape) - template.ndim
    counts = None if template.split is None else template.counts
    return DNDarray(tensor, gshape, dtype, split, template.device, template.comm, counts=counts)


def _write_out(name: str, result: DNDarray, out: DNDarray | None, where: Any) -> DNDarray:
    if where is not True and where is not None:
        mask = to_operand(where, result)
        if not isinstance(mask, DNDarray):
            if bool(mask):
                return _write_out(name, result, out, True)
            return out if out is not None else result
        if out is None:
            raise TypeError(f"{name}: where= needs out= (elements where the mask is False keep out's values)")
        result, mask = _aligned_to(result, mask)
        _check_out(name, result, out)
        mask_t = mask.larray.to(torch.bool)
        out.larray.copy_(torch.where(mask_t, result.larray.to(out.larray.dtype), out.larray))
        return out
    if out is None:
        return result
    _check_out(name, result, out)
    out.larray.copy_(result.larray)
    return out


def _aligned_to(result: DNDarray, other: DNDarray) -> tuple[DNDarray, DNDarray]:
    from .redistribution import align, to_layout

    a, b = align(result, other)
    if a is not result:  # keep the result's layout: move the mask instead
        b = (
            to_layout(other, None)
            if other.split is None
            else to_layout(other, result.split, result.counts if result.split is not None else None)
        )
        a = result
    return a, b


def _check_out(name: str, result: DNDarray, out: DNDarray) -> None:
    if not isinstance(out, DNDarray):
        raise TypeError(f"{name}: out must be a DNDarray, got {type(out).__name__}")
    if out.gshape != result.gshape:
        raise ValueError(f"{name}: out has shape {out.gshape}, the result has shape {result.gshape}")
    if out.split != result.split or (out.split is not None and out.counts != result.counts):
        raise ValueError(
            f"{name}: out is split along {out.split} (blocks {out.counts}) but the result along "
            f"{result.split} (blocks {result.counts}); pass an out with the operands' layout"
        )
    if not types.can_cast(result.dtype, out.dtype, "same_kind"):
        raise TypeError(
            f"{name}: cannot cast the result ({result.dtype}) to out's dtype {out.dtype} (same_kind)"
        )


def unary_op(
    name: str,
    kernel: Kernel,
    x: Any,
    out: DNDarray | None = None,
    where: Any = True,
    *,
    numpy_name: str | None = None,
    compute: Callable[[DType], DType] | None = None,
    result: Callable[[DType], DType] | None = None,
) -> DNDarray:
    """Apply an elementwise kernel to ``x``; the result keeps ``x``'s layout (no communication).

    ``result`` overrides the NumPy-oracle dtype (for functions that are not ufuncs)."""
    x = to_operand(x)
    if not isinstance(x, DNDarray):
        from .factories import array

        x = array(x)
    dtype = result(x.dtype) if result is not None else numpy_result_dtype(numpy_name or name, x.dtype)
    # the kernel runs in the result dtype (exp of int8 runs in float16, as NumPy's loop), except
    # where the result is a narrower kind than the input (isnan -> bool, abs of complex -> real)
    narrower = types.is_bool(dtype) or (types.is_complex(x.dtype) and not types.is_complex(dtype))
    work = (compute or (lambda d: d))(x.dtype if narrower else dtype)
    t = x.larray
    if t.dtype != work.torch and not types.is_bool(work):
        t = t.to(work.torch)
    local = kernel(t)
    if local.dtype != dtype.torch:
        local = local.to(dtype.torch)
    return _write_out(name, _result(x, local, x.gshape, dtype), out, where)


def binary_op(
    name: str,
    kernel: Kernel,
    a: Any,
    b: Any,
    out: DNDarray | None = None,
    where: Any = True,
    *,
    numpy_name: str | None = None,
    compute_in_result: bool = True,
) -> DNDarray:
    """Apply a broadcasting elementwise kernel to ``a`` and ``b``.

    Operands are aligned (:func:`heat.align`: the larger keeps its layout, the smaller moves,
    nothing moves when they agree) and the kernel runs on the local blocks, cast to the result
    dtype (``compute_in_result``) or to the operands' common dtype (comparisons).
    """
    from .redistribution import align

    like = a if isinstance(a, DNDarray) else b if isinstance(b, DNDarray) else None
    a, b = to_operand(a, like), to_operand(b, like)
    if not isinstance(a, DNDarray) and not isinstance(b, DNDarray):
        from .factories import array

        a = array(a)
    dtype = numpy_result_dtype(numpy_name or name, _spec(a), _spec(b))
    common = dtype if compute_in_result else types.result_type(a, b)
    if types.is_bool(common) and not types.is_bool(dtype):
        common = dtype
    for s in (a, b):
        if isinstance(s, int) and not isinstance(s, bool | DNDarray) and types.is_integer(common):
            info = types.iinfo(common)
            if not info.min <= s <= info.max:
                if compute_in_result or not types.iinfo(types.int64).min <= s <= types.iinfo(types.int64).max:
                    raise OverflowError(f"{name}: Python integer {s} out of bounds for {common}")
                common = types.int64  # comparisons: by value, as NumPy 2 (uint8 array < -1 is False)
    if isinstance(a, DNDarray) and isinstance(b, DNDarray):
        try:
            gshape = tuple(np.broadcast_shapes(a.gshape, b.gshape))
        except ValueError:
            raise ValueError(
                f"{name}: operands with shapes {a.gshape} and {b.gshape} cannot be broadcast together"
            ) from None
        a, b = align(a, b)
        template = a if a.split is not None and (b.split is None or a.ndim >= b.ndim) else b
        ta, tb = a.larray, b.larray
    elif isinstance(a, DNDarray):
        template, gshape = a, a.gshape
        ta, tb = a.larray, torch.tensor(b, dtype=common.torch, device=a.larray.device)
    else:
        assert isinstance(b, DNDarray)
        template, gshape = b, b.gshape
        ta, tb = torch.tensor(a, dtype=common.torch, device=b.larray.device), b.larray
    if ta.dtype != common.torch:
        ta = ta.to(common.torch)
    if tb.dtype != common.torch:
        tb = tb.to(common.torch)
    local = kernel(ta, tb)
    if local.dtype != dtype.torch:
        local = local.to(dtype.torch)
    if tuple(local.shape) != _local_shape(template, gshape):
        local = local.expand(_local_shape(template, gshape)).contiguous()
    return _write_out(name, _result(template, local, gshape, dtype), out, where)


def _local_shape(template: DNDarray, gshape: tuple[int, ...]) -> tuple[int, ...]:
    if template.split is None:
        return gshape
    shape = list(gshape)
    axis = template.split + len(gshape) - template.ndim
    shape[axis] = template.lshape[template.split]
    return tuple(shape)
