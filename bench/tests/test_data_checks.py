"""Synthetic data generators, row-block reads and the result checks against NumPy."""

from __future__ import annotations

import itertools
from pathlib import Path

import h5py
import numpy as np
import pytest
from scaling import checks, data
from scaling.frameworks import numpy_impl

pytestmark = pytest.mark.single_process


@pytest.mark.parametrize("n,parts", [(10, 3), (3, 5), (0, 2), (4096, 7)])
def test_block_bounds_tile_the_rows_balanced(n: int, parts: int) -> None:
    bounds = [data.block_bounds(n, parts, i) for i in range(parts)]
    assert bounds[0][0] == 0 and bounds[-1][1] == n
    assert all(a[1] == b[0] for a, b in itertools.pairwise(bounds))
    sizes = [b - a for a, b in bounds]
    assert max(sizes) - min(sizes) <= 1 and sizes == sorted(sizes, reverse=True)


def test_block_bounds_rejects_bad_index() -> None:
    with pytest.raises(ValueError, match="index"):
        data.block_bounds(10, 2, 2)


@pytest.mark.parametrize("dataset,cols", [("cityscapes", 32), ("eurad", 100), ("susy", 18)])
def test_generated_rows_do_not_depend_on_the_request(dataset: str, cols: int) -> None:
    whole = data.generate_block(dataset, cols, 0, 5000)
    part = data.generate_block(dataset, cols, 4000, 4500)
    for key in whole:
        assert whole[key].dtype == (np.int32 if key == "labels" else np.float32)
        np.testing.assert_array_equal(whole[key][4000:4500], part[key])
    assert whole["X"].shape == (5000, cols)


def test_cityscapes_and_susy_have_the_planned_clusters() -> None:
    x = data.generate_block("susy", 18, 0, 3000)["X"]
    c = numpy_impl.kmeans(x, numpy_impl.farthest_point(x, 4), 10)
    labels = ((x[:, None] - c[None]) ** 2).sum(2).argmin(1)
    assert len(np.unique(labels)) == 4
    spread = np.mean([x[labels == i].std(0).mean() for i in range(4)])
    assert 0.8 < spread < 1.2  # unit noise around each centre


def test_eurad_target_is_sparse_plus_noise() -> None:
    b = data.generate_block("eurad", 100, 0, 4000)
    coef = data.true_coef(100)
    assert np.count_nonzero(coef) == 10
    resid = b["y"] - b["X"] @ coef
    assert abs(resid.std() - 0.1) < 0.01


def test_ensure_writes_once_and_extends(tmp_path: Path) -> None:
    p = data.ensure(tmp_path, "eurad", 100, 100)
    with h5py.File(p) as f:
        assert f["X"].shape == (100, 100) and f["y"].shape == (100,) and f.attrs["complete"]
    mtime = p.stat().st_mtime_ns
    assert data.ensure(tmp_path, "eurad", 50, 100) == p and p.stat().st_mtime_ns == mtime
    data.ensure(tmp_path, "eurad", 300, 100)
    rows = data.read_rows(p, "X", 290, 300)
    np.testing.assert_array_equal(rows, data.generate_block("eurad", 100, 290, 300)["X"])
    block = data.read_block(p, "X", (5, 9), (10, 20))
    np.testing.assert_array_equal(block, data.read_rows(p, "X", 5, 9)[:, 10:20])


def test_cityscapes_file_holds_the_weights(tmp_path: Path) -> None:
    p = data.ensure(tmp_path, "cityscapes", 10, 64)
    with h5py.File(p) as f:
        np.testing.assert_array_equal(f["W"][...], data.weights(64))


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_numpy_lasso_matches_scikit_learn() -> None:
    from sklearn.linear_model import Lasso

    b = data.generate_block("eurad", 20, 0, 500)
    coef, intercept = numpy_impl.lasso(b["X"].astype(np.float64), b["y"].astype(np.float64), 0.05, 20)
    ref = Lasso(alpha=0.05, max_iter=20, tol=0.0).fit(b["X"].astype(np.float64), b["y"].astype(np.float64))
    np.testing.assert_allclose(coef, ref.coef_, atol=1e-8)
    assert intercept == pytest.approx(ref.intercept_)


def test_numpy_kmeans_matches_scikit_learn() -> None:
    from sklearn.cluster import KMeans

    block = data.generate_block("cityscapes", 16, 0, 400)
    x = block["X"].astype(np.float64)
    init = x[data.init_indices(block["labels"], 8)]
    assert len(init) == 8 and len(np.unique(block["labels"][data.init_indices(block["labels"], 8)])) == 8
    ref = KMeans(8, init=init, n_init=1, max_iter=30, tol=0.0).fit(x)
    np.testing.assert_allclose(numpy_impl.kmeans(x, init, 30), ref.cluster_centers_, atol=1e-10)


def test_numpy_cdist_and_spectral_against_scipy_and_truth() -> None:
    from scipy.spatial.distance import cdist

    x = data.generate_block("susy", 18, 0, 300)["X"].astype(np.float64)
    np.testing.assert_allclose(numpy_impl.cdist(x, x[:7]), cdist(x, x[:7]), atol=1e-6)
    labels = numpy_impl.spectral(x.astype(np.float32), 4, 0.05, 40, 30)
    truth = numpy_impl.kmeans(x, numpy_impl.farthest_point(x, 4), 30)
    truth_labels = ((x[:, None] - truth[None]) ** 2).sum(2).argmin(1)
    assert checks.adjusted_rand(labels, truth_labels) > 0.95


def test_adjusted_rand_matches_scikit_learn() -> None:
    from sklearn.metrics import adjusted_rand_score

    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 4, 300), rng.integers(0, 3, 300)
    assert checks.adjusted_rand(a, b) == pytest.approx(adjusted_rand_score(a, b))
    assert checks.adjusted_rand(a, (a + 1) % 4) == pytest.approx(1.0)


def test_checks_pass_and_fail_at_the_tolerance() -> None:
    ref = {"centres": np.arange(6.0).reshape(3, 2)}
    assert checks.check("kmeans", {"centres": ref["centres"][::-1]}, ref)["passed"]
    assert not checks.check("kmeans", {"centres": ref["centres"] + 0.1}, ref)["passed"]
    lref = {"coef": np.array([1.0, 0.0]), "intercept": np.array(0.5)}
    assert checks.check("lasso", {"coef": [1.0, 1e-5], "intercept": [0.5]}, lref)["passed"]
    assert not checks.check("lasso", {"coef": [1.0, 0.0], "intercept": [0.6]}, lref)["passed"]
    d = {"rows": np.arange(2), "D": np.ones((2, 3))}
    assert checks.check("cdist", {"D": np.ones((2, 3)) * (1 + 1e-5)}, d)["passed"]
    assert not checks.check("cdist", {"D": np.ones((3, 3))}, d)["passed"]  # shape mismatch
    out = checks.check("spectral", {"labels": [0, 0, 1, 1]}, {"labels": [1, 1, 0, 0]})
    assert out["passed"] and out["metric"] == "adjusted Rand index"
