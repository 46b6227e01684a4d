"""Lasso by cyclic coordinate descent over a distributed residual."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from heat.comm import Communicator
from heat.core.dndarray import DNDarray

from .._base import BaseEstimator, RegressorMixin, check_is_fitted
from .._data import as_samples, as_targets, check_features, wrap
from ._centering import CHUNK, allsum, center
from ._pass import fused

__all__ = ["Lasso"]


RUN = 16  # features per all-reduce on the residual path
PIECE = 8 * CHUNK  # rows per piece of the Gram-block pass (a run's piece stays in cache)


class _Residual:
    """Coordinate-descent state on the distributed residual ``R = y - X w``, ``X`` stored
    feature-major (``cols``, (d, n_local)). The features are cut into runs of ``RUN``
    consecutive ones. The dot products ``X_j . R`` of a run's active features take one pass
    over ``R`` and one all-reduce of at most ``RUN`` numbers; inside the run each update
    corrects the later dot products by the run's block of ``X^T X`` (computed once, in the
    first pass over the data), which gives the iterates of one coordinate at a time. A run's
    changes to ``R`` are applied in the same pass as the next run's dot products
    (``_pass.fused``), so per run ``R`` is read and written once and each column is read once
    for its dot product and once more only if its coefficient changed."""

    def __init__(self, cols: torch.Tensor, y: torch.Tensor, w: list[float], comm: Communicator) -> None:
        self.cols, self.y, self.comm = cols, y, comm
        self.r = y.clone()
        if any(w):
            self.r.sub_(torch.tensor(w, dtype=cols.dtype, device=cols.device) @ cols)
        d = cols.shape[0]
        self.bounds = [(lo, min(lo + RUN, d)) for lo in range(0, d, RUN)]
        blocks = [cols.new_zeros((hi - lo, hi - lo)) for lo, hi in self.bounds]
        for at in range(0, cols.shape[1], PIECE):
            for (lo, hi), block in zip(self.bounds, blocks, strict=True):
                piece = cols[lo:hi, at : at + PIECE]
                block.addmm_(piece, piece.T)
        blocks = [block.reshape(-1) for block in blocks]
        first = allsum(torch.cat([*blocks, (y * y).sum().reshape(1)]), comm).tolist()
        self.y_norm2 = float(first[-1])
        self.gram: list[list[list[float]]] = []  # per run, its block of X^T X
        at = 0
        for lo, hi in self.bounds:
            b = hi - lo
            self.gram.append([first[at + i * b : at + (i + 1) * b] for i in range(b)])
            at += b * b
        self.norm2 = [block[i][i] for block in self.gram for i in range(len(block))]
        self.pending: dict[int, float] = {}  # coefficient changes not yet applied to R

    def runs(self, active: list[int]) -> list[tuple[int, list[int]]]:
        """The runs holding active features: ``(run number, its active features)``."""
        by_run: dict[int, list[int]] = {}
        for j in active:
            by_run.setdefault(j // RUN, []).append(j)
        return list(by_run.items())

    def dots(self, run: int, members: list[int]) -> list[float]:
        """``X_j . R`` for the features ``members`` of ``run``: one pass over ``R`` that
        first applies the previous run's pending changes, one all-reduce in place."""
        v = fused(self.r, self.cols, *self._take_pending(), members)
        if self.comm.size > 1:
            self.comm.unchecked.allreduce(v, "sum", out=v)
        return v.tolist()

    def correction(self, run: int, j: int, i: int) -> float:
        """How much ``X_j . R`` falls per unit added to ``w_i`` (both in ``run``)."""
        lo = self.bounds[run][0]
        return self.gram[run][j - lo][i - lo]

    def apply(self, run: int, deltas: dict[int, float]) -> None:
        """``w_i += delta_i``: ``R -= X_i delta_i``, deferred to the next pass over ``R``."""
        self.pending.update(deltas)

    def _take_pending(self) -> tuple[list[int], list[float]]:
        features, deltas = list(self.pending), list(self.pending.values())
        self.pending.clear()
        return features, deltas

    def flush(self) -> None:
        """Apply the pending changes now."""
        if self.pending:
            fused(self.r, self.cols, *self._take_pending(), [])

    def move(self, j: int, delta: float) -> None:
        """``w_j += delta``: ``R -= X_j delta`` (local)."""
        self.flush()
        self.r.add_(self.cols[j], alpha=-delta)

    def gap_terms(self, w: list[float]) -> tuple[list[float], float, float]:
        """``X^T R``, ``R . R`` and ``R . y`` (one all-reduce of d + 2 numbers)."""
        self.flush()
        norms = torch.stack([self.r @ self.r, self.r @ self.y])
        s = allsum(torch.cat([self.cols @ self.r, norms]), self.comm)
        return s[:-2].tolist(), float(s[-2]), float(s[-1])


