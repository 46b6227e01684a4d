"""Test configuration: the shared fixtures (device under test, communicator, collective counter)."""

from core_fixtures import *  # noqa: F403
