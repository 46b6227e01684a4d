"""Test data and comparisons shared by heat-comm's tests (importable: see pythonpath in the
repository's pyproject)."""

from __future__ import annotations

import numpy as np
import torch

from heat.comm import buffers

ALL_DTYPES = buffers.SUPPORTED_DTYPES


def make(shape: tuple[int, ...], dtype: torch.dtype, seed: int) -> torch.Tensor:
    """Deterministic test data of any supported dtype (small values: sums stay exact)."""
    rng = np.random.default_rng(seed)
    if dtype == torch.bool:
        return torch.from_numpy(np.asarray(rng.random(shape) > 0.5))
    if dtype.is_complex:
        re, im = rng.integers(-4, 5, shape), rng.integers(-4, 5, shape)
        return torch.from_numpy(np.asarray(re + 1j * im)).to(dtype)
    if dtype.is_floating_point:
        return torch.from_numpy(np.asarray(rng.integers(-8, 9, shape) / 4.0)).to(dtype)
    lo = 0 if dtype in (torch.uint8, torch.uint16, torch.uint32, torch.uint64) else -5
    return torch.from_numpy(np.asarray(rng.integers(lo, 6, shape))).to(dtype)


def as_numpy(t: torch.Tensor) -> np.ndarray:
    """NumPy view for comparisons (bfloat16 has no NumPy dtype: compared as float32)."""
    if t.dtype == torch.bfloat16:
        t = t.to(torch.float32)
    return t.detach().cpu().numpy()


def assert_same(actual: torch.Tensor, expected: torch.Tensor | np.ndarray) -> None:
    """Equal values, shape and dtype (dtype checked when ``expected`` is a tensor)."""
    if isinstance(expected, torch.Tensor):
        assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
        expected = as_numpy(expected)
    got = as_numpy(actual)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    np.testing.assert_array_equal(got, expected)
