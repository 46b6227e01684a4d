"""Optional dependencies, imported on first use with an error that names the fix."""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["require"]

# module -> (pip requirement, heat-io extra)
_PACKAGES = {
    "h5py": ("h5py", "hdf5"),
    "netCDF4": ("netCDF4", "netcdf"),
    "h5netcdf": ("h5netcdf", "h5netcdf"),
    "zarr": ("zarr>=3", "zarr"),
}


def require(module: str, where: str) -> ModuleType:
    """Import ``module`` or raise an ImportError naming the ``pip install`` that provides it.

    Local (no communication); loaders call it inside their agreed first step, so a rank missing
    the package makes every rank raise.

    Examples
    --------
    >>> require("h5py", "load_hdf5").__name__  # doctest: +SKIP
    'h5py'
    """
    try:
        return importlib.import_module(module)
    except ImportError as err:
        requirement, extra = _PACKAGES.get(module, (module, "all"))
        raise ImportError(
            f"{where} needs the optional package '{module}', which is not installed: "
            f"pip install '{requirement}' (or pip install 'heat-io[{extra}]')"
        ) from err
