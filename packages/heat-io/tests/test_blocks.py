"""The pure geometry of heat.io: selections and Zarr chunk plans (no files, no MPI)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heat.io._blocks import select
from heat.io.zarr_arrays import chunk_plan


@settings(derandomize=True, max_examples=60, deadline=None)
@given(
    n=st.integers(0, 12),
    start=st.none() | st.integers(-15, 15),
    stop=st.none() | st.integers(-15, 15),
    step=st.none() | st.integers(1, 4),
    lo_hi=st.tuples(st.integers(0, 12), st.integers(0, 12)),
)
def test_selection_key_matches_numpy(
    n: int, start: int, stop: int, step: int, lo_hi: tuple[int, int]
) -> None:
    data = np.arange(n * 2).reshape(n, 2)
    sel = select(data.shape, (slice(start, stop, step),), "test")
    want = data[start:stop:step]
    assert sel.shape == want.shape
    np.testing.assert_array_equal(data[sel.key(None, 0, 0)], want)
    lo, hi = sorted(min(v, sel.shape[0]) for v in lo_hi)
    np.testing.assert_array_equal(data[sel.key(0, lo, hi)], want[lo:hi])


@pytest.mark.parametrize(
    ("gshape", "axis", "counts", "chunks", "expected"),
    [
        ((1200, 1000), 0, (400, 400, 400), None, ((400, 1000), True)),  # boundaries on chunks
        ((10, 4), 0, (4, 3, 3), None, ((4, 4), False)),  # gcd 1 would be tiny: ordered writes
        ((6, 2**18), 0, (2, 2, 2), None, ((2, 2**18), True)),  # 1 MiB rows, 2-row chunks
        ((3, 2**22), 0, (3, 0, 0), None, ((3, 2**22), True)),  # one rank holds everything
        ((8, 2**22), 0, (4, 4), None, ((4, 2**22), True)),  # 64 MiB cap keeps 4 rows
        ((12, 5), 1, (2, 3), (4, 3), ((4, 3), False)),  # caller's chunks not aligned
        ((12, 6), 1, (2, 4), (4, 2), ((4, 2), True)),
    ],
)
def test_chunk_plan(gshape, axis, counts, chunks, expected) -> None:  # type: ignore[no-untyped-def]
    assert chunk_plan(gshape, axis, counts, 4 if gshape[1] > 1000 else 8, chunks) == expected
