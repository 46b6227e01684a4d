"""Preprocessing, naive Bayes, k-NN, PCA and metrics against scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from core_helpers import distribute, random_counts
from ml_helpers import sample_layouts
from sklearn import decomposition, metrics, naive_bayes, neighbors, preprocessing
from sklearn.datasets import make_classification

import heat as ht
from heat.ml import metrics as hmetrics
from heat.ml._base import NotFittedError

X, Y = make_classification(45, 4, n_classes=3, n_informative=3, n_redundant=0, random_state=0)
Q = np.random.default_rng(1).standard_normal((13, 4))

SCALERS = [
    (ht.preprocessing.StandardScaler(), preprocessing.StandardScaler()),
    (ht.preprocessing.MinMaxScaler((-1, 2)), preprocessing.MinMaxScaler((-1, 2))),
    (ht.preprocessing.MaxAbsScaler(), preprocessing.MaxAbsScaler()),
    (ht.preprocessing.RobustScaler(unit_variance=True), preprocessing.RobustScaler(unit_variance=True)),
]


@pytest.mark.parametrize("pair", SCALERS, ids=lambda p: type(p[0]).__name__)
def test_scalers(pair: tuple) -> None:
    ours, theirs = pair
    data = X.copy()
    data[:, 1] = 2.0  # a constant feature
    want = theirs.fit(data).transform(Q)
    for x in sample_layouts(data, seed=1):
        ours.fit(x)
        got = ours.transform(distribute(Q, 0))
        assert got.split == 0
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(ours.inverse_transform(got).numpy(), Q, rtol=1e-12, atol=1e-12)


def test_normalizer() -> None:
    for norm in ("l1", "l2", "max"):
        want = preprocessing.Normalizer(norm=norm).fit_transform(Q)
        np.testing.assert_allclose(
            ht.preprocessing.Normalizer(norm=norm).fit_transform(distribute(Q, 0)).numpy(), want
        )


def test_gaussian_nb() -> None:
    ref = naive_bayes.GaussianNB().fit(X, Y)
    for x in sample_layouts(X, seed=2):
        nb = ht.naive_bayes.GaussianNB().fit(x, Y)
        np.testing.assert_allclose(nb.theta_.numpy(), ref.theta_, rtol=1e-12)
        np.testing.assert_allclose(nb.var_.numpy(), ref.var_, rtol=1e-12)
        np.testing.assert_allclose(nb.predict_proba(Q).numpy(), ref.predict_proba(Q), atol=1e-12)
        np.testing.assert_allclose(
            nb.predict_log_proba(distribute(Q, 0)).numpy(), ref.predict_log_proba(Q), rtol=1e-10
        )
        np.testing.assert_array_equal(nb.predict(Q).numpy(), ref.predict(Q))
    ours, theirs = ht.naive_bayes.GaussianNB(), naive_bayes.GaussianNB()
    for part in (slice(0, 15), slice(15, 40), slice(40, 45)):
        ours.partial_fit(distribute(X[part], 0), distribute(Y[part], 0), classes=[0, 1, 2])
        theirs.partial_fit(X[part], Y[part], classes=[0, 1, 2])
    np.testing.assert_allclose(ours.theta_.numpy(), theirs.theta_, rtol=1e-12)
    np.testing.assert_allclose(ours.var_.numpy(), theirs.var_, rtol=1e-10)
    np.testing.assert_allclose(ours.class_prior_.numpy(), theirs.class_prior_)
    assert ours.score(X, Y) == pytest.approx(theirs.score(X, Y))
    with pytest.raises(ValueError, match="classes must be passed"):
        ht.naive_bayes.GaussianNB().partial_fit(X, Y)
    with pytest.raises(ValueError, match="not in classes"):
        ht.naive_bayes.GaussianNB().partial_fit(distribute(X, 0), distribute(Y, 0), classes=[0, 1])


@pytest.mark.parametrize("weights", ["uniform", "distance"])
def test_kneighbors(weights: str, comm: ht.Communicator) -> None:
    ref = neighbors.KNeighborsClassifier(4, weights=weights).fit(X, Y)
    for x in sample_layouts(X, seed=3):
        knn = ht.classification.KNeighborsClassifier(4, weights=weights).fit(x, Y)
        for q in (distribute(Q, 0, random_counts(13, comm.size, 4)), Q):
            np.testing.assert_allclose(knn.predict_proba(q).numpy(), ref.predict_proba(Q), atol=1e-12)
            np.testing.assert_array_equal(knn.predict(q).numpy(), ref.predict(Q))
    assert knn.score(X, Y) == pytest.approx(ref.score(X, Y))
    with pytest.raises(ValueError, match="n_neighbors"):
        ht.classification.KNeighborsClassifier(50).fit(X, Y).predict(Q)
    with pytest.raises(NotFittedError):
        ht.classification.KNeighborsClassifier().predict(Q)


@pytest.mark.parametrize("kwargs", [{"n_components": 2}, {"n_components": 0.8, "whiten": True}, {}])
def test_pca(kwargs: dict) -> None:
    ref = decomposition.PCA(svd_solver="full", **kwargs).fit(X)
    for x in sample_layouts(X, seed=5):
        pca = ht.decomposition.PCA(**kwargs).fit(x)
        assert pca.n_components_ == ref.n_components_
        np.testing.assert_allclose(pca.components_.numpy(), ref.components_, atol=1e-10)
        np.testing.assert_allclose(pca.explained_variance_.numpy(), ref.explained_variance_, rtol=1e-10)
        np.testing.assert_allclose(
            pca.explained_variance_ratio_.numpy(), ref.explained_variance_ratio_, rtol=1e-10
        )
        assert pca.noise_variance_ == pytest.approx(ref.noise_variance_, abs=1e-10)
        proj = pca.transform(distribute(Q, 0))
        np.testing.assert_allclose(proj.numpy(), ref.transform(Q), atol=1e-10)
        np.testing.assert_allclose(
            pca.inverse_transform(proj).numpy(), ref.inverse_transform(ref.transform(Q)), atol=1e-10
        )


def test_pca_randomized() -> None:
    ref = decomposition.PCA(2, svd_solver="full").fit(X)
    pca = ht.decomposition.PCA(2, svd_solver="randomized", random_state=0).fit(distribute(X, 0))
    np.testing.assert_allclose(np.abs(pca.components_.numpy()), np.abs(ref.components_), atol=1e-6)
    hier = ht.decomposition.PCA(2, svd_solver="hierarchical").fit(distribute(X, 0))
    assert hier.n_components_ == 2 and hier.explained_variance_ratio_.numpy().sum() <= 1 + 1e-12
    with pytest.raises(ValueError, match="svd_solver"):
        ht.decomposition.PCA(svd_solver="arpack").fit(X)


def test_metrics(comm: ht.Communicator) -> None:
    rng = np.random.default_rng(7)
    a, b = rng.integers(0, 3, 30), rng.integers(0, 4, 30)
    counts = random_counts(30, comm.size, 6)
    da, db = distribute(a, 0, counts), distribute(b, 0)
    assert hmetrics.adjusted_rand_score(da, db) == pytest.approx(metrics.adjusted_rand_score(a, b), abs=1e-12)
    assert hmetrics.accuracy_score(da, db) == pytest.approx(metrics.accuracy_score(a, b))
    ya, yb = rng.standard_normal(30), rng.standard_normal(30)
    assert hmetrics.r2_score(distribute(ya, 0, counts), yb) == pytest.approx(
        metrics.r2_score(ya, yb), abs=1e-12
    )
    pts = rng.standard_normal((30, 2))
    s = hmetrics.silhouette_score(distribute(pts, 0, counts), a)
    assert s == pytest.approx(metrics.silhouette_score(pts, a), abs=1e-12)
