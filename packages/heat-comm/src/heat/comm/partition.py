"""Block-partition geometry: pure functions of (length, number of parts), no MPI.

A global axis of length ``n`` cut over ``p`` ranks is *balanced* when the sizes differ by at
most one and the first ``n % p`` ranks hold the extra element. Every function here answers a
question about that layout (or about an explicit list of counts) without communicating.

Examples
--------
>>> counts_displs(10, 3)
((4, 3, 3), (0, 4, 7))
>>> local_slice(10, 3, 2)
slice(7, 10, None)
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "block_range",
    "counts",
    "counts_displs",
    "displs",
    "is_balanced",
    "local_slice",
    "owner",
]


def _check(n: int, p: int) -> None:
    if n < 0:
        raise ValueError(f"partition: length must be >= 0, got n={n}")
    if p < 1:
        raise ValueError(f"partition: number of parts must be >= 1, got p={p}")


def counts(n: int, p: int) -> tuple[int, ...]:
    """Sizes of the ``p`` balanced blocks of a length-``n`` axis.

    >>> counts(5, 3)
    (2, 2, 1)
    """
    _check(n, p)
    q, r = divmod(n, p)
    return tuple(q + 1 if i < r else q for i in range(p))


def displs(sizes: Sequence[int]) -> tuple[int, ...]:
    """Start offsets (exclusive prefix sum) of blocks with the given sizes.

    >>> displs((2, 2, 1))
    (0, 2, 4)
    """
    out = []
    acc = 0
    for s in sizes:
        out.append(acc)
        acc += s
    return tuple(out)


def counts_displs(n: int, p: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Sizes and start offsets of the ``p`` balanced blocks of a length-``n`` axis."""
    c = counts(n, p)
    return c, displs(c)


def block_range(n: int, p: int, rank: int) -> tuple[int, int]:
    """Half-open global index range ``(start, stop)`` of ``rank``'s balanced block.

    >>> block_range(10, 3, 1)
    (4, 7)
    """
    _check(n, p)
    if not 0 <= rank < p:
        raise ValueError(f"partition: rank {rank} is out of range for {p} parts (0..{p - 1})")
    q, r = divmod(n, p)
    start = rank * q + min(rank, r)
    return start, start + q + (1 if rank < r else 0)


def local_slice(n: int, p: int, rank: int) -> slice:
    """The slice of a length-``n`` axis that ``rank`` holds in the balanced layout."""
    start, stop = block_range(n, p, rank)
    return slice(start, stop)


def owner(index: int, sizes: Sequence[int]) -> int:
    """Rank whose block (sizes given per rank) contains global ``index``.

    Negative indices count from the end, as in NumPy.

    >>> owner(4, (4, 3, 3))
    1
    """
    n = sum(sizes)
    i = index + n if index < 0 else index
    if not 0 <= i < n:
        raise IndexError(f"partition: index {index} is out of bounds for axis of length {n}")
    acc = 0
    for rank, s in enumerate(sizes):
        acc += s
        if i < acc:
            return rank
    raise AssertionError("unreachable")  # pragma: no cover


def is_balanced(sizes: Sequence[int]) -> bool:
    """Whether ``sizes`` is exactly the balanced layout of its total over ``len(sizes)`` ranks."""
    return tuple(sizes) == counts(sum(sizes), len(sizes))
