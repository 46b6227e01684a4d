"""Files written by h5py, netCDF4, zarr and NumPy directly (not by heat.io) load correctly,
with slices (steps included) along every split."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import h5py
import netCDF4
import numpy as np
import pytest
import zarr
from core_helpers import assert_eq, splits
from io_helpers import sample

import heat as ht

SLICES = [None, (slice(1, None, 2),), (slice(None), slice(-5, 6)), (slice(0, 7, 3), slice(1, 5, 2))]


def written_by_rank0(comm: ht.Communicator, write: Callable[[], None]) -> None:
    if comm.rank == 0:
        write()
    comm.barrier()


def expected_slice(data: np.ndarray, slices: object) -> np.ndarray:
    if slices is None:
        return data
    return data[slices]  # type: ignore[index]


def test_hdf5_written_by_h5py(shared_dir: Path, comm: ht.Communicator) -> None:
    data = sample((9, 6), "float64", seed=1)
    path = shared_dir / "foreign.h5"

    def write() -> None:
        with h5py.File(path, "w") as f:
            f.create_dataset("group/chunked", data=data, chunks=(2, 3), compression="gzip")
            f.create_dataset("ints", data=np.arange(10, dtype=np.uint16))

    written_by_rank0(comm, write)
    for slices in SLICES:
        want = expected_slice(data, slices)
        for split in splits(2):
            assert_eq(ht.load_hdf5(str(path), "group/chunked", slices=slices, split=split), want)
    # a stored dtype Heat lacks loads with dtype=
    assert_eq(ht.load_hdf5(str(path), "ints", dtype=ht.int32, split=0), np.arange(10, dtype=np.int32))
    with pytest.raises(TypeError, match="pass dtype="):
        ht.load_hdf5(str(path), "ints", split=0)


def test_netcdf_written_by_netcdf4(shared_dir: Path, comm: ht.Communicator) -> None:
    data = sample((8, 5, 3), "float32", seed=2)
    path = shared_dir / "foreign.nc"

    def write() -> None:
        with netCDF4.Dataset(path, "w") as ds:
            for name, n in zip(("time", "lat", "lon"), data.shape, strict=True):
                ds.createDimension(name, n)
            var = ds.createVariable("t", "f4", ("time", "lat", "lon"), zlib=True, fill_value=-999.0)
            var[:] = data

    written_by_rank0(comm, write)
    for engine in ("netcdf4", "h5netcdf"):
        for split in splits(3):
            assert_eq(ht.load_netcdf(str(path), "t", split=split, engine=engine), data)
        sl = (slice(1, 8, 3), slice(None), slice(2, 3))
        assert_eq(ht.load(str(path), "t", slices=sl, split=0, engine=engine), data[sl])


def test_zarr_written_by_zarr(shared_dir: Path, comm: ht.Communicator) -> None:
    data = sample((10, 4), "int32", seed=3)
    path = shared_dir / "foreign.zarr"

    def write() -> None:
        group = zarr.open_group(str(path), mode="w")
        arr = group.create_array("a", shape=data.shape, chunks=(3, 3), dtype=data.dtype)
        arr[:] = data

    written_by_rank0(comm, write)
    for split in splits(2):
        assert_eq(ht.load_zarr(str(path), "a", split=split), data)
        assert_eq(ht.load(str(path / "a"), split=split, slices=(slice(1, 9, 2),)), data[1:9:2])
    with pytest.raises(KeyError, match="pass name="):
        ht.load_zarr(str(path), split=0)


@pytest.mark.parametrize("order", ["C", "F"])
def test_npy_written_by_numpy(shared_dir: Path, comm: ht.Communicator, order: str) -> None:
    data = sample((5, 4, 3), "int16", seed=4)
    big_endian = sample((7, 2), "float64", seed=5).astype(">f8")
    path = shared_dir / f"foreign{order}.npy"

    def write() -> None:
        np.save(path, np.asarray(data, order=order))
        np.save(shared_dir / "big.npy", big_endian)

    written_by_rank0(comm, write)
    for split in splits(3):
        assert_eq(ht.load(str(path), split=split), data)
    assert_eq(ht.load_npy(str(shared_dir / "big.npy"), split=0), big_endian.astype(np.float64))


def test_npy_row_batches(shared_dir: Path, comm: ht.Communicator, monkeypatch: pytest.MonkeyPatch) -> None:
    """A block along axis > 0 is read in bounded row batches (here: a few rows per batch)."""
    import heat.io.npy as npy

    monkeypatch.setattr(npy, "_BATCH_BYTES", 3 * 8 * 6)
    data = sample((11, 6), "float64", seed=6)
    written_by_rank0(comm, lambda: np.save(shared_dir / "rows.npy", data))
    assert_eq(ht.load_npy(str(shared_dir / "rows.npy"), split=1), data)


def test_csv_written_by_numpy(shared_dir: Path, comm: ht.Communicator) -> None:
    data = sample((23, 4), "float64", seed=7)
    path = shared_dir / "foreign.csv"

    def write() -> None:
        np.savetxt(path, data, delimiter=";", header="a;b;c;d\nunits", comments="", fmt="%.17g")
        # no newline after the last line, blank lines inside
        lines = path.read_text().rstrip("\n").split("\n")
        path.write_text("\n".join([*lines[:5], "", *lines[5:12], "", "", *lines[12:]]))

    written_by_rank0(comm, write)
    for split in splits(2):
        assert_eq(ht.load_csv(str(path), sep=";", header_lines=2, split=split), data)


def test_csv_long_lines_and_few_rows(shared_dir: Path, comm: ht.Communicator) -> None:
    """Lines longer than a rank's byte range, and fewer rows than ranks."""
    data = sample((2, 300), "int64", seed=8)
    path = shared_dir / "wide.csv"
    written_by_rank0(comm, lambda: np.savetxt(path, data, delimiter=",", fmt="%d"))
    for split in splits(2):
        assert_eq(ht.load_csv(str(path), dtype=ht.int64, split=split), data)


