"""Personal data in a text: telephone numbers and the names of contacts, members, students.

One detector for the whole package: validation refuses a data cell holding any (reports
carry no personal data, and contacts are not facts), and intake drops every draft that
touches one. Only where they are is kept (spans and a kind), never what they say.

A number is personal when it looks like a telephone number: an 11-digit mobile number, or
7–8 digits (with an area code) shortly after 电话, 联系, 手机, 传真 or Tel; plain counts such as
1621477 are not. A name is personal after 联系人, 签发人, 负责人, 经办人 or 领导 and a colon,
after 联系人/签发人 and a space, before 委员/代表 at the start of a line (a letter to a
member of a congress), or beside 学生/同学 and 获 (a pupil who won a prize). Whatever follows
联系电话, 电话 or 手机 and a colon is a contact, even a name (电话：李老师); without the colon,
"联系人制度" or "电话会议" are ordinary words.
"""

from __future__ import annotations

import re
from collections import Counter

_NAME = r"[\u4e00-\u9fff·]{2,4}"
_CONTACT_WORDS = r"(?:联系人|签发人|联系电话|电话|手机)\s*[：:]\s*"

#: (kind, pattern): what a match is, and where (its first group, else the whole match).
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("telephone", re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")),
    (
        "telephone",
        re.compile(
            r"(?:电话|手机|传真|Tel|TEL)\s*[：:]?\s*((?:\(?0\d{2,3}\)?[-\s]?)?\d{7,8})(?!\d)"
        ),
    ),
    (
        "telephone",
        re.compile(r"(?:电话|联系|手机|[Tt][Ee][Ll])\D{0,8}?((?:0\d{2,3}[-－—\s]?)?\d{7,8})(?!\d)"),
    ),
    ("telephone", re.compile(_CONTACT_WORDS + r"([(（]?\d(?:[-－—()（）\s]?\d)*)")),
    ("contact name", re.compile(rf"(?:联系人|签发人|负责人|领导|经办人)\s*[：:]\s*({_NAME})")),
    ("contact name", re.compile(_CONTACT_WORDS + rf"({_NAME}|[^\d\s(（])")),
    ("contact name", re.compile(rf"(?:联系人|签发人)\s+({_NAME})")),
    ("member name", re.compile(rf"(?m)^\s*(?:尊敬的)?({_NAME}?)(?:委员|代表)\s*[：:，,]")),
    (
        "student name",
        re.compile(rf"({_NAME}(?:、{_NAME})*)[，,]?\s*\d*\s*名?(?:同学|学生)(?:喜获|获得|荣获|获)"),
    ),
    ("student name", re.compile(rf"(?:学生|同学)\s*({_NAME})(?:喜获|获得|荣获|获)")),
)


def find(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every piece of personal data in ``text``, in text order.

    Where two patterns find the same piece (or overlapping parts of it) as the same kind,
    it is one piece, spanning both.
    """
    spans: list[tuple[int, int, str]] = []
    for kind, pattern in PATTERNS:
        group = 1 if pattern.groups else 0
        for match in pattern.finditer(text):
            if match.group(group):
                spans.append((match.start(group), match.end(group), kind))
    return _merged(sorted(spans))


def _merged(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Sorted spans with the overlapping ones of one kind joined."""
    out: list[tuple[int, int, str]] = []
    last: dict[str, int] = {}  # kind → index in out of its latest span
    for start, end, kind in spans:
        i = last.get(kind)
        if i is not None and start < out[i][1]:
            out[i] = (out[i][0], max(end, out[i][1]), kind)
            continue
        last[kind] = len(out)
        out.append((start, end, kind))
    return sorted(out)


def contains(text: str) -> bool:
    """Whether ``text`` holds any personal data."""
    return any(pattern.search(text) for _, pattern in PATTERNS)


def overlaps(spans: list[tuple[int, int, str]], start: int, end: int) -> str | None:
    """The kind of a span that overlaps [start, end), if any."""
    for a, b, kind in spans:
        if a < end and start < b:
            return kind
    return None


def counts(spans: list[tuple[int, int, str]]) -> Counter[str]:
    """How many spans of each kind."""
    return Counter(kind for _, _, kind in spans)
