"""Reductions and scans against NumPy, for every layout, axis and keepdims.

Reducing the split axis combines the ranks' partials (the result is replicated); reducing other
axes is local and the split shifts. Values, dtype, shape and the result's layout are compared
with NumPy's, including 0-d and empty arrays, NaN, ties across rank boundaries and unbalanced
layouts with empty blocks.
"""

from __future__ import annotations

import contextlib
import itertools
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from core_helpers import DTYPES, LocalCheck, assert_eq, distribute, layout_of, layouts, random_counts, splits

import heat as ht

# amin/amax are min/max (asserted in test_aliases_and_methods)
REDUCTIONS = [
    "sum", "prod", "min", "max", "all", "any", "count_nonzero",
    "ptp", "mean", "var", "std", "argmin", "argmax",
]  # fmt: skip
SINGLE_AXIS = {"argmin", "argmax"}
INEXACT = {"sum", "prod", "mean", "var", "std"}  # float results compared with a tolerance


def sample(dtype: str, shape: tuple[int, ...], *, shift: int = 0) -> np.ndarray:
    """Small deterministic values (products stay small): ties, zeros and signs included."""
    n = int(np.prod(shape))
    base = np.array([1, -1, 2, 0, 1, 3, -2, 1, 0, 2, -1, 1])[(np.arange(n) * 5 + shift) % 12]
    if dtype == "bool":
        return (base > 0).reshape(shape)
    if dtype == "uint8":
        return np.abs(base).astype(dtype).reshape(shape)
    if dtype.startswith("float"):
        return (base * 0.75).astype(dtype).reshape(shape)
    if dtype.startswith("complex"):
        return (base * 0.5 + 1j * base[::-1]).astype(dtype).reshape(shape)
    return base.astype(dtype).reshape(shape)


def numpy_reduce(name: str, data: np.ndarray, **kwargs: Any) -> tuple[Any, type[Exception] | None]:
    """NumPy's result (uint64 accumulations as heat's int64), or the error class heat raises."""
    with quiet():
        try:
            result = np.asarray(getattr(np, name)(data, **kwargs))
        except TypeError:
            return None, TypeError
        except ValueError as err:
            return None, type(err) if isinstance(err, np.exceptions.AxisError) else ValueError
    if result.dtype == np.uint64:
        result = result.astype(np.int64)
    return result, None


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """NumPy without its RuntimeWarnings (mean of an empty slice, degrees of freedom <= 0)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def tolerance(name: str, data: np.ndarray, expected: np.ndarray) -> dict[str, Any]:
    if name not in INEXACT or expected.dtype.kind not in "fc":
        return {"exact": True}
    low = data.dtype in (np.float16,) or expected.dtype == np.float16
    return {
        "exact": False,
        "rtol": 5e-3 if low else 1e-5 if expected.dtype in (np.float32, np.complex64) else 1e-12,
    }


def axes_of(ndim: int) -> list[Any]:
    """None, every axis, a negative axis (1-d and 3-d) and tuples of axes (3-d: with and
    without the last, and one with a negative axis out of order)."""
    axes: list[Any] = [None, *range(ndim)]
    if ndim == 1 or ndim >= 3:
        axes.append(-1)
    for r in range(2, ndim + 1):
        axes.extend(itertools.combinations(range(ndim), r))
    if ndim >= 3:
        axes.append((-1, 0))
    return axes


def expected_split(split: int | None, ndim: int, axis: Any, keepdims: bool) -> int | None:
    if split is None:
        return None
    reduced = (
        range(ndim) if axis is None else [a % ndim for a in (axis if isinstance(axis, tuple) else (axis,))]
    )
    if split in reduced:
        return None
    return split if keepdims else split - sum(1 for a in reduced if a < split)


def run_reduction(
    check: LocalCheck, name: str, data: np.ndarray, x: ht.DNDarray, axis: Any, keepdims: bool, **kwargs: Any
) -> None:
    what = f"{name}({data.dtype}{data.shape}, {layout_of(x)}, axis={axis}, keepdims={keepdims}, {kwargs})"
    expected, error = numpy_reduce(name, data, axis=axis, keepdims=keepdims, **kwargs)
    if error is not None:
        check.expect_error(what, error, lambda: getattr(ht, name)(x, axis=axis, keepdims=keepdims, **kwargs))
        return
    y = getattr(ht, name)(x, axis=axis, keepdims=keepdims, **kwargs)
    check(what, y, expected, **tolerance(name, data, expected))
    if isinstance(y, ht.DNDarray) and y.split != expected_split(x.split, x.ndim, axis, keepdims):
        check.failures.append(
            f"{what}: split {y.split}, want {expected_split(x.split, x.ndim, axis, keepdims)}"
        )
    elif isinstance(y, ht.DNDarray) and y.split is not None and y.counts != x.counts:
        check.failures.append(f"{what}: blocks {y.counts}, want the input's {x.counts}")


def zeros_in_layout_of(x: ht.DNDarray) -> ht.DNDarray:
    """Zeros with ``x``'s dtype, shape and layout (block sizes included)."""
    out = x.copy()
    out.larray.zero_()
    return out


