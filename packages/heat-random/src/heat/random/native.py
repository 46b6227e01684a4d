"""The CPU kernel of the cipher: ``_native/threefry.c`` compiled once per machine, loaded with
ctypes.

The pure-torch cipher in ``threefry.py`` runs ~260 small kernels per chunk, each a pass over
memory; the C loop does all 20 rounds of a block in registers and is vectorised by the compiler
(5-10x faster on one core). Both compute the same integer function, so the values do not depend
on which one ran: the native kernel is only a speed-up, used for CPU tensors when it is
available, and the torch path serves GPUs and machines without a C compiler.

The library is built on first use with the C compiler named by ``$CC`` (else ``cc``/``gcc``)
into ``$HEAT_CACHE_DIR`` (default ``$XDG_CACHE_HOME/heat`` or ``~/.cache/heat``) under a name
that hashes the source, the flags and the platform, written to a private temporary name and
renamed into place, so concurrent MPI ranks may race safely. ``HEAT_RANDOM_NATIVE=0`` turns
the kernel off.

Examples
--------
>>> x = torch.zeros((4, 1), dtype=torch.int32)
>>> not encrypt_inplace(x, (0, 0, 0, 0)) or [hex(int(w) & 0xFFFFFFFF) for w in x[:, 0]] == [
...     '0x9c6ca96a', '0xe17eae66', '0xfc10ecd4', '0x5256a7d8']
True
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

__all__ = ["available", "encrypt_inplace", "fill", "library_path"]

_SOURCE = Path(__file__).with_name("_native") / "threefry.c"
_FLAGS = ("-O3", "-fPIC", "-shared", "-std=c99", "-fno-strict-aliasing")


def _compiler() -> str | None:
    named = os.environ.get("CC")
    if named:
        return named
    return shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")


def _cache_dir() -> Path:
    if os.environ.get("HEAT_CACHE_DIR"):
        return Path(os.environ["HEAT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "heat"


def library_path(compiler: str) -> Path:
    """Where the compiled kernel for this source, compiler, flags and platform lives."""
    tag = hashlib.sha256(
        b"\0".join(
            [
                _SOURCE.read_bytes(),
                compiler.encode(),
                " ".join(_FLAGS).encode(),
                platform.platform().encode(),
                platform.machine().encode(),
            ]
        )
    ).hexdigest()[:16]
    return _cache_dir() / f"threefry-{tag}{'.dll' if sys.platform == 'win32' else '.so'}"


def _build(compiler: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=target.stem + ".", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        subprocess.run(
            [compiler, *_FLAGS, "-o", tmp, str(_SOURCE)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@functools.lru_cache(maxsize=1)
def _library() -> ctypes.CDLL | None:
    if os.environ.get("HEAT_RANDOM_NATIVE", "1") == "0":
        return None
    compiler = _compiler()
    if compiler is None:
        return None
    try:
        target = library_path(compiler)
        if not target.exists():
            _build(compiler, target)
        lib = ctypes.CDLL(str(target))
    except (OSError, subprocess.SubprocessError):
        return None
    fn = lib.heat_threefry4x32_inplace
    fn.argtypes = [ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p]
    fn.restype = ctypes.c_int
    fn = lib.heat_threefry4x32_uniform
    fn.argtypes = [
        ctypes.c_void_p,
        ctypes.c_int64,
        ctypes.c_int64,
        ctypes.c_void_p,
        ctypes.c_int,
        ctypes.c_void_p,
    ]
    fn.restype = ctypes.c_int
    fn = lib.heat_threefry4x32_integers
    fn.argtypes = [
        ctypes.c_void_p,
        ctypes.c_int64,
        ctypes.c_int64,
        ctypes.c_void_p,
        ctypes.c_uint64,
        ctypes.c_int,
        ctypes.c_int64,
        ctypes.c_void_p,
    ]
    fn.restype = ctypes.c_int
    return lib


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
