"""heat-core test configuration: the device under test comes from HEAT_TEST_DEVICE."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

import heat as ht


@pytest.fixture(autouse=True, scope="session")
def _test_device() -> Iterator[None]:
    ht.use_device(os.environ.get("HEAT_TEST_DEVICE", "cpu"))
    yield
    ht.use_device(None)


@pytest.fixture
def comm() -> ht.Communicator:
    return ht.get_comm()
