"""heat.cluster against scikit-learn (same data, same initial centres) and against a NumPy
reference of the same iteration for k-medians/k-medoids."""

from __future__ import annotations

import numpy as np
import pytest
from core_helpers import distribute, random_counts
from ml_helpers import same_partition, sample_layouts
from sklearn.cluster import KMeans as SKKMeans
from sklearn.datasets import make_blobs

import heat as ht
from heat.cluster import KMeans, KMedians, KMedoids
from heat.ml._base import NotFittedError

X, Y = make_blobs(120, 3, centers=4, random_state=0, cluster_std=2.0)
INIT = X[[0, 5, 10, 15]]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_kmeans_matches_sklearn(dtype: type) -> None:
    data = X.astype(dtype)
    sk = SKKMeans(4, init=INIT.astype(dtype), n_init=1).fit(data)
    rtol = 1e-10 if dtype == np.float64 else 1e-4
    for x in sample_layouts(data, seed=1):
        km = KMeans(n_clusters=4, init=INIT).fit(x)
        np.testing.assert_allclose(km.cluster_centers_.numpy(), sk.cluster_centers_, rtol=rtol, atol=rtol)
        np.testing.assert_array_equal(km.labels_.numpy(), sk.labels_)
        assert km.inertia_ == pytest.approx(sk.inertia_, rel=rtol)
        assert km.n_iter_ == sk.n_iter_
        assert km.cluster_centers_.split is None and km.labels_.split == 0
        assert km.cluster_centers_.dtype == ht.types.canonical(dtype)


def test_kmeans_one_collective_per_iteration(collective_calls: list[str]) -> None:
    x = distribute(X, 0)
    km = KMeans(n_clusters=4, init=INIT, tol=0.0, max_iter=7)
    collective_calls.clear()
    km.fit(x)
    if x.comm.size > 1:
        # NaN check + one per iteration + the final labels' inertia
        assert collective_calls.count("allreduce") == km.n_iter_ + 2, collective_calls


def test_kmeans_max_iter_and_tol() -> None:
    sk = SKKMeans(4, init=INIT, n_init=1, max_iter=2).fit(X)
    km = KMeans(4, init=INIT, max_iter=2).fit(distribute(X, 0))
    assert km.n_iter_ == sk.n_iter_ == 2
    np.testing.assert_allclose(km.cluster_centers_.numpy(), sk.cluster_centers_, rtol=1e-10)
    sk = SKKMeans(4, init=INIT, n_init=1, tol=0.5).fit(X)
    km = KMeans(4, init=INIT, tol=0.5).fit(distribute(X, 0))
    assert km.n_iter_ == sk.n_iter_
    assert km.inertia_ == pytest.approx(sk.inertia_, rel=1e-10)


@pytest.mark.parametrize("init", ["k-means++", "kmeans++", "random"])
def test_kmeans_seeded_inits(init: str) -> None:
    """The same seed gives the same centres on any layout and process count (checked
    against the replicated fit, which every rank computes alone), and a sensible clustering."""
    mine = KMeans(4, init=init, random_state=7, n_init=2).fit(
        distribute(X, 0, random_counts(120, ht.get_comm().size, 4))
    )
    alone = KMeans(4, init=init, random_state=7, n_init=2).fit(ht.array(X, comm=ht.MPI_SELF))
    np.testing.assert_allclose(mine.cluster_centers_.numpy(), alone.cluster_centers_.numpy(), rtol=1e-9)
    best = SKKMeans(4, n_init=10, random_state=0).fit(X).inertia_
    assert mine.inertia_ <= 1.5 * best
    assert same_partition(mine.labels_.numpy(), Y) or mine.inertia_ <= 1.2 * best


def test_kmeans_predict_transform_score() -> None:
    sk = SKKMeans(4, init=INIT, n_init=1).fit(X)
    km = KMeans(4, init=INIT).fit(distribute(X, 0))
    new = np.random.default_rng(1).standard_normal((9, 3)) * 5
    for x in sample_layouts(new, seed=2):
        np.testing.assert_array_equal(km.predict(x).numpy(), sk.predict(new))
        np.testing.assert_allclose(km.transform(x).numpy(), sk.transform(new), rtol=1e-8, atol=1e-8)
        assert km.score(x) == pytest.approx(sk.score(new), rel=1e-10)
    np.testing.assert_array_equal(KMeans(4, init=INIT).fit_predict(X).numpy(), sk.labels_)
    np.testing.assert_allclose(KMeans(4, init=INIT).fit_transform(X).numpy(), sk.transform(X), rtol=1e-8)


