"""Test configuration: the shared fixtures (device under test, communicator, collective counter)."""

import torch
from core_fixtures import *  # noqa: F403

import heat as ht

if ht.get_comm().size > 1:
    # several ranks share the CI machine's cores: torch's intra-op threads would oversubscribe
    # them (10x slower small kernels); one thread per rank is the MPI-style configuration
    torch.set_num_threads(1)
