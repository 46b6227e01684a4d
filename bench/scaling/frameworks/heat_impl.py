"""Heat: every process reads its own rows with h5py and adopts them (``ht.array(..., is_split=0)``).

The timed calls are the public API the issues define: ``ht.cluster.KMeans(n_clusters, init=<the
fixed centres>, max_iter=30, tol=0)``, ``ht.maximum(ht.matmul(X, W), 0)`` with ``W`` replicated,
``ht.regression.Lasso(alpha, max_iter=20, tol=0)``, ``ht.cluster.Spectral(n_clusters, gamma=...,
n_lanczos=64)`` and ``ht.spatial.cdist(X, X, quadratic_expansion=True)`` (the study's cdist is
the quadratic expansion in every framework: NumPy's and Dask's explicitly, torch.cdist's and the
published Heat's by default). A component that is not installed (heat-linalg,
heat-ml) raises ImportError/AttributeError on every rank alike; the worker records the run as
failed with that reason.

``published=True`` (framework ``heat-published``) runs the same workloads with the published
Heat's API in its own environment: ``KMeans``, ``matmul``, ``cdist`` as above;
``Spectral(n_clusters, gamma, metric="rbf", laplacian="fully_connected",
eigen_solver="lanczos", lanczos_n_iter=...)``; ``Lasso(lam=alpha, max_iter=20, tol=None)``,
which takes the intercept as the coefficient of a leading column of ones (prepended untimed in
``load``) and updates each coordinate by ``soft(mean(X_j * (y - X theta + theta_j X_j)), lam)``
(a product ``X theta`` per coordinate). That is scikit-learn's update only for columns with
mean square 1, so its result is compared with the same tolerance and may fail the check: its
time is then recorded with the failure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch

from .. import data
from ..workloads import Problem
from . import numpy_impl

UNSUPPORTED: dict[str, str] = {}


def _ours() -> bool:
    """Whether ``import heat`` is this repository's (distribution ``heat-core``, installed
    editable or from wheels) rather than the published Heat (distribution ``heat``)."""
    from importlib import metadata

    try:
        metadata.version("heat-core")
    except metadata.PackageNotFoundError:
        return False
    return True


class Runner:
    def __init__(
        self, problem: Problem, path: Path, threads: int, device: str, published: bool = False
    ) -> None:
        import heat as ht

        ours = _ours()
        if ours == published:
            raise RuntimeError(
                f"heat{'-published' if published else ''}: this Python imports "
                f"{'this repository' if ours else 'the published'} Heat ({ht.__file__}); "
                + (
                    "run the published one with .venv-published (nox -s published_env)"
                    if published
                    else "install this repository's packages (the README's set-up)"
                )
            )
        torch.set_num_threads(threads)
        self.ht, self.published = ht, published
        self.version = str(getattr(ht, "__version__", "?"))
        self.problem, self.path = problem, path
        self.device = "gpu" if device == "gpu" else "cpu"
        self.world = ht.MPI_WORLD
        self.a: dict[str, Any] = {}
        self.iterations: int | None = None

    def _local(self, key: str) -> Any:
        rank, size = self.world.handle.Get_rank(), self.world.handle.Get_size()
        start, stop = data.block_bounds(self.problem.rows, size, rank)
        piece = torch.from_numpy(data.read_rows(self.path, key, start, stop))
        return self.ht.array(piece, is_split=0, device=self.device)

    def load(self) -> None:
        ht, prm = self.ht, self.problem.params
        self.a["X"] = self._local("X")
        if self.problem.workload == "lasso":
            self.a["y"] = self._local("y")
            if self.published:  # the published Lasso's intercept: a leading column of ones
                x = self.a["X"].larray
                ones = torch.ones((x.shape[0], 1), dtype=x.dtype, device=x.device)
                self.a["X"] = ht.array(torch.cat([ones, x], 1), is_split=0, device=self.device)
        if self.problem.workload == "forward":
            w = data.read_rows(self.path, "W", 0, self.problem.cols)  # replicated: every rank reads W
            self.a["W"] = ht.array(torch.from_numpy(w), device=self.device)
        if self.problem.workload == "kmeans":
            with_rows = data.initial_centres(self.path, self.problem.rows, prm["k"])
            self.a["C"] = ht.array(torch.from_numpy(with_rows), device=self.device)

    def kmeans(self) -> Any:
        prm = self.problem.params
        est = self.ht.cluster.KMeans(
            n_clusters=prm["k"], init=self.a["C"], max_iter=prm["iterations"], tol=0.0
        )
        est.fit(self.a["X"])
        self.iterations = int(getattr(est, "n_iter_", prm["iterations"]))
        return est.cluster_centers_

    def forward(self) -> Any:
        return self.ht.maximum(self.ht.matmul(self.a["X"], self.a["W"]), 0.0)

    def lasso(self) -> Any:
        prm = self.problem.params
        if self.published:
            est = self.ht.regression.Lasso(lam=prm["alpha"], max_iter=prm["iterations"], tol=None)
            est.fit(self.a["X"], self.a["y"])
            self.iterations = int(est.n_iter or prm["iterations"])
            return est.coef_, est.intercept_
        est = self.ht.regression.Lasso(alpha=prm["alpha"], max_iter=prm["iterations"], tol=0.0)
        est.fit(self.a["X"], self.a["y"])
        self.iterations = int(getattr(est, "n_iter_", prm["iterations"]))
        return est.coef_, est.intercept_

    def spectral(self) -> Any:
        prm = self.problem.params
        if self.published:
            est = self.ht.cluster.Spectral(
                n_clusters=prm["k"], gamma=prm["gamma"], metric="rbf", laplacian="fully_connected",
                eigen_solver="lanczos", lanczos_n_iter=prm["lanczos"],
            )  # fmt: skip
        else:
            est = self.ht.cluster.Spectral(n_clusters=prm["k"], gamma=prm["gamma"], n_lanczos=prm["lanczos"])
        est.fit(self.a["X"])
        return est.labels_

    def cdist(self) -> Any:
        if self.published:  # its default: torch.cdist, which takes the expansion beyond 25 rows
            return self.ht.spatial.cdist(self.a["X"], self.a["X"])
        return self.ht.spatial.cdist(self.a["X"], self.a["X"], quadratic_expansion=True)

    def _sampled_rows(self, out: Any) -> tuple[np.ndarray, np.ndarray]:
        """The reference's sampled rows of a split-0 result: each rank sends the rows it owns."""
        rows = numpy_impl.sample_rows(out.shape[0])
        rank = self.world.handle.Get_rank()
        cd = out.counts_displs
        _, displs = cd() if callable(cd) else cd
        lo, hi = displs[rank], displs[rank] + out.larray.shape[0]
        mine = rows[(rows >= lo) & (rows < hi)]
        local = out.larray[torch.as_tensor(mine - lo, dtype=torch.long)].cpu().numpy()
        pieces = self.world.handle.allgather((mine, local))
        got = np.concatenate([p[1] for p in pieces if len(p[0])])
        order = np.argsort(np.concatenate([p[0] for p in pieces if len(p[0])]))
        return rows, got[order]

    def fetch(self, workload: str, out: Any) -> dict[str, Any]:
        if workload == "kmeans":
            return {"centres": out.numpy()}
        if workload == "lasso":
            coef, b = out
            b = b.numpy() if hasattr(b, "numpy") else np.asarray(b)
            return {"coef": coef.numpy().ravel(), "intercept": np.asarray(b, dtype=np.float64).ravel()[:1]}
        if workload == "spectral":
            return {"labels": out.numpy()}
        if out.split is None:
            return numpy_impl.fetch_local(workload, out.larray, out.shape[0])
        rows, got = self._sampled_rows(out)
        return {"rows": rows, "Y" if workload == "forward" else "D": got}
