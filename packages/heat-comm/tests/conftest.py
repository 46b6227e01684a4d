"""Shared fixtures: the communicators under test and NumPy-comparable test data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from heat.comm import Communicator, buffers, get_comm


@pytest.fixture(params=["checked", "unchecked"])
def comm(request: pytest.FixtureRequest) -> Communicator:
    world = get_comm()
    return world if request.param == "checked" else world.unchecked


@pytest.fixture
def checked() -> Communicator:
    return get_comm()


@pytest.fixture
def staged() -> Iterator[None]:
    """Route CPU tensors through the host-staging path that GPU tensors take."""
    buffers.FORCE_STAGING = True
    try:
        yield
    finally:
        buffers.FORCE_STAGING = False
