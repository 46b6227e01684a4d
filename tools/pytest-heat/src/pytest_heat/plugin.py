"""Fixtures, markers and the cross-rank summary."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest


def _world() -> Any:
    from mpi4py import MPI

    return MPI.COMM_WORLD


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "mpi(min_size): skip unless at least min_size processes run")
    config.addinivalue_line("markers", "single_process: run only when one process runs the suite")
    _share_cores(_world().Get_size())


def _share_cores(size: int) -> None:
    """Give each rank its share of the cores: torch's default (every core per process) makes
    small kernels of oversubscribed ranks many times slower."""
    import importlib.util
    import os

    if size > 1 and importlib.util.find_spec("torch") is not None:
        import torch

        torch.set_num_threads(max(1, (os.cpu_count() or 1) // size))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    size = _world().Get_size()
    for item in items:
        m = item.get_closest_marker("mpi")
        if m is not None:
            need = m.kwargs.get("min_size", m.args[0] if m.args else 2)
            if size < need:
                item.add_marker(pytest.mark.skip(reason=f"needs >= {need} MPI processes, running {size}"))
        if item.get_closest_marker("single_process") is not None and size > 1:
            item.add_marker(pytest.mark.skip(reason="runs only in the single-process pass"))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    outcome = None
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        outcome = report.outcome
    elif report.when == "teardown" and report.outcome == "failed":
        outcome = "failed"
    if outcome is not None:
        _STATE["outcomes"][outcome] += 1
        if outcome == "failed":
            _STATE["failed"].append(report.nodeid)


_STATE: dict[str, Any] = {"outcomes": Counter(), "failed": []}


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    comm = _world()
    size, rank = comm.Get_size(), comm.Get_rank()
    mine = (dict(_STATE["outcomes"]), list(_STATE["failed"]), int(exitstatus))
    everyone = comm.allgather(mine)
    failed = [(r, n) for r, (_, f, _) in enumerate(everyone) for n in f]
    bad_status = [r for r, (_, _, s) in enumerate(everyone) if s not in (0, 5)]
    if (failed or bad_status) and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    if rank == 0:
        c = everyone[0][0]
        line = (
            f"pytest-heat: {size} process{'es' if size > 1 else ''}: {c.get('passed', 0)} passed, "
            f"{c.get('skipped', 0)} skipped, {sum(len(f) for _, f, _ in everyone)} failed"
        )
        if failed:
            line += " -- FAILED: " + "; ".join(f"rank {r}: {n}" for r, n in failed[:20])
        elif bad_status:
            line += f" -- ranks {bad_status} ended with errors"
        print("\n" + line, flush=True)


@pytest.fixture(scope="session")
def mpi_comm() -> Any:
    """mpi4py's ``COMM_WORLD``."""
    return _world()


@pytest.fixture(scope="session")
def mpi_rank(mpi_comm: Any) -> int:
    return int(mpi_comm.Get_rank())


@pytest.fixture(scope="session")
def mpi_size(mpi_comm: Any) -> int:
    return int(mpi_comm.Get_size())
