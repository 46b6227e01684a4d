"""Pieces shared by the decompositions: scikit-learn's sign convention, replicated factors and
column statistics of row-split data."""

from __future__ import annotations

from typing import Any

import torch

from heat.core.dndarray import DNDarray

from .._base import check_is_fitted
from .._data import as_samples, check_features, wrap

__all__ = ["CenteredProjection", "allsum", "column_mean_var", "flip_signs", "replicated"]


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


class CenteredProjection:
    """``transform``/``inverse_transform`` of the PCA family: projections of the centred rows
    on ``components_`` (scaled to unit variance when ``whiten``), local to each rank."""

    components_: DNDarray
    mean_: DNDarray
    explained_variance_: DNDarray
    n_features_in_: int
    whiten: bool

    def transform(self, X: Any) -> DNDarray:  # noqa: N803
        """Projections on the components, (n, n_components) split along rows (local)."""
        name = type(self).__name__
        check_is_fitted(self, "components_")  # type: ignore[arg-type]
        x = as_samples(X, f"{name}.transform", dtype=self.components_.larray.dtype)
        check_features(x, self.n_features_in_, name)
        out = (x.larray - self.mean_.larray) @ self.components_.larray.T
        if self.whiten:
            out = out / self.explained_variance_.larray.sqrt()
        return wrap(out, x)

    def inverse_transform(self, X: Any) -> DNDarray:  # noqa: N803
        """Back to the feature space (local)."""
        name = type(self).__name__
        check_is_fitted(self, "components_")  # type: ignore[arg-type]
        x = as_samples(X, f"{name}.inverse_transform", dtype=self.components_.larray.dtype)
        comp = self.components_.larray
        if self.whiten:
            comp = comp * self.explained_variance_.larray.sqrt().unsqueeze(1)
        return wrap(x.larray @ comp + self.mean_.larray, x)
