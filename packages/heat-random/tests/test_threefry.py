"""The cipher and the value transforms against independent references: Random123's
known-answer vectors and Python's big integers."""

from __future__ import annotations

import random

import pytest
import torch

from heat.random import distributions, streams
from heat.random.threefry import MASK32, as_int32, threefry4x32

# Known-answer vectors of Threefry-4x32 from Random123's tests/kat_vectors (D. E. Shaw
# Research, Random123 1.x; found reproduced in the known-answer tests of its ports, e.g. the
# Randii OCaml port's "threefry4x32 13/20/72" cases). Columns: rounds, counter, key, output.
PI_CTR = (0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344)
PI_KEY = (0xA4093822, 0x299F31D0, 0x082EFA98, 0xEC4E6C89)
ONES = (MASK32,) * 4
KAT = [
    (13, (0,) * 4, (0,) * 4, (0x531C7E4F, 0x39491EE5, 0x2C855A92, 0x3D6ABF9A)),
    (13, ONES, ONES, (0xC4189358, 0x1C9CC83A, 0xD5881C67, 0x6A0A89E0)),
    (13, PI_CTR, PI_KEY, (0x4AA71D8F, 0x734738C2, 0x431FC6A8, 0xAE6DEBF1)),
    (20, (0,) * 4, (0,) * 4, (0x9C6CA96A, 0xE17EAE66, 0xFC10ECD4, 0x5256A7D8)),
    (20, ONES, ONES, (0x2A881696, 0x57012287, 0xF6C7446E, 0xA16A6732)),
    (20, PI_CTR, PI_KEY, (0x59CD1DBB, 0xB8879579, 0x86B5D00C, 0xAC8B6D84)),
    (72, (0,) * 4, (0,) * 4, (0x93171DA6, 0x9220326D, 0xB392B7B1, 0xFF58A002)),
    (72, ONES, ONES, (0x60743F3D, 0x9961E684, 0xAAB21C34, 0x8C65FB7D)),
    (72, PI_CTR, PI_KEY, (0x09930ADF, 0x7F27BD55, 0x9ED68CE1, 0x97F803F6)),
]


@pytest.mark.parametrize(("rounds", "ctr", "key", "expected"), KAT)
def test_known_answers(
    rounds: int, ctr: tuple[int, ...], key: tuple[int, ...], expected: tuple[int, ...]
) -> None:
    x = torch.tensor([[as_int32(c)] for c in ctr], dtype=torch.int32)
    out = threefry4x32(x, key, rounds=rounds)
    assert [int(w) & MASK32 for w in out[:, 0]] == list(expected)


def test_blocks_are_independent_of_batching() -> None:
    """A block's output does not depend on the other blocks encrypted with it."""
    ctr = torch.tensor([[as_int32(c) for c in PI_CTR]] * 3, dtype=torch.int32).t().contiguous()
    ctr[0, 0] = 0
    out = threefry4x32(ctr.clone(), PI_KEY)
    single = threefry4x32(ctr[:, 1:2].clone(), PI_KEY)
    assert torch.equal(out[:, 1:2], single)
    assert [int(w) & MASK32 for w in out[:, 2]] == [0x59CD1DBB, 0xB8879579, 0x86B5D00C, 0xAC8B6D84]


def test_bad_counters() -> None:
    with pytest.raises(ValueError, match="int32 of shape"):
        threefry4x32(torch.zeros((3, 2), dtype=torch.int32), (0, 0, 0, 0))
    with pytest.raises(ValueError, match="4 words"):
        threefry4x32(torch.zeros((4, 2), dtype=torch.int32), (0, 0))


def _words(values: list[int]) -> torch.Tensor:
    blocks = len(values) // 4
    rows = [[as_int32(values[4 * b + i]) for b in range(blocks)] for i in range(4)]
    return torch.tensor(rows, dtype=torch.int32)


@pytest.mark.parametrize(
    "span", [1, 2, 3, 7, 255, 2**32 - 1, 2**32, 2**32 + 1, 12345678901234567, 2**63, 2**64 - 1, 2**64]
)
def test_integers_are_the_widening_multiply(span: int) -> None:
    rng = random.Random(span)
    raw = [rng.getrandbits(32) for _ in range(4 * 64)] + [0] * 4 + [MASK32] * 4
    low = -(2**63) if span > 2**63 else 0
    got = distributions.integers(low, span, torch.int64)[1](_words(raw))[:, 0].tolist()
    for b, value in enumerate(got):
        x = sum(raw[4 * b + i] << (32 * i) for i in range(4))
        assert value == low + ((x * span) >> 128)


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32, torch.float64])
def test_uniform_uses_the_full_significand(dtype: torch.dtype) -> None:
    bits = distributions.mantissa_bits(dtype)
    raw = [0, MASK32, 1 << 31, 0x12345678] * 3 + [MASK32] * 4
    lanes, transform = distributions.uniform(dtype)
    u = transform(_words(raw)).double().reshape(-1)
    assert u.numel() == 4 * lanes
    scaled = u * 2.0**bits
    assert torch.equal(scaled, scaled.floor()) and bool((u < 1).all()) and bool((u >= 0).all())
    assert float(u.max()) == 1 - 2.0**-bits  # all-ones bits give the largest value below 1


def test_local_runs_cover_the_block() -> None:
    gshape = (3, 5, 4)
    full = torch.arange(60).reshape(gshape)
    for split in (None, 0, 1, 2):
        counts = None if split is None else (2, 0, gshape[split] - 2)
        for rank in range(3):
            got = streams.local_indices(gshape, split, counts, rank, "cpu")
            if split is None:
                want = full.reshape(-1)
            else:
                key = [slice(None)] * 3
                start = sum(counts[:rank])
                key[split] = slice(start, start + counts[rank])
                want = full[tuple(key)].reshape(-1)
            assert torch.equal(got, want), (split, rank)
