"""asv suite ``ml``: heat.ml estimators against scikit-learn, PyTorch and SciPy.

Under plain asv one process runs: ``KMeansFit``, ``Cdist`` and ``LassoFit`` time Heat and the
baselines on the same data in the same process. The ``track_*`` functions run this file under
``mpiexec -n 2`` (``python bench/benchmarks/ml.py --json out.json --md out.md``; any process
count works) and report Heat's time at 2 processes relative to scikit-learn with 2 threads
measured in the same run.

The script runs the issue's sizes: KMeans 10^6 x 18 float32, k = 8, 30 Lloyd iterations from
fixed centres (tol = 0), against scikit-learn, a PyTorch Lloyd loop and dask-ml (a
``LocalCluster`` of p single-threaded worker processes, data in p row chunks); Lasso
10^6 x 100 float64, 20 sweeps (tol = 0); cdist 20 000 x 18 float32 against itself, against
``torch.cdist`` and SciPy. ``--small`` (and the one-process asv classes) use 1/5 of the rows
for KMeans and 1/10 for Lasso and 1/4 for cdist, so plain asv runs stay short.
"""

from __future__ import annotations

import os
import sys

if (
    __name__ == "__main__"
):  # run as a script: the suites beside this file (random.py) must not shadow the stdlib
    sys.path[:] = [
        e for e in sys.path if os.path.abspath(e or ".") != os.path.dirname(os.path.abspath(__file__))
    ]

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
import torch

KM_N, KM_D, KM_K, KM_ITERS = 1_000_000, 18, 8, 30
LASSO_N, LASSO_D, LASSO_SWEEPS = 1_000_000, 100, 20
CDIST_N, CDIST_D = 20_000, 18
SMALL = {"kmeans": 200_000, "lasso": 100_000, "cdist": 5_000}  # rows for --small and plain asv


def kmeans_data(n: int = SMALL["kmeans"]) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((KM_K, KM_D)) * 5
    x = (centres[rng.integers(0, KM_K, n)] + rng.standard_normal((n, KM_D))).astype(np.float32)
    return x, x[:KM_K].copy()


def lasso_data(n: int = SMALL["lasso"]) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((n, LASSO_D))
    w = np.where(rng.random(LASSO_D) < 0.2, rng.standard_normal(LASSO_D), 0.0)
    return x, x @ w + 0.1 * rng.standard_normal(n)


def cdist_data(n: int = SMALL["cdist"]) -> np.ndarray:
    return np.random.default_rng(2).standard_normal((n, CDIST_D)).astype(np.float32)