# ------------------------------------------------------------------------------ the matrix
@pytest.mark.parametrize("dtype", DTYPES)
def test_reductions_match_numpy_for_every_layout_axis_and_keepdims(dtype: str) -> None:
    check = LocalCheck()
    # keepdims is layout logic, not dtype logic: both values for every other dtype of the sample
    keepdims_values = (False, True) if DTYPES.index(dtype) % 2 == 0 else (False,)
    for shape in [(4, 3), (5,), ()]:
        data = sample(dtype, shape)
        for x in layouts(data, seed=2):
            for name in REDUCTIONS:
                for axis in axes_of(len(shape)):
                    if name in SINGLE_AXIS and isinstance(axis, tuple):
                        continue
                    for keepdims in keepdims_values:
                        run_reduction(check, name, data, x, axis, keepdims)
    check.verdict()


@pytest.mark.parametrize("name", REDUCTIONS)
def test_reductions_of_3d_arrays_over_every_axis_combination(name: str) -> None:
    check = LocalCheck()
    data = sample("float64", (2, 3, 4), shift=3)
    for x in layouts(data, seed=4):
        for axis in axes_of(3):
            if name in SINGLE_AXIS and isinstance(axis, tuple):
                continue
            for keepdims in (False, True):
                run_reduction(check, name, data, x, axis, keepdims)
    check.verdict()


@pytest.mark.parametrize("name", ["sum", "prod", "mean", "min", "max", "var", "std", "argmax", "all", "any"])
def test_reductions_of_bfloat16_compare_with_float32(name: str) -> None:
    data = sample("float32", (4, 3))
    for x in layouts(data.astype(np.float32)):
        xb = x.astype(ht.bfloat16)
        rounded = xb.numpy()
        for axis in (None, 0, 1):
            y = getattr(ht, name)(xb, axis=axis)
            expected = getattr(np, name)(rounded, axis=axis)
            probe = np.asarray(getattr(np, name)(rounded.astype(np.float16), axis=axis))
            want = ht.bfloat16 if probe.dtype == np.float16 else probe.dtype
            assert_eq(y, expected, dtype=want, exact=want is not ht.bfloat16, rtol=2e-2)


def test_reductions_over_the_split_axis_of_unbalanced_layouts(comm: Any) -> None:
    check = LocalCheck()
    data = sample("float64", (7, 3), shift=1)
    for seed in range(4):
        counts = random_counts(7, comm.size, seed)
        for split, axis in ((0, 0), (0, None), (0, (0, 1)), (1, 1), (0, 1)):
            if split == 1:
                x = distribute(data, 1, random_counts(3, comm.size, seed))
            else:
                x = distribute(data, 0, counts)
            for name in REDUCTIONS:
                if name in SINGLE_AXIS and isinstance(axis, tuple):
                    continue
                run_reduction(check, name, data, x, axis, False)
    if comm.size > 1:  # everything on the last rank, then everything on the first
        for counts in ((0,) * (comm.size - 1) + (7,), (7,) + (0,) * (comm.size - 1)):
            x = distribute(data, 0, counts)
            for name in REDUCTIONS:
                run_reduction(check, name, data, x, 0, True)
    check.verdict()


