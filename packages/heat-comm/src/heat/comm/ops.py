"""Reduction operations and how each torch dtype is reduced with MPI.

MPI has no predefined operation for some (dtype, op) pairs: no bfloat16 at all, no SUM for
C bool, no MIN/MAX for complex numbers, float16 only in some libraries. Every pair gets a
*plan* here, decided once from the table below:

* ``bool``: arithmetic ops follow NumPy's ufunc semantics on booleans
  (``sum``/``max`` = logical or, ``prod``/``min`` = logical and); bitwise ops are logical ops.
* ``float16``/``bfloat16``: arithmetic ops are computed in float32 and rounded back once
  (exact for min/max; sum and prod are more accurate than a float16 tree).
* numeric operands of logical ops are reduced as ``x != 0`` and returned in the input dtype
  (0 or 1) -- also on one process, where MPI would hand the input back unchanged.
* complex ``min``/``max`` and bitwise ops on floating types have no meaning and raise.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from typing import Any

import torch

from ._mpi import mpi

__all__ = ["ReduceOp", "ReductionPlan", "reduction_plan"]


class ReduceOp(str, enum.Enum):
    """A reduction operation; plain strings (``"sum"``) and ``mpi4py`` ops are accepted too."""

    SUM = "sum"
    PROD = "prod"
    MIN = "min"
    MAX = "max"
    LAND = "land"
    LOR = "lor"
    LXOR = "lxor"
    BAND = "band"
    BOR = "bor"
    BXOR = "bxor"

    @classmethod
    def of(cls, op: ReduceOp | str | Any) -> ReduceOp:
        """Normalise ``op`` (a ReduceOp, a name such as ``"sum"``, or ``mpi4py.MPI.SUM``)."""
        if isinstance(op, ReduceOp):
            return op
        if isinstance(op, str):
            found = _BY_NAME.get(op) or _BY_NAME.get(op.lower())
            if found is not None:
                return found
        else:
            MPI = mpi()
            if isinstance(op, MPI.Op):
                for name in cls:
                    if getattr(MPI, name.name) == op:
                        return name
        names = ", ".join(repr(o.value) for o in cls)
        raise ValueError(f"reduction: unknown operation {op!r}; use one of {names}")

    @property
    def code(self) -> int:
        return _CODES[self]

    def identity(self, dtype: torch.dtype) -> int | float | bool:
        """The neutral element of this operation for ``dtype`` (used by ``exscan`` on rank 0)."""
        if self in (ReduceOp.SUM, ReduceOp.LOR, ReduceOp.LXOR, ReduceOp.BOR, ReduceOp.BXOR):
            return False if dtype == torch.bool else 0
        if self in (ReduceOp.PROD, ReduceOp.LAND):
            return True if dtype == torch.bool else 1
        if self == ReduceOp.BAND:
            return True if dtype == torch.bool else -1
        if dtype == torch.bool:
            return self == ReduceOp.MIN
        info: torch.finfo | torch.iinfo
        info = torch.finfo(dtype) if dtype.is_floating_point else torch.iinfo(dtype)
        if dtype.is_floating_point:
            return float("inf") if self == ReduceOp.MIN else float("-inf")
        return info.max if self == ReduceOp.MIN else info.min


_CODES = {op: i for i, op in enumerate(ReduceOp)}
_BY_NAME = {op.value: op for op in ReduceOp}
_ARITHMETIC = (ReduceOp.SUM, ReduceOp.PROD, ReduceOp.MIN, ReduceOp.MAX)
_LOGICAL = (ReduceOp.LAND, ReduceOp.LOR, ReduceOp.LXOR)
_BITWISE = (ReduceOp.BAND, ReduceOp.BOR, ReduceOp.BXOR)
_BOOL_AS = {
    ReduceOp.SUM: ReduceOp.LOR,
    ReduceOp.MAX: ReduceOp.LOR,
    ReduceOp.PROD: ReduceOp.LAND,
    ReduceOp.MIN: ReduceOp.LAND,
    ReduceOp.BAND: ReduceOp.LAND,
    ReduceOp.BOR: ReduceOp.LOR,
    ReduceOp.BXOR: ReduceOp.LXOR,
}
_HALF = (torch.float16, torch.bfloat16)


@dataclass(frozen=True)
class ReductionPlan:
    """How to reduce one dtype with one op: convert to ``compute`` (``None`` = as is, ``bool``
    for logical ops on numbers), apply the MPI op ``mpi_op``, convert back."""

    compute: torch.dtype | None
    op: ReduceOp
    mpi_op: Any  # the mpi4py.MPI.Op performing ``op``


def _plan(compute: torch.dtype | None, op: ReduceOp) -> ReductionPlan:
    return ReductionPlan(compute, op, getattr(mpi(), op.name))


@functools.lru_cache(maxsize=512)
def reduction_plan(name: str, dtype: torch.dtype, op: ReduceOp) -> ReductionPlan:
    """The plan for reducing ``dtype`` with ``op``; raises TypeError for meaningless pairs."""
    is_complex = dtype.is_complex
    is_float = dtype.is_floating_point
    if dtype == torch.bool:
        return _plan(None, _BOOL_AS.get(op, op))
    if op in _LOGICAL:
        return _plan(torch.bool, op)
    if op in _BITWISE and (is_float or is_complex):
        raise TypeError(
            f"{name}: bitwise op {op.value!r} needs an integer or bool tensor, got {dtype}; "
            "use a logical op ('land', 'lor', 'lxor') or cast to an integer dtype"
        )
    if is_complex and op in (ReduceOp.MIN, ReduceOp.MAX):
        raise TypeError(
            f"{name}: op {op.value!r} is not defined for {dtype} (complex numbers have no "
            "order in torch); reduce .abs(), .real or .imag instead"
        )
    if dtype in _HALF:
        return _plan(torch.float32, op)
    return _plan(None, op)
