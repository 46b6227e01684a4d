"""heat as an array API namespace: the inspection object, ``isdtype``/``astype``/cumulative
functions, and property tests drawn with ``hypothesis.extra.array_api`` against NumPy.

Every rank draws the same examples (``derandomize=True``) and the verdict of each example is
agreed across ranks before it is reported, so hypothesis shrinks identically everywhere.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from core_helpers import assert_eq, distribute, layouts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.array_api import make_strategies_namespace

import heat as ht

# torch has no uint16/32/64 arithmetic: heat leaves them out and hypothesis says so
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    xps = make_strategies_namespace(ht, api_version=ht.__array_api_version__)

PROPERTY = settings(
    max_examples=15, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
UNARY = [
    "abs",
    "negative",
    "positive",
    "floor",
    "ceil",
    "trunc",
    "sign",
    "isnan",
    "isinf",
    "isfinite",
    "square",
]
BINARY = ["add", "subtract", "multiply", "maximum", "minimum", "equal", "less", "greater_equal"]
REDUCE = ["sum", "prod", "min", "max", "mean", "all", "any"]


def agreed(check: Callable[[], None]) -> None:
    """Run ``check`` on every rank; fail on every rank when it failed on any."""
    try:
        check()
        verdict = ""
    except Exception as err:  # an assertion or a heat error: reported identically everywhere
        verdict = f"rank {ht.get_comm().rank}: {type(err).__name__}: {err}"
    verdicts = [v for v in ht.get_comm().allgather_object(verdict) if v]
    if verdicts:
        raise AssertionError("\n".join(verdicts))


@st.composite
def bounded_arrays(draw: st.DrawFn, dtypes: st.SearchStrategy[Any], max_dims: int = 3) -> ht.DNDarray:
    """Arrays from the array API strategies, floats kept moderate (so that summation order
    cannot overflow) but with NaN and inf."""
    dtype = draw(dtypes)
    shape = draw(xps.array_shapes(min_dims=0, max_dims=max_dims, min_side=0, max_side=4))
    return draw(xps.arrays(dtype=dtype, shape=shape, elements=moderate(dtype)))


def moderate(dtype: Any) -> st.SearchStrategy[Any] | None:
    if not ht.isdtype(dtype, "real floating"):
        return None
    width = 32 if dtype == ht.float32 else 64
    return st.floats(-1e4, 1e4, width=width) | st.just(float("nan"))


def split_of(draw: st.DrawFn, ndim: int) -> int | None:
    return draw(st.sampled_from([None, *range(ndim)]))


def numpy_or_error(fn: Callable[[], Any]) -> tuple[Any, type[Exception] | None]:
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return np.asarray(fn()), None
        except TypeError:  # NumPy's UFuncTypeError is one
            return None, TypeError
        except ValueError:
            return None, ValueError


def close(got: ht.DNDarray, want: np.ndarray) -> None:
    exact = want.dtype.kind not in "fc"
    assert_eq(got, want, exact=exact, rtol=1e-5 if want.dtype in (np.float32, np.complex64) else 1e-9)


@pytest.mark.parametrize("name", UNARY)
def test_elementwise_unary_functions_on_drawn_arrays(name: str) -> None:
    @PROPERTY
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        x = data.draw(bounded_arrays(xps.real_dtypes() | xps.boolean_dtypes()))
        split = data.draw(st.sampled_from([None, *range(x.ndim)]))
        ref = x.numpy()
        want, err = numpy_or_error(lambda: getattr(np, name)(ref))

        def check() -> None:
            xd = distribute(ref, split)
            if err is not None:
                with pytest.raises(err):
                    getattr(ht, name)(xd)
                return
            close(getattr(ht, name)(xd), want)

        agreed(check)

    run()


@pytest.mark.parametrize("name", BINARY)
def test_broadcasting_binary_functions_on_drawn_arrays_with_different_splits(name: str) -> None:
    @PROPERTY
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        shapes = data.draw(xps.mutually_broadcastable_shapes(2, min_dims=0, max_dims=3, max_side=4))
        dtype = data.draw(xps.real_dtypes())
        a = data.draw(xps.arrays(dtype=dtype, shape=shapes.input_shapes[0], elements=moderate(dtype)))
        b = data.draw(xps.arrays(dtype=dtype, shape=shapes.input_shapes[1], elements=moderate(dtype)))
        sa, sb = (data.draw(st.sampled_from([None, *range(s.ndim)])) for s in (a, b))
        ra, rb = a.numpy(), b.numpy()
        want, err = numpy_or_error(lambda: getattr(np, name)(ra, rb))

        def check() -> None:
            da, db = distribute(ra, sa), distribute(rb, sb)
            if err is not None:
                with pytest.raises(err):
                    getattr(ht, name)(da, db)
                return
            close(getattr(ht, name)(da, db), want)

        agreed(check)

    run()


@pytest.mark.parametrize("name", REDUCE)
def test_reductions_on_drawn_arrays_axes_and_keepdims(name: str) -> None:
    @PROPERTY
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        x = data.draw(bounded_arrays(xps.real_dtypes() | xps.boolean_dtypes()))
        split = data.draw(st.sampled_from([None, *range(x.ndim)]))
        axis = data.draw(st.none() | st.sampled_from(list(range(-x.ndim, x.ndim)) or [None]))
        keepdims = data.draw(st.booleans())
        ref = x.numpy()
        want, err = numpy_or_error(lambda: getattr(np, name)(ref, axis=axis, keepdims=keepdims))
        if want is not None and want.dtype == np.uint64:
            want = want.astype(np.int64)  # heat accumulates unsigned integers in int64

        def check() -> None:
            xd = distribute(ref, split)
            if err is not None:
                with pytest.raises(err):
                    getattr(ht, name)(xd, axis=axis, keepdims=keepdims)
                return
            got = getattr(ht, name)(xd, axis=axis, keepdims=keepdims)
            if want.dtype.kind in "fc":
                assert_eq(got, want, exact=False, rtol=1e-4 if want.dtype == np.float32 else 1e-9)
            else:
                assert_eq(got, want)

        agreed(check)

    run()


def test_namespace_identity_version_and_info() -> None:
    x = ht.arange(3, split=0)
    assert x.__array_namespace__() is ht
    assert ht.__array_api_version__ == "2023.12"
    info = ht.__array_namespace_info__()
    assert info.capabilities()["boolean indexing"] is True
    assert info.default_device() == ht.get_device()
    assert ht.cpu in info.devices()
    assert info.default_dtypes() == {
        "real floating": ht.float64,
        "complex floating": ht.complex128,
        "integral": ht.int64,
        "indexing": ht.int64,
    }
    assert set(info.dtypes()) == {
        "bool", "int8", "int16", "int32", "int64", "uint8", "float32", "float64", "complex64", "complex128"
    }  # fmt: skip
    assert set(info.dtypes(kind="real floating")) == {"float32", "float64"}
    assert set(info.dtypes(kind=("bool", "unsigned integer"))) == {"bool", "uint8"}


@pytest.mark.parametrize(
    "kind",
    ["bool", "signed integer", "unsigned integer", "integral", "real floating", "complex floating", "numeric",
     ("integral", "complex floating"), np.float32],
)  # fmt: skip
def test_isdtype_matches_numpy(kind: Any) -> None:
    for name in ht.__array_namespace_info__().dtypes():
        want = np.isdtype(np.dtype(name), kind)
        assert ht.isdtype(getattr(ht, name), ht.float32 if kind is np.float32 else kind) is want, (name, kind)
    with pytest.raises(ValueError, match="unknown kind"):
        ht.isdtype(ht.int8, "integer")


def test_astype_keeps_the_layout_and_casts() -> None:
    data = np.arange(-3, 9).reshape(3, 4)
    for x in layouts(data):
        y = ht.astype(x, ht.float32)
        assert_eq(y, data.astype(np.float32))
        assert y.split == x.split and (x.split is None or y.counts == x.counts)
    with pytest.raises(TypeError, match="asarray"):
        ht.astype(data, ht.float32)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["cumulative_sum", "cumulative_prod"])
@pytest.mark.parametrize("include_initial", [False, True])
def test_cumulative_functions_match_numpy(name: str, include_initial: bool) -> None:
    data = (np.arange(12).reshape(3, 4) % 5 + 1).astype(np.int32)
    for x in layouts(data, seed=2):
        for axis in (0, 1, -1):
            want = getattr(np, name)(data, axis=axis, include_initial=include_initial)
            assert_eq(getattr(ht, name)(x, axis=axis, include_initial=include_initial), want)
    vec = np.array([1.5, -2.0, 0.5, 3.0])
    for x in layouts(vec):
        assert_eq(
            getattr(ht, name)(x, include_initial=include_initial),
            getattr(np, name)(vec, include_initial=include_initial),
        )
    with pytest.raises(ValueError, match="axis is required"):
        getattr(ht, name)(distribute(data, 0))


def test_unstack_matches_numpy_along_every_axis() -> None:
    data = np.arange(24).reshape(2, 3, 4)
    for x in layouts(data):
        for axis in (0, 1, 2, -1):
            got = ht.unstack(x, axis=axis)
            want = np.unstack(data, axis=axis)
            assert len(got) == len(want)
            for g, w in zip(got, want, strict=True):
                assert_eq(g, w)
    with pytest.raises(ValueError, match="out of bounds"):
        ht.unstack(distribute(data, 0), axis=3)
