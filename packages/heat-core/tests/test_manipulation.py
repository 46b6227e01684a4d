"""Shape manipulation against NumPy: every function x split (None, each axis, balanced and random
unbalanced blocks) at 1-3 processes, empty blocks, 0-d arrays; collectives counted where the split
axis is untouched."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from core_helpers import assert_eq, distribute, layout_of, layouts

import heat as ht


def _data(shape: tuple[int, ...], dtype: str = "int64") -> np.ndarray:
    return (np.arange(int(np.prod(shape))).reshape(shape) * 3 % 17).astype(dtype)


def _check_all(data: np.ndarray, fn: Callable[[Any], Any], seed: int = 0) -> None:
    """``fn`` on every layout of ``data`` against ``fn`` on the NumPy array."""
    expected = fn(data)
    for x in layouts(data, seed):
        got = fn(x)
        if isinstance(expected, list | tuple):
            assert len(got) == len(expected), layout_of(x)
            for g, e in zip(got, expected, strict=True):
                assert_eq(g, e)
        else:
            assert_eq(got, expected)


# ---------------------------------------------------------------------- reshape
RESHAPES = [
    ((12,), (3, 4)),
    ((3, 4), (12,)),
    ((3, 4), (2, 6)),
    ((2, 3, 4), (4, 6)),
    ((2, 3, 4), (6, -1)),
    ((4, 6), (2, 2, 6)),
    ((4, 6), (2, 3, 2, 2)),
    ((5, 3), (3, 5)),
    ((7,), (7, 1)),
    ((1, 7), (7,)),
    ((2, 1), (1, 2)),
    ((0, 3), (3, 0)),
    ((6, 1), (2, 3)),
    ((1,), ()),
    ((), (1, 1)),
]


@pytest.mark.parametrize(("old", "new"), RESHAPES, ids=str)
def test_reshape_every_layout_and_target_split(old: tuple[int, ...], new: tuple[int, ...]) -> None:
    data = _data(old)
    expected = data.reshape(new)
    for x in layouts(data, seed=len(old)):
        assert_eq(ht.reshape(x, new), expected)
        for t in range(expected.ndim):
            y = ht.reshape(x, new, new_split=t)
            assert y.split == t, layout_of(x)
            assert_eq(y, expected)


@pytest.mark.parametrize("dtype", ["bool", "complex64"])
def test_reshape_every_plan(dtype: str) -> None:
    data = _data((4, 3, 5), dtype)
    cases = [
        ((4, 15), 1),  # same rows (P == P' = 4), columns move
        ((60,), 0),  # result blocks are flat ranges (P' = 1)
        ((2, 6, 5), 2),  # neither: through the flat layout
        ((12, 5), 1),  # P = 4 != P' = 12
    ]
    for x in layouts(data, seed=3):
        for shape, t in cases:
            assert_eq(ht.reshape(x, shape, new_split=t), data.reshape(shape))
    flat = _data((60,), dtype)
    for x in layouts(flat, seed=4):
        for shape, t in (((5, 12), 1), ((3, 4, 5), 2), ((6, 10), 0)):  # P == 1, packed by window
            assert_eq(ht.reshape(x, shape, new_split=t), flat.reshape(shape))


def test_reshape_method_forms_and_errors() -> None:
    x = ht.arange(12, split=0)
    assert_eq(x.reshape(3, 4), np.arange(12).reshape(3, 4))
    assert_eq(x.reshape((2, -1), new_split=1), np.arange(12).reshape(2, 6))
    with pytest.raises(ValueError, match="cannot reshape array of size 12"):
        ht.reshape(x, (5, -1))
    with pytest.raises(ValueError, match="one -1"):
        ht.reshape(x, (-1, -1))
    with pytest.raises(ValueError, match="order"):
        ht.reshape(x, (3, 4), order="F")
    with pytest.raises(ValueError, match="out of range"):
        ht.reshape(x, (3, 4), new_split=2)
    if x.comm.size > 1:
        with pytest.raises(ValueError, match="copy=False"):
            ht.reshape(ht.zeros((4, 3), split=1), (12,), copy=False)


def test_reshape_keeping_blocks_communicates_nothing(collective_calls: list[str]) -> None:
    x = ht.zeros((6, 4), split=0)
    y = ht.reshape(x, (6, 2, 2))
    z = ht.reshape(x, (24,))
    w = ht.reshape(ht.zeros((3, 12), split=1), (3, 6, 2), new_split=1)  # even column blocks stay
    ravelled = ht.ravel(ht.zeros((5, 3), split=0))
    assert collective_calls == [], collective_calls
    assert (y.split, z.split, ravelled.split) == (0, 0, 0)
    assert w.split == 1


def test_reshape_moves_data_with_one_alltoallv(collective_calls: list[str]) -> None:
    x = ht.zeros((6, 5), split=1)
    ht.reshape(x, (10, 3), new_split=0)
    assert collective_calls == ([] if x.comm.size == 1 else ["alltoallv"]), collective_calls
    data = _data((6, 10))
    z = distribute(data, 1)
    calls = len(collective_calls)
    y = ht.reshape(z, (10, 6), new_split=1)  # neither side's blocks are flat ranges: still one exchange
    assert collective_calls[calls:] == ([] if x.comm.size == 1 else ["alltoallv"]), collective_calls
    assert_eq(y, data.reshape(10, 6))


@pytest.mark.parametrize("shape", [(3, 4, 2), (5,), (0, 2), ()], ids=str)
def test_ravel_flatten(shape: tuple[int, ...]) -> None:
    data = _data(shape)
    _check_all(data, ht.ravel)
    _check_all(data, ht.flatten)
    _check_all(data, lambda x: x.ravel())
    x = distribute(data, 0 if shape else None)
    flat = x.flatten()
    flat.larray.fill_(1)
    assert_eq(x, data)  # flatten copies


# ---------------------------------------------------------------------- axis permutations
def test_axis_permutations_are_local(collective_calls: list[str]) -> None:
    data = _data((2, 3, 4))
    for x in layouts(data, seed=1):
        calls = len(collective_calls)
        got = [
            ht.transpose(x),
            ht.transpose(x, (1, 2, 0)),
            ht.permute_dims(x, (2, 0, 1)),
            ht.moveaxis(x, 0, -1),
            ht.moveaxis(x, (0, 1), (2, 0)),
            ht.swapaxes(x, 0, 2),
            x.swapaxes(1, -1),
            x.moveaxis(2, 0),
        ]
        want = [
            np.transpose(data),
            np.transpose(data, (1, 2, 0)),
            np.permute_dims(data, (2, 0, 1)),
            np.moveaxis(data, 0, -1),
            np.moveaxis(data, (0, 1), (2, 0)),
            np.swapaxes(data, 0, 2),
            np.swapaxes(data, 1, -1),
            np.moveaxis(data, 2, 0),
        ]
        assert collective_calls[calls:] == []
        for g, w in zip(got, want, strict=True):
            assert_eq(g, w)
    assert_eq(ht.transpose(ht.array(5)), np.transpose(np.array(5)))
    with pytest.raises(np.exceptions.AxisError):
        ht.moveaxis(ht.zeros((2, 3)), 2, 0)
    with pytest.raises(ValueError, match="same number"):
        ht.moveaxis(ht.zeros((2, 3)), (0, 1), 0)


# ---------------------------------------------------------------------- adding and removing axes
@pytest.mark.parametrize("axis", [0, -1, (0, 2), (1, 3, 0)], ids=str)
def test_expand_dims(axis: Any) -> None:
    data = _data((3, 2))
    _check_all(
        data, lambda x: ht.expand_dims(x, axis) if isinstance(x, ht.DNDarray) else np.expand_dims(x, axis)
    )
    assert_eq(ht.expand_dims(ht.array(4), 0), np.expand_dims(np.array(4), 0))


@pytest.mark.parametrize("axis", [None, 0, 2, (0, 3), -1], ids=str)
def test_squeeze(axis: Any) -> None:
    data = _data((1, 3, 1, 1))
    _check_all(data, lambda x: ht.squeeze(x, axis) if isinstance(x, ht.DNDarray) else np.squeeze(x, axis))
    _check_all(_data((1, 1)), lambda x: x.squeeze())
    with pytest.raises(ValueError, match="squeeze"):
        ht.squeeze(ht.zeros((2, 1), split=0), 0)


def test_squeeze_and_expand_dims_of_other_axes_are_local(collective_calls: list[str]) -> None:
    x = ht.zeros((1, 5, 1), split=1)
    assert ht.squeeze(x).split == 0
    assert ht.expand_dims(x, (0, -1)).split == 2
    assert ht.atleast_3d(ht.zeros(4, split=0)).split == 1
    assert collective_calls == []


@pytest.mark.parametrize("shape", [(), (4,), (2, 3), (2, 3, 2)], ids=str)
def test_atleast(shape: tuple[int, ...]) -> None:
    data = _data(shape)
    for fn, ref in (
        (ht.atleast_1d, np.atleast_1d),
        (ht.atleast_2d, np.atleast_2d),
        (ht.atleast_3d, np.atleast_3d),
    ):
        for x in layouts(data):
            assert_eq(fn(x), ref(data))
        a, b = fn(ht.array(data), ht.array(data))
        assert_eq(a, ref(data))
        assert_eq(b, ref(data))


# ---------------------------------------------------------------------- broadcasting
@pytest.mark.parametrize(
    ("shape", "target"),
    [((3,), (2, 3)), ((2, 1), (2, 4)), ((1, 3), (4, 2, 3)), ((), (2, 2)), ((1,), (3,))],
    ids=str,
)
def test_broadcast_to(shape: tuple[int, ...], target: tuple[int, ...]) -> None:
    _check_all(
        _data(shape),
        lambda x: ht.broadcast_to(x, target) if isinstance(x, ht.DNDarray) else np.broadcast_to(x, target),
    )


def test_broadcast_arrays_and_errors(collective_calls: list[str]) -> None:
    a, b = _data((4, 1)), _data((3,))
    for x in layouts(a):
        for y in layouts(b):
            got = ht.broadcast_arrays(x, y)
            want = np.broadcast_arrays(a, b)
            assert_eq(got[0], want[0])
            assert_eq(got[1], want[1])
    with pytest.raises(ValueError, match="cannot broadcast"):
        ht.broadcast_to(ht.zeros(3), (4,))
    with pytest.raises(ValueError, match="cannot be broadcast"):
        ht.broadcast_arrays(ht.zeros(3), ht.zeros(4))
    calls = len(collective_calls)
    assert ht.broadcast_to(ht.zeros((5, 1), split=0), (2, 5, 3)).split == 1
    assert collective_calls[calls:] == []


# ---------------------------------------------------------------------- reordering
@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 2)], ids=str)
def test_flip(axis: Any) -> None:
    _check_all(
        _data((5, 2, 3)), lambda x: ht.flip(x, axis) if isinstance(x, ht.DNDarray) else np.flip(x, axis)
    )


def test_flip_variants_and_0d() -> None:
    data = _data((4, 3))
    _check_all(data, lambda x: ht.fliplr(x) if isinstance(x, ht.DNDarray) else np.fliplr(x))
    _check_all(data, lambda x: ht.flipud(x) if isinstance(x, ht.DNDarray) else np.flipud(x))
    _check_all(_data((2, 5)), lambda x: x.flip(1) if isinstance(x, ht.DNDarray) else np.flip(x, 1))
    assert_eq(ht.flip(ht.array(3)), np.flip(np.array(3)))
    with pytest.raises(ValueError, match="2-d"):
        ht.fliplr(ht.zeros(3))


def test_flip_and_roll_of_other_axes_are_local(collective_calls: list[str]) -> None:
    x = ht.zeros((6, 4), split=0)
    ht.flip(x, 1)
    ht.roll(x, 3, 1)
    ht.tile(x, (1, 3))
    ht.repeat(x, 2, axis=0)
    ht.pad(x, ((1, 2), (0, 1)))
    ht.sliding_window_view(x, 2, axis=1)
    ht.unfold(x, 1, 2, 2)
    ht.concatenate([x, ht.ones((6, 1))], axis=1)
    assert collective_calls == []


@pytest.mark.parametrize("shift", [-7, 2, 13, (1, -2)], ids=str)
@pytest.mark.parametrize("axis", [None, 0, 1], ids=str)
def test_roll(shift: Any, axis: Any) -> None:
    if isinstance(shift, tuple) and not isinstance(axis, tuple):
        axis = (0, 1) if axis is None else (axis, axis)
    data = _data((5, 3))
    _check_all(
        data, lambda x: ht.roll(x, shift, axis) if isinstance(x, ht.DNDarray) else np.roll(x, shift, axis)
    )


def test_roll_edge_cases() -> None:
    assert_eq(ht.roll(ht.array(3), 1), np.roll(np.array(3), 1))
    _check_all(_data((0, 2)), lambda x: ht.roll(x, 1, 0) if isinstance(x, ht.DNDarray) else np.roll(x, 1, 0))
    _check_all(_data((2,)), lambda x: x.roll(5) if isinstance(x, ht.DNDarray) else np.roll(x, 5))


@pytest.mark.parametrize(
    ("k", "axes"),
    [(1, (0, 1)), (2, (0, 1)), (3, (0, 1)), (-1, (1, 0)), (0, (0, 2)), (5, (0, 2)), (1, (2, 1))],
    ids=str,
)
def test_rot90(k: int, axes: tuple[int, int]) -> None:
    _check_all(
        _data((3, 2, 4)),
        lambda x: ht.rot90(x, k, axes) if isinstance(x, ht.DNDarray) else np.rot90(x, k, axes),
    )


def test_rot90_errors() -> None:
    with pytest.raises(ValueError, match="2-d"):
        ht.rot90(ht.zeros(3))
    with pytest.raises(ValueError, match="different"):
        ht.rot90(ht.zeros((2, 2)), axes=(1, 1))


# ---------------------------------------------------------------------- repetition
@pytest.mark.parametrize("repeats", [0, 2, [1, 0, 3, 2]], ids=str)
@pytest.mark.parametrize("axis", [None, 0, 1], ids=str)
def test_repeat(repeats: Any, axis: Any) -> None:
    if isinstance(repeats, list) and axis is None:
        repeats = list(range(12))
    data = _data((4, 3)) if axis != 1 or not isinstance(repeats, list) else _data((3, 4))
    _check_all(
        data,
        lambda x: ht.repeat(x, repeats, axis) if isinstance(x, ht.DNDarray) else np.repeat(x, repeats, axis),
    )
    _check_all(data, lambda x: x.repeat(2) if isinstance(x, ht.DNDarray) else np.repeat(x, 2))
    assert_eq(ht.repeat(ht.array(4), 3), np.repeat(np.array(4), 3))
    with pytest.raises(ValueError, match="negative"):
        ht.repeat(ht.zeros(3), -1)
    with pytest.raises(ValueError, match="repeats"):
        ht.repeat(ht.zeros(3, split=0), [1, 2])


@pytest.mark.parametrize("reps", [2, (2, 1), (1, 3), (3, 2), (2, 1, 2), 0], ids=str)
def test_tile(reps: Any) -> None:
    _check_all(_data((3, 2)), lambda x: ht.tile(x, reps) if isinstance(x, ht.DNDarray) else np.tile(x, reps))
    _check_all(_data((2,)), lambda x: ht.tile(x, reps) if isinstance(x, ht.DNDarray) else np.tile(x, reps))
    assert_eq(ht.tile(ht.array(2), reps), np.tile(np.array(2), reps))


# ---------------------------------------------------------------------- diagonals
@pytest.mark.parametrize("offset", [-3, 0, 2, 5])
def test_diagonal(offset: int, collective_calls: list[str]) -> None:
    data = _data((4, 5, 2))
    for axes in ((0, 1), (1, 0), (0, 2), (2, 1)):
        for x in layouts(data, seed=offset + 3):
            calls = len(collective_calls)
            got = ht.diagonal(x, offset, *axes)
            assert collective_calls[calls:] == [], layout_of(x)
            assert_eq(got, np.diagonal(data, offset, *axes))
    _check_all(_data((3, 3)), lambda x: x.diagonal(offset))
    with pytest.raises(ValueError, match="cannot be the same"):
        ht.diagonal(ht.zeros((2, 2)), 0, 1, 1)


@pytest.mark.parametrize("k", [-2, 0, 1, 4])
def test_diag(k: int, collective_calls: list[str]) -> None:
    _check_all(_data((5,)), lambda x: ht.diag(x, k) if isinstance(x, ht.DNDarray) else np.diag(x, k))
    _check_all(_data((0,)), lambda x: ht.diag(x, k) if isinstance(x, ht.DNDarray) else np.diag(x, k))
    _check_all(_data((3, 4)), lambda x: ht.diag(x, k) if isinstance(x, ht.DNDarray) else np.diag(x, k))
    calls = len(collective_calls)
    ht.diag(ht.arange(7, split=0), k)
    assert collective_calls[calls:] == []
    with pytest.raises(ValueError, match="1-d or 2-d"):
        ht.diag(ht.zeros((2, 2, 2)))


# ---------------------------------------------------------------------- joining
def _mixed_operands(
    shapes: list[tuple[int, ...]], seed: int
) -> list[tuple[list[ht.DNDarray], list[np.ndarray]]]:
    """Operand lists in every combination of the first operand's layouts with the others split
    along each axis or replicated (and one float operand: the result dtype is promoted)."""
    datas = [_data(s, "float32" if i == 1 else "int64") for i, s in enumerate(shapes)]
    cases = []
    for i, x in enumerate(layouts(datas[0], seed)):
        others = [
            distribute(d, [None, *range(d.ndim)][(i + j) % (d.ndim + 1)]) for j, d in enumerate(datas[1:])
        ]
        cases.append(([x, *others], datas))
    return cases


@pytest.mark.parametrize("axis", [0, 1, -1, None], ids=str)
def test_concatenate(axis: Any) -> None:
    shapes = [(3, 2), (4, 2), (1, 2)] if axis == 0 else [(3, 2), (3, 1), (3, 4)]
    if axis is None:
        shapes = [(3, 2), (2, 5)]
    for xs, ds in _mixed_operands(shapes, seed=7):
        assert_eq(ht.concatenate(xs, axis), np.concatenate(ds, axis))
    xs, ds = _mixed_operands([(2, 3), (0, 3)], 1)[-1]
    assert_eq(ht.concat(xs, axis=0), np.concat(ds, axis=0))
    assert_eq(
        ht.concatenate([ht.arange(3, split=0), [7, 8]], dtype=ht.float32),
        np.concatenate([np.arange(3), [7, 8]]).astype(np.float32),
    )
    with pytest.raises(ValueError, match="zero-dimensional"):
        ht.concatenate([ht.array(1), ht.array(2)])
    with pytest.raises(ValueError, match="must match"):
        ht.concatenate([ht.zeros((2, 3)), ht.zeros((2, 4))])
    with pytest.raises(ValueError, match="number of dimensions"):
        ht.concatenate([ht.zeros((2, 3)), ht.zeros(3)])


def test_concatenate_collectives(collective_calls: list[str]) -> None:
    a, b = ht.zeros((6, 2), split=0), ht.ones((6, 3), split=0)
    ht.concatenate([a, b], axis=1)
    assert collective_calls == []
    ht.concatenate([a, a], axis=0)
    assert collective_calls == ([] if a.comm.size == 1 else ["alltoallv"])


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
def test_stack_family(axis: int) -> None:
    for xs, ds in _mixed_operands([(3, 2), (3, 2), (3, 2)], seed=axis + 5):
        assert_eq(ht.stack(xs, axis), np.stack(ds, axis))
    for shapes in ([(3,), (3,)], [(2, 3), (1, 3)], [(2, 1, 2), (2, 1, 2)]):
        for xs, ds in _mixed_operands(shapes, seed=2):
            assert_eq(ht.vstack(xs), np.vstack(ds))
            if len({d.shape[1:] for d in ds}) == 1 and (
                ds[0].ndim == 1 or len({d.shape[0] for d in ds}) == 1
            ):
                assert_eq(ht.hstack(xs), np.hstack(ds))
                assert_eq(ht.dstack(xs), np.dstack(ds))
                if ds[0].ndim <= 2:
                    assert_eq(ht.column_stack(xs), np.column_stack(ds))
    with pytest.raises(ValueError, match="same shape"):
        ht.stack([ht.zeros(2), ht.zeros(3)])


# ---------------------------------------------------------------------- splitting
@pytest.mark.parametrize("sections", [1, 3, 4, [1, 3], [2, -1, 10], [3, 1]], ids=str)
@pytest.mark.parametrize("axis", [0, 1])
def test_array_split(sections: Any, axis: int, collective_calls: list[str]) -> None:
    data = _data((5, 4))
    _check_all(
        data,
        lambda x: (
            ht.array_split(x, sections, axis)
            if isinstance(x, ht.DNDarray)
            else np.array_split(x, sections, axis)
        ),
    )
    calls = len(collective_calls)
    ht.array_split(ht.zeros((5, 4), split=axis), sections, axis)
    assert collective_calls[calls:] == []


def test_split_family() -> None:
    data = _data((4, 6, 2))
    _check_all(data, lambda x: ht.split(x, 2) if isinstance(x, ht.DNDarray) else np.split(x, 2))
    _check_all(
        data,
        lambda x: ht.split(x, [1, 4], axis=1) if isinstance(x, ht.DNDarray) else np.split(x, [1, 4], axis=1),
    )
    _check_all(data, lambda x: ht.hsplit(x, 3) if isinstance(x, ht.DNDarray) else np.hsplit(x, 3))
    _check_all(data, lambda x: ht.vsplit(x, [3]) if isinstance(x, ht.DNDarray) else np.vsplit(x, [3]))
    _check_all(data, lambda x: ht.dsplit(x, 2) if isinstance(x, ht.DNDarray) else np.dsplit(x, 2))
    _check_all(_data((6,)), lambda x: ht.hsplit(x, 2) if isinstance(x, ht.DNDarray) else np.hsplit(x, 2))
    with pytest.raises(ValueError, match="equal sections"):
        ht.split(ht.zeros(5, split=0), 2)
    with pytest.raises(ValueError, match="2 or more"):
        ht.vsplit(ht.zeros(4), 2)


# ---------------------------------------------------------------------- padding
@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric", "wrap"])
@pytest.mark.parametrize("width", [(0, 2), ((2, 1), (0, 3)), ((7, 5), (1, 1))], ids=str)
def test_pad(mode: str, width: Any) -> None:
    data = _data((4, 3))
    kwargs = {"constant_values": ((-1, -2), (-3, -4))} if mode == "constant" else {}
    _check_all(
        data,
        lambda x: (
            ht.pad(x, width, mode, **kwargs)
            if isinstance(x, ht.DNDarray)
            else np.pad(x, width, mode, **kwargs)
        ),
        seed=3,
    )


def test_pad_edge_cases(collective_calls: list[str]) -> None:
    _check_all(
        _data((1, 2)),
        lambda x: ht.pad(x, 3, "reflect") if isinstance(x, ht.DNDarray) else np.pad(x, 3, "reflect"),
    )
    _check_all(
        _data((2,), "float32"),
        lambda x: (
            ht.pad(x, (3, 1), constant_values=0.5)
            if isinstance(x, ht.DNDarray)
            else np.pad(x, (3, 1), constant_values=0.5)
        ),
    )
    _check_all(
        _data((0, 2)),
        lambda x: ht.pad(x, ((1, 1), (0, 0))) if isinstance(x, ht.DNDarray) else np.pad(x, ((1, 1), (0, 0))),
    )
    assert_eq(ht.pad(ht.array(3), 2), np.pad(np.array(3), 2))
    with pytest.raises(ValueError, match="empty axis"):
        ht.pad(ht.zeros((0, 2), split=0), 1, "edge")
    with pytest.raises(ValueError, match="negative"):
        ht.pad(ht.zeros(3), -1)
    with pytest.raises(ValueError, match="mode"):
        ht.pad(ht.zeros(3), 1, "median")
    calls = len(collective_calls)
    ht.pad(ht.zeros((5, 2), split=0), ((2, 3), (1, 0)), constant_values=7)
    assert collective_calls[calls:] == []


# ---------------------------------------------------------------------- windows
@pytest.mark.parametrize(
    ("window", "axis"), [(2, 0), (3, 1), ((2, 2), None), ((1, 2), (1, 0)), ((2, 2), (0, 0)), (0, 0)], ids=str
)
def test_sliding_window_view(window: Any, axis: Any) -> None:
    swv = np.lib.stride_tricks.sliding_window_view
    _check_all(
        _data((5, 4)),
        lambda x: (
            ht.sliding_window_view(x, window, axis) if isinstance(x, ht.DNDarray) else swv(x, window, axis)
        ),
    )


@pytest.mark.parametrize(("size", "step"), [(1, 1), (2, 1), (3, 2), (2, 3), (5, 1), (1, 4)], ids=str)
def test_unfold(size: int, step: int) -> None:
    data = _data((7, 3))
    for axis in (0, 1):
        if size > data.shape[axis]:
            continue
        expected = torch.from_numpy(data).unfold(axis, size, step).numpy()
        for x in layouts(data, seed=size):
            assert_eq(ht.unfold(x, axis, size, step), expected)


def test_window_errors() -> None:
    with pytest.raises(ValueError, match="larger"):
        ht.sliding_window_view(ht.zeros(3, split=0), 4)
    with pytest.raises(ValueError, match="one entry per axis"):
        ht.sliding_window_view(ht.zeros((3, 3)), 2)
    with pytest.raises(ValueError, match="step"):
        ht.unfold(ht.zeros(3), 0, 2, 0)
