"""Elementwise functions: each one a table entry (NumPy name -> torch kernel).

Unary functions keep the input's layout; binary functions align their operands first
(:func:`heat.align`) and keep the aligned layout. Result dtypes are NumPy's (see
``_operations``). ``out=`` and ``where=`` follow NumPy's ufunc keywords.

Examples
--------
>>> x = ht.arange(4, split=0)
>>> ht.exp(x).dtype, (x + 1.5).dtype, (x > 1).dtype
(heat.float64, heat.float64, heat.bool)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np
import torch

from . import types
from ._operations import _write_out, binary_op, to_operand, unary_op
from .dndarray import DNDarray

__all__: list[str] = []  # filled by the registration loops below

T = torch.Tensor


def _cbrt(t: T) -> T:
    return torch.sign(t) * torch.abs(t).pow(1.0 / 3.0)


def _sign(t: T) -> T:
    if t.is_complex():
        return torch.sgn(t)
    if t.is_floating_point():
        return torch.where(torch.isnan(t), t, torch.sign(t))  # NumPy: sign(nan) is nan
    return torch.sign(t)


def _absolute(t: T) -> T:
    return t.clone() if t.dtype == torch.bool else torch.abs(t)


def _reciprocal(t: T) -> T:
    if t.is_floating_point() or t.is_complex():
        return torch.reciprocal(t)
    return torch.where(t.abs() == 1, t, torch.zeros_like(t))  # NumPy: integer 1 // x


def _rint(t: T) -> T:
    if t.is_complex():
        return torch.complex(torch.round(t.real), torch.round(t.imag))
    return t if not t.is_floating_point() else torch.round(t)


def _angle(t: T) -> T:
    if t.is_complex():
        return torch.angle(t)
    return torch.atan2(torch.zeros_like(t), t)  # NumPy: angle(-0.0) is pi


def _rounding(fn: Callable[[T], T]) -> Callable[[T], T]:
    return lambda t: fn(t) if t.is_floating_point() else t


def _exp2(t: T) -> T:
    return torch.exp2(t)


def _logical_not(t: T) -> T:
    return torch.logical_not(t)


def _positive(t: T) -> T:
    return t.clone()


# name -> kernel (NumPy name unless noted)
UNARY: dict[str, Callable[[T], T]] = {
    "negative": torch.neg,
    "positive": _positive,
    "absolute": _absolute,
    "fabs": torch.abs,
    "sign": _sign,
    "reciprocal": _reciprocal,
    "square": torch.square,
    "sqrt": torch.sqrt,
    "cbrt": _cbrt,
    "exp": torch.exp,
    "exp2": _exp2,
    "expm1": torch.expm1,
    "log": torch.log,
    "log2": torch.log2,
    "log10": torch.log10,
    "log1p": torch.log1p,
    "sin": torch.sin,
    "cos": torch.cos,
    "tan": torch.tan,
    "arcsin": torch.asin,
    "arccos": torch.acos,
    "arctan": torch.atan,
    "sinh": torch.sinh,
    "cosh": torch.cosh,
    "tanh": torch.tanh,
    "arcsinh": torch.asinh,
    "arccosh": torch.acosh,
    "arctanh": torch.atanh,
    "deg2rad": torch.deg2rad,
    "rad2deg": torch.rad2deg,
    "floor": _rounding(torch.floor),
    "ceil": _rounding(torch.ceil),
    "trunc": _rounding(torch.trunc),
    "rint": _rint,
    "fix": _rounding(torch.trunc),
    "isnan": torch.isnan,
    "isinf": torch.isinf,
    "isfinite": torch.isfinite,
    "isposinf": torch.isposinf,
    "isneginf": torch.isneginf,
    "signbit": torch.signbit,
    "logical_not": _logical_not,
    "invert": torch.bitwise_not,
    "conjugate": lambda t: torch.conj_physical(t) if t.is_complex() else t.clone(),
    "angle": _angle,
}
UNARY_ALIASES = {
    "abs": "absolute",
    "degrees": "rad2deg",
    "radians": "deg2rad",
    "conj": "conjugate",
    "bitwise_not": "invert",
    "bitwise_invert": "invert",
    "acos": "arccos",
    "asin": "arcsin",
    "atan": "arctan",
    "acosh": "arccosh",
    "asinh": "arcsinh",
    "atanh": "arctanh",
}
# functions whose NumPy oracle is another name (NumPy 2 spells them differently)
_ORACLE = {"isposinf": "isinf", "isneginf": "isinf", "fix": "trunc"}


def _real_only(name: str) -> Callable[[types.DType], types.DType]:
    def rule(d: types.DType) -> types.DType:
        if types.is_complex(d):
            raise TypeError(f"{name}: not supported for complex values ({d}); pass .real or .imag")
        return types.bool_

    return rule


# functions whose result dtype is not NumPy's ufunc rule: their result dtype, explicitly
_RESULT: dict[str, Callable[[types.DType], types.DType]] = {
    "isposinf": _real_only("isposinf"),
    "isneginf": _real_only("isneginf"),
}


def _integer_safe(fn: Callable[[T, T], T]) -> Callable[[T, T], T]:
    """An integer division that gives 0 where the divisor is 0, as NumPy does (torch raises,
    and only on the ranks that hold a zero)."""

    def kernel(a: T, b: T) -> T:
        if a.is_floating_point() or a.is_complex():
            return fn(a, b)
        zero = b == 0
        return torch.where(zero, torch.zeros_like(a), fn(a, torch.where(zero, torch.ones_like(b), b)))

    return kernel


@_integer_safe
def _floor_divide(a: T, b: T) -> T:
    return torch.div(a, b, rounding_mode="floor")  # NumPy's divmod algorithm (1 // 0.1 == 9)


@_integer_safe
def _remainder(a: T, b: T) -> T:
    r = torch.remainder(a, b)
    if r.is_floating_point():  # NumPy: a zero remainder takes the divisor's sign
        r = torch.where(r == 0, torch.copysign(torch.zeros_like(r), b), r)
    return r


def _add(a: T, b: T) -> T:
    if a.is_complex():  # torch computes a + 1 * b, and (nan + 0j) * 1 is nan + nanj
        return torch.complex(a.real + b.real, a.imag + b.imag)
    return torch.add(a, b)


def _subtract(a: T, b: T) -> T:
    if a.is_complex():
        return torch.complex(a.real - b.real, a.imag - b.imag)
    return torch.sub(a, b)


def _lexicographic(cmp: Callable[[T, T], T], strict: Callable[[T, T], T]) -> Callable[[T, T], T]:
    """A real comparison ``cmp`` (``strict``: its strict form), extended to complex numbers by
    NumPy's order: real parts first, imaginary parts on ties."""

    def kernel(a: T, b: T) -> T:
        if not a.is_complex():
            return cmp(a, b)
        return strict(a.real, b.real) | ((a.real == b.real) & cmp(a.imag, b.imag))

    return kernel


