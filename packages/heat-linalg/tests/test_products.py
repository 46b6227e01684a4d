"""matmul for every split pair, batched and vector operands, against NumPy; the result split
each pair documents; the contractions built on it (dot, vdot, vecdot, inner, outer,
tensordot, einsum) and the matrix helpers (kron, cross, trace, tril, triu, matrix_transpose)."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from core_helpers import distribute, random_counts

import heat as ht
from heat import linalg

SPLITS2 = [None, 0, 1]


def data(shape: tuple[int, ...], dtype: str = "float64", seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if dtype.startswith("complex"):
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)
    if dtype.startswith(("int", "uint")):
        return rng.integers(-3, 4, shape).astype(dtype)
    if dtype == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    return rng.standard_normal(shape).astype(dtype)


def check(got: Any, expected: Any, rtol: float | None = None) -> None:
    """Gathered values, dtype and shape against NumPy; this rank's block where its layout says."""
    expected = np.asarray(expected)
    assert isinstance(got, ht.DNDarray)
    full = got.numpy()
    assert got.gshape == expected.shape, (got.gshape, expected.shape)
    assert got.dtype == ht.types.canonical(expected.dtype), (got.dtype, expected.dtype)
    if rtol is None:
        rtol = 1e-4 if expected.dtype in (np.float32, np.complex64) else 1e-10
    np.testing.assert_allclose(full, expected, rtol=rtol, atol=rtol)
    if got.split is not None:
        key = ht.core.layout.local_slice(got.split, got.counts, got.comm.rank, got.ndim)
        np.testing.assert_array_equal(got.larray.cpu().numpy(), full[key])


def variants(x: np.ndarray, split: int | None, seed: int = 0) -> list[ht.DNDarray]:
    """``x`` with ``split``, balanced and (on several ranks) unbalanced with empty blocks."""
    out = [distribute(x, split)]
    if split is not None and ht.get_comm().size > 1:
        out.append(distribute(x, split, random_counts(x.shape[split], ht.get_comm().size, seed)))
    return out


EXPECTED_SPLIT = {
    (None, None): None,
    (0, None): 0,
    (None, 1): 1,
    (0, 0): 0,
    (1, 1): 1,
}


@pytest.mark.parametrize(("sa", "sb"), list(itertools.product(SPLITS2, SPLITS2)))
@pytest.mark.parametrize("mkn", [(7, 5, 6), (9, 2, 8), (2, 9, 2), (1, 3, 2)])
def test_matmul_split_pairs(sa: int | None, sb: int | None, mkn: tuple[int, int, int]) -> None:
    m, k, n = mkn
    A, B = data((m, k), seed=1), data((k, n), seed=2)
    for i, a in enumerate(variants(A, sa, 3)):
        for b in variants(B, sb, 4 + i):
            c = linalg.matmul(a, b)
            check(c, A @ B)
            if ht.get_comm().size > 1 and (sa, sb) in EXPECTED_SPLIT:
                assert c.split == EXPECTED_SPLIT[(sa, sb)], (sa, sb, c.split)
            if (sa, sb) == (0, 1) and ht.get_comm().size > 1:
                assert c.split == (0 if m >= n else 1)


@pytest.mark.parametrize("dtype", ["float32", "complex128", "int64", "int32"])
def test_matmul_dtypes(dtype: str) -> None:
    A, B = data((6, 5), dtype, 1), data((5, 4), dtype, 2)
    for sa, sb in itertools.product(SPLITS2, SPLITS2):
        check(distribute(A, sa) @ distribute(B, sb), A @ B)


def test_matmul_mixed_dtypes_and_bool() -> None:
    A, B = data((5, 4), "int32", 1), data((4, 3), "float32", 2)
    check(linalg.matmul(distribute(A, 0), distribute(B, 0)), A @ B)
    P, Q = data((5, 4), "bool", 1), data((4, 3), "bool", 2)
    check(linalg.matmul(distribute(P, 1), distribute(Q, 0)), P @ Q)
    check(
        linalg.matmul(distribute(A, 1), B.astype(np.float64)), A @ B.astype(np.float64)
    )  # array-like operand


@pytest.mark.parametrize(("sa", "sb"), list(itertools.product([None, 0], SPLITS2)))
def test_matmul_vectors(sa: int | None, sb: int | None) -> None:
    v, M = data((5,), seed=1), data((5, 4), seed=2)
    w = data((4,), seed=3)
    sm = sb if sb is not None else None
    check(linalg.matmul(distribute(v, sa), distribute(M, sm)), v @ M)
    check(linalg.matmul(distribute(M, sm), distribute(w, sa)), M @ w)
    check(linalg.matmul(distribute(v, sa), distribute(v, 0 if sb == 0 else None)), v @ v)


