"""The locked environment: requirements.lock agrees with pyproject.toml, environment.yml and
what is installed."""

from __future__ import annotations

from reportlib.render import lockfile


def test_lock_agrees_with_pyproject() -> None:
    problems = lockfile.pyproject_problems()
    assert not problems, "\n".join(problems)


def test_environment_yml_pins_the_locked_versions() -> None:
    problems = lockfile.environment_problems()
    assert not problems, "\n".join(problems)


def test_installed_versions_are_the_locked_ones() -> None:
    problems = lockfile.installed_problems()
    assert not problems, (
        "the environment differs from requirements.lock (run `make venv`, or `make lock` if "
        "pyproject.toml changed):\n" + "\n".join(problems)
    )


def test_a_dependency_missing_from_the_lock_is_named(tmp_path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    text = lockfile.PYPROJECT.read_text(encoding="utf-8")
    # a made-up name: no lock can hold it
    pyproject.write_text(text.replace('"typst>=0.13",', '"typst>=0.13",\n    "notapackage>=1.1",'))
    problems = lockfile.pyproject_problems(pyproject=pyproject)
    assert problems == [
        "notapackage is in pyproject.toml but not in requirements.lock; run `make lock` to "
        "refresh "
        "requirements.lock and environment.yml from pyproject.toml"
    ]
    tighter = text.replace('"typst>=0.13",', '"typst>=99",')
    pyproject.write_text(tighter)
    assert "does not satisfy typst>=99" in lockfile.pyproject_problems(pyproject=pyproject)[0]
