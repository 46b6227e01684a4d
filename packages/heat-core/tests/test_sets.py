"""unique and the set operations against NumPy: every split, balanced and unbalanced (empty)
blocks, duplicates across block boundaries, NaN, 0-d and empty arrays, 1-3 processes."""

from __future__ import annotations

import numpy as np
import pytest
from core_helpers import assert_eq, distribute, layouts, random_counts

import heat as ht

RNG = np.random.default_rng(3)
DATA = {
    "ints": RNG.integers(-3, 4, (13,)),
    "bool": RNG.integers(0, 2, (3, 5)).astype(bool),
    "uint8-3d": RNG.integers(0, 4, (2, 3, 4)).astype(np.uint8),
    "floats-nan": np.array(
        [[2.0, np.nan, -0.0], [0.0, np.nan, 2.0], [np.inf, 1.5, 2.0], [1.5, -np.inf, np.nan]]
    ),
    "float32-distinct": RNG.standard_normal(9).astype(np.float32),
    "constant": np.full(7, 4, dtype=np.int16),
    "empty": np.zeros((0, 3), dtype=np.float64),
    "zero-d": np.array(5),
}


def eq_all(got: tuple[ht.DNDarray, ...], want: tuple[np.ndarray, ...]) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert_eq(g, w)


@pytest.mark.parametrize("name", list(DATA))
def test_unique_matches_numpy(name: str) -> None:
    data = DATA[name]
    for x in layouts(data, seed=2):
        assert_eq(ht.unique(x), np.unique(data))
        eq_all(
            ht.unique(x, return_index=True, return_inverse=True, return_counts=True),
            np.unique(data, return_index=True, return_inverse=True, return_counts=True),
        )
        eq_all(ht.unique(x, return_counts=True), np.unique(data, return_counts=True))
        eq_all(
            ht.unique(x, equal_nan=False, return_inverse=True),
            np.unique(data, equal_nan=False, return_inverse=True),
        )


@pytest.mark.parametrize("name", ["ints", "floats-nan", "uint8-3d", "empty"])
def test_array_api_unique_functions(name: str) -> None:
    data = DATA[name]
    # NumPy >= 2.3 returns these in hash order; Heat's are sorted (the array API allows any
    # order), so the reference is np.unique with every NaN distinct
    values, index, inverse, counts = np.unique(
        data, return_index=True, return_inverse=True, return_counts=True, equal_nan=False
    )
    for x in layouts(data, seed=4):
        assert_eq(ht.unique_values(x), values)
        eq_all(tuple(ht.unique_counts(x)), (values, counts))
        eq_all(tuple(ht.unique_inverse(x)), (values, inverse))
        res = ht.unique_all(x)
        eq_all(tuple(res), (values, index, inverse, counts))
        assert res.inverse_indices.gshape == data.shape


def test_unique_result_is_split_and_balanced() -> None:
    comm = ht.get_comm()
    data = np.repeat(np.arange(6), 3)
    x = distribute(data, 0, random_counts(data.size, comm.size, 1))
    u, c = ht.unique(x, return_counts=True)
    expected_split = 0 if comm.size > 1 else u.split
    assert u.split == expected_split and c.split == expected_split
    assert u.is_balanced() and c.is_balanced()
    r = ht.unique(ht.array(data))
    assert r.split is None


def test_unique_axis() -> None:
    data = np.array([[1, 2], [3, 4], [1, 2], [0, 9]])
    x = ht.array(data)
    for axis in (0, 1, -1):
        eq_all(
            ht.unique(x, return_index=True, return_inverse=True, return_counts=True, axis=axis),
            np.unique(data, return_index=True, return_inverse=True, return_counts=True, axis=axis),
        )
    if ht.get_comm().size > 1:
        with pytest.raises(NotImplementedError, match="axis"):
            ht.unique(ht.array(data, split=0), axis=0)


def test_unique_rejects_complex() -> None:
    with pytest.raises(TypeError, match="complex"):
        ht.unique(ht.zeros(3, dtype=ht.complex64, split=0))


ELEMENTS = np.array([[1.0, 2.5, np.nan], [4.0, -0.0, 7.0], [2.0, 1.0, 9.0], [3.0, 5.0, 8.0]])
TESTS = np.array([0.0, 7.0, np.nan, 1.0, 1.0, 3.0, 11.0, 2.5])


def test_isin_every_layout_pair() -> None:
    for e in layouts(ELEMENTS, seed=5):
        for t in layouts(TESTS, seed=6):
            for invert in (False, True):
                got = ht.isin(e, t, invert=invert)
                assert_eq(got, np.isin(ELEMENTS, TESTS, invert=invert))
                assert got.split == e.split
    ints = distribute(np.arange(10), 0)
    assert_eq(ht.isin(ints, [3.0, 4.5, 9.0]), np.isin(np.arange(10), [3.0, 4.5, 9.0]))
    assert_eq(ht.isin(ints, ht.zeros(0, split=0)), np.zeros(10, dtype=bool))
    assert_eq(ht.in1d(distribute(ELEMENTS, 1), TESTS), np.isin(ELEMENTS.reshape(-1), TESTS))


@pytest.mark.parametrize(("a", "b"), [("ints", "ints"), ("floats-nan", "ints"), ("uint8-3d", "constant")])
def test_intersect_union_setdiff(a: str, b: str) -> None:
    data1 = DATA[a]
    data2 = DATA[b][::2] if DATA[b].ndim == 1 else DATA[b]
    for j, x in enumerate(layouts(data1, seed=7)):
        # the second operand alternates between split and replicated
        for y in [distribute(data2, 0) if j % 2 == 0 else ht.array(data2)]:
            assert_eq(ht.intersect1d(x, y), np.intersect1d(data1, data2))
            eq_all(
                ht.intersect1d(x, y, return_indices=True), np.intersect1d(data1, data2, return_indices=True)
            )
            assert_eq(ht.union1d(x, y), np.union1d(data1, data2))
            assert_eq(ht.setdiff1d(x, y), np.setdiff1d(data1, data2))
    unique_1d = np.array([9, 3, 5, 1, 7])
    for x in layouts(unique_1d, seed=8):
        assert_eq(
            ht.setdiff1d(x, [3, 7], assume_unique=True), np.setdiff1d(unique_1d, [3, 7], assume_unique=True)
        )
