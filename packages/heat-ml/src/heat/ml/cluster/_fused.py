"""The fused k-means pass (``_native/lloyd.c``): assignment and the cluster statistics of a
Lloyd iteration in one pass over the local rows, for contiguous float32/float64 CPU blocks.

The torch path of ``_lloyd.lloyd`` computes the same thing in ~10 kernels, each a pass over an
(n, k) or (n, d) array; the fused loop reads every row once and keeps the centres in cache
(like scikit-learn's chunked Cython loop). The kernel is compiled on first use by
``heat.core.native``; ``HEAT_ML_NATIVE=0`` (or ``HEAT_NATIVE=0``) turns it off. Rows are cut
into one range per torch thread and the ranges run in parallel threads (ctypes releases the
GIL), so a single process with several threads uses them as the torch path would.

Examples
--------
>>> x = torch.tensor([[0.0, 0.0], [1.0, 0.0], [9.0, 9.0]])
>>> labels = torch.full((3,), -1, dtype=torch.int64)
>>> stats = step(x, torch.tensor([[0.0, 0.0], [9.0, 9.0]]), labels, None)
>>> stats is None or (labels.tolist(), stats[-2:].tolist()) == ([0, 0, 1], [1.0, 3.0])
True
"""

from __future__ import annotations

import ctypes
from pathlib import Path

import torch

from heat.core import native

__all__ = ["available", "step"]

_SOURCE = Path(__file__).with_name("_native") / "lloyd.c"
_FUNCTIONS = {torch.float32: "heat_lloyd_f32", torch.float64: "heat_lloyd_f64"}
_MIN_ROWS_PER_THREAD = 1 << 14
_GROUP = 4  # centres per group of independent chains in lloyd.c
_LANES = 32  # bytes per vector in lloyd.c


def _declare(lib: ctypes.CDLL) -> None:
    p, i64 = ctypes.c_void_p, ctypes.c_int64
    for name in _FUNCTIONS.values():
        fn = getattr(lib, name)
        fn.argtypes = [p, i64, i64, p, i64, i64, p, p, p, p, p]
        fn.restype = ctypes.c_int


def _library() -> ctypes.CDLL | None:
    return native.load("lloyd", _SOURCE, _declare, switch="HEAT_ML_NATIVE")


def available() -> bool:
    """Whether the fused kernel can be used in this process.

    >>> isinstance(available(), bool)
    True
    """
    return _library() is not None


def step(
    x: torch.Tensor, centers: torch.Tensor, labels: torch.Tensor, weights: torch.Tensor | None
) -> torch.Tensor | None:
    """One fused pass: ``labels`` (int64, this block's previous labels) is overwritten with the
    nearest centres; returns the k * d cluster sums, k sizes, the inertia and the number of
    changed labels as one float64 tensor (weighted by ``weights`` when given), or None when
    the kernel does not apply (not a contiguous float32/float64 CPU block, or unavailable)."""
    lib = _library()
    name = _FUNCTIONS.get(x.dtype)
    if lib is None or name is None or x.device.type != "cpu" or not x.is_contiguous():
        return None
    if labels.dtype != torch.int64 or not labels.is_contiguous() or labels.shape != x.shape[:1]:
        return None
    n, d = x.shape
    k = centers.shape[0]
    centers = centers.to(x.dtype)
    kp = -(-k // _GROUP) * _GROUP
    padded = x.new_zeros((kp, d))
    padded[:k] = centers
    c_sq = torch.full((kp,), float("inf"), dtype=x.dtype)
    c_sq[:k] = (centers * centers).sum(1)
    w = None if weights is None else weights.to(x.dtype).contiguous()
    fn = getattr(lib, name)

    def run(lo: int, hi: int, part: int) -> torch.Tensor:
        out = torch.zeros(k * d + k + 2, dtype=torch.float64)
        scratch = x.new_empty(d * _LANES // x.element_size() + k * d)
        fn(
            x[lo:hi].data_ptr(), hi - lo, d, padded.data_ptr(), k, kp, c_sq.data_ptr(),
            None if w is None else w[lo:].data_ptr(), labels[lo:].data_ptr(), scratch.data_ptr(),
            out.data_ptr(),
        )  # fmt: skip
        return out

    outs = native.in_ranges(n, _MIN_ROWS_PER_THREAD, torch.get_num_threads(), run)
    return torch.stack(outs).sum(0) if len(outs) > 1 else outs[0]
