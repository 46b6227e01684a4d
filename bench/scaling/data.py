"""Synthetic stand-ins for the paper's datasets, written once to HDF5, read by row blocks.

The real datasets (Cityscapes, EURAD-IM, SUSY) cannot be downloaded here. Each generator makes a
float32 matrix with the paper's column count (shrunk by ``--scale`` where the workload says so) and
the structure its workloads need, from a fixed seed, in row chunks so that memory stays bounded:

- ``cityscapes``: 8 Gaussian clusters (centres uniform in [0, 1], noise 0.1; the cluster of each
  row in ``labels``, used only to pick one initial k-means centre per cluster); plus
  ``W``, a ``cols x 128`` weight matrix N(0, 1/cols) for the forward pass.
- ``eurad``: ``X`` standard normal with 100 columns, ``y = X w + 0.1 noise`` where ``w`` has 10
  non-zero entries (the Lasso target), stored as ``y`` and ``coef``.
- ``susy``: 4 Gaussian clusters in 18 dimensions (centres N(0, 3^2), unit noise), rows shuffled.

Every framework reads the same file with h5py; a rank reads only its own rows
(:func:`read_rows` with :func:`block_bounds`, Heat's balanced decomposition).

>>> block_bounds(10, 3, 0), block_bounds(10, 3, 2)
((0, 4), (7, 10))
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

GENERATOR_VERSION = 2
CHUNK_ROWS = 4096
HIDDEN = 128


def block_bounds(n: int, parts: int, index: int) -> tuple[int, int]:
    """Rows ``[start, stop)`` of block ``index`` when ``n`` rows are cut into ``parts`` balanced
    blocks (the first ``n % parts`` blocks hold one more row), as Heat's canonical layout."""
    if parts < 1 or not 0 <= index < parts:
        raise ValueError(f"block_bounds: need 0 <= index < parts, got index={index}, parts={parts}")
    base, extra = divmod(n, parts)
    start = index * base + min(index, extra)
    return start, start + base + (1 if index < extra else 0)


def _clusters(
    rng: np.random.Generator, centres: np.ndarray, rows: int, noise: float
) -> dict[str, np.ndarray]:
    labels = rng.integers(0, len(centres), size=rows)
    out = centres[labels] + noise * rng.standard_normal((rows, centres.shape[1]), dtype=np.float32)
    return {"X": out.astype(np.float32, copy=False), "labels": labels.astype(np.int32)}


