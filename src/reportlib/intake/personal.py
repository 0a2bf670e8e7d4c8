"""Personal data in a text: telephone numbers and the names of contacts, members, students.

Only where they are is kept (spans and a category), never what they say: drafts that
touch a span are dropped and the log counts them by category.
"""

from __future__ import annotations

import re
from collections import Counter

_NAME = r"[\u4e00-\u9fff·]{2,4}"
_PATTERNS = (
    ("telephone", re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")),
    (
        "telephone",
        re.compile(
            r"(?:电话|手机|传真|Tel|TEL)\s*[：:]?\s*((?:\(?0\d{2,3}\)?[-\s]?)?\d{7,8})(?!\d)"
        ),
    ),
    ("contact name", re.compile(rf"(?:联系人|签发人|负责人|领导|经办人)\s*[：:]\s*({_NAME})")),
    ("member name", re.compile(rf"(?m)^\s*(?:尊敬的)?({_NAME}?)(?:委员|代表)\s*[：:，,]")),
    (
        "student name",
        re.compile(rf"({_NAME}(?:、{_NAME})*)[，,]?\s*\d*\s*名?(?:同学|学生)(?:喜获|获得|荣获|获)"),
    ),
    ("student name", re.compile(rf"(?:学生|同学)\s*({_NAME})(?:喜获|获得|荣获|获)")),
)


def find(text: str) -> list[tuple[int, int, str]]:
    """(start, end, category) of every piece of personal data in ``text``."""
    spans: list[tuple[int, int, str]] = []
    for category, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            group = 1 if pattern.groups else 0
            if match.group(group):
                spans.append((match.start(group), match.end(group), category))
    return sorted(spans)


def overlaps(spans: list[tuple[int, int, str]], start: int, end: int) -> str | None:
    """The category of a span that overlaps [start, end), if any."""
    for a, b, category in spans:
        if a < end and start < b:
            return category
    return None


def counts(spans: list[tuple[int, int, str]]) -> Counter[str]:
    """How many spans of each category."""
    return Counter(category for _, _, category in spans)
