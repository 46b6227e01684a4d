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


def center(x: DNDarray, y: DNDarray, fit_intercept: bool, feature_major: bool = False) -> Centered:
    """``x`` and ``y`` minus their global column means (scikit-learn's intercept handling);
    unchanged (zero means) without an intercept. ``feature_major``: the rows come back
    transposed, (d, n_local) and contiguous (one copy), one contiguous row per feature."""
    xl, yl = x.larray, y.larray
    d = xl.shape[1]
    if not fit_intercept:
        zero = xl.new_zeros(d)
        return Centered(xl.T.contiguous() if feature_major else xl, yl, zero, xl.new_zeros(()))
    sums = allsum(torch.cat([xl.sum(0), yl.sum().reshape(1)]), x.comm) / x.gshape[0]
    centred = xl.T.contiguous().sub_(sums[:d].unsqueeze(1)) if feature_major else xl - sums[:d]
    return Centered(centred, yl - sums[d], sums[:d], sums[d])
