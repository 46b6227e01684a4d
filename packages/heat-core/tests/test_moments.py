"""cov, corrcoef, skew and kurtosis against NumPy (skew/kurtosis: their moment definitions)."""

from __future__ import annotations

import numpy as np
import pytest
from core_helpers import assert_eq, layouts

import heat as ht

RNG = np.random.default_rng(2)
F = RNG.standard_normal((4, 9))
G = RNG.standard_normal((2, 9))


@pytest.mark.parametrize("kwargs", [{}, {"bias": True}, {"ddof": 2}, {"rowvar": False}], ids=str)
def test_cov_matches_numpy(kwargs: dict[str, object]) -> None:
    for x in layouts(F, seed=1):
        got = ht.cov(x, **kwargs)
        assert got.split is None
        assert_eq(got, np.cov(F, **kwargs), exact=False)


def test_cov_with_y_vectors_and_corrcoef() -> None:
    for x in layouts(F, seed=2):
        y = ht.array(G, split=x.split)
        assert_eq(ht.cov(x, y), np.cov(F, G), exact=False)
        assert_eq(ht.corrcoef(x), np.corrcoef(F), exact=False)
        assert_eq(ht.corrcoef(x, y), np.corrcoef(F, G), exact=False)
    v = F[0]
    for x in layouts(v, seed=3):
        assert_eq(ht.cov(x), np.cov(v), exact=False)
    with pytest.raises(ValueError, match="observations"):
        ht.cov(ht.zeros((2, 3)), ht.zeros((2, 4)))


def moments_ref(data: np.ndarray, axis: int | None, bias: bool) -> tuple[np.ndarray, np.ndarray]:
    d = data - data.mean(axis=axis, keepdims=True)
    m2, m3, m4 = ((d**k).mean(axis=axis) for k in (2, 3, 4))
    n = data.size if axis is None else data.shape[axis]
    skew = m3 / m2**1.5
    kurt = m4 / m2**2
    if not bias:
        skew = skew * np.sqrt(n * (n - 1)) / (n - 2)
        kurt = 1 / (n - 2) / (n - 3) * ((n * n - 1) * kurt - 3 * (n - 1) ** 2) + 3
    return skew, kurt - 3


@pytest.mark.parametrize("axis", [None, 0, 1])
@pytest.mark.parametrize("bias", [True, False])
def test_skew_and_kurtosis(axis: int | None, bias: bool) -> None:
    skew, kurt = moments_ref(F, axis, bias)
    for x in layouts(F, seed=4):
        assert_eq(ht.skew(x, axis=axis, bias=bias), skew, exact=False)
        assert_eq(ht.kurtosis(x, axis=axis, bias=bias), kurt, exact=False)
        assert_eq(ht.kurtosis(x, axis=axis, bias=bias, fisher=False), kurt + 3, exact=False)
