"""heat.io: Parallel load and save of Heat DNDarrays: HDF5, netCDF, Zarr, CSV, NPY."""

from __future__ import annotations

__all__: list[str] = []
