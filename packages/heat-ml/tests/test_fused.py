"""The fused k-means pass against the torch kernels of ``_lloyd`` on the same block."""

from __future__ import annotations

import pytest
import torch

from heat.ml.cluster import _fused, _lloyd

pytestmark = pytest.mark.skipif(not _fused.available(), reason="no C compiler on this machine")


def reference(x: torch.Tensor, centers: torch.Tensor, old: torch.Tensor, w: torch.Tensor | None):
    labels, dist = _lloyd.assign(x, centers, "sqeuclidean")
    k, d = centers.shape
    weight = torch.ones(x.shape[0], dtype=torch.float64) if w is None else w.to(torch.float64)
    sums = torch.zeros((k, d), dtype=torch.float64).index_add_(0, labels, x.double() * weight[:, None])
    sizes = torch.bincount(labels, weights=weight, minlength=k).double()
    inertia = (dist.double() * weight).sum()
    changed = (labels != old).sum().double()
    return labels, torch.cat([sums.reshape(-1), sizes, inertia.reshape(1), changed.reshape(1)])


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize(("n", "k"), [(0, 3), (1, 1), (7, 3), (1001, 8), (333, 13)])
@pytest.mark.parametrize("d", [1, 5, 18])
@pytest.mark.parametrize("weighted", [False, True])
def test_matches_the_torch_kernels(dtype: torch.dtype, n: int, k: int, d: int, weighted: bool) -> None:
    g = torch.Generator().manual_seed(n * 31 + k + d)
    centers = torch.randn((k, d), generator=g, dtype=torch.float64).mul_(4).to(dtype)
    x = centers[torch.randint(0, k, (n,), generator=g)] + torch.randn((n, d), generator=g, dtype=dtype)
    old = torch.randint(-1, k, (n,), generator=g)
    w = torch.rand(n, generator=g, dtype=dtype) if weighted else None
    want_labels, want = reference(x, centers, old, w)
    labels = old.clone()
    got = _fused.step(x, centers, labels, w)
    assert got is not None and got.dtype == torch.float64
    assert torch.equal(labels, want_labels)
    tol = 1e-4 if dtype == torch.float32 else 1e-10
    torch.testing.assert_close(got, want, rtol=tol, atol=tol * max(1, n))


def test_threads_split_the_rows() -> None:
    threads = torch.get_num_threads()
    torch.set_num_threads(3)
    try:
        g = torch.Generator().manual_seed(0)
        x = torch.randn((3 * (1 << 14) + 17, 4), generator=g)
        centers = x[:6].clone()
        old = torch.full((x.shape[0],), -1, dtype=torch.int64)
        want_labels, want = reference(x, centers, old, None)
        labels = old.clone()
        got = _fused.step(x, centers, labels, None)
    finally:
        torch.set_num_threads(threads)
    assert torch.equal(labels, want_labels)
    torch.testing.assert_close(got, want, rtol=1e-4, atol=1e-2)


def test_declines_what_it_cannot_do() -> None:
    labels = torch.zeros(4, dtype=torch.int64)
    assert _fused.step(torch.zeros((4, 2), dtype=torch.float16), torch.zeros((1, 2)), labels, None) is None
    assert _fused.step(torch.zeros((2, 4)).T, torch.zeros((1, 2)), labels, None) is None
