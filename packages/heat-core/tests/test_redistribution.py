"""resplit, redistribute, balance, align and halos against NumPy, for every layout."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from core_helpers import assert_eq, distribute, layouts, random_counts, splits

import heat as ht
from heat.core import layout

SHAPES = [(7, 5), (2, 3, 4), (1, 4), (0, 3), (5,)]


def data(shape: tuple[int, ...], dtype: str = "float32") -> np.ndarray:
    return np.arange(int(np.prod(shape)), dtype=dtype).reshape(shape) * 0.5 - 3


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_resplit_from_every_layout_to_every_split(shape: tuple[int, ...]) -> None:
    full = data(shape)
    for x in layouts(full, seed=3):
        before = x.numpy()
        for axis in splits(len(shape)):
            y = ht.resplit(x, axis)
            assert y.split == axis
            assert y.is_balanced()
            assert_eq(y, full)
        np.testing.assert_array_equal(x.numpy(), before)  # input untouched


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int16", "int64", "float16", "float64", "complex64"])
def test_resplit_every_dtype(dtype: str) -> None:
    full = (data((5, 4), "float64") * 3).astype(dtype)
    x = distribute(full, 0)
    assert_eq(ht.resplit(x, 1), full)
    assert_eq(x.resplit(None), full)


def test_resplit_bfloat16_keeps_the_dtype() -> None:
    x = ht.array(data((4, 6)), dtype=ht.bfloat16, split=1)
    y = ht.resplit(x, 0)
    assert y.dtype == ht.bfloat16
    np.testing.assert_array_equal(y.numpy(), x.numpy())


def test_resplit_in_place_and_negative_axis() -> None:
    full = data((3, 4, 5))
    x = distribute(full, 0)
    assert x.resplit_(-1) is x
    assert x.split == 2
    assert_eq(x, full)
    with pytest.raises(ValueError, match="split=3 is out of range for a 3-d array"):
        x.resplit_(3)


def test_resplit_to_the_same_split_copies() -> None:
    x = ht.arange(6, split=0)
    y = ht.resplit(x, 0)
    y.larray += 1
    assert_eq(x, np.arange(6))


@pytest.mark.parametrize("shape", [(9, 2), (2, 9), (4,)], ids=str)
def test_redistribute_to_random_layouts_and_back(shape: tuple[int, ...], comm: ht.Communicator) -> None:
    full = data(shape)
    for split in range(len(shape)):
        x = distribute(full, split, random_counts(shape[split], comm.size, 11))
        for seed in range(3):
            target = random_counts(shape[split], comm.size, 100 + seed)
            y = ht.redistribute(x, target)
            assert y.counts == target
            assert y.lshape == layout.local_shape(shape, split, target, comm.rank)
            assert_eq(y, full)
        shape_map = x.lshape_map.clone()
        shape_map[:, split] = torch.tensor(random_counts(shape[split], comm.size, 7))
        z = x.redistribute(shape_map)
        assert z.lshape_map.tolist() == shape_map.tolist()
        assert_eq(z, full)
        b = ht.balance(x)
        assert b.is_balanced()
        assert_eq(b, full)
        assert x.balance_() is x and x.is_balanced()
        assert_eq(x, full)


def test_redistribute_rejects_bad_targets_on_every_rank(comm: ht.Communicator) -> None:
    x = ht.zeros((5, 2), split=0)
    with pytest.raises(ValueError, match=r"must be .* summing to 5"):
        ht.redistribute(x, [5] * comm.size + [1])
    with pytest.raises(ValueError, match="summing to 5"):
        ht.redistribute(x, [6] + [0] * (comm.size - 1))
    bad_map = x.lshape_map.clone()
    bad_map[:, 1] = 3
    with pytest.raises(ValueError, match="only change the sizes along the split axis"):
        ht.redistribute(x, bad_map)
    with pytest.raises(ValueError, match="not split"):
        ht.redistribute(ht.zeros(3), [3] * comm.size)


def test_redistribute_of_a_replicated_array_copies() -> None:
    x = ht.arange(4)
    y = ht.redistribute(x)
    assert y.split is None and y.larray.data_ptr() != x.larray.data_ptr()
    assert_eq(y, np.arange(4))


BROADCAST_PAIRS = [
    ((6, 4), (6, 4)),
    ((6, 4), (4,)),
    ((6, 1), (1, 5)),
    ((3, 1, 4), (5, 4)),
    ((1, 4), (6, 4)),
    ((6, 4), ()),
]


@pytest.mark.parametrize(("sa", "sb"), BROADCAST_PAIRS, ids=str)
def test_align_gives_blocks_that_broadcast_like_the_global_arrays(
    sa: tuple[int, ...], sb: tuple[int, ...], comm: ht.Communicator
) -> None:
    fa, fb = data(sa), data(sb, "float64") + 100
    expected = fa + fb
    for a in layouts(fa, seed=1):
        for b in layouts(fb, seed=2):
            a2, b2 = ht.align(a, b)
            assert_eq(a2, fa)
            assert_eq(b2, fb)
            local = a2.larray + b2.larray  # the local op must now be the right block
            split = next((s for s in (a2, b2) if s.split is not None and s.ndim == len(expected.shape)), None)
            if split is None:
                assert a2.split is None or a2.gshape[a2.split] == 1 or expected.ndim != a2.ndim
                if a2.split is None and b2.split is None:
                    np.testing.assert_array_equal(local.numpy(), expected)
            else:
                key = layout.local_slice(split.split, split.counts, comm.rank, expected.ndim)
                np.testing.assert_array_equal(local.numpy(), expected[key])


def test_align_moves_the_smaller_operand(comm: ht.Communicator) -> None:
    big = ht.zeros((8, 6), split=0)
    small = ht.ones((8, 6), dtype=ht.float16, split=1)
    a, b = ht.align(big, small)
    assert a is big and b.split == 0 and b.counts == big.counts
    c, d = ht.align(small, big)
    assert d is big and c.split == 0
    uneven = distribute(np.zeros((8, 6)), 0, random_counts(8, comm.size, 5))
    e, f = ht.align(uneven, ht.ones((8, 6), dtype=ht.float32, split=0))
    assert e is uneven and f.counts == uneven.counts


@pytest.mark.parametrize("halo", [1, 2, 4])
@pytest.mark.parametrize("shape", [(9, 3), (3, 7)], ids=str)
def test_halos_match_numpy_slices_for_any_layout(
    halo: int, shape: tuple[int, ...], comm: ht.Communicator
) -> None:
    full = data(shape)
    for split in range(2):
        n = shape[split]
        for counts in (None, random_counts(n, comm.size, 4)):
            x = distribute(full, split, counts)
            prev, nxt = ht.get_halo(x, halo)
            start = layout.offsets(x.counts)[comm.rank]
            stop = start + x.counts[comm.rank]
            take = np.take
            if start == 0:
                assert prev is None
            else:
                np.testing.assert_array_equal(
                    prev.numpy(), take(full, range(max(0, start - halo), start), split)
                )
            if stop == n:
                assert nxt is None
            else:
                np.testing.assert_array_equal(
                    nxt.numpy(), take(full, range(stop, min(n, stop + halo)), split)
                )


def test_halo_of_a_replicated_array_is_empty_and_bad_sizes_fail() -> None:
    assert ht.get_halo(ht.zeros(4), 1) == (None, None)
    with pytest.raises(ValueError, match="halo_size must be a non-negative int"):
        ht.get_halo(ht.zeros(4, split=0), -1)
