"""Test helpers of heat-ml: data in every accepted layout, label comparison up to a
permutation of the cluster ids."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from core_helpers import distribute, random_counts

import heat as ht


def sample_layouts(data: np.ndarray, seed: int = 0) -> Iterator[Any]:
    """``data`` as a NumPy array, replicated, split 0 balanced, split 0 unbalanced (possibly
    with empty blocks) and split 1 (2-d only)."""
    comm = ht.get_comm()
    yield data
    yield distribute(data, None)
    yield distribute(data, 0)
    if comm.size > 1:
        yield distribute(data, 0, random_counts(data.shape[0], comm.size, seed))
    if data.ndim == 2:
        yield distribute(data, 1)


def same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two labelings define the same partition (equal up to renaming the ids)."""
    pairs = set(zip(a.tolist(), b.tolist(), strict=True))
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))
