"""Tests of the DNDarray class: metadata, conversions, views and in-place layout changes,
compared with NumPy on balanced and unbalanced layouts (empty blocks included)."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
import torch
from core_helpers import assert_eq, distribute, layouts, random_counts, splits

import heat as ht
from heat.comm import partition
from heat.core import layout

SHAPES = [(5,), (1,), (4, 3), (2, 3, 4), (0, 3), (3, 0)]
needs_gpu = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


def sample(shape: tuple[int, ...], dtype: object = np.float64) -> np.ndarray:
    values = np.arange(np.prod(shape, dtype=np.int64)).reshape(shape) * 3 % 11 - 4
    return values.astype(dtype)


def all_layouts(data: np.ndarray, comm: ht.Communicator) -> list[ht.DNDarray]:
    """``data`` in every split: balanced, random and everything-on-the-last-rank blocks."""
    out = list(layouts(data))
    for split in range(data.ndim):
        if comm.size > 1:
            counts = (0,) * (comm.size - 1) + (data.shape[split],)
            out.append(distribute(data, split, counts))
    return out


# ------------------------------------------------------------------------------ attributes
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_attributes_on_every_layout(shape, comm):
    data = sample(shape, np.float32)
    for x in all_layouts(data, comm):
        maps = comm.allgather_object(x.lshape_map.tolist())
        lshapes = comm.allgather_object(x.lshape)
        counts_everywhere = comm.allgather_object(x.counts)
        assert_eq(x, data)
        assert x.shape == x.gshape == data.shape
        assert x.ndim == data.ndim
        assert x.size == data.size and x.gnumel == data.size
        assert x.nbytes == data.nbytes
        assert x.lnumel == math.prod(x.lshape) == x.larray.numel()
        assert x.lnbytes == x.lnumel * 4
        assert x.dtype == ht.float32
        assert x.device == ht.get_device()
        assert x.comm == comm
        assert isinstance(x.larray, torch.Tensor) and tuple(x.larray.shape) == x.lshape
        # every rank holds the same layout map, and it describes the real blocks
        assert all(m == maps[0] for m in maps)
        assert maps[0] == [list(s) for s in lshapes]
        assert all(c == counts_everywhere[0] for c in counts_everywhere)
        if x.split is None:
            assert x.layout == ht.Replicate()
            assert x.is_balanced() and x.balanced
            assert not x.is_distributed()
        else:
            assert x.layout == ht.Split(x.split)
            assert x.counts == tuple(s[x.split] for s in lshapes)
            balanced = x.counts == partition.counts(data.shape[x.split], comm.size)
            assert x.is_balanced() == balanced == x.balanced
            assert x.is_balanced(force_check=True) == balanced
            assert x.is_distributed() == (comm.size > 1)
            assert x.counts_displs() == (x.counts, partition.displs(x.counts))


def test_unbalanced_layout_is_not_balanced(comm):
    data = sample((7, 2))
    x = distribute(data, 0, (0,) * (comm.size - 1) + (7,))
    assert x.is_balanced() == (comm.size == 1)
    assert x.lshape == ((7, 2) if comm.rank == comm.size - 1 else (0, 2))


@pytest.mark.parametrize("split", [0, 1])
def test_lshape_map_is_learnt_once_for_an_unrecorded_layout(split, comm):
    data = sample((5, 4))
    counts = random_counts(data.shape[split], comm.size, 7)
    local = torch.from_numpy(data[layout.local_slice(split, counts, comm.rank, 2)].copy())
    x = ht.DNDarray(local, data.shape, ht.float64, split, ht.cpu, comm)  # no counts given
    assert x.counts == counts
    want = np.array([data.shape] * comm.size)
    want[:, split] = counts
    np.testing.assert_array_equal(x.lshape_map.numpy(), want)
    np.testing.assert_array_equal(x.create_lshape_map(force_check=True).numpy(), want)
    assert_eq(x, data)


def test_balanced_constructor_flag(comm):
    x = ht.DNDarray(
        torch.zeros(partition.counts(5, comm.size)[comm.rank]),
        (5,),
        ht.float64,
        0,
        ht.cpu,
        comm,
        balanced=True,
    )
    assert x.counts == partition.counts(5, comm.size)
    assert x.is_balanced()


def test_counts_of_replicated_array(comm):
    assert ht.zeros((4, 2)).counts == (4,) * comm.size
    np.testing.assert_array_equal(ht.zeros((4, 2)).lshape_map.numpy(), [[4, 2]] * comm.size)


def test_zero_dimensional_attributes():
    x = ht.array(2.5)
    assert (x.shape, x.ndim, x.size, x.lshape, x.split, x.nbytes) == ((), 0, 1, (), None, 8)
    assert x.lshape_map.shape == (x.comm.size, 0)


# ------------------------------------------------------------------------------ T, mT, transpose
@pytest.mark.parametrize("shape", [(4, 3), (2, 3, 4), (5,), (1, 4)], ids=str)
def test_T_and_mT_match_numpy(shape, comm):
    data = sample(shape)
    for x in all_layouts(data, comm):
        assert_eq(x.T, data.T)
        if data.ndim >= 2:
            assert_eq(x.mT, np.swapaxes(data, -1, -2))
    if data.ndim < 2:
        with pytest.raises(ValueError, match="mT"):
            ht.array(data).mT


@pytest.mark.parametrize("axes", [None, (0, 1, 2), (2, 0, 1), (1, 2, 0), (-1, 0, -2), (0, 2, 1)], ids=str)
def test_transpose_with_axes_matches_numpy(axes, comm):
    data = sample((3, 4, 2))
    for x in all_layouts(data, comm):
        y = x.transpose(axes)
        assert_eq(y, np.transpose(data, axes))
        if x.split is not None:
            perm = list(range(3))[::-1] if axes is None else [a % 3 for a in axes]
            assert y.split == perm.index(x.split)


def test_transpose_of_0d_and_1d():
    assert_eq(ht.array(3).T, np.array(3).T)
    assert_eq(ht.arange(4, split=0).transpose(), np.arange(4))


@pytest.mark.parametrize("axes", [(0,), (0, 0), (0, 2), (1, -3), (0, 1, 2)], ids=str)
def test_transpose_rejects_non_permutations(axes):
    with pytest.raises(ValueError, match="permutation"):
        ht.zeros((2, 3), split=0).transpose(axes)


# ------------------------------------------------------------------------------ real, imag
@pytest.mark.parametrize("dtype", [np.complex64, np.complex128, np.float32, np.int16, np.bool_])
def test_real_and_imag_match_numpy(dtype, comm):
    data = (
        (sample((4, 3)) + 1j * sample((4, 3))[::-1]).astype(dtype)
        if np.dtype(dtype).kind == "c"
        else sample((4, 3), dtype)
    )
    for x in all_layouts(data, comm):
        assert_eq(x.real, data.real)
        assert_eq(x.imag, data.imag)


# ------------------------------------------------------------------------------ conversions
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_numpy_tolist_and_array_protocol(shape, comm):
    data = sample(shape, np.int32)
    for x in all_layouts(data, comm):
        got = x.numpy()
        as_list = x.tolist()
        via_protocol = np.asarray(x)
        via_protocol_f = np.asarray(x, dtype=np.float32)
        assert isinstance(got, np.ndarray)
        np.testing.assert_array_equal(got, data)
        assert got.dtype == data.dtype
        assert as_list == data.tolist()
        np.testing.assert_array_equal(via_protocol, data)
        assert via_protocol_f.dtype == np.float32
        np.testing.assert_array_equal(via_protocol_f, data.astype(np.float32))


@pytest.mark.parametrize("split", splits(2))
def test_numpy_and_array_results_never_share_memory(split):
    data = sample((3, 4))
    x = ht.array(data, split=split)
    got, via_array = x.numpy(), np.array(x)
    got[:] = -1.0
    via_array[:] = -2.0
    assert_eq(x, data)


def test_asarray_copy_false_views_a_replicated_array(comm):
    x = ht.arange(4.0, device="cpu")
    view = np.asarray(x, copy=False)
    view[0] = 7.0
    assert x.larray[0].item() == 7.0
    y = ht.arange(4.0, split=0)
    if comm.size > 1:
        with pytest.raises(ValueError, match="split over several ranks"):
            np.asarray(y, copy=False)
    with pytest.raises(ValueError, match="bfloat16"):
        np.asarray(x.astype(ht.bfloat16), copy=False)


def test_numpy_of_bfloat16_is_float32():
    x = ht.array(torch.tensor([1.5, -2.0], dtype=torch.bfloat16), split=0)
    got = x.numpy()
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, [1.5, -2.0])
    assert x.tolist() == [1.5, -2.0]


SIZE_ONE = [((), None), ((1,), None), ((1,), 0), ((1, 1), 0), ((1, 1), 1), ((1, 1, 1), 2)]


@pytest.mark.parametrize(("shape", "split"), SIZE_ONE, ids=str)
@pytest.mark.parametrize("dtype", [np.int64, np.float32, np.bool_, np.complex128, np.uint8])
def test_item_and_scalar_conversions(shape, split, dtype):
    data = np.full(shape, 3, dtype=dtype) if dtype is not np.complex128 else np.full(shape, 3 - 2j)
    x = ht.array(data, split=split)
    item = x.item()
    as_bool, as_complex = bool(x), complex(x)
    assert item == data.item() and type(item) is type(data.item())
    assert as_bool == bool(data)
    assert as_complex == complex(data.item())
    if dtype is not np.complex128:
        as_int, as_float = int(x), float(x)
        assert as_int == int(data.item()) and type(as_int) is int
        assert as_float == float(data.item()) and type(as_float) is float


@pytest.mark.parametrize("owner", ["first", "last"])
@pytest.mark.parametrize("shape", [(1,), (1, 1)], ids=str)
def test_item_broadcasts_from_the_owning_rank(owner, shape, comm):
    counts = (1,) + (0,) * (comm.size - 1) if owner == "first" else (0,) * (comm.size - 1) + (1,)
    data = np.full(shape, 4.25)
    x = distribute(data, 0, counts)
    item, as_float, as_int = x.item(), float(x), int(x)
    assert item == 4.25 and as_float == 4.25 and as_int == 4
    assert operator_index(ht.array(np.full(shape, 7), split=0)) == 7


def operator_index(x: ht.DNDarray) -> int:
    import operator

    return operator.index(x)


def test_index_of_float_array_raises():
    with pytest.raises(TypeError, match="integer"):
        [1, 2][ht.array(1.0)]


@pytest.mark.parametrize(
    ("shape", "split"), [((0,), None), ((0,), 0), ((3,), 0), ((2, 2), 1), ((2,), None)], ids=str
)
def test_scalar_conversion_of_size_other_than_one_raises_everywhere(shape, split):
    x = ht.zeros(shape, split=split)
    for conversion in (bool, int, float, complex):
        with pytest.raises(ValueError, match="elements"):
            conversion(x)


@pytest.mark.parametrize("shape", [(0,), (3,), (2, 2)], ids=str)
def test_item_of_size_other_than_one_raises(shape):
    with pytest.raises(ValueError, match="size-1"):
        ht.zeros(shape, split=0).item()


ASTYPE_PAIRS = [
    (np.bool_, np.float32),
    (np.bool_, np.int64),
    (np.uint8, np.int8),
    (np.int32, np.float16),
    (np.int64, np.bool_),
    (np.int64, np.complex64),
    (np.float16, np.float64),
    (np.float32, np.int32),
    (np.float64, np.uint8),
    (np.float64, np.float32),
    (np.complex64, np.complex128),
    (np.float32, np.bool_),
]


@pytest.mark.parametrize(("src", "dst"), ASTYPE_PAIRS, ids=str)
def test_astype_matches_numpy(src, dst, comm):
    data = np.abs(sample((4, 3))) * 1.75
    data = data.astype(src)
    for x in all_layouts(data, comm):
        y = x.astype(dst)
        assert_eq(y, data.astype(dst))
        assert y.split == x.split and y.counts == x.counts


@pytest.mark.parametrize("src", [np.float32, np.float64, np.int32, np.bool_, np.uint8])
def test_astype_to_and_from_bfloat16(src, comm):
    data = (np.abs(sample((5, 2))) * 1.5).astype(src)
    want = torch.from_numpy(data).to(torch.bfloat16)
    for x in all_layouts(data, comm):
        y = x.astype(ht.bfloat16)
        assert_eq(y, want.float().numpy(), dtype=ht.bfloat16)
        back = y.astype(src)
        assert_eq(back, want.to(torch.from_numpy(data).dtype).numpy())


def test_astype_copy_false_same_dtype_returns_self():
    x = ht.arange(4, split=0)
    assert x.astype(ht.int64, copy=False) is x
    y = x.astype(ht.int64)
    assert y is not x
    y.larray += 1
    assert_eq(x, np.arange(4))


@pytest.mark.parametrize("copier", [ht.DNDarray.copy, copy.copy, copy.deepcopy], ids=lambda f: f.__qualname__)
def test_copy_is_independent(copier, comm):
    data = sample((5, 3))
    for x in all_layouts(data, comm):
        y = copier(x)
        assert y is not x
        y.larray += 100
        assert_eq(x, data)
        assert_eq(y, data + 100)
        assert y.counts == x.counts


def test_len_and_len_of_0d(comm):
    for x in all_layouts(sample((4, 2)), comm):
        assert len(x) == 4
    assert len(ht.zeros((0, 3), split=1)) == 0
    with pytest.raises(TypeError, match="0-d"):
        len(ht.array(1))


@pytest.mark.parametrize("shape", [(4, 3), (5,), (2, 3, 2), (0, 2), (1, 3)], ids=str)
def test_iteration_yields_numpy_rows(shape, comm):
    data = sample(shape)
    for x in all_layouts(data, comm):
        rows = list(x)
        assert len(rows) == len(data)
        for row, want in zip(rows, data, strict=True):
            assert_eq(row, want)


def test_iteration_over_0d_raises():
    with pytest.raises(TypeError, match="0-d"):
        iter(ht.array(1.0)).__next__()


def test_array_namespace_is_heat():
    assert ht.zeros(2).__array_namespace__() is ht
    assert ht.zeros(2, split=0).__array_namespace__(api_version="2023.12") is ht


# ------------------------------------------------------------------------------ larray setter
@pytest.mark.parametrize("split", splits(2))
def test_larray_setter_with_the_same_shape(split):
    data = sample((4, 3))
    x = ht.array(data, split=split)
    x.larray = x.larray * 2
    assert_eq(x, data * 2)
    x.larray = x.larray.to(torch.float32)
    assert_eq(x, (data * 2).astype(np.float32))


@pytest.mark.parametrize("split", splits(2))
def test_larray_setter_wrong_non_split_shape_raises(split):
    x = ht.zeros((4, 3), split=split)
    with pytest.raises(ValueError, match="only the length along split"):
        x.larray = torch.zeros(4, 5) if split != 1 else torch.zeros(3, x.lshape[1])
    with pytest.raises(ValueError, match="only the length along split"):
        x.larray = torch.zeros(x.lshape[0])
    with pytest.raises(TypeError, match=r"torch\.Tensor"):
        x.larray = np.zeros(x.lshape)
    with pytest.raises(TypeError, match="not supported"):
        x.larray = torch.zeros(x.lshape, dtype=torch.uint16)


@needs_gpu
def test_larray_setter_block_on_another_device_raises():
    x = ht.zeros((4, 3), split=0, device="cpu")
    with pytest.raises(ValueError, match="is on cuda"):
        x.larray = x.larray.cuda()


@pytest.mark.parametrize("split", [0, 1])
def test_larray_setter_changing_block_lengths_is_collective(split, comm):
    x = ht.zeros((3, 2) if split == 0 else (2, 3), split=split)

    def block(r: int) -> np.ndarray:
        shape = [2, 2]
        shape[split] = r  # rank 0 empties its block; rank 1 keeps its length (1 of 3)
        return np.full(shape, float(r))

    x.larray = torch.from_numpy(block(comm.rank))
    assert_eq(x, np.concatenate([block(r) for r in range(comm.size)], axis=split))
    assert x.counts == tuple(range(comm.size))


@pytest.mark.mpi(min_size=2)
def test_larray_setter_bad_shape_on_one_rank_raises_everywhere(comm):
    x = ht.zeros((4, 3), split=0)
    new = torch.zeros(x.lshape[0], 5 if comm.rank == 1 else 3)
    with pytest.raises(ValueError, match="only the length along split"):
        x.larray = new


# ------------------------------------------------------------------------------ in-place layout changes
def test_resplit_in_place(comm):
    data = sample((5, 4))
    x = distribute(data, 0, random_counts(5, comm.size, 1))
    same = x.resplit_(1)
    assert same is x
    assert x.split == 1
    assert_eq(x, data)
    assert x.is_balanced()
    x.resplit_(None)
    assert x.split is None
    assert_eq(x, data)


def test_balance_in_place(comm):
    data = sample((7, 2))
    x = distribute(data, 0, (0,) * (comm.size - 1) + (7,))
    assert x.balance_() is x
    assert x.counts == partition.counts(7, comm.size)
    assert_eq(x, data)


def test_redistribute_in_place(comm):
    data = sample((2, 6))
    x = ht.array(data, split=1)
    target = random_counts(6, comm.size, 5)
    assert x.redistribute_(target_map=target) is x
    assert x.counts == target
    assert_eq(x, data)
    shape_map = x.lshape_map.clone()
    shape_map[:, 1] = torch.tensor(partition.counts(6, comm.size))
    x.redistribute_(lshape_map=x.lshape_map, target_map=shape_map)
    assert x.is_balanced()
    assert_eq(x, data)


# ------------------------------------------------------------------------------ halos
@pytest.mark.parametrize("halo", [1, 2])
@pytest.mark.parametrize(
    ("shape", "split"), [((10,), 0), ((7, 3), 0), ((2, 8), 1), ((3,), 0), ((2, 3, 5), 2)], ids=str
)
def test_get_halo_and_array_with_halos_match_numpy_slices(shape, split, halo, comm):
    data = sample(shape)
    n = shape[split]
    variants = [None, random_counts(n, comm.size, 11), (n,) + (0,) * (comm.size - 1)]
    for counts in variants:
        x = distribute(data, split, counts)
        x.get_halo(halo)
        mine = x.counts
        start = sum(mine[: comm.rank])
        stop = start + mine[comm.rank]

        def piece(lo, hi):
            key = [slice(None)] * len(shape)
            key[split] = slice(lo, hi)
            return data[tuple(key)]

        lo, hi = max(0, start - halo), min(n, stop + halo)
        np.testing.assert_array_equal(x.array_with_halos.numpy(), piece(lo, hi))
        if comm.size == 1 or start == 0:
            assert x.halo_prev is None
        else:
            np.testing.assert_array_equal(x.halo_prev.numpy(), piece(lo, start))
        if comm.size == 1 or stop == n:
            assert x.halo_next is None
        else:
            np.testing.assert_array_equal(x.halo_next.numpy(), piece(stop, hi))


def test_layout_changes_in_place_drop_stale_halos(comm):
    x = ht.arange(10, split=0)
    x.get_halo(1)
    x.resplit_(None)
    assert x.halo_prev is None and x.halo_next is None
    np.testing.assert_array_equal(x.array_with_halos.numpy(), np.arange(10))


def test_array_with_halos_of_replicated_array_is_the_block():
    x = ht.arange(5)
    x.get_halo(1)
    assert x.array_with_halos is x.larray


def test_get_halo_rejects_negative_size():
    with pytest.raises(ValueError, match="halo_size"):
        ht.arange(5, split=0).get_halo(-1)


# ------------------------------------------------------------------------------ DLPack
@pytest.mark.parametrize("shape", [(4, 3), (), (0,)], ids=str)
def test_dlpack_of_replicated_array_shares_memory(shape):
    x = ht.array(sample(shape))
    t = torch.from_dlpack(x)
    np.testing.assert_array_equal(t.cpu().numpy(), sample(shape))
    assert t.data_ptr() == x.larray.data_ptr()
    assert x.__dlpack_device__() == x.larray.__dlpack_device__()


def test_dlpack_of_distributed_array(comm):
    x = ht.arange(6, split=0)
    if comm.size > 1:
        with pytest.raises(BufferError, match="split over several ranks"):
            torch.from_dlpack(x)
    else:
        np.testing.assert_array_equal(torch.from_dlpack(x).numpy(), np.arange(6))


# ------------------------------------------------------------------------------ devices
def test_to_device_same_device_returns_self():
    x = ht.arange(3, split=0)
    assert x.to_device(x.device) is x
