"""PyTorch, one process (``torch.set_num_threads(threads)``; GPU with ``--device gpu``).

The same algorithms as :mod:`.numpy_impl`, as torch tensor code (``torch.cdist`` for distances);
the Lasso's soft-threshold stays on the device (no ``.item()`` per coordinate).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch

from ..workloads import Problem
from . import numpy_impl

UNSUPPORTED: dict[str, str] = {}


def kmeans(x: torch.Tensor, centres: torch.Tensor, iterations: int) -> torch.Tensor:
    c = centres.clone()
    k = len(c)
    xx = (x * x).sum(1)
    ar = torch.arange(k, device=x.device)
    for _ in range(iterations):
        dist = xx[:, None] - 2 * (x @ c.T) + (c * c).sum(1)[None, :]
        labels = dist.argmin(1)
        onehot = (labels[:, None] == ar[None, :]).to(x.dtype)
        sums = onehot.T @ x
        counts = onehot.sum(0)
        c = torch.where(counts[:, None] > 0, sums / counts.clamp(min=1)[:, None], c)
    return c


def lasso(
    x: torch.Tensor, y: torch.Tensor, alpha: float, iterations: int
) -> tuple[torch.Tensor, torch.Tensor]:
    n, d = x.shape
    xm, ym = x.mean(0), y.mean()
    xt = (x - xm).T.contiguous()
    r = y - ym
    norms = (xt * xt).sum(1)
    safe = torch.where(norms > 0, norms, torch.ones_like(norms))
    w = torch.zeros(d, dtype=x.dtype, device=x.device)
    threshold = n * alpha
    for _ in range(iterations):
        for j in range(d):
            rho = xt[j] @ r + norms[j] * w[j]
            new = torch.sign(rho) * torch.clamp(rho.abs() - threshold, min=0) / safe[j]
            r -= xt[j] * (new - w[j])
            w[j] = new
    return w, ym - xm @ w


def spectral(x: torch.Tensor, k: int, gamma: float, steps: int, iterations: int) -> torch.Tensor:
    n = len(x)
    a = torch.exp(-gamma * torch.cdist(x, x) ** 2)
    dinv = 1 / torch.sqrt(a.sum(1))
    m = dinv[:, None] * a * dinv[None, :]
    steps = min(steps, n)
    v = torch.zeros((steps, n), dtype=x.dtype, device=x.device)
    alpha = torch.zeros(steps, dtype=torch.float64)
    beta = torch.zeros(steps, dtype=torch.float64)
    v[0] = torch.from_numpy(numpy_impl.lanczos_start(n)).to(x.device)
    for j in range(steps):
        w = m @ v[j]
        alpha[j] = w @ v[j]
        w -= v[: j + 1].T @ (v[: j + 1] @ w)
        if j + 1 < steps:
            beta[j] = torch.linalg.norm(w)
            v[j + 1] = w / max(float(beta[j]), 1e-30)
    t = torch.diag(alpha) + torch.diag(beta[:-1], 1) + torch.diag(beta[:-1], -1)
    _, s = torch.linalg.eigh(t)
    emb = v.T @ s[:, -k:].to(x.dtype).to(x.device)
    emb = emb / emb.norm(dim=1, keepdim=True).clamp(min=1e-12)
    seeds = torch.from_numpy(numpy_impl.farthest_point(emb.cpu().numpy(), k)).to(x.device)
    centres = kmeans(emb, seeds, iterations)
    return torch.cdist(emb, centres).argmin(1)


class Runner:
    def __init__(self, problem: Problem, path: Path, threads: int, device: str) -> None:
        torch.set_num_threads(threads)
        self.problem, self.path = problem, path
        self.device = torch.device("cuda" if device == "gpu" else "cpu")
        self.t: dict[str, torch.Tensor] = {}

    def load(self) -> None:
        arrays = numpy_impl.load_all(self.problem, self.path)
        self.t = {k: torch.from_numpy(np.ascontiguousarray(v)).to(self.device) for k, v in arrays.items()}

    def _sync(self, out: Any) -> Any:
        if self.device.type == "cuda":
            torch.cuda.synchronize()
        return out

    def kmeans(self) -> Any:
        return self._sync(kmeans(self.t["X"], self.t["C"], self.problem.params["iterations"]))

    def forward(self) -> Any:
        return self._sync(torch.relu(self.t["X"] @ self.t["W"]))

    def lasso(self) -> Any:
        prm = self.problem.params
        return self._sync(lasso(self.t["X"], self.t["y"], prm["alpha"], prm["iterations"]))

    def spectral(self) -> Any:
        prm = self.problem.params
        return self._sync(spectral(self.t["X"], prm["k"], prm["gamma"], prm["lanczos"], prm["iterations"]))

    def cdist(self) -> Any:
        return self._sync(torch.cdist(self.t["X"], self.t["X"]))

    def fetch(self, workload: str, out: Any) -> dict[str, Any]:
        return numpy_impl.fetch_local(workload, out, len(self.t["X"]))
