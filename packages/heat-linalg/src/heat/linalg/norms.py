"""Norms, condition numbers and ranks.

Vector norms and the entrywise / induced-1 / induced-inf matrix norms are the core's
reductions on ``|x|`` (local partial reductions, one all-reduce when the split axis is
reduced). The spectral (2, -2) and nuclear norms, ``cond`` and ``matrix_rank`` use
:func:`heat.linalg.svdvals` (TSQR; the small triangular factor is replicated). Stacks of
matrices split along a stack axis (or not distributed) are computed locally with torch.
"""

from __future__ import annotations

import math
from typing import Any, cast

import torch

import heat.core
from heat.core import types
from heat.core.dndarray import DNDarray

from ._operands import as_array, float_dtype, wrap
from .errors import LinAlgError
from .svd import svdvals

__all__ = ["cond", "matrix_norm", "matrix_rank", "norm", "vector_norm"]

core: Any = heat.core  # the elementwise functions are generated from a table (untyped for mypy)


def _float_abs(x: DNDarray) -> DNDarray:
    dt = float_dtype("norm", x)
    if x.dtype is not dt:
        x = x.astype(dt)
    return cast(DNDarray, core.abs(x))


def vector_norm(x: Any, /, *, axis: Any = None, keepdims: bool = False, ord: float = 2) -> DNDarray:
    """Vector norm over ``axis`` (all axes when None) for any real ``ord``, ±inf included
    (NumPy's ``linalg.vector_norm``).

    Examples
    --------
    >>> import heat as ht
    >>> float(ht.linalg.vector_norm(ht.array([3.0, 4.0], split=0)))
    5.0
    """
    x = as_array(x)
    a = _float_abs(x)
    if ord == math.inf:
        return cast(DNDarray, core.max(a, axis=axis, keepdims=keepdims))
    if ord == -math.inf:
        return cast(DNDarray, core.min(a, axis=axis, keepdims=keepdims))
    if ord == 0:
        return cast(DNDarray, core.sum(core.not_equal(a, 0).astype(a.dtype), axis=axis, keepdims=keepdims))
    if ord == 1:
        return cast(DNDarray, core.sum(a, axis=axis, keepdims=keepdims))
    if ord == 2:
        return cast(DNDarray, core.sqrt(core.sum(core.multiply(a, a), axis=axis, keepdims=keepdims)))
    if not isinstance(ord, int | float) or isinstance(ord, bool):
        raise ValueError(f"vector_norm: invalid ord {ord!r}; use a number or ±inf")
    return cast(DNDarray, core.power(core.sum(core.power(a, ord), axis=axis, keepdims=keepdims), 1.0 / ord))


def _local_stack(x: DNDarray) -> bool:
    return x.ndim > 2 and (not x.is_distributed() or (x.split is not None and x.split < x.ndim - 2))


