"""How figures and dates read in a Chinese report (GB/T 15835 for numbers).

``display_value`` writes a sourced figure as a reader expects it (``4000多万元``,
``不少于16课时``), ``format_number``/``format_significant`` a computed one, and
``display_date`` a partial date or period (``2025年6月4日``, ``2022年至2024年``);
``NORMALISE_LABELS`` names each normalisation (``每校``).
"""

from __future__ import annotations

import math
import re
from typing import Any

from reportlib.data import dates
from reportlib.data.numbers import format_printed, format_quantity
from reportlib.data.tables import text

__all__ = [
    "NORMALISE_LABELS",
    "display_date",
    "display_value",
    "format_number",
    "format_significant",
]


NORMALISE_LABELS = {
    "per_school": "每校",
    "per_1000_students": "每千名学生",
    "per_teacher": "每名教师",
}


def display_value(value_text: str, qualifier: str, unit: str, quote: str = "") -> str:
    """A figure as a reader expects it (GB/T 15835): ``4000多万元``, ``不少于16课时``.

    The printed number is rewritten only where the source deviates from GB/T 15835
    (``14千余`` → ``1.4万余``, ``1621477`` → ``162.1万``); qualifier words come from the quote.
    """
    core = f"{format_printed(value_text)}{unit}"
    quote = (quote or "").replace(" ", "")
    if qualifier == "at_least":
        for word in ("不少于", "不低于", "至少"):
            if f"{word}{value_text}" in quote:
                return f"{word}{core}"
        return f"{core}以上"
    if qualifier == "more_than":
        return core if re.search("[多余]", value_text) else f"{core}多"
    if qualifier == "about":
        for word in ("近", "约"):
            if f"{word}{value_text}" in quote:
                return f"{word}{core}"
        return f"约{core}"
    if qualifier == "at_most":
        return f"不超过{core}"
    return core


def format_significant(value: float) -> str:
    """A computed ratio for prose: about three significant figures (258.7, 2.16, 0.0094)."""
    if value is None or math.isnan(value) or math.isinf(value):
        return "—"
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return format_quantity(round(value))
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.2g}"


def format_number(value: float, digits: int = 1) -> str:
    """A computed number for prose, as GB/T 15835 prints it (``numbers.format_quantity``)."""
    return format_quantity(value, digits)


def display_date(partial: Any) -> str:
    """A partial date or period in Chinese: ``2025年6月4日``, ``2024年11月``, ``2022年至2024年``.

    Text that is not a partial date (``dates.parse``) is shown as it is.
    """
    raw = text(partial)
    first, slash, last = raw.partition("/")
    if slash:
        return f"{display_date(first)}至{display_date(last)}"
    found = dates.parse(raw)
    if found is None:
        return raw
    return "".join(f"{p}{label}" for p, label in zip(found.parts, "年月日", strict=False))