def _has_nan(t: T) -> T:
    return torch.isnan(t.real) | torch.isnan(t.imag) if t.is_complex() else torch.isnan(t)


def _extremum(real: Callable[[T, T], T], largest: bool, nan_wins: bool) -> Callable[[T, T], T]:
    """maximum/minimum (NaN wins) and fmax/fmin (NaN loses); complex by NumPy's order."""
    ordered = _lexicographic(torch.ge, torch.gt) if largest else _lexicographic(torch.le, torch.lt)

    def kernel(a: T, b: T) -> T:
        if not a.is_complex():
            return real(a, b)
        first, second = (a, b) if nan_wins else (b, a)
        take_a = _has_nan(first) | (~_has_nan(second) & ordered(a, b))
        return torch.where(take_a, a, b)

    return kernel


def _power(a: T, b: T) -> T:
    if b.dim() == 0 and not (b.is_floating_point() or b.is_complex()) and bool(b < 0):
        # a 0-d exponent is replicated: every rank raises
        raise ValueError("power: integers to negative integer powers are not allowed; cast the base to float")
    return torch.pow(a, b)


def _shift_right(a: T, b: T) -> T:
    return torch.bitwise_right_shift(a, b)


def _shift_left(a: T, b: T) -> T:
    return torch.bitwise_left_shift(a, b)


