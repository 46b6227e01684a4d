"""scikit-learn, one process, where it has the algorithm.

``KMeans(init=<the fixed centres>, n_init=1, max_iter=30, tol=0, algorithm="lloyd")``: note that
scikit-learn's Lloyd loop also stops at *strict convergence* (no label changed), so it may run
fewer than 30 iterations; the record keeps ``n_iter_`` and the FLOP count uses it.
``Lasso(alpha, max_iter=20, tol=0, selection="cyclic")`` is the same coordinate descent.
``SpectralClustering(affinity="rbf", eigen_solver="arpack", assign_labels="kmeans")`` uses ARPACK
(not our fixed 64 Lanczos steps) and its own k-means seeding. ``euclidean_distances`` is the
quadratic expansion. scikit-learn has no dense-layer forward pass.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np

from ..workloads import Problem
from . import numpy_impl

UNSUPPORTED = {"forward": "scikit-learn has no dense-layer forward pass (relu(X @ W))"}


class Runner:
    def __init__(self, problem: Problem, path: Path, threads: int, device: str) -> None:
        self.problem, self.path, self.threads = problem, path, threads
        self.a: dict[str, np.ndarray] = {}
        self.iterations: int | None = None

    def load(self) -> None:
        self.a = numpy_impl.load_all(self.problem, self.path)

    def kmeans(self) -> Any:
        from sklearn.cluster import KMeans

        prm = self.problem.params
        est = KMeans(
            prm["k"], init=self.a["C"], n_init=1, max_iter=prm["iterations"], tol=0.0, algorithm="lloyd"
        )
        est.fit(self.a["X"])
        self.iterations = int(est.n_iter_)
        return est.cluster_centers_

    def lasso(self) -> Any:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.linear_model import Lasso

        prm = self.problem.params
        est = Lasso(alpha=prm["alpha"], max_iter=prm["iterations"], tol=0.0, selection="cyclic")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            est.fit(self.a["X"], self.a["y"])
        self.iterations = int(est.n_iter_)
        return est.coef_, est.intercept_

    def spectral(self) -> Any:
        from sklearn.cluster import SpectralClustering

        prm = self.problem.params
        est = SpectralClustering(
            prm["k"], affinity="rbf", gamma=prm["gamma"], eigen_solver="arpack", random_state=0, n_init=1
        )
        return est.fit_predict(self.a["X"])

    def cdist(self) -> Any:
        from sklearn.metrics.pairwise import euclidean_distances

        return euclidean_distances(self.a["X"], self.a["X"])

    def fetch(self, workload: str, out: Any) -> dict[str, Any]:
        return numpy_impl.fetch_local(workload, out, len(self.a["X"]))
