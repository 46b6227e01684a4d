"""Test configuration: the shared fixtures (device under test, communicator, collective counter)
and ``shared_dir``, one temporary directory for all ranks."""

from __future__ import annotations

from pathlib import Path

import pytest
from core_fixtures import *  # noqa: F403

import heat as ht


@pytest.fixture
def shared_dir(tmp_path: Path) -> Path:
    """Rank 0's ``tmp_path`` on every rank (pytest gives each rank process its own)."""
    return Path(ht.get_comm().bcast_object(str(tmp_path), root=0))
