"""The unique feature: for every function, seed, shape and split the gathered array equals the
one computed with split=None on a one-process communicator, bitwise, so it is the same for any
number of processes. Plus state handling and bad input."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from core_helpers import assert_eq, distribute, splits

import heat as ht
from heat.random import Generator, default_rng, permutations

SHAPES = [(), (0,), (1,), (2,), (7,), (5, 3), (2, 0, 3), (3, 4, 2), (2, 1)]
SEEDS = [0, 2**64 - 1, 12345]

Draw = Callable[[Generator, tuple[int, ...], dict[str, Any]], ht.DNDarray]
# name -> (draw, whether the function needs at least one element)
DRAWS: dict[str, Draw] = {
    "rand": lambda g, s, kw: g.rand(*s, **kw),
    "rand-f32": lambda g, s, kw: g.rand(s, dtype=ht.float32, **kw),
    "random-f16": lambda g, s, kw: g.random(s, dtype=ht.float16, **kw),
    "random_sample-bf16": lambda g, s, kw: g.random_sample(s, dtype=ht.bfloat16, **kw),
    "randn": lambda g, s, kw: g.randn(*s, **kw),
    "randn-f32": lambda g, s, kw: g.randn(*s, dtype=ht.float32, **kw),
    "standard_normal-f16": lambda g, s, kw: g.standard_normal(s, dtype="float16", **kw),
    "normal": lambda g, s, kw: g.normal(3.0, 2.5, s, **kw),
    "uniform-f32": lambda g, s, kw: g.uniform(-2.0, 5.0, s, dtype=ht.float32, **kw),
    "exponential": lambda g, s, kw: g.exponential(2.0, s, **kw),
    "randint": lambda g, s, kw: g.randint(-5, 7, s, **kw),
    "randint-int8-full": lambda g, s, kw: g.randint(-128, 128, s, dtype=ht.int8, **kw),
    "randint-uint8": lambda g, s, kw: g.randint(250, size=s, dtype=ht.uint8, **kw),
    "randint-int16": lambda g, s, kw: g.randint(-3, 30000, s, dtype=ht.int16, **kw),
    "randint-int32-full": lambda g, s, kw: g.randint(-(2**31), 2**31, s, dtype=ht.int32, **kw),
    "randint-int64-full": lambda g, s, kw: g.randint(-(2**63), 2**63, s, dtype=ht.int64, **kw),
    "integers-2**40": lambda g, s, kw: g.integers(0, 2**40, s, endpoint=True, **kw),
    "integers-bool": lambda g, s, kw: g.integers(0, 2, s, dtype=ht.bool, **kw),
    "choice-replace": lambda g, s, kw: g.choice(9, s, **kw),
    "choice-no-replace": lambda g, s, kw: g.choice(30, s, replace=False, **kw),
    "choice-p": lambda g, s, kw: g.choice(4, s, p=[0.1, 0.0, 0.6, 0.3], **kw),
    "choice-p-no-replace": lambda g, s, kw: g.choice(
        40, s, replace=False, p=np.arange(40) / np.arange(40).sum(), **kw
    ),
}


def same_everywhere(draw: Draw, seed: int, shape: tuple[int, ...]) -> None:
    want_rng = default_rng(seed)
    want = draw(want_rng, shape, {"comm": ht.MPI_SELF})
    expected = want.larray.float().numpy() if want.dtype == ht.bfloat16 else want.numpy()
    for split in splits(len(shape)):
        rng = default_rng(seed)
        got = draw(rng, shape, {"split": split})
        assert_eq(got, expected, dtype=want.dtype)
        assert rng.get_state() == want_rng.get_state()


@pytest.mark.parametrize("name", list(DRAWS))
def test_same_array_for_any_process_count(name: str) -> None:
    for i, shape in enumerate(SHAPES):
        same_everywhere(DRAWS[name], SEEDS[i % len(SEEDS)], shape)


def test_large_enough_to_span_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ht.random.streams, "CHUNK", 5)
    for name in ("rand-f32", "randn", "randint-int64-full"):
        same_everywhere(DRAWS[name], 11, (13, 6))


@pytest.mark.parametrize("small", [True, False])
def test_permutations(small: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    sizes = (0, 1, 2, 5, 17, 100) if small else (2, 40)
    if not small:
        monkeypatch.setattr(permutations, "SMALL", 0)  # the Feistel bijection
    for n in sizes:
        same_everywhere(lambda g, s, kw, n=n: g.randperm(n, **kw), 3, ())
        if small:
            same_everywhere(lambda g, s, kw, n=n: g.permutation(n, **kw), 4, ())
        p = default_rng(5).randperm(n, split=0)
        assert sorted(p.numpy().tolist()) == list(range(n))
    same_everywhere(DRAWS["choice-no-replace"], 6, (5, 4))


@pytest.mark.parametrize(
    ("small", "shape"),
    [*((True, s) for s in [(1,), (2, 3), (7,), (6, 4), (5, 2, 3), (0, 3)]), (False, (7,)), (False, (6, 4))],
)
def test_permutation_and_shuffle_of_arrays(
    small: bool, shape: tuple[int, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    if not small:
        monkeypatch.setattr(permutations, "SMALL", 0)
    data = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    want = default_rng(9).permutation(ht.array(data, comm=ht.MPI_SELF)).numpy()
    assert sorted(want[:, 0].tolist() if want.ndim > 1 else want.tolist()) == sorted(
        data[:, 0].tolist() if data.ndim > 1 else data.tolist()
    )
    order = default_rng(9).randperm(shape[0], comm=ht.MPI_SELF).numpy()
    np.testing.assert_array_equal(want, data[order])  # x[perm], as NumPy defines it
    for split in splits(len(shape)):
        x = distribute(data, split)
        assert_eq(default_rng(9).permutation(x), want)
        default_rng(9).shuffle(x)
        assert_eq(x, want)


def test_permutation_of_unbalanced_blocks() -> None:
    from core_helpers import random_counts

    data = np.arange(40).reshape(10, 4)
    want = default_rng(2).permutation(ht.array(data, comm=ht.MPI_SELF)).numpy()
    x = distribute(data, 0, random_counts(10, ht.get_comm().size, 3))
    y = default_rng(2).permutation(x)
    assert y.counts == x.counts
    assert_eq(y, want)


@pytest.mark.parametrize("p_split", [None, 0])
@pytest.mark.parametrize("a_split", [None, 0])
def test_choice_from_arrays(a_split: int | None, p_split: int | None) -> None:
    values = np.arange(10, 20).astype(np.int32)
    p = np.array([0.05, 0.0, 0.2, 0.05, 0.1, 0.3, 0.0, 0.1, 0.1, 0.1])
    a_ref = ht.array(values, comm=ht.MPI_SELF)
    for options in ({"p": p}, {"p": p, "replace": False}, {"replace": False}, {}):
        want = default_rng(1).choice(a_ref, (3, 2), **options).numpy()
        assert set(want.reshape(-1).tolist()) <= set(values.tolist())
        kwargs: dict[str, Any] = dict(options)
        if "p" in options:
            assert not {11, 16} & set(want.reshape(-1).tolist())
            kwargs["p"] = distribute(p, p_split)
        for split in (None, 0, 1):
            got = default_rng(1).choice(distribute(values, a_split), (3, 2), split=split, **kwargs)
            assert_eq(got, want)


def test_choice_without_replacement_is_distinct() -> None:
    got = default_rng(4).choice(50, 50, replace=False, split=0).numpy()
    assert sorted(got.tolist()) == list(range(50))


def test_no_communication_for_values(collective_calls: list[str]) -> None:
    default_rng(1).rand(10, 4, split=1)
    default_rng(1).randint(0, 5, (3, 9), split=0)
    assert collective_calls == []


def test_global_state_round_trip() -> None:
    ht.random.seed(123)
    assert ht.random.get_state() == ("Threefry", 123, 0, 0, 0.0)
    a = ht.random.rand(5, split=0)
    state = ht.random.get_state()
    assert state[2] == 3  # 5 float64 values, 2 per 128-bit block
    b = ht.random.randn(4, 3, split=1)
    ht.random.set_state(state)
    assert_eq(ht.random.randn(4, 3), b.numpy())
    ht.random.set_state(state[:3])
    assert_eq(ht.random.randn(4, 3, split=0), b.numpy())
    ht.random.seed(123)
    assert_eq(ht.random.random_sample(5), a.numpy())
    for alias in (ht.random.ranf, ht.random.sample, ht.random.random):
        ht.random.seed(123)
        assert_eq(alias(5, split=0), a.numpy())


def test_generators_are_independent() -> None:
    g1, g2 = default_rng(8), default_rng(8)
    ht.random.seed(0)
    x = g1.random(6)
    ht.random.rand(100)  # the global stream does not move g2
    g1.random(50)
    assert_eq(g2.random(6, split=0), x.numpy())
    assert default_rng(g1) is g1
    assert not np.array_equal(default_rng(9).random(6).numpy(), x.numpy())


def test_unseeded_generators_agree_across_ranks() -> None:
    g = default_rng()
    seeds = ht.get_comm().allgather_object(g.get_state()[1])
    assert len(set(seeds)) == 1
    ht.random.seed()
    assert len(set(ht.get_comm().allgather_object(ht.random.get_state()[1]))) == 1


def test_values_follow_the_counter_layout() -> None:
    """float32 element i uses lane i % 4 of block i // 4: a draw continues where the last ended."""
    both = default_rng(5).rand(12, dtype=ht.float32).numpy()
    g = default_rng(5)
    first = g.rand(8, dtype=ht.float32, split=0).numpy()
    second = g.rand(4, dtype=ht.float32, split=0).numpy()
    np.testing.assert_array_equal(np.concatenate([first, second]), both)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: ht.random.rand(2, dtype=ht.int32), TypeError, "rand: dtype int32"),
        (lambda: ht.random.randn(2, dtype=ht.complex64), TypeError, "randn"),
        (lambda: ht.random.rand(-1), ValueError, "negative"),
        (lambda: ht.random.rand(3, split=1), ValueError, "split=1"),
        (lambda: ht.random.randint(5, 5), ValueError, "low >= high"),
        (lambda: ht.random.randint(3, 1), ValueError, "low >= high"),
        (lambda: ht.random.randint(0, 300, dtype=ht.uint8), ValueError, "out of bounds for uint8"),
        (lambda: ht.random.randint(-(2**63) - 1, 0), ValueError, "out of bounds for int64"),
        (lambda: ht.random.randint(0, 5, dtype=ht.float32), TypeError, "not an integer"),
        (lambda: ht.random.randint(0.5, 5), TypeError, "low must be an integer"),
        (lambda: ht.random.normal(0, -1.0), ValueError, "scale must be >= 0"),
        (lambda: ht.random.exponential(-1.0), ValueError, "scale must be >= 0"),
        (lambda: ht.random.uniform(-1e308, 1e308), OverflowError, "not finite"),
        (lambda: ht.random.seed(-1), ValueError, "out of range"),
        (lambda: ht.random.seed(1.5), TypeError, "seed must be an int"),
        (lambda: ht.random.set_state(("MT19937", 1, 0)), ValueError, "get_state"),
        (lambda: ht.random.set_state(("Threefry", 1, -1)), ValueError, "position"),
        (lambda: ht.random.choice(3, 4, replace=False), ValueError, "larger sample"),
        (lambda: ht.random.choice(0, 2), ValueError, "non-empty"),
        (lambda: ht.random.choice(3, p=[0.5, 0.5]), ValueError, "same size"),
        (lambda: ht.random.choice(2, p=[1.5, -0.5]), ValueError, "non-negative"),
        (lambda: ht.random.choice(2, p=[0.2, 0.2]), ValueError, "sum to"),
        (lambda: ht.random.choice(2, p=[np.nan, 1.0]), ValueError, "NaN"),
        (lambda: ht.random.choice(ht.zeros((2, 2)), 1), ValueError, "1-dimensional"),
        (lambda: ht.random.choice(3, 3, replace=False, p=[0.5, 0.0, 0.5]), ValueError, "non-zero entries"),
        (lambda: ht.random.permutation(ht.array(3.0)), ValueError, "1-dimensional"),
        (lambda: ht.random.shuffle(np.arange(3)), TypeError, "DNDarray"),
        (lambda: ht.random.randperm(-2), ValueError, "n must be >= 0"),
        (lambda: ht.random.randperm(300, dtype=ht.int8), TypeError, "cannot hold"),
    ],
)
def test_bad_input_raises_on_every_rank(call: Callable[[], Any], error: type[Exception], match: str) -> None:
    ht.random.seed(0)
    with pytest.raises(error, match=match):
        call()


