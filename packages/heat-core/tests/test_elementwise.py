"""Elementwise functions and operators against NumPy, for every layout.

Every function of the tables in ``heat.core.elementwise`` runs over balanced and unbalanced
layouts (empty blocks included) and a sample of dtypes; values, result dtype and layout are
compared with NumPy's. Binary functions also run on operands with different layouts, with
broadcasting, with Python scalars (weak, NEP 50) and with NumPy operands.
"""

from __future__ import annotations

import itertools
import operator
import re
from typing import Any

import numpy as np
import pytest
from core_helpers import DTYPES, LocalCheck, assert_eq, distribute, layout_of, layouts, random_counts

import heat as ht
from heat.core import elementwise

SPECIAL_FLOATS = [np.nan, np.inf, -np.inf, 0.0, -0.0, -0.5, 0.5, 1.5, 2.5, -2.5, 0.9, 3.0]

# functions whose result is exact (no transcendental approximation)
EXACT_UNARY = {
    "negative", "positive", "absolute", "fabs", "sign", "square", "floor", "ceil", "trunc", "rint", "fix",
    "isnan", "isinf", "isfinite", "isposinf", "isneginf", "signbit", "logical_not", "invert", "conjugate",
}  # fmt: skip
EXACT_BINARY = {
    "add", "subtract", "multiply", "floor_divide", "remainder", "fmod", "maximum", "minimum", "fmax", "fmin",
    "copysign", "nextafter", "gcd", "lcm", "bitwise_and", "bitwise_or", "bitwise_xor", "left_shift",
    "right_shift", "logical_and", "logical_or", "logical_xor", *elementwise.COMPARISONS,
}  # fmt: skip
# integer operands of these are kept small and non-negative (shift counts, integer exponents)
SMALL_NONNEGATIVE = {"left_shift", "right_shift", "power"}
DIVISIONS = {"floor_divide", "remainder", "fmod", "true_divide"}


def sample(
    dtype: str, shape: tuple[int, ...] = (4, 3), *, shift: int = 0, specials: bool = True
) -> np.ndarray:
    """Deterministic test values of ``dtype``: signed integers around zero, floats with NaN,
    infinities and signed zeros (``specials``), complex numbers with finite parts."""
    n = int(np.prod(shape))
    base = (np.arange(n) * 5 + shift) % 9 - 3  # -3 .. 5
    if dtype == "bool":
        return (base % 2 == 0).reshape(shape)
    if dtype == "uint8":
        return (base + 3).astype(dtype).reshape(shape)
    if dtype.startswith("float"):
        if specials:
            values = np.array([SPECIAL_FLOATS[(i + shift) % len(SPECIAL_FLOATS)] for i in range(n)])
        else:
            values = base * 0.75 + 0.25
        return values.astype(dtype).reshape(shape)
    if dtype.startswith("complex"):
        return (base * 0.5 + 1j * (base[::-1] * 0.25 + 0.5)).astype(dtype).reshape(shape)
    return base.astype(dtype).reshape(shape)


def tolerance(exact: bool, result_dtype: np.dtype) -> dict[str, Any]:
    """assert_eq's keywords: exact comparison, or a relative tolerance fitting the dtype."""
    if exact or result_dtype.kind in "biu":
        return {"exact": True}
    rtol = {2: 2e-3, 4: 2e-5, 8: 1e-12, 16: 1e-12}[
        result_dtype.itemsize if result_dtype.kind == "f" else result_dtype.itemsize // 2
    ]
    return {"exact": False, "rtol": rtol}


def numpy_or_error(fn: Any, *args: Any) -> tuple[Any, type[Exception] | None]:
    """NumPy's result, or the class of the error NumPy raises (warnings suppressed)."""
    with np.errstate(all="ignore"):
        try:
            return fn(*args), None
        except (TypeError, ValueError, OverflowError) as err:
            return None, TypeError if isinstance(err, TypeError) else type(err)


# ------------------------------------------------------------------------------ unary
def unary_input(name: str, dtype: str) -> np.ndarray:
    data = sample(dtype, specials=not dtype.startswith("complex"))
    if name == "reciprocal" and data.dtype.kind in "iu":
        data = np.where(data == 0, 1, data).astype(dtype)  # 1 // 0 is undefined for integers
    return data


@pytest.mark.parametrize("dtype", DTYPES)
def test_unary_functions_match_numpy_on_every_layout(dtype: str) -> None:
    check = LocalCheck()
    plain = list(layouts(unary_input("negative", dtype), seed=5))
    no_zero = list(layouts(unary_input("reciprocal", dtype), seed=5))
    for name in sorted(elementwise.UNARY):
        data = unary_input(name, dtype)
        expected, error = numpy_or_error(getattr(np, name), data)
        fn = getattr(ht, name)
        for x in no_zero if name == "reciprocal" else plain:
            what = f"{name}({dtype}, {layout_of(x)})"
            if error is not None:
                check.expect_error(what, error, fn, x)
                continue
            y = fn(x)
            exact = name in EXACT_UNARY and not (data.dtype.kind == "c" and name in ("absolute", "sign"))
            check(what, y, expected, **tolerance(exact, expected.dtype))
            if y.split != x.split or (x.split is not None and y.counts != x.counts):
                check.failures.append(f"{what}: layout changed to split={y.split}")
    check.verdict()