def test_params_and_repr() -> None:
    km = KMeans(n_clusters=3, init="kmeans++", random_state=1)
    assert km.get_params() == {
        "init": "kmeans++", "max_iter": 300, "n_clusters": 3, "n_init": 1, "random_state": 1, "tol": 1e-4,
    }  # fmt: skip
    assert km.set_params(n_clusters=5) is km and km.n_clusters == 5
    assert repr(km) == "KMeans(init='kmeans++', n_clusters=5, random_state=1)"
    assert repr(KMedians()) == "KMedians()"
    with pytest.raises(ValueError, match="Invalid parameter"):
        km.set_params(k=2)


def test_bad_input() -> None:
    with pytest.raises(NotFittedError, match="not fitted"):
        KMeans().predict(X)
    with pytest.raises(ValueError, match="n_samples=120 should be >= n_clusters=200"):
        KMeans(200).fit(distribute(X, 0))
    km = KMeans(4, init=INIT).fit(distribute(X, 0))
    with pytest.raises(ValueError, match="X has 2 features, but KMeans is expecting 3"):
        km.predict(X[:, :2])
    bad = X.copy()
    bad[-1, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        KMeans(4).fit(distribute(bad, 0))
    with pytest.raises(ValueError, match="init"):
        KMeans(4, init="fancy").fit(X)
    with pytest.raises(ValueError, match="init array has shape"):
        KMeans(3, init=INIT).fit(X)


def _reference(data: np.ndarray, centers: np.ndarray, medoids: bool, max_iter: int = 300) -> tuple:
    """NumPy k-medians / Heat-style k-medoids with the same stopping rule as k-means and
    scikit-learn's relocation of empty clusters (the farthest rows, lowest index on ties)."""
    tol = np.var(data, axis=0).mean() * 1e-4
    old = None
    for it in range(1, max_iter + 1):
        dist = np.abs(data[:, None, :] - centers[None]).sum(2)
        assigned = dist.argmin(1)
        labels = assigned.copy()
        empty = [c for c in range(len(centers)) if not (labels == c).any()]
        farthest = np.argsort(-dist.min(1), kind="stable")[: len(empty)]
        labels[farthest] = empty
        new = centers.copy()
        for c in range(len(centers)):
            members = data[labels == c]
            if len(members):
                new[c] = np.median(members, axis=0)
                if medoids:
                    new[c] = members[np.abs(members - new[c]).sum(1).argmin()]
        shift = ((new - centers) ** 2).sum()
        centers = new
        if old is not None and (assigned == old).all():
            break
        if shift <= tol:
            labels = np.abs(data[:, None, :] - centers[None]).sum(2).argmin(1)
            break
        old = labels
    inertia = np.abs(data - centers[labels]).sum()
    return centers, labels, inertia, it


def _agrees(est: KMedians, centers: np.ndarray, labels: np.ndarray, inertia: float, n_iter: int) -> None:
    np.testing.assert_allclose(est.cluster_centers_.numpy(), centers, rtol=1e-12)
    np.testing.assert_array_equal(est.labels_.numpy(), labels)
    assert est.inertia_ == pytest.approx(inertia, rel=1e-10)
    assert est.n_iter_ == n_iter


@pytest.mark.parametrize("cls", [KMedians, KMedoids])
def test_kmedians_kmedoids_reference(cls: type) -> None:
    data = np.round(X, 1)  # ties in the medians
    centers, labels, inertia, n_iter = _reference(data, INIT.copy(), cls is KMedoids)
    for x in sample_layouts(data, seed=5):
        _agrees(cls(n_clusters=4, init=INIT).fit(x), centers, labels, inertia, n_iter)
    if cls is KMedoids:  # medoids are samples
        assert all((np.abs(data - c).sum(1) == 0).any() for c in centers)
    est = cls(4, random_state=3).fit(distribute(data, 0))
    assert same_partition(est.labels_.numpy(), Y) or est.inertia_ < 1.5 * inertia


def test_batch_parallel_kmeans(comm: ht.Communicator) -> None:
    from heat.cluster import BatchParallelKMeans

    data, _ = make_blobs(300, 3, centers=4, random_state=0, cluster_std=1.0)
    best = SKKMeans(4, n_init=10, random_state=0).fit(data).inertia_
    for x in (distribute(data, 0), distribute(data, 0, random_counts(300, comm.size, 8)), data):
        est = BatchParallelKMeans(n_clusters=4, random_state=1).fit(x)
        assert est.inertia_ <= 1.15 * best  # an approximation: local clusterings merged
        labels = est.labels_.numpy()
        np.testing.assert_array_equal(est.predict(data).numpy(), labels)
        dist = ((data - est.cluster_centers_.numpy()[labels]) ** 2).sum()
        assert est.inertia_ == pytest.approx(dist, rel=1e-10)
    tiny = BatchParallelKMeans(n_clusters=2, random_state=0).fit(
        distribute(data[:4], 0)
    )  # ranks with < k rows
    assert tiny.cluster_centers_.gshape == (2, 3)
    with pytest.raises(ValueError, match="init"):
        BatchParallelKMeans(init="random").fit(data)


def test_spectral(comm: ht.Communicator) -> None:
    from sklearn.cluster import SpectralClustering

    from heat.cluster import Spectral

    data, _ = make_blobs(60, 2, centers=3, random_state=1, cluster_std=0.5)
    ref = SpectralClustering(3, affinity="rbf", gamma=0.5, random_state=0).fit(data).labels_
    for x in (distribute(data, 0), distribute(data, 0, random_counts(60, comm.size, 9)), data):
        est = Spectral(gamma=0.5, n_lanczos=30, random_state=0).fit(x)  # n_clusters by eigengap
        assert est.n_clusters_ == 3
        assert same_partition(est.labels_.numpy(), ref)
        assert est.affinity_matrix_.split == 0
    fixed = Spectral(n_clusters=3, gamma=0.5, random_state=0).fit_predict(distribute(data, 0))
    assert same_partition(fixed.numpy(), ref)
    with pytest.raises(ValueError, match="n_clusters"):
        Spectral(n_clusters=100).fit(data)


W = np.random.default_rng(4).random(X.shape[0]) * 3


def test_kmeans_sample_weight_matches_sklearn() -> None:
    sk = SKKMeans(4, init=INIT, n_init=1).fit(X, sample_weight=W)
    for i, x in enumerate(sample_layouts(X, seed=2)):
        w = W if i % 2 else distribute(W, 0, random_counts(W.size, ht.get_comm().size, i))
        km = KMeans(n_clusters=4, init=INIT).fit(x, sample_weight=w)
        np.testing.assert_allclose(km.cluster_centers_.numpy(), sk.cluster_centers_, rtol=1e-10, atol=1e-10)
        np.testing.assert_array_equal(km.labels_.numpy(), sk.labels_)
        assert km.inertia_ == pytest.approx(sk.inertia_, rel=1e-10)
        assert km.n_iter_ == sk.n_iter_
        assert km.score(x, sample_weight=w) == pytest.approx(sk.score(X, sample_weight=W), rel=1e-10)
    labels = KMeans(n_clusters=4, init=INIT).fit_predict(distribute(X, 0), sample_weight=W)
    np.testing.assert_array_equal(labels.numpy(), sk.labels_)


@pytest.mark.parametrize("init", ["k-means++", "random"])
def test_kmeans_seeding_follows_the_weights(init: str) -> None:
    """Rows of weight zero are never drawn as initial centres; the fit is the same for any
    number of processes."""
    w = W.copy()
    w[Y != 0] = 0.0  # only cluster 0 carries weight
    km = KMeans(n_clusters=3, init=init, random_state=5, max_iter=1).fit(distribute(X, 0), sample_weight=w)
    alone = KMeans(n_clusters=3, init=init, random_state=5, max_iter=1)
    alone.fit(ht.array(X, comm=ht.MPI_SELF), sample_weight=ht.array(w, comm=ht.MPI_SELF))
    np.testing.assert_allclose(km.cluster_centers_.numpy(), alone.cluster_centers_.numpy(), rtol=1e-12)
    # seeds are cluster-0 rows; after one iteration every centre is a weighted mean of cluster-0
    # rows or, with no weight assigned, its seed
    members = X[Y == 0]
    lo, hi = members.min(0) - 1e-9, members.max(0) + 1e-9
    centres = km.cluster_centers_.numpy()
    assert np.all((centres >= lo) & (centres <= hi))


def test_sample_weight_errors() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        KMeans(2).fit(X, sample_weight=-W)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        KMeans(2).fit(X, sample_weight=W[:-1])
    with pytest.raises(ValueError, match="positive sum"):
        KMeans(2).fit(X, sample_weight=np.zeros(X.shape[0]))


@pytest.mark.parametrize("cls", [KMedians, KMedoids])
def test_kmedians_kmedoids_integer_weights_are_repeated_rows(cls: type) -> None:
    data = np.round(X, 1)  # ties in the medians
    counts = np.random.default_rng(3).integers(0, 4, data.shape[0])  # zeros drop rows
    repeated = np.repeat(data, counts, axis=0)
    ref = cls(n_clusters=4, init=INIT, tol=0.0).fit(ht.array(repeated, comm=ht.MPI_SELF))
    for x in sample_layouts(data):
        est = cls(n_clusters=4, init=INIT, tol=0.0).fit(x, sample_weight=counts.astype(np.float64))
        np.testing.assert_allclose(est.cluster_centers_.numpy(), ref.cluster_centers_.numpy(), rtol=1e-12)
        np.testing.assert_array_equal(np.repeat(est.labels_.numpy(), counts), ref.labels_.numpy())
        assert est.inertia_ == pytest.approx(ref.inertia_, rel=1e-12)
        assert est.n_iter_ == ref.n_iter_


@pytest.mark.parametrize("cls", [KMedians, KMedoids])
def test_kmedians_kmedoids_unit_weights_change_nothing(cls: type) -> None:
    x = distribute(X, 0)
    plain = cls(n_clusters=4, init=INIT).fit(x)
    weighted = cls(n_clusters=4, init=INIT).fit(x, sample_weight=1.0)
    np.testing.assert_array_equal(weighted.cluster_centers_.numpy(), plain.cluster_centers_.numpy())
    np.testing.assert_array_equal(weighted.labels_.numpy(), plain.labels_.numpy())
    assert weighted.n_iter_ == plain.n_iter_


@pytest.mark.parametrize("weighted", [False, True])
def test_kmeans_relocates_empty_clusters_as_sklearn(weighted: bool) -> None:
    init = np.vstack([INIT[:3], [[100.0, 100.0, 100.0]]])  # the last centre attracts nobody
    w = W if weighted else None
    sk = SKKMeans(4, init=init, n_init=1).fit(X, sample_weight=w)
    for x in sample_layouts(X, seed=3):
        km = KMeans(n_clusters=4, init=init).fit(x, sample_weight=w)
        np.testing.assert_allclose(km.cluster_centers_.numpy(), sk.cluster_centers_, rtol=1e-10, atol=1e-10)
        np.testing.assert_array_equal(km.labels_.numpy(), sk.labels_)
        assert km.inertia_ == pytest.approx(sk.inertia_, rel=1e-10)
        assert km.n_iter_ == sk.n_iter_


@pytest.mark.parametrize("cls", [KMedians, KMedoids])
def test_kmedians_kmedoids_relocate_empty_clusters(cls: type) -> None:
    data = np.round(X, 1)
    init = np.vstack([INIT[:3], [[100.0, 100.0, 100.0]]])  # the last centre attracts nobody
    centers, labels, inertia, n_iter = _reference(data, init.copy(), cls is KMedoids)
    assert len(np.unique(labels)) == 4 and not (centers == 100.0).any()  # the reference relocated
    for x in sample_layouts(data, seed=6):
        _agrees(cls(n_clusters=4, init=init).fit(x), centers, labels, inertia, n_iter)
    # a row of weight zero is never moved: the empty cluster takes the next farthest row
    order = np.argsort(-np.abs(data[:, None, :] - init[None]).sum(2).min(1), kind="stable")
    weights = np.ones(len(data))
    weights[order[0]] = 0.0
    for x in sample_layouts(data, seed=7):
        est = cls(n_clusters=4, init=init, max_iter=1).fit(x, sample_weight=weights)
        np.testing.assert_array_equal(est.cluster_centers_.numpy()[3], data[order[1]])
