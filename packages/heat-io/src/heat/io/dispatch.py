"""``load`` and ``save``: choose the format from the path's extension."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from heat.core.dndarray import DNDarray

from .csv_text import load_csv, save_csv
from .hdf5 import load_hdf5, save_hdf5
from .netcdf import load_netcdf, save_netcdf
from .npy import load_npy, save_npy
from .zarr_arrays import load_zarr, save_zarr

__all__ = ["FORMATS", "format_of", "load", "save"]

# format -> (extensions, loader, saver)
FORMATS: dict[str, tuple[tuple[str, ...], Callable[..., DNDarray], Callable[..., None]]] = {
    "hdf5": ((".h5", ".hdf5", ".hdf", ".he5"), load_hdf5, save_hdf5),
    "netcdf": ((".nc", ".nc4", ".netcdf", ".cdf"), load_netcdf, save_netcdf),
    "zarr": ((".zarr",), load_zarr, save_zarr),
    "csv": ((".csv",), load_csv, save_csv),
    "npy": ((".npy",), load_npy, save_npy),
}


def format_of(path: str | os.PathLike[str], where: str) -> str:
    """The format of ``path`` from its extension; a folder without one is a Zarr store if it
    has Zarr metadata, else a folder of ``.npy`` files."""
    fspath = os.fspath(path)
    ext = os.path.splitext(fspath.rstrip("/\\"))[1].lower()
    for name, (extensions, _, _) in FORMATS.items():
        if ext in extensions:
            return name
    if os.path.isdir(fspath):
        zarr_meta = ("zarr.json", ".zarray", ".zgroup")
        return "zarr" if any(os.path.exists(os.path.join(fspath, m)) for m in zarr_meta) else "npy"
    known = ", ".join(e for extensions, _, _ in FORMATS.values() for e in extensions)
    raise ValueError(
        f"{where}: cannot tell the format of {fspath!r} from its extension {ext or '(none)'!r}; "
        f"use one of {known} or call load_hdf5/load_netcdf/load_zarr/load_csv/load_npy directly"
    )


def load(path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> DNDarray:
    """Load ``path`` with the loader its extension names (``.h5`` → :func:`load_hdf5`, ``.nc``
    → :func:`load_netcdf`, ``.zarr`` → :func:`load_zarr`, ``.csv`` → :func:`load_csv`,
    ``.npy`` or a folder → :func:`load_npy`); the other arguments go to that loader.

    Examples
    --------
    >>> x = ht.load("data.h5", "data", split=0)  # doctest: +SKIP
    """
    return FORMATS[format_of(path, "load")][1](path, *args, **kwargs)


def save(x: DNDarray, path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> None:
    """Save ``x`` to ``path`` with the saver its extension names (see :func:`load`).

    Examples
    --------
    >>> ht.save(ht.arange(10, split=0), "x.h5", "data")  # doctest: +SKIP
    """
    fspath = os.fspath(path)
    ext = os.path.splitext(fspath.rstrip("/\\"))[1].lower()
    if not ext:
        raise ValueError(
            f"save: {fspath!r} has no extension; add one (.h5, .nc, .zarr, .csv, .npy) or call a "
            "save_* function directly"
        )
    FORMATS[format_of(path, "save")][2](x, path, *args, **kwargs)
