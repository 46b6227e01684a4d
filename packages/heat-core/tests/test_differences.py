"""diff against NumPy, along and across the split axis, for every layout."""

from __future__ import annotations

import numpy as np
import pytest
from core_helpers import assert_eq, layouts

import heat as ht


@pytest.mark.parametrize("shape", [(7,), (5, 4), (2, 3, 6), (1, 3), (0, 4)], ids=str)
@pytest.mark.parametrize("n", [0, 1, 2])
def test_diff_matches_numpy_on_every_axis_and_layout(shape: tuple[int, ...], n: int) -> None:
    data = (np.arange(int(np.prod(shape))).reshape(shape) ** 2).astype(np.int64)
    for x in layouts(data, seed=4):
        for axis in range(-len(shape), len(shape)):
            assert_eq(ht.diff(x, n=n, axis=axis), np.diff(data, n=n, axis=axis))


@pytest.mark.parametrize("dtype", ["bool", "float32", "complex64", "uint8"])
def test_diff_dtypes(dtype: str) -> None:
    data = (np.arange(12).reshape(4, 3) % 3).astype(dtype)
    for x in layouts(data, seed=1):
        assert_eq(ht.diff(x, axis=0), np.diff(data, axis=0))


def test_diff_prepend_append() -> None:
    data = np.arange(10.0).reshape(5, 2) ** 2
    for x in layouts(data, seed=2):
        assert_eq(ht.diff(x, axis=0, prepend=0), np.diff(data, axis=0, prepend=0))
        assert_eq(ht.diff(x, axis=0, append=[[1.0, 2.0]]), np.diff(data, axis=0, append=[[1.0, 2.0]]))
        assert_eq(ht.diff(x, axis=1, prepend=-1, append=7), np.diff(data, axis=1, prepend=-1, append=7))


def test_diff_bad_input() -> None:
    with pytest.raises(ValueError, match="at least one dimensional"):
        ht.diff(ht.array(3))
    with pytest.raises(ValueError, match="order must be non-negative"):
        ht.diff(ht.arange(3, split=0), n=-1)
