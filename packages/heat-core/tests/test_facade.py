"""Tests of the ``import heat as ht`` facade: the core names, the communicators, the lazily
resolved optional components, the namespace path and the clash check."""

from __future__ import annotations

import importlib
import importlib.util
import types as pytypes
from importlib.metadata import PackageNotFoundError
from pathlib import Path

import pytest

import heat
import heat as ht
import heat.comm
import heat.core


def installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def test_core_names_are_exposed_at_top_level():
    assert len(heat.core.__all__) > 50
    for name in heat.core.__all__:
        assert getattr(ht, name) is getattr(heat.core, name), name
        assert name in ht.__all__, name


def test_top_level_all_is_importable():
    namespace: dict[str, object] = {}
    exec("from heat import *", namespace)
    assert set(heat.core.__all__) <= set(namespace)
    assert "MPI_WORLD" in namespace


def test_mpi_world_and_self(mpi_size):
    world = ht.MPI_WORLD
    assert isinstance(world, heat.comm.Communicator)
    assert isinstance(world, ht.Communicator)
    assert world.size == mpi_size
    assert ht.MPI_SELF.size == 1 and ht.MPI_SELF.rank == 0
    assert ht.MPI_WORLD is heat.comm.WORLD


def test_get_comm_is_the_default_communicator(mpi_size, mpi_rank):
    comm = ht.get_comm()
    assert isinstance(comm, heat.comm.Communicator)
    assert (comm.size, comm.rank) == (mpi_size, mpi_rank)
    assert ht.zeros(3).comm == comm


def test_use_comm_switches_the_default_communicator():
    try:
        ht.use_comm(ht.MPI_SELF)
        x = ht.arange(5, split=0)
        assert ht.get_comm() is ht.MPI_SELF
        assert x.comm is ht.MPI_SELF and x.lshape == (5,)
    finally:
        ht.use_comm(None)
    assert ht.get_comm() == ht.MPI_WORLD


@pytest.mark.parametrize(
    ("attribute", "module", "distribution"),
    [
        ("linalg", "heat.linalg", "heat-linalg"),
        ("random", "heat.random", "heat-random"),
        ("io", "heat.io", "heat-io"),
        ("load", "heat.io", "heat-io"),
        ("cluster", "heat.ml", "heat-ml"),
        ("spatial", "heat.ml", "heat-ml"),
        ("preprocessing", "heat.ml", "heat-ml"),
    ],
)
def test_missing_optional_component_names_its_distribution(attribute, module, distribution):
    if installed(module):
        pytest.skip(f"{module} is installed")
    with pytest.raises(ImportError, match=f"pip install {distribution}"):
        getattr(ht, attribute)


def test_optional_component_is_imported_lazily_and_cached(monkeypatch):
    fake = pytypes.ModuleType("heat.linalg")
    fake.norm = lambda: "norm"  # type: ignore[attr-defined]
    imported: list[str] = []

    def import_module(name: str) -> pytypes.ModuleType:
        imported.append(name)
        return fake

    monkeypatch.setattr(heat, "_importlib", pytypes.SimpleNamespace(import_module=import_module))
    monkeypatch.delitem(heat.__dict__, "linalg", raising=False)
    assert ht.linalg is fake
    assert ht.linalg is fake
    assert imported == ["heat.linalg"]
    monkeypatch.delitem(heat.__dict__, "linalg")


def test_missing_dependency_of_an_installed_component_is_not_disguised(monkeypatch):
    def import_module(name: str) -> pytypes.ModuleType:
        raise ModuleNotFoundError("No module named 'scipy'", name="scipy")

    monkeypatch.setattr(heat, "_importlib", pytypes.SimpleNamespace(import_module=import_module))
    monkeypatch.delitem(heat.__dict__, "spatial", raising=False)
    with pytest.raises(ModuleNotFoundError, match="scipy") as info:
        ht.spatial
    assert "pip install" not in str(info.value)


def test_unknown_attribute_raises_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'not_a_function'"):
        ht.not_a_function
    assert not hasattr(ht, "not_a_function")


def test_dir_lists_components_and_communicators():
    names = dir(ht)
    for name in ("linalg", "cluster", "MPI_WORLD", "MPI_SELF", "zeros", "DNDarray"):
        assert name in names


def test_heat_path_extends_over_heat_comm_source_tree():
    comm_tree = Path(heat.comm.__file__).resolve().parent.parent
    assert comm_tree in [Path(p).resolve() for p in heat.__path__]
    core_tree = Path(heat.core.__file__).resolve().parent.parent
    assert core_tree in [Path(p).resolve() for p in heat.__path__]
    assert (core_tree / "__init__.py").is_file()


def test_version_is_a_string():
    assert isinstance(ht.__version__, str) and ht.__version__


def test_clash_check_raises_when_published_heat_is_installed(monkeypatch):
    def version(dist: str) -> str:
        if dist == "heat":
            return "1.5.0"
        raise PackageNotFoundError(dist)

    monkeypatch.setattr(heat, "_version", version)
    with pytest.raises(ImportError, match="pip uninstall heat"):
        heat._check_clash()


def test_clash_check_passes_without_published_heat(monkeypatch):
    def version(dist: str) -> str:
        raise PackageNotFoundError(dist)

    monkeypatch.setattr(heat, "_version", version)
    assert heat._check_clash() is None


def test_component_aliases_import_as_modules(monkeypatch):
    import sys

    fake = pytypes.ModuleType("heat.ml.cluster")
    fake.KMeans = "KMeans"  # type: ignore[attr-defined]
    fake.__path__ = []  # a package
    sub = pytypes.ModuleType("heat.ml.cluster.kmeans")
    monkeypatch.setitem(sys.modules, "heat.ml.cluster", fake)
    monkeypatch.setitem(sys.modules, "heat.ml.cluster.kmeans", sub)
    monkeypatch.delitem(sys.modules, "heat.cluster", raising=False)
    monkeypatch.delitem(sys.modules, "heat.cluster.kmeans", raising=False)
    monkeypatch.delitem(heat.__dict__, "cluster", raising=False)
    from heat.cluster import KMeans  # type: ignore[import-not-found]

    assert KMeans == "KMeans"
    assert sys.modules["heat.cluster"] is fake
    assert importlib.import_module("heat.cluster.kmeans") is sub
    assert ht.cluster is fake
    monkeypatch.delitem(heat.__dict__, "cluster")
    monkeypatch.delitem(sys.modules, "heat.cluster")
    monkeypatch.delitem(sys.modules, "heat.cluster.kmeans")


def test_component_alias_of_a_missing_distribution_names_it():
    if installed("heat.ml"):
        pytest.skip("heat-ml is installed")
    with pytest.raises(ImportError, match="pip install heat-ml"):
        import heat.decomposition  # type: ignore[import-not-found]  # noqa: F401
