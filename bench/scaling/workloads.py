"""The five workloads of the paper's section IV, their shapes per mode, scale and process count.

Sizes are the paper's, per node for weak scaling (a node is ``ranks_per_node`` processes) and in
total for strong scaling, shrunk by ``--scale s``: a workload whose cost grows linearly with the
data shrinks one axis by ``s`` (the features of the Cityscapes matrix, the rows of EURAD-IM); the
quadratic ones (spectral, cdist: ``n^2`` work) shrink their rows by ``sqrt(s)``, so every workload's
work shrinks by ``s``. ``--scale paper`` is ``s = 1``.

>>> p = problem("kmeans", "weak", processes=2, scale=1 / 1024)
>>> p.rows, p.cols
(600, 6144)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from . import flops

# finishes `nox -s bench -- --nodes 2` (2 cores, all frameworks, both modes) in about 10 minutes
DEFAULT_SCALE = 1 / 4096
MODES = ("weak", "strong")


@dataclass(frozen=True)
class Workload:
    """A workload as the paper defines it (sizes at scale 1)."""

    name: str
    dataset: str
    cols: int
    weak_per_node: int
    strong_rows: int
    shrink: str  # which axis --scale shrinks: "cols", "rows" or "rows_sqrt"
    weak_growth: str  # rows per node grow "linear"ly or by "sqrt" of the node count
    params: dict[str, Any] = field(default_factory=dict)
    description: str = ""


WORKLOADS: dict[str, Workload] = {
    w.name: w
    for w in (
        Workload(
            "kmeans",
            "cityscapes",
            6_291_456,
            300,
            1200,
            "cols",
            "linear",
            {"k": 8, "iterations": 30},
            "KMeans, k=8, 30 Lloyd iterations from fixed initial centres",
        ),
        Workload(
            "forward",
            "cityscapes",
            6_291_456,
            300,
            1200,
            "cols",
            "linear",
            {"hidden": 128},
            "relu(X @ W), W random cols x 128 (one dense layer)",
        ),
        Workload(
            "lasso",
            "eurad",
            100,
            714_280,
            10_000_000,
            "rows",
            "linear",
            {"iterations": 20, "alpha": 0.05},
            "Lasso, cyclic coordinate descent, 20 sweeps, alpha=0.05, intercept",
        ),
        Workload(
            "spectral",
            "susy",
            18,
            25_820,
            40_000,
            "rows_sqrt",
            "sqrt",
            {"k": 4, "gamma": 0.05, "lanczos": 64, "iterations": 30},
            "spectral clustering: dense RBF affinity, normalised Laplacian, 64 Lanczos steps, k-means",
        ),
        Workload(
            "cdist",
            "susy",
            18,
            25_820,
            40_000,
            "rows_sqrt",
            "sqrt",
            {},
            "pairwise Euclidean distances cdist(X, X)",
        ),
    )
}


def parse_scale(text: str | float) -> float:
    """``"paper"`` -> 1; a number or a fraction (``"1/1024"``) -> that value in (0, 1].

    >>> parse_scale("1/4")
    0.25
    """
    if isinstance(text, float | int):
        value = float(text)
    elif text.strip().lower() == "paper":
        value = 1.0
    else:
        try:
            value = float(Fraction(text.strip()))
        except (ValueError, ZeroDivisionError) as err:
            raise ValueError(
                f"--scale must be 'paper', a number or a fraction like 1/1024, got {text!r}"
            ) from err
    if not 0 < value <= 1:
        raise ValueError(f"--scale must lie in (0, 1] (1 = the paper's sizes), got {value}")
    return value


@dataclass(frozen=True)
class Problem:
    """One workload instance: the matrix to load (``rows x cols`` of ``dataset``) and parameters."""

    workload: str
    mode: str
    processes: int
    nodes: float
    rows: int
    cols: int
    dataset: str
    params: dict[str, Any]

    def flop_count(self, iterations: int | None = None) -> int:
        """Analytic FLOPs; ``iterations`` overrides the planned count (a solver that stopped early)."""
        n, d, prm = self.rows, self.cols, self.params
        if self.workload == "kmeans":
            return flops.kmeans(n, d, prm["k"], iterations or prm["iterations"])
        if self.workload == "forward":
            return flops.forward(n, d, prm["hidden"])
        if self.workload == "lasso":
            return flops.lasso(n, d, iterations or prm["iterations"])
        if self.workload == "spectral":
            return flops.spectral(n, d, prm["k"], prm["lanczos"], iterations or prm["iterations"])
        if self.workload == "cdist":
            return flops.cdist(n, n, d)
        raise ValueError(f"unknown workload {self.workload!r}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "workload": self.workload,
            "mode": self.mode,
            "processes": self.processes,
            "nodes": self.nodes,
            "rows": self.rows,
            "cols": self.cols,
            "dataset": self.dataset,
            "params": dict(self.params),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Problem:
        return cls(**{k: d[k] for k in cls.__dataclass_fields__})


def problem(workload: str, mode: str, processes: int, scale: float, ranks_per_node: int = 1) -> Problem:
    """The shape of ``workload`` in ``mode`` ("weak"/"strong") on ``processes`` processes."""
    if workload not in WORKLOADS:
        raise ValueError(f"unknown workload {workload!r}; choose from {sorted(WORKLOADS)}")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    w = WORKLOADS[workload]
    nodes = processes / ranks_per_node
    if mode == "strong":
        rows = float(w.strong_rows)
    elif w.weak_growth == "sqrt":
        rows = w.weak_per_node * math.sqrt(nodes)
    else:
        rows = w.weak_per_node * nodes
    cols = w.cols
    if w.shrink == "cols":
        cols = max(16, round(cols * scale))
    elif w.shrink == "rows":
        rows *= scale
    else:
        rows *= math.sqrt(scale)
    return Problem(workload, mode, processes, nodes, max(8, round(rows)), cols, w.dataset, dict(w.params))
