"""Test configuration: the shared fixtures (device under test, communicator, collective counter).

Several ranks share few cores under mpiexec: torch's intra-op threads would oversubscribe
them (a 50k-element kernel then waits milliseconds on thread hand-offs), so each rank
computes with one thread."""

import torch
from core_fixtures import *  # noqa: F403

torch.set_num_threads(1)
