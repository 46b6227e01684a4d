"""heat-comm installed alone: its wheel in a clean venv runs its README's 2-process example."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COMM = ROOT / "packages" / "heat-comm"
LAUNCHER_VARS = ("PMI", "PMIX", "HYDRA", "MPI_", "MPICH", "OMPI", "I_MPI")


@pytest.mark.single_process
@pytest.mark.timeout(900)
def test_heat_comm_wheel_alone_runs_the_readme_example(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(LAUNCHER_VARS)}
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(COMM)],
        check=True,
        capture_output=True,
        env=env,
    )
    (wheel,) = tmp_path.glob("heat_comm-*.whl")
    venv.create(tmp_path / "venv", with_pip=True)
    bin_dir = tmp_path / "venv" / "bin"
    subprocess.run(
        [
            str(bin_dir / "python"),
            "-m",
            "pip",
            "install",
            "-q",
            str(wheel),
            "torch==2.13.0",
            "mpi4py",
            "mpich",
        ],
        check=True,
        capture_output=True,
        env=env,
    )
    listing = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "list", "--format=freeze"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "heat-core" not in listing and "heat_core" not in listing
    readme = (COMM / "README.md").read_text()
    (example,) = re.findall(r"## Example: a 2-process allreduce\s+```python\n(.*?)```", readme, re.S)
    script = tmp_path / "allreduce_demo.py"
    script.write_text(example)
    out = subprocess.run(
        [str(bin_dir / "mpiexec"), "-n", "2", str(bin_dir / "python"), str(script)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    ).stdout
    # the two ranks' lines may interleave in mpiexec's forwarded stdout: match records, not lines
    assert sorted(re.findall(r"(\d) \[1\.5, 1\.5, 1\.5\]", out)) == ["0", "1"], out
