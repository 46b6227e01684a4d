"""One module per framework; each runs the same algorithms with the same iteration counts.

A framework module defines ``Runner(problem, path, threads, device)`` with ``load()`` (untimed:
read this process's rows with h5py), one method per workload it implements (the timed call) and
``fetch(workload, output)`` returning the NumPy arrays that :mod:`scaling.checks` compares with
the NumPy result. ``UNSUPPORTED`` maps a workload the framework does not have to the reason.
"""

from __future__ import annotations

FRAMEWORKS = ("heat", "dask-auto", "dask-tuned", "numpy", "torch", "sklearn")
DISTRIBUTED = ("heat", "dask-auto", "dask-tuned")
