"""Result records (writing, parsing, validation), the plots and the report on a tiny synthetic study."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from scaling import plots, records, report
from scaling.runner import plan, process_counts

pytestmark = pytest.mark.single_process


def _rec(
    fw: str, workload: str, mode: str, p: int, time_s: float | None, status: str = "ok"
) -> dict[str, Any]:
    return {
        "schema": records.SCHEMA,
        "study": "tiny",
        "framework": fw,
        "workload": workload,
        "mode": mode,
        "processes": p,
        "nodes": float(p),
        "rows": 100 * p,
        "cols": 8,
        "status": status,
        "reason": None if status == "ok" else "heat.cluster needs 'heat-ml'",
        "time_s": time_s,
        "gflops": 1.0 / time_s if time_s else None,
        "launched_processes": p + 2 if fw.startswith("dask") else p,
        "threads_per_process": 1,
        "check": {"metric": "m", "value": 1e-7, "tolerance": 1e-3, "passed": True}
        if status == "ok"
        else None,
        "peak_rss_mib": [100.0] * p,
        "machine": {"cores": 2, "loadavg": [3.0, 2.0, 1.0], "cpu": "test cpu"},
    }


@pytest.fixture
def study(tmp_path: Path) -> Path:
    d = tmp_path / "results" / "20260101-000000"
    recs = []
    for mode in ("weak", "strong"):
        for p in (1, 2, 4):
            recs.append(_rec("heat", "kmeans", mode, p, 1.0 / p if mode == "strong" else 1.0))
            recs.append(
                _rec("dask-tuned", "kmeans", mode, p, 20.0 if p < 4 else None, "ok" if p < 4 else "timeout")
            )
            recs.append(_rec("numpy", "kmeans", mode, p, 2.0))
            recs.append(_rec("heat", "lasso", mode, p, None, "failed"))
            recs.append(_rec("dask-auto", "lasso", mode, p, 50.0))
    for r in recs:
        records.write(d, r)
    study = {
        "study": d.name,
        "machine": {"cores": 2, "cpu": "test cpu"},
        "versions": {"numpy": "2"},
        "scale": 0.001,
        "argv": ["--nodes", "4"],
        "nodes": 4,
        "ranks_per_node": 1,
        "threads_per_rank": 1,
        "trials": 3,
        "time_limit_s": 60,
    }
    (d / "study.json").write_text(json.dumps(study))
    return d


def test_records_round_trip_and_latest_study(study: Path) -> None:
    recs = records.load([study])
    assert len(recs) == 30
    assert {r["status"] for r in recs} == {"ok", "failed", "timeout"}
    assert records.latest_study(study.parent) == study


def test_invalid_records_are_skipped_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _rec("numpy", "cdist", "weak", 1, 0.5)
    records.write(tmp_path, good)
    (tmp_path / "broken.json").write_text("{not json")
    (tmp_path / "old.json").write_text(json.dumps({**good, "schema": 0}))
    (tmp_path / "nostatus.json").write_text(json.dumps({k: v for k, v in good.items() if k != "status"}))
    (tmp_path / "oknotime.json").write_text(json.dumps({**good, "time_s": None}))
    assert records.load([tmp_path]) == [good]
    err = capsys.readouterr().err
    assert "broken.json" in err and "schema 0" in err and "missing ['status']" in err and "no time_s" in err


def test_summarize_times_drops_the_cold_first_trial() -> None:
    assert records.summarize_times([10.0, 1.0, 2.0, 3.0]) == 2.0
    assert records.summarize_times([4.0]) == 4.0
    assert records.summarize_times([]) is None


def test_speedups_are_relative_to_the_fewest_nodes() -> None:
    runs = [_rec("heat", "kmeans", "strong", p, t) for p, t in ((1, 4.0), (2, 2.0), (4, 1.6))]
    runs.append(_rec("heat", "kmeans", "strong", 8, None, "timeout"))
    assert plots.speedups(runs) == [(1.0, 1.0), (2.0, 2.0), (4.0, 2.5)]
    assert plots.speedups(runs[3:]) == []


def test_figures_are_written(study: Path, tmp_path: Path) -> None:
    made = plots.all_figures(records.load([study]), tmp_path / "figures")
    assert sorted(p.name for p in made) == ["strong_runtime.png", "strong_speedup.png", "weak_throughput.png"]
    for p in made:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 10_000


def test_report_evaluates_the_claims_from_the_records(study: Path) -> None:
    recs = records.load([study])
    meta = json.loads((study / "study.json").read_text())
    text = report.render(recs, meta, ["weak_throughput.png"], "notes here")
    # k-means: dask-tuned is 20x slower than heat in weak scaling where both ran
    _, ratio, verdict = report.claim_kmeans_weak(recs)
    assert ratio == "20x" and verdict == "holds"
    assert report.claim_two_orders(recs)[2].startswith("does not hold")
    assert report.claim_heat_scales(recs)[2] == "holds"
    assert (
        report.claim_dask_fails(recs)[0].startswith("2 of 12 Dask runs")
        and report.claim_dask_fails(recs)[2] == "observed"
    )
    assert "| weak | lasso | 1 | heat |" in text and "heat-ml" in text and "notes here" in text
    assert "![weak_throughput.png](figures/weak_throughput.png)" in text


def test_claims_without_heat_runs_are_pending() -> None:
    recs = [_rec("heat", "kmeans", "weak", 1, None, "failed"), _rec("dask-auto", "kmeans", "weak", 1, 3.0)]
    assert report.claim_kmeans_weak(recs)[2].startswith("pending: heat.cluster needs 'heat-ml'")


def test_plan_counts_processes_and_puts_numpy_first() -> None:
    assert process_counts(1) == [1] and process_counts(8) == [1, 2, 4, 8]
    runs = plan(["kmeans"], ["heat", "dask-auto", "numpy"], ["weak"], 2, 0.001, 1, 1)
    assert [(r.framework, r.problem.processes, r.launched, r.threads) for r in runs] == [
        ("numpy", 1, 1, 1),
        ("heat", 1, 1, 1),
        ("dask-auto", 1, 3, 1),
        ("numpy", 2, 1, 2),
        ("heat", 2, 2, 1),
        ("dask-auto", 2, 4, 1),
    ]


def test_latest_study_is_the_last_written(tmp_path: Path) -> None:
    import os

    for name, stamp in (("zz-older", 1_000_000), ("aa-newer", 2_000_000)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "study.json").write_text("{}")
        os.utime(tmp_path / name / "study.json", (stamp, stamp))
    (tmp_path / "not-a-study").mkdir()
    assert records.latest_study(tmp_path) == tmp_path / "aa-newer"
    assert records.latest_study(tmp_path / "missing") is None


def test_published_heat_table_pairs_runs_and_shows_failed_checks() -> None:
    fail = {"metric": "m", "value": 0.17, "tolerance": 1e-3, "passed": False}
    recs = [
        _rec("heat", "kmeans", "weak", 1, 0.5),
        {**_rec("heat-published", "kmeans", "weak", 1, 10.0), "framework_version": "1.8.0"},
        _rec("heat", "lasso", "weak", 2, 1.0),
        {**_rec("heat-published", "lasso", "weak", 2, None, "failed"), "time_s": 4.0, "check": fail},
        _rec("heat", "cdist", "weak", 1, 1.0),  # no published run: no row
    ]
    table = report.published_table(recs)
    assert "The published Heat 1.8.0" in table[0]
    assert report.claim_beats_published(recs)[1:] == ("min 20x", "holds")
    assert "| kmeans | weak | 1 | 0.5 | 10 | 20 | 1e-07 |" in table
    assert "| lasso | weak | 2 | 1 | 4 | 4 | 0.17 FAIL |" in table
    assert not any("| cdist |" in line for line in table)
    assert report.published_table(recs[:1])[0].startswith("No (workload, mode, p)")


def test_published_heat_runs_in_its_own_environment(tmp_path: Path) -> None:
    import argparse
    import sys

    from scaling.runner import python_for

    missing = argparse.Namespace(published_python=tmp_path / "none" / "python")
    assert python_for("heat", missing) == sys.executable
    assert python_for("heat-published", missing) is None
    exe = tmp_path / "python"
    exe.write_text("")
    assert python_for("heat-published", argparse.Namespace(published_python=exe)) == str(exe)
    runs = plan(["kmeans"], ["heat-published", "numpy"], ["weak"], 2, 0.001, 1, 1)
    assert [(r.framework, r.launched) for r in runs] == [
        ("numpy", 1),
        ("heat-published", 1),
        ("numpy", 1),
        ("heat-published", 2),
    ]
