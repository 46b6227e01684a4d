"""Errors are clear and raised on every rank, even when only one rank hits the problem; a failed
save leaves no file behind (and an existing file untouched)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from core_helpers import assert_eq
from io_helpers import FORMAT_IDS, FORMATS, Format, sample

import heat as ht
import heat.io._blocks as blocks


def leftovers(directory: Path) -> list[str]:
    return sorted(n for n in os.listdir(directory) if n.endswith(".tmp"))


@pytest.mark.parametrize("fmt", FORMATS, ids=FORMAT_IDS)
def test_missing_file(fmt: Format, shared_dir: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such"):
        fmt.load(fmt.path(shared_dir, "absent"), split=0)


@pytest.mark.parametrize("fmt", FORMATS, ids=FORMAT_IDS)
def test_missing_on_one_rank_fails_everywhere(fmt: Format, shared_dir: Path, comm: ht.Communicator) -> None:
    path = fmt.path(shared_dir, "here")
    fmt.save(ht.zeros((4, 2), split=0), path)
    mine = fmt.path(shared_dir, "absent") if comm.rank == comm.size - 1 else path
    with pytest.raises(FileNotFoundError, match=rf"\[rank {comm.size - 1}\]"):
        fmt.load(mine, split=0, dtype=ht.float64)


def test_missing_dataset_and_variable(shared_dir: Path) -> None:
    x = ht.arange(6.0, split=0)
    ht.save(x, str(shared_dir / "a.h5"), "data")
    ht.save(x, str(shared_dir / "a.nc"), "v")
    with pytest.raises(KeyError, match=r"has no dataset 'nope'.*'data'"):
        ht.load(str(shared_dir / "a.h5"), "nope")
    for engine in ("netcdf4", "h5netcdf"):
        with pytest.raises(KeyError, match="has no variable 'nope'"):
            ht.load(str(shared_dir / "a.nc"), "nope", engine=engine)
    with pytest.raises(KeyError, match="no array 'nope'"):
        ht.save_zarr(x, str(shared_dir / "a.zarr"))
        ht.load_zarr(str(shared_dir / "a.zarr"), "nope")


@pytest.mark.parametrize(
    ("slices", "error", "match"),
    [
        ((slice(None), slice(None), slice(None)), IndexError, "3 slices given for a stored array of shape"),
        ((slice(None, None, -1),), ValueError, "steps must be positive"),
        ((1,), TypeError, "only slice objects"),
        ("0:2", TypeError, "must be a slice or a tuple of slices"),
        ((slice(0.5, 2),), TypeError, "integer bounds"),
    ],
)
def test_bad_slices(shared_dir: Path, slices: Any, error: type, match: str) -> None:
    ht.save(ht.zeros((4, 3), split=0), str(shared_dir / "s.h5"), "d")
    with pytest.raises(error, match=match):
        ht.load_hdf5(str(shared_dir / "s.h5"), "d", slices=slices, split=0)


def test_bad_split_and_names(shared_dir: Path) -> None:
    ht.save(ht.zeros((4, 3), split=0), str(shared_dir / "s.npy"))
    with pytest.raises(ValueError, match="split=2 is out of range"):
        ht.load(str(shared_dir / "s.npy"), split=2)
    with pytest.raises(ValueError, match="cannot tell the format"):
        ht.load(str(shared_dir / "s.unknown"))
    with pytest.raises(ValueError, match="has no extension"):
        ht.save(ht.zeros(3), str(shared_dir / "noext"))
    with pytest.raises(FileNotFoundError, match="does not exist; create it first"):
        ht.save(ht.zeros(3), str(shared_dir / "no" / "dir.npy"))
    with pytest.raises(ValueError, match="dimension_names"):
        ht.save_netcdf(ht.zeros((2, 2)), str(shared_dir / "d.nc"), "v", dimension_names=("a",))
    with pytest.raises(ValueError, match="CSV holds 1-d or 2-d"):
        ht.save_csv(ht.zeros((2, 2, 2)), str(shared_dir / "d.csv"))
    assert leftovers(shared_dir) == []


@pytest.mark.parametrize("fmt", FORMATS, ids=FORMAT_IDS)
def test_unsupported_dtypes(fmt: Format, shared_dir: Path) -> None:
    with pytest.raises(TypeError, match="bfloat16 cannot be stored"):
        fmt.save(ht.zeros((3, 2), dtype=ht.bfloat16, split=0), fmt.path(shared_dir, "bf"))
    if fmt.name in ("netcdf4", "h5netcdf", "csv"):
        with pytest.raises(TypeError, match="complex64 cannot be stored"):
            fmt.save(ht.zeros((3, 2), dtype=ht.complex64, split=0), fmt.path(shared_dir, "c"))
    assert not fmt.path(shared_dir, "bf").exists()


def test_unsupported_stored_dtype(shared_dir: Path, comm: ht.Communicator) -> None:
    if comm.rank == 0:
        np.save(shared_dir / "u32.npy", np.arange(5, dtype=np.uint32))
        np.save(shared_dir / "obj.npy", np.array([1, "a"], dtype=object), allow_pickle=True)
    comm.barrier()
    with pytest.raises(TypeError, match="stored dtype uint32 has no Heat equivalent; pass dtype="):
        ht.load(str(shared_dir / "u32.npy"), split=0)
    assert_eq(ht.load(str(shared_dir / "u32.npy"), dtype=ht.int64, split=0), np.arange(5))
    with pytest.raises(TypeError, match="Python objects"):
        ht.load(str(shared_dir / "obj.npy"))


@pytest.mark.parametrize("everywhere", [True, False])
@pytest.mark.parametrize(
    ("module", "call"),
    [
        ("h5py", lambda d, x: ht.save(x, str(d / "m.h5"), "x")),
        ("h5py", lambda d, x: ht.load(str(d / "m.h5"), "x")),
        ("zarr", lambda d, x: ht.save(x, str(d / "m.zarr"))),
        ("zarr", lambda d, x: ht.load_zarr(str(d / "m.zarr"))),
        ("netCDF4", lambda d, x: ht.save(x, str(d / "m.nc"), "x", engine="netcdf4")),
    ],
)
def test_missing_optional_dependency(
    shared_dir: Path,
    comm: ht.Communicator,
    monkeypatch: pytest.MonkeyPatch,
    module: str,
    call: Any,
    everywhere: bool,
) -> None:
    ht.save(ht.arange(4.0, split=0), str(shared_dir / "m.h5"), "x")  # so that loads find a file
    ht.save(ht.arange(4.0, split=0), str(shared_dir / "m.zarr"))
    if everywhere or comm.rank == comm.size - 1:
        monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail
    with pytest.raises(ImportError, match=rf"needs the optional package '{module}'.*pip install"):
        call(shared_dir, ht.arange(4.0, split=0))
    assert leftovers(shared_dir) == []


def test_netcdf_falls_back_to_h5netcdf(shared_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = np.arange(6.0).reshape(3, 2)
    monkeypatch.setitem(sys.modules, "netCDF4", None)
    ht.save(ht.array(data, split=0), str(shared_dir / "f.nc"), "v")
    assert_eq(ht.load(str(shared_dir / "f.nc"), "v", split=1), data)
    monkeypatch.setitem(sys.modules, "h5netcdf", None)
    with pytest.raises(ImportError, match=r"needs netCDF4 or h5netcdf.*pip install netCDF4"):
        ht.load(str(shared_dir / "f.nc"), "v")


@pytest.mark.parametrize("fmt", FORMATS, ids=FORMAT_IDS)
def test_failed_save_is_atomic(
    fmt: Format, shared_dir: Path, comm: ht.Communicator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write failing on the last rank fails the save on every rank; the old file survives and
    no temporary file is left."""
    old = sample((6, 3), "float64", seed=1)
    path = fmt.path(shared_dir, "target")
    fmt.save(ht.array(old, split=0), path)
    if comm.rank == comm.size - 1:

        def broken(*args: Any, **kwargs: Any) -> Any:
            raise OSError("disk full (simulated)")

        monkeypatch.setattr(os, "pwrite", broken)  # npy, csv
        monkeypatch.setattr(blocks, "is_empty_slab", broken)  # hdf5, netcdf, zarr (imported names below)
        for name in ("hdf5", "netcdf", "zarr_arrays"):
            monkeypatch.setattr(f"heat.io.{name}.is_empty_slab", broken)
    with pytest.raises(OSError, match=rf"disk full \(simulated\) \[rank {comm.size - 1}\]$"):
        fmt.save(ht.array(old * 2, split=0), path)
    monkeypatch.undo()
    comm.barrier()
    assert_eq(fmt.load(path, split=0, dtype=ht.float64), old)
    assert leftovers(shared_dir) == []


