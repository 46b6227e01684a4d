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
from typing import Any

import torch

from . import types
from ._operations import binary_op, unary_op
from .dndarray import DNDarray

__all__: list[str] = []  # filled by the registration loops below

T = torch.Tensor


def _cbrt(t: T) -> T:
    return torch.sign(t) * torch.abs(t).pow(1.0 / 3.0)


def _sign(t: T) -> T:
    return torch.sgn(t) if t.is_complex() else torch.sign(t)


def _reciprocal(t: T) -> T:
    if t.is_floating_point() or t.is_complex():
        return torch.reciprocal(t)
    return torch.where(t.abs() == 1, t, torch.zeros_like(t))  # NumPy: integer 1 // x


def _rint(t: T) -> T:
    return t if not (t.is_floating_point() or t.is_complex()) else torch.round(t)


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
    "absolute": torch.abs,
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
    "angle": lambda t: torch.angle(t),
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
# functions that are not NumPy ufuncs: their result dtype, explicitly
_RESULT: dict[str, Callable[[types.DType], types.DType]] = {
    "angle": lambda d: types.to_real(types.to_inexact(d)),
}


def _floor_divide(a: T, b: T) -> T:
    if a.is_floating_point():
        return torch.floor(a / b)
    return torch.floor_divide(a, b)


def _remainder(a: T, b: T) -> T:
    return torch.remainder(a, b)


def _power(a: T, b: T) -> T:
    return torch.pow(a, b)


def _shift_right(a: T, b: T) -> T:
    return torch.bitwise_right_shift(a, b)


def _shift_left(a: T, b: T) -> T:
    return torch.bitwise_left_shift(a, b)


def _logaddexp2(a: T, b: T) -> T:
    return torch.logaddexp2(a, b)


