"""Run one of bench/'s mpiexec scripts from an asv benchmark and read its JSON record."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parents[1]


def run_script(script: str, *args: str, nprocs: int = 2) -> dict[str, Any]:
    """``mpiexec -n nprocs python bench/<script> <args> --json ... --md ...``; the JSON it wrote."""
    mpiexec = Path(sys.executable).with_name("mpiexec")
    # asv may itself run under an MPI launcher: do not leak its process-manager variables
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PMI", "HYDRA", "MPI_"))}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "record.json"
        command = [str(mpiexec), "-n", str(nprocs), sys.executable, str(BENCH / script), *args]
        command += ["--json", str(out), "--md", str(Path(tmp) / "table.md")]
        subprocess.run(command, check=True, capture_output=True, env=env)
        return json.loads(out.read_text())  # type: ignore[no-any-return]
