"""Figures in the paper's style from scaling records (matplotlib, Agg backend).

- ``weak_throughput.png``: GFLOP/s against nodes, one panel per workload, log-log.
- ``strong_speedup.png``: speedup over the same framework on one node against nodes, log-log,
  with the ideal line.
- ``strong_runtime.png``: time per call against nodes, log-log (the numbers behind the speedup).

A run that failed or timed out is drawn as an ``x`` on the panel's lower edge at its node
count, in its framework's colour; a framework with no successful point still appears in the
legend (so a missing framework is visible, not silently absent).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

COLOURS = {
    "heat": "#d62728",
    "heat-published": "#8c564b",
    "dask-auto": "#1f77b4",
    "dask-tuned": "#17becf",
    "numpy": "#2ca02c",
    "torch": "#ff7f0e",
    "sklearn": "#9467bd",
}
ORDER = list(COLOURS)


def _series(recs: Iterable[dict[str, Any]], workload: str, mode: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in recs:
        if r["workload"] == workload and r["mode"] == mode and r["status"] != "skipped":
            out.setdefault(r["framework"], []).append(r)
    for v in out.values():
        v.sort(key=lambda r: r["nodes"])
    return dict(sorted(out.items(), key=lambda kv: ORDER.index(kv[0]) if kv[0] in ORDER else 99))


def speedups(runs: list[dict[str, Any]]) -> list[tuple[float, float]]:
    """(nodes, time on the fewest nodes / time) for the successful runs of one framework.

    >>> speedups([{"nodes": 1, "status": "ok", "time_s": 4.0}, {"nodes": 2, "status": "ok", "time_s": 2.5}])
    [(1, 1.0), (2, 1.6)]
    """
    ok = [r for r in runs if r["status"] == "ok"]
    if not ok:
        return []
    base = min(ok, key=lambda r: r["nodes"])
    return [(r["nodes"], base["time_s"] / r["time_s"]) for r in ok]


def figure(recs: list[dict[str, Any]], mode: str, quantity: str, path: Path, title: str) -> Path:
    """One figure with a panel per workload; ``quantity`` is "gflops", "speedup" or "time_s"."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    workloads = [
        w
        for w in ("kmeans", "forward", "lasso", "spectral", "cdist")
        if any(r["workload"] == w for r in recs)
    ]
    workloads += sorted({r["workload"] for r in recs} - set(workloads))
    cols = min(3, max(1, len(workloads)))
    rows = (len(workloads) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.6 * cols, 3.6 * rows), squeeze=False)
    ylabel = {
        "gflops": "throughput [GFLOP/s]",
        "speedup": "speedup over 1 node",
        "time_s": "time per call [s]",
    }
    for ax, w in zip(axes.flat, workloads, strict=False):
        series = _series(recs, w, mode)
        if not series:
            ax.text(
                0.5, 0.5, "no run measured\n(skipped: see the report)", ha="center", transform=ax.transAxes
            )
        xs_all: set[float] = set()
        for fw, runs in series.items():
            colour = COLOURS.get(fw, "grey")
            if quantity == "speedup":
                pts = speedups(runs)
            else:
                pts = [(r["nodes"], r[quantity]) for r in runs if r["status"] == "ok" and r.get(quantity)]
            xs_all.update(r["nodes"] for r in runs)
            if pts:
                ax.plot(*zip(*pts, strict=True), marker="o", color=colour, label=fw)
            else:
                ax.plot([], [], marker="o", color=colour, label=f"{fw} (no successful run)")
            for r in runs:
                if r["status"] != "ok":
                    ax.plot(
                        r["nodes"],
                        0.02,
                        marker="x",
                        ms=9,
                        mew=2,
                        color=colour,
                        transform=ax.get_xaxis_transform(),
                        clip_on=False,
                    )
        if quantity == "speedup" and xs_all:
            xs = sorted(xs_all)
            ax.plot(xs, [x / xs[0] for x in xs], ls="--", color="black", lw=0.8, label="ideal")
        ax.set_xscale("log", base=2)
        if xs_all:
            ax.set_xticks(sorted(xs_all), [f"{x:g}" for x in sorted(xs_all)])
        ax.set_yscale("log")
        ax.set_title(w)
        ax.set_xlabel("nodes")
        ax.set_ylabel(ylabel[quantity])
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(workloads) :]:
        ax.axis("off")
    fig.suptitle(f"{title}\nx on a panel's lower edge: failed or timed out", fontsize=9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def all_figures(recs: list[dict[str, Any]], out_dir: Path, subtitle: str = "") -> list[Path]:
    """The three figures of ``paper/figures``."""
    made = []
    if any(r["mode"] == "weak" for r in recs):
        made.append(
            figure(recs, "weak", "gflops", out_dir / "weak_throughput.png", f"Weak scaling {subtitle}")
        )
    if any(r["mode"] == "strong" for r in recs):
        made.append(
            figure(recs, "strong", "speedup", out_dir / "strong_speedup.png", f"Strong scaling {subtitle}")
        )
        made.append(
            figure(recs, "strong", "time_s", out_dir / "strong_runtime.png", f"Strong scaling {subtitle}")
        )
    return made
