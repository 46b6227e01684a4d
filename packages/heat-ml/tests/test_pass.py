"""The fused residual pass of the Lasso against its torch path on the same data."""

from __future__ import annotations

import pytest
import torch

from heat.ml.regression import _pass


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("n", [0, 1, 7, 2048, 5003])
@pytest.mark.parametrize(
    ("apply", "dot"),
    [([], [0, 1, 2]), ([3], []), ([0, 4, 5, 6, 9], [1, 2, 3, 7, 8, 9, 10, 11, 12]), ([2], [2])],
)
def test_matches_the_torch_path(dtype: torch.dtype, n: int, apply: list[int], dot: list[int]) -> None:
    g = torch.Generator().manual_seed(n + 7 * len(apply) + len(dot))
    cols = torch.randn((13, n), generator=g, dtype=dtype)
    r = torch.randn(n, generator=g, dtype=dtype)
    deltas = torch.randn(len(apply), generator=g, dtype=torch.float64).tolist()
    want_r = r.clone()
    want = _pass._torch_pass(want_r, cols, apply, deltas, dot)
    got = _pass.fused(r, cols, apply, deltas, dot)
    assert got.dtype == want.dtype == torch.float64 and got.shape == (len(dot),)
    tol = 1e-4 if dtype == torch.float32 else 1e-10
    torch.testing.assert_close(r, want_r, rtol=tol, atol=tol)
    torch.testing.assert_close(got, want, rtol=tol, atol=tol * max(1, n))


def test_threads_split_the_rows() -> None:
    threads = torch.get_num_threads()
    torch.set_num_threads(3)
    try:
        g = torch.Generator().manual_seed(0)
        cols = torch.randn((5, 3 * (1 << 15) + 11), generator=g, dtype=torch.float64)
        r = torch.randn(cols.shape[1], generator=g, dtype=torch.float64)
        want_r = r.clone()
        want = _pass._torch_pass(want_r, cols, [1, 3], [0.5, -2.0], [0, 2, 4])
        got = _pass.fused(r, cols, [1, 3], [0.5, -2.0], [0, 2, 4])
    finally:
        torch.set_num_threads(threads)
    torch.testing.assert_close(r, want_r)
    torch.testing.assert_close(got, want)


def test_noncontiguous_or_mixed_input_takes_the_torch_path() -> None:
    cols = torch.arange(12.0, dtype=torch.float64).reshape(4, 3)
    r = torch.ones(4, dtype=torch.float64)
    got = _pass.fused(r, cols.T, [0], [1.0], [1, 2])  # cols.T is (3, 4) and not contiguous
    want_r = torch.ones(4, dtype=torch.float64)
    want = _pass._torch_pass(want_r, cols.T, [0], [1.0], [1, 2])
    torch.testing.assert_close(r, want_r)
    torch.testing.assert_close(got, want)
