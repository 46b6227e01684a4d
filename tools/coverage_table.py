"""Write docs/coverage.md: which NumPy / array API functions heat has, per category, and the
distribution rule each one follows (read from the module that defines it).

    .venv/bin/python tools/coverage_table.py            # rewrite docs/coverage.md
    .venv/bin/python tools/coverage_table.py --check    # exit 1 when the file is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

import heat as ht

OUT = Path(__file__).resolve().parents[1] / "docs" / "coverage.md"

# the module that defines a function -> the distribution rule (DESIGN.md §2) it follows
RULES = {
    "heat.core.elementwise": "elementwise (align operands, local kernel)",
    "heat.core._operations": "elementwise (align operands, local kernel)",
    "heat.core.reductions": "reduction (local reduce + one allreduce)",
    "heat.core.nanfunctions": "reduction (local reduce + one allreduce)",
    "heat.core.moments": "reduction (merged moments)",
    "heat.core.histograms": "reduction (local histogram + one allreduce)",
    "heat.core.differences": "halo exchange (neighbour rows)",
    "heat.core.statistics": "global order (distributed selection)",
    "heat.core.sorting": "global order (sample sort)",
    "heat.core._samplesort": "global order (sample sort)",
    "heat.core.sets": "global order (sample sort)",
    "heat.core.factories": "creation (local block only)",
    "heat.core.redistribution": "redistribution (all-to-all)",
    "heat.core.array_api": "array API helper (metadata / elementwise / scan)",
    "heat.core.types": "metadata",
    "heat.core.dndarray": "method on DNDarray",
    "heat.core.manipulation": "shape (local, or one planned redistribution)",
    "heat.core.indexing": "indexing (keys routed to their owners with all-to-all-v)",
}
SCANS = {"cumsum", "cumprod", "cumulative_sum", "cumulative_prod"}

CATEGORIES: dict[str, str] = {
    "Creation": "array asarray empty empty_like zeros zeros_like ones ones_like full full_like arange "
    "linspace logspace eye identity meshgrid from_dlpack",
    "Arithmetic": "add subtract multiply divide true_divide floor_divide remainder mod fmod divmod power pow "
    "negative positive abs absolute fabs sign reciprocal square sqrt cbrt gcd lcm hypot copysign "
    "nextafter clip nan_to_num diff",
    "Exponential and logarithmic": "exp exp2 expm1 log log2 log10 log1p logaddexp logaddexp2",
    "Trigonometric and hyperbolic": "sin cos tan arcsin arccos arctan arctan2 sinh cosh tanh arcsinh arccosh "
    "arctanh deg2rad rad2deg degrees radians",
    "Rounding": "round around floor ceil trunc rint fix modf",
    "Logical, relational and bitwise": "equal not_equal less less_equal greater greater_equal logical_and "
    "logical_or logical_xor logical_not bitwise_and bitwise_or bitwise_xor invert bitwise_not left_shift "
    "right_shift isnan isinf isfinite isposinf isneginf signbit isclose allclose array_equal",
    "Complex": "real imag conj conjugate angle",
    "Reductions": "sum prod min max amin amax argmin argmax all any mean var std nansum nanprod nanmin "
    "nanmax nanmean nanvar nanstd count_nonzero ptp average",
    "Scans": "cumsum cumprod",
    "Statistics": "median percentile quantile cov corrcoef histogram histogram_bin_edges bincount digitize "
    "skew kurtosis",
    "Manipulation": "reshape ravel flatten transpose permute_dims moveaxis swapaxes squeeze expand_dims "
    "broadcast_to broadcast_arrays concatenate concat stack unstack hstack vstack dstack column_stack split "
    "array_split hsplit vsplit dsplit flip fliplr flipud roll rot90 pad repeat tile diag diagonal tril triu "
    "atleast_1d atleast_2d atleast_3d sliding_window_view unfold",
    "Indexing": "take take_along_axis put where nonzero argwhere flatnonzero extract compress",
    "Sorting and sets": "sort argsort partition argpartition topk unique unique_values unique_counts "
    "unique_inverse unique_all searchsorted isin in1d intersect1d union1d setdiff1d",
    "Linear algebra (top level)": "matmul dot vdot vecdot inner outer tensordot einsum kron cross trace "
    "matrix_transpose norm",
    "Array API specifics": "astype isdtype cumulative_sum cumulative_prod __array_namespace_info__ "
    "can_cast result_type finfo iinfo",
}


def rule_of(name: str, obj: object) -> str:
    if name in SCANS:
        return "scan (local scan + exclusive scan of block totals)"
    module = getattr(obj, "__module__", "") or ""
    if module.startswith("heat.linalg"):
        return "heat-linalg (distributed algorithm, see its README)"
    if module in RULES:
        return RULES[module]
    # other modules: the first sentence of their docstring states the rule
    doc = (sys.modules[module].__doc__ or "").strip() if module in sys.modules else ""
    first = " ".join(doc.split(".")[0].split()) if doc else ""
    return f"{first} (`{module}`)" if first else f"`{module}`"


def lookup(name: str) -> object | None:
    try:
        return getattr(ht, name)
    except (AttributeError, ImportError):
        return None


def render() -> str:
    lines = [
        "# API coverage",
        "",
        "Generated by `tools/coverage_table.py` from the installed packages: each NumPy / array API "
        "name, whether `heat` has it, and the distribution rule (DESIGN.md §2) its implementation "
        "follows, read from the module that defines it. Regenerate after adding functions.",
        "",
    ]
    total = present = 0
    for category, names in CATEGORIES.items():
        lines += [f"## {category}", "", "| name | heat | NumPy | rule |", "| --- | --- | --- | --- |"]
        for name in names.split():
            obj = lookup(name)
            numpy_has = "yes" if hasattr(np, name) else "—"
            total += 1
            if obj is None:
                lines.append(f"| `{name}` | missing | {numpy_has} | |")
            else:
                present += 1
                lines.append(f"| `{name}` | yes | {numpy_has} | {rule_of(name, obj)} |")
        lines.append("")
    lines.insert(4, f"{present} of {total} listed names are present.\n")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 when docs/coverage.md is stale")
    args = parser.parse_args()
    text = render()
    if args.check:
        stale = not OUT.exists() or OUT.read_text() != text
        print(
            "docs/coverage.md is stale: run tools/coverage_table.py"
            if stale
            else "docs/coverage.md is current"
        )
        return int(stale)
    OUT.write_text(text)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
