"""Printing DNDarrays: the global array once, NumPy-formatted, without gathering it.

In the default *global* mode ``str(x)``/``repr(x)`` is collective: rank 0 receives just the
elements NumPy would show (for an array above NumPy's print threshold: ``edgeitems`` slices
at each end of every axis) and returns the text; the other ranks return an empty string, so
that ``print(x)`` in an SPMD script prints the array once. In *local* mode
(:func:`local_printing`) every rank describes its own block, without communication.
"""

from __future__ import annotations

import builtins
import sys
from typing import Any

import numpy as np
import torch

from .dndarray import DNDarray

__all__ = ["array_repr", "array_str", "global_printing", "local_printing", "print0"]

_local = False


def local_printing() -> None:
    """Print each rank's own block (prefixed with its rank) instead of the global array."""
    global _local
    _local = True


def global_printing() -> None:
    """Print the global array once, from rank 0 (the default)."""
    global _local
    _local = False


def print0(*args: Any, **kwargs: Any) -> None:
    """``print`` on rank 0 only. Collective when an argument is a DNDarray (every rank must call).

    Examples
    --------
    >>> ht.print0("loss", 0.5)  # doctest: +SKIP
    """
    from .communication import get_comm

    comm = next((a.comm for a in args if isinstance(a, DNDarray)), None) or get_comm()
    texts = [_text(a) for a in args]
    if comm.rank == 0:
        builtins.print(*texts, **kwargs)


def _text(obj: Any) -> str:
    return array_repr(obj) if isinstance(obj, DNDarray) else str(obj)


def _edge_indices(n: int, edge: int) -> list[int] | None:
    """Indices shown along an axis of length ``n`` (None: all). The middle index duplicates a
    shown one; NumPy replaces it with ``...``. With ``edgeitems=0`` NumPy still shows the last
    element of each summarised axis."""
    if n <= 2 * edge:
        return None
    if edge == 0:
        return [n - 1]
    return [*range(edge), edge - 1, *range(n - edge, n)]


def _summary(x: DNDarray, summarize: bool, edge: int) -> torch.Tensor | None:
    """On rank 0, the elements of ``x`` that NumPy would print; None elsewhere."""
    comm = x.comm.unchecked
    t = x.larray
    picks = [_edge_indices(n, edge) if summarize else None for n in x.gshape]
    for axis, idx in enumerate(picks):
        if idx is not None and axis != x.split:
            t = t.index_select(axis, torch.tensor(idx, device=t.device))
    if x.split is None or comm.size == 1:
        return t.cpu() if comm.rank == 0 else None
    counts, offs = x.counts_displs()
    idx = picks[x.split]
    if idx is not None:
        per_rank = [[g - o for g in idx if o <= g < o + c] for o, c in zip(offs, counts, strict=True)]
        t = t.index_select(x.split, torch.tensor(per_rank[comm.rank], dtype=torch.int64, device=t.device))
        sizes = [len(p) for p in per_rank]
    else:
        sizes = list(counts)
    return comm.gather(t.cpu().contiguous(), axis=x.split, root=0, counts=sizes)


def _format(x: DNDarray) -> str:
    opts = np.get_printoptions()
    edge = int(opts["edgeitems"])
    summarize = x.size > opts["threshold"]
    values = _summary(x, summarize, edge)
    if values is None:
        return ""
    if values.dtype == torch.bfloat16:
        values = values.float()
    body = np.array2string(
        values.numpy(),
        separator=", ",
        prefix="DNDarray(",
        threshold=0 if summarize else sys.maxsize,
        edgeitems=edge,
    )
    return f"DNDarray({body}, dtype=ht.{x.dtype}, device={x.device}, split={x.split})"


def _format_local(x: DNDarray) -> str:
    return f"[rank {x.comm.rank}] {x.larray!r} (global shape {x.gshape}, split={x.split})"


def array_repr(x: DNDarray) -> str:
    """``repr(x)``: collective in global mode; the text on rank 0, '' on the other ranks.

    Examples
    --------
    >>> print(ht.arange(3))  # doctest: +SKIP
    DNDarray([0, 1, 2], dtype=ht.int64, device=cpu, split=None)
    """
    return _format_local(x) if _local else _format(x)


array_str = array_repr