class _Gram:
    """Coordinate-descent state on the Gram matrix ``Q = X^T X`` and ``q = X^T y`` (one
    all-reduce, replicated): ``X_j . R = q_j - (Q w)_j``, kept up to date in ``Qw``. Every
    feature is a run of its own (the dot products need no communication)."""

    def __init__(self, rows: torch.Tensor, y: torch.Tensor, w: list[float], comm: Communicator) -> None:
        d = rows.shape[1]
        packed = torch.cat([(rows.T @ rows).reshape(-1), rows.T @ y, (y @ y).reshape(1)])
        packed = allsum(packed, comm)
        self.q_mat = packed[: d * d].reshape(d, d)
        self.q = packed[d * d : d * d + d]
        self.y_norm2 = float(packed[-1])
        self.norm2 = torch.diagonal(self.q_mat).tolist()
        self.qw = self.q_mat @ torch.tensor(w, dtype=rows.dtype, device=rows.device)
        self.q_list = self.q.tolist()

    def runs(self, active: list[int]) -> list[tuple[int, list[int]]]:
        return [(j, [j]) for j in active]

    def dots(self, run: int, members: list[int]) -> list[float]:
        return [float(self.q_list[run]) - float(self.qw[run])]

    def correction(self, run: int, j: int, i: int) -> float:
        raise AssertionError("a Gram run has one feature")  # pragma: no cover

    def apply(self, run: int, deltas: dict[int, float]) -> None:
        self.move(run, deltas[run])

    def move(self, j: int, delta: float) -> None:
        self.qw.add_(self.q_mat[j], alpha=delta)

    def gap_terms(self, w: list[float]) -> tuple[list[float], float, float]:
        wt = torch.tensor(w, dtype=self.qw.dtype, device=self.qw.device)
        q_dot_w, w_q_w = float(wt @ self.q), float(wt @ self.qw)
        return (self.q - self.qw).tolist(), self.y_norm2 + w_q_w - 2.0 * q_dot_w, self.y_norm2 - q_dot_w


def _descend(
    state: _Residual | _Gram, w: list[float], l1: float, rel_tol: float, max_iter: int, positive: bool
) -> tuple[int, float]:
    """scikit-learn's cyclic coordinate descent with gap-safe screening on ``state``,
    updating ``w`` in place; returns ``(n_iter, duality gap)``."""
    d = len(w)
    norm2 = state.norm2
    tol = rel_tol * state.y_norm2

    def gap_and_xta() -> tuple[float, list[float], float]:
        xta, r_norm2, ry = state.gap_terms(w)
        dual_norm = (max(xta) if positive else max(abs(v) for v in xta)) if d else 0.0
        scale = l1 / dual_norm if dual_norm > l1 else 1.0
        primal = 0.5 * r_norm2 + l1 * sum(abs(v) for v in w)
        dual = -0.5 * scale * scale * r_norm2 + scale * ry
        return primal - dual, xta, dual_norm

    def screen(
        gap: float, xta: list[float], dual_norm: float, candidates: list[int], initial: bool
    ) -> list[int]:
        keep = []
        for j in candidates:
            if norm2[j] == 0:
                if initial:
                    w[j] = 0.0
                    continue
                keep.append(j)
                continue
            theta = xta[j] / max(l1, dual_norm)
            if (1 - abs(theta)) / math.sqrt(norm2[j]) <= math.sqrt(2 * gap) / l1:
                keep.append(j)
            elif w[j] != 0:
                state.move(j, -w[j])
                w[j] = 0.0
        return keep

    gap, xta, dual_norm = gap_and_xta()
    n_iter = 0
    if 0 <= gap <= tol:
        return n_iter, gap
    active = list(range(d))
    if l1 > 0:
        active = screen(gap, xta, dual_norm, active, initial=True)
    for n_iter in range(max_iter):
        w_max = d_w_max = 0.0
        for run, members in state.runs([j for j in active if norm2[j] != 0.0]):
            deltas: dict[int, float] = {}
            for j, dot in zip(members, state.dots(run, members), strict=True):
                w_j = w[j]
                tmp = dot + w_j * norm2[j]
                for i, delta in deltas.items():
                    tmp -= state.correction(run, j, i) * delta
                new = 0.0 if positive and tmp < 0 else math.copysign(max(abs(tmp) - l1, 0.0), tmp) / norm2[j]
                w[j] = new
                if new != w_j:
                    deltas[j] = new - w_j
                d_w_max = max(d_w_max, abs(new - w_j))
                w_max = max(w_max, abs(new))
            if deltas:
                state.apply(run, deltas)
        if w_max == 0.0 or d_w_max / w_max <= rel_tol or n_iter == max_iter - 1:
            gap, xta, dual_norm = gap_and_xta()
            if gap <= tol:
                break
            if l1 > 0:
                active = screen(gap, xta, dual_norm, active, initial=False)
    return n_iter + 1, gap


