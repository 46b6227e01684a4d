"""Input handling for every estimator: any array-like becomes a 2-d float DNDarray split
along samples (axis 0); targets are laid out like their samples.

- NumPy arrays, lists and torch tensors are taken as the same data on every rank; each rank
  keeps its block of rows (no communication).
- A replicated DNDarray (``split=None``) is sliced locally into row blocks (no communication).
- A DNDarray split along features (``split=1``) is moved to ``split=0`` with one all-to-all
  (documented resplit: the estimators' algorithms are row-parallel).
- Unbalanced row layouts are kept as they are.
"""

from __future__ import annotations

from typing import Any

import torch

from heat.comm import Communicator
from heat.core import factories, types
from heat.core.dndarray import DNDarray
from heat.core.redistribution import to_layout

__all__ = ["as_samples", "as_targets", "check_features", "float_dtype", "wrap"]


def float_dtype(dtype: torch.dtype) -> torch.dtype:
    """float32 stays float32 (and half types compute in float32); everything else float64."""
    if dtype in (torch.float32, torch.float16, torch.bfloat16):
        return torch.float32
    return torch.float64


def _as_dndarray(data: Any, name: str, comm: Communicator | None) -> DNDarray:
    if isinstance(data, DNDarray):
        return data
    if isinstance(data, torch.Tensor | list | tuple) or hasattr(data, "__array__"):
        try:
            return factories.array(data, split=None if getattr(data, "ndim", 1) == 0 else 0, comm=comm)
        except TypeError as err:
            raise TypeError(f"{name}: cannot make an array of the input: {err}") from None
    raise TypeError(f"{name}: expected a DNDarray, NumPy array or torch tensor, got {type(data).__name__}")


def _finite(x: DNDarray, who: str, name: str) -> None:
    """Raise ValueError on every rank when any rank's block holds NaN or infinity (one
    all-reduce of a flag)."""
    local = x.larray
    # scikit-learn's fast path: a finite sum proves every value finite (NaN and infinities
    # propagate); only an overflowing sum needs the elementwise check
    finite = bool(torch.isfinite(local.sum())) or bool(torch.isfinite(local).all())
    bad = torch.tensor([0 if finite else 1], dtype=torch.int32)
    if x.split is not None and x.comm.size > 1:
        bad = x.comm.unchecked.allreduce(bad, "max")
    if int(bad[0]):
        raise ValueError(
            f"{who}: Input {name} contains NaN or infinity; remove or impute those samples first"
        )


def as_samples(
    data: Any,
    who: str,
    name: str = "X",
    *,
    comm: Communicator | None = None,
    dtype: torch.dtype | None = None,
) -> DNDarray:
    """``data`` as a finite 2-d float DNDarray split along rows (see the module docstring).

    ``dtype`` forces a float type (else float32 stays float32, anything else becomes float64).
    """
    x = _as_dndarray(data, f"{who}: {name}", comm)
    if x.ndim != 2:
        raise ValueError(
            f"{who}: Expected a 2D array for {name}, got a {x.ndim}-d array of shape {x.gshape}; "
            "reshape your data with reshape(-1, 1) for a single feature or reshape(1, -1) for a single sample"
        )
    if x.dtype.torch.is_complex:
        raise TypeError(f"{who}: complex {name} is not supported; pass real data")
    want = float_dtype(x.dtype.torch) if dtype is None else dtype
    if x.dtype.torch != want:
        x = x.astype(types.from_torch(want))
    if x.split != 0:
        x = to_layout(x, 0)
    _finite(x, who, name)
    return x


def as_targets(data: Any, x: DNDarray, who: str, name: str = "y", *, float_result: bool = True) -> DNDarray:
    """``data`` as a 1-d DNDarray with the row layout of ``x`` (one all-to-all-v when its blocks
    differ; none when they agree)."""
    y = _as_dndarray(data, f"{who}: {name}", x.comm)
    if y.ndim == 2 and y.gshape[1] == 1:  # a column vector: its single column
        if y.split == 1:
            y = to_layout(y, None)
        y = DNDarray(
            y.larray[:, 0], (y.gshape[0],), y.dtype, y.split, y.device, y.comm,
            counts=None if y.split is None else y.counts,
        )  # fmt: skip
    if y.ndim != 1:
        raise ValueError(f"{who}: {name} must be 1-d, got shape {y.gshape}")
    if y.gshape[0] != x.gshape[0]:
        raise ValueError(
            f"{who}: Found input variables with inconsistent numbers of samples: X has {x.gshape[0]} rows "
            f"but {name} has {y.gshape[0]}; pass one target per sample"
        )
    if float_result:
        if y.dtype.torch != x.dtype.torch:
            y = y.astype(x.dtype)
        _finite(y, who, name)
    y = to_layout(y, 0, x.counts)
    return y


def check_features(x: DNDarray, n_features: int, who: str) -> None:
    """The ValueError scikit-learn raises when predict gets a different number of features."""
    if x.gshape[1] != n_features:
        raise ValueError(
            f"X has {x.gshape[1]} features, but {who} is expecting {n_features} features as input"
        )


def wrap(tensor: torch.Tensor, like: DNDarray, split: int | None = 0, counts: Any = None) -> DNDarray:
    """A DNDarray around this rank's ``tensor`` whose rows follow ``like``'s rows (``split=0``)
    or that every rank holds whole (``split=None``)."""
    if split is None:
        shape = tuple(tensor.shape)
        return DNDarray(tensor, shape, types.from_torch(tensor.dtype), None, like.device, like.comm)
    cnt = like.counts if counts is None else tuple(counts)
    shape = (sum(cnt), *tensor.shape[1:])
    return DNDarray(tensor, shape, types.from_torch(tensor.dtype), 0, like.device, like.comm, counts=cnt)
