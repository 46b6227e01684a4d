"""bincount, histogram, histogram_bin_edges and digitize against NumPy."""

from __future__ import annotations

import numpy as np
import pytest
from core_helpers import assert_eq, layouts

import heat as ht

RNG = np.random.default_rng(1)


def test_bincount_matches_numpy() -> None:
    data = RNG.integers(0, 7, 23)
    for x in layouts(data, seed=2):
        assert_eq(ht.bincount(x), np.bincount(data))
        assert_eq(ht.bincount(x, minlength=10), np.bincount(data, minlength=10))
        assert_eq(ht.bincount(x, weights=data * 0.5), np.bincount(data, weights=data * 0.5), exact=False)
    assert_eq(ht.bincount(ht.zeros(0, dtype=ht.int64, split=0)), np.bincount(np.zeros(0, dtype=np.int64)))


def test_bincount_bad_input() -> None:
    with pytest.raises(ValueError, match="negative values"):
        ht.bincount(ht.array([1, -1, 2], split=0))
    with pytest.raises(TypeError, match="1-d array of non-negative integers"):
        ht.bincount(ht.ones(3, split=0))


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"bins": 4},
        {"bins": [-1.0, 0.0, 0.5, 2.0]},
        {"range": (-1, 1)},
        {"density": True},
        {"bins": 3, "range": (0, 0)},
    ],
    ids=str,
)
def test_histogram_matches_numpy(kwargs: dict[str, object]) -> None:
    data = RNG.standard_normal((6, 5))
    for x in layouts(data, seed=3):
        hist, edges = ht.histogram(x, **kwargs)
        want_hist, want_edges = np.histogram(data, **kwargs)
        assert_eq(hist, want_hist, exact=False)
        assert_eq(edges, want_edges, exact=False)
        assert_eq(
            ht.histogram_bin_edges(x, kwargs.get("bins", 10), kwargs.get("range")), want_edges, exact=False
        )


def test_histogram_weights() -> None:
    data = RNG.standard_normal((5, 4))
    for x in layouts(data, seed=4):
        hist, _ = ht.histogram(x, bins=3, weights=ht.array(np.abs(data), split=x.split))
        assert_eq(hist, np.histogram(data, bins=3, weights=np.abs(data))[0], exact=False)


@pytest.mark.parametrize("bins", [[-1.0, 0.0, 1.0], [1.0, 0.0, -1.0]])
@pytest.mark.parametrize("right", [False, True])
def test_digitize_matches_numpy(bins: list[float], right: bool) -> None:
    data = np.round(RNG.standard_normal((4, 6)), 0)
    for x in layouts(data, seed=5):
        got = ht.digitize(x, bins, right=right)
        assert got.split == x.split
        assert_eq(got, np.digitize(data, bins, right=right))


def test_histogram_bad_bins() -> None:
    with pytest.raises(ValueError, match="increase monotonically"):
        ht.histogram(ht.arange(4, split=0), bins=[1, 0, 2])
    with pytest.raises(ValueError, match="increasing or decreasing"):
        ht.digitize(ht.arange(4, split=0), [0, 2, 1])