def _logaddexp2(a: T, b: T) -> T:
    return torch.logaddexp2(a, b)


BINARY: dict[str, Callable[[T, T], T]] = {
    "add": _add,
    "subtract": _subtract,
    "multiply": torch.mul,
    "true_divide": torch.true_divide,
    "floor_divide": _floor_divide,
    "remainder": _remainder,
    "fmod": _integer_safe(torch.fmod),
    "power": _power,
    "maximum": _extremum(torch.maximum, largest=True, nan_wins=True),
    "minimum": _extremum(torch.minimum, largest=False, nan_wins=True),
    "fmax": _extremum(torch.fmax, largest=True, nan_wins=False),
    "fmin": _extremum(torch.fmin, largest=False, nan_wins=False),
    "hypot": torch.hypot,
    "copysign": torch.copysign,
    "nextafter": torch.nextafter,
    "arctan2": torch.atan2,
    "logaddexp": torch.logaddexp,
    "logaddexp2": _logaddexp2,
    "gcd": torch.gcd,
    "lcm": torch.lcm,
    "bitwise_and": torch.bitwise_and,
    "bitwise_or": torch.bitwise_or,
    "bitwise_xor": torch.bitwise_xor,
    "left_shift": _shift_left,
    "right_shift": _shift_right,
    "logical_and": torch.logical_and,
    "logical_or": torch.logical_or,
    "logical_xor": torch.logical_xor,
}
COMPARISONS: dict[str, Callable[[T, T], T]] = {
    "equal": torch.eq,
    "not_equal": torch.ne,
    "less": _lexicographic(torch.lt, torch.lt),
    "less_equal": _lexicographic(torch.le, torch.lt),
    "greater": _lexicographic(torch.gt, torch.gt),
    "greater_equal": _lexicographic(torch.ge, torch.gt),
}
BINARY_ALIASES = {
    "divide": "true_divide",
    "mod": "remainder",
    "pow": "power",
    "atan2": "arctan2",
    "bitwise_left_shift": "left_shift",
    "bitwise_right_shift": "right_shift",
}


def _make_unary(name: str, kernel: Callable[[T], T]) -> Callable[..., DNDarray]:
    oracle = _ORACLE.get(name, name)

    rule = _RESULT.get(name)

    def fn(x: Any, /, out: DNDarray | None = None, *, where: Any = True) -> DNDarray:
        return unary_op(name, kernel, x, out, where, numpy_name=oracle, result=rule)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (
        f"Elementwise ``{name}``, as ``numpy.{oracle}``; the result keeps the "
        "input's layout (no communication).\n\n"
        f"Examples\n--------\n>>> ht.{name}(ht.arange(3, split=0))  # doctest: +SKIP\n"
    )
    return fn


def _make_binary(name: str, kernel: Callable[[T, T], T], comparison: bool) -> Callable[..., DNDarray]:
    def fn(x1: Any, x2: Any, /, out: DNDarray | None = None, *, where: Any = True) -> DNDarray:
        return binary_op(name, kernel, x1, x2, out, where, compute_in_result=not comparison)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (
        f"Elementwise ``{name}`` with broadcasting, as ``numpy.{name}``. Operands are aligned "
        "first (the larger keeps its layout; no communication when layouts agree).\n\n"
        f"Examples\n--------\n>>> ht.{name}(ht.arange(3, split=0), 2)  # doctest: +SKIP\n"
    )
    return fn


_g = globals()
for _name, _kernel in UNARY.items():
    _g[_name] = _make_unary(_name, _kernel)
    __all__.append(_name)
for _name, _binary in BINARY.items():
    _g[_name] = _make_binary(_name, _binary, comparison=False)
    __all__.append(_name)