def test_reducing_other_axes_than_the_split_axis_does_not_communicate(
    collective_calls: list[str],
    comm: Any,
) -> None:
    data = sample("float64", (5, 4, 3), shift=2)
    arrays = [distribute(data, split, random_counts(data.shape[split], comm.size, 2)) for split in (0, 1, 2)]
    arrays.append(distribute(data, None))
    for x in arrays:
        _ = x.counts if x.split is not None else None
    collective_calls.clear()
    results = []  # (result, its expected split)
    for x in arrays:
        others = tuple(a for a in range(3) if a != x.split)
        last = others[-1]
        shifted = None if x.split is None else x.split - (last < x.split)
        for name in REDUCTIONS:
            if name not in SINGLE_AXIS:
                results.append((getattr(ht, name)(x, axis=others, keepdims=True), x.split))
            results.append((getattr(ht, name)(x, axis=last), shifted))
        results += [(ht.cumsum(x, axis=others[0]), x.split), (ht.cumprod(x, axis=last), x.split)]
    assert collective_calls == []
    assert [r.split for r, _ in results] == [split for _, split in results]


# ------------------------------------------------------------------------------ empty and 0-d
@pytest.mark.parametrize("dtype", ["bool", "int8", "float32", "complex128"])
def test_reductions_of_empty_arrays(dtype: str) -> None:
    check = LocalCheck()
    for shape in [(0, 3), (3, 0)]:
        data = sample(dtype, shape)
        for x in layouts(data, seed=1):
            for name in REDUCTIONS:
                for axis in axes_of(len(shape)):
                    if name in SINGLE_AXIS and isinstance(axis, tuple):
                        continue
                    run_reduction(check, name, data, x, axis, False)
    check.verdict()


def test_empty_reductions_have_numpys_identities_and_errors() -> None:
    for x in layouts(np.zeros((0, 3))):
        assert_eq(ht.sum(x), np.float64(0))
        assert_eq(ht.prod(x, axis=0), np.ones(3))
        assert_eq(ht.all(x), np.True_)
        assert_eq(ht.any(x), np.False_)
        with quiet():
            assert_eq(ht.mean(x), np.mean(np.zeros((0, 3))))
            assert_eq(ht.mean(x.astype(ht.int32), axis=0), np.mean(np.zeros((0, 3), dtype=np.int32), axis=0))
        for fn in (ht.min, ht.max, ht.argmin, ht.argmax, ht.ptp):
            with pytest.raises(ValueError, match=r"empty|zero-size"):
                fn(x)
        with pytest.raises(ValueError, match=r"empty|zero-size"):
            ht.max(x, axis=0)
        assert_eq(ht.max(x, axis=1), np.max(np.zeros((0, 3)), axis=1))
        assert_eq(ht.argmin(x, axis=1), np.argmin(np.zeros((0, 3)), axis=1))


@pytest.mark.parametrize("dtype", ["bool", "int32", "float64", "complex64"])
def test_reductions_of_0d_arrays(dtype: str) -> None:
    data = sample(dtype, (), shift=2)
    x = ht.array(data)
    for name in REDUCTIONS:
        expected, error = numpy_reduce(name, data)
        if error is not None:
            with pytest.raises(error):
                getattr(ht, name)(x)
            continue
        assert_eq(getattr(ht, name)(x), expected, **tolerance(name, data, expected))
        assert_eq(
            getattr(ht, name)(x, keepdims=True), np.asarray(expected), **tolerance(name, data, expected)
        )
    for name in ("cumsum", "cumprod"):
        assert_eq(getattr(ht, name)(x), getattr(np, name)(data))


# ------------------------------------------------------------------------------ NaN, ties
@pytest.mark.parametrize("position", [0, 3, 6])
def test_nan_propagates_through_min_max_sum_and_is_found_first_by_arg_reductions(
    position: int, comm: Any
) -> None:
    data = np.array([[3.0, 1.0], [2.0, 5.0], [1.0, 1.0], [4.0, 2.0], [0.5, 7.0], [6.0, 0.5], [2.0, 2.0]])
    data[position, 1] = np.nan
    data[6, 0] = np.nan
    check = LocalCheck()
    arrays = list(layouts(data, seed=position))
    arrays += [distribute(data, 0, random_counts(7, comm.size, s)) for s in range(3)]
    for x in arrays:
        for name in ("min", "max", "sum", "mean", "var", "ptp", "argmin", "argmax", "prod"):
            for axis in (None, 0, 1):
                run_reduction(check, name, data, x, axis, False)
    check.verdict()


