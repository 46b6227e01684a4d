"""sort, argsort, partition, argpartition, topk and searchsorted against NumPy (and torch for
the options NumPy lacks): every split, balanced and unbalanced (empty) blocks, 1-3 processes."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from core_helpers import assert_eq, distribute, layout_of, layouts, random_counts
from hypothesis import given, settings
from hypothesis import strategies as st

import heat as ht

RNG = np.random.default_rng(5)
SORT_DTYPES = ["bool", "uint8", "int8", "int32", "int64", "float16", "float32", "float64"]


def sample(dtype: str, shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    """Values with many duplicates; floats also carry NaN, infinities and signed zeros."""
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    if dtype.startswith(("int", "uint")):
        lo = 0 if dtype.startswith("u") else -4
        return rng.integers(lo, 5, shape).astype(dtype)
    data = np.round(rng.standard_normal(shape) * 2).astype(dtype)
    flat = data.reshape(-1)
    specials = np.array([np.nan, np.inf, -np.inf, -0.0, np.nan], dtype=dtype)
    flat[: min(flat.size, 5)] = specials[: min(flat.size, 5)]
    return rng.permutation(flat).reshape(shape)


SHAPES = [(11,), (2,), (5, 4), (3, 4, 5)]


@pytest.mark.parametrize("dtype", SORT_DTYPES)
def test_sort_and_argsort_match_numpy(dtype: str) -> None:
    for shape in SHAPES if dtype in ("int32", "float64") else SHAPES[:3]:
        data = sample(dtype, shape, seed=len(shape))
        for x in layouts(data, seed=3):
            for axis in [None, *range(data.ndim)]:
                assert_eq(ht.sort(x, axis=axis), np.sort(data, axis=axis))
                assert_eq(ht.argsort(x, axis=axis), np.argsort(data, axis=axis, kind="stable"))


def test_sorted_layout_is_balanced_along_the_split_axis() -> None:
    data = sample("float32", (13, 3), seed=1)
    comm = ht.get_comm()
    x = distribute(data, 0, random_counts(13, comm.size, 4))
    y = ht.sort(x, axis=0)
    assert y.split == 0 and y.is_balanced(), layout_of(y)
    z = ht.sort(x, axis=1)  # local: keeps the input's blocks
    assert z.split == 0 and z.counts == x.counts, layout_of(z)


@pytest.mark.parametrize("kind", ["sorted", "reversed", "constant", "few"])
def test_sort_presorted_and_degenerate_inputs(kind: str) -> None:
    n = 40
    data = {
        "sorted": np.arange(n, dtype=np.float64),
        "reversed": np.arange(n, dtype=np.int64)[::-1].copy(),
        "constant": np.full(n, 7, dtype=np.int32),
        "few": RNG.integers(0, 2, n),
    }[kind]
    for x in layouts(data, seed=9):
        assert_eq(ht.sort(x), np.sort(data))
        assert_eq(ht.argsort(x), np.argsort(data, kind="stable"))


def test_descending_matches_torch_stable_descending() -> None:
    for dtype in ["int8", "float64"]:
        data = sample(dtype, (4, 9), seed=2)
        ref = torch.from_numpy(data)
        for x in layouts(data, seed=5):
            for axis in (0, 1):
                want = torch.sort(ref, dim=axis, stable=True, descending=True)
                assert_eq(ht.sort(x, axis=axis, descending=True), want.values.numpy())
                assert_eq(ht.argsort(x, axis=axis, descending=True), want.indices.numpy())


def test_sort_empty_and_zero_d() -> None:
    for shape in [(0,), (0, 3), (3, 0)]:
        data = np.zeros(shape, dtype=np.float32)
        for x in layouts(data):
            for axis in range(data.ndim):
                assert_eq(ht.sort(x, axis=axis), np.sort(data, axis=axis))
                assert_eq(ht.argsort(x, axis=axis), np.argsort(data, axis=axis))
    zero_d = ht.array(3.5)
    assert_eq(ht.sort(zero_d, axis=None), np.sort(np.array(3.5), axis=None))
    with pytest.raises(np.exceptions.AxisError):
        ht.sort(zero_d)


def test_sort_method_sorts_in_place_and_argsort_method() -> None:
    data = sample("int32", (6, 5), seed=4)
    for x in layouts(data, seed=1):
        assert x.sort(axis=0) is None
        assert_eq(x, np.sort(data, axis=0))
    y = distribute(data, 1)
    assert_eq(y.argsort(axis=1), np.argsort(data, axis=1, kind="stable"))


def test_sort_errors() -> None:
    x = ht.zeros((3, 4), split=0)
    with pytest.raises(np.exceptions.AxisError):
        ht.sort(x, axis=2)
    with pytest.raises(TypeError, match="complex"):
        ht.sort(ht.zeros(3, dtype=ht.complex64, split=0))
    with pytest.raises(ValueError, match="order"):
        ht.argsort(x, order="a")  # type: ignore[arg-type]


def test_local_sort_does_not_communicate(collective_calls: list[str]) -> None:
    x = ht.array(sample("float32", (6, 7)), split=0)
    ht.sort(x, axis=1)
    ht.argsort(x, axis=1)
    assert collective_calls == []


@settings(max_examples=15, derandomize=True, deadline=None)
@given(
    values=st.lists(st.integers(-3, 3), min_size=0, max_size=30),
    seed=st.integers(0, 1000),
)
def test_sort_property_random_layouts(values: list[int], seed: int) -> None:
    data = np.asarray(values, dtype=np.int64)
    comm = ht.get_comm()
    x = distribute(data, 0, random_counts(data.shape[0], comm.size, seed))
    assert_eq(ht.sort(x), np.sort(data))
    assert_eq(ht.argsort(x), np.argsort(data, kind="stable"))


def _check_partition(got: np.ndarray, data: np.ndarray, kth: list[int], axis: int) -> None:
    ordered = np.sort(data, axis=axis)
    got_m = np.moveaxis(got, axis, -1)
    ord_m = np.moveaxis(ordered, axis, -1)
    for k in kth:
        np.testing.assert_array_equal(got_m[..., k], ord_m[..., k])
        pivot = ord_m[..., k : k + 1]
        before, after = got_m[..., :k], got_m[..., k + 1 :]
        assert np.all((before <= pivot) | np.isnan(pivot))
        assert np.all((after >= pivot) | np.isnan(after))
    np.testing.assert_array_equal(np.sort(got, axis=axis), ordered)


@pytest.mark.parametrize("dtype", ["int32", "float64"])
def test_partition_and_argpartition(dtype: str) -> None:
    data = sample(dtype, (9, 4), seed=6)
    for x in layouts(data, seed=2):
        for axis, kth in [(0, [0, 4, -1]), (1, 2), (None, [20])]:
            n = data.size if axis is None else data.shape[axis]
            ks = [k % n for k in np.atleast_1d(kth)]
            flat = data.reshape(-1) if axis is None else data
            ax = 0 if axis is None else axis
            got = ht.partition(x, kth, axis=axis)
            assert got.gshape == flat.shape
            _check_partition(got.numpy(), flat, ks, ax)
            idx = ht.argpartition(x, kth, axis=axis)
            assert idx.dtype == ht.int64
            _check_partition(np.take_along_axis(flat, idx.numpy(), ax), flat, ks, ax)
    with pytest.raises(ValueError, match="kth"):
        ht.partition(ht.arange(4, split=0), 4)


@pytest.mark.parametrize("largest", [True, False])
def test_topk(largest: bool) -> None:
    data = sample("float32", (7, 5), seed=8)
    ref = torch.from_numpy(data)
    for x in layouts(data, seed=4):
        for dim, k in [(0, 3), (1, 2), (0, 7), (1, 0), (-1, 5)]:
            v, i = ht.topk(x, k, dim=dim, largest=largest)
            want = torch.topk(ref, k, dim=dim, largest=largest, sorted=True).values.numpy()
            assert_eq(v, want)
            assert i.dtype == ht.int64 and i.gshape == want.shape
            np.testing.assert_array_equal(np.take_along_axis(data, i.numpy(), dim), want)
    b = ht.array(np.array([True, False, True, False]), split=0)
    assert_eq(ht.topk(b, 2)[0], np.array([True, True]))
    with pytest.raises(ValueError, match="topk"):
        ht.topk(ht.arange(3, split=0), 4)


def test_searchsorted() -> None:
    comm = ht.get_comm()
    sorted_data = np.sort(sample("float64", (17,), seed=3))
    queries = np.array([[-np.inf, 0.0, 1.5], [np.nan, -1.0, 100.0], [2.0, -0.0, 3.0]])
    for a in layouts(sorted_data, seed=6):
        for v in [ht.array(queries), *[distribute(queries, s) for s in (0, 1)]]:
            for side in ("left", "right"):
                assert_eq(ht.searchsorted(a, v, side=side), np.searchsorted(sorted_data, queries, side=side))
        assert_eq(ht.searchsorted(a, 2), np.searchsorted(sorted_data, 2))
        assert_eq(a.searchsorted(ht.array([1, 2], split=0)), np.searchsorted(sorted_data, [1, 2]))
    ints = np.array([0, 1, 1, 1, 4, 4, 9])
    a = distribute(ints, 0, random_counts(ints.size, comm.size, 11))
    v = np.arange(-1, 11)
    for side in ("left", "right"):
        assert_eq(ht.searchsorted(a, distribute(v, 0), side=side), np.searchsorted(ints, v, side=side))
    empty = ht.zeros(0, split=0)
    assert_eq(ht.searchsorted(empty, ht.arange(3, split=0)), np.zeros(3, dtype=np.int64))
    unsorted = np.array([3, 1, 2])
    order = np.argsort(unsorted)
    assert_eq(
        ht.searchsorted(ht.array(unsorted), [2, 5], sorter=order),
        np.searchsorted(unsorted, [2, 5], sorter=order),
    )
    with pytest.raises(ValueError, match="1-d"):
        ht.searchsorted(ht.zeros((2, 2), split=0), 1)
    with pytest.raises(ValueError, match="side"):
        ht.searchsorted(ht.arange(3), 1, side="middle")
