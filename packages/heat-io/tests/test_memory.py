"""Loading holds no more than the block: the peak RSS of a rank rises by about its block.

The 2 GiB figure is the asv benchmark ``io.track_load_peak_rss_blocks``; this checks the same
property on a 48 MiB file (where /proc/self/clear_refs lets a process reset its peak RSS).
Zarr is not checked: it holds decoded chunks in flight besides the block."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import heat as ht

SHAPE = (3072, 4096)  # float32: 48 MiB


def _kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def peak_rise(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")
    before = _kib("VmRSS")
    result = fn()
    return (_kib("VmHWM") - before) * 1024.0, result


@pytest.mark.parametrize("ext", [".h5", ".npy"])
def test_load_peak_memory_is_the_block(ext: str, shared_dir: Path, comm: ht.Communicator) -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        usable = 1
    except OSError:
        usable = 0
    if comm.allreduce_object(usable, "min") == 0:
        pytest.skip("this system does not let a process reset its peak RSS")
    args = ("data",) if ext == ".h5" else ()
    path = str(shared_dir / f"big{ext}")
    x = ht.zeros(SHAPE, dtype=ht.float32, split=0)
    x.larray.uniform_()
    ht.save(x, path, *args)
    del x
    rise, y = peak_rise(lambda: ht.load(path, *args, split=0))
    block = y.lnbytes
    slack = 8 * 2**20  # library buffers (h5py, zarr chunk decoding), allocator granularity
    assert rise <= block + slack, (rise / 2**20, block / 2**20)
    assert y.lshape[0] == ht.core.layout.balanced_counts(SHAPE[0], comm.size)[comm.rank]
