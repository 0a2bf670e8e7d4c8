"""pyproject.toml and environment.yml name the same dependencies; CI and Makefile are sane."""

from __future__ import annotations

import os
import re
import subprocess

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


def test_ci_script_runs_make_test_strictly() -> None:
    script = ROOT / ".ci" / "run"
    text = script.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text and "make test" in text
    assert os.access(script, os.X_OK)


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

    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
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
