"""A table cell's text and the layout rules for table columns (dates, widths)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from reportlib.document.blocks.escape import escape_html


def cell_text(value: Any) -> str:
    """A value as a table cell prints it: blank for None and NaN, whole floats without a
    decimal point, lists joined with ``；``."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.6f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple)):
        return "；".join(cell_text(v) for v in value)
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


#: Width of a table row in half-width characters at the PDF's table font size (A4 text width).
_ROW_UNITS = 100
#: Columns whose content fits in this many half-width characters keep their natural width.
_SHORT_COLUMN = 16


_DATE = r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?[底前后起]{0,2}|\d{4}-\d{2}(?:-\d{2})?"
#: A table cell that is a date or a date range ("2024年11月18日", "2022年至2024年",
#: "截至2025年6月累计"): it is kept on one line, in both formats, rather than wrapped after
#: "2024年".
_DATE_CELL = re.compile(rf"(?:约|截至)?(?:{_DATE})(?:(?:至|—|–|-|~)(?:{_DATE}))?(?:累计)?")


#: Characters up to which an HTML table cell is kept on one line.
_SHORT_CELL = 7


def is_date(text: str) -> bool:
    """Whether ``text`` is a date or a date range (kept on one line in both formats)."""
    return _DATE_CELL.fullmatch(text.strip()) is not None


def html_cell(text: str, align: str) -> str:
    """A cell's escaped text; dates and short names ("河南省", "证据等级") kept on one line,
    which a narrow column would otherwise break mid-word (the table scrolls instead)."""
    shown = escape_html(text)
    short = align != "right" and 0 < len(text) <= _SHORT_CELL and " " not in text
    if is_date(text) or short:
        return f'<span class="nowrap">{shown}</span>'
    return shown


def column_shares(longest: Sequence[int]) -> list[int]:
    """Dash counts for a pipe table's separator: relative column widths in Pandoc.

    Short columns (numbers, units, dates, statuses) get their natural width so they do not
    wrap one character per line; long text columns share the rest of the row, in proportion
    to their length, with at least 10 units each.
    """
    natural = [max(w, 4) + 3 for w in longest]  # + 3: cell padding
    short = [w <= _SHORT_COLUMN for w in natural]
    fixed = sum(w for w, s in zip(natural, short, strict=True) if s)
    long_total = sum(w for w, s in zip(natural, short, strict=True) if not s)
    if long_total == 0 or fixed + long_total <= _ROW_UNITS:
        return [max(3, w) for w in natural]
    room = max(_ROW_UNITS - fixed, 10 * sum(not s for s in short))
    return [
        max(3, w) if s else max(10, round(room * w / long_total))
        for w, s in zip(natural, short, strict=True)
    ]


#: Pandoc's default --columns: pipe tables with a wider line get relative column widths.
PANDOC_COLUMNS = 72


def percent(share: float) -> str:
    """A share as Pandoc prints column widths: two decimals, trailing zeros dropped."""
    return f"{share * 100:.2f}".rstrip("0").rstrip(".")
