"""``reportlib verify REPORT.pdf|.html``: was this report made from that code and data?

Reads the report's provenance (:mod:`reportlib.render.provenance`), compares what it names with
what is at hand (the commit in the repository, the data tables, the source texts, the lock,
the fonts), and when all of that matches rebuilds the report from the recorded commit in a
temporary git worktree with the recorded parameters and compares the bytes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlib import paths
from reportlib.errors import ReportlibError
from reportlib.render import provenance

__all__ = [
    "EXIT_COMMIT_MISSING",
    "EXIT_DATA_CHANGED",
    "EXIT_FONTS_DIFFER",
    "EXIT_LOCK_CHANGED",
    "EXIT_NOT_COMMITTED",
    "EXIT_OUTPUT_DIFFERS",
    "EXIT_REPRODUCED",
    "Verdict",
    "verify",
]

# Exit codes a script can use; when several things differ, the first in this order is given.
EXIT_REPRODUCED = 0
EXIT_COMMIT_MISSING = 3
EXIT_NOT_COMMITTED = 4
EXIT_DATA_CHANGED = 5
EXIT_LOCK_CHANGED = 6
EXIT_FONTS_DIFFER = 7
EXIT_OUTPUT_DIFFERS = 8


@dataclass
class Verdict:
    """What verification found: ``differences`` as (exit code, message), first = most basic."""

    report: Path
    record: dict[str, Any]
    differences: list[tuple[int, str]] = field(default_factory=list)
    rebuilt: bool = False

    @property
    def exit_code(self) -> int:
        return min((code for code, _ in self.differences), default=EXIT_REPRODUCED)

    def summary(self) -> str:
        if not self.differences:
            return f"reproduced: identical bytes ({self.report.name})"
        lines = [f"not reproduced: {self.report.name}"]
        lines += [f"  - {message}" for _, message in sorted(self.differences)]
        return "\n".join(lines)


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)


def _check_inputs(record: dict[str, Any], repo: Path, data: Path, sources: Path) -> list:
    found: list[tuple[int, str]] = []
    commit = record.get("git_commit", "unknown")
    if _git(repo, "cat-file", "-e", f"{commit}^{{commit}}").returncode != 0:
        found.append((EXIT_COMMIT_MISSING, f"commit not found: {commit} is not in {repo}"))
    if not record.get("git_clean"):
        found.append(
            (EXIT_NOT_COMMITTED, f"made from uncommitted changes on {commit}: cannot be rebuilt")
        )
    have, had = provenance.table_hashes(data), record.get("tables", {})
    changed = sorted(t for t in set(have) | set(had) if have.get(t) != had.get(t))
    if changed:
        names = ", ".join(f"{t} ({t}.csv)" for t in changed)
        found.append((EXIT_DATA_CHANGED, f"data changed: {names} in {data}"))
    if provenance.sources_hash(sources) != record.get("sources_sha256"):
        found.append((EXIT_DATA_CHANGED, f"source texts changed in {sources}"))
    lock = repo / provenance.LOCK_FILE
    lock_hash = provenance.file_sha256(lock) if lock.exists() else "none"
    if lock_hash != record.get("lock_sha256"):
        found.append((EXIT_LOCK_CHANGED, f"lock changed: {lock} is not the one recorded"))
    found += _check_fonts(record)
    return found


def _check_fonts(record: dict[str, Any]) -> list[tuple[int, str]]:
    from reportlib.render.fonts import find_cjk_font

    font = find_cjk_font()
    have = [("regular", font.path)] + ([("bold", font.bold_path)] if font.bold_path else [])
    now = [(role, p.name, provenance.file_sha256(p)) for role, p in have]
    was = [(f["role"], f["file"], f["sha256"]) for f in record.get("fonts", [])]
    if now == was and font.source == record.get("font_source"):
        return []
    return [(EXIT_FONTS_DIFFER, f"fonts differ: recorded {was}, here ({font.source}) {now}")]


def _rebuild(record: dict[str, Any], repo: Path, data: Path, sources: Path, tmp: Path) -> Path:
    """Render the recorded report from the recorded commit; the path of the new file."""
    tree = tmp / "tree"
    done = _git(repo, "worktree", "add", "--detach", str(tree), record["git_commit"])
    if done.returncode != 0:
        raise ReportlibError(f"git worktree add failed: {done.stderr.strip()}")
    try:
        params = record["parameters"]
        cmd = [sys.executable, "-m", "reportlib", "render", params["locality"]]
        cmd += ["--data", str(data), "--sources", str(sources), "--as-of", params["as_of"]]
        cmd += ["--out", str(tmp / "out"), "--build", str(tmp / "build")]
        cmd += ["--route", record.get("route", "auto")]
        env = dict(os.environ, PYTHONPATH=str(tree / "src"))
        if params.get("source_date_epoch"):
            env["SOURCE_DATE_EPOCH"] = str(params["source_date_epoch"])
        else:
            env.pop("SOURCE_DATE_EPOCH", None)
        run = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, check=False)
        if run.returncode != 0:
            raise ReportlibError(f"rebuilding the report failed: {run.stderr.strip()[-2000:]}")
    finally:
        _git(repo, "worktree", "remove", "--force", str(tree))
    return tmp / "out" / params["locality"]


def verify(
    report: str | os.PathLike[str],
    repo: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    sources_dir: str | os.PathLike[str] | None = None,
) -> Verdict:
    """Check ``report`` (a .pdf or .html) against the repository and data at hand."""
    report = Path(report).resolve()
    record = provenance.read(report)
    repo = Path(repo).resolve() if repo else paths.PROJECT_ROOT
    data = Path(data_dir).resolve() if data_dir else repo / "data"
    sources = paths.sources_dir(sources_dir)
    verdict = Verdict(report, record, _check_inputs(record, repo, data, sources))
    if verdict.differences:  # a rebuild could not give the same bytes: say why instead
        return verdict
    with tempfile.TemporaryDirectory(prefix="reportlib-verify-") as tmp:
        folder = _rebuild(record, repo, data, sources, Path(tmp))
        new = folder / f"{record['parameters']['locality']}{report.suffix.lower()}"
        verdict.rebuilt = True
        if not new.exists() or new.read_bytes() != report.read_bytes():
            verdict.differences.append(
                (EXIT_OUTPUT_DIFFERS, "output differs: the rebuilt report has other bytes")
            )
    return verdict
