__path__ = __import__("pkgutil").extend_path(__path__, __name__)

__doc__ = """Heat: distributed N-dimensional arrays with the NumPy and scikit-learn APIs.

``import heat as ht`` gives the core API (``ht.array``, ``ht.zeros``, ``ht.resplit``, ...)
from the ``heat-core`` distribution. The optional packages appear as attributes when they
are installed: ``ht.random`` (heat-random), ``ht.linalg`` (heat-linalg), ``ht.io`` and
``ht.load``/``ht.save`` (heat-io), ``ht.cluster``, ``ht.spatial``, ... (heat-ml). Touching
one that is missing raises an ImportError naming the distribution to install.

Examples
--------
>>> import heat as ht
>>> x = ht.arange(10, split=0)
>>> x.shape
(10,)
"""

import importlib as _importlib
from importlib.metadata import PackageNotFoundError as _NotFound
from importlib.metadata import version as _version
from typing import TYPE_CHECKING, Any

from heat.core import *  # noqa: F403
from heat.core import __all__ as _core_all

try:
    __version__ = _version("heat-core")
except _NotFound:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

_PUBLISHED_HEAT = "heat"


def _check_clash() -> None:
    """The PyPI distribution ``heat`` (the published Heat) ships the same paths as ours and
    overwrites them when installed beside us: refuse to run half of each."""
    try:
        _version(_PUBLISHED_HEAT)
    except _NotFound:
        return
    raise ImportError(
        "the published Heat ('heat' on PyPI) is installed in this environment and overwrites files of "
        "heat-core; run `pip uninstall heat heat-core` and reinstall heat-core (and the other heat-* "
        "packages) to use this Heat"
    )


_check_clash()

# optional components: attribute -> (module, distribution)
_OPTIONAL: dict[str, tuple[str, str]] = {
    "random": ("heat.random", "heat-random"),
    "linalg": ("heat.linalg", "heat-linalg"),
    "io": ("heat.io", "heat-io"),
    "ml": ("heat.ml", "heat-ml"),
    "cluster": ("heat.ml.cluster", "heat-ml"),
    "spatial": ("heat.ml.spatial", "heat-ml"),
    "regression": ("heat.ml.regression", "heat-ml"),
    "classification": ("heat.ml.classification", "heat-ml"),
    "naive_bayes": ("heat.ml.naive_bayes", "heat-ml"),
    "decomposition": ("heat.ml.decomposition", "heat-ml"),
    "preprocessing": ("heat.ml.preprocessing", "heat-ml"),
}
# functions that optional components also expose at top level, like NumPy: name -> component
_OPTIONAL_FUNCTIONS: dict[str, str] = {
    "load": "io",
    "save": "io",
    "load_hdf5": "io",
    "save_hdf5": "io",
    "load_csv": "io",
    "save_csv": "io",
    "load_npy": "io",
    "save_npy": "io",
    "load_netcdf": "io",
    "save_netcdf": "io",
    "load_zarr": "io",
    "save_zarr": "io",
    **dict.fromkeys(
        (
            "matmul",
            "dot",
            "vdot",
            "vecdot",
            "inner",
            "outer",
            "tensordot",
            "einsum",
            "kron",
            "cross",
            "trace",
            "matrix_transpose",
            "tril",
            "triu",
            "norm",
        ),
        "linalg",
    ),
}

if TYPE_CHECKING:
    from heat import io as io
    from heat import linalg as linalg
    from heat import ml as ml
    from heat import random as random
    from heat.comm import Communicator as _Communicator
    from heat.io import load as load
    from heat.io import load_csv as load_csv
    from heat.io import load_hdf5 as load_hdf5
    from heat.io import load_netcdf as load_netcdf
    from heat.io import load_npy as load_npy
    from heat.io import load_zarr as load_zarr
    from heat.io import save as save
    from heat.io import save_csv as save_csv
    from heat.io import save_hdf5 as save_hdf5
    from heat.io import save_netcdf as save_netcdf
    from heat.io import save_npy as save_npy
    from heat.io import save_zarr as save_zarr
    from heat.linalg import cross as cross
    from heat.linalg import dot as dot
    from heat.linalg import einsum as einsum
    from heat.linalg import inner as inner
    from heat.linalg import kron as kron
    from heat.linalg import matmul as matmul
    from heat.linalg import matrix_transpose as matrix_transpose
    from heat.linalg import norm as norm
    from heat.linalg import outer as outer
    from heat.linalg import tensordot as tensordot
    from heat.linalg import trace as trace
    from heat.linalg import tril as tril
    from heat.linalg import triu as triu
    from heat.linalg import vdot as vdot
    from heat.linalg import vecdot as vecdot
    from heat.ml import classification as classification
    from heat.ml import cluster as cluster
    from heat.ml import decomposition as decomposition
    from heat.ml import naive_bayes as naive_bayes
    from heat.ml import preprocessing as preprocessing
    from heat.ml import regression as regression
    from heat.ml import spatial as spatial

    MPI_WORLD: _Communicator
    MPI_SELF: _Communicator


def _component(name: str) -> Any:
    module, dist = _OPTIONAL[name]
    try:
        return _importlib.import_module(module)
    except ModuleNotFoundError as err:
        if err.name is not None and (module == err.name or module.startswith(err.name + ".")):
            raise ImportError(f"heat.{name} needs '{dist}': pip install {dist}") from err
        raise


def __getattr__(name: str) -> Any:
    if name in _OPTIONAL:
        value = _component(name)
    elif name in _OPTIONAL_FUNCTIONS:
        value = getattr(_component(_OPTIONAL_FUNCTIONS[name]), name)
    elif name == "MPI_WORLD":
        import heat.comm

        return heat.comm.WORLD
    elif name == "MPI_SELF":
        import heat.comm

        return heat.comm.SELF
    else:
        raise AttributeError(f"module 'heat' has no attribute {name!r}")
    globals()[name] = value
    return value


class _AliasFinder:
    """``import heat.cluster`` (and ``from heat.cluster import KMeans``) finds the module that
    ``ht.cluster`` names (``heat.ml.cluster``): one module object under both names, no alias
    files in any wheel."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        parts = fullname.split(".")
        if len(parts) < 2 or parts[0] != "heat" or parts[1] not in _OPTIONAL:
            return None
        module, _ = _OPTIONAL[parts[1]]
        if module == f"heat.{parts[1]}":
            return None  # a real subpackage (heat.random, heat.linalg, ...): the normal finders
        from importlib.util import spec_from_loader

        return spec_from_loader(fullname, self, origin=".".join([module, *parts[2:]]))

    def create_module(self, spec: Any) -> Any:
        parts = spec.name.split(".")
        if len(parts) == 2:
            return _component(parts[1])
        return _importlib.import_module(spec.origin)

    def exec_module(self, module: Any) -> None:
        """The target module ran when it was imported."""


__import__("sys").meta_path.append(_AliasFinder())


def __dir__() -> list[str]:
    return sorted({*globals(), *_OPTIONAL, "MPI_WORLD", "MPI_SELF"})


__all__ = [*_core_all, "MPI_SELF", "MPI_WORLD"]  # noqa: PLE0604
