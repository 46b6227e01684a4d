"""Block geometry, checked against NumPy's array_split (pure, no MPI)."""

import numpy as np
import pytest

from heat.comm import partition


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7, 10, 100])
@pytest.mark.parametrize("p", [1, 2, 3, 4, 8])
def test_counts_match_numpy_array_split(n: int, p: int) -> None:
    expected = [len(b) for b in np.array_split(np.arange(n), p)]
    counts, displs = partition.counts_displs(n, p)
    assert list(counts) == expected
    assert list(displs) == list(np.concatenate([[0], np.cumsum(expected)[:-1]]).astype(int))
    for r in range(p):
        s = partition.local_slice(n, p, r)
        assert list(np.arange(n)[s]) == list(np.array_split(np.arange(n), p)[r])
        assert partition.block_range(n, p, r) == (s.start, s.stop)


def test_owner_and_balance() -> None:
    sizes = (4, 0, 3, 3)
    for i in range(10):
        r = partition.owner(i, sizes)
        assert sum(sizes[:r]) <= i < sum(sizes[: r + 1])
    assert partition.owner(-1, sizes) == 3
    with pytest.raises(IndexError, match="out of bounds"):
        partition.owner(10, sizes)
    assert partition.is_balanced((4, 3, 3))
    assert not partition.is_balanced((3, 4, 3))


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="n=-1"):
        partition.counts(-1, 2)
    with pytest.raises(ValueError, match="p=0"):
        partition.counts(3, 0)
    with pytest.raises(ValueError, match="rank 3 is out of range"):
        partition.block_range(5, 3, 3)
