"""Transforms from cipher blocks to values: each takes the four 32-bit output words of B
blocks (int32, shape (4, B)) and returns B x ``lanes`` values, lane l of block b being
element ``lanes * b + l`` of the stream.

- **Uniform floats** use the top ``m`` bits of a word (``m`` = 24 for float32, 11 for
  float16, 8 for bfloat16: the significand width) or of a 64-bit pair of words (53 bits for
  float64) times ``2**-m``: every multiple of ``2**-m`` in [0, 1) equally likely, never 1.
- **Normals** by Box-Muller on a pair of uniforms (an exact transform): the first uniform is
  shifted to (0, 1] so the logarithm is finite; the cosine branch gives the even lane, the
  sine branch the odd lane, so both values of a pair are used.
- **Exponentials** are ``-log1p(-u)`` of a uniform ``u`` in [0, 1).
- **Integers** in ``[low, low + r)`` (``1 <= r <= 2**64``) are ``floor(X * r / 2**128)`` for
  the 128-bit number X of a whole block: no modulo; each value has probability within
  ``2**-128`` of ``1/r`` (relative deviation at most ``r / 2**128 <= 2**-64``), and no value
  needs a variable number of draws.

Examples
--------
>>> words = torch.tensor([[-1], [0], [1 << 8], [0]], dtype=torch.int32)
>>> uniform(torch.float32)[1](words)
tensor([[1.0000e+00, 0.0000e+00, 5.9605e-08, 0.0000e+00]])
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch

from .streams import Transform
from .threefry import MASK32

__all__ = ["exponential", "integers", "lanes_of", "mantissa_bits", "normal", "uniform"]


def mantissa_bits(dtype: torch.dtype) -> int:
    """Significand width of a float dtype, the implicit bit included (float32: 24).

    >>> mantissa_bits(torch.float64)
    53
    """
    return round(-math.log2(torch.finfo(dtype).eps)) + 1


def _top32(words: torch.Tensor, bits: int) -> torch.Tensor:
    """The top ``bits`` bits of each 32-bit word, as float32 integers."""
    return ((words >> (32 - bits)) & ((1 << bits) - 1)).to(torch.float32)


def _top64(lo: torch.Tensor, hi: torch.Tensor, bits: int) -> torch.Tensor:
    """The top ``bits`` (<= 53) bits of the 64-bit numbers ``hi * 2**32 + lo``, as float64."""
    wide = ((hi.to(torch.int64) & MASK32) << 32) | (lo.to(torch.int64) & MASK32)
    return ((wide >> (64 - bits)) & ((1 << bits) - 1)).to(torch.float64)


def _compute_dtype(dtype: torch.dtype) -> torch.dtype:
    return torch.float64 if dtype == torch.float64 else torch.float32


def _unit(words: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """Uniforms in [0, 1) in the compute dtype, shape (lanes, B)."""
    if dtype == torch.float64:
        return _top64(words[0::2], words[1::2], 53) * 2.0**-53
    bits = mantissa_bits(dtype)
    return _top32(words, bits) * 2.0**-bits


def lanes_of(dtype: torch.dtype) -> int:
    """Values per block for a float dtype: 4 from 32-bit words, 2 from 64-bit pairs."""
    return 2 if dtype == torch.float64 else 4


Post = Callable[[torch.Tensor], torch.Tensor]
"""Maps contiguous uniforms of shape (B, lanes), in the compute dtype, to B x lanes values."""


def _from_uniforms(dtype: torch.dtype, post: Post | None) -> tuple[int, Transform]:
    """Lanes and transform ``post(uniforms)``: the uniforms are made contiguous first, so the
    values are the same whether they come from here or from the compiled kernel, which fills the
    uniforms itself (the transform's ``native`` attribute)."""

    def transform(words: torch.Tensor) -> torch.Tensor:
        u = _unit(words, dtype).t()
        return (u if post is None else post(u.contiguous())).to(dtype)

    transform.native = ("uniform", mantissa_bits(dtype), post)  # type: ignore[attr-defined]
    return lanes_of(dtype), transform


def uniform(dtype: torch.dtype) -> tuple[int, Transform]:
    """Lanes and transform of uniform floats in [0, 1)."""
    return _from_uniforms(dtype, None)


def exponential(dtype: torch.dtype) -> tuple[int, Transform]:
    """Lanes and transform of standard exponentials (scale 1)."""
    return _from_uniforms(dtype, lambda u: torch.log1p(u.neg_()).neg_())


def normal(dtype: torch.dtype) -> tuple[int, Transform]:
    """Lanes and transform of standard normals (Box-Muller, both branches)."""
    scale = 2.0 ** -mantissa_bits(dtype)

    def box_muller(u: torch.Tensor) -> torch.Tensor:
        first, second = u[:, 0::2], u[:, 1::2]  # (B, pairs)
        radius = torch.sqrt((first + scale).log_().mul_(-2.0))  # first + 2**-m lies in (0, 1]
        angle = second * (2.0 * math.pi)
        z = torch.empty((*first.shape, 2), dtype=u.dtype, device=u.device)
        torch.mul(radius, torch.cos(angle), out=z[..., 0])
        torch.mul(radius, angle.sin_(), out=z[..., 1])
        return z.reshape(u.shape)  # lane = 2 * pair + branch

    return _from_uniforms(dtype, box_muller)


def integers(low: int, span: int, dtype: torch.dtype) -> tuple[int, Transform]:
    """Lanes and transform of integers uniform in ``[low, low + span)``, ``1 <= span <= 2**64``:
    ``low + floor(X * span / 2**128)`` with X the 128-bit value of the block."""
    if not 1 <= span <= 1 << 64:
        raise ValueError(f"integers: span {span} must be in [1, 2**64]")
    b0, b1 = span & MASK32, span >> 32

    def transform(words: torch.Tensor) -> torch.Tensor:
        a = [w.to(torch.int64) & MASK32 for w in words]
        high: torch.Tensor
        if span == 1 << 64:
            high = (a[3] << 32) | a[2]
        else:
            high = _mulhi128(a, b0, b1)
        return high.add_(low).to(dtype)[:, None]

    transform.native = ("integers", low, span)  # type: ignore[attr-defined]
    return 1, transform


def _mulhi128(a: list[torch.Tensor], b0: int | torch.Tensor, b1: int | torch.Tensor) -> torch.Tensor:
    """``floor(X * b / 2**128)`` for X = sum(a[i] * 2**(32 i)) (32-bit limbs in int64) and
    b = b1 * 2**32 + b0 < 2**64 (ints, or int64 tensors of 32-bit halves, one per element), as
    the int64 bit pattern of the (< 2**64) result."""

    def parts(x: torch.Tensor, b: int | torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        p = x * b  # the 64-bit product, wrapped into int64: its bit pattern is exact
        return p & MASK32, (p >> 32) & MASK32

    hi00 = parts(a[0], b0)[1]
    lo10, hi10 = parts(a[1], b0)
    lo01, hi01 = parts(a[0], b1)
    lo20, hi20 = parts(a[2], b0)
    lo11, hi11 = parts(a[1], b1)
    lo30, hi30 = parts(a[3], b0)
    lo21, hi21 = parts(a[2], b1)
    lo31, hi31 = parts(a[3], b1)
    column = hi00 + lo10 + lo01
    column = hi10 + hi01 + lo20 + lo11 + (column >> 32)
    column = hi20 + hi11 + lo30 + lo21 + (column >> 32)
    column = hi30 + hi21 + lo31 + (column >> 32)
    top = hi31 + (column >> 32)
    return (top << 32) | (column & MASK32)
