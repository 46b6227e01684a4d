"""Statistical sanity with fixed seeds (deterministic): moments, Kolmogorov-Smirnov against
scipy's distributions, chi-square on integer buckets and on permutations."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats

import heat as ht
from heat.random import default_rng, permutations

N = 200_000
P_MIN = 1e-4  # smallest acceptable p-value (the seeds are fixed, so the outcome is too)


@pytest.mark.parametrize("dtype", [ht.float32, ht.float64])
def test_uniform_moments_and_ks(dtype: ht.DType) -> None:
    u = default_rng(1).random(N, dtype=dtype, split=0).numpy().astype(np.float64)
    assert u.min() >= 0 and u.max() < 1
    assert abs(u.mean() - 0.5) < 5 * np.sqrt(1 / 12 / N)
    assert abs(u.var() - 1 / 12) < 0.01 / 12
    assert stats.kstest(u, "uniform").pvalue > P_MIN


@pytest.mark.parametrize("dtype", [ht.float32, ht.float64])
def test_normal_is_normal(dtype: ht.DType) -> None:
    z = default_rng(2).standard_normal((N // 4, 4), dtype=dtype, split=1).numpy().astype(np.float64)
    assert abs(z.mean()) < 5 / np.sqrt(N)
    assert abs(z.var() - 1) < 0.02
    assert stats.kstest(z.reshape(-1), "norm").pvalue > P_MIN
    # the cosine and sine branches of a pair are uncorrelated
    assert abs(np.corrcoef(z[:, 0], z[:, 1])[0, 1]) < 5 / np.sqrt(N // 4)
    y = default_rng(3).normal(4.0, 0.5, N, dtype=dtype, split=0).numpy()
    assert stats.kstest(y, "norm", args=(4.0, 0.5)).pvalue > P_MIN


def test_exponential_is_exponential() -> None:
    e = default_rng(4).exponential(2.0, N, split=0).numpy()
    assert e.min() >= 0
    assert stats.kstest(e, "expon", args=(0, 2.0)).pvalue > P_MIN


@pytest.mark.parametrize(
    ("low", "high", "dtype", "buckets"),
    [(-5, 5, ht.int64, 10), (-128, 128, ht.int8, 256), (0, 3 * 2**40, ht.int64, 12), (0, 2**63, ht.int64, 8)],
)
def test_randint_chi_square(low: int, high: int, dtype: ht.DType, buckets: int) -> None:
    x = default_rng(5).randint(low, high, N, dtype=dtype, split=0).numpy().astype(np.int64)
    assert x.min() >= low and x.max() < high
    width = (high - low) // buckets
    counts = np.bincount((x - low) // width, minlength=buckets)
    assert counts.size == buckets
    assert stats.chisquare(counts).pvalue > P_MIN


def test_choice_with_probabilities_chi_square() -> None:
    p = np.array([0.1, 0.25, 0.0, 0.4, 0.25])
    x = default_rng(6).choice(5, N, p=ht.array(p, split=0), split=0).numpy()
    counts = np.bincount(x, minlength=5)
    assert counts[2] == 0
    keep = p > 0
    assert stats.chisquare(counts[keep], N * p[keep]).pvalue > P_MIN


def test_randperm_is_uniform_over_permutations() -> None:
    rng = default_rng(7)
    draws = [tuple(rng.randperm(4, split=0).numpy().tolist()) for _ in range(240)]
    index = {perm: i for i, perm in enumerate(itertools.permutations(range(4)))}
    counts = np.bincount([index[d] for d in draws], minlength=24)
    assert stats.chisquare(counts).pvalue > P_MIN


def test_feistel_permutation_has_no_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(permutations, "SMALL", 0)
    n = 3000
    p = default_rng(8).randperm(n, split=0).numpy()
    assert sorted(p.tolist()) == list(range(n))
    assert abs(stats.spearmanr(np.arange(n), p).statistic) < 5 / np.sqrt(n)
    assert stats.chisquare(np.bincount(p[: n // 2] * 10 // n, minlength=10)).pvalue > P_MIN


def test_choice_without_replacement_follows_sequential_draws() -> None:
    """Efraimidis-Spirakis keys: the first pick has probability p_i, the second p_j / (1 - p_i)."""
    p = np.array([0.5, 0.3, 0.2])
    rng = default_rng(9)
    picks = np.array([rng.choice(3, 2, replace=False, p=p).numpy() for _ in range(400)])
    assert all(a != b for a, b in picks)
    first = np.bincount(picks[:, 0], minlength=3)
    assert stats.chisquare(first, 400 * p).pvalue > P_MIN
    after_zero = np.bincount(picks[picks[:, 0] == 0, 1], minlength=3)[1:]
    assert stats.chisquare(after_zero, after_zero.sum() * np.array([0.6, 0.4])).pvalue > P_MIN
