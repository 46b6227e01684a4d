"""The six distributions share one ``heat`` namespace without owning a file twice.

Builds every package's wheel (hatchling, no isolation: the set-up installed it) and checks the
layout rules of DESIGN.md §1: ``heat-X`` ships exactly ``heat/X/**``; only heat-core ships
``heat/__init__.py`` and ``heat/py.typed``; no wheel ships the ``heat/__init__.pyi`` markers.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = sorted(p for p in (ROOT / "packages").iterdir() if (p / "pyproject.toml").exists())


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    out = tmp_path_factory.mktemp("wheels")
    files: dict[str, list[str]] = {}
    for pkg in PACKAGES:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "build",
                "--wheel",
                "--no-isolation",
                "--outdir",
                str(out / pkg.name),
                str(pkg),
            ],
            check=True,
            capture_output=True,
        )
        (whl,) = (out / pkg.name).glob("*.whl")
        with zipfile.ZipFile(whl) as z:
            files[pkg.name] = [n for n in z.namelist() if ".dist-info/" not in n]
    return files


@pytest.mark.single_process
def test_no_file_is_owned_by_two_distributions(wheels: dict[str, list[str]]) -> None:
    owner: dict[str, str] = {}
    for dist, names in wheels.items():
        for name in names:
            assert name not in owner, f"{name} is shipped by both {owner[name]} and {dist}"
            owner[name] = dist


@pytest.mark.single_process
def test_each_wheel_ships_only_its_subpackage(wheels: dict[str, list[str]]) -> None:
    for dist, names in wheels.items():
        sub = dist.removeprefix("heat-")
        allowed = {"heat/__init__.py", "heat/py.typed"} if dist == "heat-core" else set()
        stray = [n for n in names if not n.startswith(f"heat/{sub}/") and n not in allowed]
        assert not stray, f"{dist} ships files outside heat/{sub}/: {stray}"
        assert f"heat/{sub}/__init__.py" in names, f"{dist} lacks heat/{sub}/__init__.py"
        assert "heat/__init__.pyi" not in names


@pytest.mark.single_process
def test_source_trees_follow_the_namespace_layout() -> None:
    for pkg in PACKAGES:
        top = pkg / "src" / "heat"
        if pkg.name == "heat-core":
            assert (top / "__init__.py").exists() and (top / "py.typed").exists()
        else:
            assert (top / "__init__.pyi").exists(), f"{pkg.name}: src/heat/__init__.pyi marker missing"
            assert not (top / "__init__.py").exists(), f"{pkg.name} must not ship heat/__init__.py"
        for f in ("README.md", "CHANGELOG.md"):
            assert (pkg / f).exists(), f"{pkg.name}: {f} missing"
