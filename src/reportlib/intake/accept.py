"""Merge the rows an analyst marked ``accept`` into ``data/``, or nothing at all.

The accepted rows are appended to a temporary copy of the data folder (aligned to each
data file's header, whatever columns it has now), the copy is validated with the source
text the intake wrote, and only when it is clean are the files replaced, each atomically.
A problem is reported against the draft file and line it came from.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from reportlib import paths
from reportlib.data import dataset as facts
from reportlib.errors import DataValidationError, Problem, ReportlibError
from reportlib.intake.pipeline import REVIEW_COLUMNS, TABLES


@dataclass(frozen=True)
class AcceptResult:
    """Rows merged per table, and draft tables skipped because ``data/`` has no such table."""

    merged: dict[str, int]
    skipped_tables: list[str]
    text_file: str | None


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        raise ReportlibError(f"{path}: empty file; expected a header row")
    return rows[0], rows[1:]


def _accepted(path: Path) -> tuple[list[dict[str, str]], list[int], list[Problem]]:
    """Accepted rows of a draft CSV, their line numbers, and rows with no valid mark."""
    head, rows = _read(path)
    if "review" not in head:
        return [], [], [Problem(str(path), 1, "review", None, "a review column")]
    out, lines, problems = [], [], []
    for n, cells in enumerate(rows, start=2):
        row = dict(zip(head, cells, strict=False))
        mark = row.get("review", "").strip().lower()
        if mark not in ("draft", "accept", "reject", ""):
            problems.append(Problem(str(path), n, "review", mark, "draft, accept or reject"))
        elif mark == "accept":
            out.append(row)
            lines.append(n)
    return out, lines, problems


def _append(data_file: Path, rows: list[dict[str, str]], draft: Path) -> list[Problem]:
    """Append rows to ``data_file`` by its header; a filled column it lacks is a problem."""
    head, _ = _read(data_file)
    problems = []
    for row in rows:
        for column, value in row.items():
            if column not in head and column not in REVIEW_COLUMNS and value.strip():
                problems.append(
                    Problem(str(draft), None, column, value, f"a column of {data_file.name}")
                )
    text = data_file.read_text(encoding="utf-8")
    if text and not text.endswith("\n"):
        text += "\n"
    with data_file.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)
        csv.writer(handle, lineterminator="\n").writerows(
            [[row.get(c, "") for c in head] for row in rows]
        )
    return problems


def accept(
    draft_dir: str | Path,
    data_dir: str | Path | None = None,
    sources_dir: str | Path | None = None,
) -> AcceptResult:
    """Merge accepted draft rows into the data folder; raise with every problem otherwise."""
    drafts = Path(draft_dir)
    data = paths.data_dir(data_dir)
    sources = paths.sources_dir(sources_dir)
    problems: list[Problem] = []
    merged: dict[str, int] = {}
    skipped: list[str] = []
    origin: dict[tuple[str, int], tuple[Path, int]] = {}  # (table, data line) → draft line
    with tempfile.TemporaryDirectory(prefix="accept-") as tmp:
        stage, texts = Path(tmp) / "data", Path(tmp) / "sources"
        shutil.copytree(data, stage)
        texts.mkdir()
        for table in TABLES:
            draft = drafts / f"{table}.csv"
            if not draft.is_file():
                continue
            rows, lines, bad = _accepted(draft)
            problems += bad
            if not rows:
                continue
            target = stage / f"{table}.csv"
            if not target.is_file():
                skipped.append(table)
                continue
            first = len(_read(target)[1]) + 2
            problems += _append(target, rows, draft)
            for i, line in enumerate(lines):
                origin[(f"{table}.csv", first + i)] = (draft, line)
            merged[table] = len(rows)
        text_file = _stage_texts(drafts, stage, sources, texts)
        problems += [_relocate(p, origin) for p in facts.validate(stage, texts)]
        if problems:
            raise DataValidationError(problems)
        pairs = [(stage / f"{table}.csv", data / f"{table}.csv") for table in merged]
        if text_file:  # bytes as the intake wrote them: quotes are checked against them
            pairs.insert(0, (texts / text_file, sources / text_file))
        _replace_all(pairs)
    return AcceptResult(merged, skipped, text_file)


def _replace_all(pairs: list[tuple[Path, Path]]) -> None:
    """Copy every staged file next to its target first, then rename them all in one go.

    Each rename is atomic; doing them only after every copy succeeded keeps the window in
    which some files are new and others old down to a few system calls.
    """
    partials: list[tuple[Path, Path]] = []
    try:
        for staged, target in pairs:
            partial = target.with_name(f".{target.name}.accept.tmp")
            shutil.copyfile(staged, partial)
            partials.append((partial, target))
    except BaseException:
        for partial, _ in partials:
            partial.unlink(missing_ok=True)
        raise
    for partial, target in partials:
        partial.replace(target)


def _stage_texts(drafts: Path, stage: Path, sources: Path, texts: Path) -> str | None:
    """Put every source text the staged data names beside it (old ones and the intake's new one).

    Hard links (copies across file systems), never symlinks: validation refuses a text that
    is a link leading out of the sources folder. A name that is not a plain file name is
    left for validation to refuse.
    """
    new = None
    head, rows = _read(stage / "sources.csv")
    column = head.index("text_file") if "text_file" in head else None
    for row in rows:
        name = row[column] if column is not None and column < len(row) else ""
        if not name or Path(name).name != name or (texts / name).exists():
            continue
        if (drafts / name).is_file() and not (sources / name).is_file():
            shutil.copyfile(drafts / name, texts / name)
            new = name
        elif (sources / name).is_file():
            try:
                os.link(sources / name, texts / name)
            except OSError:  # another file system, or links not allowed
                shutil.copyfile(sources / name, texts / name)
    return new


def _relocate(problem: Problem, origin: dict[tuple[str, int], tuple[Path, int]]) -> Problem:
    """A problem in a merged row, pointed at the draft file and line it came from."""
    where = origin.get((problem.file, problem.line or -1))
    if where is None:
        return problem
    return Problem(str(where[0]), where[1], problem.field, problem.value, problem.expected)
