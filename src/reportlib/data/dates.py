"""Partial ISO dates (``2025``, ``2025-06``, ``2025-06-04``) and periods (``2022/2024``).

The data gives a date as precisely as its source does: a year, a month or a day. This is
the one place that reads such a date: ``parse`` (None when the text is not one),
``start``/``end`` (the first and last day it covers), ``precision``, ``period_bounds``
for a date or a period ``START/END``, and ``day`` for a full date such as a report date.
The schema accepts exactly what ``parse`` reads; analysis and rendering rely on that. How
a date is shown in Chinese is the document layer's business
(``document.display.display_date``).
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

Precision = Literal["year", "month", "day"]

_PARTIAL = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_EXPECTED = "expected YYYY, YYYY-MM, YYYY-MM-DD or a period START/END"


@dataclass(frozen=True)
class PartialDate:
    """A year, a month of a year, or a day; ``month``/``day`` are None where not given."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        """``year``, ``month`` or ``day``: how much the date says."""
        if self.day is not None:
            return "day"
        return "year" if self.month is None else "month"

    @property
    def parts(self) -> tuple[int, ...]:
        """The given fields: (year,), (year, month) or (year, month, day)."""
        given = (self.year, self.month, self.day)
        return tuple(p for p in given if p is not None)

    @property
    def start(self) -> date:
        """The first day the date covers."""
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def end(self) -> date:
        """The last day the date covers (``2024`` → 2024-12-31, ``2024-02`` → 2024-02-29)."""
        if self.month is None:
            return date(self.year, 12, 31)
        if self.day is None:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, self.month, self.day)


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> PartialDate | None:
    """The partial date ``text`` writes (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``), or None.

    None also for a date that does not exist (``2025-02-30``, ``2025-13``). The cache
    keeps the many repeats of a column (every commitment due ``2025``) cheap.
    """
    match = _PARTIAL.fullmatch(text)
    if match is None:
        return None
    parts = [int(g) for g in match.groups() if g is not None]
    try:
        date(*parts, *[1] * (3 - len(parts)))  # month 00, day 30 of February: no such date
    except ValueError:
        return None
    return PartialDate(*parts)


def start(text: str) -> date | None:
    """The first day a partial date covers, or None when ``text`` is not one."""
    found = parse(text)
    return None if found is None else found.start


def end(text: str) -> date | None:
    """The last day a partial date covers, or None when ``text`` is not one."""
    found = parse(text)
    return None if found is None else found.end


def precision(text: str) -> Precision | None:
    """``year``, ``month`` or ``day`` for a partial date, None when ``text`` is not one."""
    found = parse(text)
    return None if found is None else found.precision


def period_bounds(text: str) -> tuple[date, date]:
    """First and last day of a partial date, or of a period ``START/END`` (``2022/2024``).

    Raises ``ValueError`` naming the text and the forms expected.
    """
    first, slash, last = text.partition("/")
    lower, upper = parse(first), parse(last if slash else first)
    if lower is None or upper is None:
        raise ValueError(f"cannot read the partial date {text!r}; {_EXPECTED}")
    return lower.start, upper.end


def day(text: str) -> date:
    """The day ``YYYY-MM-DD`` writes (a report date); ``ValueError`` for anything else."""
    found = parse(text.strip())
    if found is None or found.precision != "day":
        raise ValueError(f"{text!r} is not a day; expected YYYY-MM-DD (e.g. 2025-08-31)")
    return found.start


def is_period(text: str) -> bool:
    """A partial date, or a period ``START/END`` whose start is not after its end."""
    try:
        first, last = period_bounds(text)
    except ValueError:
        return False
    return first <= last
