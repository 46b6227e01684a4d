"""Compile-on-first-use kernels: built into the cache, loaded, switched off, or absent."""

from __future__ import annotations

import ctypes
import itertools
from pathlib import Path

import pytest

from heat.core import native

SOURCE = "int heat_test_add(int a, int b) { return a + b; }\n"


def declare(lib: ctypes.CDLL) -> None:
    lib.heat_test_add.argtypes = [ctypes.c_int, ctypes.c_int]
    lib.heat_test_add.restype = ctypes.c_int


def source_in(tmp_path: Path, tag: str) -> Path:
    path = tmp_path / f"add_{tag}.c"
    path.write_text(SOURCE + f"/* {tag} */\n")  # a distinct source per test: a distinct cache key
    return path


@pytest.mark.skipif(native.compiler() is None, reason="no C compiler")
def test_builds_into_the_cache_and_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEAT_CACHE_DIR", str(tmp_path / "cache"))
    lib = native.load("add", source_in(tmp_path, "build"), declare)
    assert lib is not None and lib.heat_test_add(2, 40) == 42
    built = list((tmp_path / "cache").iterdir())
    assert len(built) == 1 and built[0].name.startswith("add-")  # no temporary left behind


def test_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEAT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HEAT_TEST_KERNEL", "0")
    assert native.load("add", source_in(tmp_path, "off"), declare, switch="HEAT_TEST_KERNEL") is None
    monkeypatch.delenv("HEAT_TEST_KERNEL")
    monkeypatch.setenv("HEAT_NATIVE", "0")
    assert native.load("add", source_in(tmp_path, "all-off"), declare) is None


def test_failures_mean_no_kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEAT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CC", str(tmp_path / "no-such-compiler"))
    assert native.load("add", source_in(tmp_path, "no-cc"), declare) is None
    monkeypatch.delenv("CC")
    broken = tmp_path / "broken.c"
    broken.write_text("this is not C\n")
    if native.compiler() is not None:
        assert native.load("broken", broken, declare) is None


@pytest.mark.parametrize(("n", "minimum", "threads"), [(0, 4, 3), (10, 4, 8), (100, 1, 3), (7, 10, 4)])
def test_in_ranges_covers_every_item_once_in_order(n: int, minimum: int, threads: int) -> None:
    parts = native.in_ranges(n, minimum, threads, lambda lo, hi, part: (lo, hi, part))
    assert [p[2] for p in parts] == list(range(len(parts)))
    assert parts[0][0] == 0 and parts[-1][1] == n
    assert all(a[1] == b[0] for a, b in itertools.pairwise(parts))
    assert len(parts) <= max(1, threads)
    assert all(hi - lo >= minimum for lo, hi, _ in parts) or len(parts) == 1
