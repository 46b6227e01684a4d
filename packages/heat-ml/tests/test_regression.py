"""heat.regression against scikit-learn on the same data."""

from __future__ import annotations

import numpy as np
import pytest
from core_helpers import distribute, random_counts
from ml_helpers import sample_layouts
from sklearn import linear_model as sk

import heat as ht
from heat.ml._base import NotFittedError

RNG = np.random.default_rng(0)
X = RNG.standard_normal((50, 6))
X[:, 4] = 0.0  # a constant column
Y = X @ np.array([1.5, 0.0, -2.0, 0.0, 0.0, 0.3]) + 0.1 * RNG.standard_normal(50) + 3.0


@pytest.mark.parametrize("alpha", [0.01, 0.3])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_lasso_matches_sklearn(alpha: float, fit_intercept: bool) -> None:
    ref = sk.Lasso(alpha=alpha, fit_intercept=fit_intercept).fit(X, Y)
    for x in sample_layouts(X, seed=1):
        est = ht.regression.Lasso(alpha=alpha, fit_intercept=fit_intercept).fit(x, Y)
        np.testing.assert_allclose(est.coef_.numpy(), ref.coef_, atol=1e-12)
        assert est.intercept_ == pytest.approx(ref.intercept_, abs=1e-12)
        assert est.n_iter_ == ref.n_iter_
    pred = est.predict(distribute(X, 0))
    assert pred.split == 0
    np.testing.assert_allclose(pred.numpy(), ref.predict(X), atol=1e-12)
    assert est.score(X, Y) == pytest.approx(ref.score(X, Y), abs=1e-12)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_lasso_alias_max_iter_float32(comm: ht.Communicator) -> None:
    ref = sk.Lasso(alpha=0.05, max_iter=3, tol=0.0).fit(X, Y)
    est = ht.regression.Lasso(lam=0.05, max_iter=3, tol=0.0).fit(
        distribute(X, 0, random_counts(50, comm.size, 2)), Y
    )
    assert est.n_iter_ == 3
    np.testing.assert_allclose(est.coef_.numpy(), ref.coef_, atol=1e-12)
    x32, y32 = X.astype(np.float32), Y.astype(np.float32)
    ref = sk.Lasso(alpha=0.1).fit(x32, y32)
    est = ht.regression.Lasso(alpha=0.1).fit(distribute(x32, 0), distribute(y32, 0))
    assert est.coef_.dtype == ht.float32
    np.testing.assert_allclose(est.coef_.numpy(), ref.coef_, atol=1e-4)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_linear_and_ridge(fit_intercept: bool) -> None:
    for ours, theirs in [
        (
            ht.regression.LinearRegression(fit_intercept=fit_intercept),
            sk.LinearRegression(fit_intercept=fit_intercept),
        ),
        (
            ht.regression.Ridge(alpha=2.0, fit_intercept=fit_intercept),
            sk.Ridge(alpha=2.0, fit_intercept=fit_intercept),
        ),
    ]:
        theirs.fit(X, Y)
        for x in sample_layouts(X, seed=3):
            ours.fit(x, distribute(Y, 0))
            np.testing.assert_allclose(ours.coef_.numpy(), theirs.coef_, atol=1e-10)
            assert ours.intercept_ == pytest.approx(theirs.intercept_, abs=1e-10)
        np.testing.assert_allclose(ours.predict(X).numpy(), theirs.predict(X), atol=1e-10)
        assert ours.score(distribute(X, 0), Y) == pytest.approx(theirs.score(X, Y), abs=1e-12)


def test_bad_input() -> None:
    with pytest.raises(NotFittedError):
        ht.regression.Lasso().predict(X)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        ht.regression.Ridge().fit(distribute(X, 0), Y[:-1])
    bad = Y.copy()
    bad[7] = np.inf
    with pytest.raises(ValueError, match="NaN or infinity"):
        ht.regression.Lasso().fit(distribute(X, 0), distribute(bad, 0))
    est = ht.regression.LinearRegression().fit(X, Y)
    with pytest.raises(ValueError, match="X has 5 features, but LinearRegression is expecting 6"):
        est.predict(X[:, :5])
    with pytest.raises(ValueError, match="alpha"):
        ht.regression.Lasso(alpha=-1).fit(X, Y)
    assert repr(ht.regression.Lasso(lam=0.1)) == "Lasso(lam=0.1)"


