"""Intake of one document or many: text, metadata, drafts, review page and log in a folder."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from reportlib import paths
from reportlib.intake import extract, locators, metadata, records, review

REVIEW_COLUMNS = ["review", "reason"]
#: Draft tables in the order they are written and merged.
TABLES = (
    "sources",
    "localities",
    "indicators",
    "facts",
    "milestones",
    "commitments",
    "measures",
    "challenges",
)
_LEVELS = {"县": "county", "区": "district", "市": "city", "旗": "county"}
_BUREAU = re.compile(r"(教育局|教体局|教育和体育局|教育体育局|教育委员会|教委|教育厅)$")


@dataclass(frozen=True)
class IntakeResult:
    """What one intake wrote: the folder, the source id and rows per draft table."""

    out_dir: Path
    source_id: str
    text_file: Path
    counts: dict[str, int]
    personal: dict[str, int]
    dropped_personal: int


def write_atomic(path: Path, data: str) -> None:
    """Write the text ``data`` to ``path`` as UTF-8, atomically (:func:`paths.atomic_write`)."""
    paths.atomic_write(path, data.encode("utf-8"))


def header(data_dir: Path, table: str, rows: list[dict[str, str]]) -> list[str]:
    """The columns of ``data/<table>.csv`` (its header as it is now), else the rows' keys."""
    path = data_dir / f"{table}.csv"
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as handle:
            return next(csv.reader(handle))
    return list(dict.fromkeys(k for row in rows for k in row if k not in REVIEW_COLUMNS))


