"""Tests of heat.core.types: every answer NumPy can give is compared with NumPy."""

from __future__ import annotations

import copy
import enum
import itertools
import pickle

import numpy as np
import pytest
import torch

from heat.core import types
from heat.core.types import (
    ALL_DTYPES,
    bfloat16,
    bool_,
    can_cast,
    canonical,
    complex64,
    complex128,
    float16,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    issubdtype,
    promote_types,
    result_type,
    uint8,
)

NP_DTYPES = [d for d in ALL_DTYPES if d.numpy is not None]  # the 11 NumPy can check
NAMES = [d.name for d in ALL_DTYPES]
PY_SCALARS = [True, 3, 2.5, 1j]
CASTINGS = ["no", "equiv", "safe", "same_kind", "unsafe"]
CATEGORY_NAMES = [
    "generic",
    "number",
    "integer",
    "signedinteger",
    "unsignedinteger",
    "inexact",
    "floating",
    "complexfloating",
]
UNSUPPORTED = [
    "uint16",
    "u4",
    "uint64",
    np.uint32,
    np.dtype("uint16"),
    np.longdouble,
    "object",
    object,
    str,
    "U5",
    "S3",
    "datetime64[s]",
    "m8",
    "i4,i4",
    "(2,)f4",
    torch.uint16,
    torch.uint32,
    torch.complex32,
]


class FakeArray:
    """Stands in for a Heat array: anything with a ``.dtype``."""

    def __init__(self, dtype: object) -> None:
        self.dtype = dtype


class Color(enum.IntEnum):
    RED = 1


def np_of(d: types.DType) -> np.dtype:
    assert d.numpy is not None
    return d.numpy


# --------------------------------------------------------------------------------------------
# DType objects
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_dtype_attributes(name):
    d = getattr(types, name if name != "bool" else "bool_")
    assert d.name == name
    assert str(d) == name
    assert repr(d) == f"heat.{name}"
    assert d.torch is getattr(torch, name)
    assert d.itemsize == d.torch.itemsize
    assert d.bits == 8 * d.itemsize
    if name == "bfloat16":
        assert d.numpy is None
        assert d.kind == "f"
    else:
        assert d.numpy == np.dtype(name)
        assert d.numpy.isnative
        assert d.kind == d.numpy.kind
        assert d.itemsize == d.numpy.itemsize


def test_all_dtypes_order_and_singletons():
    assert [d.name for d in ALL_DTYPES] == [
        "bool",
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
    ]
    assert len(set(map(id, ALL_DTYPES))) == 12
    assert types.bool is types.bool_


def test_aliases():
    expected = {
        "half": float16,
        "double": float64,
        "cfloat": complex64,
        "cdouble": complex128,
        "byte": int8,
        "ubyte": uint8,
        "short": int16,
        "long": int64,
        "int_": int64,
        "float_": float64,
        "complex_": complex128,
    }
    for alias, target in expected.items():
        assert alias in types.ALIASES
        assert getattr(types, alias) is target
        assert canonical(alias) is target
    assert set(types.ALIASES) - {"bool"} == set(expected)


def test_all_is_complete():
    for name in types.__all__:
        assert hasattr(types, name), name
    public = {n for n in vars(types) if not n.startswith("_")} - {
        "annotations",
        "builtins",
        "contextlib",
        "dataclasses",
        "np",
        "torch",
        "Any",
        "Final",
        "TypeAlias",
        "final",
    }
    assert public <= set(types.__all__)
    assert len(types.__all__) == len(set(types.__all__))


def test_immutable():
    with pytest.raises(AttributeError, match="immutable"):
        float32.name = "x"
    with pytest.raises(AttributeError, match="immutable"):
        del float32.kind
    with pytest.raises(AttributeError, match="immutable"):
        types.floating.parent = None


