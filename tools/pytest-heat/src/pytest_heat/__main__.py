"""Run pytest on one MPI rank with rank-0-only terminal output.

``mpiexec -n 3 python -m pytest_heat --logdir .mpi-logs/n3 packages/heat-comm/tests``
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    logdir = Path(".mpi-logs")
    if argv[:1] == ["--logdir"]:
        logdir, argv = Path(argv[1]), argv[2:]
    from mpi4py import MPI

    rank = MPI.COMM_WORLD.Get_rank()
    if rank != 0:
        logdir.mkdir(parents=True, exist_ok=True)
        sys.stdout.flush()
        sys.stderr.flush()
        fd = os.open(logdir / f"rank{rank}.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
        # pytest's own cache is written by rank 0 only, so ranks never race on it
        argv = ["-p", "no:cacheprovider", *argv]
    import pytest

    return int(pytest.main(argv))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
