"""NaN-ignoring reductions and average against NumPy, for every layout."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from core_helpers import assert_eq, layouts

import heat as ht

NAN = np.nan
DATA = np.array([[1.0, NAN, 3.0, 0.5], [NAN, NAN, 6.0, -2.0], [2.0, 3.0, 4.0, NAN]])
FUNCS = ["nansum", "nanprod", "nanmin", "nanmax", "nanmean", "nanvar", "nanstd"]


def numpy_ref(name: str, data: np.ndarray, **kw: object) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.asarray(getattr(np, name)(data, **kw))


@pytest.mark.parametrize("name", FUNCS)
@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 1)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_nan_reductions_match_numpy(name: str, axis: object, keepdims: bool) -> None:
    for x in layouts(DATA, seed=5):
        got = getattr(ht, name)(x, axis=axis, keepdims=keepdims)
        want = numpy_ref(name, DATA, axis=axis, keepdims=keepdims)
        assert_eq(got, want, exact=False)
        if x.split is not None and (axis is None or x.split in np.atleast_1d(axis) % 2):
            assert got.split is None


@pytest.mark.parametrize("name", ["nansum", "nanmax", "nanmean"])
@pytest.mark.parametrize("dtype", ["int32", "float32", "bool"])
def test_nan_reductions_of_other_dtypes(name: str, dtype: str) -> None:
    data = (np.arange(12).reshape(3, 4) % 3).astype(dtype)
    for x in layouts(data, seed=2):
        assert_eq(getattr(ht, name)(x, axis=0), numpy_ref(name, data, axis=0), exact=False)


@pytest.mark.parametrize("ddof", [0, 1])
def test_nanvar_ddof_and_stability(ddof: int) -> None:
    rng = np.random.default_rng(0)
    data = 1e8 + rng.standard_normal((7, 5))
    data[2, 3] = NAN
    for x in layouts(data, seed=9):
        assert_eq(
            ht.nanvar(x, axis=0, ddof=ddof),
            numpy_ref("nanvar", data, axis=0, ddof=ddof),
            exact=False,
            rtol=1e-6,
        )
        assert_eq(ht.nanstd(x, ddof=ddof), numpy_ref("nanstd", data, ddof=ddof), exact=False, rtol=1e-6)


@pytest.mark.parametrize("axis", [0, 1])
def test_average_with_1d_weights_along_an_axis(axis: int) -> None:
    data = np.arange(12.0).reshape(3, 4)
    weights = np.arange(1.0, data.shape[axis] + 1)
    for x in layouts(data, seed=1):
        assert_eq(
            ht.average(x, axis=axis, weights=weights),
            np.average(data, axis=axis, weights=weights),
            exact=False,
        )
        avg, scale = ht.average(x, axis=axis, weights=weights, returned=True)
        want_avg, want_scale = np.average(data, axis=axis, weights=weights, returned=True)
        assert_eq(avg, want_avg, exact=False)
        assert_eq(scale, want_scale, exact=False)


def test_average_with_full_weights_and_without() -> None:
    data = np.arange(1.0, 13.0).reshape(4, 3)
    for x in layouts(data, seed=3):
        w = ht.array(data, split=x.split)
        assert_eq(ht.average(x, weights=w), np.average(data, weights=data), exact=False)
        assert_eq(ht.average(x, axis=1), np.average(data, axis=1), exact=False)


def test_average_rejects_bad_weights() -> None:
    x = ht.zeros((3, 4), split=0)
    with pytest.raises(ZeroDivisionError, match="weights sum to zero"):
        ht.average(x, axis=1, weights=np.zeros(4))
    with pytest.raises(ValueError, match="3 weights for an axis of length 4"):
        ht.average(x, axis=1, weights=np.ones(3))
    with pytest.raises(TypeError, match="pass axis="):
        ht.average(x, weights=np.ones(4))


@pytest.mark.parametrize("name", FUNCS)
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_nan_reductions_with_where_and_initial_match_numpy(name: str, axis: object) -> None:
    mask = np.array([True, False, True, True])  # broadcast along the rows
    kw: dict[str, object] = {"where": mask}
    if name in ("nanmin", "nanmax", "nansum", "nanprod"):
        kw["initial"] = 10.0 if name == "nanmin" else -10.0 if name == "nanmax" else 2.0
    for x in layouts(DATA, seed=7):
        got = getattr(ht, name)(x, axis=axis, **{**kw, "where": ht.array(mask)})
        assert_eq(got, numpy_ref(name, DATA, axis=axis, **kw), exact=False)
