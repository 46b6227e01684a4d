"""Dask on a ``dask.distributed`` cluster started by ``dask-mpi`` under the same launcher.

Process accounting (dask-mpi): rank 0 runs the scheduler, rank 1 this client, ranks 2.. the
workers; a run "on p processes" launches ``p + 2`` MPI processes with ``p`` workers of
``threads`` threads each. Data: every chunk is read with h5py by a task pinned to one worker
(round robin), so a worker reads only its own rows, then persisted (untimed).

Chunking: ``tuned`` is Heat's block decomposition (``p`` balanced row blocks, all columns);
``auto`` is dask's ``chunks="auto"`` (``array.chunk-size``, 128 MiB by default), which keeps
small problems in one chunk on one worker.

Algorithms: ``dask_ml.cluster.KMeans(init=<the fixed centres>, max_iter=30, tol=0)`` (its loop
runs every iteration when ``tol=0``); ``relu(X @ W)`` and ``cdist`` (quadratic expansion) in
``dask.array``; the Lasso has no coordinate-descent solver in dask-ml/dask-glm, so the same
cyclic coordinate descent is written in ``dask.array``: each sweep builds the lazy graph of its
coordinate updates (the soft-threshold stays in the graph, no round trip per coordinate) and is
persisted once; spectral clustering is ``dask_ml.cluster.SpectralClustering`` (Nyström
approximation from 100 sampled columns, as the paper's Dask baseline, not an exact affinity).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .. import data
from ..workloads import Problem
from . import numpy_impl

UNSUPPORTED: dict[str, str] = {}


class Runner:
    def __init__(
        self, problem: Problem, path: Path, threads: int, device: str, chunking: str = "tuned"
    ) -> None:
        from distributed import Client

        self.problem, self.path, self.chunking = problem, path, chunking
        self.client = Client()
        self.workers = max(1, problem.processes)
        self.client.wait_for_workers(self.workers, timeout=120)
        self.a: dict[str, Any] = {}
        self.trial = 0
        self.iterations: int | None = None

    def chunks(self, shape: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
        from dask.array.core import normalize_chunks

        if self.chunking == "auto":
            return normalize_chunks("auto", shape, dtype=np.float32)  # type: ignore[no-any-return]
        bounds = [data.block_bounds(shape[0], self.workers, i) for i in range(self.workers)]
        rows = tuple(b - a for a, b in bounds if b > a)
        return (rows, *((s,) for s in shape[1:]))

    def _read(self, key: str, shape: tuple[int, ...]) -> Any:
        """A dask array of ``key`` whose chunks are read by tasks pinned to the workers."""
        import dask
        import dask.array as da
        from distributed import wait

        chunks = self.chunks(shape)
        addresses = sorted(self.client.scheduler_info()["workers"])
        row_edges = np.cumsum((0, *chunks[0]))
        col_edges = np.cumsum((0, *chunks[1])) if len(shape) > 1 else None
        futures, blocks, i = [], [], 0
        for r in range(len(chunks[0])):
            row = []
            for c in range(len(chunks[1]) if col_edges is not None else 1):
                rows = (int(row_edges[r]), int(row_edges[r + 1]))
                cols = (int(col_edges[c]), int(col_edges[c + 1])) if col_edges is not None else None
                fut = self.client.submit(
                    data.read_block,
                    self.path,
                    key,
                    rows,
                    cols,
                    workers=[addresses[i % len(addresses)]],
                    pure=False,
                )
                i += 1
                futures.append(fut)
                block_shape = (rows[1] - rows[0],) + ((cols[1] - cols[0],) if cols else ())
                row.append(da.from_delayed(dask.delayed(fut), block_shape, dtype=np.float32))
            blocks.append(row if col_edges is not None else row[0])
        wait(futures)
        arr = da.block(blocks) if col_edges is not None else da.concatenate(blocks)
        return arr.persist()

    def load(self) -> None:
        from distributed import wait

        p = self.problem
        self.a["X"] = self._read("X", (p.rows, p.cols))
        if p.workload == "lasso":
            self.a["y"] = self._read("y", (p.rows,))
        if p.workload == "forward":
            self.a["W"] = self._read("W", (p.cols, p.params["hidden"]))
        if p.workload == "kmeans":
            self.a["C"] = data.initial_centres(self.path, p.rows, p.params["k"])
        wait(list(v for v in self.a.values() if hasattr(v, "dask")))

    def _persist(self, arr: Any) -> Any:
        from distributed import wait

        arr = arr.persist()
        wait(arr)
        return arr

    def _fresh(self, key: str) -> Any:
        """``self.a[key]`` under new task keys for this trial (an identity task per chunk, no copy):
        a repeated graph would have the same keys, and the scheduler would hand back the previous
        trial's result, still held, instead of computing it."""
        self.trial += 1
        arr = self.a[key]
        return arr.map_blocks(_identity, name=f"{arr.name}-trial{self.trial}", dtype=arr.dtype)

    def kmeans(self) -> Any:
        from dask_ml.cluster import KMeans

        prm = self.problem.params
        est = KMeans(
            n_clusters=prm["k"], init=self.a["C"], max_iter=prm["iterations"], tol=0.0, random_state=0
        )
        est.fit(self.a["X"])
        self.iterations = int(est.n_iter_)
        return np.asarray(est.cluster_centers_)

    def forward(self) -> Any:
        import dask.array as da

        return self._persist(da.maximum(self._fresh("X") @ self.a["W"], 0))

    def lasso(self) -> Any:
        import dask
        import dask.array as da

        prm = self.problem.params
        x, y = self._fresh("X"), self._fresh("y")
        n, d = x.shape
        xm, ym = dask.compute(x.mean(axis=0), y.mean())
        xc = self._persist(x - xm)
        r = self._persist(y - ym)
        norms = (xc * xc).sum(axis=0).compute()
        safe = np.where(norms > 0, norms, 1).astype(np.float32)
        w = [da.zeros((), dtype=np.float32) for _ in range(d)]
        threshold = n * prm["alpha"]
        for _ in range(prm["iterations"]):
            for j in range(d):
                xj = xc[:, j]
                rho = da.dot(xj, r) + norms[j] * w[j]
                new = da.sign(rho) * da.maximum(abs(rho) - threshold, 0) / safe[j]
                r = r - xj * (new - w[j])
                w[j] = new
            r, *w = dask.persist(r, *w)
        coef = np.asarray(dask.compute(*w), dtype=np.float32)
        return coef, float(ym - xm @ coef)

    def spectral(self) -> Any:
        from dask_ml.cluster import SpectralClustering

        prm = self.problem.params
        est = SpectralClustering(
            n_clusters=prm["k"],
            gamma=prm["gamma"],
            affinity="rbf",
            n_components=min(100, self.problem.rows - 1),
            random_state=0,
            # without a persisted embedding, dask-ml 2025.1's k-means|| initialisation on it
            # fails on a distributed cluster with a KeyError (rechunk-merge-...-aggregate)
            persist_embedding=True,
        )
        est.fit(self._fresh("X"))
        return self._persist(est.labels_)

    def cdist(self) -> Any:
        import dask.array as da

        x = self._fresh("X")
        sq = (x * x).sum(axis=1)
        d2 = sq[:, None] + sq[None, :] - 2 * (x @ x.T)
        return self._persist(da.sqrt(da.maximum(d2, 0)))

    def fetch(self, workload: str, out: Any) -> dict[str, Any]:
        if workload == "kmeans":
            return {"centres": out}
        if workload == "lasso":
            return {"coef": out[0], "intercept": np.asarray(out[1])}
        if workload == "spectral":
            return {"labels": np.asarray(out.compute())}
        rows = numpy_impl.sample_rows(out.shape[0])
        return {"rows": rows, "Y" if workload == "forward" else "D": np.asarray(out[rows].compute())}

    def peak_rss(self) -> list[float]:
        """Peak RSS (MiB) of the scheduler, this client and every worker."""
        from .. import records

        workers = self.client.run(records.peak_rss_mib)
        sched = self.client.run_on_scheduler(records.peak_rss_mib)
        return [float(sched), records.peak_rss_mib(), *(float(v) for v in workers.values())]

    def close(self) -> None:
        self.client.close()


def _identity(block: Any) -> Any:
    return block