def test_unary_functions_on_bfloat16_round_like_float32() -> None:
    check = LocalCheck()
    xs = [distribute(sample("float32"), split).astype(ht.bfloat16) for split in (None, 0)]
    rounded = xs[0].numpy()  # the bfloat16 values, exactly, as float32
    for name in sorted(elementwise.UNARY):
        dtype_probe, error = numpy_or_error(getattr(np, name), rounded.astype(np.float16))
        for x in xs:
            if error is not None:
                check.expect_error(f"{name}(bfloat16)", error, getattr(ht, name), x)
                continue
            expected, _ = numpy_or_error(getattr(np, name), rounded)
            want = ht.bfloat16 if dtype_probe.dtype == np.float16 else dtype_probe.dtype
            check(
                f"{name}(bfloat16, split={x.split})",
                getattr(ht, name)(x),
                expected,
                dtype=want,
                exact=want is not ht.bfloat16,
                rtol=2e-2,
            )
    check.verdict()


@pytest.mark.parametrize("shape", [(), (1,), (5,), (0, 3), (2, 3, 4)], ids=str)
@pytest.mark.parametrize("name", ["exp", "negative", "isnan", "sqrt", "invert", "sign"])
def test_unary_function_on_small_empty_and_0d_shapes(name: str, shape: tuple[int, ...]) -> None:
    dtype = "int32" if name == "invert" else "float64"
    data = sample(dtype, shape, specials=False)
    expected, _ = numpy_or_error(getattr(np, name), data)
    for x in layouts(data, seed=2):
        assert_eq(getattr(ht, name)(x), expected, **tolerance(name in EXACT_UNARY, expected.dtype))


@pytest.mark.parametrize(
    "name", ["log", "log2", "log10", "log1p", "sqrt", "arcsin", "arccos", "arccosh", "arctanh"]
)
def test_unary_domain_edges_give_numpys_infinities_and_nans(name: str) -> None:
    data = np.array([0.0, -0.0, -1.0, 1.0, -2.0, 2.0, np.inf, -np.inf, np.nan])
    expected, _ = numpy_or_error(getattr(np, name), data)
    for x in layouts(data):
        assert_eq(getattr(ht, name)(x), expected, exact=False, rtol=1e-12)


def test_unary_aliases_are_the_same_functions() -> None:
    for alias, target in {**elementwise.UNARY_ALIASES, **elementwise.BINARY_ALIASES}.items():
        assert getattr(ht, alias) is getattr(ht, target), alias
        assert getattr(elementwise, alias) is getattr(ht, target), alias


def test_unary_functions_keep_the_layout_without_communication(
    collective_calls: list[str], comm: Any
) -> None:
    data = sample("float32", (7, 3))
    arrays = list(layouts(data, seed=4))
    for x in arrays:
        _ = x.counts if x.split is not None else None  # layout maps known before counting
    collective_calls.clear()
    results = [getattr(ht, name)(x) for x in arrays for name in elementwise.UNARY if name != "invert"]
    assert collective_calls == []
    assert all(
        r.split == x.split
        for r, x in zip(results, [x for x in arrays for _ in range(len(elementwise.UNARY) - 1)], strict=True)
    )


def test_unary_function_rejected_by_numpy_names_the_dtype() -> None:
    x = ht.ones((3,), split=0)
    with pytest.raises(TypeError, match=r"invert.*float64"):
        ht.invert(x)
    with pytest.raises(TypeError, match="isposinf"):
        ht.isposinf(x.astype(ht.complex64))


# ------------------------------------------------------------------------------ binary
BINARY_NAMES = sorted(elementwise.BINARY) + sorted(elementwise.COMPARISONS)
DTYPE_PAIRS = [(d, d) for d in DTYPES] + [
    ("int8", "uint8"),
    ("bool", "int32"),
    ("uint8", "float16"),
    ("int32", "float32"),
    ("int64", "float16"),
    ("float16", "float32"),
    ("float32", "float64"),
    ("float64", "complex64"),
    ("int8", "complex128"),
]


def binary_inputs(
    name: str, dtype_a: str, dtype_b: str, shape: tuple[int, ...] = (4, 3)
) -> tuple[np.ndarray, np.ndarray]:
    """Operands for ``name``: special floats unless complex numbers take part; integer divisors
    without zeros; small non-negative shift counts and integer exponents."""
    specials = not (dtype_a.startswith("complex") or dtype_b.startswith("complex"))
    a = sample(dtype_a, shape, specials=specials)
    b = sample(dtype_b, shape, shift=4, specials=specials)
    if name in SMALL_NONNEGATIVE:
        a, b = (np.abs(v) % 4 if v.dtype.kind in "iu" else v for v in (a, b))
        a, b = a.astype(dtype_a), b.astype(dtype_b)
    if name in DIVISIONS and b.dtype.kind in "biu":
        b = np.where(b == 0, 2, b).astype(dtype_b) if dtype_b != "bool" else np.ones_like(b)
    return a, b


def binary_tolerance(name: str, expected: np.ndarray) -> dict[str, Any]:
    exact = name in EXACT_BINARY and not (expected.dtype.kind == "c" and name == "multiply")
    return tolerance(exact, expected.dtype)


