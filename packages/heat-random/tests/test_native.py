"""The compiled CPU kernel against the torch cipher (itself checked against Random123's
known answers): the same words and the same uniform floats, so the values never depend on
which of the two ran."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import torch
from test_threefry import KAT

from heat.random import distributions, native, streams
from heat.random.threefry import MASK32, as_int32, threefry4x32

pytestmark = pytest.mark.skipif(not native.available(), reason="no C compiler on this machine")

KEYS = [(0, 0, 0, 0), (MASK32, MASK32, 7, 0), (0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344)]


def torch_words(counters: torch.Tensor, key: tuple[int, ...]) -> torch.Tensor:
    x = torch.zeros((4, counters.numel()), dtype=torch.int32)
    x[0], x[1] = streams._split_words(counters)
    return threefry4x32(x, key, compiled=False)


def counters_for(first: int, n: int) -> torch.Tensor:
    return torch.arange(first, first + n, dtype=torch.int64)


@pytest.mark.parametrize(("rounds", "ctr", "key", "expected"), [k for k in KAT if k[0] == 20])
def test_known_answers(
    rounds: int, ctr: tuple[int, ...], key: tuple[int, ...], expected: tuple[int, ...]
) -> None:
    x = torch.tensor([[as_int32(c)] for c in ctr], dtype=torch.int32)
    assert native.encrypt_inplace(x, key)
    assert [int(w) & MASK32 for w in x[:, 0]] == list(expected)


@pytest.mark.parametrize("key", KEYS)
def test_words_match_the_torch_cipher(key: tuple[int, ...]) -> None:
    x = torch.randint(-(1 << 31), 1 << 31, (4, 37), dtype=torch.int32)
    expected = threefry4x32(x.clone(), key, compiled=False)
    assert torch.equal(threefry4x32(x.clone(), key), expected)
    y = x.clone()
    assert native.encrypt_inplace(y, key)
    assert torch.equal(y, expected)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.float16, torch.bfloat16])
@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("distribution", ["uniform", "normal", "exponential"])
def test_floats_match_the_transform(dtype: torch.dtype, key: tuple[int, ...], distribution: str) -> None:
    lanes, transform = getattr(distributions, distribution)(dtype)
    first, n = (1 << 32) - 20, 50
    expected = transform(torch_words(counters_for(first, n), key))
    out = torch.empty((n, lanes), dtype=dtype)
    assert native.fill(transform.native, None, first, key, out)
    assert torch.equal(out, expected)
    out2 = torch.empty_like(out)
    assert native.fill(transform.native, counters_for(first, n), 0, key, out2)
    assert torch.equal(out2, expected)


@pytest.mark.parametrize(
    ("low", "span", "dtype"),
    [
        (0, 1, torch.int64),
        (-5, 1000, torch.int64),
        (0, 1000, torch.int16),
        (-(1 << 63), 1 << 64, torch.int64),
        (-(1 << 62), (1 << 63) + 12345, torch.int64),
        (3, (1 << 32) + 1, torch.int64),
        (-128, 256, torch.int8),
        (0, 255, torch.uint8),
    ],
)
def test_integers_match_the_transform(low: int, span: int, dtype: torch.dtype) -> None:
    lanes, transform = distributions.integers(low, span, dtype)
    first, n = (1 << 32) - 20, 64
    expected = transform(torch_words(counters_for(first, n), key=KEYS[2]))
    out = torch.empty((n, lanes), dtype=dtype)
    assert native.fill(transform.native, None, first, KEYS[2], out)
    assert torch.equal(out, expected)
    out2 = torch.empty_like(out)
    assert native.fill(transform.native, counters_for(first, n), 0, KEYS[2], out2)
    assert torch.equal(out2, expected)


def test_fill_declines_what_it_cannot_fill() -> None:
    uniform = ("uniform", 24, None)
    assert not native.fill(("uniform", 25, None), None, 0, (0,) * 4, torch.empty((3, 4)))
    assert not native.fill(uniform, None, 0, (0,) * 4, torch.empty((3, 2), dtype=torch.float32))
    assert not native.fill(uniform, None, 0, (0,) * 4, torch.empty((4, 3), dtype=torch.float32).t())
    assert not native.fill(("integers", 0, 5), None, 0, (0,) * 4, torch.empty((3, 1)))
    assert not native.fill(("normal",), None, 0, (0,) * 4, torch.empty((3, 4)))
    assert native.fill(uniform, None, 0, (0,) * 4, torch.empty((0, 4), dtype=torch.float32))


def test_encrypt_inplace_declines_what_it_cannot_encrypt() -> None:
    assert not native.encrypt_inplace(torch.zeros((4, 3), dtype=torch.int64), (0,) * 4)
    assert not native.encrypt_inplace(torch.zeros((3, 4), dtype=torch.int32).t(), (0,) * 4)
    assert not native.encrypt_inplace(torch.zeros((2, 3), dtype=torch.int32), (0,) * 4)


def test_bad_counters() -> None:
    with pytest.raises(ValueError, match="int64"):
        native.fill(("uniform", 24, None), torch.zeros(3, dtype=torch.int32), 0, (0,) * 4, torch.empty(3, 4))


def test_draws_are_the_same_without_the_kernel(tmp_path: object) -> None:
    """A process with HEAT_RANDOM_NATIVE=0 draws the same values through the torch cipher."""
    code = (
        "import sys, torch, heat as ht\n"
        "from heat.random import native\n"
        "rng = ht.random.default_rng(11)\n"
        "parts = [rng.random((300, 7), dtype=ht.float32, split=1).larray,\n"
        "         rng.random((5, 41), split=0).larray, rng.standard_normal(99).larray,\n"
        "         rng.integers(-7, 10**12, (30, 3), split=1).larray,\n"
        "         rng.standard_normal((70000, 3), dtype=ht.float32, split=1).larray,\n"
        "         rng.exponential(2.0, 70001).larray]\n"
        "torch.save(parts, sys.argv[1])\n"
        "print(native.available())\n"
    )
    results = {}
    for flag in ("0", "1"):
        path = os.path.join(str(tmp_path), f"draw{flag}.pt")
        env = {**os.environ, "HEAT_RANDOM_NATIVE": flag}
        for name in ("PMI_RANK", "PMI_SIZE", "PMI_FD", "PMI_PORT", "PMI_ID", "PMIX_RANK"):
            env.pop(name, None)
        proc = subprocess.run(
            [sys.executable, "-c", code, path],
            check=False,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == ("True" if flag == "1" else "False")
        results[flag] = torch.load(path)
    for a, b in zip(results["0"], results["1"]):
        assert torch.equal(a, b)
