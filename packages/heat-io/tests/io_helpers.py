"""Helpers of heat-io's tests: the formats under test and how to call them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import heat as ht


@dataclass(frozen=True)
class Format:
    """How to save and load one format in the tests."""

    name: str
    ext: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    dtypes: tuple[str, ...] = ()
    ndims: tuple[int, ...] = (0, 1, 2, 3)

    def path(self, directory: Path, stem: str) -> Path:
        return directory / f"{stem}{self.ext}"

    def save(self, x: ht.DNDarray, path: Path, **kwargs: Any) -> None:
        ht.save(x, str(path), *self.args, **self.kwargs, **kwargs)

    def load(self, path: Path, **kwargs: Any) -> ht.DNDarray:
        return ht.load(str(path), *self.args, **self.kwargs, **kwargs)

    def expected(self, data: np.ndarray) -> np.ndarray:
        """What loading a saved ``data`` gives (CSV is always 2-d)."""
        return data.reshape(len(data), -1) if self.name == "csv" else data


FORMATS = [
    Format(
        "hdf5",
        ".h5",
        ("data",),
        dtypes=("bool", "uint8", "int16", "int64", "float16", "float64", "complex64"),
    ),
    Format(
        "netcdf4", ".nc", ("v",), {"engine": "netcdf4"}, dtypes=("uint8", "int8", "int32", "int64", "float64")
    ),
    Format("h5netcdf", ".nc", ("v",), {"engine": "h5netcdf"}, dtypes=("int16", "float64"), ndims=(0, 2)),
    Format("zarr", ".zarr", dtypes=("bool", "int8", "int32", "float16", "float64", "complex128")),
    Format("npy", ".npy", dtypes=("bool", "uint8", "int16", "int64", "float16", "float64", "complex64")),
    Format("csv", ".csv", ndims=(1, 2), dtypes=("bool", "uint8", "int32", "int64", "float32", "float64")),
]
FORMAT_IDS = [f.name for f in FORMATS]


def sample(shape: tuple[int, ...], dtype: str, seed: int = 0) -> np.ndarray:
    """Random data of ``dtype`` (the same on every rank for the same seed)."""
    rng = np.random.default_rng(seed)
    kind = np.dtype(dtype).kind
    if kind == "b":
        return rng.integers(0, 2, size=shape).astype(bool)
    if kind in "iu":
        info = np.iinfo(dtype)
        return rng.integers(max(info.min, -1000), min(info.max, 1000), size=shape).astype(dtype)
    values = rng.standard_normal(shape) * 100
    if kind == "c":
        values = values + 1j * rng.standard_normal(shape)
    return values.astype(dtype)
