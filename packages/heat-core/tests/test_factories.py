"""Tests of heat.core.factories: every array is compared with the one NumPy makes, for every
split, with fewer rows than processes, zero-size axes and uneven per-rank pieces."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from core_helpers import assert_eq, distribute, random_counts, splits

import heat as ht
from heat.comm import partition
from heat.core import layout

# (1,) and (2, 3) have fewer rows than 3 processes; (0,), (4, 0) and (0, 3) have zero-size axes
SHAPES = [(), (0,), (1,), (5,), (2, 3), (4, 0), (0, 3), (7, 3), (2, 3, 4)]
NP_DTYPES = [
    np.bool_,
    np.uint8,
    np.int8,
    np.int16,
    np.int32,
    np.int64,
    np.float16,
    np.float32,
    np.float64,
    np.complex64,
    np.complex128,
]


def assert_balanced(x: ht.DNDarray) -> None:
    """``x`` holds exactly the balanced block of its split axis on this rank (nothing more)."""
    if x.split is None:
        assert x.lshape == x.gshape
        return
    counts = partition.counts(x.gshape[x.split], x.comm.size)
    assert x.counts == counts
    assert x.lshape == layout.local_shape(x.gshape, x.split, counts, x.comm.rank)
    assert x.is_balanced()


def sample(shape: tuple[int, ...], dtype: object = np.float64) -> np.ndarray:
    """Deterministic data of ``shape`` (the same on every rank)."""
    values = np.arange(np.prod(shape, dtype=np.int64)).reshape(shape) % 7 - 2
    return values.astype(dtype)


# ------------------------------------------------------------------------------ array
@pytest.mark.parametrize("split", splits(2))
def test_array_from_nested_list_matches_numpy(split):
    data = [[1, 2, 3], [4, 5, 6]]
    x = ht.array(data, split=split)
    assert_eq(x, np.array(data))
    assert_balanced(x)


@pytest.mark.parametrize(
    "data",
    [[1.5, 2, 3], [True, False], [1, 2j], [[[1]], [[2]]], [], [[], []]],
    ids=["float-list", "bool-list", "complex-list", "nested-3d", "empty", "empty-2d"],
)
def test_array_from_lists_of_every_kind(data):
    assert_eq(ht.array(data), np.array(data))


@pytest.mark.parametrize(
    "scalar",
    [5, 2.5, True, 1 + 2j, np.float32(1.5), np.int8(-3), np.uint8(200), np.array(7, dtype=np.int16)],
    ids=repr,
)
def test_array_from_scalar_is_0d(scalar):
    x = ht.array(scalar)
    assert_eq(x, np.array(scalar))
    assert x.ndim == 0 and x.split is None and x.lshape == ()


def test_array_0d_with_split_raises_everywhere():
    with pytest.raises(ValueError, match="0-d array"):
        ht.array(3, split=0)


@pytest.mark.parametrize("dtype", NP_DTYPES, ids=lambda d: np.dtype(d).name)
def test_array_from_numpy_of_each_dtype(dtype):
    data = sample((4, 3), dtype)
    for split in splits(2):
        x = ht.array(data, split=split)
        assert_eq(x, data)
        assert_balanced(x)


@pytest.mark.parametrize(
    "torch_dtype",
    [torch.bool, torch.uint8, torch.int32, torch.int64, torch.float32, torch.float64, torch.complex64],
)
def test_array_from_torch_tensor(torch_dtype):
    t = torch.arange(12).reshape(3, 4).to(torch_dtype)
    for split in splits(2):
        x = ht.array(t, split=split)
        assert_eq(x, t.numpy())
        assert_balanced(x)


@pytest.mark.parametrize("split", splits(2))
def test_array_from_bfloat16_tensor_keeps_bfloat16(split):
    t = torch.tensor([[0.5, 1.25, -3.0], [100.0, 2.0, 7.5]], dtype=torch.bfloat16)
    x = ht.array(t, split=split)
    assert x.larray.dtype == torch.bfloat16
    assert_eq(x, t.float().numpy(), dtype=ht.bfloat16)


@pytest.mark.parametrize("split", splits(2))
def test_array_with_dtype_converts(split):
    data = sample((3, 4))
    x = ht.array(data, dtype=ht.int32, split=split)
    assert_eq(x, data.astype(np.int32))


@pytest.mark.parametrize("split", [-3, -2, -1, 0, 1, 2])
def test_array_split_every_axis_including_negative(split):
    data = sample((4, 2, 5))
    x = ht.array(data, split=split)
    assert x.split == split % 3
    assert_eq(x, data)
    assert_balanced(x)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_array_every_shape_and_split(shape):
    data = sample(shape)
    for split in splits(len(shape)):
        x = ht.array(data, split=split)
        assert_eq(x, data)
        assert_balanced(x)


@pytest.mark.parametrize("split", [3, -3])
def test_array_split_out_of_range(split):
    with pytest.raises(ValueError, match=f"split={split} is out of range for a 2-d array"):
        ht.array(np.zeros((2, 2)), split=split)


def test_array_split_and_is_split_are_exclusive():
    with pytest.raises(ValueError, match="exclusive"):
        ht.array(np.zeros((2, 2)), split=0, is_split=0)


@pytest.mark.parametrize(
    "data",
    [
        np.zeros(3, dtype=np.uint32),
        np.zeros(2, dtype=np.uint16),
        np.array([object()]),
        np.array(["ab"]),
        ["a", "b"],
    ],
    ids=["uint32", "uint16", "object", "str", "str-list"],
)
def test_array_unsupported_dtype_raises_type_error(data):
    with pytest.raises(TypeError, match="not supported"):
        ht.array(data)


@pytest.mark.parametrize("dtype", [np.uint32, "uint64", object, str])
def test_array_unsupported_requested_dtype_raises_type_error(dtype):
    with pytest.raises(TypeError, match="not supported"):
        ht.array([1, 2], dtype=dtype)


def test_array_unsupported_torch_dtype_raises_type_error():
    with pytest.raises(TypeError, match="not supported"):
        ht.array(torch.zeros(3, dtype=torch.uint16))


@pytest.mark.parametrize(("ndmin", "split"), [(0, None), (2, None), (3, 0), (3, 2), (3, -1), (1, 0)])
def test_array_ndmin_prepends_axes(ndmin, split):
    data = [1, 2, 3]
    x = ht.array(data, ndmin=ndmin, split=split)
    assert_eq(x, np.array(data, ndmin=ndmin))


def test_array_ndmin_on_scalar():
    assert_eq(ht.array(4.5, ndmin=2), np.array(4.5, ndmin=2))


@pytest.mark.parametrize("split", splits(1))
def test_array_ndmin_on_dndarray_input(split):
    data = np.arange(4)
    x = ht.array(ht.array(data, split=split), ndmin=3)
    assert_eq(x, np.array(data, ndmin=3))
    assert x.split == (None if split is None else 2)


def test_array_copies_numpy_input_by_default():
    data = np.arange(6.0)
    x = ht.array(data)
    data[0] = 100.0
    assert_eq(x, np.arange(6.0))


def test_array_copy_false_shares_numpy_memory():
    data = np.arange(6.0)
    x = ht.array(data, copy=False, device="cpu")  # memory is shared on the CPU only
    data[0] = 100.0
    assert x.larray[0].item() == 100.0


@pytest.mark.parametrize("copy", [True, None, False])
def test_array_copy_semantics_for_torch_input(copy):
    t = torch.arange(4)
    x = ht.array(t, copy=copy, device="cpu")
    t[0] = 9
    assert (x.larray[0].item() == 9) == (not copy)


def test_array_split_keeps_a_copy_of_the_local_block():
    data = np.arange(12.0).reshape(6, 2)
    x = ht.array(data, split=0, copy=False)
    data[:] = -1.0
    assert_eq(x, np.arange(12.0).reshape(6, 2))


@pytest.mark.parametrize("split", splits(2))
def test_array_of_dndarray_copies_unless_copy_false(split):
    data = sample((5, 3))
    x = ht.array(data, split=split)
    y = ht.array(x)
    z = ht.array(x, copy=False)
    y.larray += 10
    assert_eq(x, data)
    assert_eq(y, data + 10)
    assert z is x


@pytest.mark.parametrize(("split", "new_split"), [(None, 0), (0, 1), (1, None), (0, -1)])
def test_array_of_dndarray_with_other_split_and_dtype(split, new_split):
    data = sample((5, 3))
    x = ht.array(data, split=split)
    y = ht.array(x, dtype=ht.float32, split=new_split)
    assert y.split == (x.split if new_split is None else layout.normalize_split(new_split, 2))
    assert_eq(y, data.astype(np.float32))
    assert_eq(x, data)


def test_array_of_dndarray_with_is_split_raises():
    with pytest.raises(ValueError, match="is_split"):
        ht.array(ht.zeros(3), is_split=0)


# ------------------------------------------------------------------------------ is_split
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(
    ("shape", "split"), [((9,), 0), ((5, 4), 0), ((4, 7), 1), ((3, 2, 6), 2), ((2, 5, 3), -2)]
)
def test_array_is_split_adopts_uneven_pieces(shape, split, seed, comm):
    data = sample(shape)
    axis = split % len(shape)
    counts = random_counts(shape[axis], comm.size, seed)
    key = layout.local_slice(axis, counts, comm.rank, len(shape))
    x = ht.array(data[key], is_split=split)
    assert x.split == axis
    assert x.counts == counts
    assert_eq(x, data)


def test_array_is_split_with_empty_pieces_on_some_ranks(comm):
    data = sample((2, 3))
    counts = (0,) * (comm.size - 1) + (2,)  # everything on the last rank
    key = layout.local_slice(0, counts, comm.rank, 2)
    x = ht.array(data[key], is_split=0)
    assert_eq(x, data)
    assert x.is_balanced() == (comm.size == 1)


def test_array_is_split_all_pieces_empty():
    x = ht.array(np.zeros((0, 3)), is_split=0)
    assert_eq(x, np.zeros((0, 3)))


def test_array_is_split_promotes_piece_dtypes(comm):
    kinds = [np.int32, np.float32, np.int8, np.bool_]
    pieces = [sample((r + 1, 2), kinds[r % len(kinds)]) for r in range(comm.size)]
    x = ht.array(pieces[comm.rank], is_split=0)
    want = np.result_type(*[p.dtype for p in pieces])
    assert_eq(x, np.concatenate(pieces).astype(want))


def test_array_is_split_with_dtype_casts_every_piece(comm):
    piece = np.full((2, 2), comm.rank, dtype=np.int64)
    x = ht.array(piece, is_split=1, dtype=ht.float32)
    expected = np.concatenate([np.full((2, 2), r, dtype=np.float32) for r in range(comm.size)], axis=1)
    assert_eq(x, expected)


@pytest.mark.mpi(min_size=2)
def test_array_is_split_pieces_disagreeing_outside_split_axis(comm):
    piece = np.zeros((2, 3 + comm.rank))
    with pytest.raises(ValueError, match=r"rank 0: \(2, 3\).*rank 1: \(2, 4\)"):
        ht.array(piece, is_split=0)


@pytest.mark.mpi(min_size=2)
def test_array_is_split_pieces_disagreeing_in_ndim(comm):
    piece = np.zeros(3) if comm.rank == 0 else np.zeros((3, 2))
    with pytest.raises(ValueError, match=r"rank 0: \(3,\).*rank 1: \(3, 2\)"):
        ht.array(piece, is_split=0)


@pytest.mark.mpi(min_size=2)
def test_array_is_split_unsupported_dtype_on_one_rank_raises_everywhere(comm):
    piece = np.zeros(2, dtype=np.uint32 if comm.rank == 1 else np.int64)
    with pytest.raises(TypeError, match="not supported"):
        ht.array(piece, is_split=0)


@pytest.mark.parametrize("is_split", [2, -3])
def test_array_is_split_out_of_range(is_split):
    with pytest.raises(ValueError, match=f"is_split={is_split} is out of range for a 2-d array"):
        ht.array(np.zeros((2, 2)), is_split=is_split)


@pytest.mark.parametrize("is_split", [0.5, True, "0"], ids=repr)
def test_array_is_split_of_non_integer_raises(is_split):
    with pytest.raises(TypeError, match="is_split"):
        ht.array(np.zeros((2, 2)), is_split=is_split)


def test_array_is_split_accepts_numpy_integers(comm):
    x = ht.array(np.ones((2, 3)), is_split=np.int64(-1))
    assert x.split == 1
    assert_eq(x, np.ones((2, 3 * comm.size)))


# ------------------------------------------------------------------------------ asarray
def test_asarray_shares_numpy_memory_without_copy():
    data = np.arange(5.0)
    x = ht.asarray(data, device="cpu")
    data[1] = 42.0
    assert x.larray[1].item() == 42.0


def test_asarray_returns_dndarray_itself():
    x = ht.arange(5, split=0)
    assert ht.asarray(x) is x
    assert ht.asarray(x, dtype=ht.int64) is x


@pytest.mark.parametrize("split", splits(2))
def test_asarray_converts_lists_and_dtypes(split):
    data = [[1, 2], [3, 4], [5, 6]]
    assert_eq(ht.asarray(data, split=split), np.asarray(data))
    assert_eq(ht.asarray(data, dtype=ht.float32, split=split), np.asarray(data, dtype=np.float32))


def test_asarray_copy_false_with_split_raises():
    with pytest.raises(ValueError, match="copy"):
        ht.asarray(np.zeros(4), copy=False, split=0)


@pytest.mark.parametrize("split", splits(1))
def test_asarray_is_split(split, comm):
    piece = np.arange(comm.rank + 1)
    if split is None:
        assert_eq(ht.asarray(piece), piece)
        return
    x = ht.asarray(piece, is_split=0)
    assert_eq(x, np.concatenate([np.arange(r + 1) for r in range(comm.size)]))


# ------------------------------------------------------------------------------ zeros, ones, empty, full
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", ["zeros", "ones"])
def test_zeros_ones_match_numpy(name, shape):
    for split in splits(len(shape)):
        x = getattr(ht, name)(shape, split=split)
        assert_eq(x, getattr(np, name)(shape))
        assert_balanced(x)


@pytest.mark.parametrize(
    "dtype", [ht.bool, ht.uint8, ht.int16, ht.int32, ht.float16, ht.float32, ht.complex64]
)
@pytest.mark.parametrize("name", ["zeros", "ones"])
def test_zeros_ones_with_dtype(name, dtype):
    x = getattr(ht, name)((3, 2), dtype=dtype, split=1)
    assert_eq(x, getattr(np, name)((3, 2), dtype=dtype.numpy))


@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
def test_bfloat16_factories(name):
    x = getattr(ht, name)((4,), dtype=ht.bfloat16, split=0)
    assert x.dtype == ht.bfloat16 and x.larray.dtype == torch.bfloat16
    assert_balanced(x)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_empty_allocates_the_balanced_block(shape):
    for split in splits(len(shape)):
        x = ht.empty(shape, split=split)
        assert x.gshape == np.empty(shape).shape
        assert x.dtype == np.empty(shape).dtype
        assert_balanced(x)


@pytest.mark.parametrize("shape", [3, [2, 3], (np.int64(2), 1), torch.Size([2, 2])], ids=repr)
def test_shape_spellings(shape):
    assert_eq(ht.zeros(shape), np.zeros(tuple(shape) if not isinstance(shape, int) else shape))


def test_negative_shape_raises_value_error():
    with pytest.raises(ValueError, match="negative"):
        ht.zeros((2, -1))


@pytest.mark.parametrize("shape", [2.5, (2, "a"), None])
def test_non_integer_shape_raises_type_error(shape):
    with pytest.raises(TypeError, match="shape"):
        ht.ones(shape)


@pytest.mark.parametrize(
    "fill",
    [3, 2.5, True, 1 - 1j, np.float32(1.5), np.int8(-3), np.array(4, dtype=np.int16), np.nan, -np.inf],
    ids=repr,
)
def test_full_infers_dtype_like_numpy(fill):
    for split in splits(2):
        x = ht.full((3, 2), fill, split=split)
        assert_eq(x, np.full((3, 2), fill))
        assert_balanced(x)


def test_full_fill_from_0d_dndarray_keeps_its_dtype():
    fill = ht.array(np.float32(2.5))
    assert_eq(ht.full((2, 2), fill), np.full((2, 2), np.float32(2.5)))


def test_full_fill_from_torch_scalar_tensor():
    assert_eq(ht.full((3,), torch.tensor(7, dtype=torch.int8)), np.full(3, np.int8(7)))


@pytest.mark.parametrize(
    ("fill", "dtype"), [(2.5, np.int64), (3, np.float32), (1, np.bool_), (0.5, np.complex64)]
)
def test_full_with_explicit_dtype(fill, dtype):
    assert_eq(ht.full((4,), fill, dtype=dtype, split=0), np.full(4, fill, dtype=dtype))


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_full_every_shape_and_split(shape):
    for split in splits(len(shape)):
        x = ht.full(shape, 7, split=split)
        assert_eq(x, np.full(shape, 7))
        assert_balanced(x)


@pytest.mark.parametrize("split", splits(2))
@pytest.mark.parametrize("dtype", [np.int32, np.complex128])
def test_like_factories_of_dndarray_keep_dtype_and_split(dtype, split):
    data = sample((5, 2), dtype)
    a = ht.array(data, split=split)
    for name in ("zeros_like", "ones_like"):
        x = getattr(ht, name)(a)
        assert_eq(x, getattr(np, name)(data))
        assert x.split == a.split
        assert_balanced(x)
    x = ht.full_like(a, 3)
    assert_eq(x, np.full_like(data, 3))
    assert x.split == a.split
    x = ht.empty_like(a)
    assert (x.gshape, x.dtype, x.split) == (a.gshape, a.dtype, a.split)
    assert_balanced(x)


@pytest.mark.parametrize("split", splits(2))
def test_like_factories_with_overrides(split):
    a = ht.zeros((4, 3), dtype=ht.int32)
    x = ht.ones_like(a, dtype=ht.float32, split=split)
    assert_eq(x, np.ones((4, 3), dtype=np.float32))
    assert x.split == split
    assert_balanced(x)
    assert_eq(ht.full_like(a, 2.5, dtype=ht.float64, split=split), np.full((4, 3), 2.5))


def test_full_like_of_int_array_truncates_float_fill_like_numpy():
    data = np.arange(4)
    assert_eq(ht.full_like(ht.array(data, split=0), 2.5), np.full_like(data, 2.5))


@pytest.mark.parametrize(
    "a", [np.zeros((2, 3), np.float32), [[1, 2, 3]], torch.ones(2, 2, dtype=torch.int16), 5], ids=repr
)
def test_like_factories_of_non_dndarrays(a):
    ref = np.asarray(a.numpy() if isinstance(a, torch.Tensor) else a)
    assert_eq(ht.zeros_like(a), np.zeros_like(ref))
    assert_eq(ht.ones_like(a), np.ones_like(ref))
    assert_eq(ht.full_like(a, 7), np.full_like(ref, 7))


# ------------------------------------------------------------------------------ arange
ARANGE_ARGS = [
    (5,),
    (0,),
    (-3,),
    (1,),
    (2, 10),
    (2, 10, 3),
    (10, 2, -3),
    (3, 1),
    (5, 5),
    (0, 1, 0.1),
    (0.1, 2, 0.2),
    (1, 0, -0.3),
    (-2.5, 3.7, 0.7),
    (0.5, 5.5),
    (2.5,),
    (1e10, 1e10 + 5),
]


@pytest.mark.parametrize("args", ARANGE_ARGS, ids=str)
def test_arange_matches_numpy(args):
    for split in splits(1):
        x = ht.arange(*args, split=split)
        assert_eq(x, np.arange(*args))
        assert_balanced(x)


@pytest.mark.parametrize("dtype", [np.int32, np.int8, np.float32, np.float64, np.float16, np.int64])
@pytest.mark.parametrize("args", [(7,), (2, 9, 2), (0, 3, 0.25), (0.5, 5, 1.5), (5, -1, -0.75)], ids=str)
def test_arange_with_dtype(args, dtype):
    x = ht.arange(*args, dtype=dtype, split=0)
    assert_eq(x, np.arange(*args, dtype=dtype))


def test_arange_with_numpy_and_0d_dndarray_arguments():
    assert_eq(ht.arange(np.int64(2), ht.array(8), np.int32(2)), np.arange(2, 8, 2))


def test_arange_step_zero_raises():
    with pytest.raises(ValueError, match="step"):
        ht.arange(0, 5, 0)


@pytest.mark.parametrize("args", [(), (1, 2, 3, 4)])
def test_arange_wrong_number_of_arguments(args):
    with pytest.raises(TypeError, match="arange"):
        ht.arange(*args)


@pytest.mark.parametrize("args", [(1j,), ("a",), (None,)], ids=str)
def test_arange_non_real_arguments(args):
    with pytest.raises(TypeError):
        ht.arange(*args)


# ------------------------------------------------------------------------------ linspace, logspace
LINSPACE_ARGS = [
    (0, 1, 5, True),
    (0, 1, 5, False),
    (-3, 7, 11, True),
    (2.5, -1.5, 7, True),
    (1, 1, 4, True),
    (0, 10, 0, True),
    (0, 10, 1, True),
    (0, 10, 1, False),
    (0, 10, 2, True),
    (0, 1, 50, True),
    (1e-3, 1e3, 9, False),
]


@pytest.mark.parametrize(("start", "stop", "num", "endpoint"), LINSPACE_ARGS, ids=str)
def test_linspace_matches_numpy(start, stop, num, endpoint):
    for split in splits(1):
        x = ht.linspace(start, stop, num, endpoint=endpoint, split=split)
        assert_eq(x, np.linspace(start, stop, num, endpoint=endpoint))
        assert_balanced(x)


@pytest.mark.parametrize(("start", "stop", "num", "endpoint"), LINSPACE_ARGS, ids=str)
def test_linspace_retstep_matches_numpy(start, stop, num, endpoint):
    x, step = ht.linspace(start, stop, num, endpoint=endpoint, retstep=True, split=0)
    want, want_step = np.linspace(start, stop, num, endpoint=endpoint, retstep=True)
    assert_eq(x, want)
    np.testing.assert_equal(step, want_step)


@pytest.mark.parametrize("dtype", [int, np.int32, np.float32, np.int8])
@pytest.mark.parametrize(
    ("start", "stop", "num"), [(0, 1, 7), (-5, 5, 7), (-2.5, 9.5, 10), (10, -10, 6)], ids=str
)
def test_linspace_with_dtype(start, stop, num, dtype):
    x = ht.linspace(start, stop, num, dtype=dtype, split=0)
    assert_eq(x, np.linspace(start, stop, num, dtype=dtype))


def test_linspace_complex():
    assert_eq(ht.linspace(0, 1 + 2j, 5, split=0), np.linspace(0, 1 + 2j, 5))


def test_linspace_negative_num_raises():
    with pytest.raises(ValueError, match="num"):
        ht.linspace(0, 1, -1)


@pytest.mark.parametrize(
    ("start", "stop", "num", "endpoint", "base"),
    [
        (0, 3, 4, True, 10.0),
        (0, 3, 4, False, 10.0),
        (-2, 2, 9, True, 2.0),
        (1, 1, 3, True, 10.0),
        (0, 1, 0, True, 10),
    ],
    ids=str,
)
def test_logspace_matches_numpy(start, stop, num, endpoint, base):
    for split in splits(1):
        x = ht.logspace(start, stop, num, endpoint=endpoint, base=base, split=split)
        assert_eq(x, np.logspace(start, stop, num, endpoint=endpoint, base=base), exact=False, rtol=1e-14)
        assert_balanced(x)


@pytest.mark.parametrize("dtype", [np.int64, np.float32])
def test_logspace_with_dtype(dtype):
    x = ht.logspace(0, 4, 5, dtype=dtype, split=0)
    assert_eq(x, np.logspace(0, 4, 5, dtype=dtype))


# ------------------------------------------------------------------------------ eye, identity
EYE_ARGS = [
    (3, None, 0),
    (3, 5, 0),
    (5, 3, 1),
    (4, 4, -2),
    (3, 3, 5),
    (2, 6, -1),
    (0, None, 0),
    (1, None, 0),
    (1, 4, 2),
]


@pytest.mark.parametrize(("n", "m", "k"), EYE_ARGS, ids=str)
def test_eye_matches_numpy(n, m, k):
    for split in splits(2):
        x = ht.eye(n, m, k=k, split=split)
        assert_eq(x, np.eye(n, m, k=k))
        assert_balanced(x)


@pytest.mark.parametrize("split", splits(2))
def test_eye_from_shape_pair_and_dtype(split):
    x = ht.eye((4, 6), k=2, dtype=ht.int32, split=split)
    assert_eq(x, np.eye(4, 6, k=2, dtype=np.int32))


def test_eye_with_bad_n_raises():
    with pytest.raises(ValueError, match="eye"):
        ht.eye((2, 3), 4)
    with pytest.raises(ValueError, match="negative"):
        ht.eye(-1)


@pytest.mark.parametrize("n", [0, 1, 2, 5])
def test_identity_matches_numpy(n):
    for split in splits(2):
        x = ht.identity(n, split=split)
        assert_eq(x, np.identity(n))
        assert_balanced(x)
        assert_eq(ht.identity(n, dtype=ht.bool, split=split), np.identity(n, dtype=bool))


# ------------------------------------------------------------------------------ meshgrid
@pytest.mark.parametrize("indexing", ["xy", "ij"])
@pytest.mark.parametrize("split_input", [None, 0, 1])
def test_meshgrid_two_inputs_matches_numpy(indexing, split_input):
    xs, ys = np.arange(4.0), np.array([10, 20, 30], dtype=np.int32)
    inputs = [
        ht.array(xs, split=0 if split_input == 0 else None),
        ht.array(ys, split=0 if split_input == 1 else None),
    ]
    outs = ht.meshgrid(*inputs, indexing=indexing)
    wants = np.meshgrid(xs, ys, indexing=indexing)
    assert len(outs) == len(wants)
    for out, want in zip(outs, wants, strict=True):
        assert_eq(out, want)
    if split_input is None:
        assert all(o.split is None for o in outs)
    else:
        axis = split_input if indexing == "ij" else 1 - split_input
        assert all(o.split == axis for o in outs)


@pytest.mark.parametrize("indexing", ["xy", "ij"])
@pytest.mark.parametrize("split_input", [None, 0, 1, 2])
def test_meshgrid_three_inputs_with_one_split(indexing, split_input):
    grids = [np.arange(2), np.arange(5) * 2.0, np.array([True, False, True])]
    inputs = [ht.array(g, split=0 if i == split_input else None) for i, g in enumerate(grids)]
    for out, want in zip(
        ht.meshgrid(*inputs, indexing=indexing), np.meshgrid(*grids, indexing=indexing), strict=True
    ):
        assert_eq(out, want)


@pytest.mark.parametrize("indexing", ["xy", "ij"])
def test_meshgrid_with_an_unbalanced_split_input(indexing, comm):
    xs, ys = np.arange(5) * 1.5, np.arange(3)
    x = distribute(xs, 0, random_counts(5, comm.size, 4))
    outs = ht.meshgrid(x, ht.array(ys), indexing=indexing)
    for out, want in zip(outs, np.meshgrid(xs, ys, indexing=indexing), strict=True):
        assert_eq(out, want)
        assert out.counts == x.counts


def test_meshgrid_single_input_and_lists():
    out = ht.meshgrid([1, 2, 3])
    (want,) = np.meshgrid([1, 2, 3])
    assert len(out) == 1
    assert_eq(out[0], want)
    assert ht.meshgrid() == []


def test_meshgrid_errors():
    with pytest.raises(ValueError, match="indexing"):
        ht.meshgrid(ht.arange(2), indexing="yx")
    with pytest.raises(ValueError, match="1-d"):
        ht.meshgrid(ht.zeros((2, 2)))
    with pytest.raises(ValueError, match="at most one"):
        ht.meshgrid(ht.arange(3, split=0), ht.arange(4, split=0))


# ------------------------------------------------------------------------------ from_dlpack
def test_from_dlpack_of_torch_tensor_shares_memory():
    t = torch.arange(6.0).reshape(2, 3)
    x = ht.from_dlpack(t, device="cpu")
    assert_eq(x, t.numpy())
    t[0, 0] = 50.0
    assert x.larray[0, 0].item() == 50.0


def test_from_dlpack_of_numpy_array():
    data = np.arange(5, dtype=np.int32)
    assert_eq(ht.from_dlpack(data), data)


@pytest.mark.parametrize("split", splits(2))
def test_from_dlpack_with_split_keeps_local_block(split):
    data = sample((5, 4))
    x = ht.from_dlpack(torch.from_numpy(data.copy()), split=split)
    assert_eq(x, data)
    assert_balanced(x)


def test_from_dlpack_of_a_dndarray():
    x = ht.arange(4)
    assert_eq(ht.from_dlpack(x), np.arange(4))


# ------------------------------------------------------------------------------ comm=
def test_factories_on_the_self_communicator_hold_everything_locally():
    x = ht.arange(7, split=0, comm=ht.MPI_SELF)
    y = ht.zeros((3, 5), split=1, comm=ht.MPI_SELF)
    assert x.comm is ht.MPI_SELF and x.lshape == (7,) and x.counts == (7,)
    assert y.lshape == (3, 5) and y.counts == (5,)
    np.testing.assert_array_equal(x.numpy(), np.arange(7))


def test_factories_accept_an_mpi4py_communicator(comm):
    x = ht.ones((5, 2), split=0, comm=comm.handle)
    assert x.comm == comm
    assert_eq(x, np.ones((5, 2)))
    assert_balanced(x)
    with pytest.raises(TypeError, match="comm"):
        ht.zeros(3, comm="world")


def test_distribute_helper_round_trip(comm):
    data = sample((6, 2))
    x = distribute(data, 0, random_counts(6, comm.size, 3))
    assert_eq(ht.array(x, split=1), data)
