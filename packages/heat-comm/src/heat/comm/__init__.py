"""heat.comm: MPI communication of torch tensors.

A thin, fast layer over mpi4py that any SPMD PyTorch program can use on its own (data-parallel
gradient averaging, halo exchanges) and that the rest of Heat stands on.

``import heat.comm`` does not start MPI; the world communicator is created on first use
(:func:`get_comm`, ``heat.comm.WORLD``).

Examples
--------
>>> import torch
>>> from heat.comm import get_comm
>>> comm = get_comm()
>>> total = comm.allreduce(torch.ones(2), "sum")     # doctest: +SKIP
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from . import partition
from .errors import CollectiveError
from .ops import ReduceOp
from .partition import counts, counts_displs, displs
from .requests import Request

if TYPE_CHECKING:
    from .communicator import Communicator

try:
    __version__ = version("heat-comm")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "SELF",
    "WORLD",
    "CollectiveError",
    "Communicator",
    "ReduceOp",
    "Request",
    "counts",
    "counts_displs",
    "displs",
    "get_comm",
    "partition",
    "use_comm",
]

_default: Communicator | None = None
_world: Communicator | None = None
_self: Communicator | None = None


def _world_comm() -> Communicator:
    global _world
    if _world is None:
        from .communicator import Communicator

        _world = Communicator()
    return _world


def _self_comm() -> Communicator:
    global _self
    if _self is None:
        from ._mpi import mpi
        from .communicator import Communicator

        _self = Communicator(mpi().COMM_SELF)
    return _self


def get_comm() -> Communicator:
    """The default communicator: the world, unless :func:`use_comm` chose another."""
    return _default if _default is not None else _world_comm()


def use_comm(comm: Communicator | None = None) -> None:
    """Make ``comm`` the default communicator (``None`` restores the world)."""
    global _default
    if comm is not None and not _is_communicator(comm):
        raise TypeError(f"use_comm: expected a heat.comm.Communicator, got {type(comm).__name__}")
    _default = comm


def _is_communicator(obj: Any) -> bool:
    from .communicator import Communicator

    return isinstance(obj, Communicator)


def __getattr__(name: str) -> Any:
    if name == "WORLD":
        return _world_comm()
    if name == "SELF":
        return _self_comm()
    if name == "Communicator":
        from .communicator import Communicator

        return Communicator
    raise AttributeError(f"module 'heat.comm' has no attribute {name!r}")
