"""TruncatedSVD and IncrementalPCA against scikit-learn on the same data, every layout."""

from __future__ import annotations

import numpy as np
import pytest
from core_helpers import distribute
from ml_helpers import sample_layouts
from sklearn import decomposition

import heat as ht
from heat.ml._base import NotFittedError
from heat.ml.decomposition.incremental_pca import batches

RNG = np.random.default_rng(3)
X = RNG.standard_normal((47, 6)) @ RNG.standard_normal((6, 6)) + 2.0
Q = RNG.standard_normal((9, 6))


def test_truncated_svd_exact() -> None:
    ref = decomposition.TruncatedSVD(3, algorithm="arpack", random_state=0)
    ref_out = ref.fit_transform(X)
    for x in sample_layouts(X, seed=4):
        est = ht.decomposition.TruncatedSVD(3, algorithm="arpack")
        out = est.fit_transform(x)
        np.testing.assert_allclose(est.components_.numpy(), ref.components_, atol=1e-9)
        np.testing.assert_allclose(est.singular_values_.numpy(), ref.singular_values_, rtol=1e-10)
        np.testing.assert_allclose(est.explained_variance_.numpy(), ref.explained_variance_, rtol=1e-9)
        np.testing.assert_allclose(
            est.explained_variance_ratio_.numpy(), ref.explained_variance_ratio_, rtol=1e-9
        )
        np.testing.assert_allclose(out.numpy(), ref_out, atol=1e-9)
        q = distribute(Q, 0)
        np.testing.assert_allclose(est.transform(q).numpy(), ref.transform(Q), atol=1e-9)
        back = est.inverse_transform(est.transform(q))
        np.testing.assert_allclose(back.numpy(), ref.inverse_transform(ref.transform(Q)), atol=1e-9)


def test_truncated_svd_randomized_and_errors() -> None:
    ref = decomposition.TruncatedSVD(2, algorithm="arpack", random_state=0).fit(X)
    est = ht.decomposition.TruncatedSVD(2, n_iter=7, random_state=1).fit(distribute(X, 0))
    np.testing.assert_allclose(est.components_.numpy(), ref.components_, atol=1e-6)
    with pytest.raises(ValueError, match="algorithm"):
        ht.decomposition.TruncatedSVD(algorithm="lobpcg").fit(X)
    with pytest.raises(ValueError, match="n_components"):
        ht.decomposition.TruncatedSVD(6, algorithm="arpack").fit(X)
    with pytest.raises(NotFittedError):
        ht.decomposition.TruncatedSVD().transform(X)


def test_batches_are_scikit_learns() -> None:
    from sklearn.utils import gen_batches

    for n, size, least in [(7, 3, 0), (7, 3, 2), (6, 3, 0), (2, 3, 0), (47, 10, 3), (47, 5, 4)]:
        assert batches(n, size, least) == list(gen_batches(n, size, min_batch_size=least))


@pytest.mark.parametrize(
    ("kwargs", "batch_size"), [({"n_components": 3}, 10), ({"whiten": True}, 12), ({}, None)]
)
def test_incremental_pca_fit(kwargs: dict, batch_size: int | None) -> None:
    ref = decomposition.IncrementalPCA(batch_size=batch_size, **kwargs).fit(X)
    for x in sample_layouts(X, seed=6):
        est = ht.decomposition.IncrementalPCA(batch_size=batch_size, **kwargs).fit(x)
        assert est.n_components_ == ref.n_components_ and est.n_samples_seen_ == ref.n_samples_seen_
        np.testing.assert_allclose(est.components_.numpy(), ref.components_, atol=1e-9)
        np.testing.assert_allclose(est.singular_values_.numpy(), ref.singular_values_, rtol=1e-9)
        np.testing.assert_allclose(est.mean_.numpy(), ref.mean_, rtol=1e-12)
        np.testing.assert_allclose(est.var_.numpy(), ref.var_, rtol=1e-10)
        np.testing.assert_allclose(est.explained_variance_.numpy(), ref.explained_variance_, rtol=1e-9)
        np.testing.assert_allclose(
            est.explained_variance_ratio_.numpy(), ref.explained_variance_ratio_, rtol=1e-9
        )
        assert est.noise_variance_ == pytest.approx(ref.noise_variance_, rel=1e-9, abs=1e-12)
        q = distribute(Q, 0)
        np.testing.assert_allclose(est.transform(q).numpy(), ref.transform(Q), atol=1e-9)
        back = est.inverse_transform(est.transform(q)).numpy()
        np.testing.assert_allclose(back, ref.inverse_transform(ref.transform(Q)), atol=1e-9)


def test_incremental_pca_partial_fit_and_errors() -> None:
    ref = decomposition.IncrementalPCA(2)
    est = ht.decomposition.IncrementalPCA(2)
    for rows in (slice(0, 20), slice(20, 33), slice(33, 47)):
        ref.partial_fit(X[rows])
        est.partial_fit(distribute(X[rows], 0))
    np.testing.assert_allclose(est.components_.numpy(), ref.components_, atol=1e-9)
    np.testing.assert_allclose(est.explained_variance_.numpy(), ref.explained_variance_, rtol=1e-9)
    with pytest.raises(ValueError, match="features"):
        est.partial_fit(X[:5, :4])
    with pytest.raises(ValueError, match="batch number of samples"):
        ht.decomposition.IncrementalPCA(5).partial_fit(X[:3])
    with pytest.raises(NotFittedError):
        ht.decomposition.IncrementalPCA().transform(X)