@pytest.mark.parametrize("name", NAMES)
def test_equality(name):
    d = canonical(name)
    assert d == name
    assert d == d.torch
    assert d == canonical(name)
    assert (d != d.torch) is False
    if d.numpy is not None:
        assert d == d.numpy
        assert d == d.numpy.type
        assert d == d.numpy.str
        assert d == d.numpy.newbyteorder()
        assert d.numpy == d  # NumPy defers to DType.__eq__
    for other in ALL_DTYPES:
        assert (d == other) is (d is other)
        assert (d == other.torch) is (d is other)
    junks = (None, 3, 2.5, "foo", "uint32", np.uint32, torch.uint16, object(), np.zeros(3), torch.zeros(2))
    for junk in junks:
        assert (d == junk) is False
        assert d != junk


@pytest.mark.parametrize(
    ("d", "pytype"), [(float64, float), (int64, int), (bool_, bool), (complex128, complex)], ids=str
)
def test_equality_python_types(d, pytype):
    assert d == pytype
    for other in ALL_DTYPES:
        assert (other == pytype) is (other is d)


@pytest.mark.parametrize("name", NAMES)
def test_hash(name):
    d = canonical(name)
    assert hash(d) == hash(name)
    assert {d: 1}[canonical(name)] == 1
    assert len({d, canonical(d.torch), d}) == 1


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickle(protocol):
    for d in ALL_DTYPES:
        assert pickle.loads(pickle.dumps(d, protocol=protocol)) is d
    for name in CATEGORY_NAMES:
        cat = getattr(types, name)
        assert pickle.loads(pickle.dumps(cat, protocol=protocol)) is cat
    assert pickle.loads(pickle.dumps(types.bool, protocol=protocol)) is types.bool_


def test_copy():
    for d in ALL_DTYPES:
        assert copy.copy(d) is d
        assert copy.deepcopy(d) is d
    assert copy.deepcopy({"dt": float32})["dt"] is float32


# --------------------------------------------------------------------------------------------
# canonical / from_torch / from_numpy / defaults
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_canonical_roundtrips(name):
    d = canonical(name)
    assert canonical(d) is d
    assert canonical(d.torch) is d
    assert types.from_torch(d.torch) is d
    if d.numpy is not None:
        for spec in (d.numpy, d.numpy.type, d.numpy.str, d.numpy.char, d.numpy.newbyteorder()):
            assert canonical(spec) is d, spec
            assert canonical(spec) is d, spec  # second (cached) lookup
        assert types.from_numpy(d.numpy) is d
        assert types.from_numpy(d.numpy.type) is d


@pytest.mark.parametrize(
    "spec",
    [
        "f4",
        "<f8",
        ">f8",
        "=i2",
        "i8",
        "u1",
        "b1",
        "?",
        "c8",
        "float",
        "int",
        "bool",
        "complex",
        "double",
        "half",
        "short",
        "byte",
        "ubyte",
        "longlong",
        "intc",
        "cdouble",
        "bool_",
        "float16",
        np.intc,
        np.longlong,
        np.bool_,
        np.dtype(">c16"),
        np.dtype("<i4"),
        bool,
        int,
        float,
        complex,
    ],
    ids=repr,
)
def test_canonical_matches_numpy(spec):
    d = canonical(spec)
    assert d.numpy == np.dtype(spec).newbyteorder("=")


def test_canonical_bfloat16_and_aliases():
    assert canonical("bfloat16") is bfloat16
    assert canonical(torch.bfloat16) is bfloat16
    assert canonical("cfloat") is complex64  # torch's meaning
    assert canonical("float_") is float64
    assert canonical("complex_") is complex128
    assert canonical("long") is int64


@pytest.mark.parametrize("spec", UNSUPPORTED, ids=repr)
def test_canonical_unsupported(spec):
    with pytest.raises(TypeError, match="not supported by heat; use one of bool, uint8, int8") as info:
        canonical(spec)
    if isinstance(spec, np.dtype) or (isinstance(spec, type) and issubclass(spec, np.generic)):
        assert str(np.dtype(spec)) in str(info.value)
    elif isinstance(spec, torch.dtype):
        assert str(spec) in str(info.value)
    elif isinstance(spec, str):
        assert repr(spec) in str(info.value)


