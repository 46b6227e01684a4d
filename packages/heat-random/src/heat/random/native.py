"""The CPU kernel of the cipher: ``_native/threefry.c`` compiled once per machine, loaded with
ctypes.

The pure-torch cipher in ``threefry.py`` runs ~260 small kernels per chunk, each a pass over
memory; the C loop does all 20 rounds of a block in registers and is vectorised by the compiler
(5-10x faster on one core). Both compute the same integer function, so the values do not depend
on which one ran: the native kernel is only a speed-up, used for CPU tensors when it is
available, and the torch path serves GPUs and machines without a C compiler.

The library is built on first use by ``heat.core.native`` (into ``~/.cache/heat``; see there).
``HEAT_RANDOM_NATIVE=0`` (or ``HEAT_NATIVE=0``) turns the kernel off.

Examples
--------
>>> x = torch.zeros((4, 1), dtype=torch.int32)
>>> not encrypt_inplace(x, (0, 0, 0, 0)) or [hex(int(w) & 0xFFFFFFFF) for w in x[:, 0]] == [
...     '0x9c6ca96a', '0xe17eae66', '0xfc10ecd4', '0x5256a7d8']
True
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from heat.core import native as builder

__all__ = ["available", "encrypt_inplace", "fill"]

_SOURCE = Path(__file__).with_name("_native") / "threefry.c"
_P, _I64, _U64, _INT = ctypes.c_void_p, ctypes.c_int64, ctypes.c_uint64, ctypes.c_int


def _declare(lib: ctypes.CDLL) -> None:
    signatures = {
        "heat_threefry4x32_inplace": [_P, _I64, _P],
        "heat_threefry4x32_uniform": [_P, _I64, _I64, _P, _INT, _P],
        "heat_threefry4x32_integers": [_P, _I64, _I64, _P, _U64, _INT, _I64, _P],
    }
    for name, argtypes in signatures.items():
        fn = getattr(lib, name)
        fn.argtypes, fn.restype = argtypes, _INT


def _library() -> ctypes.CDLL | None:
    return builder.load("threefry", _SOURCE, _declare, switch="HEAT_RANDOM_NATIVE")


def available() -> bool:
    """Whether the compiled kernel can be used in this process.

    >>> isinstance(available(), bool)
    True
    """
    return _library() is not None


def encrypt_inplace(x: torch.Tensor, key: Sequence[int]) -> bool:
    """Threefry-4x32-20 of the counters ``x`` (int32, shape (4, B), contiguous, CPU) in place;
    False, ``x`` untouched, when the kernel is unavailable or ``x`` is not such a tensor."""
    lib = _library()
    if lib is None or x.device.type != "cpu" or not x.is_contiguous() or x.dtype != torch.int32:
        return False
    if x.dim() != 2 or x.shape[0] != 4:
        return False
    if x.shape[1]:
        lib.heat_threefry4x32_inplace(x.data_ptr(), x.shape[1], _key(key))
    return True


_INTEGERS = (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8)


def fill(
    kind: tuple[Any, ...], counters: torch.Tensor | None, first: int, key: Sequence[int], out: torch.Tensor
) -> bool:
    """Fill ``out`` (contiguous, CPU, shape (n, lanes)) with the values of a transform of
    ``distributions`` for the blocks with counters ``counters`` (or ``first, first + 1, ...``),
    exactly as the transform computes them. ``kind`` is the transform's ``native`` attribute:
    ``("uniform", bits, post)`` (``post`` of uniforms with ``bits`` significant bits: 53 in
    float64, else at most 24 in float32; ``post`` None for the uniforms themselves) or
    ``("integers", low, span)`` (any integer ``out``, one lane). False, ``out`` untouched,
    when the kernel is unavailable or does not cover this case."""
    lib = _library()
    if lib is None or out.device.type != "cpu" or not out.is_contiguous() or out.dim() != 2:
        return False
    n = out.shape[0]
    if kind[0] == "uniform":
        _, bits, post = kind
        compute = torch.float64 if bits == 53 else torch.float32
        if out.shape[1] != (2 if bits == 53 else 4) or not (bits == 53 or 1 <= bits <= 24):
            return False
        direct = post is None and out.dtype == compute
        buffer = out if direct else torch.empty((n, out.shape[1]), dtype=compute)
        if n:
            pointer, counters = _counters("fill", counters, n)
            lib.heat_threefry4x32_uniform(pointer, first, n, _key(key), bits, buffer.data_ptr())
        if not direct:
            out.copy_(buffer if post is None else post(buffer))
        return True
    if kind[0] == "integers":
        _, low, span = kind
        if out.shape[1] != 1 or out.dtype not in _INTEGERS:
            return False
        target = out if out.dtype == torch.int64 else torch.empty((n, 1), dtype=torch.int64)
        if n:
            pointer, counters = _counters("fill", counters, n)
            full = span == 1 << 64
            low64 = (low + (1 << 63)) % (1 << 64) - (1 << 63)  # the int64 bit pattern of low
            lib.heat_threefry4x32_integers(
                pointer, first, n, _key(key), 0 if full else span, int(full), low64, target.data_ptr()
            )
        if target is not out:
            out.copy_(target)
        return True
    return False


def _key(key: Sequence[int]) -> ctypes.Array[ctypes.c_uint32]:
    return (ctypes.c_uint32 * 4)(*(int(w) & 0xFFFFFFFF for w in key))


def _counters(name: str, counters: torch.Tensor | None, n: int) -> tuple[int | None, torch.Tensor | None]:
    """The address of the counters (None for a range) and the tensor that keeps it alive."""
    if counters is None:
        return None, None
    counters = counters.contiguous()
    if counters.dtype != torch.int64 or counters.numel() != n or counters.device.type != "cpu":
        raise ValueError(
            f"{name}: counters must be {n} int64 values on the CPU, got {counters.dtype} "
            f"{tuple(counters.shape)} on {counters.device}"
        )
    return counters.data_ptr(), counters
