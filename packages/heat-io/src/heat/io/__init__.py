"""heat.io: parallel load and save of Heat DNDarrays: HDF5, netCDF, Zarr, CSV, NPY.

Every rank reads and writes only its own block of the file; saves are atomic (a temporary file
renamed when every rank succeeded); errors are raised on every rank. h5py, netCDF4/h5netcdf and
zarr are optional (``pip install 'heat-io[all]'``).

Examples
--------
>>> import heat as ht
>>> x = ht.arange(12, split=0)
>>> ht.save(x, "x.h5", "data")  # doctest: +SKIP
>>> ht.load("x.h5", "data", split=0)  # doctest: +SKIP
"""

from __future__ import annotations

from .csv_text import load_csv, save_csv
from .dispatch import load, save
from .hdf5 import load_hdf5, save_hdf5
from .netcdf import load_netcdf, save_netcdf
from .npy import load_npy, save_npy
from .zarr_arrays import load_zarr, save_zarr

__all__ = [
    "load",
    "load_csv",
    "load_hdf5",
    "load_netcdf",
    "load_npy",
    "load_zarr",
    "save",
    "save_csv",
    "save_hdf5",
    "save_netcdf",
    "save_npy",
    "save_zarr",
]
