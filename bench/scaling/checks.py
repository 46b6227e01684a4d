"""Compare a run's result with the NumPy result; tolerances per workload.

| workload | compared | metric | tolerance |
| --- | --- | --- | --- |
| kmeans | final centres (matched to the nearest reference centre) | max abs error / max abs ref | 1e-3 |
| forward | sampled rows of ``relu(X @ W)`` | max abs error / max abs reference | 1e-4 |
| lasso | coefficients and intercept | max abs error / max abs reference coefficient | 1e-3 |
| spectral | labels | adjusted Rand index with the reference labels | >= 0.9 |
| cdist | sampled rows of the distance matrix | max abs error / max reference distance | 1e-3 |

All in float32: errors of ~1e-6 relative are rounding; the tolerances leave room for the
different summation orders (BLAS blocking, per-process partial sums), and for the quadratic
expansion's cancellation on near points (cdist). Spectral clustering is compared by the
partition, which is invariant to label permutations and to eigensolver details (ARPACK,
Nyström).

>>> import numpy as np
>>> check("kmeans", {"centres": np.eye(2)}, {"centres": np.eye(2)[::-1]})["passed"]
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

TOLERANCES = {"kmeans": 1e-3, "forward": 1e-4, "lasso": 1e-3, "spectral": 0.9, "cdist": 1e-3}


def adjusted_rand(a: np.ndarray, b: np.ndarray) -> float:
    """Adjusted Rand index of two labelings (1 = the same partition)."""
    a, b = np.asarray(a).ravel(), np.asarray(b).ravel()
    if a.shape != b.shape:
        return float("nan")
    _, ai = np.unique(a, return_inverse=True)
    _, bi = np.unique(b, return_inverse=True)
    table = np.zeros((ai.max() + 1, bi.max() + 1), dtype=np.int64)
    np.add.at(table, (ai, bi), 1)

    def pairs(v: np.ndarray) -> float:
        return float((v * (v - 1) / 2).sum())

    index, rows, cols = pairs(table), pairs(table.sum(1)), pairs(table.sum(0))
    total = len(a) * (len(a) - 1) / 2
    expected = rows * cols / total if total else 0.0
    maximum = (rows + cols) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)


def _rel(got: np.ndarray, ref: np.ndarray) -> float:
    got, ref = np.asarray(got, dtype=np.float64), np.asarray(ref, dtype=np.float64)
    if got.shape != ref.shape:
        return float("inf")
    scale = max(float(np.abs(ref).max(initial=0.0)), 1e-30)
    return float(np.abs(got - ref).max(initial=0.0)) / scale


def check(workload: str, result: dict[str, Any], reference: dict[str, Any]) -> dict[str, Any]:
    """``{"metric", "value", "tolerance", "passed"}`` for ``result`` against ``reference``."""
    tol = TOLERANCES[workload]
    if workload == "kmeans":
        got, ref = np.asarray(result["centres"]), np.asarray(reference["centres"])
        if got.shape == ref.shape:
            nearest = ((ref[:, None, :] - got[None, :, :]) ** 2).sum(2).argmin(1)
            got = got[nearest]
        value, metric = _rel(got, ref), "max relative error of the centres"
    elif workload == "forward":
        value, metric = _rel(result["Y"], reference["Y"]), "max relative error (sampled rows)"
    elif workload == "cdist":
        value, metric = _rel(result["D"], reference["D"]), "max relative error (sampled rows)"
    elif workload == "lasso":
        got = np.append(np.asarray(result["coef"]).ravel(), np.asarray(result["intercept"]).ravel())
        ref = np.asarray(reference["coef"]).ravel()
        ref_all = np.append(ref, np.asarray(reference["intercept"]).ravel())
        scale = max(float(np.abs(ref).max(initial=0.0)), 1e-30)
        value = float(np.abs(got - ref_all).max()) / scale if got.shape == ref_all.shape else float("inf")
        metric = "max error of coef and intercept / max |coef|"
    elif workload == "spectral":
        value, metric = adjusted_rand(result["labels"], reference["labels"]), "adjusted Rand index"
        return {"metric": metric, "value": value, "tolerance": tol, "passed": bool(value >= tol)}
    else:
        raise ValueError(f"unknown workload {workload!r}")
    return {"metric": metric, "value": value, "tolerance": tol, "passed": bool(value <= tol)}
