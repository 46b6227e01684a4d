"""median, percentile and quantile against NumPy: exact distributed selection, every layout."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from core_helpers import assert_eq, layouts

import heat as ht

RNG = np.random.default_rng(0)
DATA = {
    "normal": RNG.standard_normal((7, 5)),
    "ints": RNG.integers(-5, 5, (6, 4)),
    "nan": np.array([[1.0, np.nan, 3.0], [2.0, 5.0, -1.0]]),
    "f32-3d": RNG.standard_normal((3, 4, 5)).astype(np.float32),
    "ties": np.array([3, 1, 3, 3, 2, 1, 3, 0, 3]),
}
METHODS = ["linear", "lower", "higher", "nearest", "midpoint"]


def ref(fn: str, data: np.ndarray, *args: object, **kw: object) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.asarray(getattr(np, fn)(data, *args, **kw))


@pytest.mark.parametrize("name", ["normal", "ints", "nan", "ties"])
@pytest.mark.parametrize("method", METHODS)
def test_percentile_matches_numpy(name: str, method: str) -> None:
    data = DATA[name]
    for x in layouts(data, seed=7):
        for axis in [None, *range(data.ndim)]:
            got = ht.percentile(x, [0, 25, 33.3, 100], axis=axis, method=method)
            assert_eq(got, ref("percentile", data, [0, 25, 33.3, 100], axis=axis, method=method), exact=False)


@pytest.mark.parametrize("q", [50, [10, 90], 33.3])
def test_percentile_keepdims_and_q_shapes(q: object) -> None:
    data = DATA["f32-3d"]
    for x in layouts(data, seed=7):
        for axis in [None, 0, 2]:
            got = ht.percentile(x, q, axis=axis, keepdims=True)
            assert_eq(got, ref("percentile", data, q, axis=axis, keepdims=True), exact=False)


@pytest.mark.parametrize("name", list(DATA))
def test_median_and_quantile_match_numpy(name: str) -> None:
    data = DATA[name]
    for x in layouts(data, seed=8):
        for axis in [None, *range(data.ndim), -1]:
            assert_eq(ht.median(x, axis=axis), ref("median", data, axis=axis), exact=False)
            assert_eq(
                ht.quantile(x, [0.1, 0.9], axis=axis),
                ref("quantile", data, [0.1, 0.9], axis=axis),
                exact=False,
            )


def test_selection_is_exact_for_values_that_differ_in_the_last_bit() -> None:
    data = np.nextafter(1.0, 2.0, dtype=np.float64) ** np.arange(9)
    for x in layouts(data, seed=3):
        assert_eq(ht.median(x), ref("median", data))
        assert_eq(
            ht.percentile(x, [0, 100], method="lower"), ref("percentile", data, [0, 100], method="lower")
        )


def test_bad_input_raises_on_every_rank() -> None:
    x = ht.arange(5, split=0)
    with pytest.raises(ValueError, match=r"q must be in \[0, 100\]"):
        ht.percentile(x, 101)
    with pytest.raises(ValueError, match="method 'weibull' is not supported"):
        ht.percentile(x, 50, method="weibull")
    with pytest.raises(TypeError, match="complex"):
        ht.median(ht.ones(3, dtype=ht.complex64, split=0))
    with pytest.raises(IndexError, match="empty axis"):
        ht.median(ht.zeros((0, 3), split=0), axis=0)