def test_arg_reductions_pick_the_first_of_ties_across_rank_boundaries(comm: Any) -> None:
    data = np.array([2, 7, 1, 7, 1, 7, 7, 1, 0, 0, 7], dtype=np.int32)
    check = LocalCheck()
    arrays = list(layouts(data, seed=1)) + [
        distribute(data, 0, random_counts(11, comm.size, s)) for s in range(6)
    ]
    if comm.size > 1:
        arrays.append(distribute(data, 0, (0,) * (comm.size - 1) + (11,)))
        arrays.append(distribute(data, 0, (1,) + (0,) * (comm.size - 2) + (10,)))
    for x in arrays:
        for name in ("argmax", "argmin"):
            run_reduction(check, name, data, x, None, False)
            run_reduction(check, name, data, x, 0, True)
        run_reduction(check, "argmax", -data, -x, 0, False)
    # ties in 2-d along the split axis, several columns at once
    table = np.array([[1, 5, 5], [5, 5, 1], [5, 0, 5], [0, 5, 5]], dtype=np.int64)
    for x in [
        *layouts(table, seed=3),
        *(distribute(table, 0, random_counts(4, comm.size, s)) for s in range(4)),
    ]:
        for name in ("argmax", "argmin"):
            for axis in (None, 0, 1, -1):
                run_reduction(check, name, table, x, axis, False)
    check.verdict()


def test_arg_reductions_of_bools_and_keepdims_with_axis_none() -> None:
    data = np.array([[False, True], [True, True]])
    for x in layouts(data):
        assert_eq(ht.argmax(x), np.argmax(data))
        assert_eq(ht.argmin(x, keepdims=True), np.argmin(data, keepdims=True))
        assert_eq(ht.argmax(x, axis=0), np.argmax(data, axis=0))


# ------------------------------------------------------------------------------ var and std
@pytest.mark.parametrize("ddof", [0, 1, 2])
def test_var_and_std_with_ddof(ddof: int, comm: Any) -> None:
    check = LocalCheck()
    for dtype in ("int32", "float32", "complex128"):
        data = sample(dtype, (5, 4), shift=ddof)
        arrays = [*layouts(data, seed=ddof), distribute(data, 0, random_counts(5, comm.size, 9))]
        for x in arrays:
            for name in ("var", "std"):
                for axis in (None, 0, 1, (0, 1)):
                    for keepdims in (False, True) if ddof == 1 else (False,):
                        run_reduction(check, name, data, x, axis, keepdims, ddof=ddof)
    check.verdict()


def test_var_ddof_at_least_the_count_gives_nan_or_inf_as_numpy() -> None:
    data = np.arange(6.0).reshape(2, 3)
    for x in layouts(data):
        with quiet():
            assert_eq(ht.var(x, axis=0, ddof=2), np.var(data, axis=0, ddof=2))
            assert_eq(ht.std(x, axis=0, ddof=3), np.std(data, axis=0, ddof=3))


def test_var_std_mean_are_numerically_stable(comm: Any) -> None:
    rng = np.random.default_rng(0)
    data = 1e8 + rng.standard_normal((40, 3))
    for x in [*layouts(data, seed=5), distribute(data, 0, random_counts(40, comm.size, 1))]:
        for axis in (None, 0, 1):
            assert_eq(ht.var(x, axis=axis), np.var(data, axis=axis), exact=False, rtol=1e-6)
            assert_eq(ht.std(x, axis=axis, ddof=1), np.std(data, axis=axis, ddof=1), exact=False, rtol=1e-6)
            assert_eq(ht.mean(x, axis=axis), np.mean(data, axis=axis), exact=False, rtol=1e-12)
    small = (1e4 + rng.standard_normal(60)).astype(np.float32)
    for x in layouts(small, seed=2):
        assert_eq(ht.var(x), np.var(small.astype(np.float64)).astype(np.float32), exact=False, rtol=1e-3)


