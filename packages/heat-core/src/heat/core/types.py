"""Heat's data types: the dtype objects, type promotion, casting rules and machine limits.

Heat supports twelve dtypes: ``bool``, ``uint8``, ``int8``, ``int16``, ``int32``, ``int64``,
``float16``, ``bfloat16``, ``float32``, ``float64``, ``complex64`` and ``complex128``. Each is a
:class:`DType` singleton that knows its torch and NumPy counterparts.

Promotion and casting follow NumPy 2 (NEP 50) and are data, not code: one table of immediate
*safe* casts (``_SAFE_STEPS``) defines ``can_cast``; ``promote_types(a, b)`` is the first dtype,
in the order of :data:`ALL_DTYPES`, that both ``a`` and ``b`` cast to safely. The resulting
pairwise table (``_PROMOTION_TABLE``) equals ``np.promote_types`` for every NumPy dtype pair.
``result_type`` of several operands applies the same rule to all of them at once, as NumPy does
(it is not a fold of ``promote_types``: uint8, int8, float16 -> float16, not float32).
``bfloat16`` (absent from NumPy) promotes like ``float16``, except ``bfloat16 + float16 -> float32``.

This module imports only torch, NumPy and the standard library.

Examples
--------
>>> from heat.core import types
>>> types.promote_types(types.uint8, types.int8)
heat.int16
>>> types.result_type(types.float32, 2.5)        # Python scalars are weak
heat.float32
>>> types.float32 == "f4"
True
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
from typing import Any, Final, TypeAlias, final

import numpy as np
import torch

__all__ = [
    # dtype class, singletons, aliases
    "DType",
    "DTypeLike",
    "ALL_DTYPES",
    "ALIASES",
    "bool_",
    "uint8",
    "int8",
    "int16",
    "int32",
    "int64",
    "float16",
    "bfloat16",
    "float32",
    "float64",
    "complex64",
    "complex128",
    "bool",
    "half",
    "double",
    "cfloat",
    "cdouble",
    "byte",
    "ubyte",
    "short",
    "long",
    "int_",
    "float_",
    "complex_",
    # abstract categories
    "DTypeCategory",
    "generic",
    "number",
    "integer",
    "signedinteger",
    "unsignedinteger",
    "inexact",
    "floating",
    "complexfloating",
    # conversion
    "canonical",
    "from_torch",
    "from_numpy",
    "default_float",
    "default_int",
    "default_complex",
    "default_for_scalar",
    # promotion and casting
    "promote_types",
    "result_type",
    "can_cast",
    "issubdtype",
    # limits
    "FInfo",
    "IInfo",
    "finfo",
    "iinfo",
    # helpers
    "is_bool",
    "is_integer",
    "is_float",
    "is_complex",
    "is_inexact",
    "to_real",
    "to_complex",
    "to_inexact",
]


# ---------------------------------------------------------------------------------------------
# DType
# ---------------------------------------------------------------------------------------------
_TorchDType: TypeAlias = torch.dtype  # the attribute DType.torch hides the module in the class body


@final
class DType:
    """One Heat data type; a frozen singleton (``heat.float32`` and friends).

    Attributes
    ----------
    name : str
        The canonical name, e.g. ``"float32"`` (``"bool"`` for the boolean type).
    torch : torch.dtype
        The torch dtype used for local storage.
    numpy : numpy.dtype or None
        The NumPy dtype (native byte order); ``None`` for ``bfloat16``.
    kind : str
        NumPy's kind letter: ``'b'`` bool, ``'u'`` unsigned, ``'i'`` signed, ``'f'`` float,
        ``'c'`` complex.
    itemsize : int
        Bytes per element.
    bits : int
        Bits per element.

    Notes
    -----
    Compares equal to anything :func:`canonical` maps to it (``heat.float32 == np.float32``,
    ``== "f4"``, ``== torch.float32``) and unequal to everything else, never raising.
    Do not construct instances; use the module's singletons or :func:`canonical`.

    Examples
    --------
    >>> float32 == torch.float32, float32.itemsize, repr(float32), str(float32)
    (True, 4, 'heat.float32', 'float32')
    """

    __slots__ = ("_hash", "_index", "bits", "itemsize", "kind", "name", "numpy", "torch")

    name: str
    torch: _TorchDType
    numpy: np.dtype[Any] | None
    kind: str
    itemsize: int
    bits: int
    _index: int
    _hash: int

    def __init__(
        self, name: str, torch_dtype: _TorchDType, numpy_dtype: np.dtype[Any] | None, kind: str, index: int
    ) -> None:
        fields = {
            "name": name,
            "torch": torch_dtype,
            "numpy": numpy_dtype,
            "kind": kind,
            "itemsize": torch_dtype.itemsize,
            "bits": 8 * torch_dtype.itemsize,
            "_index": index,
            "_hash": hash(name),
        }
        for key, value in fields.items():
            object.__setattr__(self, key, value)

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError(f"heat dtypes are immutable; cannot set {key!r} on {self!r}")

    def __delattr__(self, key: str) -> None:
        raise AttributeError(f"heat dtypes are immutable; cannot delete {key!r} from {self!r}")

    def __repr__(self) -> str:
        return f"heat.{self.name}"

    def __str__(self) -> str:
        return self.name

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> builtins.bool:
        if other is self:
            return True
        if type(other) is DType:
            return False
        try:
            found = _LOOKUP.get(other)
        except TypeError:  # unhashable, e.g. an array
            return False
        if found is None:
            try:
                found = canonical(other)  # type: ignore[arg-type]
            except TypeError:
                return False
        return found is self

    def __ne__(self, other: object) -> builtins.bool:
        return not self.__eq__(other)

    def __reduce__(self) -> str:
        # Pickle by reference to the module-level singleton: unpickles to the same object.
        return _GLOBAL_NAME[self.name]

    def __copy__(self) -> DType:
        return self

    def __deepcopy__(self, memo: object) -> DType:
        return self


DTypeLike: TypeAlias = DType | torch.dtype | np.dtype[Any] | type | str
"""What :func:`canonical` accepts: a DType, torch dtype, NumPy dtype or scalar type, Python type, name."""

# name, torch dtype, NumPy dtype (None: NumPy lacks it), kind -- in the order of ALL_DTYPES.
_DTYPE_TABLE: Final = (
    ("bool", torch.bool, np.bool_, "b"),
    ("uint8", torch.uint8, np.uint8, "u"),
    ("int8", torch.int8, np.int8, "i"),
    ("int16", torch.int16, np.int16, "i"),
    ("int32", torch.int32, np.int32, "i"),
    ("int64", torch.int64, np.int64, "i"),
    ("float16", torch.float16, np.float16, "f"),
    ("bfloat16", torch.bfloat16, None, "f"),
    ("float32", torch.float32, np.float32, "f"),
    ("float64", torch.float64, np.float64, "f"),
    ("complex64", torch.complex64, np.complex64, "c"),
    ("complex128", torch.complex128, np.complex128, "c"),
)

ALL_DTYPES: Final[tuple[DType, ...]] = tuple(
    DType(name, t, None if n is None else np.dtype(n), kind, i)
    for i, (name, t, n, kind) in enumerate(_DTYPE_TABLE)
)
"""Every Heat dtype, from bool to complex128 (also the tie-break order of promotion)."""

(
    bool_,
    uint8,
    int8,
    int16,
    int32,
    int64,
    float16,
    bfloat16,
    float32,
    float64,
    complex64,
    complex128,
) = ALL_DTYPES

_BY_NAME: Final[dict[str, DType]] = {d.name: d for d in ALL_DTYPES}

# Alias name -> canonical name. ``bool`` itself is bound at the end of the module.
_ALIAS_TABLE: Final[dict[str, str]] = {
    "bool": "bool",
    "half": "float16",
    "double": "float64",
    "cfloat": "complex64",
    "cdouble": "complex128",
    "byte": "int8",
    "ubyte": "uint8",
    "short": "int16",
    "long": "int64",
    "int_": "int64",
    "float_": "float64",
    "complex_": "complex128",
}
ALIASES: Final[tuple[str, ...]] = tuple(_ALIAS_TABLE)
"""Names of the module-level aliases (``half``, ``double``, ...), each bound to a singleton."""

half = float16
double = float64
cfloat = complex64
cdouble = complex128
byte = int8
ubyte = uint8
short = int16
long = int64
int_ = int64
float_ = float64
complex_ = complex128

# Module-level name of each singleton, for pickling by reference.
_GLOBAL_NAME: Final[dict[str, str]] = {d.name: d.name for d in ALL_DTYPES} | {"bool": "bool_"}

_SUPPORTED: Final[str] = ", ".join(d.name for d in ALL_DTYPES)

# Everything canonical() resolves in one dict lookup. DType keys are deliberately absent
# (canonical() checks for them first, and DType.__eq__ consults this dict).
_LOOKUP: dict[object, DType] = {}
for _d in ALL_DTYPES:
    _LOOKUP[_d.torch] = _d
    _LOOKUP[_d.name] = _d
    if _d.numpy is not None:
        _LOOKUP[_d.numpy] = _d
        _LOOKUP[_d.numpy.type] = _d
        _LOOKUP[_d.numpy.str] = _d  # '<f4'
        _LOOKUP[_d.numpy.char] = _d  # 'f'
for _alias, _target in _ALIAS_TABLE.items():
    _LOOKUP[_alias] = _BY_NAME[_target]
_LOOKUP.update(
    {
        "bool_": bool_,
        "int": int64,
        "float": float64,
        "complex": complex128,
        builtins.bool: bool_,
        int: int64,
        float: float64,
        complex: complex128,
    }
)

_FROM_TORCH: Final[dict[torch.dtype, DType]] = {d.torch: d for d in ALL_DTYPES}
# NumPy dtypes by (kind, itemsize): independent of byte order and of the type character.
_FROM_NUMPY_KIND: Final[dict[tuple[str, int], DType]] = {
    (d.kind, d.itemsize): d for d in ALL_DTYPES if d.numpy is not None
}


# ---------------------------------------------------------------------------------------------
# Conversion
# ---------------------------------------------------------------------------------------------
def _unsupported(desc: str) -> TypeError:
    return TypeError(f"dtype {desc} is not supported by heat; use one of {_SUPPORTED}")


def canonical(spec: DTypeLike) -> DType:
    """Return the Heat dtype that ``spec`` names.

    Parameters
    ----------
    spec : DType, torch.dtype, numpy.dtype, type or str
        A Heat dtype; a torch dtype; a NumPy dtype (byte order is ignored) or scalar type; one of
        the Python types ``bool``, ``int`` (int64), ``float`` (float64), ``complex`` (complex128);
        or a name that ``np.dtype`` understands (``"f4"``, ``"<i8"``, ``"float"``), ``"bfloat16"``
        or one of this module's aliases. ``None`` is not accepted: callers choose defaults.

    Returns
    -------
    DType

    Raises
    ------
    TypeError
        If ``spec`` is not a dtype or names one Heat does not support (``uint32``, ``float128``,
        ``object``, strings, datetimes, ``torch.uint16``, ...).

    Examples
    --------
    >>> canonical("f4"), canonical(np.int16), canonical(torch.bfloat16), canonical(float)
    (heat.float32, heat.int16, heat.bfloat16, heat.float64)
    """
    if type(spec) is DType:
        return spec
    try:
        found = _LOOKUP.get(spec)
    except TypeError:  # unhashable
        found = None
    if found is not None:
        return found
    result = _canonical_slow(spec)
    with contextlib.suppress(TypeError):  # only successes are cached; valid specs are few
        _LOOKUP[spec] = result
    return result


def _canonical_slow(spec: object) -> DType:
    if isinstance(spec, str):
        try:
            npd = np.dtype(spec)
        except (TypeError, ValueError):
            raise TypeError(f"cannot interpret {spec!r} as a dtype; use one of {_SUPPORTED}") from None
        desc = f"{spec!r} ({npd})"
    elif isinstance(spec, np.dtype):
        npd, desc = spec, str(spec)
    elif isinstance(spec, type) and issubclass(spec, np.generic):
        try:
            npd = np.dtype(spec)
        except TypeError:
            raise TypeError(
                f"numpy.{spec.__name__} is an abstract category, not a dtype; use one of {_SUPPORTED}"
            ) from None
        desc = str(npd)
    elif isinstance(spec, (type, torch.dtype)):
        raise _unsupported(spec.__name__ if isinstance(spec, type) else str(spec))
    elif spec is None:
        raise TypeError(
            f"None is not a dtype; choose a default first (e.g. default_float()) or use one of {_SUPPORTED}"
        )
    else:
        raise TypeError(
            f"cannot interpret {spec!r} (of type {type(spec).__name__}) as a dtype; pass a heat dtype "
            f"(heat.float32), a NumPy or torch dtype, or a name such as 'float32'"
        )
    found = _FROM_NUMPY_KIND.get((npd.kind, npd.itemsize))
    if found is None or npd.fields is not None or npd.subdtype is not None:
        raise _unsupported(desc)
    return found


def from_torch(torch_dtype: torch.dtype) -> DType:
    """Return the Heat dtype of a torch dtype (one dict lookup).

    Examples
    --------
    >>> from_torch(torch.float32)
    heat.float32
    """
    try:
        return _FROM_TORCH[torch_dtype]
    except KeyError:
        raise _unsupported(str(torch_dtype)) from None


def from_numpy(np_dtype: np.dtype[Any] | type) -> DType:
    """Return the Heat dtype of a NumPy dtype or scalar type (byte order ignored).

    Examples
    --------
    >>> from_numpy(np.dtype(">i4")), from_numpy(np.float16)
    (heat.int32, heat.float16)
    """
    if not isinstance(np_dtype, np.dtype) and not (
        isinstance(np_dtype, type) and issubclass(np_dtype, np.generic)
    ):
        raise TypeError(f"from_numpy() expects a NumPy dtype or scalar type, got {np_dtype!r}")
    return canonical(np_dtype)


def default_float() -> DType:
    """The default floating-point dtype, ``float64`` (as in NumPy)."""
    return float64


def default_int() -> DType:
    """The default integer dtype, ``int64`` (as in NumPy)."""
    return int64


def default_complex() -> DType:
    """The default complex dtype, ``complex128`` (as in NumPy)."""
    return complex128


_WEAK_RANK: Final[dict[type, int]] = {builtins.bool: 0, int: 1, float: 2, complex: 3}
_WEAK_DEFAULT: Final[tuple[DType, ...]] = (bool_, int64, float64, complex128)


def _classify(op: object) -> DType | int:
    """A non-DType operand's dtype, or the weak rank 0..3 (bool, int, float, complex) of a Python scalar.

    Order matters: NumPy scalars subclass Python ones (np.float64 is a float) but are strong, and
    types such as np.float32 carry a ``dtype`` descriptor but are dtype specs.
    """
    rank = _WEAK_RANK.get(type(op))
    if rank is not None:
        return rank
    if not isinstance(op, type):
        attr = getattr(op, "dtype", None)
        if attr is not None:
            return attr if type(attr) is DType else canonical(attr)
        for cls in type(op).__mro__[1:]:  # subclasses of Python scalars, e.g. IntEnum members
            rank = _WEAK_RANK.get(cls)
            if rank is not None:
                return rank
    return canonical(op)  # type: ignore[arg-type]


def default_for_scalar(python_value: builtins.bool | int | float | complex) -> DType:
    """The dtype NumPy gives a Python scalar on its own.

    ``bool`` -> bool, ``int`` -> int64, ``float`` -> float64, ``complex`` -> complex128. NumPy
    scalars (``np.float32(1)``) give their own dtype.

    Examples
    --------
    >>> default_for_scalar(True), default_for_scalar(3), default_for_scalar(2.5), default_for_scalar(1j)
    (heat.bool, heat.int64, heat.float64, heat.complex128)
    """
    if isinstance(python_value, np.generic):
        return canonical(python_value.dtype)
    try:
        found = _classify(python_value)
    except TypeError:
        found = None
    if not isinstance(found, int):
        raise TypeError(
            f"default_for_scalar() expects a Python bool, int, float or complex, got {python_value!r} "
            f"(of type {type(python_value).__name__})"
        )
    return _WEAK_DEFAULT[found]


# ---------------------------------------------------------------------------------------------
# Casting and promotion tables
# ---------------------------------------------------------------------------------------------
# Immediate safe casts. The 'safe' relation is their reflexive-transitive closure; it matches
# np.can_cast(..., casting="safe") on the NumPy dtypes. bfloat16 sits beside float16.
_SAFE_STEPS: Final[dict[str, tuple[str, ...]]] = {
    "bool": ("uint8", "int8"),
    "uint8": ("int16", "float16", "bfloat16"),
    "int8": ("int16", "float16", "bfloat16"),
    "int16": ("int32", "float32"),
    "int32": ("int64", "float64"),
    "int64": ("float64",),
    "float16": ("float32", "complex64"),
    "bfloat16": ("float32", "complex64"),
    "float32": ("float64", "complex64"),
    "float64": ("complex128",),
    "complex64": ("complex128",),
    "complex128": (),
}


def _closure(name: str) -> frozenset[DType]:
    reached = {name}
    todo = [name]
    while todo:
        for nxt in _SAFE_STEPS[todo.pop()]:
            if nxt not in reached:
                reached.add(nxt)
                todo.append(nxt)
    return frozenset(_BY_NAME[n] for n in reached)


_SAFE_TARGETS: Final[dict[DType, frozenset[DType]]] = {d: _closure(d.name) for d in ALL_DTYPES}

# The promotion table: the first dtype (in ALL_DTYPES order) both operands cast to safely.
_PROMOTION_TABLE: Final[dict[tuple[DType, DType], DType]] = {
    (a, b): next(c for c in ALL_DTYPES if c in _SAFE_TARGETS[a] and c in _SAFE_TARGETS[b])
    for a in ALL_DTYPES
    for b in ALL_DTYPES
}
# The same table indexed by DType._index, for the hot path.
_PROMOTE: Final[tuple[tuple[DType, ...], ...]] = tuple(
    tuple(_PROMOTION_TABLE[a, b] for b in ALL_DTYPES) for a in ALL_DTYPES
)
# The safe targets as bit masks (bit i: ALL_DTYPES[i]), for promoting many operands at once:
# AND the masks and take the lowest set bit.
_SAFE_MASK: Final[tuple[int, ...]] = tuple(sum(1 << c._index for c in _SAFE_TARGETS[d]) for d in ALL_DTYPES)


def _same_kind(a: DType, b: DType) -> builtins.bool:
    # NumPy: a casts 'same_kind' to b iff a casts safely to some dtype of b's kind
    # (so int32 -> float16 and float64 -> float32 are same-kind, int8 -> uint8 is not).
    return any(c.kind == b.kind for c in _SAFE_TARGETS[a])


_CASTING: Final[dict[str, frozenset[tuple[DType, DType]]]] = {
    "no": frozenset((a, a) for a in ALL_DTYPES),
    "equiv": frozenset((a, a) for a in ALL_DTYPES),
    "safe": frozenset((a, b) for a in ALL_DTYPES for b in _SAFE_TARGETS[a]),
    "same_kind": frozenset((a, b) for a in ALL_DTYPES for b in ALL_DTYPES if _same_kind(a, b)),
    "unsafe": frozenset((a, b) for a in ALL_DTYPES for b in ALL_DTYPES),
}

_KIND_RANK: Final[dict[str, int]] = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}

_TO_COMPLEX: Final[dict[DType, DType]] = {
    d: (d if d.kind == "c" else complex64 if d.kind == "f" and d.itemsize <= 4 else complex128)
    for d in ALL_DTYPES
}
_TO_REAL: Final[dict[DType, DType]] = {complex64: float32, complex128: float64}


def _weak_result(strong: DType, rank: int) -> DType:
    # NEP 50: a Python scalar adopts the array's dtype unless its kind is higher.
    if rank <= _KIND_RANK[strong.kind]:
        return strong
    if rank == 3 and strong.kind == "f":
        return _TO_COMPLEX[strong]  # float32 + 1j -> complex64
    return _PROMOTE[strong._index][_WEAK_DEFAULT[rank]._index]


# _WEAK_RESULT[strong._index][rank]
_WEAK_RESULT: Final[tuple[tuple[DType, ...], ...]] = tuple(
    tuple(_weak_result(d, r) for r in range(4)) for d in ALL_DTYPES
)


def _dtype_of(obj: object, op: str) -> DType:
    """The dtype of a dtype spec or of an object with ``.dtype``; Python scalars are rejected."""
    if type(obj) is DType:
        return obj
    found = _classify(obj)
    if isinstance(found, int):
        raise TypeError(
            f"{op}() does not accept Python scalars such as {obj!r}; pass a dtype instead, "
            f"e.g. {op}(default_for_scalar({obj!r}), ...)"
        )
    return found


def promote_types(a: DTypeLike, b: DTypeLike) -> DType:
    """The smallest dtype to which both ``a`` and ``b`` cast safely (``np.promote_types``).

    Examples
    --------
    >>> promote_types(uint8, int8), promote_types("i8", "f2"), promote_types(bfloat16, float16)
    (heat.int16, heat.float64, heat.float32)
    """
    return _PROMOTE[canonical(a)._index][canonical(b)._index]


def result_type(*operands: object) -> DType:
    """The dtype of an operation on ``operands``, following NumPy 2 (NEP 50).

    Parameters
    ----------
    *operands
        Dtype specs (anything :func:`canonical` accepts, including the *types* ``bool``, ``int``,
        ``float``, ``complex``), objects with a ``.dtype`` (Heat/NumPy arrays, torch tensors, NumPy
        scalars), or Python scalars. Python scalars are *weak*: they take the other operands'
        dtype unless their kind (bool < int < float < complex) is higher. Values never matter.

    Returns
    -------
    DType

    Raises
    ------
    TypeError
        With no operands, or for an operand that is neither a dtype nor has one.

    Examples
    --------
    >>> result_type(float32, 3), result_type(uint8, 3), result_type(int16, 2.5), result_type(1, 2.0)
    (heat.float32, heat.uint8, heat.float64, heat.float64)
    >>> result_type(float32, 1j), result_type(int8, uint8)
    (heat.complex64, heat.int16)
    """
    if not operands:
        raise TypeError("result_type() needs at least one operand (an array, a dtype or a scalar)")
    common = -1  # bit mask of the dtypes every strong operand casts to safely
    weak = -1
    for op in operands:
        if type(op) is DType:
            d = op
        else:
            found = _classify(op)
            if isinstance(found, int):
                weak = found if found > weak else weak
                continue
            d = found
        common &= _SAFE_MASK[d._index]
    if common == -1:  # only Python scalars
        return _WEAK_DEFAULT[weak]
    strong = ALL_DTYPES[(common & -common).bit_length() - 1]
    return strong if weak < 0 else _WEAK_RESULT[strong._index][weak]


_CASTING_MODES: Final[str] = ", ".join(repr(m) for m in ("no", "equiv", "safe", "same_kind", "unsafe"))


def can_cast(from_: object, to: DTypeLike, casting: str = "safe") -> builtins.bool:
    """Whether ``from_`` can be cast to ``to`` under the rule ``casting`` (``np.can_cast``).

    Parameters
    ----------
    from_ : dtype spec or object with ``.dtype``
        Python scalars are rejected, as in NumPy 2.
    to : dtype spec
    casting : {'no', 'equiv', 'safe', 'same_kind', 'unsafe'}
        Byte order is ignored, so 'no' and 'equiv' both mean "the same dtype".
        ``bfloat16`` casts safely from bool/uint8/int8 and to float32/float64/complex.

    Examples
    --------
    >>> can_cast(int32, float64), can_cast(int64, float32), can_cast(int64, float32, "same_kind")
    (True, False, True)
    """
    table = _CASTING.get(casting)
    if table is None:
        raise ValueError(f"can_cast(): casting must be one of {_CASTING_MODES}, got {casting!r}")
    return (_dtype_of(from_, "can_cast"), canonical(to)) in table


# ---------------------------------------------------------------------------------------------
# Abstract categories
# ---------------------------------------------------------------------------------------------
@final
class DTypeCategory:
    """An abstract dtype category for :func:`issubdtype` (``heat.floating``, ...); NumPy's tree.

    Examples
    --------
    >>> floating, floating.parent
    (heat.floating, heat.inexact)
    """

    __slots__ = ("name", "parent")

    name: str
    parent: DTypeCategory | None

    def __init__(self, name: str, parent: DTypeCategory | None) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "parent", parent)

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError(f"dtype categories are immutable; cannot set {key!r} on {self!r}")

    def __repr__(self) -> str:
        return f"heat.{self.name}"

    def __reduce__(self) -> str:
        return self.name

    def ancestors(self) -> tuple[DTypeCategory, ...]:
        """This category and every category containing it, innermost first."""
        chain: list[DTypeCategory] = []
        node: DTypeCategory | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return tuple(chain)


generic = DTypeCategory("generic", None)
number = DTypeCategory("number", generic)
integer = DTypeCategory("integer", number)
signedinteger = DTypeCategory("signedinteger", integer)
unsignedinteger = DTypeCategory("unsignedinteger", integer)
inexact = DTypeCategory("inexact", number)
floating = DTypeCategory("floating", inexact)
complexfloating = DTypeCategory("complexfloating", inexact)

_KIND_CATEGORY: Final[dict[str, DTypeCategory]] = {
    "b": generic,
    "u": unsignedinteger,
    "i": signedinteger,
    "f": floating,
    "c": complexfloating,
}
_NUMPY_CATEGORY: Final[dict[type, DTypeCategory]] = {
    np.generic: generic,
    np.number: number,
    np.integer: integer,
    np.signedinteger: signedinteger,
    np.unsignedinteger: unsignedinteger,
    np.inexact: inexact,
    np.floating: floating,
    np.complexfloating: complexfloating,
}


def _category_or_dtype(arg: object) -> DTypeCategory | DType:
    if type(arg) is DTypeCategory:
        return arg
    if isinstance(arg, type):
        found = _NUMPY_CATEGORY.get(arg)
        if found is not None:
            return found
    return _dtype_of(arg, "issubdtype")


def issubdtype(arg1: object, arg2: object) -> builtins.bool:
    """Whether ``arg1`` is ``arg2`` or lies below it in NumPy's type hierarchy.

    Each argument is a dtype spec, an object with ``.dtype``, or an abstract category (this
    module's ``floating``, ... or NumPy's ``np.floating``, ...). ``bool`` is ``generic`` but not a
    ``number``; ``bfloat16`` is ``floating``.

    Examples
    --------
    >>> issubdtype(float32, floating), issubdtype(bool_, number), issubdtype(int32, int64)
    (True, False, False)
    """
    a = _category_or_dtype(arg1)
    b = _category_or_dtype(arg2)
    if isinstance(b, DType):
        return a is b
    start = _KIND_CATEGORY[a.kind] if isinstance(a, DType) else a
    return b in start.ancestors()


# ---------------------------------------------------------------------------------------------
# Machine limits
# ---------------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class FInfo:
    """Machine limits of a floating-point dtype (see :func:`finfo`); values are Python floats."""

    bits: int
    eps: float
    max: float
    min: float
    smallest_normal: float
    tiny: float
    resolution: float
    dtype: DType


@dataclasses.dataclass(frozen=True)
class IInfo:
    """Machine limits of an integer dtype (see :func:`iinfo`); values are Python ints."""

    bits: int
    min: int
    max: int
    dtype: DType


def _make_finfo(d: DType) -> FInfo:
    info: Any = torch.finfo(d.torch) if d.numpy is None else np.finfo(d.numpy)
    return FInfo(
        bits=int(info.bits),
        eps=float(info.eps),
        max=float(info.max),
        min=float(info.min),
        smallest_normal=float(info.smallest_normal),
        tiny=float(info.smallest_normal),
        resolution=float(info.resolution),
        dtype=d,
    )


_FINFO: Final[dict[DType, FInfo]] = {d: _make_finfo(d) for d in ALL_DTYPES if d.kind == "f"}
_FINFO.update({c: _FINFO[r] for c, r in _TO_REAL.items()})
_IINFO: Final[dict[DType, IInfo]] = {
    d: IInfo(bits=d.bits, min=int(np.iinfo(d.numpy).min), max=int(np.iinfo(d.numpy).max), dtype=d)
    for d in ALL_DTYPES
    if d.kind in ("u", "i") and d.numpy is not None
}


def finfo(dtype: object) -> FInfo:
    """Machine limits of a floating-point or complex dtype, equal to ``np.finfo``.

    A complex dtype gives the limits of its real part (``dtype`` is then the real dtype).
    Accepts a dtype spec or an object with ``.dtype``.

    Examples
    --------
    >>> finfo(float32).eps, finfo(complex128).dtype, finfo(bfloat16).bits
    (1.1920928955078125e-07, heat.float64, 16)
    """
    d = _dtype_of(dtype, "finfo")
    info = _FINFO.get(d)
    if info is None:
        hint = "; use iinfo() for integer dtypes" if d.kind in ("u", "i") else ""
        raise TypeError(f"finfo() requires a floating-point or complex dtype, got {d}{hint}")
    return info


def iinfo(dtype: object) -> IInfo:
    """Machine limits of an integer dtype, equal to ``np.iinfo``.

    Accepts a dtype spec or an object with ``.dtype``.

    Examples
    --------
    >>> iinfo(int8).min, iinfo(uint8).max, iinfo("i8").bits
    (-128, 255, 64)
    """
    d = _dtype_of(dtype, "iinfo")
    info = _IINFO.get(d)
    if info is None:
        hint = "; use finfo() for floating-point and complex dtypes" if d.kind in ("f", "c") else ""
        raise TypeError(f"iinfo() requires an integer dtype, got {d}{hint}")
    return info


# ---------------------------------------------------------------------------------------------
# Helpers for the rest of heat.core (each takes a DType)
# ---------------------------------------------------------------------------------------------
def is_bool(d: DType) -> builtins.bool:
    """Whether ``d`` is the boolean dtype."""
    return d.kind == "b"


def is_integer(d: DType) -> builtins.bool:
    """Whether ``d`` is a signed or unsigned integer dtype (bool is not)."""
    return d.kind in ("i", "u")


def is_float(d: DType) -> builtins.bool:
    """Whether ``d`` is a real floating-point dtype (including bfloat16)."""
    return d.kind == "f"


def is_complex(d: DType) -> builtins.bool:
    """Whether ``d`` is a complex dtype."""
    return d.kind == "c"


def is_inexact(d: DType) -> builtins.bool:
    """Whether ``d`` is a floating-point or complex dtype."""
    return d.kind in ("f", "c")


def to_real(d: DType) -> DType:
    """The real dtype of a complex dtype (complex64 -> float32); other dtypes unchanged.

    Examples
    --------
    >>> to_real(complex64), to_real(int8)
    (heat.float32, heat.int8)
    """
    return _TO_REAL.get(d, d)


def to_complex(d: DType) -> DType:
    """The complex dtype holding ``d``'s values: float16/bfloat16/float32 -> complex64,
    float64, bool and integers -> complex128; complex dtypes unchanged.

    Examples
    --------
    >>> to_complex(float32), to_complex(int8)
    (heat.complex64, heat.complex128)
    """
    return _TO_COMPLEX[d]


def to_inexact(d: DType) -> DType:
    """The dtype of ``mean``/``sqrt``-like results: bool and integers -> float64, others unchanged.

    Examples
    --------
    >>> to_inexact(int32), to_inexact(float16)
    (heat.float64, heat.float16)
    """
    return d if d.kind in ("f", "c") else float64


# The alias that shadows the builtin within this module, exported as ``heat.bool``. Bound last so
# that the code above can only see the builtin through ``builtins.bool``.
bool = bool_

del _d, _alias, _target
