"""Indexing against NumPy: ``__getitem__``/``__setitem__`` with basic, advanced and mixed keys
(keys replicated or distributed), the nonzero family, where, take/put and friends, for every
layout (balanced and unbalanced with empty blocks), plus the communication the fast paths
promise and hypothesis property tests with random keys.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from core_helpers import assert_eq, distribute, layout_of, layouts, random_counts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import heat as ht

DATA = {
    1: np.arange(7) * 10 - 20,
    2: np.arange(20).reshape(5, 4) - 7,
    3: np.arange(60).reshape(3, 4, 5),
}

BASIC_KEYS: dict[int, list[Any]] = {
    1: [0, -1, 3, slice(None), slice(2, 6), slice(None, None, 2), slice(None, None, -1), slice(5, 1, -2),
        slice(10, -10, -3), slice(3, 3), (Ellipsis,), (None,), (None, slice(1, 4)), (slice(None), None), ()],
    2: [1, -1, (2, 3), (-1, -4), (slice(None), 1), (slice(1, 4), slice(None, None, -1)), (Ellipsis, 0),
        (0, Ellipsis), (None, 2, None), (slice(None, None, -2), 2), (slice(4, 0, -1), slice(1, 3)),
        (slice(0, 0), 1), (Ellipsis, None)],
    3: [1, (0, 1, 2), (slice(None), 2), (Ellipsis, 3), (1, slice(None, None, -1), slice(1, 4, 2)),
        (slice(None), None, slice(1, 3), -1), (slice(2, None), 0), (Ellipsis, slice(None, None, -3))],
}  # fmt: skip


def _keys_with_arrays(ndim: int, data: np.ndarray) -> list[Any]:
    """Advanced keys: integer arrays (unsorted, repeated, negative), masks, and mixes."""
    n0 = data.shape[0]
    keys: list[Any] = [
        np.array([n0 - 1, 0, -1, 1, 0]),
        [],
        np.array([[0, 1], [-1, 0]]),
        data > 0,
        np.array([True, False] * 4)[:n0],
    ]
    if ndim >= 2:
        n1 = data.shape[1]
        keys += [
            (slice(None), np.array([n1 - 1, 0, 1, 1])),
            (np.array([0, 2, 1]), np.array([1, 0, -1])),
            (np.array([[0], [1]]), np.array([0, 2, 3])),
            (1, np.array([0, 0, 2])),
            (slice(1, None), [2, 0]),
            (data.reshape(n0, -1)[:, 0] > -5,),
            (slice(None, None, -1), np.arange(n1) % 3 != 1),
            (np.array([1, 0]), slice(None, None, -1)),
        ]
    if ndim >= 3:
        keys += [
            (np.array([0, 2]), slice(None), np.array([1, 4])),
            (slice(None), np.array([3, 0]), np.array([[1], [2]])),
            (0, slice(None), [4, 0]),
            (Ellipsis, np.array([0, 0, 4])),
            (slice(None), data[0, :, :] > 20),
            (np.array([2, 1]), None, np.array([0, 3])),
        ]
    return keys


def _np_key(key: Any) -> Any:
    return key


def _distributed_key(key: Any, seed: int) -> Any:
    """Every array in ``key`` as a DNDarray split along axis 0 with random block sizes."""
    comm = ht.get_comm()
    items = key if isinstance(key, tuple) else (key,)
    out = []
    for i, item in enumerate(items):
        if isinstance(item, np.ndarray | list) and np.ndim(item) >= 1:
            arr = np.asarray(item) if np.size(item) else np.asarray(item, dtype=np.int64)
            counts = random_counts(arr.shape[0], comm.size, seed + i)
            out.append(distribute(arr, 0, counts))
        else:
            out.append(item)
    return tuple(out) if isinstance(key, tuple) else out[0]


def _layouts(data: np.ndarray, seed: int, thorough: bool) -> Any:
    """Every layout when ``thorough``, else the replicated one and the unbalanced splits."""
    for i, x in enumerate(layouts(data, seed)):
        if thorough or ht.get_comm().size == 1 or x.split is None or not x.is_balanced():
            yield x
        elif i == 1:
            yield x  # one balanced split as well


@pytest.mark.parametrize("ndim", [1, 2, 3])
def test_getitem_basic(ndim: int) -> None:
    data = DATA[ndim]
    for x in layouts(data, seed=ndim):
        for key in BASIC_KEYS[ndim]:
            y = x[key]
            try:
                assert_eq(y, data[key])
            except AssertionError as err:
                raise AssertionError(f"key {key!r}, {layout_of(x)}: {err}") from None
            if x.split is not None and y.split is not None:
                assert y.gshape == data[key].shape


@pytest.mark.parametrize("ndim", [1, 2, 3])
@pytest.mark.parametrize("distributed_key", [False, True])
def test_getitem_advanced(ndim: int, distributed_key: bool) -> None:
    data = DATA[ndim]
    for x in _layouts(data, ndim + 7, not distributed_key):
        for j, key in enumerate(_keys_with_arrays(ndim, data)):
            expected = data[key]
            hkey = _distributed_key(key, j) if distributed_key else key
            try:
                assert_eq(x[hkey], expected)
            except AssertionError as err:
                raise AssertionError(f"key {key!r}, {layout_of(x)}: {err}") from None


def test_getitem_empty_blocks_and_0d(comm: ht.Communicator) -> None:
    data = np.arange(2 * 3).reshape(2, 3)  # fewer rows than ranks at 3 processes
    for x in layouts(data):
        assert_eq(x[1], data[1])
        assert_eq(x[np.array([1, 1, 0])], data[[1, 1, 0]])
        assert_eq(x[x > 2], data[data > 2])
        assert_eq(x[:, ::-1], data[:, ::-1])
    scalar = ht.array(5.0)
    assert_eq(scalar[()], np.array(5.0)[()])
    assert_eq(scalar[None], np.array(5.0)[None])
    assert_eq(scalar[...], np.array(5.0)[...])
    empty = np.zeros((0, 3))
    for x in layouts(empty):
        assert_eq(x[:, 1], empty[:, 1])
        assert_eq(x[np.array([], dtype=np.int64)], empty[[]])


def test_key_types(comm: ht.Communicator) -> None:
    import torch

    data = DATA[2]
    for x in layouts(data):
        assert_eq(x[np.int64(2)], data[2])
        assert_eq(x[torch.tensor([3, 0])], data[[3, 0]])
        assert_eq(x[ht.array([1, 2])], data[[1, 2]])
        assert_eq(x[np.array(3)], data[np.array(3)])
        assert_eq(x[torch.tensor(data > 0)], data[data > 0])
        assert_eq(x[[True, False, True, True, False]], data[[True, False, True, True, False]])


@pytest.mark.parametrize("ndim", [1, 2, 3])
def test_setitem_basic(ndim: int) -> None:
    data = DATA[ndim]
    rng = np.random.default_rng(ndim)
    for x0 in layouts(data, seed=ndim):
        for j, key in enumerate(BASIC_KEYS[ndim]):
            shape = data[key].shape
            values: list[Any] = [-1, rng.integers(-50, 50, size=shape)]
            if shape:
                values.append(rng.integers(-50, 50, size=shape[-1:]))
                values.append(distribute(rng.integers(-50, 50, size=shape), j % len(shape)))
            for value in values:
                x, expected = x0.copy(), data.copy()
                expected[key] = value.numpy() if isinstance(value, ht.DNDarray) else value
                x[key] = value
                try:
                    assert_eq(x, expected)
                except AssertionError as err:
                    raise AssertionError(
                        f"key {key!r}, {layout_of(x0)}, value {type(value)}: {err}"
                    ) from None


@pytest.mark.parametrize("ndim", [1, 2, 3])
@pytest.mark.parametrize("distributed_key", [False, True])
def test_setitem_advanced(ndim: int, distributed_key: bool) -> None:
    data = DATA[ndim]
    rng = np.random.default_rng(ndim + 10)
    for x0 in _layouts(data, ndim, not distributed_key):
        for j, key in enumerate(_keys_with_arrays(ndim, data)):
            shape = data[key].shape
            # repeated indices: NumPy keeps the last value, so assign equal values there
            values: list[Any] = [7]
            if shape and not _repeats(key):
                values.append(rng.integers(-50, 50, size=shape[-1:]))  # broadcast along the rest
                values.append(distribute(rng.integers(-50, 50, size=shape), j % len(shape)))
            else:
                values.append(np.full(shape, -3))
            hkey = _distributed_key(key, j) if distributed_key else key
            for value in values:
                x, expected = x0.copy(), data.copy()
                expected[key] = value.numpy() if isinstance(value, ht.DNDarray) else value
                x[hkey] = value
                try:
                    assert_eq(x, expected)
                except AssertionError as err:
                    raise AssertionError(
                        f"key {key!r}, {layout_of(x0)}, value {type(value)}: {err}"
                    ) from None


def _repeats(key: Any) -> bool:
    items = key if isinstance(key, tuple) else (key,)
    arrays = [
        np.asarray(i) for i in items if isinstance(i, np.ndarray | list) and np.asarray(i).dtype != bool
    ]
    if not arrays:
        return False
    joined = np.broadcast_arrays(*arrays)
    flat = np.stack([a.reshape(-1) for a in joined], axis=1)
    return len(np.unique(flat, axis=0)) != len(flat)


def test_setitem_dtype_and_broadcast() -> None:
    data = DATA[2].astype(np.float32)
    for x in layouts(data):
        x[1:3] = np.array([1.5, 2.5, 3.5, 4.5])
        x[:, 0] = 9
        expected = data.copy()
        expected[1:3] = [1.5, 2.5, 3.5, 4.5]
        expected[:, 0] = 9
        assert_eq(x, expected)
        with pytest.raises(ValueError, match="broadcast"):
            x[1:3] = np.ones(3)
        with pytest.raises(ValueError, match="broadcast"):
            x[[0, 1]] = ht.ones((3, 4), split=0)


def test_errors(comm: ht.Communicator) -> None:
    data = DATA[2]
    for x in layouts(data):
        with pytest.raises(IndexError, match="out of bounds"):
            x[5]
        with pytest.raises(IndexError, match="out of bounds"):
            x[0, -5]
        with pytest.raises(IndexError, match="out of bounds"):
            x[[0, 5]]
        with pytest.raises(IndexError, match="too many indices"):
            x[0, 0, 0]
        with pytest.raises(IndexError, match="valid indices"):
            x[1.5]
        with pytest.raises(IndexError, match="valid indices"):
            x[np.array([1.0])]
        with pytest.raises(IndexError, match="boolean index did not match"):
            x[np.ones(4, dtype=bool)]
        with pytest.raises(IndexError, match="single ellipsis"):
            x[..., ...]
        with pytest.raises(IndexError, match="shape mismatch"):
            x[[0, 1], [0, 1, 2]]
        with pytest.raises(IndexError, match="out of bounds"):
            x[[0, 9]] = 1
    # an out-of-bounds entry on one rank only: IndexError on every rank, agreed
    key = np.zeros(3 * comm.size, dtype=np.int64)
    key[-1] = 99
    for x in layouts(data):
        with pytest.raises(IndexError, match="99"):
            x[distribute(key, 0)]
        with pytest.raises(IndexError, match="99"):
            x[distribute(key, 0)] = 0
        with pytest.raises(IndexError, match="out of bounds"):
            ht.take(x, distribute(key, 0), axis=0)


def test_communication(collective_calls: list[str], comm: ht.Communicator) -> None:
    x = ht.zeros((10, 6), split=0)
    x.counts
    collective_calls.clear()
    y = x[2:7]
    z = x[:, 1:3]
    x[0] = 0
    x[1:4, 2] = 5.0
    x[x > 1] = 0
    assert collective_calls == [], collective_calls
    assert y.gshape == (5, 6) and z.split == 0
    r = ht.zeros((10, 6))
    r[3, 2] = 1.0
    r[[1, 2]] = 2.0
    r[np.array([0, 1]), np.array([1, 2])]
    assert collective_calls == [], collective_calls
    x[5, 3]
    assert collective_calls == (["bcast"] if comm.size > 1 else []), collective_calls
    collective_calls.clear()
    a, b = ht.zeros((10, 6), split=0), ht.ones((10, 6), split=0)
    ht.where(a > 0, a, b)
    ht.where(a > 0, a, 1.0)
    assert collective_calls == [], collective_calls


@pytest.mark.parametrize("shape", [(7,), (3, 4), (2, 3, 2)])
def test_nonzero_family(shape: tuple[int, ...]) -> None:
    data = (np.arange(np.prod(shape)).reshape(shape) % 3 == 1) * np.arange(np.prod(shape)).reshape(shape)
    for x in layouts(data):
        for got, want in zip(ht.nonzero(x), np.nonzero(data), strict=True):
            assert_eq(got, want)
        for got, want in zip(x.nonzero(), np.nonzero(data), strict=True):
            assert_eq(got, want)
        assert_eq(ht.argwhere(x), np.argwhere(data))
        assert_eq(ht.flatnonzero(x), np.flatnonzero(data))
        for got, want in zip(ht.where(x), np.where(data), strict=True):
            assert_eq(got, want)
    with pytest.raises(ValueError):
        ht.nonzero(ht.array(1))
    assert_eq(ht.argwhere(ht.array(3)), np.argwhere(np.array(3)))


def test_where_three_args() -> None:
    cond = np.arange(12).reshape(3, 4) % 3 == 0
    xs = np.arange(12, dtype=np.float32).reshape(3, 4)
    row = np.array([-1, -2, -3, -4], dtype=np.int16)
    for c in layouts(cond):
        for x in layouts(xs):
            assert_eq(ht.where(c, x, row), np.where(cond, xs, row))
            assert_eq(ht.where(c, x, 2.5), np.where(cond, xs, 2.5))
            assert_eq(ht.where(c, 1, x), np.where(cond, 1, xs))
        assert_eq(ht.where(c, ht.array(row), 0), np.where(cond, row, 0))
    with pytest.raises(ValueError):
        ht.where(ht.array(cond), 1)
    with pytest.raises(ValueError):
        ht.where(ht.array(cond), ht.zeros(3), 1)


def test_take_and_put(comm: ht.Communicator) -> None:
    data = DATA[3]
    idx = np.array([3, -1, 0, 0, 2])
    for x in layouts(data):
        assert_eq(ht.take(x, idx), np.take(data, idx))
        assert_eq(ht.take(x, [1, 0], axis=1), np.take(data, [1, 0], axis=1))
        assert_eq(x.take(2, axis=2), np.take(data, 2, axis=2))
        assert_eq(ht.take(x, distribute(idx, 0), axis=2), np.take(data, idx, axis=2))
        assert_eq(ht.take(x, [7, -9], axis=1, mode="wrap"), np.take(data, [7, -9], axis=1, mode="wrap"))
        assert_eq(ht.take(x, [7, -9], axis=0, mode="clip"), np.take(data, [7, -9], axis=0, mode="clip"))
        for ind, v in [
            ([0, 59, -1, 17], [1, 2]),
            (np.array([5, 6]), -3),
            (distribute(np.arange(0, 60, 7), 0), [9]),
        ]:
            y = x.copy()
            expected = data.copy()
            np.put(expected, ind.numpy() if isinstance(ind, ht.DNDarray) else ind, v)
            ht.put(y, ind, v)
            assert_eq(y, expected)
        y, expected = x.copy(), data.copy()
        values = distribute(np.arange(9) * -1, 0)
        np.put(expected, np.arange(0, 60, 7), values.numpy())
        y.put(distribute(np.arange(0, 60, 7), 0), values)
        assert_eq(y, expected)
        with pytest.raises(IndexError):
            ht.put(x.copy(), [60], 1)


def test_take_along_axis() -> None:
    data = DATA[3]
    rng = np.random.default_rng(3)
    for axis in (0, 1, 2):
        n = data.shape[axis]
        shape = list(data.shape)
        shape[axis] = 6
        idx = rng.integers(-n, n, size=shape)
        small = list(data.shape)
        small[axis], small[(axis + 1) % 3] = 2, 1
        idx_b = rng.integers(0, n, size=small)
        for x in layouts(data):
            for key in (idx, idx_b):
                want = np.take_along_axis(data, key, axis)
                assert_eq(ht.take_along_axis(x, key, axis), want)
                for split in range(3):
                    assert_eq(ht.take_along_axis(x, distribute(key, split), axis), want)
    x = ht.array(data, split=0)
    assert_eq(
        ht.take_along_axis(x, np.array([5, 0, 59]), None),
        np.take_along_axis(data, np.array([5, 0, 59]), None),
    )
    with pytest.raises(ValueError):
        ht.take_along_axis(x, np.zeros((2, 2), dtype=np.int64), 0)


def test_extract_compress() -> None:
    data = DATA[2]
    cond = data % 3 == 0
    for x in layouts(data):
        for c in layouts(cond):
            assert_eq(ht.extract(c, x), np.extract(cond, data))
        assert_eq(ht.extract(data % 2, x), np.extract(data % 2, data))
        for axis in (0, 1, None):
            n = data.shape[axis] if axis is not None else data.size
            for mask in (np.arange(n) % 2 == 0, np.array([True, False, True])):
                assert_eq(ht.compress(mask, x, axis=axis), np.compress(mask, data, axis=axis))
                assert_eq(ht.compress(distribute(mask, 0), x, axis=axis), np.compress(mask, data, axis=axis))
            assert_eq(
                x.compress(np.arange(n) % 3 == 1, axis=axis),
                np.compress(np.arange(n) % 3 == 1, data, axis=axis),
            )


# ---------------------------------------------------------------------- property tests
@st.composite
def _keys(draw: Any, shape: tuple[int, ...]) -> tuple[Any, ...]:
    key: list[Any] = []
    for n in shape:
        kind = draw(st.sampled_from(["int", "slice", "array", "full"]))
        if kind == "int":
            key.append(draw(st.integers(-n, n - 1)))
        elif kind == "slice":
            start = draw(st.none() | st.integers(-n - 2, n + 2))
            stop = draw(st.none() | st.integers(-n - 2, n + 2))
            step = draw(st.none() | st.integers(-3, 3).filter(lambda s: s != 0))
            key.append(slice(start, stop, step))
        elif kind == "array":
            size = draw(st.integers(0, 6))
            key.append(
                np.array(draw(st.lists(st.integers(-n, n - 1), min_size=size, max_size=size)), dtype=np.int64)
            )
        else:
            key.append(slice(None))
    if draw(st.booleans()):
        key.insert(draw(st.integers(0, len(key))), None)
    return tuple(key)


_SHAPE = (6, 5)
_DATA = np.arange(30).reshape(_SHAPE)


@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(key=_keys(_SHAPE), split=st.sampled_from([None, 0, 1]), seed=st.integers(0, 5), dist=st.booleans())
def test_property_getitem_setitem(key: tuple[Any, ...], split: int | None, seed: int, dist: bool) -> None:
    comm = ht.get_comm()
    counts = None if split is None else random_counts(_SHAPE[split], comm.size, seed)
    x = distribute(_DATA, split, counts)
    arrays = [k for k in key if isinstance(k, np.ndarray)]
    try:
        np.broadcast_shapes(*[a.shape for a in arrays])
    except ValueError:
        with pytest.raises(IndexError):
            x[key]
        return
    hkey = _distributed_key(key, seed) if dist else key
    expected = _DATA[key]
    assert_eq(x[hkey], expected)
    if not _repeats(key):
        value = np.arange(expected.size).reshape(expected.shape) + 100
        y, want = x.copy(), _DATA.copy()
        y[hkey] = value
        want[key] = value
        assert_eq(y, want)