# ------------------------------------------------------------------------------ dtype=, out=
@pytest.mark.parametrize(
    ("name", "dtype_in", "dtype_arg"),
    [
        ("sum", "int8", "int8"),
        ("sum", "int8", "float32"),
        ("sum", "float32", "float64"),
        ("sum", "bool", "int32"),
        ("prod", "int32", "float64"),
        ("mean", "int32", "float32"),
        ("mean", "float32", "float64"),
        ("var", "int16", "float32"),
        ("std", "float64", "float32"),
        ("cumsum", "int8", "int16"),
        ("cumprod", "int32", "float64"),
    ],
)
def test_dtype_argument_sets_the_accumulator_and_result(name: str, dtype_in: str, dtype_arg: str) -> None:
    data = (np.arange(12).reshape(4, 3) % 7 - 2).astype(dtype_in)
    for x in layouts(data):
        for axis in (None, 0, 1):
            expected = getattr(np, name)(data, axis=axis, dtype=dtype_arg)
            y = getattr(ht, name)(x, axis=axis, dtype=dtype_arg)
            assert_eq(y, expected, exact=name not in ("var", "std", "mean"), rtol=1e-5)


def test_reduction_out_receives_the_result() -> None:
    data = sample("float64", (5, 4), shift=1)
    for x in layouts(data, seed=3):
        for name in ("sum", "max", "mean", "var", "std", "prod", "min"):
            for axis in (0, 1):
                out = zeros_in_layout_of(getattr(ht, name)(x, axis=axis))
                assert getattr(ht, name)(x, axis=axis, out=out) is out
                assert_eq(out, getattr(np, name)(data, axis=axis), exact=False, rtol=1e-12)
        out = zeros_in_layout_of(ht.argmax(x, axis=1))
        assert ht.argmax(x, axis=1, out=out) is out
        assert_eq(out, np.argmax(data, axis=1))
        flags = zeros_in_layout_of(ht.any(x, axis=0))
        assert ht.any(x > 1, axis=0, out=flags) is flags
        assert_eq(flags, np.any(data > 1, axis=0))
        with pytest.raises(ValueError, match="shape"):
            ht.sum(x, axis=0, out=ht.zeros((5,)))
        with pytest.raises(TypeError, match="same_kind"):
            ht.sum(x, axis=1, out=zeros_in_layout_of(ht.sum(x, axis=1)).astype(ht.int64))


# ------------------------------------------------------------------------------ bad axes
@pytest.mark.parametrize("name", [*REDUCTIONS, "cumsum", "cumprod"])
def test_bad_axes_raise_numpys_errors_on_every_rank(name: str) -> None:
    x = ht.ones((4, 3), split=0)
    for axis in (2, -3):
        with pytest.raises(np.exceptions.AxisError, match="out of bounds") as info:
            getattr(ht, name)(x, axis=axis)
        assert isinstance(info.value, ValueError) and isinstance(info.value, IndexError)
    with pytest.raises(np.exceptions.AxisError):
        getattr(ht, name)(ht.array(1.0), axis=0)
    if name in SINGLE_AXIS or name in ("cumsum", "cumprod"):
        with pytest.raises(TypeError):  # NumPy: an integer axis only
            getattr(ht, name)(x, axis=(0, 1))
    else:
        for axis in ((0, 0), (1, -1)):
            with pytest.raises(ValueError, match="duplicate"):
                getattr(ht, name)(x, axis=axis)
    with pytest.raises(TypeError, match="axis"):
        getattr(ht, name)(x, axis=1.5)


