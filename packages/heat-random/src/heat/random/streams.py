"""Counter layout: which cipher blocks the local block of a distributed array needs.

Element ``i`` (global flat index in C order) of an array drawn at stream position ``c`` (a
count of 128-bit blocks) takes lane ``i % lanes`` of the cipher block with counter
``c + i // lanes``; a transform turns each block's four 32-bit words into ``lanes`` values
(4 for 32-bit results, 2 for 64-bit results, 1 when a value needs all 128 bits). The local
block of a split array is a set of runs of consecutive global indices (one run per index of
the axes before ``split``), all of the same length, so each rank computes the blocks its runs
touch and nothing else: the values do not depend on the number of processes or the split.

Examples
--------
>>> local_runs((4, 6), 1, (3, 3), 1)  # runs start at 3, 9, 15, 21; 3 elements each
(3, 6, 4, 3)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import torch

from heat.core import layout

from . import native
from .threefry import MASK32, threefry4x32

__all__ = ["CHUNK", "Transform", "blocks_for", "cipher_blocks", "local_indices", "local_runs", "local_values"]

# blocks encrypted per batch of torch kernels: 4 words x 256 KiB stay in cache
CHUNK = 1 << 16

Transform = Callable[[torch.Tensor], torch.Tensor]
"""Maps cipher output words, int32 of shape (4, B), to B x lanes values. A transform that the
compiled CPU kernel also computes carries a ``native`` attribute naming it (see
``native.fill``); on CPU that kernel then fills the values directly."""


def blocks_for(n: int, lanes: int) -> int:
    """Blocks a draw of ``n`` values with ``lanes`` values per block consumes."""
    return -(-n // lanes)


def local_runs(
    gshape: Sequence[int], split: int | None, counts: Sequence[int] | None, rank: int
) -> tuple[int, int, int, int]:
    """The runs of consecutive global flat indices (C order) that make up ``rank``'s block, as
    ``(first, stride, number, length)``: run j covers ``first + j * stride`` and the next
    ``length - 1`` indices. A replicated or outermost-split block is one run."""
    size = math.prod(gshape)
    if split is None or counts is None:
        return 0, size, 1, size
    inner = math.prod(gshape[split + 1 :])
    outer = math.prod(gshape[:split])
    stride = gshape[split] * inner
    first = layout.offsets(counts)[rank] * inner
    length = counts[rank] * inner
    if outer == 1 or length == stride:
        return first, length * outer, 1, length * outer
    return first, stride, outer, length


def _split_words(ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Low and high 32-bit words of non-negative int64 counters, as int32 bit patterns."""
    lo = ids & MASK32
    lo -= (lo >> 31) << 32
    return lo.to(torch.int32), (ids >> 32).to(torch.int32)


def cipher_blocks(
    key: Sequence[int],
    ids: torch.Tensor | range,
    transform: Transform,
    lanes: int,
    dtype: torch.dtype,
    device: str | torch.device,
) -> torch.Tensor:
    """``transform`` of the Threefry blocks with counters ``ids`` (an int64 tensor, or a
    range made into counters a chunk at a time; words 2 and 3 zero): shape (len(ids), lanes).
    Works through ``CHUNK`` blocks at a time."""
    total = len(ids)
    out = torch.empty((total, lanes), dtype=dtype, device=device)
    on_cpu = torch.device(device).type == "cpu"
    for start in range(0, total, CHUNK):
        part = ids[start : start + CHUNK]
        kind = getattr(transform, "native", None)
        if on_cpu and kind is not None:
            first, counters = (part.start, None) if isinstance(part, range) else (0, part)
            if native.fill(kind, counters, first, key, out[start : start + len(part)]):
                continue
        if isinstance(part, range):
            part = torch.arange(part.start, part.stop, dtype=torch.int64, device=device)
        words = torch.zeros((4, part.numel()), dtype=torch.int32, device=device)
        words[0], words[1] = _split_words(part)
        out[start : start + len(part)] = transform(threefry4x32(words, key))
    return out


def local_values(
    key: Sequence[int],
    position: int,
    gshape: Sequence[int],
    split: int | None,
    counts: Sequence[int] | None,
    rank: int,
    lanes: int,
    transform: Transform,
    dtype: torch.dtype,
    device: str | torch.device,
) -> torch.Tensor:
    """This rank's block of an array drawn at stream ``position``: element i is lane
    ``i % lanes`` of ``transform`` of block ``position + i // lanes``."""
    lshape = layout.local_shape(gshape, split, counts, rank)
    if math.prod(lshape) == 0:
        return torch.empty(lshape, dtype=dtype, device=device)
    s, stride, number, length = local_runs(gshape, split, counts, rank)
    if number == 1:
        first, last = s // lanes, (s + length - 1) // lanes
        blocks = range(position + first, position + last + 1)
        values = cipher_blocks(key, blocks, transform, lanes, dtype, device).reshape(-1)
        return values[s % lanes : s % lanes + length].reshape(lshape)
    per_run = blocks_for(length, lanes) + 1
    begin = torch.arange(number, dtype=torch.int64, device=device) * stride + s
    ids = (position + begin // lanes)[:, None] + torch.arange(per_run, dtype=torch.int64, device=device)
    values = cipher_blocks(key, ids.reshape(-1), transform, lanes, dtype, device).reshape(number, -1)
    index = (begin % lanes)[:, None] + torch.arange(length, dtype=torch.int64, device=device)
    return values.gather(1, index).reshape(lshape)


def local_indices(
    gshape: Sequence[int],
    split: int | None,
    counts: Sequence[int] | None,
    rank: int,
    device: str | torch.device,
) -> torch.Tensor:
    """Global flat indices (C order, int64) of ``rank``'s block, in local C order."""
    first, stride, number, length = local_runs(gshape, split, counts, rank)
    if math.prod(layout.local_shape(gshape, split, counts, rank)) == 0:
        return torch.empty(0, dtype=torch.int64, device=device)
    runs = torch.arange(number, dtype=torch.int64, device=device)[:, None] * stride + first
    return (runs + torch.arange(length, dtype=torch.int64, device=device)).reshape(-1)
