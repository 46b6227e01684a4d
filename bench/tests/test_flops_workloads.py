"""Analytic FLOP counts and the workload shapes per mode, scale and process count."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scaling import flops
from scaling.workloads import DEFAULT_SCALE, WORKLOADS, parse_scale, problem

pytestmark = pytest.mark.single_process


def test_kmeans_count_is_linear_in_every_size() -> None:
    base = flops.kmeans(100, 10, 8, 30)
    assert flops.kmeans(200, 10, 8, 30) == 2 * base
    assert flops.kmeans(100, 10, 8, 60) == 2 * base
    # one iteration by hand: 3nkd distance terms, nk arg-min comparisons, nd cluster sums
    assert flops.kmeans(5, 3, 2, 1) == 3 * 5 * 2 * 3 + 5 * 2 + 5 * 3


def test_forward_count_matches_an_instrumented_product() -> None:
    n, d, h = 7, 5, 3
    # a dense product does d multiplies and d additions per output (counting the first add)
    assert flops.forward(n, d, h) == n * h * (2 * d) + n * h


def test_lasso_and_cdist_counts() -> None:
    assert flops.lasso(1000, 100, 20) == 20 * 4 * 1000 * 100 + 2 * 1000 * 101
    assert flops.cdist(4, 6, 3) == 2 * 4 * 6 * 3 + 2 * 10 * 3 + 4 * 4 * 6
    assert flops.spectral(50, 18, 4, 10, 30) > flops.cdist(50, 50, 18) + 10 * 2 * 50 * 50


def test_problem_flop_count_uses_the_actual_iterations() -> None:
    p = problem("kmeans", "strong", 2, 1 / 1024)
    assert p.flop_count() == flops.kmeans(p.rows, p.cols, 8, 30)
    assert p.flop_count(iterations=3) == flops.kmeans(p.rows, p.cols, 8, 3)


@pytest.mark.parametrize("text,value", [("paper", 1.0), ("1/4", 0.25), ("0.5", 0.5), (0.125, 0.125)])
def test_parse_scale(text: object, value: float) -> None:
    assert parse_scale(text) == value  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["0", "2", "-1/4", "big", "1/0"])
def test_parse_scale_rejects(bad: str) -> None:
    with pytest.raises(ValueError, match="--scale"):
        parse_scale(bad)


def test_paper_sizes_at_scale_one() -> None:
    assert problem("kmeans", "strong", 4, 1.0).rows == 1200
    assert problem("kmeans", "strong", 4, 1.0).cols == 6_291_456
    assert problem("kmeans", "weak", 4, 1.0).rows == 4 * 300
    assert problem("lasso", "weak", 2, 1.0).rows == 2 * 714_280
    assert problem("spectral", "weak", 4, 1.0).rows == 25_820 * 2
    assert problem("spectral", "strong", 8, 1.0).rows == 40_000


@pytest.mark.parametrize("name", list(WORKLOADS))
def test_weak_work_per_process_is_constant(name: str) -> None:
    work = [problem(name, "weak", p, DEFAULT_SCALE).flop_count() / p for p in (1, 4, 16)]
    assert np.allclose(work, work[0], rtol=0.1)  # spectral: Lanczos re-orthogonalisation is O(n m^2)


@pytest.mark.parametrize("name", list(WORKLOADS))
def test_strong_size_does_not_depend_on_processes(name: str) -> None:
    assert problem(name, "strong", 1, 0.01) == problem(name, "strong", 1, 0.01)
    a, b = problem(name, "strong", 1, 0.01), problem(name, "strong", 8, 0.01)
    assert (a.rows, a.cols) == (b.rows, b.cols)


@pytest.mark.parametrize("name", list(WORKLOADS))
def test_scale_shrinks_the_work_by_the_factor(name: str) -> None:
    full = problem(name, "strong", 1, 1.0).flop_count()
    small = problem(name, "strong", 1, 1 / 64).flop_count()
    assert math.isclose(small / full, 1 / 64, rel_tol=0.1)


def test_ranks_per_node_counts_nodes() -> None:
    p = problem("lasso", "weak", 4, 1.0, ranks_per_node=2)
    assert p.nodes == 2.0 and p.rows == 2 * 714_280


def test_problem_round_trips_through_a_dict() -> None:
    p = problem("cdist", "weak", 2, 0.01)
    assert type(p).from_dict(p.as_dict()) == p


def test_unknown_names_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown workload"):
        problem("svd", "weak", 1, 1.0)
    with pytest.raises(ValueError, match="mode"):
        problem("kmeans", "medium", 1, 1.0)