def test_canonical_unsupported_message_names_value():
    with pytest.raises(TypeError, match=r"dtype uint32 is not supported by heat; use one of bool, uint8"):
        canonical(np.uint32)
    with pytest.raises(TypeError, match=r"'u4' \(uint32\) is not supported"):
        canonical("u4")


@pytest.mark.parametrize(
    "spec", [None, 3, 2.5, "foo", "", object(), np.floating, np.generic, [float32]], ids=repr
)
def test_canonical_not_a_dtype(spec):
    with pytest.raises(TypeError):
        canonical(spec)


def test_canonical_rejects_arrays():
    with pytest.raises(TypeError, match="cannot interpret"):
        canonical(np.zeros(3))
    with pytest.raises(TypeError, match="cannot interpret"):
        canonical(torch.zeros(3))


def test_from_torch_and_numpy_errors():
    with pytest.raises(TypeError, match=r"torch\.uint16 is not supported"):
        types.from_torch(torch.uint16)
    with pytest.raises(TypeError, match="from_numpy"):
        types.from_numpy("float32")
    with pytest.raises(TypeError, match="from_numpy"):
        types.from_numpy(torch.float32)
    with pytest.raises(TypeError, match="uint64 is not supported"):
        types.from_numpy(np.dtype("u8"))


def test_defaults():
    assert types.default_float() is float64 is canonical(np.result_type(1.0))
    assert types.default_int() is int64 is canonical(np.result_type(1))
    assert types.default_complex() is complex128 is canonical(np.result_type(1j))
    for value in PY_SCALARS:
        assert types.default_for_scalar(value) is canonical(np.result_type(value))
    assert types.default_for_scalar(Color.RED) is int64
    assert types.default_for_scalar(np.float32(1)) is float32
    assert types.default_for_scalar(np.float64(1)) is float64
    for bad in ("1", None, np.zeros(2), float32):
        with pytest.raises(TypeError, match="default_for_scalar"):
            types.default_for_scalar(bad)


# --------------------------------------------------------------------------------------------
# promote_types / result_type
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("a", NP_DTYPES, ids=str)
def test_promote_types_matches_numpy(a):
    for b in NP_DTYPES:
        expected = np.promote_types(np_of(a), np_of(b))
        got = promote_types(a, b)
        assert got.numpy == expected, (a, b)
        assert promote_types(a.numpy, b.name) is got
        assert promote_types(b, a) is got


@pytest.mark.parametrize("d", ALL_DTYPES, ids=str)
def test_promote_types_bfloat16(d):
    # bfloat16 promotes like float16, except bfloat16 + float16 -> float32.
    if d in (float16, bfloat16):
        expected = float32 if d is float16 else bfloat16
    else:
        expected = promote_types(float16, d)
        expected = bfloat16 if expected is float16 else expected
    assert promote_types(bfloat16, d) is expected
    assert promote_types(d, bfloat16) is expected


def test_promote_types_table_examples():
    assert promote_types(uint8, int8) is int16
    assert promote_types(int64, uint8) is int64
    assert promote_types(float16, int16) is float32
    assert promote_types(int64, float16) is float64
    assert promote_types(complex64, float64) is complex128
    for d in ALL_DTYPES:
        assert promote_types(bool_, d) is d


def test_promote_types_errors():
    with pytest.raises(TypeError, match="uint32"):
        promote_types("uint32", float32)
    with pytest.raises(TypeError):
        promote_types(3, float32)