def test_device_and_dtype_of_results() -> None:
    x = default_rng(0).rand(3, 2, dtype=ht.float32, split=0, device="cpu")
    assert x.device == ht.cpu and x.larray.dtype == torch.float32
    assert default_rng(0).randint(10, size=4).dtype == ht.int64
    assert default_rng(0).random().shape == ()


@pytest.mark.parametrize("param_split", [None, 0])
@pytest.mark.parametrize("split", [None, 0, 1])
def test_array_valued_parameters(param_split: int | None, split: int | None) -> None:
    """Array-valued loc/scale/low/high broadcast as in NumPy: the result is the scalar-parameter
    draw of the same shape transformed elementwise, in the requested dtype and split."""
    loc = np.linspace(-3.0, 3.0, 5)[:, None] * np.ones((5, 4))
    scale = np.array([0.5, 1.0, 2.0, 0.0])
    ht_loc = distribute(loc, param_split)
    base = default_rng(3).standard_normal((5, 4)).numpy()
    got = default_rng(3).normal(ht_loc, scale, split=split)
    assert got.shape == (5, 4) and got.split == split and got.dtype == ht.float64
    assert_eq(got, base * scale + loc, exact=False, rtol=1e-12)

    low = np.array([-1.0, 0.0, 10.0])
    u = default_rng(4).random((2, 3), dtype=ht.float32).numpy()
    got = default_rng(4).uniform(low, 20.0, size=(2, 3), dtype=ht.float32, split=split and 0)
    assert got.dtype == ht.float32
    assert_eq(got, (u * (20.0 - low) + low).astype(np.float32), exact=False, rtol=1e-5)

    e = default_rng(5).exponential(1.0, (3, 2)).numpy()
    got = default_rng(5).exponential([[1.0, 2.0]] * 3, split=split and 0)
    assert_eq(got, e * np.array([1.0, 2.0]), exact=False, rtol=1e-12)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: ht.random.normal(np.zeros(3), np.ones(2)), "do not broadcast together"),
        (lambda: ht.random.normal(np.zeros(3), 1.0, size=(3, 2)), "do not broadcast to size"),
        (lambda: ht.random.normal(0.0, ht.array([1.0, -1.0], split=0)), "every element of scale"),
        (lambda: ht.random.exponential([1.0, np.nan]), "every element of scale"),
    ],
)
def test_bad_array_parameters_raise_on_every_rank(call: Callable[[], Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("split", [None, 0, 1])
def test_integers_with_array_bounds(split: int | None) -> None:
    shape = (7, 5)
    # constant arrays give exactly the scalar-bound draw
    same = default_rng(8).integers(np.full(shape, 3), np.full(shape, 17), split=split)
    assert_eq(same, default_rng(8).integers(3, 17, size=shape, split=split).numpy())
    # varied bounds, some distributed: within range, and the same array for any process count
    low = np.arange(-3, 2)[None, :] * np.ones(shape, dtype=np.int64)
    high = low + np.array([1, 2, 50, 10**12, 3])
    for low_in in (low, distribute(low, 0), distribute(low, 1)):
        got = default_rng(9).integers(low_in, high, split=split)
        want = default_rng(9).integers(ht.array(low, comm=ht.MPI_SELF), high, comm=ht.MPI_SELF)
        assert_eq(got, want.numpy())
        values = got.numpy()
        assert (values >= low).all() and (values < high).all()
    zero = np.zeros(4, dtype=np.int64)
    ends = default_rng(1).integers(zero, [0, 1, 2, 3], endpoint=True, split=split and 0)
    assert (ends.numpy() <= np.arange(4)).all()
    small = default_rng(2).randint([5, 100], size=(3, 2), dtype=ht.int8, split=split and 0)
    assert small.dtype == ht.int8 and (small.numpy() < np.array([5, 100])).all()


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: ht.random.randint([0, 5], [3, 5]), ValueError, "low >= high"),
        (lambda: ht.random.randint([0, 5], [3, 300], dtype=ht.uint8), ValueError, "out of bounds for uint8"),
        (lambda: ht.random.randint([0.5, 1.0], 3), TypeError, "must be integers"),
        (lambda: ht.random.randint([-(2**62), 0], [2**62, 1]), ValueError, "narrower than 2\\*\\*63"),
        (lambda: ht.random.randint(np.zeros(3, dtype=np.int64), 5, size=(2, 2)), ValueError, "broadcast"),
    ],
)
def test_bad_array_bounds_raise_on_every_rank(
    call: Callable[[], Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        call()