@pytest.mark.parametrize("dtypes", DTYPE_PAIRS, ids="-".join)
def test_binary_functions_match_numpy_on_equal_layouts(dtypes: tuple[str, str]) -> None:
    check = LocalCheck()
    operands: dict[tuple[bool, bool], list[tuple[ht.DNDarray, ht.DNDarray]]] = {}
    for name in BINARY_NAMES:
        a, b = binary_inputs(name, *dtypes)
        key = (name in SMALL_NONNEGATIVE, name in DIVISIONS)
        if key not in operands:  # built once per kind of operand (collective, same order everywhere)
            operands[key] = list(zip(layouts(a, seed=8), layouts(b, seed=8), strict=True))
        expected, error = numpy_or_error(getattr(np, name), a, b)
        fn = getattr(ht, name)
        for xa, xb in operands[key]:
            what = f"{name}({'-'.join(dtypes)}, {layout_of(xa)})"
            if error is not None:
                check.expect_error(what, error, fn, xa, xb)
                continue
            y = fn(xa, xb)
            check(what, y, expected, **binary_tolerance(name, expected))
            if y.split != xa.split or (xa.split is not None and y.counts != xa.counts):
                check.failures.append(f"{what}: layout changed to split={y.split}")
    check.verdict()


@pytest.mark.parametrize(
    "name", ["add", "subtract", "true_divide", "maximum", "less_equal", "arctan2", "power"]
)
def test_binary_function_on_operands_with_different_layouts(name: str) -> None:
    # a has at least b's bytes: a keeps its layout when it is split, else b does
    a = sample("float64", (5, 4), specials=False)
    b = np.abs(sample("int32", (5, 4), shift=2)).astype("int32") % 3 + 1
    expected, _ = numpy_or_error(getattr(np, name), a, b)
    for xa in layouts(a, seed=1):
        for xb in layouts(b, seed=7):
            y = getattr(ht, name)(xa, xb)
            assert_eq(y, expected, **binary_tolerance(name, expected))
            keeper = xa if xa.split is not None else xb
            assert y.split == keeper.split
            assert keeper.split is None or y.counts == keeper.counts


BROADCAST_SHAPES = [
    ((4, 3), (3,)),
    ((3,), (4, 3)),
    ((4, 1), (1, 3)),
    ((), (4, 3)),
    ((4, 3), ()),
    ((2, 3, 4), (3, 1)),
    ((1, 3, 1), (2, 1, 4)),
    ((0, 3), (3,)),
    ((5, 1), (0,)),
    ((1,), (5,)),
]


@pytest.mark.parametrize("shapes", BROADCAST_SHAPES, ids=str)
@pytest.mark.parametrize("name", ["subtract", "greater"])
def test_binary_function_broadcasts_every_layout_pair(name: str, shapes: tuple[tuple[int, ...], ...]) -> None:
    a = sample("float32", shapes[0], specials=False)
    b = sample("float64", shapes[1], shift=3, specials=False)
    expected, _ = numpy_or_error(getattr(np, name), a, b)
    for xa in layouts(a, seed=3):
        for xb in layouts(b, seed=6):
            assert_eq(getattr(ht, name)(xa, xb), expected, **binary_tolerance(name, expected))


@pytest.mark.parametrize("shapes", [((4, 3), (4,)), ((2, 3), (3, 2)), ((5,), (0,))], ids=str)
def test_binary_shapes_that_do_not_broadcast_raise_naming_them(shapes: tuple[tuple[int, ...], ...]) -> None:
    a, b = (ht.zeros(s, split=0) for s in shapes)
    with pytest.raises(ValueError, match=re.escape(f"{shapes[0]} and {shapes[1]}")):
        ht.add(a, b)
    with pytest.raises(ValueError, match="broadcast"):
        _ = a * b


def test_binary_on_unbalanced_operands_with_empty_blocks(comm: Any) -> None:
    a = sample("float64", (7, 3), specials=False)
    b = sample("float64", (7, 3), shift=1, specials=False)
    for seed in range(4):
        xa = distribute(a, 0, random_counts(7, comm.size, seed))
        xb = distribute(b, 0, random_counts(7, comm.size, seed + 10))
        assert_eq(ht.multiply(xa, xb), a * b)
        assert_eq(ht.hypot(xb, xa), np.hypot(b, a), exact=False, rtol=1e-12)
        if comm.size > 1:
            zero_first = (0,) * (comm.size - 1) + (7,)
            assert_eq(xa - distribute(b, 0, zero_first), a - b)


def test_binary_integer_division_by_zero_gives_numpys_zero() -> None:
    a = np.array([-5, -1, 0, 3, 7, 9], dtype=np.int32)
    b = np.array([0, 2, 0, -2, 0, 4], dtype=np.int32)
    for name in ("floor_divide", "remainder", "fmod"):
        expected, _ = numpy_or_error(getattr(np, name), a, b)
        for xa, xb in zip(layouts(a), layouts(b), strict=True):
            assert_eq(getattr(ht, name)(xa, xb), expected)


def test_binary_float_division_by_zero_gives_numpys_infinities_and_nans() -> None:
    a = np.array([-1.0, 0.0, 1.0, np.inf, np.nan, -0.0, 2.5, -2.5], dtype=np.float32)
    b = np.array([0.0, 0.0, -0.0, 0.0, 0.0, 0.0, np.inf, np.inf], dtype=np.float32)
    for name in ("true_divide", "floor_divide", "remainder", "fmod"):
        expected, _ = numpy_or_error(getattr(np, name), a, b)
        for xa, xb in zip(layouts(a), layouts(b), strict=True):
            assert_eq(getattr(ht, name)(xa, xb), expected)