def _wrap(kind, d):
    """The dtype ``d`` as an operand of the given kind (and NumPy's equivalent)."""
    if kind == "dtype":
        return d, np_of(d)
    if kind == "numpy":
        return np.zeros(2, np_of(d)), np.zeros(2, np_of(d))
    if kind == "numpy0d":
        return np.zeros((), np_of(d)), np.zeros((), np_of(d))
    if kind == "scalar":
        return np_of(d).type(0), np_of(d).type(0)
    if kind == "torch":
        return torch.zeros(2, dtype=d.torch), np.zeros(2, np_of(d))
    if kind == "heat":
        return FakeArray(d), np.zeros(2, np_of(d))
    if kind == "spec":
        return d.name, d.name
    raise AssertionError(kind)


OPERAND_KINDS = ["dtype", "numpy", "numpy0d", "scalar", "torch", "heat", "spec"]


@pytest.mark.parametrize("kind", OPERAND_KINDS)
def test_result_type_pairs_match_numpy(kind):
    for a, b in itertools.product(NP_DTYPES, repeat=2):
        (xa, na), (xb, nb) = _wrap(kind, a), _wrap(kind, b)
        assert result_type(xa, xb).numpy == np.result_type(na, nb), (a, b)


def test_result_type_triples_match_numpy():
    for a, b, c in itertools.product(NP_DTYPES, repeat=3):
        assert result_type(a, b, c).numpy == np.result_type(a.numpy, b.numpy, c.numpy), (a, b, c)


@pytest.mark.parametrize("kind", OPERAND_KINDS)
def test_result_type_weak_scalars_match_numpy(kind):
    for d in NP_DTYPES:
        x, n = _wrap(kind, d)
        for s in PY_SCALARS:
            expected = np.result_type(n, s)
            assert result_type(x, s).numpy == expected, (d, s)
            assert result_type(s, x).numpy == expected, (d, s)
        for s, t in itertools.product(PY_SCALARS, repeat=2):
            assert result_type(x, s, t).numpy == np.result_type(n, s, t), (d, s, t)
            assert result_type(s, x, t).numpy == np.result_type(s, n, t), (d, s, t)


def test_result_type_quadruples_match_numpy():
    # NumPy promotes many operands at once, not pairwise: uint8, int8, float16 -> float16.
    assert result_type(uint8, int8, float16) is float16
    assert promote_types(promote_types(uint8, int8), float16) is float32
    for combo in itertools.product(NP_DTYPES, repeat=4):
        assert result_type(*combo).numpy == np.result_type(*[d.numpy for d in combo]), combo


def test_result_type_arrays_and_scalars_match_numpy():
    for a, b in itertools.product(NP_DTYPES, repeat=2):
        for s in PY_SCALARS:
            assert result_type(a, s, b).numpy == np.result_type(a.numpy, s, b.numpy), (a, b, s)
        for s, t in itertools.product(PY_SCALARS, repeat=2):
            assert result_type(s, a, t, b).numpy == np.result_type(s, a.numpy, t, b.numpy), (a, b, s, t)
    for a, b, c in itertools.product(NP_DTYPES, repeat=3):
        for s in PY_SCALARS:
            expected = np.result_type(a.numpy, b.numpy, s, c.numpy)
            assert result_type(a, b, s, c).numpy == expected, (a, b, c, s)


def test_result_type_only_python_scalars_match_numpy():
    for n in (1, 2, 3):
        for combo in itertools.product(PY_SCALARS, repeat=n):
            assert result_type(*combo).numpy == np.result_type(*combo), combo


def test_result_type_examples():
    assert result_type(float32, 3) is float32
    assert result_type(uint8, 3) is uint8
    assert result_type(float16, 2.5) is float16
    assert result_type(int32, 2.5) is float64
    assert result_type(float32, 1j) is complex64
    assert result_type(float64, 1j) is complex128
    assert result_type(int8, 1j) is complex128
    assert result_type(int8, True) is int8
    assert result_type(bool_, 3) is int64
    assert result_type(1, 2.0) is float64
    assert result_type(uint8, 300) is uint8  # no value-based casting
    assert result_type(float32) is float32


