"""Random permutations of [0, n) that each rank evaluates at its own positions.

``forward(i)`` is the value at position i of the permutation, ``inverse(v)`` the position of
value v; both are pure functions of (key, stream position, n), so the permutation is the same
for any number of processes and a rank computes only its slice (O(local) memory).

- ``n <= SMALL``: the stable argsort of n 64-bit cipher values (a uniform shuffle; O(n) work
  and memory on every rank, at most 512 KiB).
- larger n: a keyed bijection, a balanced Feistel network of ``ROUNDS`` rounds over the
  smallest domain [0, 4**h) holding n, with Threefry as round function (round key: the
  round number and the stream position), restricted to [0, n) by cycle walking (apply the
  network again while the value is >= n; fewer than 4 applications on average since
  4**h < 4n). The inverse runs the rounds backwards.

Examples
--------
>>> key = (1, 0, 1, 0)
>>> sorted(forward(key, 0, 5, torch.arange(5)).tolist())
[0, 1, 2, 3, 4]
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from .streams import CHUNK
from .threefry import threefry4x32

__all__ = ["ROUNDS", "SMALL", "forward", "inverse"]

SMALL = 1 << 16
ROUNDS = 6


def _round_function(
    key: Sequence[int], position: int, round_: int, half: torch.Tensor, bits: int
) -> torch.Tensor:
    x = torch.empty((4, half.numel()), dtype=torch.int32, device=half.device)
    x[0] = half.to(torch.int32)  # half < 2**31: the cast is exact
    x[1] = round_
    x[2] = position & 0x7FFFFFFF
    x[3] = position >> 31
    return threefry4x32(x, key)[0].to(torch.int64) & ((1 << bits) - 1)


def _feistel(key: Sequence[int], position: int, bits: int, x: torch.Tensor, backwards: bool) -> torch.Tensor:
    mask = (1 << bits) - 1
    left, right = x >> bits, x & mask
    if not backwards:
        for r in range(ROUNDS):
            left, right = right, left ^ _round_function(key, position, r, right, bits)
    else:
        for r in reversed(range(ROUNDS)):
            left, right = right ^ _round_function(key, position, r, left, bits), left
    return (left << bits) | right


def _walk(key: Sequence[int], position: int, n: int, x: torch.Tensor, backwards: bool) -> torch.Tensor:
    bits = max(1, ((n - 1).bit_length() + 1) // 2)
    y = _feistel(key, position, bits, x, backwards)
    outside = torch.nonzero(y >= n).reshape(-1)
    while outside.numel():  # cycle walking; local only, no rank waits for another
        y[outside] = _feistel(key, position, bits, y[outside], backwards)
        outside = outside[y[outside] >= n]
    return y


def _small(key: Sequence[int], position: int, n: int, device: torch.device) -> torch.Tensor:
    """The whole permutation for small n: stable argsort of n cipher values."""
    sort_keys = torch.empty(n, dtype=torch.int64, device=device)
    for start in range(0, n, CHUNK):
        m = min(CHUNK, n - start)
        x = torch.zeros((4, m), dtype=torch.int32, device=device)
        x[0] = torch.arange(start, start + m, dtype=torch.int32, device=device)
        x[1] = -1  # never a Feistel round number
        x[2] = position & 0x7FFFFFFF
        x[3] = position >> 31
        words = threefry4x32(x, key)
        sort_keys[start : start + m] = (words[0].to(torch.int64) << 32) | (
            words[1].to(torch.int64) & 0xFFFFFFFF
        )
    return torch.argsort(sort_keys, stable=True)


def forward(key: Sequence[int], position: int, n: int, index: torch.Tensor) -> torch.Tensor:
    """Values of the permutation of [0, n) at positions ``index`` (int64)."""
    if index.numel() == 0:
        return index.clone()
    if n <= SMALL:
        return _small(key, position, n, index.device)[index]
    return _walk(key, position, n, index.clone(), backwards=False)


def inverse(key: Sequence[int], position: int, n: int, value: torch.Tensor) -> torch.Tensor:
    """Positions of ``value`` (int64) in the permutation of [0, n)."""
    if value.numel() == 0:
        return value.clone()
    if n <= SMALL:
        order = _small(key, position, n, value.device)
        where = torch.empty_like(order)
        where[order] = torch.arange(n, dtype=torch.int64, device=value.device)
        return where[value]
    return _walk(key, position, n, value.clone(), backwards=True)
