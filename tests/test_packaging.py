"""pyproject.toml and environment.yml name the same dependencies; CI and Makefile are sane."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from reportlib import paths

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = paths.PROJECT_ROOT
CONDA_ONLY = {"python", "pip", "quarto"}


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject_names() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        specs += extra
    return {_name(s) for s in specs}


def _environment_names() -> set[str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    names = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            names |= {_name(s) for s in dep.get("pip", [])}
        else:
            names.add(_name(dep))
    return names


def test_environment_yml_matches_pyproject() -> None:
    env = _environment_names()
    assert "quarto" in env
    assert env - CONDA_ONLY == _pyproject_names()


def _make(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_make_help_is_default_and_lists_targets() -> None:
    out = _make().stdout
    for target in ("help", "venv", "report", "reports", "test", "lint", "validate", "clean"):
        assert re.search(rf"^  {target}\s+\S", out, re.M), target


@pytest.mark.parametrize(
    "value", ["", "nowhere", "../etc", "%", "a b", "$(shell touch /tmp/reportlib-pwned)"]
)
def test_make_report_rejects_bad_locality_before_any_work(value: str) -> None:
    args = ["-n", "report"] + ([f"LOCALITY={value}"] if value else [])
    proc = _make(*args)
    assert proc.returncode != 0
    assert "huli" in proc.stderr and "sanmenxia" in proc.stderr  # lists the known ones
    assert proc.stdout == ""  # nothing would run
    assert not os.path.exists("/tmp/reportlib-pwned")


def test_make_report_dry_run_renders_through_the_cli() -> None:
    proc = _make("-n", "-W", "data/facts.csv", "report", "LOCALITY=huli", "AS_OF=2025-08-31")
    assert proc.returncode == 0, proc.stderr
    assert "-m reportlib render huli --as-of 2025-08-31" in proc.stdout


def test_make_report_is_a_real_file_target(tmp_path) -> None:
    """Nothing changed → nothing to do; a newer data file → the report is re-rendered."""
    import shutil
    import time

    for name in ("Makefile", "pyproject.toml", "requirements.lock", "requirements-pip.lock"):
        shutil.copy2(ROOT / name, tmp_path / name)
    for folder in ("data", "notebooks", "src"):
        shutil.copytree(
            ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    stamp = tmp_path / ".venv" / ".installed"
    report = tmp_path / "reports" / "huli" / "huli.pdf"
    for path in (stamp, report):
        path.parent.mkdir(parents=True)
        path.touch()
    later = time.time() + 60
    os.utime(report, (later, later))

    def make(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["make", "--no-print-directory", "-C", str(tmp_path), *args],
            capture_output=True,
            text=True,
            check=False,
        )

    assert make("-q", "report", "LOCALITY=huli").returncode == 0  # up to date
    assert "render" not in make("-n", "report", "LOCALITY=huli").stdout
    os.utime(tmp_path / "data" / "facts.csv", (later + 60, later + 60))
    assert make("-q", "report", "LOCALITY=huli").returncode == 1
    assert "-m reportlib render huli" in make("-n", "report", "LOCALITY=huli").stdout


def _fake_project(tmp_path: Path) -> Path:
    """A copy of the Makefile and data whose .venv python only records what it was asked."""
    import shutil

    for name in ("Makefile", "pyproject.toml", "requirements.lock", "requirements-pip.lock"):
        shutil.copy2(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "notebooks").mkdir()
    fake = tmp_path / ".venv" / "bin" / "python"
    fake.parent.mkdir(parents=True)
    # `python -m reportlib render ID [--as-of D]` or `render --all [--as-of D]`: write the
    # arguments where the report would go (the batch: into every report and the manifest).
    fake.write_text(
        "#!/usr/bin/env bash\n"
        'shift 3; ids="$1"; [ "$1" = --all ] && ids="huli sanmenxia suixi all build"\n'
        "for id in $ids; do\n"
        '  if [ "$id" = build ]; then mkdir -p build; echo "$*" > build/manifest.json;\n'
        '  else mkdir -p "reports/$id"; echo "$*" > "reports/$id/$id.pdf"; fi\n'
        "done\n",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    (tmp_path / ".venv" / ".installed").touch()
    return tmp_path


def test_make_report_honours_as_of_and_goes_back(tmp_path: Path) -> None:
    """Failure 1 of #12: AS_OF was ignored once a report existed (and stayed once used)."""
    project = _fake_project(tmp_path)
    pdf = project / "reports" / "huli" / "huli.pdf"

    def make(*args: str) -> str:
        proc = subprocess.run(
            ["make", "--no-print-directory", "-C", str(project), *args],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    make("report", "LOCALITY=huli")
    assert pdf.read_text().strip() == "huli"
    assert "Nothing to be done" in make("report", "LOCALITY=huli")
    make("report", "LOCALITY=huli", "AS_OF=2029-01-01")
    assert pdf.read_text().strip() == "huli --as-of 2029-01-01"
    assert "Nothing to be done" in make("report", "LOCALITY=huli", "AS_OF=2029-01-01")
    make("report", "LOCALITY=huli")
    assert pdf.read_text().strip() == "huli"
    # the batch: a dated run, then a plain one goes back; the single report follows suit
    make("reports", "AS_OF=2030-01-01")
    assert pdf.read_text().strip() == "--all --as-of 2030-01-01"
    assert "Nothing to be done" in make("reports", "AS_OF=2030-01-01")
    make("reports")
    assert (project / "build" / "manifest.json").read_text().strip() == "--all"
    make("reports", "AS_OF=2030-01-01")
    make("report", "LOCALITY=huli")
    assert pdf.read_text().strip() == "huli"


@pytest.mark.parametrize("value", ["2029-02-30", "2029-13-01", "20290101", "x';touch /tmp/rl'"])
def test_make_rejects_an_invalid_as_of_even_when_up_to_date(tmp_path: Path, value: str) -> None:
    project = _fake_project(tmp_path)
    for goal in (["report", "LOCALITY=huli"], ["reports"]):
        subprocess.run(["make", "-C", str(project), *goal], capture_output=True, check=True)
        proc = subprocess.run(
            ["make", "--no-print-directory", "-C", str(project), *goal, f"AS_OF={value}"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode != 0
        assert "AS_OF must be a real date" in proc.stderr
    assert not os.path.exists("/tmp/rl")
