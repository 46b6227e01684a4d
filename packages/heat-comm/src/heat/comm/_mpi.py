"""Lazy access to ``mpi4py.MPI``.

Importing ``mpi4py.MPI`` initialises MPI (and fails where no MPI library is installed), so
``import heat.comm`` must not do it. Everything that needs MPI calls :func:`mpi` first.
"""

from __future__ import annotations

from types import ModuleType

_MPI: ModuleType | None = None


def mpi() -> ModuleType:
    """Return ``mpi4py.MPI``, initialising MPI on the first call.

    Raises
    ------
    RuntimeError
        When MPI cannot be loaded or started, naming the usual fix.
    """
    global _MPI
    if _MPI is None:
        try:
            from mpi4py import MPI
        except (ImportError, RuntimeError) as err:
            raise RuntimeError(
                f"heat.comm: MPI could not be started ({err}). Install an MPI library and mpi4py "
                "(`pip install mpi4py mpich`, or load your cluster's MPI module and "
                "`pip install --no-binary mpi4py mpi4py`)."
            ) from err
        _MPI = MPI
    return _MPI


def large_count_supported() -> bool:
    """Whether the MPI library has the MPI-4 large-count (``MPI_*_c``) routines."""
    return bool(mpi().Get_version() >= (4, 0))
