"""Weak and strong scaling study of Heat against NumPy, PyTorch, scikit-learn and Dask.

``python -m scaling`` (run from ``bench/``, or ``nox -s bench``) plans the runs, generates the
synthetic data once into ``bench/data/``, launches every run under ``mpiexec`` (or ``srun``) with a
time limit and writes one JSON record per run into ``bench/results/scaling/<study>/``.
``python -m scaling.paper`` (``nox -s paper``) turns the records into ``paper/figures/*.png`` and
``paper/REPRODUCTION.md``.

Modules: ``flops`` (analytic operation counts), ``workloads`` (shapes per mode, scale and process
count), ``data`` (synthetic HDF5 datasets, row-block reads), ``frameworks`` (one module per
framework, same algorithm and iteration counts), ``checks`` (comparison with the NumPy result),
``records`` (the JSON schema, machine and version info), ``worker`` (one run), ``runner`` (the
study), ``plots`` and ``report`` (``paper/``).
"""
