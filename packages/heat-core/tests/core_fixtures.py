"""Fixtures every Heat package's tests share (each package's conftest star-imports them):
the device under test from HEAT_TEST_DEVICE, the world communicator, a collective counter."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

import heat as ht

__all__ = ["_test_device", "collective_calls", "comm"]


@pytest.fixture(autouse=True, scope="session")
def _test_device() -> Iterator[None]:
    ht.use_device(os.environ.get("HEAT_TEST_DEVICE", "cpu"))
    yield
    ht.use_device(None)


@pytest.fixture
def comm() -> ht.Communicator:
    return ht.get_comm()


@pytest.fixture
def collective_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the world communicator's collectives called while the test runs (both the
    checked communicator and its unchecked view are watched)."""
    calls: list[str] = []
    comm = ht.get_comm()
    watched = ("alltoall", "alltoallv", "allgather", "allreduce", "bcast", "gather", "scatter", "reduce",
               "scan", "exscan", "barrier", "send", "recv", "sendrecv", "allgather_object",
               "allreduce_object", "bcast_object")  # fmt: skip
    for target in (comm, comm.unchecked):
        for name in watched:
            original = getattr(target, name)

            def counting(*args: Any, _original: Any = original, _name: str = name, **kwargs: Any) -> Any:
                calls.append(_name)
                return _original(*args, **kwargs)

            monkeypatch.setattr(target, name, counting)
    yield calls
