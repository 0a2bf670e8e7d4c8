"""The words the tables may use: enumerations, the id pattern, the tables, whitespace."""

from __future__ import annotations

import re

ID_PATTERN = r"[a-z0-9][a-z0-9-]*"
SOURCE_KINDS = ("national_notice", "provincial_notice", "proposal_reply")
LOCALITY_LEVELS = ("city", "county", "district")
REGION_LEVELS = ("province", "city")
FRAMEWORK_KINDS = ("task", "safeguard")
QUALIFIERS = ("exact", "at_least", "more_than", "about", "at_most")
PERIODS = ("once", "per_year")
NORMALISE = ("none", "per_school", "per_1000_students", "per_teacher", "share")
FACT_KINDS = ("achievement", "plan", "target")
#: What a figure counts over, read from its quote: a stock at a date (存量, 现有), a total
#: to date with no start (累计, 至今), a flow per year (每年, 年均), a total over a stated
#: period (2022至2024年, 近三年), one event or allocation (一次大赛, 2024年拿出10万元),
#: or a rate or average (每周1课时, 平均每所1名).
FACT_BASES = ("stock", "cumulative", "per_year", "period", "event", "rate")
MILESTONE_KINDS = ("policy", "designation", "contest", "launch", "training", "deadline")
BOOLEANS = ("true", "false")

#: Table name → the column holding its ids, in load order.
TABLES: dict[str, str] = {
    "sources": "source_id",
    "regions": "region_id",
    "localities": "locality_id",
    "framework": "task_id",
    "targets": "target_id",
    "indicators": "indicator_id",
    "facts": "fact_id",
    "measures": "measure_id",
    "milestones": "milestone_id",
    "commitments": "commitment_id",
    "challenges": "challenge_id",
}

#: Every whitespace character a source may put between characters (incl. U+3000, NBSP).
#: Literal characters, not escapes, so any regex engine reads the class the same way.
WHITESPACE_RE = "[\t\n\v\f\r \u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+"
_WHITESPACE = re.compile(WHITESPACE_RE)

#: Tables a report cannot do without: cut to their header, they are an error.
REQUIRED_ROWS = ("sources", "localities", "framework", "indicators", "facts")


def strip_whitespace(text: str) -> str:
    """``text`` without any whitespace: how quotes are compared with sources."""
    return _WHITESPACE.sub("", text)
