"""Centred copies of row-split (X, y) and their column statistics (one all-reduce)."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from heat.comm import Communicator
from heat.core.dndarray import DNDarray

__all__ = ["Centered", "allsum", "center"]


def allsum(t: torch.Tensor, comm: Communicator) -> torch.Tensor:
    """Sum over ranks (nothing to do on one rank)."""
    if comm.size == 1:
        return t
    return comm.unchecked.allreduce(t.contiguous(), "sum")


@dataclass
class Centered:
    x: torch.Tensor  # this rank's centred rows
    y: torch.Tensor  # this rank's centred targets
    x_mean: torch.Tensor  # (d,), replicated
    y_mean: torch.Tensor  # (), replicated


CHUNK = 1024  # rows per piece of the transposing copy (the piece stays in cache)


def _transposed(xl: torch.Tensor, mean: torch.Tensor | None) -> torch.Tensor:
    """``(xl - mean).T``, contiguous, copied in pieces of ``CHUNK`` rows (a whole-array
    transposing copy strides through memory and runs at a third of the speed)."""
    n, d = xl.shape
    out = xl.new_empty((d, n))
    for lo in range(0, n, CHUNK):
        piece = out[:, lo : lo + CHUNK]
        piece.copy_(xl[lo : lo + CHUNK].T)
        if mean is not None:
            piece.sub_(mean.unsqueeze(1))
    return out


def center(x: DNDarray, y: DNDarray, fit_intercept: bool, feature_major: bool = False) -> Centered:
    """``x`` and ``y`` minus their global column means (scikit-learn's intercept handling);
    unchanged (zero means) without an intercept. ``feature_major``: the rows come back
    transposed, (d, n_local) and contiguous (one copy), one contiguous row per feature."""
    xl, yl = x.larray, y.larray
    d = xl.shape[1]
    if not fit_intercept:
        zero = xl.new_zeros(d)
        return Centered(_transposed(xl, None) if feature_major else xl, yl, zero, xl.new_zeros(()))
    sums = allsum(torch.cat([xl.sum(0), yl.sum().reshape(1)]), x.comm) / x.gshape[0]
    centred = _transposed(xl, sums[:d]) if feature_major else xl - sums[:d]
    return Centered(centred, yl - sums[d], sums[:d], sums[d])
