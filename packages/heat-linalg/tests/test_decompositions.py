"""Norms, determinants, QR, SVD (exact, randomized, hierarchical), solvers and eigenproblems
against NumPy / SciPy, with residual checks for the decompositions, for every split, float32 /
float64 (complex where cheap) and sizes that do not divide by the number of processes."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import scipy.linalg
from core_helpers import distribute, random_counts
from test_products import check, data

import heat as ht
from heat import linalg

TOL = {"float32": 2e-4, "float64": 1e-10, "complex128": 1e-10}


def close(got: ht.DNDarray, expected: np.ndarray, tol: float) -> None:
    np.testing.assert_allclose(got.numpy(), expected, rtol=tol, atol=tol)


def spd(n: int, dtype: str = "float64", seed: int = 0) -> np.ndarray:
    x = data((n, n), dtype, seed)
    return (x @ x.conj().T + n * np.eye(n)).astype(dtype)


# ---------------------------------------------------------------------------- norms
@pytest.mark.parametrize("split", [None, 0, 1])
def test_norms(split: int | None) -> None:
    X = data((7, 5), seed=1)
    x = distribute(X, split)
    for ord_ in [None, "fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf]:
        check(linalg.norm(x, ord_), np.linalg.norm(X, ord_))
        if ord_ is not None:
            check(linalg.matrix_norm(x, ord=ord_), np.linalg.matrix_norm(X, ord=ord_))
    check(linalg.matrix_norm(x, keepdims=True), np.linalg.matrix_norm(X, keepdims=True))
    for ord_ in [1, 2, 3, 0, math.inf, -math.inf, 0.5]:
        check(linalg.vector_norm(x, ord=ord_), np.linalg.vector_norm(X, ord=ord_))
        check(linalg.vector_norm(x, axis=0, ord=ord_), np.linalg.vector_norm(X, axis=0, ord=ord_))
        check(
            linalg.norm(x, ord_ if ord_ != 0.5 else 3, axis=1),
            np.linalg.norm(X, ord_ if ord_ != 0.5 else 3, axis=1),
        )
    Z = data((6, 4), "complex128", 2)
    check(linalg.norm(distribute(Z, split)), np.linalg.norm(Z))
    check(linalg.norm(distribute(Z, split), 2), np.linalg.norm(Z, 2))
    T = data((3, 4, 5), seed=3)
    check(linalg.norm(distribute(T, split), axis=(0, 2)), np.linalg.norm(T, axis=(0, 2)))
    check(
        linalg.norm(distribute(T, split), 1, axis=(2, 1), keepdims=True),
        np.linalg.norm(T, 1, axis=(2, 1), keepdims=True),
    )
    v = data((9,), seed=4)
    check(linalg.norm(distribute(v, None if split is None else 0), 3), np.linalg.norm(v, 3))
    with pytest.raises(ValueError, match="ord"):
        linalg.matrix_norm(x, ord=3)


@pytest.mark.parametrize("split", [None, 0, 1])
@pytest.mark.parametrize("dtype", ["float32", "float64", "complex128"])
def test_det_slogdet(split: int | None, dtype: str) -> None:
    for n in (1, 5, 8):
        A = data((n, n), dtype, n)
        a = distribute(A, split)
        tol = TOL[dtype] * 10
        np.testing.assert_allclose(linalg.det(a).numpy(), np.linalg.det(A), rtol=tol, atol=tol)
        sign, logabs = linalg.slogdet(a)
        es, el = np.linalg.slogdet(A)
        np.testing.assert_allclose(sign.numpy(), es, rtol=tol, atol=tol)
        np.testing.assert_allclose(logabs.numpy(), el, rtol=tol, atol=tol)
    np.testing.assert_allclose(linalg.det(distribute(np.eye(0, dtype=dtype), split)).numpy(), 1.0)
    S = np.ones((4, 4), dtype)
    assert float(abs(linalg.det(distribute(S, split)).numpy())) == 0.0
    assert linalg.slogdet(distribute(S, split)).sign.numpy() == 0
    stack = data((3, 4, 4), dtype, 9)
    np.testing.assert_allclose(
        linalg.det(distribute(stack, None if split is None else 0)).numpy(), np.linalg.det(stack), rtol=tol
    )
    with pytest.raises(ValueError, match="square"):
        linalg.det(ht.ones((3, 4), split=split))


# ---------------------------------------------------------------------------- QR / SVD
def qr_cases() -> list[tuple[int, int]]:
    return [(23, 3), (9, 9), (4, 9), (2, 2)]


@pytest.mark.parametrize("split", [None, 0, 1])
@pytest.mark.parametrize("dtype", ["float32", "float64", "complex128"])
def test_qr(split: int | None, dtype: str) -> None:
    tol = TOL[dtype] * 10
    for m, n in qr_cases():
        A = data((m, n), dtype, m * n)
        for a in [distribute(A, split)] + (
            [distribute(A, split, random_counts(A.shape[split], ht.get_comm().size, 5))]
            if split is not None and ht.get_comm().size > 1
            else []
        ):
            q, r = linalg.qr(a)
            Q, R = q.numpy(), r.numpy()
            k = min(m, n)
            assert Q.shape == (m, k) and R.shape == (k, n)
            np.testing.assert_allclose(Q @ R, A, rtol=tol, atol=tol)
            np.testing.assert_allclose(Q.conj().T @ Q, np.eye(k), rtol=tol, atol=tol)
            np.testing.assert_allclose(np.tril(R, -1), 0, atol=tol)
            assert q.dtype == ht.types.canonical(A.dtype)
            r_only = linalg.qr(a, mode="r").R.numpy()
            np.testing.assert_allclose(np.abs(r_only), np.abs(R), rtol=tol * 10, atol=tol * 10)
    ints = np.arange(12).reshape(4, 3)
    q, r = linalg.qr(distribute(ints, split))
    np.testing.assert_allclose(q.numpy() @ r.numpy(), ints, atol=1e-10)
    with pytest.raises(ValueError, match="mode"):
        linalg.qr(ht.ones((3, 3)), mode="full")


@pytest.mark.parametrize("split", [None, 0, 1])
@pytest.mark.parametrize("dtype", ["float32", "float64", "complex128"])
def test_svd(split: int | None, dtype: str) -> None:
    tol = TOL[dtype] * 10
    for m, n in [(20, 4), (6, 6), (5, 11)]:
        A = data((m, n), dtype, m + n)
        a = distribute(A, split)
        u, s, vh = linalg.svd(a, full_matrices=False)
        U, S, Vh = u.numpy(), s.numpy(), vh.numpy()
        np.testing.assert_allclose(S, np.linalg.svd(A, compute_uv=False), rtol=tol, atol=tol)
        np.testing.assert_allclose((U * S) @ Vh, A, rtol=tol, atol=tol)
        np.testing.assert_allclose(U.conj().T @ U, np.eye(min(m, n)), rtol=tol, atol=tol)
        check(linalg.svdvals(a), np.linalg.svd(A, compute_uv=False), rtol=tol)
        check(linalg.svd(a, compute_uv=False), np.linalg.svd(A, compute_uv=False), rtol=tol)
    sq = data((6, 6), dtype, 1)
    u, s, vh = linalg.svd(distribute(sq, split))
    np.testing.assert_allclose((u.numpy() * s.numpy()) @ vh.numpy(), sq, rtol=tol, atol=tol)
    if split is not None and ht.get_comm().size > 1:
        with pytest.raises(ValueError, match="full_matrices"):
            linalg.svd(distribute(data((8, 3), dtype), split))


@pytest.mark.parametrize("split", [None, 0, 1])
def test_rsvd_hsvd(split: int | None) -> None:
    rng = np.random.default_rng(0)
    m, n, k = 40, 24, 4
    A = rng.standard_normal((m, k)) @ np.diag([10.0, 5.0, 3.0, 1.0]) @ rng.standard_normal((k, n))
    a = distribute(A, split)
    exact = np.linalg.svd(A, compute_uv=False)[:k]
    u, s, vh = linalg.rsvd(a, rank=k, power_iter=2)
    np.testing.assert_allclose(s.numpy(), exact, rtol=1e-8)
    np.testing.assert_allclose((u.numpy() * s.numpy()) @ vh.numpy(), A, atol=1e-8)
    u, s, vh, err = linalg.hsvd(a, maxrank=k)
    np.testing.assert_allclose(s.numpy(), exact, rtol=1e-8)
    np.testing.assert_allclose((u.numpy() * s.numpy()) @ vh.numpy(), A, atol=1e-8)
    assert err < 1e-8
    noisy = A + 1e-3 * rng.standard_normal((m, n))
    u, s, vh, err = linalg.hsvd(distribute(noisy, split), maxrank=2)
    true_err = np.linalg.norm(noisy - (u.numpy() * s.numpy()) @ vh.numpy()) / np.linalg.norm(noisy)
    assert true_err <= err * (1 + 1e-8) + 1e-12
    u, s, vh, err = linalg.hsvd(distribute(noisy, split), rtol=1e-2)
    true_err = np.linalg.norm(noisy - (u.numpy() * s.numpy()) @ vh.numpy()) / np.linalg.norm(noisy)
    assert true_err <= 1e-2 and err <= 1e-2
    with pytest.raises(ValueError, match="rank"):
        linalg.rsvd(a, rank=0)


# ---------------------------------------------------------------------------- solvers
@pytest.mark.parametrize(("sa", "sb"), list(itertools.product([None, 0, 1], [None, 0, 1])))
def test_solve_inv(sa: int | None, sb: int | None) -> None:
    for dtype in ("float32", "float64", "complex128"):
        tol = TOL[dtype] * 100
        n = 7
        A = data((n, n), dtype, 1) + 3 * np.eye(n, dtype=dtype)
        B = data((n, 3), dtype, 2)
        x = linalg.solve(distribute(A, sa), distribute(B, sb))
        close(x, np.linalg.solve(A, B), tol)
        assert x.split == (sb if ht.get_comm().size > 1 else x.split)
        v = data((n,), dtype, 3)
        close(
            linalg.solve(distribute(A, sa), distribute(v, None if sb is None else 0)),
            np.linalg.solve(A, v),
            tol,
        )
        if sb is None:
            inv = linalg.inv(distribute(A, sa))
            close(inv, np.linalg.inv(A), tol)
            assert inv.split == sa or ht.get_comm().size == 1


@pytest.mark.parametrize("split", [None, 0, 1])
def test_solve_errors_and_stacks(split: int | None) -> None:
    sing = np.ones((5, 5))
    with pytest.raises(linalg.LinAlgError, match="singular"):
        linalg.solve(distribute(sing, split), np.ones(5))
    with pytest.raises(linalg.LinAlgError):
        linalg.inv(distribute(sing, split))
    with pytest.raises(ValueError, match="rows"):
        linalg.solve(distribute(np.eye(4), split), np.ones(3))
    with pytest.raises(ValueError, match="square"):
        linalg.inv(distribute(np.ones((3, 4)), split))
    As = data((4, 3, 3), seed=1) + 3 * np.eye(3)
    Bs = data((4, 3, 2), seed=2)
    s0 = None if split is None else 0
    check(linalg.solve(distribute(As, s0), distribute(Bs, s0)), np.linalg.solve(As, Bs))
    check(linalg.inv(distribute(As, s0)), np.linalg.inv(As))


@pytest.mark.parametrize(("sa", "sb"), list(itertools.product([None, 0, 1], [None, 0, 1])))
def test_solve_triangular(sa: int | None, sb: int | None) -> None:
    n = 8
    A = data((n, n), seed=1) + 4 * np.eye(n)
    B = data((n, 3), seed=2)
    for upper, unit in [(True, False), (False, True)]:
        T = np.triu(A) if upper else np.tril(A)
        x = linalg.solve_triangular(distribute(T, sa), distribute(B, sb), upper=upper, unitriangular=unit)
        close(x, scipy.linalg.solve_triangular(T, B, lower=not upper, unit_diagonal=unit), 1e-10)
    Bl = data((3, n), seed=3)
    x = linalg.solve_triangular(distribute(np.triu(A), sa), distribute(Bl, sb), upper=True, left=False)
    close(x, Bl @ np.linalg.inv(np.triu(A)), 1e-10)


@pytest.mark.parametrize("split", [None, 0, 1])
@pytest.mark.parametrize("dtype", ["float32", "float64", "complex128"])
def test_cholesky(split: int | None, dtype: str) -> None:
    tol = TOL[dtype] * 100
    for n in (1, 6, 9):
        A = spd(n, dtype, n)
        low = linalg.cholesky(distribute(A, split))
        close(low, np.linalg.cholesky(A), tol)
        assert low.split == split or ht.get_comm().size == 1
        up = linalg.cholesky(distribute(A, split), upper=True)
        close(up, np.linalg.cholesky(A).conj().T, tol)
    with pytest.raises(linalg.LinAlgError, match="positive definite"):
        linalg.cholesky(distribute(-np.eye(5, dtype=dtype), split))


@pytest.mark.parametrize("split", [None, 0, 1])
def test_cg(split: int | None) -> None:
    n = 17
    A = spd(n, seed=1)
    b = data((n,), seed=2)
    x = linalg.cg(distribute(A, split), distribute(b, None if split is None else 0), rtol=1e-12)
    close(x, np.linalg.solve(A, b), 1e-8)
    x1 = linalg.cg(distribute(A, split), b, maxiter=1)
    assert np.linalg.norm(A @ x1.numpy() - b) > 1e-6  # one iteration does not converge
    x0 = linalg.cg(distribute(A, split), b, x0=np.linalg.solve(A, b), maxiter=0)
    close(x0, np.linalg.solve(A, b), 1e-12)
    with pytest.raises(ValueError, match="vector"):
        linalg.cg(distribute(A, split), np.ones(3))


@pytest.mark.parametrize("split", [None, 0, 1])
def test_lstsq_pinv(split: int | None) -> None:
    for m, n in [(13, 4), (4, 9)]:
        A = data((m, n), seed=m)
        b = data((m,), seed=1)
        B = data((m, 2), seed=2)
        x, res, rank, s = linalg.lstsq(distribute(A, split), distribute(b, None if split is None else 0))
        ex, eres, erank, es = np.linalg.lstsq(A, b)
        close(x, ex, 1e-10)
        np.testing.assert_allclose(res.numpy(), eres, rtol=1e-8)
        assert int(rank.numpy()) == erank
        np.testing.assert_allclose(s.numpy(), es, rtol=1e-10)
        x2 = linalg.lstsq(distribute(A, split), distribute(B, split))[0]
        close(x2, np.linalg.lstsq(A, B)[0], 1e-10)
        close(linalg.pinv(distribute(A, split)), np.linalg.pinv(A), 1e-10)
    deficient = np.ones((6, 3))
    close(linalg.pinv(distribute(deficient, split)), np.linalg.pinv(deficient), 1e-10)
    with pytest.raises(linalg.LinAlgError, match="rank deficient"):
        linalg.lstsq(distribute(deficient, split), np.ones(6))


# ---------------------------------------------------------------------------- eigen
@pytest.mark.parametrize("split", [None, 0, 1])
@pytest.mark.parametrize("dtype", ["float32", "float64", "complex128"])
def test_eigh(split: int | None, dtype: str) -> None:
    tol = TOL[dtype] * 100
    A = spd(7, dtype, 3)
    w, v = linalg.eigh(distribute(A, split))
    ew = np.linalg.eigvalsh(A)
    np.testing.assert_allclose(w.numpy(), ew, rtol=tol, atol=tol)
    V = v.numpy()
    np.testing.assert_allclose(A @ V, V * w.numpy(), rtol=tol, atol=tol * 10)
    check(linalg.eigvalsh(distribute(A, split)), ew, rtol=tol)
    N = data((5, 5), dtype, 4)  # not Hermitian: the lower triangle is used, as NumPy
    np.testing.assert_allclose(
        linalg.eigvalsh(distribute(N, split)).numpy(), np.linalg.eigvalsh(N), rtol=tol, atol=tol
    )


@pytest.mark.parametrize("split", [None, 0, 1])
def test_lanczos_rank_cond(split: int | None) -> None:
    n = 12
    A = spd(n, seed=5)
    V, T = linalg.lanczos(distribute(A, split), n)
    Vn, Tn = V.numpy(), T.numpy()
    np.testing.assert_allclose(Vn.T @ Vn, np.eye(n), atol=1e-10)
    np.testing.assert_allclose(Vn.T @ A @ Vn, Tn, atol=1e-8)
    np.testing.assert_allclose(np.linalg.eigvalsh(Tn), np.linalg.eigvalsh(A), rtol=1e-8)
    V, T = linalg.lanczos(distribute(np.eye(6) * 2.0, split), 4)  # invariant after one step
    np.testing.assert_allclose(V.numpy().T @ V.numpy(), np.eye(4), atol=1e-10)
    np.testing.assert_allclose(np.diag(T.numpy()), 2.0)
    R = data((9, 3), seed=6) @ data((3, 7), seed=7)
    assert int(linalg.matrix_rank(distribute(R, split)).numpy()) == np.linalg.matrix_rank(R)
    M = data((6, 6), seed=8)
    for p in (None, -2, 1, "fro", -math.inf):
        np.testing.assert_allclose(
            linalg.cond(distribute(M, split), p).numpy(), np.linalg.cond(M, p), rtol=1e-8
        )
    assert math.isinf(float(linalg.cond(distribute(np.ones((4, 4)), split), 1).numpy()))


@pytest.mark.parametrize("split", [0, 1])
def test_lu_several_panels_per_rank(split: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Panels narrower than a rank's block: the owner updates its own columns too."""
    import heat.linalg.lu as lu_module

    monkeypatch.setattr(lu_module, "PANEL", 2)
    n = 11
    A = data((n, n), seed=3)
    B = data((n, 3), seed=4)
    close(linalg.solve(distribute(A, split), distribute(B, 1)), np.linalg.solve(A, B), 1e-9)
    np.testing.assert_allclose(linalg.det(distribute(A, split)).numpy(), np.linalg.det(A), rtol=1e-9)
    P = A.copy()
    P[[0, 5]] = P[[5, 0]]
    P[:, 2] = 0.0  # singular: a zero column in the middle of a rank's block
    with pytest.raises(linalg.LinAlgError):
        linalg.solve(distribute(P, split), distribute(B, 0))
