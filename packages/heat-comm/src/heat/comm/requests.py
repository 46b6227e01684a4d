"""Handles of non-blocking operations."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import torch

__all__ = ["Request"]


class Request:
    """A pending non-blocking operation (``isend``, ``irecv``, ``ibcast``, ``iallreduce``).

    ``wait()`` completes it and returns the received tensor (``None`` for sends); ``test()``
    says whether it has completed without blocking. The request keeps its buffers alive until
    it completes, and for staged (GPU or converted) buffers copies the data into place then.

    Examples
    --------
    >>> req = comm.irecv(torch.empty(4), source=0)   # doctest: +SKIP
    >>> x = req.wait()                                # doctest: +SKIP
    """

    __slots__ = ("_done", "_finish", "_keep", "_mpi", "_result")

    def __init__(
        self,
        mpi_requests: Sequence[Any],
        keep: Any = None,
        finish: Callable[[], torch.Tensor | None] | None = None,
    ) -> None:
        self._mpi = list(mpi_requests)
        self._keep = keep
        self._finish = finish
        self._result: torch.Tensor | None = None
        self._done = False

    def _complete(self) -> torch.Tensor | None:
        if not self._done:
            self._done = True
            if self._finish is not None:
                self._result = self._finish()
            self._keep = self._finish = None
        return self._result

    def wait(self) -> torch.Tensor | None:
        """Block until the operation completes; return the received tensor (or ``None``)."""
        if not self._done:
            for r in self._mpi:
                r.Wait()
        return self._complete()

    def test(self) -> bool:
        """``True`` when the operation has completed (then ``wait()`` returns at once)."""
        if self._done:
            return True
        if all(r.Test() for r in self._mpi):
            self._complete()
            return True
        return False

    @property
    def done(self) -> bool:
        return self._done

    @staticmethod
    def waitall(requests: Iterable[Request]) -> list[torch.Tensor | None]:
        """Wait for every request; return their results in order."""
        return [r.wait() for r in requests]

    def __repr__(self) -> str:
        return f"Request(done={self._done}, parts={len(self._mpi)})"