@pytest.mark.parametrize("name", ["min", "max", "argmin", "argmax", "ptp"])
def test_complex_input_is_ordered_as_numpy_with_nan_and_ties(name: str, comm: Any) -> None:
    check = LocalCheck()
    re = np.array([1.0, 2.0, 2.0, -1.0, 2.0, 0.5, 2.0, 1.0])
    im = np.array([0.0, -1.0, 3.0, 5.0, 3.0, 0.0, -2.0, 9.0])
    data = (re + 1j * im).reshape(4, 2)
    with_nan = data.copy()
    with_nan[2, 1] = complex(np.nan, 0.0)
    for values in (data, with_nan):
        for x in layouts(values, seed=11):
            for axis in (None, 0, 1):
                expected, _ = numpy_reduce(name, values, axis=axis)
                check(f"{name} axis={axis} {layout_of(x)}", getattr(ht, name)(x, axis=axis), expected)
    if name in ("min", "max"):
        for x in layouts(data):
            mask = np.array([True, False])
            expected, _ = numpy_reduce(name, data, axis=0, where=mask, initial=0.5 + 0.5j)
            check(
                f"{name} where {layout_of(x)}",
                getattr(ht, name)(x, axis=0, where=ht.array(mask), initial=0.5 + 0.5j),
                expected,
            )
    check.verdict()


def test_aliases_and_methods() -> None:
    assert ht.amin is ht.min and ht.amax is ht.max
    data = sample("float32", (4, 3))
    for x in layouts(data):
        assert_eq(x.sum(axis=0), data.sum(axis=0))
        assert_eq(x.mean(), np.float32(data.mean()), exact=False, rtol=1e-6)
        assert_eq(x.max(axis=1, keepdims=True), data.max(axis=1, keepdims=True))
        assert_eq(x.argmin(), np.argmin(data))
        assert_eq(x.cumsum(1), data.cumsum(1))
        assert_eq(x.std(ddof=1), np.float32(data.std(ddof=1)), exact=False, rtol=1e-6)
        assert_eq(x.ptp(axis=0), np.ptp(data, axis=0))
        assert_eq(x.count_nonzero(axis=0), np.count_nonzero(data, axis=0))
        assert_eq(np.sum(x, axis=0), data.sum(axis=0))  # NumPy's function calls the method


def test_reductions_accept_numpy_and_python_input() -> None:
    data = [[1, 2], [3, 4]]
    assert_eq(ht.sum(data), np.sum(data))
    assert_eq(ht.max(np.array(data), axis=0), np.max(data, axis=0))
    assert_eq(ht.cumsum(data), np.cumsum(data))


def test_count_nonzero_counts_nan_and_complex_parts() -> None:
    data = np.array([[0.0, np.nan, -0.0], [1.0, 0.0, 2.0]])
    cdata = np.array([0j, 1j, 1 + 0j, 0j])
    for x in layouts(data):
        for axis in (None, 0, 1):
            assert_eq(ht.count_nonzero(x, axis=axis), np.asarray(np.count_nonzero(data, axis=axis)))
    for x in layouts(cdata):
        assert_eq(ht.count_nonzero(x), np.asarray(np.count_nonzero(cdata)))


# ------------------------------------------------------------------------------ scans
@pytest.mark.parametrize("dtype", ["bool", "uint8", "int8", "float16", "float32", "complex64"])
@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
def test_scans_match_numpy_along_every_axis_and_layout(name: str, dtype: str, comm: Any) -> None:
    check = LocalCheck()
    for shape in [(7, 3), (2, 3, 4), (5,), (0, 3)]:
        data = sample(dtype, shape, shift=1)
        arrays = list(layouts(data, seed=6))
        if comm.size > 1 and shape[0]:
            arrays.append(distribute(data, 0, (0,) * (comm.size - 1) + (shape[0],)))
        for x in arrays:
            for axis in [None, *range(len(shape)), -1]:
                what = f"{name}({dtype}{shape}, {layout_of(x)}, axis={axis})"
                expected, _ = numpy_reduce(name, data, axis=axis)
                y = getattr(ht, name)(x, axis=axis)
                check(what, y, expected, **tolerance("sum", data, expected))
                want_split = 0 if axis is None and x.split is not None else x.split
                if y.split != want_split:
                    check.failures.append(f"{what}: split {y.split}, want {want_split}")
    check.verdict()


def test_scans_of_bfloat16_compare_with_float32() -> None:
    data = sample("float32", (6, 2))
    for x in layouts(data):
        xb = x.astype(ht.bfloat16)
        rounded = xb.numpy()
        for axis in (None, 0, 1):
            assert_eq(
                ht.cumsum(xb, axis=axis),
                np.cumsum(rounded, axis=axis),
                dtype=ht.bfloat16,
                exact=False,
                rtol=2e-2,
            )