def test_result_type_python_types_are_specs():
    # The *types* bool/int/float/complex are dtype specs (strong), not weak scalars.
    for t in (bool, int, float, complex):
        for d in NP_DTYPES:
            assert result_type(t, d).numpy == np.result_type(t, np_of(d)), (t, d)
    assert result_type(int, float32) is float64
    assert result_type(float, float16) is float64


def test_result_type_scalar_subclasses():
    assert result_type(int8, Color.RED) is int8  # IntEnum is a weak int
    assert result_type(float32, np.float64(1.0)) is float64  # NumPy scalars are strong
    assert result_type(float16, np.float32(1.0)) is float32


@pytest.mark.parametrize("d", ALL_DTYPES, ids=str)
def test_result_type_bfloat16(d):
    for s in PY_SCALARS:
        expected = result_type(float16, s)
        assert result_type(bfloat16, s) is (bfloat16 if expected is float16 else expected)
        assert result_type(s, torch.zeros(1, dtype=torch.bfloat16)) is result_type(bfloat16, s)
    assert result_type(bfloat16, d) is promote_types(bfloat16, d)
    assert result_type(FakeArray(bfloat16), torch.zeros(1, dtype=d.torch)) is promote_types(bfloat16, d)


def test_result_type_bfloat16_agrees_with_torch_on_scalars():
    t = torch.zeros(1, dtype=torch.bfloat16)
    for s in PY_SCALARS:
        assert result_type(bfloat16, s).torch == torch.result_type(t, s)


def test_result_type_errors():
    with pytest.raises(TypeError, match="at least one operand"):
        result_type()
    with pytest.raises(TypeError, match="uint32 is not supported"):
        result_type(np.zeros(2, np.uint32), 1)
    with pytest.raises(TypeError, match=r"torch\.uint16 is not supported"):
        result_type(torch.zeros(2, dtype=torch.uint16))
    with pytest.raises(TypeError):
        result_type(float32, object())
    with pytest.raises(TypeError):
        result_type(float32, None)


# --------------------------------------------------------------------------------------------
# can_cast
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("casting", CASTINGS)
def test_can_cast_matches_numpy(casting):
    for a, b in itertools.product(NP_DTYPES, repeat=2):
        expected = np.can_cast(np_of(a), np_of(b), casting=casting)
        assert can_cast(a, b, casting) is expected, (a, b, casting)
        assert can_cast(a.name, b.torch, casting=casting) is expected
        assert can_cast(np.zeros(1, np_of(a)), b, casting) is expected
        assert can_cast(FakeArray(a), b, casting) is expected
        assert can_cast(np_of(a).type(0), b, casting) is np.can_cast(np_of(a).type(0), np_of(b), casting)


def test_can_cast_default_is_safe():
    for a, b in itertools.product(ALL_DTYPES, repeat=2):
        assert can_cast(a, b) is can_cast(a, b, "safe")


def test_can_cast_bfloat16():
    safe_from = {bool_, uint8, int8, bfloat16}
    safe_to = {bfloat16, float32, float64, complex64, complex128}
    for d in ALL_DTYPES:
        assert can_cast(d, bfloat16) is (d in safe_from), d
        assert can_cast(bfloat16, d) is (d in safe_to), d
        assert can_cast(bfloat16, d, "same_kind") is (d.kind in "fc"), d
        assert can_cast(d, bfloat16, "same_kind") is (d.kind != "c"), d
        assert can_cast(d, bfloat16, "unsafe")
        assert can_cast(d, bfloat16, "no") is (d is bfloat16)
        assert can_cast(d, bfloat16, "equiv") is (d is bfloat16)


def test_can_cast_consistent_with_promotion():
    for a, b in itertools.product(ALL_DTYPES, repeat=2):
        p = promote_types(a, b)
        assert can_cast(a, p) and can_cast(b, p)


