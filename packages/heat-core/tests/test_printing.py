"""Tests of printing: ``str``/``repr`` on rank 0 equal NumPy's ``array2string`` of the whole
array (NumPy's own summary for large arrays), for every split and uneven layouts; the other
ranks get an empty string."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
import torch
from core_helpers import distribute, layouts, random_counts

import heat as ht


def expected(data: np.ndarray, x: ht.DNDarray) -> str:
    body = np.array2string(data, separator=", ", prefix="DNDarray(")
    return f"DNDarray({body}, dtype=ht.{x.dtype}, device={x.device}, split={x.split})"


def check_printed(x: ht.DNDarray, data: np.ndarray, comm: ht.Communicator) -> None:
    """``repr(x)`` and ``str(x)`` (collective) are NumPy's text on rank 0, '' elsewhere."""
    as_repr, as_str = repr(x), str(x)
    if comm.rank == 0:
        want = expected(data, x)
        assert as_repr == want
        assert as_str == want
    else:
        assert as_repr == as_str == ""


def all_layouts(data: np.ndarray, comm: ht.Communicator) -> Iterator[ht.DNDarray]:
    yield from layouts(data, seed=3)
    for split in range(data.ndim):
        if comm.size > 1:
            yield distribute(data, split, (0,) * (comm.size - 1) + (data.shape[split],))


@pytest.fixture
def print_options() -> Iterator[None]:
    """Restore NumPy's print options after a test changes them."""
    saved = np.get_printoptions()
    yield
    np.set_printoptions(**saved)


SMALL = {
    "int": np.arange(12).reshape(3, 4) - 5,
    "float": np.linspace(-1, 1, 6).reshape(2, 3),
    "float32-1d": np.array([0.5, 1e-5, 123.25], dtype=np.float32),
    "bool": np.array([[True, False], [False, True], [True, True]]),
    "complex": np.array([1 + 2j, -0.5j, 3]),
    "3d": np.arange(24, dtype=np.int16).reshape(2, 3, 4),
    "one-row": np.array([[7, 8, 9]]),
    "wide-floats": np.array([1e8, 1.0, -2e-8]),
    "uint8": np.arange(5, dtype=np.uint8),
}


@pytest.mark.parametrize("name", list(SMALL))
def test_small_arrays_print_like_numpy(name, comm):
    data = SMALL[name]
    for x in all_layouts(data, comm):
        check_printed(x, data, comm)


LARGE = {
    "40x50": np.random.default_rng(0).standard_normal((40, 50)),
    "10x10x12": np.arange(1200, dtype=np.int32).reshape(10, 10, 12),
    "2000": np.arange(2000, dtype=np.int64) * 7 - 3000,
    "3x400": np.linspace(0, 1, 1200).reshape(3, 400).astype(np.float32),
    "1001x1-bool": np.arange(1001).reshape(1001, 1) % 3 == 0,
}


@pytest.mark.parametrize("name", list(LARGE))
def test_large_arrays_print_numpys_summary(name, comm):
    data = LARGE[name]
    assert data.size > np.get_printoptions()["threshold"]
    for x in all_layouts(data, comm):
        check_printed(x, data, comm)


@pytest.mark.parametrize("split", [None, 0, 1])
def test_summary_follows_numpy_print_options(split, comm, print_options):
    data = np.arange(42.0).reshape(6, 7) / 3
    np.set_printoptions(threshold=10, edgeitems=2, precision=3)
    x = distribute(data, split, None if split is None else random_counts(data.shape[split], comm.size, 1))
    check_printed(x, data, comm)
    np.set_printoptions(edgeitems=1)
    check_printed(x, data, comm)


@pytest.mark.parametrize("split", [None, 0, 1])
def test_summary_with_zero_edgeitems(split, comm, print_options):
    # NumPy shows only the last element; it pads it to the widest element of the whole array,
    # which Heat does not gather: here the last element is the widest
    data = np.arange(60).reshape(6, 10)
    np.set_printoptions(threshold=5, edgeitems=0)
    check_printed(ht.array(data, split=split), data, comm)


def test_zero_dimensional_arrays(comm):
    for data in (np.array(5), np.array(-2.5), np.array(True), np.array(1j)):
        check_printed(ht.array(data), data, comm)


@pytest.mark.parametrize(("shape", "split"), [((0,), None), ((0,), 0), ((0, 3), 0), ((0, 3), 1), ((3, 0), 1)])
def test_empty_arrays(shape, split, comm):
    data = np.zeros(shape)
    check_printed(ht.zeros(shape, split=split), data, comm)


@pytest.mark.parametrize("split", [None, 0])
def test_bfloat16_prints_its_float32_values(split, comm):
    t = torch.tensor([1.5, -2.25, 100.0, 0.125], dtype=torch.bfloat16)
    x = ht.array(t, split=split)
    text = repr(x)
    if comm.rank == 0:
        assert text == expected(t.float().numpy(), x)
        assert "dtype=ht.bfloat16" in text


def test_large_bfloat16_summary(comm):
    t = torch.arange(3000, dtype=torch.float32).to(torch.bfloat16)
    check = t.float().numpy()
    for x in (ht.array(t), ht.array(t, split=0)):
        text = str(x)
        if comm.rank == 0:
            assert text == expected(check, x)


def test_local_printing_describes_each_block_without_communication(comm):
    data = np.arange(10)
    x = ht.array(data, split=0)
    ht.local_printing()
    try:
        text = str(x)
    finally:
        ht.global_printing()
    assert text.startswith(f"[rank {comm.rank}]")
    assert repr(x.larray) in text
    assert "global shape (10,)" in text and "split=0" in text
    check_printed(x, data, comm)  # back to global printing


def test_print0_prints_once(capsys, comm):
    data = np.arange(4) * 1.5
    x = ht.array(data, split=0)
    ht.print0("values:", x, sep=" ")
    ht.print0("plain", 3)
    out = capsys.readouterr().out
    if comm.rank == 0:
        assert out == f"values: {expected(data, x)}\nplain 3\n"
    else:
        assert out == ""


def test_print_builtin_prints_on_rank_zero_only(capsys, comm):
    x = ht.arange(3, split=0)
    print(x)
    out = capsys.readouterr().out
    if comm.rank == 0:
        assert out == expected(np.arange(3), x) + "\n"
    else:
        assert out == "\n"