def test_floor_divide_and_remainder_follow_numpys_float_algorithm() -> None:
    a = np.array([1.0, -1.0, 0.7, -0.0, 5.5, -5.5])
    b = np.array([0.1, 0.1, -0.1, 3.0, -2.0, 2.0])
    for xa in layouts(a):
        assert_eq(ht.floor_divide(xa, b), np.floor_divide(a, b))
        assert_eq(ht.remainder(xa, b), np.remainder(a, b))
        np.testing.assert_array_equal(np.signbit(ht.remainder(xa, b).numpy()), np.signbit(np.remainder(a, b)))


def test_complex_ordering_is_numpys_lexicographic_order() -> None:
    a = np.array([1 + 1j, 1 + 2j, 2 - 1j, np.nan + 0j, 0 + 0j, 3 + 0j], dtype=np.complex128)
    b = np.array([1 + 2j, 1 + 1j, 1 + 5j, 1 + 0j, 0 + 0j, np.nan * 1j], dtype=np.complex128)
    for name in ("less", "less_equal", "greater", "greater_equal", "maximum", "minimum", "fmax", "fmin"):
        expected, _ = numpy_or_error(getattr(np, name), a, b)
        for xa in layouts(a):
            assert_eq(getattr(ht, name)(xa, b), expected)


def test_complex_addition_with_non_finite_parts_is_componentwise() -> None:
    a = np.array([np.nan, np.inf, 1.0], dtype=np.float32)
    for x in layouts(a):
        assert_eq(1j + x, 1j + a)
        assert_eq(x - 1j, a - 1j)


# ------------------------------------------------------------------------------ scalars
SCALARS = [True, 3, -1, 300, 2.5, 1j]


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int8", "int64", "float16", "float32", "complex64"])
def test_binary_functions_with_python_scalars_on_both_sides(dtype: str) -> None:
    check = LocalCheck()
    arrays: dict[tuple[bool, bool], tuple[np.ndarray, ht.DNDarray]] = {}
    for name in BINARY_NAMES:
        key = (name in SMALL_NONNEGATIVE, name in DIVISIONS)
        if key not in arrays:
            data, _ = binary_inputs(name, dtype, dtype)
            if name in DIVISIONS and data.dtype.kind in "iu":
                data = np.where(data == 0, 1, data).astype(dtype)
            arrays[key] = (data, distribute(data, 0, random_counts(4, ht.get_comm().size, 1)))
        data, x = arrays[key]
        for scalar in SCALARS:
            if name in SMALL_NONNEGATIVE and scalar in (-1, 300):
                continue  # shift counts beyond the width are undefined
            for args, hargs in (((data, scalar), (x, scalar)), ((scalar, data), (scalar, x))):
                shown = (dtype, scalar) if args[0] is data else (scalar, dtype)
                what = f"{name}{shown}"
                expected, error = numpy_or_error(getattr(np, name), *args)
                if error is not None:
                    check.expect_error(what, error, getattr(ht, name), *hargs)
                    continue
                y = getattr(ht, name)(*hargs)
                check(what, y, expected, **binary_tolerance(name, np.asarray(expected)))
                if y.split != 0 or y.counts != x.counts:
                    check.failures.append(f"{what}: layout changed")
    check.verdict()


@pytest.mark.parametrize(
    ("dtype", "scalar", "expected"),
    [
        ("int8", 1, ht.int8),
        ("uint8", 255, ht.uint8),
        ("int32", 1.5, ht.float64),
        ("float32", 1.5, ht.float32),
        ("float16", 1, ht.float16),
        ("float32", 1j, ht.complex64),
        ("bool", 1, ht.int64),
        ("bool", 1.5, ht.float64),
        ("bool", True, ht.bool),
        ("int16", True, ht.int16),
    ],
)
def test_python_scalars_are_weak(dtype: str, scalar: Any, expected: ht.types.DType) -> None:
    x = ht.ones((4,), dtype=dtype, split=0)
    assert (x + scalar).dtype == expected
    assert (scalar * x).dtype == expected
    assert np.result_type(np.ones(1, dtype), scalar) == expected.numpy


def test_python_integer_out_of_bounds_raises_overflow_error_as_numpy() -> None:
    x = ht.arange(4, dtype=ht.uint8, split=0)
    with pytest.raises(OverflowError, match="-1"):
        x + (-1)
    with pytest.raises(OverflowError, match="300"):
        ht.multiply(300, x.astype(ht.int8))
    # comparisons compare the values, as NumPy 2 does
    data = np.arange(4, dtype=np.uint8)
    assert_eq(x < -1, data < -1)
    assert_eq(x >= -1, data >= -1)
    assert_eq(ht.equal(x, 256), np.equal(data, 256))


def test_integer_power_with_negative_scalar_exponent_raises_value_error() -> None:
    x = ht.arange(1, 5, split=0)
    with pytest.raises(ValueError, match="negative integer powers"):
        x**-1
    assert_eq(x**-1.0, np.arange(1, 5) ** -1.0)


