"""heat.spatial against scipy.spatial.distance.cdist for every layout pair."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.spatial.distance as sd
from core_helpers import distribute, random_counts
from ml_helpers import sample_layouts

import heat as ht

RNG = np.random.default_rng(0)
A = RNG.standard_normal((11, 3))
B = RNG.standard_normal((6, 3))


def _scipy(a: np.ndarray, b: np.ndarray, metric: str, p: float) -> np.ndarray:
    name = {"manhattan": "cityblock"}.get(metric, metric)
    return sd.cdist(a, b, name, p=p) if name == "minkowski" else sd.cdist(a, b, name)


@pytest.mark.parametrize(
    "metric", ["euclidean", "sqeuclidean", "cityblock", "manhattan", "cosine", "minkowski", "chebyshev"]
)
def test_cdist_layouts(metric: str) -> None:
    want = _scipy(A, B, metric, 3.0)
    for x in sample_layouts(A, seed=1):
        for y in sample_layouts(B, seed=2):
            d = ht.spatial.cdist(x, y, metric=metric, p=3.0)
            assert d.gshape == (11, 6)
            assert d.dtype == ht.float64
            np.testing.assert_allclose(d.numpy(), want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("metric", ["euclidean", "sqeuclidean", "cityblock", "cosine"])
def test_cdist_symmetric(metric: str, comm: ht.Communicator) -> None:
    want = _scipy(A, A, metric, 2.0)
    for x in sample_layouts(A, seed=3):
        d = ht.spatial.cdist(x, metric=metric)
        np.testing.assert_allclose(d.numpy(), want, rtol=1e-12, atol=1e-12)
        if isinstance(x, ht.DNDarray) and x.split == 0:
            assert d.split == 0 and d.counts == x.counts  # rows stay with X's rows


def test_cdist_more_ranks_than_rows(comm: ht.Communicator) -> None:
    a = A[:2]
    x = distribute(a, 0, random_counts(2, comm.size, 5))
    y = distribute(B[:1], 0)
    np.testing.assert_allclose(ht.spatial.cdist(x, y).numpy(), sd.cdist(a, B[:1]), atol=1e-12)
    np.testing.assert_allclose(ht.spatial.cdist(x).numpy(), sd.cdist(a, a), atol=1e-12)


def test_cdist_layout_of_result() -> None:
    x, y = distribute(A, None), distribute(B, 0)
    assert ht.spatial.cdist(x, y).split == 1  # replicated X against split Y: no communication
    assert ht.spatial.cdist(distribute(A, 0), distribute(B, None)).split == 0
    assert ht.spatial.cdist(x, distribute(B, None)).split is None


def test_quadratic_expansion_and_float32() -> None:
    a32 = A.astype(np.float32)
    d = ht.spatial.cdist(distribute(a32, 0), quadratic_expansion=True)
    assert d.dtype == ht.float32
    np.testing.assert_allclose(d.numpy(), sd.cdist(a32, a32), atol=1e-3)  # sqrt of a rounding error
    d = ht.spatial.cdist(distribute(A, 0), distribute(B, 0), metric="sqeuclidean", quadratic_expansion=True)
    np.testing.assert_allclose(d.numpy(), sd.cdist(A, B, "sqeuclidean"), atol=1e-12)


def test_rbf() -> None:
    from sklearn.metrics.pairwise import rbf_kernel

    for x in sample_layouts(A, seed=4):
        k = ht.spatial.rbf(x, distribute(B, 0), sigma=1.5)
        np.testing.assert_allclose(k.numpy(), rbf_kernel(A, B, gamma=1 / (2 * 1.5**2)), rtol=1e-12)
    k = ht.spatial.rbf(distribute(A, 0), gamma=0.3)
    np.testing.assert_allclose(k.numpy(), rbf_kernel(A, gamma=0.3), rtol=1e-12)
    np.testing.assert_allclose(ht.spatial.manhattan(A, B).numpy(), sd.cdist(A, B, "cityblock"))


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="unknown metric"):
        ht.spatial.cdist(A, metric="hamming")
    with pytest.raises(ValueError, match="features"):
        ht.spatial.cdist(A, B[:, :2])
    with pytest.raises(ValueError, match="2D"):
        ht.spatial.cdist(A[0])
    bad = A.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        ht.spatial.cdist(distribute(bad, 0))
    with pytest.raises(ValueError, match="sigma"):
        ht.spatial.rbf(A, sigma=0)


def test_cdist_empty() -> None:
    empty = np.zeros((0, 3))
    for x in sample_layouts(empty):
        np.testing.assert_array_equal(ht.spatial.cdist(x).numpy(), sd.cdist(empty, empty))
        np.testing.assert_array_equal(ht.spatial.cdist(x, distribute(B, 0)).numpy(), sd.cdist(empty, B))
        np.testing.assert_array_equal(ht.spatial.cdist(distribute(B, 0), x).numpy(), sd.cdist(B, empty))


@pytest.mark.parametrize("quadratic", [False, True])
def test_cdist_in_pieces(quadratic: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ring blocks written piece by piece (a piece of 4 result elements: every row alone or
    a few rows at a time) give the same distances as one piece."""
    from heat.ml.spatial import distance

    monkeypatch.setattr(distance, "_PIECE", 4)
    for x in sample_layouts(A, seed=4):
        for y in sample_layouts(B, seed=5):
            d = ht.spatial.cdist(x, y, quadratic_expansion=quadratic)
            np.testing.assert_allclose(d.numpy(), sd.cdist(A, B), rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(
            ht.spatial.cdist(x, quadratic_expansion=quadratic).numpy(), sd.cdist(A, A), atol=1e-7
        )