def matrix_norm(x: Any, /, *, keepdims: bool = False, ord: Any = "fro") -> DNDarray:
    """Matrix norm of the last two axes (NumPy's ``linalg.matrix_norm``): 'fro', 'nuc', 1,
    -1, 2, -2, inf, -inf.

    Examples
    --------
    >>> import heat as ht
    >>> float(ht.linalg.matrix_norm(ht.eye(3, split=0), ord="nuc"))
    3.0
    """
    x = as_array(x)
    if x.ndim < 2:
        raise ValueError(f"matrix_norm: expected at least 2 dimensions, got shape {x.gshape}")
    valid = ("fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf)
    if ord not in valid:
        raise ValueError(f"matrix_norm: invalid ord {ord!r}; use one of {valid}")
    if x.ndim > 2 and not _local_stack(x) and ord in ("nuc", 2, -2):
        raise ValueError(
            f"matrix_norm: ord={ord!r} of a stack split along a matrix axis; resplit along a stack axis"
        )
    if _local_stack(x) and ord in ("nuc", 2, -2):
        dt = float_dtype("matrix_norm", x)
        t = torch.linalg.matrix_norm(x.larray.to(dt.torch), ord=ord, keepdim=keepdims)
        shape = (*x.gshape[:-2], 1, 1) if keepdims else x.gshape[:-2]
        split = x.split if x.is_distributed() else None
        return wrap(x, t, shape, split, x.counts if split is not None else None)
    if ord == "fro":
        a = _float_abs(x)
        return cast(DNDarray, core.sqrt(core.sum(core.multiply(a, a), axis=(-2, -1), keepdims=keepdims)))
    if ord in (1, -1, math.inf, -math.inf):
        a = _float_abs(x)
        inner_axis = -2 if ord in (1, -1) else -1
        sums = core.sum(a, axis=inner_axis, keepdims=True)
        pick = core.max if ord in (1, math.inf) else core.min
        return cast(DNDarray, pick(sums, axis=(-2, -1), keepdims=keepdims))
    s = svdvals(x)
    value = s.larray.sum() if ord == "nuc" else s.larray.max() if ord == 2 else s.larray.min()
    return wrap(x, value.reshape((1, 1) if keepdims else ()), (1, 1) if keepdims else (), None)


def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> DNDarray:
    """Matrix or vector norm (NumPy's ``linalg.norm``).

    ``axis=None``: the 2-norm of the flattened array when ``ord`` is None, else the vector
    norm of a 1-d or the matrix norm of a 2-d array. An int ``axis``: vector norms; a pair:
    matrix norms over those axes.

    Examples
    --------
    >>> import heat as ht
    >>> float(ht.norm(ht.ones((3, 3), split=0)))
    3.0
    """
    x = as_array(x)
    if axis is None:
        if ord is None:
            return vector_norm(x, axis=None, keepdims=keepdims)
        if x.ndim == 1:
            return vector_norm(x, ord=ord, keepdims=keepdims)
        if x.ndim == 2:
            return matrix_norm(x, ord=ord, keepdims=keepdims)
        raise ValueError(f"norm: ord={ord!r} needs a 1-d or 2-d array or an axis, got shape {x.gshape}")
    if isinstance(axis, int):
        return vector_norm(x, axis=axis, keepdims=keepdims, ord=2 if ord is None else ord)
    axes = tuple(int(a) for a in axis)
    if len(axes) != 2 or axes[0] % x.ndim == axes[1] % x.ndim:
        raise ValueError(f"norm: axis must be an int or a pair of distinct axes, got {axis!r}")
    if ord is None:
        ord = "fro"
    a0, a1 = (ax % x.ndim for ax in axes)
    rest = [i for i in range(x.ndim) if i not in (a0, a1)]
    moved = x.transpose([*rest, a0, a1])
    result = matrix_norm(moved, ord=ord, keepdims=keepdims)
    if keepdims:
        inverse = [0] * x.ndim
        for pos, ax in enumerate([*rest, a0, a1]):
            inverse[ax] = pos
        result = result.transpose(inverse)
    return result


def cond(x: Any, p: Any = None) -> DNDarray:
    """Condition number (NumPy's ``linalg.cond``): the ratio of extreme singular values for
    ``p`` in (None, 2, -2), else ``norm(x, p) * norm(inv(x), p)`` (inf for a singular matrix).

    Examples
    --------
    >>> import heat as ht
    >>> float(ht.linalg.cond(ht.array([[2.0, 0.0], [0.0, 1.0]], split=0)))
    2.0
    """
    x = as_array(x)
    if x.ndim != 2:
        raise ValueError(f"cond: expected a 2-d matrix, got shape {x.gshape}")
    if p in (None, 2, -2):
        s = svdvals(x).larray
        value = s.max() / s.min() if p != -2 else s.min() / s.max()
        return wrap(x, value, (), None)
    from .lu import inv

    if x.gshape[0] != x.gshape[1]:
        raise ValueError(f"cond: p={p!r} needs a square matrix, got shape {x.gshape}")
    try:
        xi = inv(x)
    except LinAlgError:
        dt = types.to_real(float_dtype("cond", x)).torch
        return wrap(x, torch.tensor(math.inf, dtype=dt, device=x.larray.device), (), None)
    value = norm(x, p).larray * norm(xi, p).larray
    return wrap(x, value, (), None)


def matrix_rank(a: Any, /, tol: Any = None, hermitian: bool = False, *, rtol: Any = None) -> DNDarray:
    """Number of singular values above the tolerance (NumPy's ``matrix_rank``): ``tol``
    absolute, else ``rtol * S.max()`` with ``rtol`` defaulting to ``max(m, n) * eps``.

    Examples
    --------
    >>> import heat as ht
    >>> int(ht.linalg.matrix_rank(ht.ones((4, 3), split=0)))
    1
    """
    a = as_array(a)
    if a.ndim < 2:
        return wrap(a, torch.tensor(int(bool((a.larray != 0).any())), dtype=torch.int64), (), None)
    if a.ndim > 2:
        raise ValueError(f"matrix_rank: expected a 2-d matrix, got shape {a.gshape}")
    s = svdvals(a).larray
    if tol is None:
        eps = torch.finfo(s.dtype).eps
        r = max(a.gshape) * eps if rtol is None else float(rtol)
        tol_value = s.max() * r if s.numel() else torch.zeros((), dtype=s.dtype)
    else:
        tol_value = torch.as_tensor(float(tol), dtype=s.dtype)
    count = (s > tol_value).sum().to(torch.int64)
    return wrap(a, count, (), None)