def test_can_cast_errors():
    for scalar in PY_SCALARS:
        with pytest.raises(TypeError, match="can_cast\\(\\) does not accept Python scalars"):
            can_cast(scalar, float64)
    with pytest.raises(ValueError, match="casting must be one of"):
        can_cast(float32, float64, "sometimes")
    with pytest.raises(TypeError, match="uint32"):
        can_cast(float32, "uint32")


# --------------------------------------------------------------------------------------------
# issubdtype
# --------------------------------------------------------------------------------------------
def _np_category(name):
    return getattr(np, name)


@pytest.mark.parametrize("cat", CATEGORY_NAMES)
def test_issubdtype_dtype_vs_category_matches_numpy(cat):
    ours, theirs = getattr(types, cat), _np_category(cat)
    for d in NP_DTYPES:
        expected = np.issubdtype(np_of(d), theirs)
        assert issubdtype(d, ours) is expected, (d, cat)
        assert issubdtype(d, theirs) is expected, (d, cat)
        assert issubdtype(d.name, ours) is expected
        assert issubdtype(np_of(d).type, ours) is expected
        assert issubdtype(np.zeros(1, np_of(d)), ours) is expected
        assert issubdtype(FakeArray(d), theirs) is expected


def test_issubdtype_category_vs_category_matches_numpy():
    for a, b in itertools.product(CATEGORY_NAMES, repeat=2):
        expected = np.issubdtype(_np_category(a), _np_category(b))
        assert issubdtype(getattr(types, a), getattr(types, b)) is expected, (a, b)
        assert issubdtype(_np_category(a), getattr(types, b)) is expected, (a, b)


def test_issubdtype_dtype_vs_dtype_matches_numpy():
    for a, b in itertools.product(NP_DTYPES, repeat=2):
        assert issubdtype(a, b) is np.issubdtype(np_of(a), np_of(b)), (a, b)
    for cat in CATEGORY_NAMES:
        for d in NP_DTYPES:
            assert issubdtype(getattr(types, cat), d) is np.issubdtype(_np_category(cat), np_of(d))
    assert issubdtype(float64, float) is np.issubdtype(np.float64, float)


def test_issubdtype_examples_and_bfloat16():
    assert issubdtype(float32, types.floating)
    assert not issubdtype(bool_, types.number)
    assert issubdtype(bool_, types.generic)
    assert not issubdtype(int32, int64)
    assert issubdtype(float32, float32)
    for cat in ("floating", "inexact", "number", "generic"):
        assert issubdtype(bfloat16, getattr(types, cat))
        assert issubdtype(bfloat16, _np_category(cat))
    for cat in ("integer", "complexfloating", "signedinteger", "unsignedinteger"):
        assert not issubdtype(bfloat16, getattr(types, cat))
    assert issubdtype(bfloat16, "bfloat16")
    assert not issubdtype(bfloat16, float16)
    assert not issubdtype(float16, bfloat16)


def test_categories_repr_and_tree():
    assert repr(types.floating) == "heat.floating"
    assert types.floating.parent is types.inexact
    assert types.generic.parent is None
    assert types.signedinteger.ancestors() == (
        types.signedinteger,
        types.integer,
        types.number,
        types.generic,
    )


def test_issubdtype_errors():
    with pytest.raises(TypeError, match="uint32"):
        issubdtype("uint32", types.integer)
    with pytest.raises(TypeError):
        issubdtype(3, types.integer)


# --------------------------------------------------------------------------------------------
# finfo / iinfo
# --------------------------------------------------------------------------------------------
FINFO_FIELDS = ["bits", "eps", "max", "min", "smallest_normal", "tiny", "resolution"]


