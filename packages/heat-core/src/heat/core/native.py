"""Small C kernels compiled on first use and loaded with ctypes.

Some loops are a single pass in C but dozens of passes as torch kernels (a block cipher, a
fused k-means step). Packages ship such kernels as C source beside their Python modules and
load them with :func:`load`: the first use compiles the source with the C compiler named by
``$CC`` (else ``cc``, ``gcc`` or ``clang``) into ``$HEAT_CACHE_DIR`` (default
``$XDG_CACHE_HOME/heat`` or ``~/.cache/heat``) under a name that hashes the source, compiler,
flags and platform; the library is written to a private temporary name and renamed into place,
so MPI ranks starting together may race safely. Flags are portable (``-O3``, no
``-march=native``), so one cache on a shared file system serves heterogeneous nodes.

A kernel is only ever a speed-up of a torch path that computes the same thing: :func:`load`
returns None when anything fails (no compiler, a compile or load error) or when the kernel is
switched off (``HEAT_NATIVE=0`` for all kernels, or the kernel's own variable), and callers then
take their torch path. Every rank decides on its own, so no decision may change which
collectives a rank calls.

Examples
--------
>>> from pathlib import Path
>>> lib = load("example", Path("missing.c"), lambda lib: None)
>>> lib is None
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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

__all__ = ["FLAGS", "cache_dir", "compiler", "in_ranges", "load"]

_R = TypeVar("_R")
_POOL: ThreadPoolExecutor | None = None

FLAGS = ("-O3", "-fPIC", "-shared", "-std=c99", "-fno-strict-aliasing")


def compiler() -> str | None:
    """The C compiler to use: ``$CC``, else the first of cc, gcc, clang on the PATH."""
    named = os.environ.get("CC")
    if named:
        return named
    return shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")


def cache_dir() -> Path:
    """Where compiled kernels live: ``$HEAT_CACHE_DIR``, else ``$XDG_CACHE_HOME/heat`` or
    ``~/.cache/heat``."""
    if os.environ.get("HEAT_CACHE_DIR"):
        return Path(os.environ["HEAT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "heat"


def _target(name: str, source: Path, cc: str) -> Path:
    parts = [source.read_bytes(), cc.encode(), " ".join(FLAGS).encode()]
    parts += [platform.platform().encode(), platform.machine().encode()]
    tag = hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]
    return cache_dir() / f"{name}-{tag}{'.dll' if sys.platform == 'win32' else '.so'}"


def _build(cc: str, source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=target.stem + ".", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        subprocess.run([cc, *FLAGS, "-o", tmp, str(source)], check=True, capture_output=True, timeout=120)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@functools.cache
def _load(
    name: str, source: Path, declare: Callable[[ctypes.CDLL], None], switch: str | None
) -> ctypes.CDLL | None:
    if os.environ.get("HEAT_NATIVE", "1") == "0" or (switch and os.environ.get(switch, "1") == "0"):
        return None
    cc = compiler()
    if cc is None:
        return None
    try:
        target = _target(name, source, cc)
        if not target.exists():
            _build(cc, source, target)
        lib = ctypes.CDLL(str(target))
        declare(lib)
    except (OSError, AttributeError, subprocess.SubprocessError):
        return None
    return lib


def load(
    name: str, source: Path, declare: Callable[[ctypes.CDLL], None], switch: str | None = None
) -> ctypes.CDLL | None:
    """The compiled library of the C file ``source`` (built on first use, then cached on disk
    and in this process), after ``declare(lib)`` has set its functions' ctypes signatures;
    None when it cannot be had or is switched off (``HEAT_NATIVE=0`` or ``switch=0``).

    Parameters
    ----------
    name : str
        Prefix of the cached library's file name.
    source : Path
        The C source file.
    declare : callable
        Sets ``argtypes``/``restype`` of the functions the caller uses.
    switch : str, optional
        An environment variable that turns this kernel off when set to ``0``.
    """
    return _load(name, source, declare, switch)


def _pool(workers: int) -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None or _POOL._max_workers < workers:
        _POOL = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="heat-native")
    return _POOL


def in_ranges(n: int, min_per_thread: int, threads: int, fn: Callable[[int, int, int], _R]) -> list[_R]:
    """Run ``fn(lo, hi, part)`` on consecutive ranges covering ``range(n)``, one per thread
    (at most ``threads``, each of at least ``min_per_thread`` items), in parallel threads:
    ctypes releases the GIL while a kernel runs. Returns the results in range order.

    >>> in_ranges(10, 4, 8, lambda lo, hi, part: (lo, hi))
    [(0, 5), (5, 10)]
    """
    parts = max(1, min(threads, n // max(1, min_per_thread)))
    bounds = [n * q // parts for q in range(parts + 1)]
    if parts == 1:
        return [fn(0, n, 0)]
    return list(_pool(parts).map(lambda q: fn(bounds[q], bounds[q + 1], q), range(parts)))