def test_numpy_arrays_and_scalars_are_strong_operands() -> None:
    data = sample("int8", (4, 3))
    other = sample("float32", (4, 3), specials=False)
    for x in layouts(data):
        assert_eq(ht.add(x, other), data + other)
        assert_eq(ht.subtract(other, x), other - data)
        assert_eq(x * other[0], data * other[0])
        assert_eq(x - np.float32(1.5), data - np.float32(1.5))
        assert_eq(np.int64(2) * x, np.int64(2) * data)
        assert_eq(operator.add(x, [1, 2, 3]), data + np.array([1, 2, 3]))


def test_numpy_array_on_the_left_runs_heats_operator() -> None:
    data = sample("float64", (4, 3), specials=False)
    other = sample("float64", (4, 3), shift=2, specials=False)
    for x in layouts(data):
        for y, expected in ((other - x, other - data), (other > x, other > data), (np.exp(x), np.exp(data))):
            assert isinstance(y, ht.DNDarray)
            assert_eq(y, expected, exact=False, rtol=1e-12)
            assert y.split == x.split


# ------------------------------------------------------------------------------ communication
def test_aligned_binary_operations_do_not_communicate(collective_calls: list[str], comm: Any) -> None:
    a = sample("float64", (7, 4), specials=False)
    b = sample("float64", (7, 4), shift=1, specials=False)
    pairs = []
    for split in (None, 0, 1):
        counts = None if split is None else random_counts(a.shape[split], comm.size, 3)
        pairs.append((distribute(a, split, counts), distribute(b, split, counts)))
    row = ht.array(b[0])
    for xa, xb in pairs:
        _ = (xa.counts, xb.counts) if xa.split is not None else None
    collective_calls.clear()
    for xa, xb in pairs:
        for name in ("add", "multiply", "maximum", "less", "arctan2", "logaddexp"):
            getattr(ht, name)(xa, xb)
            getattr(ht, name)(xa, 2.5)
            getattr(ht, name)(3, xb)
            getattr(ht, name)(xa, row)  # replicated and broadcast: sliced locally
        _ = xa + xb, xa * 2, 2 - xa, xa < xb, -xa, abs(xa)
    assert collective_calls == []


def test_differently_laid_out_operands_do_communicate(collective_calls: list[str], comm: Any) -> None:
    a = sample("float64", (6, 4), specials=False)
    xa, xb = distribute(a, 0), distribute(a, 1)
    collective_calls.clear()
    y = xa + xb
    calls = list(collective_calls)
    assert_eq(y, a + a)
    if comm.size > 1:
        assert calls != []


# ------------------------------------------------------------------------------ operators
BINARY_OPERATORS = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "//": operator.floordiv,
    "%": operator.mod,
    "**": operator.pow,
    "&": operator.and_,
    "|": operator.or_,
    "^": operator.xor,
    "<<": operator.lshift,
    ">>": operator.rshift,
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@pytest.mark.parametrize("dtype", ["int32", "float32", "bool"])
@pytest.mark.parametrize("symbol", list(BINARY_OPERATORS))
def test_binary_operators_forward_and_reflected(symbol: str, dtype: str) -> None:
    op = BINARY_OPERATORS[symbol]
    a = np.arange(1, 13).reshape(4, 3).astype(dtype) % 5
    b = (np.arange(12).reshape(4, 3) % 3 + 1).astype(dtype)
    scalar = True if dtype == "bool" else 2
    check = LocalCheck()
    for xa, xb in zip(layouts(a, seed=1), layouts(b, seed=1), strict=True):
        for left, right, hleft, hright in ((a, b, xa, xb), (a, scalar, xa, scalar), (scalar, a, scalar, xa)):
            what = f"{type(left).__name__} {symbol} {type(right).__name__} ({dtype}, split={xa.split})"
            expected, error = numpy_or_error(op, left, right)
            if error is not None:
                check.expect_error(what, error, op, hleft, hright)
                continue
            y = op(hleft, hright)
            check(what, y, expected, **tolerance(symbol not in ("/", "**"), np.asarray(expected).dtype))
            if symbol in ("==", "!=", "<", "<=", ">", ">=") and y.dtype != ht.bool:
                check.failures.append(f"{what}: comparison of dtype {y.dtype}")
    check.verdict()


@pytest.mark.parametrize("symbol", ["+", "-", "*", "/", "//", "%", "**", "&", "|", "^", "<<", ">>"])
def test_in_place_operators_keep_identity_and_layout(symbol: str) -> None:
    op = BINARY_OPERATORS[symbol]
    in_place = getattr(operator, f"i{op.__name__.rstrip('_')}")
    dtype = "float64" if symbol in ("/", "**") else "int32"
    data = (np.arange(12).reshape(4, 3) % 7 + 1).astype(dtype)
    other = (np.arange(12).reshape(4, 3) % 3 + 1).astype(dtype)
    for x, y in zip(layouts(data, seed=2), layouts(other, seed=9), strict=True):
        split, counts = x.split, x.counts if x.split is not None else None
        z = in_place(x, y)
        z = in_place(z, 2)
        assert z is x
        assert z.split == split and (split is None or z.counts == counts)
        assert_eq(z, op(op(data, other), 2), exact=symbol != "**", rtol=1e-12)


