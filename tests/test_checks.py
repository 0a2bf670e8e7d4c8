"""The checks (#17): `make lint`, which CI runs, and the pre-commit hooks run ruff, nbstripout
and mypy with the project's locked tools."""

from __future__ import annotations

import subprocess
import sys

import tomllib
import yaml

from reportlib import paths

ROOT = paths.PROJECT_ROOT
CONFIG = ROOT / ".pre-commit-config.yaml"


def _dry_run(target: str) -> list[str]:
    """The commands `make <target>` would run (the venv's own setup left out)."""
    proc = subprocess.run(
        ["make", "--no-print-directory", "-n", "-C", str(ROOT), target],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [line for line in proc.stdout.splitlines() if " -m pip " not in line]


def test_make_lint_runs_style_notebook_and_type_checks() -> None:
    commands = "\n".join(_dry_run("lint"))
    for check in ("-m ruff check", "-m ruff format --check", "-m nbstripout", "-m mypy"):
        assert check in commands, check
    assert "-m mypy" in "\n".join(_dry_run("typecheck"))


def test_mypy_checks_the_whole_package() -> None:
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert settings["tool"]["mypy"]["files"] == ["src/reportlib"]


def test_pre_commit_hooks_run_ruff_nbstripout_and_mypy_from_the_venv() -> None:
    hooks = [
        h
        for repo in yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["repos"]
        for h in repo["hooks"]
    ]
    assert {h["id"] for h in hooks} >= {"ruff-check", "ruff-format", "nbstripout", "mypy"}
    # the locked tools, not a second environment pre-commit would build and keep
    assert all(h["entry"].startswith(".venv/bin/python -m ") for h in hooks)


def test_pre_commit_accepts_the_configuration() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(CONFIG)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
