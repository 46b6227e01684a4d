"""The Threefry-4x32-20 block cipher (Salmon et al., "Parallel random numbers: as easy as 1, 2,
3", SC 2011; the Random123 library) on torch int32 tensors.

A counter-based generator: ``threefry4x32(counter, key)`` maps a 128-bit counter and a 128-bit
key to 128 pseudo-random bits, so the random bits of element ``i`` of any array are a pure
function of ``(key, i)`` and can be computed wherever element ``i`` lives. The 32-bit words are
held as int32 bit patterns: additions wrap modulo 2^32, and the logical right shift of a
rotation is an arithmetic shift followed by a mask. Every operation is an in-place torch kernel
over one word of a chunk of blocks, so the same code runs on CPU and GPU.

Examples
--------
>>> x = torch.zeros((4, 1), dtype=torch.int32)
>>> [hex(int(w) & 0xFFFFFFFF) for w in threefry4x32(x, (0, 0, 0, 0))[:, 0]]
['0x9c6ca96a', '0xe17eae66', '0xfc10ecd4', '0x5256a7d8']
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from . import native

__all__ = ["MASK32", "ROUNDS", "as_int32", "threefry4x32"]

ROUNDS = 20
MASK32 = 0xFFFFFFFF
# rotation constants of Threefry-4x32, one pair per round modulo 8 (Random123's R_32x4)
_ROTATIONS = ((10, 26), (11, 21), (13, 27), (23, 5), (6, 20), (17, 11), (25, 10), (18, 20))
_PARITY = 0x1BD11BDA  # Skein's key-schedule parity constant for 32-bit words


def as_int32(value: int) -> int:
    """The signed int32 with the bit pattern of ``value`` modulo 2^32.

    >>> as_int32(0xFFFFFFFF)
    -1
    """
    value &= MASK32
    return value - (1 << 32) if value >= 1 << 31 else value


def _rotate_left(word: torch.Tensor, bits: int, scratch: torch.Tensor) -> None:
    torch.bitwise_right_shift(word, 32 - bits, out=scratch)
    scratch.bitwise_and_((1 << bits) - 1)
    word.bitwise_left_shift_(bits)
    word.bitwise_or_(scratch)


def threefry4x32(
    x: torch.Tensor, key: Sequence[int], rounds: int = ROUNDS, compiled: bool = True
) -> torch.Tensor:
    """Encrypt the counters ``x`` (an int32 tensor of shape (4, B): word w of block b is
    ``x[w, b]``) with ``key`` (four unsigned 32-bit ints), in place; returns ``x``.

    A contiguous CPU ``x`` at 20 rounds goes through the compiled kernel (``native.py``) when it
    is available and ``compiled`` is true; the torch kernels below compute the same bits.

    Parameters
    ----------
    x : torch.Tensor
        int32, shape (4, B), each row contiguous; overwritten with the cipher output.
    key : sequence of 4 int
        The key words, each in [0, 2^32).
    rounds : int
        Number of rounds (Random123's default and the standard: 20).
    compiled : bool
        Allow the compiled CPU kernel (the default); False forces the torch kernels.

    Examples
    --------
    >>> x = torch.full((4, 1), -1, dtype=torch.int32)
    >>> hex(int(threefry4x32(x, (MASK32,) * 4)[0, 0]) & MASK32)
    '0x2a881696'
    """
    if x.dtype != torch.int32 or x.dim() != 2 or x.shape[0] != 4:
        raise ValueError(
            f"threefry4x32: counters must be int32 of shape (4, B), got {x.dtype} {tuple(x.shape)}"
        )
    k = [int(w) & MASK32 for w in key]
    if len(k) != 4:
        raise ValueError(f"threefry4x32: the key has 4 words, got {len(k)}")
    if compiled and rounds == ROUNDS and native.encrypt_inplace(x, k):
        return x
    schedule = [*k, _PARITY ^ k[0] ^ k[1] ^ k[2] ^ k[3]]
    w = [x[i] for i in range(4)]
    scratch = torch.empty_like(w[0])
    for i in range(4):
        w[i].add_(as_int32(schedule[i]))
    for r in range(rounds):
        left, right = _ROTATIONS[r % 8]
        # even rounds mix (x0, x1) and (x2, x3); odd rounds (x0, x3) and (x2, x1)
        pairs = (
            ((w[0], w[1], left), (w[2], w[3], right))
            if r % 2 == 0
            else ((w[0], w[3], left), (w[2], w[1], right))
        )
        for a, b, bits in pairs:
            a.add_(b)
            _rotate_left(b, bits, scratch)
            b.bitwise_xor_(a)
        if r % 4 == 3:  # key injection s after every fourth round
            s = r // 4 + 1
            for i in range(4):
                w[i].add_(as_int32(schedule[(s + i) % 5] + (s if i == 3 else 0)))
    return x