for _name, _binary in COMPARISONS.items():
    _g[_name] = _make_binary(_name, _binary, comparison=True)
    __all__.append(_name)
for _alias, _name in {**UNARY_ALIASES, **BINARY_ALIASES}.items():
    _g[_alias] = _g[_name]
    __all__.append(_alias)


_generated_power = _g["power"]


def power(x1: Any, x2: Any, /, out: DNDarray | None = None, *, where: Any = True) -> DNDarray:
    """Elementwise ``x1 ** x2`` with broadcasting, as ``numpy.power``: integers to negative
    integer powers raise ValueError (agreed across ranks when the exponent is distributed).

    Examples
    --------
    >>> ht.power(ht.arange(4, split=0), 2).numpy()
    array([0, 1, 4, 9])
    """
    if (
        isinstance(x2, DNDarray)
        and types.is_integer(x2.dtype)
        and x2.dtype.torch.is_signed
        and (
            types.is_integer(x1.dtype) or types.is_bool(x1.dtype)
            if isinstance(x1, DNDarray)
            else isinstance(x1, int)
        )
    ):
        negative = bool((x2.larray < 0).any())
        if x2.is_distributed():
            negative = bool(x2.comm.unchecked.allreduce(torch.tensor([negative]), "lor")[0])
        if negative:
            raise ValueError(
                "power: integers to negative integer powers are not allowed; cast the base to float"
            )
    return cast(DNDarray, _generated_power(x1, x2, out, where=where))


def _non_numeric(value: Any) -> bool:
    return value is None or isinstance(value, str | bytes)


def _identity_comparison(name: str, same: bool) -> Callable[..., DNDarray]:
    generated = _g[name]

    def compare(x1: Any, x2: Any, /, out: DNDarray | None = None, *, where: Any = True) -> DNDarray:
        if (isinstance(x1, DNDarray) and _non_numeric(x2)) or (isinstance(x2, DNDarray) and _non_numeric(x1)):
            # as NumPy: an array never equals None or a string
            x = x1 if isinstance(x1, DNDarray) else x2
            result = x._like(torch.full_like(x.larray, not same, dtype=torch.bool), dtype=types.bool_)
            return _write_out(name, result, out, where)
        return cast(DNDarray, generated(x1, x2, out, where=where))

    compare.__name__ = compare.__qualname__ = name
    compare.__doc__ = generated.__doc__
    return compare


pow = power
equal = _identity_comparison("equal", same=True)
not_equal = _identity_comparison("not_equal", same=False)


def _as_array(x: Any) -> DNDarray:
    if isinstance(x, DNDarray):
        return x
    from .factories import array

    return array(x)


def round(x: Any, decimals: int = 0, out: DNDarray | None = None) -> DNDarray:
    """Round to ``decimals`` decimals, halves to even (as ``numpy.round``)."""

    def kernel(t: T) -> T:
        if t.is_floating_point():
            return torch.round(t, decimals=decimals)
        if t.is_complex():
            return torch.complex(
                torch.round(t.real, decimals=decimals), torch.round(t.imag, decimals=decimals)
            )
        if decimals >= 0:
            return t.clone()
        scale = 10 ** (-decimals)
        return cast(T, torch.round(t.double() / scale).to(t.dtype) * scale)

    return unary_op("round", kernel, x, out, numpy_name="round")


around = round


def clip(x: Any, min: Any = None, max: Any = None, out: DNDarray | None = None) -> DNDarray:
    """Limit values to ``[min, max]`` (either may be None), as ``numpy.clip``."""
    result = x
    if min is None and max is None:  # NumPy 2: a copy
        result = _as_array(x).copy()
    if min is not None:
        result = _g["maximum"](result, min)
    if max is not None:
        result = _g["minimum"](result, max)
    if out is not None:
        return _write_out("clip", result, out, True)
    return result  # type: ignore[no-any-return]


