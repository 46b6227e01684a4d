"""``python -m scaling.paper [--study DIR]`` (``nox -s paper``): figures and REPRODUCTION.md.

Reads the records of one study (default: the latest under ``bench/results/scaling``), writes
``paper/figures/*.png`` and ``paper/REPRODUCTION.md``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from . import plots, records, report

BENCH = Path(__file__).resolve().parents[1]
ROOT = BENCH.parent
NOTES = (Path(__file__).with_name("method.md")).read_text()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="nox -s paper --", description=__doc__)
    ap.add_argument("--study", type=Path, default=None, help="a study directory (default: the latest)")
    ap.add_argument("--results", type=Path, default=BENCH / "results" / "scaling")
    ap.add_argument("--out", type=Path, default=ROOT / "paper")
    args = ap.parse_args(argv)
    study_dir = args.study or records.latest_study(args.results)
    if study_dir is None:
        raise SystemExit(f"no study under {args.results}: run `nox -s bench -- --nodes 2` first")
    study = json.loads((study_dir / "study.json").read_text())
    recs = records.load([study_dir])
    if not recs:
        raise SystemExit(f"{study_dir} holds no valid records")
    figures = plots.all_figures(
        recs, args.out / "figures", f"(scale {study.get('scale', 0):.3g}, {study['machine']['cores']} cores)"
    )
    text = report.render(recs, study, [f.name for f in figures], NOTES)
    (args.out / "REPRODUCTION.md").write_text(text)
    print(
        f"{len(recs)} records from {study_dir} -> {args.out / 'REPRODUCTION.md'}, "
        + ", ".join(f.name for f in figures)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