@pytest.mark.parametrize("precompute", [False, True])
@pytest.mark.parametrize("positive", [False, True])
def test_lasso_precompute_and_positive(precompute: bool, positive: bool) -> None:
    ref = sk.Lasso(alpha=0.02, precompute=precompute, positive=positive).fit(X, Y)
    for x in sample_layouts(X, seed=3):
        est = ht.regression.Lasso(alpha=0.02, precompute=precompute, positive=positive).fit(x, Y)
        np.testing.assert_allclose(est.coef_.numpy(), ref.coef_, atol=1e-10)
        assert est.intercept_ == pytest.approx(ref.intercept_, abs=1e-10)
        assert est.n_iter_ == ref.n_iter_
        assert est.dual_gap_ == pytest.approx(ref.dual_gap_, rel=1e-6, abs=1e-12)
    if positive:
        assert (est.coef_.numpy() >= 0).all()


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("precompute", [False, True])
def test_lasso_warm_start(precompute: bool) -> None:
    ref = sk.Lasso(alpha=0.01, max_iter=2, tol=0.0, warm_start=True, precompute=precompute)
    est = ht.regression.Lasso(alpha=0.01, max_iter=2, tol=0.0, warm_start=True, precompute=precompute)
    x = distribute(X, 0)
    for _ in range(3):
        ref.fit(X, Y)
        est.fit(x, Y)
        np.testing.assert_allclose(est.coef_.numpy(), ref.coef_, atol=1e-10)
    with pytest.raises(ValueError, match="precompute"):
        ht.regression.Lasso(precompute=np.eye(6)).fit(X, Y)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("max_iter", [3, 1000])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_lasso_runs_and_pieces(max_iter: int, fit_intercept: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """40 features = runs of 16, 16 and 8; the transposing copy and the Gram-block pass in
    pieces of 5 and 7 rows: the iterates stay scikit-learn's."""
    from heat.ml.regression import _centering, lasso

    monkeypatch.setattr(_centering, "CHUNK", 5)
    monkeypatch.setattr(lasso, "PIECE", 7)
    rng = np.random.default_rng(7)
    x = rng.standard_normal((90, 40))
    y = x @ np.where(rng.random(40) < 0.3, rng.standard_normal(40), 0.0) + 0.1 * rng.standard_normal(90)
    tol = 0.0 if max_iter == 3 else 1e-8
    ref = sk.Lasso(alpha=0.01, fit_intercept=fit_intercept, max_iter=max_iter, tol=tol).fit(x, y)
    for xs in sample_layouts(x, seed=8):
        est = ht.regression.Lasso(alpha=0.01, fit_intercept=fit_intercept, max_iter=max_iter, tol=tol)
        est.fit(xs, y)
        np.testing.assert_allclose(est.coef_.numpy(), ref.coef_, atol=1e-10)
        assert est.intercept_ == pytest.approx(ref.intercept_, abs=1e-10)
        assert est.n_iter_ == ref.n_iter_


def test_lasso_many_rows() -> None:
    """More rows per rank than one piece of the Gram-block pass, at the real piece sizes."""
    rng = np.random.default_rng(9)
    x = rng.standard_normal((20_000, 20))
    y = x @ rng.standard_normal(20) + 0.1 * rng.standard_normal(20_000)
    ref = sk.Lasso(alpha=0.05).fit(x, y)
    est = ht.regression.Lasso(alpha=0.05).fit(distribute(x, 0), y)
    np.testing.assert_allclose(est.coef_.numpy(), ref.coef_, atol=1e-10)
    assert est.n_iter_ == ref.n_iter_