def test_in_place_operator_with_a_larger_operand_keeps_the_left_layout() -> None:
    data = sample("float32", (6, 4), specials=False)
    other = sample("float64", (6, 4), shift=1, specials=False)
    for x in layouts(data, seed=1):
        for y in layouts(other, seed=4):
            z = x.copy()
            z += y
            assert z.split == x.split and (x.split is None or z.counts == x.counts)
            assert_eq(z, (data + other).astype(np.float32))


def test_in_place_operator_casting_follows_same_kind() -> None:
    x = ht.arange(6, split=0)
    with pytest.raises(TypeError, match="same_kind"):
        x += 1.5
    with pytest.raises(TypeError):
        x /= 2
    y = ht.ones(6, dtype=ht.int8, split=0)
    y += 1
    assert y.dtype == ht.int8
    z = ht.zeros(6, dtype=ht.float32, split=0)
    z += ht.ones(6, dtype=ht.float64, split=0)
    assert z.dtype == ht.float32
    assert_eq(z, np.ones(6, dtype=np.float32))
    b = ht.ones(6, dtype=ht.bool, split=0)
    with pytest.raises(TypeError):
        b += 1
    w = ht.ones(3, split=0)
    with pytest.raises(ValueError, match="shape"):
        w += ht.ones((4, 3), split=0)


@pytest.mark.parametrize("dtype", ["bool", "int8", "uint8", "float32", "complex64"])
def test_unary_operators(dtype: str) -> None:
    data = sample(dtype, (4, 3), specials=False)
    for x in layouts(data):
        for op in (operator.neg, operator.pos, operator.abs, operator.invert):
            expected, error = numpy_or_error(op, data)
            if error is not None:
                with pytest.raises(error):
                    op(x)
                continue
            assert_eq(op(x), expected, exact=not (dtype == "complex64" and op is operator.abs), rtol=1e-6)


def test_divmod_function_and_operators() -> None:
    a = sample("float64", (4, 3), specials=False)
    b = sample("float64", (4, 3), shift=3, specials=False)
    b[b == 0] = 2.0
    ints = np.arange(-6, 6).reshape(4, 3)
    for xa, xb, xi in zip(layouts(a), layouts(b), layouts(ints), strict=True):
        for got, expected in (
            (ht.divmod(xa, xb), np.divmod(a, b)),
            (divmod(xa, xb), divmod(a, b)),
            (divmod(xi, 4), divmod(ints, 4)),
            (divmod(7, xi + 7), divmod(7, ints + 7)),
        ):
            assert isinstance(got, tuple) and len(got) == 2
            assert_eq(got[0], expected[0])
            assert_eq(got[1], expected[1])


def test_dndarray_is_unhashable_and_comparisons_are_elementwise() -> None:
    x = ht.arange(4, split=0)
    assert ht.DNDarray.__hash__ is None
    with pytest.raises(TypeError):
        hash(x)
    eq = x == ht.arange(4, split=0)
    assert isinstance(eq, ht.DNDarray) and eq.dtype == ht.bool
    assert_eq(eq, np.ones(4, dtype=bool))


# ------------------------------------------------------------------------------ out= and where=
def test_out_receives_the_result_and_is_returned() -> None:
    a = sample("float64", (5, 4), specials=False)
    b = sample("float64", (5, 4), shift=2, specials=False)
    for xa, xb in zip(layouts(a, seed=3), layouts(b, seed=3), strict=True):
        out = ht.zeros_like(xa) if xa.split is None else xa.copy()
        assert ht.add(xa, xb, out=out) is out
        assert_eq(out, a + b)
        assert ht.exp(xa, out=out) is out
        assert_eq(out, np.exp(a), exact=False, rtol=1e-12)
        assert ht.less(xa, xb, out=out) is out  # bool into float: a safe cast
        assert_eq(out, (a < b).astype(np.float64))
        narrow = xa.astype(ht.float32)
        assert ht.multiply(xa, 2.0, out=narrow) is narrow  # float64 into float32: same kind
        assert_eq(narrow, (a * 2).astype(np.float32))


def test_out_with_wrong_shape_layout_or_dtype_raises() -> None:
    x = ht.ones((6, 4), split=0)
    with pytest.raises(ValueError, match="shape"):
        ht.add(x, 1, out=ht.zeros((6, 3), split=0))
    with pytest.raises(ValueError, match="split"):
        ht.add(x, 1, out=ht.zeros((6, 4), split=1))
    with pytest.raises(ValueError, match="split"):
        ht.exp(x, out=ht.zeros((6, 4)))
    with pytest.raises(TypeError, match="same_kind"):
        ht.add(x, 1, out=ht.zeros((6, 4), dtype=ht.int64, split=0))
    with pytest.raises(TypeError, match="out"):
        ht.add(x, 1, out=np.zeros((6, 4)))


def test_out_with_unbalanced_layout_must_match_block_sizes(comm: Any) -> None:
    data = sample("float32", (7, 2), specials=False)
    counts = random_counts(7, comm.size, 5)
    x = distribute(data, 0, counts)
    out = distribute(np.zeros_like(data), 0, counts)
    assert ht.negative(x, out=out) is out
    assert_eq(out, -data)
    if comm.size > 1 and counts != ht.zeros((7, 2), split=0).counts:
        with pytest.raises(ValueError, match="blocks"):
            ht.negative(x, out=ht.zeros((7, 2), split=0))