def test_zarr_shards(shared_dir: Path, comm: ht.Communicator) -> None:
    data = sample((12, 4), "float32", seed=10)
    x = ht.redistribute(ht.array(data, split=0), [5] + [7] + [0] * (comm.size - 2) if comm.size > 1 else None)
    ht.save_zarr(x, str(shared_dir / "sh.zarr"), chunks=(2, 4), shards=(4, 4))
    stored = zarr.open_array(str(shared_dir / "sh.zarr"), mode="r")
    assert stored.shards == (4, 4)
    np.testing.assert_array_equal(stored[:], data)
    comm.barrier()


def test_saved_files_readable_by_their_libraries(shared_dir: Path, comm: ht.Communicator) -> None:
    data = sample((6, 5), "float32", seed=9)
    x = ht.redistribute(ht.array(data, split=1), [5] + [0] * (comm.size - 1))
    ht.save_hdf5(x, str(shared_dir / "o.h5"), "d", chunks=(3, 5), compression="gzip")
    ht.save_netcdf(x, str(shared_dir / "o.nc"), "v", dimension_names=("y", "x"))
    ht.save_zarr(x, str(shared_dir / "o.zarr"))
    ht.save_npy(x, str(shared_dir / "o.npy"))
    ht.save_csv(x, str(shared_dir / "o.csv"), header_lines=["# made by heat"])
    with h5py.File(shared_dir / "o.h5", "r") as f:
        np.testing.assert_array_equal(f["d"][...], data)
        assert f["d"].chunks == (3, 5) and f["d"].compression == "gzip"
    with netCDF4.Dataset(shared_dir / "o.nc") as ds:
        np.testing.assert_array_equal(ds["v"][:], data)
        assert ds["v"].dimensions == ("y", "x")
    np.testing.assert_array_equal(zarr.open_array(str(shared_dir / "o.zarr"), mode="r")[:], data)
    np.testing.assert_array_equal(np.load(shared_dir / "o.npy"), data)
    np.testing.assert_array_equal(np.loadtxt(shared_dir / "o.csv", delimiter=",", dtype=np.float32), data)
    comm.barrier()


def test_each_rank_reads_only_its_block(
    shared_dir: Path, comm: ht.Communicator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The h5py and zarr reads of a rank cover exactly its balanced block (no whole-file reads)."""
    data = sample((10, 7), "float32", seed=11)
    ht.save_hdf5(ht.array(data, split=0), str(shared_dir / "r.h5"), "d")
    ht.save_zarr(ht.array(data, split=0), str(shared_dir / "r.zarr"))
    keys: list[tuple[slice, ...]] = []
    for cls in (h5py.Dataset, zarr.Array):
        original = cls.__getitem__

        def recording(self: Any, key: Any, _original: Any = original) -> Any:
            keys.append(key)
            return _original(self, key)

        monkeypatch.setattr(cls, "__getitem__", recording)
    for split in (0, 1):
        counts = ht.core.layout.balanced_counts(data.shape[split], comm.size)
        lo = sum(counts[: comm.rank])
        for load in (
            lambda: ht.load_hdf5(str(shared_dir / "r.h5"), "d", split=split),
            lambda: ht.load_zarr(str(shared_dir / "r.zarr"), split=split),
        ):
            keys.clear()
            x = load()
            if counts[comm.rank] == 0:
                assert keys == []
                continue
            (key,) = keys
            assert (key[split].start, key[split].stop) == (lo, lo + counts[comm.rank])
            other = key[1 - split]
            assert (other.start, other.stop) == (0, data.shape[1 - split])
            assert_eq(x, data)
