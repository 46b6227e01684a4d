"""NumPy, one process: the reference algorithms every other framework is checked against.

Lloyd k-means from fixed centres, ``relu(X @ W)``, cyclic coordinate descent for the Lasso on
a residual (scikit-learn's objective ``|y - Xw - b|^2 / (2n) + alpha |w|_1``, intercept by
centring), spectral clustering (dense RBF affinity, ``D^-1/2 A D^-1/2``, fixed-length Lanczos with
full re-orthogonalisation, row-normalised embedding, k-means from farthest-point centres) and
``cdist`` by the quadratic expansion. All in float32, as the data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .. import data
from ..workloads import Problem

UNSUPPORTED: dict[str, str] = {}


def kmeans(x: np.ndarray, centres: np.ndarray, iterations: int) -> np.ndarray:
    """Lloyd iterations from ``centres``; an empty cluster keeps its centre."""
    c = centres.astype(x.dtype, copy=True)
    k = len(c)
    xx = np.einsum("ij,ij->i", x, x)
    for _ in range(iterations):
        dist = xx[:, None] - 2 * (x @ c.T) + np.einsum("ij,ij->i", c, c)[None, :]
        labels = dist.argmin(axis=1)
        onehot = (labels[:, None] == np.arange(k)[None, :]).astype(x.dtype)
        sums = onehot.T @ x
        counts = onehot.sum(axis=0)
        c = np.where(counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], c).astype(x.dtype)
    return c


def forward(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return np.maximum(x @ w, 0)


def lasso(x: np.ndarray, y: np.ndarray, alpha: float, iterations: int) -> tuple[np.ndarray, float]:
    """``iterations`` cyclic coordinate-descent sweeps; returns ``(coef, intercept)``."""
    n, d = x.shape
    xm, ym = x.mean(axis=0), y.mean()
    xt = np.ascontiguousarray((x - xm).T)
    r = (y - ym).astype(x.dtype)
    norms = np.einsum("ij,ij->i", xt, xt)
    w = np.zeros(d, dtype=x.dtype)
    threshold = n * alpha
    for _ in range(iterations):
        for j in range(d):
            if norms[j] == 0:
                continue
            rho = xt[j] @ r + norms[j] * w[j]
            new = np.sign(rho) * max(abs(rho) - threshold, 0.0) / norms[j]
            if new != w[j]:
                r -= xt[j] * (new - w[j])
                w[j] = new
    return w, float(ym - xm @ w)


def lanczos_start(n: int) -> np.ndarray:
    """The fixed Lanczos start vector (same for every framework)."""
    v = np.random.default_rng(3).uniform(0.5, 1.5, size=n).astype(np.float32)
    return v / np.linalg.norm(v)


def farthest_point(x: np.ndarray, k: int) -> np.ndarray:
    """Deterministic k-means seeding: row 0, then repeatedly the row farthest from those chosen."""
    chosen = [0]
    dist = ((x - x[0]) ** 2).sum(axis=1)
    for _ in range(1, k):
        chosen.append(int(dist.argmax()))
        dist = np.minimum(dist, ((x - x[chosen[-1]]) ** 2).sum(axis=1))
    return x[chosen]


def spectral(x: np.ndarray, k: int, gamma: float, steps: int, iterations: int) -> np.ndarray:
    """Labels of spectral clustering (see the module docstring)."""
    n = len(x)
    a = np.exp(-gamma * cdist(x, x) ** 2)
    dinv = 1 / np.sqrt(a.sum(axis=1))
    m = dinv[:, None] * a * dinv[None, :]
    steps = min(steps, n)
    v = np.zeros((steps, n), dtype=x.dtype)
    alpha = np.zeros(steps, dtype=np.float64)
    beta = np.zeros(steps, dtype=np.float64)
    v[0] = lanczos_start(n)
    for j in range(steps):
        w = m @ v[j]
        alpha[j] = w @ v[j]
        w -= v[: j + 1].T @ (v[: j + 1] @ w)  # full re-orthogonalisation
        if j + 1 < steps:
            beta[j] = np.linalg.norm(w)
            v[j + 1] = w / max(beta[j], 1e-30)
    t = np.diag(alpha) + np.diag(beta[:-1], 1) + np.diag(beta[:-1], -1)
    _, s = np.linalg.eigh(t)
    emb = (v.T @ s[:, -k:].astype(x.dtype)).astype(x.dtype)
    emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
    centres = kmeans(emb, farthest_point(emb, k), iterations)
    return ((emb[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)


def cdist(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    sq = np.einsum("ij,ij->i", x, x)[:, None] + np.einsum("ij,ij->i", y, y)[None, :] - 2 * (x @ y.T)
    return np.sqrt(np.maximum(sq, 0))


def sample_rows(n: int, size: int = 128) -> np.ndarray:
    """The rows of an ``n``-row result compared with the reference (all when ``n <= size``)."""
    if n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(5).choice(n, size=size, replace=False))


def load_all(problem: Problem, path: Path) -> dict[str, np.ndarray]:
    """The whole problem's arrays (one process)."""
    out = {"X": data.read_rows(path, "X", 0, problem.rows)}
    if problem.workload == "lasso":
        out["y"] = data.read_rows(path, "y", 0, problem.rows)
    if problem.workload == "forward":
        out["W"] = data.read_rows(path, "W", 0, problem.cols)
    if problem.workload == "kmeans":
        out["C"] = data.initial_centres(path, problem.rows, problem.params["k"])
    return out


