"""Pieces shared by the decompositions: scikit-learn's sign convention, replicated factors and
column statistics of row-split data."""

from __future__ import annotations

import torch

from heat.core.dndarray import DNDarray

__all__ = ["allsum", "column_mean_var", "flip_signs", "replicated"]


def replicated(a: DNDarray) -> torch.Tensor:
    """The whole of ``a`` on every rank (a small factor: singular values, V^T)."""
    return a.larray if a.split is None else a.resplit(None).larray


def allsum(t: torch.Tensor, x: DNDarray) -> torch.Tensor:
    """Sum of ``t`` over the ranks holding parts of the row-split ``x`` (a no-op otherwise)."""
    if x.split is None or x.comm.size == 1:
        return t
    return x.comm.unchecked.allreduce(t.contiguous(), "sum")


def flip_signs(vh: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """scikit-learn's ``svd_flip(u_based_decision=False)``: every row of ``vh`` times the sign
    that makes its largest-magnitude entry positive; returns the rows and the signs.

    >>> flip_signs(torch.tensor([[1.0, -3.0], [2.0, 1.0]]))[0]
    tensor([[-1.,  3.],
            [ 2.,  1.]])
    """
    signs = torch.sign(vh.gather(1, vh.abs().argmax(1, keepdim=True)))[:, 0]
    signs = torch.where(signs == 0, torch.ones_like(signs), signs)
    return vh * signs.unsqueeze(1), signs


def column_mean_var(x: DNDarray) -> tuple[torch.Tensor, torch.Tensor]:
    """Column means and variances (ddof 0, two passes, float64) of the row-split ``x``: two
    all-reduces of d numbers."""
    local = x.larray.to(torch.float64)
    n = x.gshape[0]
    mean = allsum(local.sum(0), x) / n
    var = allsum(((local - mean) ** 2).sum(0), x) / n
    return mean, var