@pytest.mark.parametrize("sa", [None, 0, 1, 2])
@pytest.mark.parametrize("sb", [None, 0, 1])
def test_matmul_batched(sa: int | None, sb: int | None) -> None:
    A, B = data((3, 5, 4), seed=1), data((4, 6), seed=2)
    check(linalg.matmul(distribute(A, sa), distribute(B, sb)), A @ B)
    C = data((3, 4, 2), seed=3)
    sc = None if sb is None else sb + 1
    check(linalg.matmul(distribute(A, sa), distribute(C, sc)), A @ C)
    D = data((1, 4, 2), seed=4)  # broadcast batch axis
    check(linalg.matmul(distribute(A, sa), distribute(D, sc)), A @ D)


def test_matmul_out_and_operator() -> None:
    A, B = data((6, 5), seed=1), data((5, 4), seed=2)
    out = ht.zeros((6, 4), split=1)
    got = linalg.matmul(distribute(A, 0), distribute(B, 0), out=out)
    assert got is out
    check(out, A @ B)
    check(distribute(A, 1) @ distribute(B, 1), A @ B)
    check(distribute(A, 1) @ B, A @ B)


def test_matmul_errors() -> None:
    a, b = ht.ones((3, 4), split=0), ht.ones((5, 2), split=1)
    with pytest.raises(ValueError, match=r"\(3, 4\).*\(5, 2\)"):
        linalg.matmul(a, b)
    with pytest.raises(ValueError, match="at least 1-d"):
        linalg.matmul(ht.array(2.0), a)
    with pytest.raises(ValueError, match="batch"):
        linalg.matmul(ht.ones((2, 3, 4)), ht.ones((3, 4, 2)))
    with pytest.raises(ValueError, match="out has shape"):
        linalg.matmul(ht.ones((3, 4)), ht.ones((4, 2)), out=ht.zeros((2, 2)))


def test_no_full_result_allreduce(collective_calls: list[str]) -> None:
    """1 @ 0 with a large result reduce-scatters around a ring (no all-reduce)."""
    A, B = data((12, 3), seed=1), data((3, 12), seed=2)
    a, b = distribute(A, 1), distribute(B, 0)
    collective_calls.clear()
    c = linalg.matmul(a, b)
    assert "allreduce" not in collective_calls
    check(c, A @ B)


# ---------------------------------------------------------------------------- contractions
@pytest.mark.parametrize("sa", [None, 0, 1, 2])
@pytest.mark.parametrize("sb", [None, 0, 1, 2])
def test_tensordot(sa: int | None, sb: int | None) -> None:
    A, B = data((4, 5, 3), seed=1), data((5, 3, 6), seed=2)
    a, b = distribute(A, sa), distribute(B, sb)
    check(linalg.tensordot(a, b, axes=2), np.tensordot(A, B, axes=2))
    check(linalg.tensordot(a, b, axes=([1, 2], [0, 1])), np.tensordot(A, B, axes=([1, 2], [0, 1])))
    check(linalg.tensordot(a, b, axes=([2, 1], [1, 0])), np.tensordot(A, B, axes=([2, 1], [1, 0])))
    check(linalg.tensordot(a, b, axes=([1], [0])), np.tensordot(A, B, axes=([1], [0])))
    check(linalg.tensordot(a, b, axes=0), np.tensordot(A, B, axes=0))


@pytest.mark.parametrize(("s1", "s2"), [(None, 0), (0, 0), (0, 1), (1, 0), (1, None)])
def test_dot_inner_outer_vdot_vecdot(s1: int | None, s2: int | None) -> None:
    M, N = data((4, 5), seed=1), data((5, 3), seed=2)
    check(linalg.dot(distribute(M, s1), distribute(N, s2)), np.dot(M, N))
    T = data((2, 5, 3), seed=3)
    check(linalg.dot(distribute(M, s1), distribute(T, s2)), np.dot(M, T))
    P = data((3, 5), seed=4)
    check(linalg.inner(distribute(M, s1), distribute(P, s2)), np.inner(M, P))
    check(linalg.outer(distribute(M, s1), distribute(N, s2)), np.outer(M, N))
    Z1, Z2 = data((4, 5), "complex128", 5), data((5, 4), "complex128", 6)
    check(linalg.vdot(distribute(Z1, s1), distribute(Z2, s2)), np.vdot(Z1, Z2))
    Q = data((4, 5), seed=7)
    check(linalg.vecdot(distribute(M, s1), distribute(Q, s2)), np.vecdot(M, Q))
    check(
        linalg.vecdot(distribute(Z1, s1), distribute(Z2.T.copy(), s2), axis=0),
        np.vecdot(Z1, Z2.T, axis=0),
    )


def test_dot_scalars_and_vectors() -> None:
    check(linalg.dot(ht.array(2.0), ht.ones(3, split=0)), np.full(3, 2.0))
    v = data((7,), seed=8)
    check(linalg.dot(distribute(v, 0), distribute(v, 0)), np.dot(v, v))