@pytest.mark.parametrize("mask_split", [None, 0, 1])
def test_where_writes_only_where_the_mask_is_true(mask_split: int | None) -> None:
    a = sample("float64", (5, 4), specials=False)
    mask = sample("bool", (5, 4), shift=1)
    for x in layouts(a, seed=2):
        out = x.copy()
        out.larray.fill_(-7.0)
        expected = np.full_like(a, -7.0)
        np.add(a, 10, out=expected, where=mask)
        m = distribute(mask, mask_split)
        assert ht.add(x, 10, out=out, where=m) is out
        assert_eq(out, expected)
        # a broadcast mask, and the unary path
        row_mask = mask[0]
        np.negative(a, out=expected, where=row_mask)
        assert ht.negative(x, out=out, where=row_mask) is out
        assert_eq(out, expected)


def test_where_scalar_and_missing_out() -> None:
    x = ht.arange(4.0, split=0)
    out = ht.full((4,), 9.0, split=0)
    assert ht.add(x, 1, out=out, where=False) is out
    assert_eq(out, np.full(4, 9.0))
    assert ht.add(x, 1, out=out, where=True) is out
    assert_eq(out, np.arange(4.0) + 1)
    with pytest.raises(TypeError, match="out"):
        ht.add(x, 1, where=ht.array([True, False, True, False], split=0))


# ------------------------------------------------------------------------------ round, clip, ...
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int32", "int8", "complex128"])
@pytest.mark.parametrize("decimals", [0, 1, 2, -1, -2])
def test_round_matches_numpy_with_halves_to_even(decimals: int, dtype: str) -> None:
    base = np.array([0.5, 1.5, 2.5, -0.5, -2.5, 15.0, 25.0, -35.0, 1.25, 2.675, 0.125, 149.5])
    if dtype.startswith("int"):
        base = np.array([5, 15, 25, -15, -25, 35, 44, 46, 55, 65, -65, 0])
    data = (base * (1 + 1j) if dtype.startswith("complex") else base).astype(dtype)
    with np.errstate(all="ignore"):
        expected = np.round(data, decimals)
    for x in layouts(data):
        y = ht.round(x, decimals)
        assert_eq(y, expected, exact=dtype != "float16", rtol=1e-3)
        assert ht.around is ht.round
    assert_eq(distribute(data, 0).round(decimals), expected, exact=dtype != "float16", rtol=1e-3)


def test_clip_with_scalar_and_array_bounds() -> None:
    data = sample("float64", (4, 3), specials=False)
    low = sample("float64", (3,), shift=1, specials=False) - 1
    int_data = np.arange(-6, 6, dtype=np.int8).reshape(4, 3)
    for x, xi in zip(layouts(data), layouts(int_data), strict=True):
        assert_eq(ht.clip(x, -1.0, 2.0), np.clip(data, -1.0, 2.0))
        assert_eq(ht.clip(x, min=0.5), np.clip(data, 0.5, None))
        assert_eq(ht.clip(x, max=0.5), np.clip(data, None, 0.5))
        assert_eq(ht.clip(x, low, low + 1), np.clip(data, low, low + 1))
        assert_eq(ht.clip(x, ht.array(low), None), np.clip(data, low, None))
        assert_eq(x.clip(-1, 1), np.clip(data, -1, 1))
        assert_eq(ht.clip(x, None, None), np.clip(data, None, None))
        assert_eq(ht.clip(xi, -2, 3), np.clip(int_data, -2, 3))
        assert_eq(ht.clip(xi, 1.5, None), np.clip(int_data, 1.5, None))
        out = ht.zeros_like(x) if x.split is None else x.copy()
        assert ht.clip(x, 0, 1, out=out) is out
        assert_eq(out, np.clip(data, 0, 1))


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "complex64", "int32", "bool"])
def test_nan_to_num_matches_numpy(dtype: str) -> None:
    base = np.array([np.nan, np.inf, -np.inf, 1.5, -0.0, 2.0])
    if dtype.startswith("complex"):
        data = np.empty(base.shape, dtype=dtype)
        data.real, data.imag = base, base[::-1]
    elif dtype in ("int32", "bool"):
        data = np.array([0, 1, 2, 3, 0, 5]).astype(dtype)
    else:
        data = base.astype(dtype)
    for x in layouts(data):
        assert_eq(ht.nan_to_num(x), np.nan_to_num(data))
        assert_eq(
            ht.nan_to_num(x, nan=-1.0, posinf=9.0, neginf=-9.0),
            np.nan_to_num(data, nan=-1.0, posinf=9.0, neginf=-9.0),
        )
    x = distribute(data, 0)
    assert ht.nan_to_num(x, copy=False) is x
    assert_eq(x, np.nan_to_num(data))


def test_isclose_matches_numpy() -> None:
    a = np.array([1.0, 1.0 + 1e-9, np.nan, np.inf, -np.inf, 1e-9, 100.0, 0.0])
    b = np.array([1.0, 1.0, np.nan, np.inf, np.inf, 0.0, 100.1, 1e-7])
    for xa, xb in zip(layouts(a, seed=1), layouts(b, seed=2), strict=True):
        assert_eq(ht.isclose(xa, xb), np.isclose(a, b))
        assert_eq(ht.isclose(xa, xb, equal_nan=True), np.isclose(a, b, equal_nan=True))
        assert_eq(ht.isclose(xa, xb, rtol=1e-2, atol=1e-6), np.isclose(a, b, rtol=1e-2, atol=1e-6))
        assert_eq(ht.isclose(xa, 1.0), np.isclose(a, 1.0))
    ints = np.arange(6, dtype=np.int32)
    assert_eq(ht.isclose(distribute(ints, 0), ints[::-1].copy()), np.isclose(ints, ints[::-1]))


