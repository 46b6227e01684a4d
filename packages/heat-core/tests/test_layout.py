"""Layouts are values; block geometry is pure (no MPI needed)."""

from __future__ import annotations

import numpy as np
import pytest

from heat.core import layout
from heat.core.layout import Partial, Replicate, Split


def test_layouts_are_hashable_values_with_compact_names() -> None:
    assert Split(0) == Split(0) != Split(1)
    assert len({Split(0), Split(0), Replicate(), Replicate(), Partial("sum"), Partial("max")}) == 4
    assert [str(v) for v in (Split(2), Replicate(), Partial("max"))] == ["S(2)", "R", "P(max)"]
    assert repr(Split(1)) == "Split(axis=1)"
    assert layout.as_layout(None) == Replicate() and layout.as_layout(1) == Split(1)


@pytest.mark.parametrize("ndim", [0, 1, 3])
def test_normalize_split_accepts_negative_axes_and_rejects_the_rest(ndim: int) -> None:
    assert layout.normalize_split(None, ndim) is None
    for axis in range(-ndim, ndim):
        assert layout.normalize_split(axis, ndim) == axis % ndim
        assert layout.normalize_split(np.int64(axis), ndim) == axis % ndim
    with pytest.raises(ValueError, match=f"split={ndim} is out of range for a {ndim}-d array"):
        layout.normalize_split(ndim, ndim)
    with pytest.raises(TypeError, match="split must be an int or None"):
        layout.normalize_split(1.0, ndim)
    with pytest.raises(TypeError):
        layout.normalize_split(True, ndim)


@pytest.mark.parametrize("n", [0, 1, 5, 10])
@pytest.mark.parametrize("p", [1, 3, 4])
def test_local_slices_tile_the_axis_like_array_split(n: int, p: int) -> None:
    counts = layout.balanced_counts(n, p)
    expect = np.array_split(np.arange(n), p)
    data = np.arange(2 * n).reshape(2, n)
    for rank in range(p):
        key = layout.local_slice(1, counts, rank, 2)
        np.testing.assert_array_equal(data[key][0], expect[rank])
        assert layout.local_shape((2, n), 1, counts, rank) == data[key].shape
    assert layout.offsets(counts) == tuple(np.cumsum([0, *counts[:-1]]))


@pytest.mark.parametrize("seed", range(6))
def test_overlap_counts_move_every_element_exactly_once(seed: int) -> None:
    rng = np.random.default_rng(seed)
    p = int(rng.integers(1, 6))
    n = int(rng.integers(0, 20))
    src = np.diff(np.concatenate([[0], np.sort(rng.integers(0, n + 1, p - 1)), [n]]))
    dst = np.diff(np.concatenate([[0], np.sort(rng.integers(0, n + 1, p - 1)), [n]]))
    moves = np.array([layout.overlap_counts(tuple(src), tuple(dst), r) for r in range(p)])
    np.testing.assert_array_equal(moves.sum(axis=1), src)  # every rank sends all it has
    np.testing.assert_array_equal(moves.sum(axis=0), dst)  # every rank gets its target
    # global order is kept: rank r's pieces, in rank order, are consecutive global indices
    owner_src = np.repeat(np.arange(p), src)
    owner_dst = np.repeat(np.arange(p), dst)
    for r in range(p):
        for q in range(p):
            assert moves[r, q] == np.count_nonzero((owner_src == r) & (owner_dst == q))
