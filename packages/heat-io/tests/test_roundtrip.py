"""Save then load gives the same array: every format x split x layout (balanced, unbalanced with
empty blocks) x load split, at any process count."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from core_helpers import assert_eq, random_counts, splits
from io_helpers import FORMAT_IDS, FORMATS, Format, sample

import heat as ht

SHAPES = {0: (), 1: (7,), 2: (7, 5), 3: (4, 3, 5)}


def layouts_of(data: np.ndarray, comm: ht.Communicator) -> list[tuple[str, ht.DNDarray]]:
    """``data`` in every split: balanced, and (split arrays) unbalanced through ht.redistribute,
    once with random block sizes and once with everything on the last rank."""
    cases = []
    for split in splits(data.ndim):
        x = ht.array(data, split=split)
        cases.append((f"split{split}", x))
        if split is not None and comm.size > 1:
            n = data.shape[split]
            cases.append((f"split{split}-random", ht.redistribute(x, random_counts(n, comm.size, split))))
            last = [0] * (comm.size - 1) + [n]
            cases.append((f"split{split}-last", ht.redistribute(x, last)))
    return cases


@pytest.mark.parametrize("fmt", FORMATS, ids=FORMAT_IDS)
@pytest.mark.parametrize("ndim", [0, 1, 2, 3])
def test_roundtrip_every_layout(fmt: Format, ndim: int, shared_dir: Path, comm: ht.Communicator) -> None:
    if ndim not in fmt.ndims:
        pytest.skip(f"{fmt.name} holds {fmt.ndims}-d arrays")
    data = sample(SHAPES[ndim], "float32", seed=ndim)
    expected = fmt.expected(data)
    for name, x in layouts_of(data, comm):
        if name.endswith("-last"):
            assert x.lshape == (data.shape if comm.rank == comm.size - 1 else x.lshape)
            assert comm.rank == comm.size - 1 or x.lnumel == 0
        path = fmt.path(shared_dir, name)
        fmt.save(x, path)
        for split in splits(expected.ndim):
            y = fmt.load(path, split=split, dtype=ht.float32)
            assert y.split == split
            assert y.is_balanced()
            assert_eq(y, expected)


@pytest.mark.parametrize("fmt", FORMATS, ids=FORMAT_IDS)
def test_roundtrip_dtypes(fmt: Format, shared_dir: Path, comm: ht.Communicator) -> None:
    for dtype in fmt.dtypes:
        data = sample((5, 3), dtype, seed=3)
        x = ht.redistribute(ht.array(data, split=0), random_counts(5, comm.size, 7))
        path = fmt.path(shared_dir, dtype)
        fmt.save(x, path)
        kwargs = {"dtype": ht.types.canonical(dtype)} if fmt.name == "csv" else {}
        assert_eq(fmt.load(path, split=0, **kwargs), data)
        assert_eq(fmt.load(path, split=1, **kwargs), data)


@pytest.mark.parametrize("fmt", FORMATS, ids=FORMAT_IDS)
def test_roundtrip_empty_and_more_ranks_than_rows(fmt: Format, shared_dir: Path) -> None:
    for shape in [(0, 3), (1, 4), (2, 2)]:
        data = sample(shape, "float64", seed=1)
        stem = "x".join(map(str, shape))
        fmt.save(ht.array(data, split=0), fmt.path(shared_dir, stem))
        for split in (None, 0, 1):
            got = fmt.load(fmt.path(shared_dir, stem), split=split, dtype=ht.float64)
            if fmt.name == "csv" and data.size == 0:  # an empty text file has no columns
                assert got.shape == (0, 0)
                continue
            assert_eq(got, data)


def test_dndarray_save_and_facade_names(shared_dir: Path) -> None:
    data = np.arange(12.0).reshape(4, 3)
    x = ht.array(data, split=1)
    x.save(str(shared_dir / "m.h5"), "data")
    assert_eq(ht.load(str(shared_dir / "m.h5"), "data", split=0), data)
    assert_eq(ht.io.load_hdf5(str(shared_dir / "m.h5"), "data"), data)
    for name in ht.io.__all__:
        assert getattr(ht, name) is getattr(ht.io, name)


def test_npy_folder(shared_dir: Path, comm: ht.Communicator) -> None:
    folder = shared_dir / "parts"
    pieces = [sample((n, 3), "int32", seed=n) for n in (3, 0, 5, 1)]
    if comm.rank == 0:
        folder.mkdir()
        for i, p in enumerate(pieces):
            np.save(folder / f"part{i:02d}.npy", p)
    comm.barrier()
    whole = np.concatenate(pieces)
    for split in (None, 0):
        assert_eq(ht.load(str(folder), split=split), whole)
    with pytest.raises(ValueError, match="except along the concatenation axis 1"):
        ht.load_npy(str(folder), split=1)  # split=1 concatenates along axis 1
    cols = [sample((4, n), "float32", seed=n) for n in (2, 5)]
    if comm.rank == 0:
        (shared_dir / "cols").mkdir()
        for i, p in enumerate(cols):
            np.save(shared_dir / "cols" / f"c{i}.npy", p)
    comm.barrier()
    assert_eq(ht.load_npy(str(shared_dir / "cols"), split=1), np.concatenate(cols, axis=1))
