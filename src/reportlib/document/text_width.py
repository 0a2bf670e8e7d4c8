"""How wide text shows in a fixed-width font: East Asian wide and full-width characters
count two columns (the CLI's tables, the pipe tables' column shares)."""

from __future__ import annotations

import unicodedata

__all__ = ["display_width"]


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal or plain-text table (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