def daskml_kmeans_seconds(x: np.ndarray, init: np.ndarray, workers: int) -> float:
    """dask-ml's KMeans from the same centres, on a local cluster of ``workers`` single-threaded
    processes with the rows in ``workers`` chunks: the fastest of two fits (seconds)."""
    import dask.array as da
    from dask.distributed import Client, LocalCluster
    from dask_ml.cluster import KMeans as DaskKMeans
    from mpi_timing import median_seconds

    options = {"threads_per_worker": 1, "processes": True, "dashboard_address": None}
    with LocalCluster(n_workers=workers, **options) as cluster, Client(cluster):
        dx = da.from_array(x, chunks=(-(-x.shape[0] // workers), x.shape[1])).persist()
        model = DaskKMeans(n_clusters=KM_K, init=init, max_iter=KM_ITERS, tol=0.0)
        return median_seconds(lambda: model.fit(dx), reps=2)


# ---------------------------------------------------------------- asv, one process
class KMeansFit:  # the --small sizes
    timeout = 300

    def setup(self) -> None:
        import heat as ht

        torch.set_num_threads(1)
        self.x, self.init = kmeans_data()
        self.hx = ht.array(self.x, split=0)

    def time_heat(self) -> None:
        import heat as ht

        ht.cluster.KMeans(KM_K, init=self.init, max_iter=KM_ITERS, tol=0.0).fit(self.hx)

    def time_sklearn(self) -> None:
        from sklearn.cluster import KMeans
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1):
            KMeans(KM_K, init=self.init, n_init=1, max_iter=KM_ITERS, tol=0.0).fit(self.x)


class LassoFit:
    timeout = 300

    def setup(self) -> None:
        import heat as ht

        torch.set_num_threads(1)
        self.x, self.y = lasso_data()
        self.hx, self.hy = ht.array(self.x, split=0), ht.array(self.y, split=0)

    def time_heat(self) -> None:
        import heat as ht

        ht.regression.Lasso(alpha=0.01, max_iter=LASSO_SWEEPS, tol=0.0).fit(self.hx, self.hy)

    def time_sklearn(self) -> None:
        import warnings

        from sklearn.linear_model import Lasso
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Lasso(alpha=0.01, max_iter=LASSO_SWEEPS, tol=0.0).fit(self.x, self.y)


class Cdist:
    timeout = 300

    def setup(self) -> None:
        import heat as ht

        torch.set_num_threads(1)
        self.x = cdist_data()
        self.t = torch.from_numpy(self.x)
        self.hx = ht.array(self.x, split=0)

    def time_heat(self) -> None:
        import heat as ht

        ht.spatial.cdist(self.hx, self.hx)

    def time_heat_quadratic(self) -> None:
        import heat as ht

        ht.spatial.cdist(self.hx, self.hx, quadratic_expansion=True)

    def time_torch(self) -> None:
        torch.cdist(self.t, self.t, compute_mode="donot_use_mm_for_euclid_dist")

    def time_scipy(self) -> None:
        from scipy.spatial.distance import cdist

        cdist(self.x, self.x)


# ---------------------------------------------------------------- asv, two processes
_CACHE: dict[str, Any] = {}


def _two_process_run() -> dict[tuple[str, str], Any]:
    if "rows" not in _CACHE:
        from ._mpirun import run_script

        record = run_script("benchmarks/ml.py")
        _CACHE["rows"] = {(r["case"], r["baseline"]): r for r in record["rows"]}
    return _CACHE["rows"]  # type: ignore[no-any-return]


def track_kmeans_ratio_to_sklearn() -> float:
    """Heat KMeans at 2 processes / scikit-learn KMeans at 2 threads (same data, centres, iterations)."""
    return float(_two_process_run()[("KMeans fit", "sklearn")]["ratio"])


def track_kmeans_ratio_to_daskml() -> float:
    """Heat KMeans at 2 processes / dask-ml KMeans on 2 single-threaded workers."""
    return float(_two_process_run()[("KMeans fit", "dask-ml")]["ratio"])


def track_lasso_ratio_to_sklearn() -> float:
    """Heat Lasso at 2 processes / scikit-learn Lasso at 2 threads (20 sweeps)."""
    return float(_two_process_run()[("Lasso fit", "sklearn")]["ratio"])


def track_lasso_gram_ratio_to_sklearn() -> float:
    """Heat Lasso(precompute=True) at 2 processes / scikit-learn's at 2 threads (20 sweeps)."""
    return float(_two_process_run()[("Lasso fit (precompute=True)", "sklearn")]["ratio"])


def track_cdist_ratio_to_torch() -> float:
    """ht.spatial.cdist at 2 processes / torch.cdist at 2 threads (exact Euclidean)."""
    return float(_two_process_run()[("cdist", "torch")]["ratio"])


track_kmeans_ratio_to_sklearn.unit = "x sklearn"  # type: ignore[attr-defined]
track_kmeans_ratio_to_daskml.unit = "x dask-ml"  # type: ignore[attr-defined]
track_lasso_ratio_to_sklearn.unit = "x sklearn"  # type: ignore[attr-defined]
track_lasso_gram_ratio_to_sklearn.unit = "x sklearn"  # type: ignore[attr-defined]
track_cdist_ratio_to_torch.unit = "x torch"  # type: ignore[attr-defined]


# ---------------------------------------------------------------- the mpiexec script
def _sweeps(row: dict[str, Any]) -> str:
    """Both iteration counts when the row has them (a fit may converge before max_iter)."""
    if "baseline_n_iter" not in row:
        return ""
    return f" ({row['n_iter']} vs {row['baseline_n_iter']} sweeps)"


def _difference(row: dict[str, Any]) -> str:
    """The checked difference of Heat's result from the baseline's, when the row has one."""
    return f"{row['check']:.1e}" if "check" in row else ""


def _disagreement(heat: Any, baseline: Any) -> float:
    """The largest difference relative to the baseline's largest magnitude."""
    heat, baseline = np.asarray(heat, dtype=np.float64), np.asarray(baseline, dtype=np.float64)
    return float(np.abs(heat - baseline).max()) / max(float(np.abs(baseline).max()), 1e-300)


def _checked(world: Any, base: dict[str, Any], what: str, rtol: float) -> dict[str, Any]:
    """``base`` (computed on rank 0) on every rank; a timing of a wrong result is worthless,
    so every rank stops when Heat's result and the baseline's differ beyond ``rtol``."""
    from mpi_timing import quiet_bcast

    base = quiet_bcast(world, base)
    if not base["check"] <= rtol:
        raise SystemExit(f"ml benchmark: Heat's {what} differs from the baseline's by {base['check']:.3g}")
    return base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--md", type=Path)
    parser.add_argument("--small", action="store_true", help="the reduced sizes (see above)")
    parser.add_argument("--no-dask", action="store_true", help="skip the dask-ml baseline")
    args = parser.parse_args()
    sizes = SMALL if args.small else {"kmeans": KM_N, "lasso": LASSO_N, "cdist": CDIST_N}
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import warnings

    from mpi4py import MPI
    from mpi_timing import median_seconds, quiet_bcast, timeit
    from scipy.spatial.distance import cdist as scipy_cdist
    from sklearn.cluster import KMeans
    from sklearn.linear_model import Lasso
    from threadpoolctl import threadpool_limits

    import heat as ht

    world = MPI.COMM_WORLD
    p = world.Get_size()
    torch.set_num_threads(1)
    warnings.simplefilter("ignore")
    rows = []

    x, init = kmeans_data(sizes["kmeans"])
    hx = ht.array(x, split=0)
    km = ht.cluster.KMeans(KM_K, init=init, max_iter=KM_ITERS, tol=0.0)
    t_heat = timeit(world, lambda: km.fit(hx), budget=1.0, max_reps=5, min_reps=3)
    base: dict[str, float] = {}
    if world.Get_rank() == 0:
        torch.set_num_threads(p)
        with threadpool_limits(p):
            sk = KMeans(KM_K, init=init, n_init=1, max_iter=KM_ITERS, tol=0.0)
            base["sklearn"] = median_seconds(lambda: sk.fit(x))
            base["check"] = _disagreement(km.inertia_, sk.inertia_)
            t = torch.from_numpy(x)
            c0 = torch.from_numpy(init)

            def torch_lloyd() -> None:
                c = c0.clone()
                for _ in range(KM_ITERS):
                    lab = torch.cdist(t, c).argmin(1)
                    s = torch.zeros_like(c).index_add_(0, lab, t)
                    n = torch.bincount(lab, minlength=KM_K).clamp_min(1).unsqueeze(1)
                    c = s / n

            base["torch"] = median_seconds(torch_lloyd)
        torch.set_num_threads(1)
        if not args.no_dask:
            base["dask-ml"] = daskml_kmeans_seconds(x, init, p)
    base = _checked(world, base, "KMeans inertia", 1e-4)
    rows.append(
        {"case": "KMeans fit", "heat_s": t_heat, "baseline": "sklearn", "baseline_s": base["sklearn"],
         "ratio": t_heat / base["sklearn"], "torch_s": base["torch"], "n_iter": km.n_iter_,
         "check": base["check"]}
    )  # fmt: skip
    rows.append({"case": "KMeans fit", "heat_s": t_heat, "baseline": "PyTorch Lloyd loop",
                 "baseline_s": base["torch"], "ratio": t_heat / base["torch"]})  # fmt: skip
    if "dask-ml" in base:
        rows.append({"case": "KMeans fit", "heat_s": t_heat, "baseline": "dask-ml",
                     "baseline_s": base["dask-ml"], "ratio": t_heat / base["dask-ml"]})  # fmt: skip

    xl, yl = lasso_data(sizes["lasso"])
    hxl, hyl = ht.array(xl, split=0), ht.array(yl, split=0)
    las = ht.regression.Lasso(alpha=0.01, max_iter=LASSO_SWEEPS, tol=0.0)
    t_heat = timeit(world, lambda: las.fit(hxl, hyl), budget=1.0, max_reps=3, min_reps=2)
    base = {}
    if world.Get_rank() == 0:
        with threadpool_limits(p):
            sl = Lasso(alpha=0.01, max_iter=LASSO_SWEEPS, tol=0.0)
            base["sklearn"] = median_seconds(lambda: sl.fit(xl, yl), reps=2)
            base["sklearn_n_iter"] = sl.n_iter_
            base["check"] = _disagreement(las.coef_.numpy(), sl.coef_)
    base = _checked(world, base, "Lasso coef_", 1e-8)
    rows.append({"case": "Lasso fit", "heat_s": t_heat, "baseline": "sklearn", "baseline_s": base["sklearn"],
                 "ratio": t_heat / base["sklearn"], "n_iter": las.n_iter_,
                 "baseline_n_iter": base["sklearn_n_iter"], "check": base["check"]})  # fmt: skip
    gram = ht.regression.Lasso(alpha=0.01, max_iter=LASSO_SWEEPS, tol=0.0, precompute=True)
    t_heat = timeit(world, lambda: gram.fit(hxl, hyl), budget=1.0, max_reps=3, min_reps=2)
    base = {}
    if world.Get_rank() == 0:
        with threadpool_limits(p):
            sg = Lasso(alpha=0.01, max_iter=LASSO_SWEEPS, tol=0.0, precompute=True)
            base["sklearn"] = median_seconds(lambda: sg.fit(xl, yl), reps=2)
            base["check"] = _disagreement(gram.coef_.numpy(), sg.coef_)
    base = _checked(world, base, "Lasso(precompute=True) coef_", 1e-8)
    rows.append({"case": "Lasso fit (precompute=True)", "heat_s": t_heat, "baseline": "sklearn",
                 "baseline_s": base["sklearn"], "ratio": t_heat / base["sklearn"],
                 "check": base["check"]})  # fmt: skip

    xc = cdist_data(sizes["cdist"])
    hxc = ht.array(xc, split=0)
    t_heat = timeit(world, lambda: ht.spatial.cdist(hxc, hxc), budget=1.0, max_reps=5)
    t_sym = timeit(world, lambda: ht.spatial.cdist(hxc), budget=1.0, max_reps=5)
    t_quad = timeit(world, lambda: ht.spatial.cdist(hxc, quadratic_expansion=True), budget=1.0, max_reps=5)
    base = {}
    if world.Get_rank() == 0:
        torch.set_num_threads(p)
        tc = torch.from_numpy(xc)
        exact = "donot_use_mm_for_euclid_dist"
        base["torch"] = median_seconds(lambda: torch.cdist(tc, tc, compute_mode=exact))
        base["torch_mm"] = median_seconds(lambda: torch.cdist(tc, tc, compute_mode="use_mm_for_euclid_dist"))
        base["scipy"] = median_seconds(lambda: scipy_cdist(xc, xc), reps=1)
        torch.set_num_threads(1)
    base = quiet_bcast(world, base)
    rows.append(
        {"case": "cdist", "heat_s": t_heat, "baseline": "torch", "baseline_s": base["torch"],
         "ratio": t_heat / base["torch"], "heat_symmetric_s": t_sym, "scipy_s": base["scipy"]}
    )  # fmt: skip
    rows.append({"case": "cdist (Y = X: symmetric half-ring)", "heat_s": t_sym, "baseline": "SciPy",
                 "baseline_s": base["scipy"], "ratio": t_sym / base["scipy"]})  # fmt: skip
    rows.append({"case": "cdist quadratic expansion", "heat_s": t_quad, "baseline": "torch (mm)",
                 "baseline_s": base["torch_mm"], "ratio": t_quad / base["torch_mm"]})  # fmt: skip

    if world.Get_rank() == 0:
        record = {"processes": p, "sizes": sizes, "rows": rows}
        if args.json:
            args.json.write_text(json.dumps(record, indent=1))
        lines = [
            f"| case ({p} processes vs {p} threads) | heat s | baseline | baseline s | ratio | rel. diff |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {r['case']}{_sweeps(r)} | {r['heat_s']:.4f} | {r['baseline']} | {r['baseline_s']:.4f} "
            f"| {r['ratio']:.2f} | {_difference(r)} |"
            for r in rows
        ]
        text = "\n".join(lines)
        if args.md:
            args.md.write_text(text + "\n")
        print(text)
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