@pytest.mark.parametrize("dtype", ["complex64", "complex128", "float32", "int16"])
def test_real_and_imag_match_numpy(dtype: str) -> None:
    data = (
        sample(dtype, (4, 3), specials=False)
        if not dtype.startswith("int")
        else np.arange(12, dtype=dtype).reshape(4, 3)
    )
    for x in layouts(data):
        assert_eq(ht.real(x), np.real(data))
        assert_eq(ht.imag(x), np.imag(data))
        assert_eq(x.real, data.real)
        assert_eq(x.imag, data.imag)


def test_conj_method_and_functions_installed_on_dndarray() -> None:
    data = sample("complex64", (4, 3))
    for x in layouts(data):
        assert_eq(x.conj(), np.conj(data))
        assert_eq(x.exp(), np.exp(data), exact=False, rtol=1e-5)
        assert_eq(x.abs(), np.abs(data), exact=False, rtol=1e-6)
        assert_eq(x.isnan(), np.isnan(data))


def test_mixed_operand_kinds_in_one_expression() -> None:
    data = sample("float64", (3, 4), specials=False)
    for x in layouts(data):
        y = (2 * x - 1) ** 2 / (1 + abs(x)) >= np.float64(0.5)
        assert_eq(y, (2 * data - 1) ** 2 / (1 + np.abs(data)) >= 0.5)


def test_every_table_function_is_exported_with_numpys_name() -> None:
    names = [*elementwise.UNARY, *elementwise.BINARY, *elementwise.COMPARISONS]
    assert len(set(names)) == len(names)
    for name in itertools.chain(names, elementwise.UNARY_ALIASES, elementwise.BINARY_ALIASES):
        assert callable(getattr(ht, name)), name
        assert name in elementwise.__all__


def test_integer_arrays_to_negative_integer_array_powers_raise_on_every_rank(comm: Any) -> None:
    base = np.arange(1, 7, dtype=np.int32)
    for exps in (np.array([1, 2, 0, 3, 1, 2]), np.array([1, 2, 0, 3, 1, -1])):
        want_error = bool((exps < 0).any())
        for x in layouts(base):
            for e in layouts(exps):
                if want_error:
                    with pytest.raises(ValueError, match="negative integer powers"):
                        ht.power(x, e)
                    with pytest.raises(ValueError, match="negative integer powers"):
                        _ = x**e
                else:
                    assert_eq(ht.power(x, e), np.power(base, exps))
    # float bases or exponents are fine
    floats, minus = base.astype(np.float32), np.full(6, -1)
    assert_eq(ht.power(ht.array(floats, split=0), ht.array(minus, split=0)), np.power(floats, minus))


def test_arrays_never_equal_none_or_strings() -> None:
    data = np.arange(6).reshape(2, 3)
    for x in layouts(data):
        for other in (None, "a", b"a"):
            assert_eq(x == other, data == other)
            assert_eq(x != other, data != other)
            assert_eq(ht.equal(other, x), np.equal(np.array(other, dtype=object), data).astype(bool))
    with pytest.raises(TypeError):
        _ = ht.array(data, split=0) < None


def test_numpy_array_matmul_dndarray_stays_distributed() -> None:
    a = np.arange(6.0).reshape(2, 3)
    b = np.arange(12.0).reshape(3, 4)
    for x in layouts(b):
        got = a @ x
        assert isinstance(got, ht.DNDarray)
        assert_eq(got, a @ b)


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int32", "float16", "float32", "float64"])
def test_modf_matches_numpy(dtype: str) -> None:
    values = np.array([-3.75, -0.0, 0.5, 2.0, 7.25, np.inf, -np.inf, np.nan])
    data = values.astype(dtype) if dtype.startswith("float") else np.array([0, 3, 5, 100], dtype=dtype)
    frac, whole = np.modf(data)
    for x in layouts(data):
        got_frac, got_whole = ht.modf(x)
        assert_eq(got_frac, frac)
        assert_eq(got_whole, whole)
        assert np.array_equal(np.signbit(got_frac.numpy()), np.signbit(frac))
    with pytest.raises(TypeError, match="modf"):
        ht.modf(ht.array([True]))


def test_allclose_and_array_equal_match_numpy() -> None:
    a = np.array([[1.0, np.nan, 3.0], [4.0, 5.0, 6.0]])
    b = a + 1e-9
    for x in layouts(a):
        for y in layouts(b, seed=3):
            for equal_nan in (False, True):
                assert ht.allclose(x, y, equal_nan=equal_nan) is np.allclose(a, b, equal_nan=equal_nan)
                assert ht.array_equal(x, y, equal_nan=equal_nan) is np.array_equal(a, b, equal_nan=equal_nan)
                assert ht.array_equal(x, x, equal_nan=equal_nan) is np.array_equal(a, a, equal_nan=equal_nan)
        assert ht.array_equal(x, a[:, :2]) is False  # shapes differ: False, no error
        assert ht.allclose(x[1], [4, 5, 6.000001]) is True
