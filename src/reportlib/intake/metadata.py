"""The proposed ``sources.csv`` row: title, issuer, 文号, dates, kind, proposal, session."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reportlib.data import dates

_HEAD_LINES = 20
_TAIL_LINES = 25
DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,10}\s*[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*\d+\s*号"
)
_FULL_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO_DATE = re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})")
#: A signing date that lost 年 and 日 (``202572`` = 2025-07-02): year, then month and day.
_RUN_DATE = re.compile(r"^\s*(20\d{2})(\d{2,4})\s*$")
_PUBLISHED = re.compile(r"(发布时间|发布日期|发文日期|印发)")
_PROPOSAL = re.compile(r"第\s*(\d+)\s*号")
_SESSION = re.compile(
    rf"([区县市省]?(?:政协|人大)[{'一二三四五六七八九十'}]+届[{'一二三四五六七八九十'}]+次会议)"
)
_ISSUER_HEAD = re.compile(r"^(.{2,30}?)\s*文件$")
_ISSUER_SOURCE = re.compile(r"来源[：:]\s*([\u4e00-\u9fff]{2,30}?)(?=发布|\s|$)")
_ISSUER_SIGN = re.compile(r"^([\u4e00-\u9fff]{2,30}(?:局|厅|委员会|委|办公室|部|中心|政府))$")
_TITLE = re.compile(r"(答复|复函|的函|通知|意见|办理情况)")


@dataclass
class SourceProposal:
    """A proposed sources.csv row and why each field was guessed."""

    row: dict[str, str]
    reasons: list[str] = field(default_factory=list)
    proposal_number: str = ""
    session: str = ""

    @property
    def year(self) -> int | None:
        date = self.row.get("written_date") or self.row.get("published_date") or ""
        return int(date[:4]) if date[:4].isdigit() else None


def _iso(y: str, m: str, d: str | None = None) -> str:
    """The ISO date of the numbers read, or "" when there is no such day (2025年2月30日)."""
    out = f"{int(y):04d}-{int(m):02d}"
    out = f"{out}-{int(d):02d}" if d else out
    return out if dates.parse(out) else ""


def run_date(digits: str) -> tuple[str, bool] | None:
    """``202572`` → (``2025-07-02``, unambiguous?); month and day split where both fit."""
    match = _RUN_DATE.match(digits)
    if not match:
        return None
    year, rest = match.groups()
    splits = [_iso(year, rest[:cut], rest[cut:]) for cut in (1, 2) if rest[cut:]]
    splits = [day for day in splits if day]
    if not splits:
        return None
    return splits[0], len(splits) == 1


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _title(head: list[str]) -> str:
    squeezed = [re.sub(r"\s+", "", line) for line in head]
    candidates = [line for line in squeezed if _TITLE.search(line) and len(line) <= 80]
    candidates = [c for c in candidates if not re.search("[：:]|收悉", c)]
    return candidates[0] if candidates else ""


def _issuer(head: list[str], tail: list[str]) -> str:
    for line in head:
        for pattern in (_ISSUER_HEAD, _ISSUER_SOURCE):
            match = pattern.search(line)
            if match:
                return re.sub(r"\s+", "", match.group(1))
    for line in reversed(tail):
        match = _ISSUER_SIGN.match(line)
        if match:
            return match.group(1)
    return ""


def _dates(text: str, head: list[str], tail: list[str]) -> tuple[str, str, list[str]]:
    """(written, published, reasons): the last date of the sign-off, a publishing date."""
    reasons: list[str] = []
    written = published = ""
    for line in reversed(tail):
        if _PUBLISHED.search(line):
            continue
        match = _FULL_DATE.search(line)
        if match and _iso(*match.groups()):
            written = _iso(*match.groups())
            break
        parsed = run_date(line)
        if parsed:
            written, certain = parsed
            reasons.append(
                f"written_date {written} read from '{line}' (年/月/日 missing"
                + ("" if certain else "; month/day split ambiguous: check")
                + ")"
            )
            break
    for line in head + tail:
        if _PUBLISHED.search(line):
            match = _FULL_DATE.search(line) or _ISO_DATE.search(line)
            if match and _iso(*match.groups()):
                published = _iso(*match.groups())
                break
    if published == written:
        published = ""
    return written, published, reasons


def _issuer_in_title(title: str) -> str:
    """``河南省教育厅关于…的通知`` → 河南省教育厅."""
    match = re.match(
        r"^([\u4e00-\u9fff]{2,20}?(?:厅|局|部|委员会|委|办公厅|办公室|政府))关于", title
    )
    return match.group(1) if match else ""


def _notice_kind(issuer: str) -> str:
    """A notice's kind from its issuer: a ministry's or the State Council's is national."""
    if re.match(r"(教育部|国务院|中共中央|国家)", issuer):
        return "national_notice"
    return "provincial_notice" if "省" in issuer else "national_notice"


def propose(text: str, locality_id: str, source_id: str, text_file: str) -> SourceProposal:
    """The sources.csv row proposed for a document, with a reason per guess."""
    lines = _lines(text)
    head, tail = lines[:_HEAD_LINES], lines[-_TAIL_LINES:]
    written, published, reasons = _dates(text, head, tail)
    doc = DOC_NUMBER.search("\n".join(head))
    title = _title(head)
    is_reply = bool(re.search(r"提案|建议|议案", title + "".join(head[:8])))
    issuer = _issuer(head, tail) or _issuer_in_title(title)
    kind = "proposal_reply" if is_reply else _notice_kind(issuer + title)
    proposal = _PROPOSAL.search(title) or _PROPOSAL.search("".join(head))
    session = _SESSION.search("".join(head))
    note_parts = []
    if proposal and is_reply:
        note_parts.append(f"提案第{proposal.group(1)}号")
    if session:
        note_parts.append(session.group(1))
    row = {
        "source_id": source_id,
        "title": title,
        "issuer": issuer,
        "doc_number": re.sub(r"\s+", "", doc.group(0)) if doc else "",
        "written_date": written or published,
        "published_date": published,
        "kind": kind,
        "scope": locality_id if is_reply else "",
        "locality_id": locality_id if is_reply else "",
        "text_file": text_file,
        "note": "；".join(note_parts),
    }
    if not is_reply:
        reasons.append(f"kind {kind} from the issuer; scope: national or the province slug")
    if not written and not published and doc:
        row["written_date"] = doc.group(1)
        reasons.append("no date printed: written_date is the year of the 文号")
    elif not written:
        reasons.append("no signing date found at the foot: written_date is the publishing date")
    return SourceProposal(
        row,
        reasons,
        proposal.group(1) if proposal and is_reply else "",
        session.group(1) if session else "",
    )
