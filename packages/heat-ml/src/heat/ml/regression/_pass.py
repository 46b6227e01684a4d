"""The fused residual pass of coordinate descent (``_native/residual.c``): apply a run's
coefficient changes to the residual and take the next run's dot products in one pass over
the residual, reading each column once. Compiled on first use by ``heat.core.native``;
``HEAT_ML_NATIVE=0`` (or ``HEAT_NATIVE=0``) turns it off and the torch path runs
(``torch.addmv`` and a matrix-vector product: same values up to rounding).

Examples
--------
>>> cols = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64)
>>> r = torch.tensor([1.0, 1.0], dtype=torch.float64)
>>> fused(r, cols, [0], [1.0], [1]).tolist(), r.tolist()
([-4.0], [0.0, -1.0])
"""

from __future__ import annotations

import ctypes
from pathlib import Path

import torch

from heat.core import native

__all__ = ["fused"]

_SOURCE = Path(__file__).with_name("_native") / "residual.c"
_FUNCTIONS = {torch.float32: "heat_residual_pass_f32", torch.float64: "heat_residual_pass_f64"}
_MIN_ROWS_PER_THREAD = 1 << 15


def _declare(lib: ctypes.CDLL) -> None:
    p, i64 = ctypes.c_void_p, ctypes.c_int64
    for name in _FUNCTIONS.values():
        fn = getattr(lib, name)
        fn.argtypes = [p, i64, p, p, i64, p, i64, p]
        fn.restype = ctypes.c_int


def _library() -> ctypes.CDLL | None:
    return native.load("residual", _SOURCE, _declare, switch="HEAT_ML_NATIVE")


def _torch_pass(
    r: torch.Tensor, cols: torch.Tensor, apply: list[int], deltas: list[float], dot: list[int]
) -> torch.Tensor:
    if apply:
        step = torch.tensor(deltas, dtype=r.dtype, device=r.device)
        r.addmv_(cols[apply].T if len(apply) < cols.shape[0] else cols.T, step, alpha=-1)
    if not dot:
        return torch.zeros(0, dtype=torch.float64)
    lo, hi = min(dot), max(dot) + 1
    picked = cols[lo:hi] if hi - lo == len(dot) else cols[dot]  # consecutive columns: a view
    return (picked @ r).double()


def fused(
    r: torch.Tensor, cols: torch.Tensor, apply: list[int], deltas: list[float], dot: list[int]
) -> torch.Tensor:
    """``r -= sum_i deltas[i] * cols[apply[i]]``, then ``cols[dot] @ r``: this block's dot
    products, always float64 (so every rank all-reduces the same dtype, whichever path it
    took). ``cols`` is (d, n) and ``r`` (n,), both contiguous."""
    lib = _library()
    name = _FUNCTIONS.get(r.dtype)
    if (
        lib is None
        or name is None
        or r.device.type != "cpu"
        or not (r.is_contiguous() and cols.is_contiguous())
        or cols.dtype != r.dtype
    ):
        return _torch_pass(r, cols, apply, deltas, dot)
    n, size = r.shape[0], r.element_size()
    row, base = cols.stride(0) * size, cols.data_ptr()
    ctype = ctypes.c_double if r.dtype == torch.float64 else ctypes.c_float
    step = (ctype * max(1, len(deltas)))(*deltas)
    fn = getattr(lib, name)

    def pointers(features: list[int], lo: int) -> ctypes.Array[ctypes.c_void_p]:
        return (ctypes.c_void_p * max(1, len(features)))(*(base + j * row + lo * size for j in features))

    def run(lo: int, hi: int, part: int) -> torch.Tensor:
        out = torch.zeros(len(dot), dtype=torch.float64)
        fn(r.data_ptr() + lo * size, hi - lo, pointers(apply, lo), step, len(apply), pointers(dot, lo),
           len(dot), out.data_ptr())  # fmt: skip
        return out

    outs = native.in_ranges(n, _MIN_ROWS_PER_THREAD, torch.get_num_threads(), run)
    return torch.stack(outs).sum(0) if len(outs) > 1 else outs[0]