BINARY: dict[str, Callable[[T, T], T]] = {
    "add": torch.add,
    "subtract": torch.sub,
    "multiply": torch.mul,
    "true_divide": torch.true_divide,
    "floor_divide": _floor_divide,
    "remainder": _remainder,
    "fmod": torch.fmod,
    "power": _power,
    "maximum": torch.maximum,
    "minimum": torch.minimum,
    "fmax": torch.fmax,
    "fmin": torch.fmin,
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
    "less": torch.lt,
    "less_equal": torch.le,
    "greater": torch.gt,
    "greater_equal": torch.ge,
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
for _name, _kernel in BINARY.items():
    _g[_name] = _make_binary(_name, _kernel, comparison=False)
    __all__.append(_name)
for _name, _kernel in COMPARISONS.items():
    _g[_name] = _make_binary(_name, _kernel, comparison=True)
    __all__.append(_name)
for _alias, _name in {**UNARY_ALIASES, **BINARY_ALIASES}.items():
    _g[_alias] = _g[_name]
    __all__.append(_alias)


def round(x: Any, decimals: int = 0, out: DNDarray | None = None) -> DNDarray:  # noqa: A001
    """Round to ``decimals`` decimals, halves to even (as ``numpy.round``)."""

    def kernel(t: T) -> T:
        if t.is_floating_point():
            return torch.round(t, decimals=decimals)
        if t.is_complex():
            return torch.complex(torch.round(t.real, decimals=decimals), torch.round(t.imag, decimals=decimals))
        if decimals >= 0:
            return t.clone()
        scale = 10 ** (-decimals)
        return torch.round(t.double() / scale).to(t.dtype) * scale

    return unary_op("round", kernel, x, out, numpy_name="round")


around = round


def clip(x: Any, min: Any = None, max: Any = None, out: DNDarray | None = None) -> DNDarray:  # noqa: A002
    """Limit values to ``[min, max]`` (either may be None), as ``numpy.clip``."""
    if min is None and max is None:
        raise ValueError("clip: at least one of min and max must be given")
    result = x
    if min is not None:
        result = _g["maximum"](result, min)
    if max is not None:
        result = _g["minimum"](result, max)
    if out is not None:
        from ._operations import _write_out

        return _write_out("clip", result, out, True)
    return result  # type: ignore[no-any-return]


def divmod(x1: Any, x2: Any, /) -> tuple[DNDarray, DNDarray]:  # noqa: A001
    """``(x1 // x2, x1 % x2)``."""
    return _g["floor_divide"](x1, x2), _g["remainder"](x1, x2)


def nan_to_num(
    x: Any, copy: bool = True, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
) -> DNDarray:
    """Replace NaN and infinities by finite numbers, as ``numpy.nan_to_num``."""
    return unary_op(
        "nan_to_num",
        lambda t: torch.nan_to_num(t, nan=nan, posinf=posinf, neginf=neginf) if t.is_floating_point() or t.is_complex() else t.clone(),
        x,
        numpy_name="positive",
    )  # fmt: skip


def real(x: DNDarray) -> DNDarray:
    """The real part (as ``numpy.real``)."""
    return x.real


def imag(x: DNDarray) -> DNDarray:
    """The imaginary part (as ``numpy.imag``)."""
    return x.imag


def isclose(a: Any, b: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> DNDarray:
    """Elementwise closeness, as ``numpy.isclose``."""

    def kernel(x: T, y: T) -> T:
        return torch.isclose(x, y, rtol=rtol, atol=atol, equal_nan=equal_nan)

    return binary_op("isclose", kernel, a, b, numpy_name="equal", compute_in_result=False)


__all__ += ["round", "around", "clip", "divmod", "nan_to_num", "real", "imag", "isclose"]


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
_COMPARE_OPERATORS = {"eq": "equal", "ne": "not_equal", "lt": "less", "le": "less_equal", "gt": "greater", "ge": "greater_equal"}
_UNARY_OPERATORS = {"neg": "negative", "pos": "positive", "abs": "absolute", "invert": "invert"}


def _install_operators() -> None:
    def forward(fn: Callable[..., DNDarray]) -> Callable[[DNDarray, Any], DNDarray]:
        return lambda self, other: fn(self, other)

    def reflected(fn: Callable[..., DNDarray]) -> Callable[[DNDarray, Any], DNDarray]:
        return lambda self, other: fn(other, self)

    def in_place(fn: Callable[..., DNDarray]) -> Callable[[DNDarray, Any], DNDarray]:
        return lambda self, other: fn(self, other, out=self)

    for op, name in _OPERATORS.items():
        fn = _g[name]
        setattr(DNDarray, f"__{op}__", forward(fn))
        setattr(DNDarray, f"__r{op}__", reflected(fn))
        setattr(DNDarray, f"__i{op}__", in_place(fn))
    for op, name in _COMPARE_OPERATORS.items():
        setattr(DNDarray, f"__{op}__", forward(_g[name]))
    for op, name in _UNARY_OPERATORS.items():
        setattr(DNDarray, f"__{op}__", (lambda fn: lambda self: fn(self))(_g[name]))
    DNDarray.__divmod__ = lambda self, other: divmod(self, other)  # type: ignore[attr-defined]
    DNDarray.__rdivmod__ = lambda self, other: divmod(other, self)  # type: ignore[attr-defined]
    DNDarray.__hash__ = None  # type: ignore[assignment]  # mutable, compares elementwise (as NumPy)

    def matmul(self: DNDarray, other: Any) -> DNDarray:
        import heat

        return heat.linalg.matmul(self, other)  # type: ignore[no-any-return]

    def rmatmul(self: DNDarray, other: Any) -> DNDarray:
        import heat

        return heat.linalg.matmul(other, self)  # type: ignore[no-any-return]

    DNDarray.__matmul__ = matmul  # type: ignore[attr-defined]
    DNDarray.__rmatmul__ = rmatmul  # type: ignore[attr-defined]
    for name in ("exp", "log", "sqrt", "abs", "conj", "clip", "round", "isnan"):
        setattr(DNDarray, name, _g[name])


_install_operators()
