"""HDF5 through h5py: every rank reads only its hyperslab; saves are atomic.

Without an MPI-enabled h5py (``h5py.get_config().mpi`` false) writes are rank-ordered: rank 0
creates the dataset, then each rank in turn opens the file and writes its hyperslab (a token
passed by send/recv). With MPI-IO every rank writes its hyperslab concurrently through the
``mpio`` driver. Reads never need MPI-IO: every rank opens the file read-only on its own.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from heat.core import layout
from heat.core.communication import sanitize_comm
from heat.core.devices import sanitize_device
from heat.core.dndarray import DNDarray

from ._blocks import (
    assemble,
    balanced_range,
    file_dtype,
    is_empty_slab,
    local_numpy,
    select,
    storage_dtype,
    write_slab,
)
from ._collective import atomic_target, in_rank_order, run_agreed
from ._optional import require

__all__ = ["load_hdf5", "save_hdf5"]

_UNSUPPORTED = ("bfloat16",)


def _missing(path: str, where: str) -> FileNotFoundError:
    return FileNotFoundError(f"{where}: no such file {path!r}")


def load_hdf5(
    path: str | os.PathLike[str],
    dataset: str,
    dtype: Any = None,
    slices: Any = None,
    split: int | None = None,
    device: Any = None,
    comm: Any = None,
) -> DNDarray:
    """Load an HDF5 dataset; with ``split=k`` every rank reads only its block of axis k.

    Parameters
    ----------
    path : str or PathLike
        The HDF5 file.
    dataset : str
        The dataset's name inside the file (``"group/name"`` for nested ones).
    dtype : Heat dtype, optional
        Convert to this type while reading (default: the stored type).
    slices : slice or tuple of slices, optional
        Load only this regular selection (positive steps), e.g. ``(slice(0, 100, 2),)``.
    split : int or None
        The axis of the result to distribute (balanced blocks); None: every rank reads all.
    device, comm : optional
        Where the result lives and the ranks it is distributed over.

    Raises
    ------
    FileNotFoundError, KeyError, IndexError, TypeError, ValueError, ImportError
        On every rank, when the file or dataset is missing, the slices do not fit, the stored
        dtype has no Heat equivalent, or h5py is not installed.

    Examples
    --------
    >>> x = ht.load_hdf5("data.h5", "data", split=0)  # doctest: +SKIP
    """
    where = "load_hdf5"
    com = sanitize_comm(comm)
    dev = sanitize_device(device)
    fspath = os.fspath(path)
    handle: list[Any] = []

    def probe() -> tuple[Any, Any, int | None, Any]:
        h5py = require("h5py", where)
        if not os.path.isfile(fspath):
            raise _missing(fspath, where)
        f = h5py.File(fspath, "r")
        handle.append(f)
        if dataset not in f or not isinstance(f[dataset], h5py.Dataset):
            names: list[str] = []
            f.visit(lambda name: names.append(name) if isinstance(f[name], h5py.Dataset) else None)
            raise KeyError(f"{where}: {fspath!r} has no dataset {dataset!r}; its datasets are {names[:20]}")
        dset = f[dataset]
        sel = select(dset.shape, slices, where)
        dt = file_dtype(dset.dtype, dtype, where)
        return dset, sel, layout.normalize_split(split, len(sel.shape)), dt

    try:
        dset, sel, sp, dt = run_agreed(com, probe)
        counts, lo, hi = (None, 0, 0) if sp is None else balanced_range(sel.shape[sp], com)

        def read() -> Any:
            lshape = layout.local_shape(sel.shape, sp, counts, com.rank)
            if 0 in lshape:
                return local_numpy(np.empty(lshape, dset.dtype), dt, dev)
            return local_numpy(np.asarray(dset[sel.key(sp, lo, hi)]), dt, dev)

        local = run_agreed(com, read)
    finally:
        for f in handle:
            f.close()
    return assemble(local, sel.shape, dt, sp, dev, com, counts)


def save_hdf5(
    x: DNDarray, path: str | os.PathLike[str], dataset: str, mode: str = "w", **h5py_kwargs: Any
) -> None:
    """Save ``x`` as an HDF5 dataset; every rank writes only its own block.

    Parameters
    ----------
    x : DNDarray
        Any layout (unbalanced blocks are written at the offsets of the layout map).
    path : str or PathLike
        The HDF5 file.
    dataset : str
        The dataset's name inside the file.
    mode : {"w", "w-", "a"}
        ``"w"`` replaces the file, ``"w-"`` fails if it exists, ``"a"`` adds the dataset to an
        existing file (a dataset of that name must not exist).
    **h5py_kwargs
        Passed to ``h5py.Group.create_dataset``: ``chunks``, ``compression``,
        ``compression_opts``, ``shuffle``, ``fillvalue``, ...

    Notes
    -----
    Atomic: the file is written under a temporary name in the same directory and renamed when
    every rank succeeded (``mode="a"`` first copies the existing file); on failure the
    temporary file is removed and every rank raises.

    Examples
    --------
    >>> ht.save_hdf5(ht.arange(10, split=0), "x.h5", "data", compression="gzip")  # doctest: +SKIP
    """
    where = "save_hdf5"
    np_dtype = storage_dtype(x, where)
    comm = x.comm
    h5py = run_agreed(comm, lambda: require("h5py", where))
    key, block = write_slab(x)
    parallel = bool(h5py.get_config().mpi) and comm.size > 1

    def create(f: Any) -> Any:
        if dataset in f:
            raise ValueError(
                f"{where}: {os.fspath(path)!r} already holds {dataset!r}; choose another name or "
                "mode='w' to replace the file"
            )
        return f.create_dataset(dataset, shape=x.gshape, dtype=np_dtype, **h5py_kwargs)

    def fill(dset: Any) -> None:
        if not is_empty_slab(block):
            dset[key] = block

    with atomic_target(path, comm, where, mode=mode) as tmp:
        opening = "a" if mode == "a" else "w"
        if parallel:
            if mode == "a" and os.path.isfile(tmp):
                run_agreed(comm, lambda: _check_absent(h5py, tmp, dataset, where))
            with h5py.File(tmp, opening, driver="mpio", comm=comm.handle) as f:
                dset = f.create_dataset(dataset, shape=x.gshape, dtype=np_dtype, **h5py_kwargs)
                run_agreed(comm, lambda: fill(dset))
        else:

            def start() -> None:
                with h5py.File(tmp, opening) as f:
                    create(f)

            run_agreed(comm, start if comm.rank == 0 else lambda: None)

            def write() -> None:
                if not is_empty_slab(block):
                    with h5py.File(tmp, "r+") as f:
                        fill(f[dataset])

            in_rank_order(comm, write)


def _check_absent(h5py: Any, path: str, dataset: str, where: str) -> None:
    with h5py.File(path, "r") as f:
        if dataset in f:
            raise ValueError(f"{where}: the file already holds {dataset!r}; choose another name")