def test_modes(shared_dir: Path, comm: ht.Communicator) -> None:
    a, b = np.arange(6.0), np.arange(12).reshape(4, 3)
    ht.save_hdf5(ht.array(a, split=0), str(shared_dir / "m.h5"), "a")
    ht.save_hdf5(ht.array(b, split=1), str(shared_dir / "m.h5"), "g/b", mode="a")
    assert_eq(ht.load_hdf5(str(shared_dir / "m.h5"), "a", split=0), a)
    assert_eq(ht.load_hdf5(str(shared_dir / "m.h5"), "g/b", split=0), b)
    with pytest.raises(ValueError, match="already holds 'a'"):
        ht.save_hdf5(ht.array(b, split=0), str(shared_dir / "m.h5"), "a", mode="a")
    with pytest.raises(FileExistsError, match="mode='w-'"):
        ht.save_hdf5(ht.array(b, split=0), str(shared_dir / "m.h5"), "c", mode="w-")
    assert_eq(ht.load_hdf5(str(shared_dir / "m.h5"), "a"), a)
    ht.save_netcdf(ht.array(b, split=0), str(shared_dir / "m.nc"), "b", dimension_names=("r", "c"))
    nc = str(shared_dir / "m.nc")
    ht.save_netcdf(ht.array(b[:, 0], split=0), nc, "b0", mode="a", dimension_names=("r",))
    with pytest.raises(ValueError, match="dimension 'c' has length 3 in the file but 4"):
        ht.save_netcdf(ht.array(a[:4], split=0), nc, "z", mode="a", dimension_names=("c",))
    assert_eq(ht.load_netcdf(str(shared_dir / "m.nc"), "b0", split=0), b[:, 0])
    with pytest.raises(ValueError, match="mode='a' is not one of"):
        ht.save_zarr(ht.array(a), str(shared_dir / "m.zarr"), mode="a")
    assert leftovers(shared_dir) == []


def test_csv_ragged_rows_fail_everywhere(shared_dir: Path, comm: ht.Communicator) -> None:
    if comm.rank == 0:
        rows = ["1,2,3"] * 20 + ["1,2"] * 20
        (shared_dir / "ragged.csv").write_text("\n".join(rows) + "\n")
    comm.barrier()
    with pytest.raises(ValueError, match=r"ragged\.csv"):
        ht.load_csv(str(shared_dir / "ragged.csv"), split=0)