def test_scan_out_receives_the_result() -> None:
    data = sample("float64", (5, 3))
    for x in layouts(data, seed=8):
        out = zeros_in_layout_of(x)
        assert ht.cumsum(x, axis=0, out=out) is out
        assert_eq(out, np.cumsum(data, axis=0))
        assert ht.cumprod(x, axis=1, out=out) is out
        assert_eq(out, np.cumprod(data, axis=1))


def test_scan_along_the_split_axis_with_empty_blocks_in_the_middle(comm: Any) -> None:
    data = np.arange(1, 10, dtype=np.int64)
    for seed in range(6):
        counts = list(random_counts(9, comm.size, seed))
        if comm.size > 2:
            counts[1], counts[0] = 0, counts[0] + counts[1]
        x = distribute(data, 0, tuple(counts))
        assert_eq(ht.cumsum(x), np.cumsum(data))
        assert_eq(ht.cumprod(x % 3 + 1), np.cumprod(data % 3 + 1))


WHERE_REDUCTIONS = ["sum", "prod", "min", "max", "all", "any", "mean", "var", "std"]
NEEDS_INITIAL = {"min", "max"}


@pytest.mark.parametrize("name", WHERE_REDUCTIONS)
def test_where_masks_match_numpy_for_every_layout_and_mask_layout(name: str, comm: Any) -> None:
    check = LocalCheck()
    data = sample("float64", (5, 4), shift=2)
    full = (np.arange(20).reshape(5, 4) % 3) != 1
    masks = [full, full[2], full[:, :1]]  # same shape, broadcast rows, broadcast columns
    kwargs = {"initial": -5.0 if name == "max" else 5.0} if name in NEEDS_INITIAL else {}
    for x in layouts(data, seed=3):
        for mask in masks:
            for mask_split in splits(mask.ndim):
                if mask.shape[mask_split or 0] == 1 and mask_split is not None:
                    continue
                where = distribute(mask, mask_split)
                for axis in (None, 0, 1):
                    expected, err = numpy_reduce(name, data, axis=axis, where=mask, **kwargs)
                    assert err is None
                    got = getattr(ht, name)(x, axis=axis, where=where, **kwargs)
                    what = f"{name} axis={axis} {layout_of(x)} mask {mask.shape} split={mask_split}"
                    check(what, got, expected, **tolerance(name, data, expected))
    check.verdict()


@pytest.mark.parametrize("name", ["sum", "prod", "min", "max"])
def test_initial_enters_once_and_allows_empty_min_max(name: str, comm: Any) -> None:
    check = LocalCheck()
    data = sample("int32", (4, 3), shift=5)
    for x in layouts(data):
        for axis in (None, 0, 1):
            expected, _ = numpy_reduce(name, data, axis=axis, initial=2)
            check(f"{name} axis={axis} {layout_of(x)}", getattr(ht, name)(x, axis=axis, initial=2), expected)
    empty = np.zeros((0, 3), dtype=np.float32)
    for x in layouts(empty):
        expected, _ = numpy_reduce(name, empty, axis=0, initial=1.5)
        check(f"{name} empty {layout_of(x)}", getattr(ht, name)(x, axis=0, initial=1.5), expected)
    check.verdict()


def test_where_errors_match_numpy_on_every_rank() -> None:
    x = distribute(np.arange(12, dtype=np.float32).reshape(4, 3), 0)
    with pytest.raises(ValueError, match="needs initial"):
        ht.max(x, where=ht.array([True, False, True]))
    with pytest.raises(ValueError, match="does not broadcast"):
        ht.sum(x, where=ht.array([True, False]))
    with pytest.raises(TypeError, match="boolean mask"):
        ht.sum(x, where=ht.array([1, 0, 1]))
    # a Python bool mask: False selects nothing
    assert ht.sum(x, where=False).item() == 0
    assert ht.sum(x, axis=0, where=True).numpy().tolist() == [18.0, 22.0, 26.0]
