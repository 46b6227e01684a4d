"""Collective error agreement: when any rank finds a problem, every rank raises the same error.

The fast path (nobody failed) costs one small Allreduce. Only when some rank failed are the
messages exchanged (pickled, rare), so that every rank raises an exception of the same type
with the same text, naming the rank that found the problem.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from ._mpi import mpi

__all__ = ["CollectiveError", "agree", "raise_agreed"]

_PORTABLE = (
    TypeError,
    ValueError,
    IndexError,
    KeyError,
    RuntimeError,
    MemoryError,
    OverflowError,
    ZeroDivisionError,
    FileNotFoundError,
    PermissionError,
    OSError,
    NotImplementedError,
    AssertionError,
    ImportError,
)


class CollectiveError(RuntimeError):
    """Raised on every rank when a rank failed with an exception that is not a builtin type."""


def describe(error: BaseException) -> tuple[str, str]:
    """``(type name, message)`` of an exception, as exchanged between ranks."""
    if isinstance(error, KeyError) and len(error.args) == 1:
        return "KeyError", str(error.args[0])  # str(KeyError) adds quotes
    return type(error).__name__, str(error)


def raise_agreed(reports: list[Any], local: BaseException | None) -> None:
    """Raise the same exception on every rank from the gathered ``(type, message)`` reports.

    ``reports[r]`` is ``None`` for ranks without a problem. The lowest failing rank decides the
    exception type and text; the local exception (if any) is chained as the cause.
    """
    failed = [(r, rep) for r, rep in enumerate(reports) if rep is not None]
    if not failed:
        return
    rank, (kind, message) = failed[0]
    others = f" (and {len(failed) - 1} more rank(s))" if len(failed) > 1 else ""
    cls = getattr(builtins, kind, None)
    text = f"{message} [rank {rank}{others}]"
    if not (isinstance(cls, type) and issubclass(cls, _PORTABLE)):
        cls, text = CollectiveError, f"{kind}: {text}"
    error: BaseException = cls(text)
    setattr(error, "agreed", True)  # noqa: B010 - raised alike on every rank already
    raise error from local


def agree(comm: Any, error: BaseException | None) -> None:
    """Make every rank of ``comm`` (an mpi4py communicator) raise if any rank passes an error.

    Every rank must call this, with ``None`` when it found no problem.
    """
    MPI = mpi()
    flag = np.array([0 if error is None else 1], dtype=np.int64)
    comm.Allreduce(MPI.IN_PLACE, flag, op=MPI.MAX)
    if flag[0]:
        raise_agreed(comm.allgather(None if error is None else describe(error)), error)
