"""One module per framework; each runs the same algorithms with the same iteration counts.

A framework module defines ``Runner(problem, path, threads, device)`` with ``load()`` (untimed:
read this process's rows with h5py), one method per workload it implements (the timed call) and
``fetch(workload, output)`` returning the NumPy arrays that :mod:`scaling.checks` compares with
the NumPy result. ``UNSUPPORTED`` maps a workload the framework does not have to the reason.

``heat-published`` is the published Heat (PyPI ``heat``) run by ``heat_impl`` in its own
environment (``.venv-published``, made by ``nox -s published_env``: it ships the same ``heat``
import path as this repository, so the two never share an environment).
"""

from __future__ import annotations

FRAMEWORKS = ("heat", "heat-published", "dask-auto", "dask-tuned", "numpy", "torch", "sklearn")
DISTRIBUTED = ("heat", "heat-published", "dask-auto", "dask-tuned")
MPI_RANKS = ("heat", "heat-published")  # one MPI rank per process, timed barrier to barrier
