"""Test helpers shared by heat-core's tests: compare DNDarrays with NumPy, make layouts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import torch

import heat as ht
from heat.core import layout


def splits(ndim: int) -> list[int | None]:
    """Every split of an ndim-d array: None and each axis."""
    return [None, *range(ndim)]


def assert_eq(x: Any, expected: Any, *, dtype: Any = None, exact: bool = True, rtol: float = 1e-7) -> None:
    """``x`` (a DNDarray) equals the NumPy array ``expected``: shape, dtype, gathered values,
    this rank's block at the offset its layout says, and a consistent layout.

    Collective (gathers ``x``); every rank must call it.
    """
    assert isinstance(x, ht.DNDarray), type(x)
    expected = np.asarray(expected)
    got = x.numpy()  # collective: before any assertion
    assert x.gshape == expected.shape, (x.gshape, expected.shape)
    want_dtype = ht.types.canonical(expected.dtype if dtype is None else dtype)
    assert x.dtype == want_dtype, (x.dtype, want_dtype)
    assert x.larray.dtype == x.dtype.torch
    if exact:
        np.testing.assert_array_equal(got, expected.astype(got.dtype, copy=False))
    else:
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=rtol)
    # the local block sits where the layout says
    if x.split is None:
        np.testing.assert_array_equal(_np(x.larray), got)
    else:
        counts = x.counts
        assert len(counts) == x.comm.size and sum(counts) == x.gshape[x.split], counts
        key = layout.local_slice(x.split, counts, x.comm.rank, x.ndim)
        assert x.lshape == got[key].shape, (x.lshape, got[key].shape)
        np.testing.assert_array_equal(_np(x.larray), got[key])


def _np(t: torch.Tensor) -> np.ndarray:
    t = t.detach().cpu()
    return (t.float() if t.dtype == torch.bfloat16 else t).numpy()


def random_counts(n: int, size: int, seed: int) -> tuple[int, ...]:
    """Random (unbalanced, possibly empty) block sizes of ``n`` over ``size`` ranks; the same
    on every rank for the same seed."""
    rng = np.random.default_rng(seed)
    cuts = np.sort(rng.integers(0, n + 1, size=size - 1))
    edges = np.concatenate([[0], cuts, [n]])
    return tuple(int(c) for c in np.diff(edges))


def distribute(data: np.ndarray, split: int | None, counts: Any = None, **kwargs: Any) -> ht.DNDarray:
    """``data`` as a DNDarray with ``split`` and block sizes ``counts`` (balanced when None),
    built from per-rank pieces (so unbalanced layouts are real, not rebalanced)."""
    comm = ht.get_comm()
    if split is None:
        return ht.array(data, **kwargs)
    if counts is None:
        counts = layout.balanced_counts(data.shape[split], comm.size)
    key = layout.local_slice(split, counts, comm.rank, data.ndim)
    return ht.array(np.ascontiguousarray(data[key]), is_split=split, dtype=data.dtype, **kwargs)


def layouts(data: np.ndarray, seed: int = 0) -> Iterator[ht.DNDarray]:
    """``data`` in every split, balanced and with random unbalanced block sizes."""
    comm = ht.get_comm()
    for split in splits(data.ndim):
        yield distribute(data, split)
        if split is not None and comm.size > 1:
            yield distribute(data, split, random_counts(data.shape[split], comm.size, seed + split))


# a dtype sample covering every kind: the function x dtype matrices run over it
DTYPES = [
    "bool",
    "uint8",
    "int8",
    "int32",
    "int64",
    "float16",
    "float32",
    "float64",
    "complex64",
    "complex128",
]


def layout_of(x: ht.DNDarray) -> str:
    """``split=..., counts=...`` of ``x``, for failure messages."""
    return f"split={x.split}, counts={x.counts if x.split is not None else None}"


class LocalCheck:
    """Rank-local comparisons for the large function x dtype matrices: each result's dtype,
    shape and local block against the slice of NumPy's result its layout says (no gather);
    ``verdict()`` agrees on the failures across ranks with one collective, then asserts."""

    def __init__(self) -> None:
        self.failures: list[str] = []
        self.comm = ht.get_comm()

    def __call__(
        self, what: str, y: Any, expected: Any, *, dtype: Any = None, exact: bool = True, rtol: float = 1e-7
    ) -> None:
        expected = np.asarray(expected)
        want = ht.types.canonical(expected.dtype if dtype is None else dtype)
        if not isinstance(y, ht.DNDarray) or y.gshape != expected.shape or y.dtype != want:
            got = f"{type(y).__name__} {getattr(y, 'gshape', '')} {getattr(y, 'dtype', '')}"
            self.failures.append(f"{what}: got {got}, want {want} {expected.shape}")
            return
        block = expected
        if y.split is not None:
            block = expected[layout.local_slice(y.split, y.counts, self.comm.rank, y.ndim)]
        got = y.larray.detach().cpu()
        got = (got.float() if got.dtype == torch.bfloat16 else got).numpy()
        try:
            if exact:
                np.testing.assert_array_equal(got, block.astype(got.dtype, copy=False))
            else:
                np.testing.assert_allclose(got, block, rtol=rtol, atol=rtol)
        except AssertionError as err:
            self.failures.append(f"{what} (rank {self.comm.rank}): {err}")

    def expect_error(self, what: str, error: type[Exception], fn: Any, *args: Any) -> None:
        try:
            fn(*args)
        except error:
            return
        except Exception as err:
            self.failures.append(f"{what}: raised {err!r}, want {error.__name__}")
            return
        self.failures.append(f"{what}: no error, want {error.__name__}")

    def verdict(self) -> None:
        everyone = self.comm.allgather_object(self.failures)
        failures = [f for rank_failures in everyone for f in rank_failures]
        assert not failures, "\n".join(failures[:20])
