"""The communicators arrays are distributed over.

``ht.MPI_WORLD`` (all processes) and ``ht.MPI_SELF`` are created on first use, so that
``import heat`` works where MPI cannot start. ``comm=`` on every factory accepts a
:class:`heat.comm.Communicator`, an mpi4py communicator, or None (the default communicator,
see :func:`use_comm`).
"""

from __future__ import annotations

from typing import Any

import heat.comm as _comm
from heat.comm import Communicator

__all__ = ["Communicator", "get_comm", "sanitize_comm", "use_comm"]


def get_comm() -> Communicator:
    """The default communicator of new arrays (the world unless :func:`use_comm` chose another).

    Examples
    --------
    >>> import heat as ht
    >>> ht.get_comm().size >= 1
    True
    """
    return _comm.get_comm()


def use_comm(comm: Any = None) -> None:
    """Make ``comm`` (a Communicator or an mpi4py communicator) the default; None: the world."""
    _comm.use_comm(None if comm is None else sanitize_comm(comm))


def sanitize_comm(comm: Any) -> Communicator:
    """The :class:`Communicator` meant by ``comm`` (None: the default)."""
    if comm is None:
        return _comm.get_comm()
    if isinstance(comm, Communicator):
        return comm
    if hasattr(comm, "Allgatherv") and hasattr(comm, "Get_size"):
        return Communicator(comm)
    raise TypeError(
        f"comm must be a heat.comm.Communicator, an mpi4py communicator or None, got {type(comm).__name__}"
    )
