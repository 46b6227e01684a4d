"""netCDF4 through the netCDF4 library or h5netcdf: every rank reads only its hyperslab.

Values are read and written raw: no masking of fill values and no ``scale_factor`` /
``add_offset`` (a DNDarray has no mask; apply the packing attributes yourself). Writes are
rank-ordered (rank 0 defines the dimensions and the variable, then each rank in turn writes
its hyperslab) into a temporary file renamed on success.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
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

__all__ = ["load_netcdf", "save_netcdf"]

SUPPORTED = ("uint8", "int8", "int16", "int32", "int64", "float32", "float64")
_ENGINES = ("netcdf4", "h5netcdf")


def _engine(engine: str | None, where: str) -> str:
    """The library to use: ``engine``, else netCDF4 if installed, else h5netcdf."""
    if engine is not None:
        name = engine.lower()
        if name not in _ENGINES:
            raise ValueError(f"{where}: engine={engine!r} is not one of 'netcdf4', 'h5netcdf'")
        require("netCDF4" if name == "netcdf4" else "h5netcdf", where)
        return name
    try:
        require("netCDF4", where)
        return "netcdf4"
    except ImportError:
        try:
            require("h5netcdf", where)
        except ImportError:
            raise ImportError(
                f"{where} needs netCDF4 or h5netcdf, and neither is installed: pip install netCDF4 "
                "(or pip install 'heat-io[netcdf]')"
            ) from None
        return "h5netcdf"


def _open(path: str, mode: str, engine: str) -> Any:
    if engine == "netcdf4":
        ds = require("netCDF4", "netCDF").Dataset(path, mode)
        ds.set_auto_maskandscale(False)
        return ds
    legacy = require("h5netcdf.legacyapi", "netCDF")
    return legacy.Dataset(path, "r+" if mode == "a" else mode)


def load_netcdf(
    path: str | os.PathLike[str],
    variable: str,
    dtype: Any = None,
    slices: Any = None,
    split: int | None = None,
    device: Any = None,
    comm: Any = None,
    engine: str | None = None,
) -> DNDarray:
    """Load a netCDF variable; with ``split=k`` every rank reads only its block of axis k.

    Parameters
    ----------
    path : str or PathLike
        The netCDF4 file.
    variable : str
        The variable's name.
    dtype : Heat dtype, optional
        Convert to this type (default: the stored type).
    slices : slice or tuple of slices, optional
        Load only this regular selection (positive steps).
    split : int or None
        The axis to distribute (balanced blocks).
    device, comm : optional
        Where the result lives and the ranks it is distributed over.
    engine : {"netcdf4", "h5netcdf"}, optional
        The library to read with (default: netCDF4 if installed, else h5netcdf).

    Examples
    --------
    >>> t = ht.load_netcdf("climate.nc", "temperature", split=0)  # doctest: +SKIP
    """
    where = "load_netcdf"
    com = sanitize_comm(comm)
    dev = sanitize_device(device)
    fspath = os.fspath(path)
    handle: list[Any] = []

    def probe() -> tuple[Any, Any, int | None, Any]:
        eng = _engine(engine, where)
        if not os.path.isfile(fspath):
            raise FileNotFoundError(f"{where}: no such file {fspath!r}")
        ds = _open(fspath, "r", eng)
        handle.append(ds)
        if variable not in ds.variables:
            raise KeyError(
                f"{where}: {fspath!r} has no variable {variable!r}; its variables are "
                f"{list(ds.variables)[:20]}"
            )
        var = ds.variables[variable]
        sel = select(var.shape, slices, where)
        dt = file_dtype(np.dtype(var.dtype), dtype, where)
        return var, sel, layout.normalize_split(split, len(sel.shape)), dt

    try:
        var, sel, sp, dt = run_agreed(com, probe)
        counts, lo, hi = (None, 0, 0) if sp is None else balanced_range(sel.shape[sp], com)

        def read() -> Any:
            lshape = layout.local_shape(sel.shape, sp, counts, com.rank)
            if 0 in lshape:
                return local_numpy(np.empty(lshape, np.dtype(var.dtype)), dt, dev)
            key = sel.key(sp, lo, hi)
            return local_numpy(np.asarray(var[key if key else ...]), dt, dev)

        local = run_agreed(com, read)
    finally:
        for ds in handle:
            ds.close()
    return assemble(local, sel.shape, dt, sp, dev, com, counts)


def save_netcdf(
    x: DNDarray,
    path: str | os.PathLike[str],
    variable: str,
    mode: str = "w",
    dimension_names: Sequence[str] | None = None,
    engine: str | None = None,
    **kwargs: Any,
) -> None:
    """Save ``x`` as a netCDF variable; every rank writes only its own block.

    Parameters
    ----------
    x : DNDarray
        Any layout; dtypes uint8, int8, int16, int32, int64, float32, float64.
    path : str or PathLike
        The netCDF4 file.
    variable : str
        The variable's name.
    mode : {"w", "w-", "a"}
        Replace the file, fail if it exists, or add the variable to an existing file (existing
        dimensions of the same name must have the same length).
    dimension_names : sequence of str, optional
        One name per axis (default ``dim_0``, ``dim_1``, ...).
    engine : {"netcdf4", "h5netcdf"}, optional
        The library to write with.
    **kwargs
        Passed to ``createVariable`` (``zlib``, ``complevel``, ``chunksizes``, ...).

    Examples
    --------
    >>> ht.save_netcdf(x, "out.nc", "t", dimension_names=("time", "lat"))  # doctest: +SKIP
    """
    where = "save_netcdf"
    np_dtype = storage_dtype(x, where, SUPPORTED)
    names = tuple(f"dim_{i}" for i in range(x.ndim)) if dimension_names is None else tuple(dimension_names)
    if len(names) != x.ndim or not all(isinstance(n, str) for n in names):
        raise ValueError(
            f"{where}: dimension_names={dimension_names!r} must be {x.ndim} strings, one per axis"
        )
    if len(set(names)) != len(names):
        raise ValueError(f"{where}: dimension_names={names} repeats a name; every axis needs its own")
    comm = x.comm
    eng = run_agreed(comm, lambda: _engine(engine, where))
    key, block = write_slab(x)
    with atomic_target(path, comm, where, mode=mode) as tmp:

        def define() -> None:
            ds = _open(tmp, "a" if mode == "a" and os.path.isfile(tmp) else "w", eng)
            try:
                if variable in ds.variables:
                    raise ValueError(
                        f"{where}: {os.fspath(path)!r} already holds {variable!r}; choose another "
                        "name or mode='w' to replace the file"
                    )
                for name, n in zip(names, x.gshape, strict=True):
                    if name in ds.dimensions:
                        have = len(ds.dimensions[name])
                        if have != n:
                            raise ValueError(
                                f"{where}: dimension {name!r} has length {have} in the file but "
                                f"{n} in the array; pass other dimension_names"
                            )
                    else:
                        ds.createDimension(name, n)
                ds.createVariable(variable, np_dtype, names, **kwargs)
            finally:
                ds.close()

        run_agreed(comm, define if comm.rank == 0 else lambda: None)

        def write() -> None:
            if is_empty_slab(block):
                return
            ds = _open(tmp, "a", eng)
            try:
                ds.variables[variable][key if key else ...] = block
            finally:
                ds.close()

        in_rank_order(comm, write)
