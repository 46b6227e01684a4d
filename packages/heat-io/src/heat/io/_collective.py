"""Collective control flow shared by every format: agreed errors, rank-ordered work, atomic saves.

Every function here is collective: all ranks of ``comm`` call it, and either all return or all
raise the same exception (the lowest failing rank's type and message).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal, TypeVar

from heat.comm import CollectiveError, Communicator

__all__ = ["agree", "atomic_target", "in_rank_order", "run_agreed"]

T = TypeVar("T")
_TOKEN_TAG = 7401


def agree(comm: Communicator, error: BaseException | None) -> None:
    """Raise the same exception on every rank if any rank passes one (one Allreduce when none).

    ``heat.comm`` carries builtin exception types across ranks; an ImportError (an optional
    dependency missing on some rank) is carried here as well, so that it stays an ImportError.
    """
    try:
        comm.agree(error)
    except CollectiveError as err:
        kind, _, text = str(err).partition(": ")
        if kind not in ("ImportError", "ModuleNotFoundError"):
            err.agreed = True  # type: ignore[attr-defined]
            raise
        agreed = ImportError(text)
        agreed.agreed = True  # type: ignore[attr-defined]
        raise agreed from error
    except Exception as err:
        err.agreed = True  # type: ignore[attr-defined]
        raise


def was_agreed(error: BaseException | None) -> bool:
    """Whether ``error`` was raised by :func:`agree` (so every rank holds the same one)."""
    return bool(getattr(error, "agreed", False))


def run_agreed(comm: Communicator, work: Callable[[], T]) -> T:
    """``work()`` (local work only, no collectives) on every rank; a failure anywhere raises
    everywhere."""
    result: T | None = None
    error: Exception | None = None
    try:
        result = work()
    except Exception as err:
        error = err
    agree(comm, error)
    return result  # type: ignore[return-value]


def in_rank_order(comm: Communicator, work: Callable[[], None]) -> None:
    """Run ``work()`` on rank 0, then rank 1, ... (a token passed by send/recv), then agree.

    The serial fallback for writers that cannot write concurrently (h5py without MPI-IO, netCDF,
    Zarr chunks shared by two ranks). A rank that fails still passes the token on, so the chain
    never hangs; the failure is raised on every rank afterwards.
    """
    error: Exception | None = None
    if comm.rank > 0:
        comm.recv_object(source=comm.rank - 1, tag=_TOKEN_TAG)
    try:
        work()
    except Exception as err:
        error = err
    if comm.rank < comm.size - 1:
        comm.send_object(None, dest=comm.rank + 1, tag=_TOKEN_TAG)
    agree(comm, error)


def _temporary_name(path: str) -> str:
    head, tail = os.path.split(os.path.abspath(path))
    return os.path.join(head, f".{tail}.{uuid.uuid4().hex[:12]}.tmp")


def _remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        os.remove(path)


def _replace(tmp: str, path: str) -> None:
    """Move ``tmp`` to ``path``; a directory (a Zarr store) replacing a directory swaps it out,
    then removes it. A file never replaces a directory (``os.replace`` refuses)."""
    if os.path.isdir(tmp) and os.path.isdir(path) and not os.path.islink(path):
        trash = _temporary_name(path)
        os.rename(path, trash)
        os.rename(tmp, path)
        shutil.rmtree(trash, ignore_errors=True)
    else:
        os.replace(tmp, path)


@contextmanager
def atomic_target(
    path: str | os.PathLike[str],
    comm: Communicator,
    where: str,
    *,
    mode: str = "w",
    start: Literal["empty", "none"] = "none",
) -> Iterator[str]:
    """A temporary path beside ``path`` to write into; renamed to ``path`` when every rank
    succeeded, removed (and the error raised on every rank) when any failed.

    ``mode``: ``"w"`` replaces ``path``; ``"w-"`` fails if it exists; ``"a"`` starts from a copy
    of the existing file (so a failed append leaves the original untouched). ``start="empty"``
    creates an empty file at the temporary path first (writers that ``pwrite`` into it).
    The body must end on every rank: it may only call collectives that agree on errors.
    """
    target = os.fspath(path)

    def prepare() -> str:
        if mode not in ("w", "w-", "a"):
            raise ValueError(f"{where}: mode={mode!r} is not one of 'w', 'w-', 'a'")
        directory = os.path.dirname(os.path.abspath(target))
        if not os.path.isdir(directory):
            raise FileNotFoundError(f"{where}: the directory {directory!r} does not exist; create it first")
        if mode == "w-" and os.path.lexists(target):
            raise FileExistsError(f"{where}: {target!r} exists and mode='w-'; use mode='w' to replace it")
        tmp = _temporary_name(target)
        if mode == "a" and os.path.isfile(target):
            shutil.copyfile(target, tmp)
        elif start == "empty":
            open(tmp, "wb").close()
        return tmp

    tmp: str = comm.bcast_object(run_agreed(comm, prepare if comm.rank == 0 else lambda: ""), root=0)
    error: Exception | None = None
    try:
        yield tmp
    except Exception as err:
        error = err
    try:
        if was_agreed(error):  # raised on every rank already: no second round
            raise error  # type: ignore[misc]
        agree(comm, error)
    except BaseException:
        if comm.rank == 0:
            _remove(tmp)
        raise

    def publish() -> None:
        try:
            _replace(tmp, target)
        except OSError as err:
            _remove(tmp)
            raise OSError(f"{where}: could not rename the finished file to {target!r}: {err}") from err

    run_agreed(comm, publish if comm.rank == 0 else lambda: None)