def generate_block(dataset: str, cols: int, start: int, stop: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Rows ``[start, stop)`` of ``dataset`` (a dict of the row-wise arrays), reproducibly: the rows
    of chunk ``c`` (``CHUNK_ROWS`` rows) come from the seed ``(seed, c)`` whatever the request."""
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}; choose from {sorted(DATASETS)}")
    centre_rng = np.random.default_rng([seed, 2**31 - 1])
    pieces: dict[str, list[np.ndarray]] = {}
    for c in range(start // CHUNK_ROWS, (max(stop, start + 1) - 1) // CHUNK_ROWS + 1):
        rng = np.random.default_rng([seed, c])
        lo, hi = c * CHUNK_ROWS, (c + 1) * CHUNK_ROWS
        block = DATASETS[dataset](rng, centre_rng, cols, CHUNK_ROWS)
        a, b = max(start, lo) - lo, min(stop, hi) - lo
        for key, value in block.items():
            pieces.setdefault(key, []).append(value[a:b])
    return {k: np.concatenate(v) for k, v in pieces.items()}


def _cityscapes(rng: np.random.Generator, crng: np.random.Generator, cols: int, rows: int) -> dict[str, Any]:
    centres = crng.uniform(0, 1, size=(8, cols)).astype(np.float32)
    return _clusters(rng, centres, rows, 0.1)


def _eurad(rng: np.random.Generator, crng: np.random.Generator, cols: int, rows: int) -> dict[str, Any]:
    x = rng.standard_normal((rows, cols), dtype=np.float32)
    y = x @ true_coef(cols, crng) + 0.1 * rng.standard_normal(rows, dtype=np.float32)
    return {"X": x, "y": y.astype(np.float32)}


def true_coef(cols: int, crng: np.random.Generator | None = None) -> np.ndarray:
    """The sparse coefficient vector behind ``eurad``'s ``y``: 10 non-zeros in ``[-2, -0.5] u [0.5, 2]``."""
    crng = crng if crng is not None else np.random.default_rng([0, 2**31 - 1])
    coef = np.zeros(cols, dtype=np.float32)
    idx = crng.choice(cols, size=min(10, cols), replace=False)
    coef[idx] = crng.uniform(0.5, 2, size=len(idx)) * crng.choice([-1, 1], size=len(idx))
    return coef


def _susy(rng: np.random.Generator, crng: np.random.Generator, cols: int, rows: int) -> dict[str, Any]:
    centres = (3 * crng.standard_normal((4, cols))).astype(np.float32)
    return _clusters(rng, centres, rows, 1.0)


DATASETS = {"cityscapes": _cityscapes, "eurad": _eurad, "susy": _susy}


def weights(cols: int, hidden: int = HIDDEN, seed: int = 0) -> np.ndarray:
    """The forward pass's ``cols x hidden`` weights, N(0, 1/cols)."""
    rng = np.random.default_rng([seed, 7])
    return (rng.standard_normal((cols, hidden), dtype=np.float32) / np.sqrt(cols)).astype(np.float32)


def path_for(data_dir: Path, dataset: str, cols: int) -> Path:
    return Path(data_dir) / f"{dataset}_{cols}cols_v{GENERATOR_VERSION}.h5"


def ensure(data_dir: Path, dataset: str, rows: int, cols: int, seed: int = 0) -> Path:
    """The HDF5 file of ``dataset`` with at least ``rows`` rows (generated or extended once)."""
    import h5py

    path = path_for(data_dir, dataset, cols)
    path.parent.mkdir(parents=True, exist_ok=True)
    have = 0
    if path.exists():
        try:
            with h5py.File(path, "r") as f:
                have = int(f["X"].shape[0]) if f.attrs.get("complete", False) else 0
        except OSError:
            have = 0
    if have >= rows:
        return path
    tmp = path.with_suffix(".tmp.h5")
    with h5py.File(tmp, "w") as f:
        for start in range(0, rows, CHUNK_ROWS):
            block = generate_block(dataset, cols, start, min(rows, start + CHUNK_ROWS), seed)
            for key, value in block.items():
                if key not in f:
                    f.create_dataset(key, shape=(rows, *value.shape[1:]), dtype=value.dtype)
                f[key][start : start + len(value)] = value
        if dataset == "cityscapes":
            f["W"] = weights(cols, seed=seed)
        if dataset == "eurad":
            f["coef"] = true_coef(cols)
        f.attrs["seed"] = seed
        f.attrs["complete"] = True
    tmp.replace(path)
    return path


def read_rows(path: Path, key: str, start: int, stop: int) -> np.ndarray:
    """Rows ``[start, stop)`` of ``key`` read with h5py (only those rows touch this process)."""
    import h5py

    with h5py.File(path, "r") as f:
        return np.asarray(f[key][start:stop])


def read_block(
    path: Path, key: str, rows: tuple[int, int], cols: tuple[int, int] | None = None
) -> np.ndarray:
    """A rectangular block (rows, then optionally columns) of ``key``, read with h5py."""
    import h5py

    with h5py.File(path, "r") as f:
        d = f[key]
        if cols is None or d.ndim == 1:
            return np.asarray(d[rows[0] : rows[1]])
        return np.asarray(d[rows[0] : rows[1], cols[0] : cols[1]])


def init_indices(labels: np.ndarray, k: int) -> np.ndarray:
    """The rows whose points are the fixed initial k-means centres (same for every framework):
    the first row of each generated cluster, so that no cluster starts empty (frameworks treat
    empty clusters differently: scikit-learn relocates, dask-ml zeroes, we keep the centre).

    >>> init_indices(np.array([1, 1, 0, 2, 0]), 3)
    array([0, 2, 3])
    """
    _, first = np.unique(labels, return_index=True)
    first = np.sort(first)[:k]
    if len(first) < k:
        rest = np.setdiff1d(np.arange(len(labels)), first)
        first = np.sort(np.concatenate([first, rest[: k - len(first)]]))
    return first


def initial_centres(path: Path, rows: int, k: int) -> np.ndarray:
    """The fixed initial k-means centres of a ``rows``-row problem, read with h5py (``k x cols``)."""
    import h5py

    with h5py.File(path, "r") as f:
        idx = init_indices(np.asarray(f["labels"][: min(rows, 8 * CHUNK_ROWS)]), k)
        return np.stack([np.asarray(f["X"][i]) for i in idx])