def divmod(x1: Any, x2: Any, /) -> tuple[DNDarray, DNDarray]:
    """``(x1 // x2, x1 % x2)``."""
    return _g["floor_divide"](x1, x2), _g["remainder"](x1, x2)


def nan_to_num(
    x: Any, copy: bool = True, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
) -> DNDarray:
    """Replace NaN and infinities by finite numbers, as ``numpy.nan_to_num`` (``copy=False``:
    in place, ``x`` is returned)."""

    def kernel(t: T) -> T:
        if t.is_floating_point() or t.is_complex():
            return torch.nan_to_num(t, nan=nan, posinf=posinf, neginf=neginf)
        return t.clone()

    out = None if copy or not isinstance(x, DNDarray) else x
    return unary_op("nan_to_num", kernel, x, out, result=lambda d: d)


def real(x: Any) -> DNDarray:
    """The real part (as ``numpy.real``)."""
    return _as_array(x).real


def imag(x: Any) -> DNDarray:
    """The imaginary part (as ``numpy.imag``)."""
    return _as_array(x).imag


def isclose(a: Any, b: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> DNDarray:
    """Elementwise closeness, as ``numpy.isclose``."""

    def kernel(x: T, y: T) -> T:
        return torch.isclose(x, y, rtol=rtol, atol=atol, equal_nan=equal_nan)

    return binary_op("isclose", kernel, a, b, numpy_name="equal", compute_in_result=False)


def allclose(a: Any, b: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
    """Whether every element pair is close, as ``numpy.allclose`` (one all-reduce when the
    operands are distributed).

    Examples
    --------
    >>> ht.allclose(ht.arange(3, split=0), [0, 1, 2.0000001])
    True
    """
    from .reductions import all as all_

    return bool(all_(isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)).item())


def array_equal(a1: Any, a2: Any, equal_nan: bool = False) -> bool:
    """Whether both arrays have the same shape and elements, as ``numpy.array_equal``.

    Examples
    --------
    >>> ht.array_equal(ht.arange(3, split=0), [0, 1, 2])
    True
    """
    from .reductions import all as all_

    x1, x2 = to_operand(a1), to_operand(a2)
    shapes = [v.gshape if isinstance(v, DNDarray) else () for v in (x1, x2)]
    if shapes[0] != shapes[1]:  # global shapes: every rank decides alike
        return False
    if equal_nan:
        return bool(all_(isclose(x1, x2, rtol=0.0, atol=0.0, equal_nan=True)).item())
    return bool(all_(_g["equal"](x1, x2)).item())


def _modf_dtype(d: types.DType) -> types.DType:
    if types.is_bool(d) or types.is_complex(d):
        raise TypeError(f"modf: not supported for dtype {d}, as NumPy; cast to a real dtype")
    if types.is_float(d):
        return d
    return types.canonical(np.modf(np.zeros(1, dtype=d.numpy))[0].dtype)  # int8 -> float16, ...


def modf(x: Any, /) -> tuple[DNDarray, DNDarray]:
    """Fractional and integral parts (both with ``x``'s sign), as ``numpy.modf``; elementwise.

    Examples
    --------
    >>> [p.numpy().tolist() for p in ht.modf(ht.array([-1.5, 2.25], split=0))]
    [[-0.5, 0.25], [-1.0, 2.0]]
    """

    def fraction(t: T) -> T:
        frac = torch.where(torch.isinf(t), torch.zeros_like(t), t - torch.trunc(t))
        return torch.copysign(frac, t)

    integral = unary_op("modf", torch.trunc, x, result=_modf_dtype)
    return unary_op("modf", fraction, x, result=_modf_dtype), integral


__all__ += ["round", "around", "clip", "divmod", "nan_to_num", "real", "imag", "isclose", "allclose"]
__all__ += ["array_equal", "modf"]


# ---------------------------------------------------------------------- operators on DNDarray
_OPERATORS = {
    "add": "add",
    "sub": "subtract",
    "mul": "multiply",
    "truediv": "true_divide",
    "floordiv": "floor_divide",
    "mod": "remainder",
    "pow": "power",
    "and": "bitwise_and",
    "or": "bitwise_or",
    "xor": "bitwise_xor",
    "lshift": "left_shift",
    "rshift": "right_shift",
}
_COMPARE_OPERATORS = {
    "eq": "equal",
    "ne": "not_equal",
    "lt": "less",
    "le": "less_equal",
    "gt": "greater",
    "ge": "greater_equal",
}
_UNARY_OPERATORS = {"neg": "negative", "pos": "positive", "abs": "absolute", "invert": "invert"}


def _install_operators() -> None:
    def forward(fn: Callable[..., Any]) -> Callable[[DNDarray, Any], Any]:
        def op(self: DNDarray, other: Any) -> Any:
            return fn(self, other)

        return op

    def reflected(fn: Callable[..., Any]) -> Callable[[DNDarray, Any], Any]:
        def op(self: DNDarray, other: Any) -> Any:
            return fn(other, self)

        return op

    def unary(fn: Callable[..., DNDarray]) -> Callable[[DNDarray], DNDarray]:
        def op(self: DNDarray) -> DNDarray:
            return fn(self)

        return op

    def in_place(fn: Callable[..., DNDarray]) -> Callable[[DNDarray, Any], DNDarray]:
        def op(self: DNDarray, other: Any) -> DNDarray:
            # ``self`` keeps its layout even when the (larger) other operand set the result's
            result = fn(self, other)
            if result.gshape == self.gshape and (
                result.split != self.split or (self.split is not None and result.counts != self.counts)
            ):
                from .redistribution import to_layout

                result = to_layout(result, self.split, self.counts if self.split is not None else None)
            return _write_out(fn.__name__, result, self, True)

        return op

    for op, name in _OPERATORS.items():
        fn = _g[name]
        setattr(DNDarray, f"__{op}__", forward(fn))
        setattr(DNDarray, f"__r{op}__", reflected(fn))
        setattr(DNDarray, f"__i{op}__", in_place(fn))
    for op, name in _COMPARE_OPERATORS.items():
        setattr(DNDarray, f"__{op}__", forward(_g[name]))
    for op, name in _UNARY_OPERATORS.items():
        setattr(DNDarray, f"__{op}__", unary(_g[name]))
    DNDarray.__hash__ = None  # type: ignore[assignment]  # mutable, compares elementwise (as NumPy)

    def array_ufunc(self: DNDarray, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        # ``numpy_array + x`` and ``np.exp(x)`` run heat's function (no gather); other NumPy
        # ufunc calls see the gathered array, as through __array__
        if ufunc.__name__ == "matmul" and method == "__call__":  # numpy_array @ x: no gather
            return matmul(*inputs)
        fn = _g.get(ufunc.__name__) if method == "__call__" and ufunc.__name__ in __all__ else None
        out = kwargs.get("out")
        if isinstance(out, tuple):
            kwargs["out"] = out[0] if len(out) == 1 else out
        if fn is not None and set(kwargs) <= {"out", "where"}:
            return fn(*inputs, **kwargs)
        import numpy as np

        args = [np.asarray(i) if isinstance(i, DNDarray) else i for i in inputs]
        return getattr(ufunc, method)(
            *args, **{k: v for k, v in kwargs.items() if k != "out" or v is not None}
        )

    def matmul(a: Any, b: Any) -> DNDarray:
        import heat

        facade: Any = heat  # heat.linalg is resolved lazily (an optional distribution)
        return cast(DNDarray, facade.linalg.matmul(a, b))

    specials: dict[str, Any] = {
        "__divmod__": forward(divmod),
        "__rdivmod__": reflected(divmod),
        "__array_ufunc__": array_ufunc,
        "__matmul__": forward(matmul),
        "__rmatmul__": reflected(matmul),
    }
    for special, method in specials.items():
        setattr(DNDarray, special, method)
    for name in ("exp", "log", "sqrt", "abs", "conj", "clip", "round", "isnan"):
        setattr(DNDarray, name, _g[name])


_install_operators()