def reference(problem: Problem, arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The NumPy result in the form :mod:`scaling.checks` compares (rows sampled for n x m outputs)."""
    prm, x = problem.params, arrays["X"]
    if problem.workload == "kmeans":
        return {"centres": kmeans(x, arrays["C"], prm["iterations"])}
    if problem.workload == "forward":
        rows = sample_rows(len(x))
        return {"rows": rows, "Y": forward(x[rows], arrays["W"])}
    if problem.workload == "lasso":
        coef, b = lasso(x, arrays["y"], prm["alpha"], prm["iterations"])
        return {"coef": coef, "intercept": np.asarray(b)}
    if problem.workload == "spectral":
        return {"labels": spectral(x, prm["k"], prm["gamma"], prm["lanczos"], prm["iterations"])}
    if problem.workload == "cdist":
        rows = sample_rows(len(x))
        return {"rows": rows, "D": cdist(x[rows], x)}
    raise ValueError(f"unknown workload {problem.workload!r}")


class Runner:
    """NumPy on one process (its BLAS uses ``threads`` threads, set by the launcher's env)."""

    def __init__(self, problem: Problem, path: Path, threads: int, device: str) -> None:
        self.problem, self.path = problem, path
        self.a: dict[str, np.ndarray] = {}

    def load(self) -> None:
        self.a = load_all(self.problem, self.path)

    def kmeans(self) -> Any:
        return kmeans(self.a["X"], self.a["C"], self.problem.params["iterations"])

    def forward(self) -> Any:
        return forward(self.a["X"], self.a["W"])

    def lasso(self) -> Any:
        prm = self.problem.params
        return lasso(self.a["X"], self.a["y"], prm["alpha"], prm["iterations"])

    def spectral(self) -> Any:
        prm = self.problem.params
        return spectral(self.a["X"], prm["k"], prm["gamma"], prm["lanczos"], prm["iterations"])

    def cdist(self) -> Any:
        return cdist(self.a["X"], self.a["X"])

    def fetch(self, workload: str, out: Any) -> dict[str, Any]:
        return fetch_local(workload, out, len(self.a["X"]))


def fetch_local(workload: str, out: Any, n: int) -> dict[str, Any]:
    """The compared arrays from a one-process result (NumPy arrays or torch tensors)."""

    def arr(v: Any) -> np.ndarray:
        return v.detach().cpu().numpy() if hasattr(v, "detach") else np.asarray(v)

    if workload == "kmeans":
        return {"centres": arr(out)}
    if workload in ("forward", "cdist"):
        rows = sample_rows(n)
        return {"rows": rows, "Y" if workload == "forward" else "D": arr(out)[rows]}
    if workload == "lasso":
        return {"coef": arr(out[0]), "intercept": np.asarray(float(out[1]))}
    if workload == "spectral":
        return {"labels": arr(out)}
    raise ValueError(workload)
