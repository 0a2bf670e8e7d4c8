"""How a figure reads in a report: its printed value, when it holds, its normalised rate,
an implied whole and its interval, a target's deadline. The values come from
:mod:`reportlib.analysis`; this module only words them.
"""

from __future__ import annotations

import math
from typing import Any

from reportlib import analysis as an
from reportlib.data import tables
from reportlib.document import display
from reportlib.document.sections.labels import DENOMINATOR_UNIT, DENOMINATOR_ZH


def fact_display(fact: Any) -> str:
    """The fact's printed value with qualifier and unit, as a reader expects it."""
    get = fact.get if hasattr(fact, "get") else lambda k, d=None: getattr(fact, k, d)
    if tables.blank(get("value_text")):
        # nothing printed (a named county counted as one): show the count we hold
        return f"{display.format_number(float(get('value')))}{tables.text(get('unit'))}"
    return display.display_value(
        tables.text(get("value_text")),
        tables.text(get("qualifier")),
        tables.text(get("unit")),
        tables.text(get("quote")),
    )


def fact_when(fact: Any) -> str:
    """When a figure holds, as the text gives it: ``近三年（约2022年至2024年）``.

    A relative period (近三年) keeps its wording and shows its reading as approximate; a
    figure the text does not date says so rather than taking the reply's date.
    """
    get = fact.get if hasattr(fact, "get") else lambda k, d=None: getattr(fact, k, d)
    as_of = tables.text(get("as_of"))
    relative = tables.text(get("period_text"))
    if not as_of:
        return "原文未注明"
    when = display.display_date(as_of)
    if relative:
        return f"{relative}（约{when}）"
    if tables.text(get("basis")) == "cumulative":
        return f"截至{when}累计"
    return when


def normalised_text(row: Any) -> str:
    """``每校2.16个`` or ``约占学校数的71%`` for a row of ``analysis.normalise``."""
    whole = DENOMINATOR_ZH.get(row["denominator"], row["denominator"])
    unit = DENOMINATOR_UNIT.get(row["denominator"], "")
    if row["normalise"] == "per_school" and row["unit"] == unit:
        # schools per school reads oddly: say what share of all schools that is
        return f"约占{whole}的{row['normalised'] * 100:.0f}%"
    label = display.NORMALISE_LABELS.get(row["normalise"], row["normalise"])
    return f"{label}{display.format_significant(row['normalised'])}{row['unit']}"


def whole_text(estimate: float, low: float, high: float) -> str:
    """An implied whole of things counted one by one: ``约320`` (never ``37.8``)."""
    whole = an.whole_count(estimate, low, high)
    return "—" if whole is None else f"约{display.format_number(whole)}"


def interval_text(low: float, high: float) -> str:
    """The whole numbers an implied whole may be: ``34至37``, ``34以上``."""
    first = math.ceil(low - 1e-9)
    if math.isinf(high):
        return f"{display.format_number(first)}以上"
    return f"{display.format_number(first)}至{display.format_number(math.floor(high + 1e-9))}"


def deadline_text(target: dict[str, Any]) -> str:
    """A target's deadline as the text words it (``2030年前``, ``2020年底``), else its date."""
    return tables.text(target.get("deadline_text")) or display.display_date(target.get("deadline"))
