"""`reportlib verify`: a fresh report is reproduced byte for byte; an edited fact is named.

The project is copied into a throw-away git repository and committed, so that the report is
made from a clean commit whatever the state of the working tree running the tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reportlib import cli, paths
from reportlib.render import verify

ROOT = paths.PROJECT_ROOT


def _git(repo: Path, *args: str) -> str:
    cmd = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args]
    return subprocess.run(cmd, cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(repository, sources folder, a copy of the Huli PDF made from its commit)."""
    sources = paths.sources_dir()
    if not sources.is_dir():
        pytest.skip(f"source texts not at {sources}")
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs git and a git checkout of the project")
    repo = tmp_path_factory.mktemp("repo")
    for name in _git(ROOT, "ls-files", "-co", "--exclude-standard").splitlines():
        src = ROOT / name
        if src.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, repo / name)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "snapshot")
    out = tmp_path_factory.mktemp("out")
    cmd = [sys.executable, "-m", "reportlib", "render", "huli", "--sources", str(sources)]
    cmd += ["--out", str(out), "--build", str(tmp_path_factory.mktemp("build"))]
    env = dict(os.environ, PYTHONPATH=str(repo / "src"))
    env.pop("SOURCE_DATE_EPOCH", None)
    subprocess.run(cmd, cwd=repo, env=env, check=True, capture_output=True)
    elsewhere = tmp_path_factory.mktemp("sent") / "湖里区报告.pdf"  # copied and renamed
    shutil.copy(out / "huli" / "huli.pdf", elsewhere)
    shutil.copy(out / "huli" / "huli.html", elsewhere.with_suffix(".html"))
    return repo, sources, elsewhere


def test_pdf_and_html_carry_the_provenance(rendered) -> None:
    import hashlib

    from pypdf import PdfReader

    from reportlib.render import provenance

    repo, _, pdf = rendered
    keywords = PdfReader(pdf).metadata["/Keywords"]
    assert keywords.startswith('reportlib-provenance:{"format":"reportlib-provenance/1"')
    record = provenance.read(pdf)
    assert provenance.read(pdf.with_suffix(".html")) == record

    def sha(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

    assert list(record)[:4] == ["format", "reportlib", "git_commit", "git_clean"]
    assert record["parameters"] == {"locality": "huli", "as_of": record["as_of"]}
    assert record["tables"]["facts"] == sha(repo / "data" / "facts.csv")
    assert record["lock_sha256"] == sha(repo / "requirements.lock")
    assert record["font_source"] == "package"
    assert [f["role"] for f in record["fonts"]] == ["regular", "bold"]


def test_fresh_report_is_reproduced(rendered) -> None:
    repo, sources, pdf = rendered
    verdict = verify.verify(pdf, repo=repo, sources_dir=sources)
    assert verdict.summary() == "reproduced: identical bytes (湖里区报告.pdf)"
    assert verdict.exit_code == verify.EXIT_REPRODUCED and verdict.rebuilt
    assert verdict.record["git_clean"] is True
    assert verdict.record["git_commit"] == _git(repo, "rev-parse", "HEAD").strip()


def test_edited_fact_is_named(rendered, capsys) -> None:
    repo, sources, pdf = rendered
    facts_csv = repo / "data" / "facts.csv"
    lines = facts_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(",", ", ", 1)  # one fact's row edited
    facts_csv.write_text("".join(lines), encoding="utf-8")
    argv = ["verify", str(pdf), "--repo", str(repo), "--sources", str(sources)]
    assert cli.main(argv) == verify.EXIT_DATA_CHANGED
    out = capsys.readouterr().out
    assert "not reproduced" in out and "data changed: facts (facts.csv)" in out
    assert "commitments" not in out


def test_unknown_commit_is_reported(rendered, tmp_path) -> None:
    _, sources, pdf = rendered
    other = tmp_path / "other"
    other.mkdir()
    _git(other, "init", "-q")
    verdict = verify.verify(pdf, repo=other, data_dir=ROOT / "data", sources_dir=sources)
    assert verdict.exit_code == verify.EXIT_COMMIT_MISSING
    assert "commit not found" in verdict.summary()
