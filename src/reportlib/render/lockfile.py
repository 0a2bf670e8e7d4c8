"""The locked environment: ``requirements.lock`` (uv, every platform, hashes) read and checked.

``make lock`` runs ``uv pip compile`` and then ``python -m reportlib.render.lockfile sync`` to copy
the locked versions of the direct dependencies into ``environment.yml``. Tests use
:func:`pyproject_problems`, :func:`environment_problems` and :func:`installed_problems`.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from reportlib import paths

__all__ = [
    "LOCK",
    "current_pins",
    "environment_problems",
    "installed_problems",
    "pyproject_problems",
    "read_lock",
    "sync_environment",
]

LOCK = paths.PROJECT_ROOT / "requirements.lock"
ENVIRONMENT = paths.PROJECT_ROOT / "environment.yml"
PYPROJECT = paths.PROJECT_ROOT / "pyproject.toml"
_FIX = "run `make lock` to refresh requirements.lock and environment.yml from pyproject.toml"
_ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")
_CONDA_ONLY = {"python", "pip", "quarto"}


def read_lock(path: Path = LOCK) -> list[tuple[str, str, str | None, bool]]:
    """(name, version, marker or None, direct) per entry of the lock, in file order."""
    entries: list[tuple[str, str, str | None, bool]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _ENTRY.match(line)
        if m:
            entries.append((canonicalize_name(m[1]), m[2], m[3], False))
        elif entries and re.match(r"^\s+#\s+(via\s+)?reportlib\b", line):
            name, version, marker, _ = entries[-1]
            entries[-1] = (name, version, marker, True)
    return entries


def current_pins(path: Path = LOCK) -> dict[str, str]:
    """name → locked version for this interpreter and platform."""
    return {n: v for n, v, m, _ in read_lock(path) if m is None or Marker(m).evaluate()}


def _pyproject_requirements(path: Path = PYPROJECT) -> list[Requirement]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    project = tomllib.loads(path.read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"]) + list(project["optional-dependencies"].get("dev", []))
    return [Requirement(s) for s in specs]


def pyproject_problems(lock: Path = LOCK, pyproject: Path = PYPROJECT) -> list[str]:
    """Where pyproject.toml's dependencies and the lock disagree (empty list: in step)."""
    if not lock.exists():
        return [f"{lock.name} is missing; {_FIX}"]
    entries = read_lock(lock)
    locked = {n for n, *_ in entries}
    direct = {n for n, _, _, d in entries if d}
    wanted: dict[str, Requirement] = {
        canonicalize_name(r.name): r for r in _pyproject_requirements(pyproject)
    }
    missing = [n for n in wanted if n not in locked]
    problems = [f"{n} is in pyproject.toml but not in {lock.name}" for n in missing]
    problems += [
        f"{n} is locked as a direct dependency but pyproject.toml no longer names it"
        for n in sorted(direct - set(wanted))
    ]
    for name, version, _, _ in entries:
        req = wanted.get(name)
        if req is not None and not req.specifier.contains(version, prereleases=True):
            problems.append(f"{name}=={version} in {lock.name} does not satisfy {req}")
    return [f"{p}; {_FIX}" for p in problems]


def _environment_lines(path: Path = ENVIRONMENT) -> list[tuple[int, str, str]]:
    """(line index, name, the whole spec) of every dependency line in environment.yml."""
    out: list[tuple[int, str, str]] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("dependencies:")), 0)
    for i, line in enumerate(lines[start:], start):
        m = re.match(r"^\s*-\s+([A-Za-z0-9][A-Za-z0-9._-]*)\s*([<>=!~].*)?$", line)
        if m:
            out.append((i, canonicalize_name(m[1]), line))
    return out


def environment_problems(env: Path = ENVIRONMENT, lock: Path = LOCK) -> list[str]:
    """environment.yml entries not pinned to the lock's version (for this interpreter)."""
    pins = current_pins(lock)
    problems = []
    for _, name, line in _environment_lines(env):
        if name in _CONDA_ONLY:
            continue
        want = pins.get(name)
        if want is None or not line.rstrip().endswith(f"=={want}"):
            problems.append(f"environment.yml: {line.strip()!r} should pin {name}=={want}")
    return [f"{p}; {_FIX}" for p in problems]


def installed_problems(lock: Path = LOCK) -> list[str]:
    """Locked packages (for this interpreter and platform) installed at another version."""
    problems = []
    for name, version in current_pins(lock).items():
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            have = None
        if have != version:
            problems.append(f"{name}: locked {version}, installed {have or 'nothing'}")
    return problems


def sync_environment(env: Path = ENVIRONMENT, lock: Path = LOCK) -> None:
    """Pin every environment.yml dependency (but python, pip, quarto) to the locked version."""
    pins = current_pins(lock)
    lines = env.read_text(encoding="utf-8").splitlines()
    for i, name, line in _environment_lines(env):
        if name in _CONDA_ONLY or name not in pins:
            continue
        lines[i] = re.sub(r"^(\s*-\s+[A-Za-z0-9._-]+)\s*([<>=!~].*)?$", rf"\1=={pins[name]}", line)
    tmp = env.with_suffix(".yml.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(env)


if __name__ == "__main__":
    if sys.argv[1:] == ["sync"]:
        sync_environment()
        print(f"environment.yml pinned to {LOCK.name}")
    elif sys.argv[1:] == ["check"]:
        found = pyproject_problems() + environment_problems()
        print("\n".join(found) or "lock in step with pyproject.toml and environment.yml")
        sys.exit(1 if found else 0)
    else:
        sys.exit("usage: python -m reportlib.render.lockfile sync|check")