@pytest.mark.parametrize("d", [d for d in NP_DTYPES if d.kind in "fc"], ids=str)
def test_finfo_matches_numpy(d):
    info, expected = types.finfo(d), np.finfo(np_of(d))
    for field in FINFO_FIELDS:
        value = getattr(info, field)
        assert value == getattr(expected, field), field
        assert type(value) is (int if field == "bits" else float), field
    assert info.dtype.numpy == expected.dtype
    assert info.dtype is types.to_real(d)
    assert types.finfo(d.name) is info
    assert types.finfo(np.zeros(1, np_of(d))) is info
    assert types.finfo(torch.zeros(1, dtype=d.torch)) is info
    assert types.finfo(FakeArray(d)) is info


def test_finfo_bfloat16():
    info, expected = types.finfo(bfloat16), torch.finfo(torch.bfloat16)
    for field in FINFO_FIELDS:
        assert getattr(info, field) == getattr(expected, field), field
    assert info.tiny == info.smallest_normal
    assert info.dtype is bfloat16
    assert types.finfo(float) is types.finfo(float64)


def test_finfo_is_frozen():
    with pytest.raises(AttributeError):
        types.finfo(float32).eps = 1.0
    with pytest.raises(AttributeError):
        types.iinfo(int32).max = 1


@pytest.mark.parametrize("d", [d for d in NP_DTYPES if d.kind in "ui"], ids=str)
def test_iinfo_matches_numpy(d):
    info, expected = types.iinfo(d), np.iinfo(np_of(d))
    assert (info.bits, info.min, info.max) == (expected.bits, expected.min, expected.max)
    assert type(info.min) is int
    assert type(info.max) is int
    assert info.dtype is d
    assert types.iinfo(torch.zeros(1, dtype=d.torch)) is info
    assert types.iinfo(np_of(d).type) is info


def test_finfo_iinfo_errors():
    for d in ALL_DTYPES:
        if d.kind in "ui":
            with pytest.raises(TypeError, match=f"got {d.name}; use iinfo"):
                types.finfo(d)
        if d.kind in "fc":
            with pytest.raises(TypeError, match=f"got {d.name}; use finfo"):
                types.iinfo(d)
    with pytest.raises(TypeError, match="finfo\\(\\) requires a floating-point"):
        types.finfo(bool_)
    with pytest.raises(TypeError, match="iinfo\\(\\) requires an integer"):
        types.iinfo(bool_)
    with pytest.raises(TypeError, match="finfo\\(\\) does not accept Python scalars"):
        types.finfo(1.0)


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("d", ALL_DTYPES, ids=str)
def test_predicates(d):
    assert types.is_bool(d) is (d is bool_)
    assert types.is_integer(d) is issubdtype(d, types.integer)
    assert types.is_float(d) is issubdtype(d, types.floating)
    assert types.is_complex(d) is issubdtype(d, types.complexfloating)
    assert types.is_inexact(d) is issubdtype(d, types.inexact)
    if d.numpy is not None:
        assert types.is_integer(d) is np.issubdtype(d.numpy, np.integer)
        assert types.is_float(d) is np.issubdtype(d.numpy, np.floating)
        assert types.is_complex(d) is np.issubdtype(d.numpy, np.complexfloating)
        assert types.is_inexact(d) is np.issubdtype(d.numpy, np.inexact)


@pytest.mark.parametrize("d", NP_DTYPES, ids=str)
def test_conversions_match_numpy(d):
    zeros = np.zeros(2, np_of(d))
    assert types.to_real(d).numpy == np.real(zeros).dtype
    assert types.to_complex(d).numpy == np.result_type(zeros, 1j)
    assert types.to_inexact(d).numpy == np.mean(zeros).dtype


def test_conversions_bfloat16():
    assert types.to_real(bfloat16) is bfloat16
    assert types.to_complex(bfloat16) is complex64
    assert types.to_inexact(bfloat16) is bfloat16
    assert types.to_real(complex64) is float32
    assert types.to_complex(float64) is complex128
    assert types.to_inexact(int8) is float64