class Lasso(RegressorMixin, BaseEstimator):
    """Linear regression with an L1 penalty, scikit-learn's objective
    ``(1 / (2 n)) ||y - X w - b||^2 + alpha ||w||_1`` and its coordinate descent (cyclic,
    duality-gap stopping rule, gap-safe screening), so ``coef_``, ``intercept_`` and
    ``n_iter_`` agree with ``sklearn.linear_model.Lasso``.

    Parameters
    ----------
    alpha : float
        The L1 penalty (the published Heat's ``lam`` is accepted as an alias).
    fit_intercept : bool
        Centre ``X`` and ``y`` (global column means) and fit the intercept from them.
    max_iter : int
        Maximum number of sweeps over the coefficients.
    tol : float
        The sweep loop stops when the duality gap is below ``tol * ||y_centred||^2``.
    lam : float, optional
        Alias of ``alpha`` (the published Heat's name); ignored when None.
    precompute : bool
        False: coordinate descent on the distributed residual (below). True: on the Gram
        matrix, scikit-learn's ``precompute=True`` path: one all-reduce of ``X^T X`` (d x d,
        **replicated**), ``X^T y`` and ``y^T y``, then every sweep runs on every rank alike
        with no communication and no pass over the data (for n >> d).
    copy_X : bool
        Accepted for scikit-learn compatibility (``X`` is never modified).
    warm_start : bool
        Start from the previous ``coef_`` (same number of features) instead of zeros.
    positive : bool
        Constrain the coefficients to be >= 0.

    Attributes
    ----------
    coef_ : DNDarray (n_features,), replicated
    intercept_ : float
    n_iter_ : int
    dual_gap_ : float
    n_features_in_ : int

    Notes
    -----
    The residual ``R = y - X w`` is distributed like the rows. Updating coefficient ``j``
    needs ``X[:, j] . R``: O(n / p) local work; the residual is updated locally (O(n / p)),
    never by a full matrix-vector product. The features go in runs of 16: one pass over
    ``R`` and one all-reduce of at most 16 numbers give the run's dot products, and the
    run's block of ``X^T X`` (computed once) corrects them after each update inside the run,
    so the iterates are those of one coordinate at a time. The duality gap (checked as in
    scikit-learn) costs one all-reduce of ``d + 2`` numbers. The centred copy of ``X`` is
    stored feature-major (one contiguous column per feature).

    Examples
    --------
    >>> import heat as ht
    >>> x = ht.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]], split=0)
    >>> y = ht.array([0.0, 1.0, 2.0], split=0)
    >>> ht.regression.Lasso(alpha=0.1).fit(x, y).coef_.numpy()
    array([0.85, 0.  ])
    """

    def __init__(
        self,
        alpha: float = 1.0,
        fit_intercept: bool = True,
        max_iter: int = 1000,
        tol: float = 1e-4,
        lam: float | None = None,
        precompute: bool = False,
        copy_X: bool = True,  # noqa: N803 - scikit-learn's name
        warm_start: bool = False,
        positive: bool = False,
    ) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.lam = lam
        self.precompute = precompute
        self.copy_X = copy_X
        self.warm_start = warm_start
        self.positive = positive

    @property
    def _alpha(self) -> float:
        return float(self.alpha if self.lam is None else self.lam)

    def fit(self, X: Any, y: Any) -> Lasso:  # noqa: N803
        """Fit the coefficients on row-split (or replicated, or NumPy) ``X`` and ``y``."""
        who = "Lasso.fit"
        if not self._alpha >= 0:
            raise ValueError(f"{who}: alpha must be >= 0, got {self._alpha}")
        if not isinstance(self.max_iter, int | np.integer) or self.max_iter < 1:
            raise ValueError(f"{who}: max_iter must be a positive int, got {self.max_iter!r}")
        if not isinstance(self.precompute, bool | np.bool_):
            raise ValueError(
                f"{who}: precompute must be True or False, got {self.precompute!r} (a Gram matrix "
                "is not accepted: it is computed from the centred data, distributed)"
            )
        x = as_samples(X, who)
        t = as_targets(y, x, who)
        n, d = x.gshape
        w = [0.0] * d
        previous: DNDarray | None = getattr(self, "coef_", None)
        if self.warm_start and previous is not None and previous.gshape == (d,):
            w = [float(v) for v in previous.larray.tolist()]
        state: _Residual | _Gram
        if self.precompute:
            c = center(x, t, self.fit_intercept)
            state = _Gram(c.x, c.y, w, x.comm)
        else:
            c = center(x, t, self.fit_intercept, feature_major=True)
            state = _Residual(c.x, c.y, w, x.comm)
        l1, positive = self._alpha * n, bool(self.positive)
        n_iter, gap = _descend(state, w, l1, float(self.tol), int(self.max_iter), positive)
        coef = torch.tensor(w, dtype=x.larray.dtype, device=x.larray.device)
        self.coef_ = wrap(coef, x, split=None)
        self.intercept_ = float(c.y_mean - c.x_mean @ coef) if self.fit_intercept else 0.0
        self.n_iter_ = n_iter
        self.dual_gap_ = gap / n
        self.n_features_in_ = d
        return self

    def predict(self, X: Any) -> DNDarray:  # noqa: N803
        """``X @ coef_ + intercept_``, split like ``X``'s rows (no communication)."""
        check_is_fitted(self, "coef_")
        x = as_samples(X, "Lasso.predict", dtype=self.coef_.larray.dtype)
        check_features(x, self.n_features_in_, "Lasso")
        return wrap(x.larray @ self.coef_.larray + self.intercept_, x)
