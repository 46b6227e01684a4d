"""Class labels of distributed targets: the sorted distinct values (replicated; one
all-gather of each rank's distinct values, which are few) and dense codes 0..c-1."""

from __future__ import annotations

import torch

from heat.core.dndarray import DNDarray

__all__ = ["classes_of", "encode"]


def classes_of(y: DNDarray) -> torch.Tensor:
    """The sorted distinct values of ``y`` over every rank."""
    local: torch.Tensor = torch.unique(y.larray)
    if y.split is not None and y.comm.size > 1:
        sizes = y.comm.allgather_object(int(local.numel()))
        local = torch.unique(y.comm.unchecked.allgather(local.contiguous(), counts=sizes))
    return local


def encode(y: DNDarray, classes: torch.Tensor, who: str) -> torch.Tensor:
    """Codes of this rank's labels in ``classes``; a label that is not a class raises
    ValueError on every rank (one all-reduce of a flag)."""
    codes = torch.searchsorted(classes, y.larray.contiguous()).clamp_max(max(classes.numel() - 1, 0))
    bad = torch.tensor([int(bool((classes[codes] != y.larray).any())) if codes.numel() else 0])
    if y.split is not None and y.comm.size > 1:
        bad = y.comm.unchecked.allreduce(bad, "max")
    if int(bad[0]):
        raise ValueError(f"{who}: y holds labels that are not in classes {classes.tolist()}")
    return codes