def to_csv(columns: list[str], rows: list[dict[str, str]]) -> str:
    """Rows as CSV text with ``columns`` then review and reason."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns + REVIEW_COLUMNS)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns + REVIEW_COLUMNS])
    return buffer.getvalue()


def _read(data_dir: Path, table: str) -> pd.DataFrame:
    path = data_dir / f"{table}.csv"
    if not path.is_file():
        return pd.DataFrame()
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _locality_row(localities: pd.DataFrame, locality: str, issuer: str) -> dict[str, str] | None:
    if not localities.empty and locality in set(localities["locality_id"]):
        return None
    name = _BUREAU.sub("", issuer)
    return {
        "locality_id": locality,
        "name_zh": name,
        "name_en": "",
        "level": _LEVELS.get(name[-1:], "") if name else "",
        "policy_scopes": "national",
        "review": "draft",
        "reason": "new locality: name and level from the issuer; fill name_en, province, "
        "province_zh, parent and policy_scopes",
    }


def _reply_milestone(proposal: metadata.SourceProposal, locality: str) -> dict[str, str] | None:
    """The reply itself as a dated event, quoting its title."""
    row = proposal.row
    if row["kind"] != "proposal_reply" or not row["written_date"] or not row["title"]:
        return None
    number = f"第{proposal.proposal_number}号" if proposal.proposal_number else ""
    return {
        "milestone_id": f"{locality}-{row['written_date']}-reply",
        "locality_id": locality,
        "scope": locality,
        "date": row["written_date"],
        "kind": "policy",
        "description_zh": f"{row['issuer']}答复{proposal.session}{number}提案",
        "source_id": row["source_id"],
        "locator": "标题",
        "quote": row["title"],
        "review": "draft",
        "reason": "the reply itself, dated by its signature",
    }


def _default_scope(localities: pd.DataFrame, locality: str, issuer: str) -> str:
    level = ""
    if not localities.empty and locality in set(localities["locality_id"]):
        level = localities.set_index("locality_id").at[locality, "level"]
    else:
        level = _LEVELS.get(_BUREAU.sub("", issuer)[-1:], "")
    return records._LEVEL_SCOPE.get(level, "")


def intake_file(
    path: str | Path,
    locality: str,
    source_id: str | None = None,
    out_dir: str | Path | None = None,
    data_dir: str | Path | None = None,
) -> IntakeResult:
    """Draft records from one document into ``out_dir`` (default ``build/intake/<stem>``)."""
    path = Path(path)
    data = paths.data_dir(data_dir)
    out = Path(out_dir) if out_dir else paths.build_dir() / "intake" / path.stem
    got = extract.extract(path)
    text_name = f"{locality}_{got.digest[:16]}.txt"
    proposal = metadata.propose(got.text, locality, source_id or "", text_name)
    year = proposal.year or 0
    kind = "reply" if proposal.row["kind"] == "proposal_reply" else "notice"
    sid = source_id or f"{locality}-{year}-{kind}"
    proposal.row["source_id"] = sid
    localities = _read(data, "localities")
    ctx = records.Context(
        locality_id=locality,
        source_id=sid,
        written_date=proposal.row["written_date"] or str(year or ""),
        indicators=_read(data, "indicators"),
        tasks=list(_read(data, "framework").get("task_id", [])) or list(records.TASK_KEYWORDS),
        default_scope=_default_scope(localities, locality, proposal.row["issuer"]),
    )
    doc = locators.parse(got.text)
    drafts = records.draft(doc, ctx)
    reasons = list(proposal.reasons) + (
        ["text converted from traditional characters"] if got.traditional else []
    )
    drafts.tables["sources"] = [
        proposal.row | {"review": "draft", "reason": "; ".join(reasons) or "from the letterhead"}
    ]
    reply = _reply_milestone(proposal, locality)
    if reply:
        drafts.tables.setdefault("milestones", []).append(reply)
    new_locality = _locality_row(localities, locality, proposal.row["issuer"])
    if new_locality:
        drafts.tables["localities"] = [new_locality]
    write_atomic(out / text_name, got.text)
    for table in TABLES:
        rows = drafts.tables.get(table, [])
        if rows or table in ("facts", "sources"):
            write_atomic(out / f"{table}.csv", to_csv(header(data, table, rows), rows))
    write_atomic(out / "review.html", review.page(doc, drafts, sid, path.name))
    counts = {t: len(drafts.tables.get(t, [])) for t in TABLES if drafts.tables.get(t)}
    result = IntakeResult(
        out, sid, out / text_name, counts, dict(drafts.personal), drafts.dropped_personal
    )
    write_atomic(out / "intake.log", log_text(path, result, drafts, got))
    return result


def log_text(
    path: Path, result: IntakeResult, drafts: records.Drafts, got: extract.Extracted
) -> str:
    """The intake log: counts per record kind, personal data dropped, numbers passed over."""
    lines = [
        f"intake {path.name} ({got.fmt}) → {result.out_dir}",
        f"source_id {result.source_id}",
        f"text {result.text_file.name} ({len(got.text)} characters)",
    ]
    lines += [f"drafted {table}: {n}" for table, n in result.counts.items()]
    personal = ", ".join(f"{k} {v}" for k, v in sorted(result.personal.items())) or "none"
    lines.append(
        f"personal data found (never drafted): {personal}; "
        f"{result.dropped_personal} draft(s) dropped for touching it"
    )
    skipped = ", ".join(f"{k} {v}" for k, v in sorted(drafts.skipped.items())) or "none"
    lines.append(f"numbers passed over: {skipped}")
    return "\n".join(lines) + "\n"


def run(
    files: list[str | Path],
    locality: str,
    source_id: str | None = None,
    out_dir: str | Path | None = None,
    data_dir: str | Path | None = None,
    progress: bool | None = None,
) -> list[IntakeResult]:
    """Intake every file; with more than one, each gets ``out_dir/<file stem>`` and a bar."""
    from tqdm import tqdm

    docs = [Path(f) for f in files]
    many = len(docs) > 1
    show = progress if progress is not None else many
    results = []
    for i, file in enumerate(tqdm(docs, desc="intake", unit="file", disable=not show)):
        out = Path(out_dir) / file.stem if (out_dir and many) else out_dir
        sid = f"{source_id or locality + '-doc'}-{i + 1:03d}" if many else source_id
        results.append(intake_file(file, locality, sid, out, data_dir))
    return results