@pytest.mark.parametrize(
    ("expr", "shapes"),
    [
        ("ij,jk->ik", [(4, 5), (5, 3)]),
        ("ij,kj->ki", [(4, 5), (3, 5)]),
        ("bij,bjk->bik", [(3, 4, 5), (3, 5, 2)]),
        ("ii->i", [(5, 5)]),
        ("ij->", [(4, 5)]),
        ("ij->ji", [(4, 5)]),
        ("i,i->", [(6,), (6,)]),
        ("ij,j->i", [(4, 5), (5,)]),
        ("ijk,ik->j", [(3, 4, 5), (3, 5)]),
        ("ij,jk,kl->il", [(3, 4), (4, 5), (5, 2)]),
        ("ij,jj->i", [(3, 4), (4, 4)]),
    ],
)
def test_einsum(expr: str, shapes: list[tuple[int, ...]]) -> None:
    arrays = [data(s, seed=i) for i, s in enumerate(shapes)]
    expected = np.einsum(expr, *arrays)
    choices = [[None, *range(len(s))] for s in shapes]
    for splits in itertools.islice(itertools.product(*choices), 12):
        ops = [distribute(x, s) for x, s in zip(arrays, splits)]
        check(linalg.einsum(expr, *ops), expected)


def test_einsum_errors() -> None:
    with pytest.raises(ValueError, match="subscripts"):
        linalg.einsum("ij,jk->ik", ht.ones((2, 3)))
    with pytest.raises(ValueError, match="sizes"):
        linalg.einsum("ij,jk->ik", ht.ones((2, 3)), ht.ones((4, 2)))


@pytest.mark.parametrize("split", [None, 0, 1, 2])
def test_tril_triu_transpose_trace(split: int | None) -> None:
    X = data((3, 5, 4), seed=1)
    x = distribute(X, split)
    for k in (-2, 0, 1, 3):
        check(linalg.tril(x, k), np.tril(X, k))
        check(linalg.triu(x, k=k), np.triu(X, k))
    check(linalg.matrix_transpose(x), np.swapaxes(X, -1, -2))
    for offset, a1, a2 in [(0, 0, 1), (1, 1, 2), (-1, 2, 0), (2, -1, -2)]:
        check(linalg.trace(x, offset, a1, a2), np.trace(X, offset, a1, a2))
    ints = data((6, 6), "int32", 2)
    check(linalg.trace(distribute(ints, 0)), np.trace(ints))
    with pytest.raises(ValueError, match="2 dimensions"):
        linalg.tril(ht.ones(3))


def test_kron_cross() -> None:
    A, B = data((3, 4), seed=1), data((2, 3), seed=2)
    for sa, sb in itertools.product(SPLITS2, SPLITS2):
        check(linalg.kron(distribute(A, sa), distribute(B, sb)), np.kron(A, B))
    check(linalg.kron(distribute(data((5,), seed=3), 0), distribute(B, 1)), np.kron(data((5,), seed=3), B))
    U, V = data((5, 3), seed=4), data((5, 3), seed=5)
    for su, sv in itertools.product(SPLITS2, SPLITS2):
        check(linalg.cross(distribute(U, su), distribute(V, sv)), np.cross(U, V))
    W = data((3, 5), seed=6)
    check(linalg.cross(distribute(W, 0), distribute(W[::-1].copy(), 1), axis=0), np.cross(W, W[::-1], axis=0))
    check(
        linalg.cross(distribute(data((3,), seed=7), 0), data((3,), seed=8)),
        np.cross(data((3,), seed=7), data((3,), seed=8)),
    )
    with pytest.raises(ValueError, match="2 or 3"):
        linalg.cross(ht.ones((3, 4)), ht.ones((3, 4)))


def test_facade_names() -> None:
    for name in ("matmul", "dot", "vdot", "vecdot", "inner", "outer", "tensordot", "einsum", "kron",
                 "cross", "trace", "matrix_transpose", "tril", "triu"):  # fmt: skip
        assert getattr(ht, name) is getattr(linalg, name)
    assert issubclass(linalg.LinAlgError, ValueError)


@pytest.mark.parametrize("mkn", [(0, 3, 2), (3, 0, 2), (3, 2, 0)])
def test_matmul_zero_size(mkn: tuple[int, int, int]) -> None:
    m, k, n = mkn
    A, B = data((m, k), seed=1), data((k, n), seed=2)
    for sa, sb in itertools.product(SPLITS2, SPLITS2):
        check(linalg.matmul(distribute(A, sa), distribute(B, sb)), A @ B)


def test_aligned_products_do_not_communicate(collective_calls: list[str]) -> None:
    """0 @ R, R @ 1 and R @ R are local: no collective at all."""
    A, B = data((6, 4), seed=1), data((4, 5), seed=2)
    pairs = [(distribute(A, 0), distribute(B, None)), (distribute(A, None), distribute(B, 1))]
    pairs.append((distribute(A, None), distribute(B, None)))
    collective_calls.clear()
    results = [linalg.matmul(a, b) for a, b in pairs]
    assert collective_calls == []
    for c in results:
        check(c, A @ B)
