"""Citations: a note's text that knows where its quote is listed, and the list of quotes.

A :class:`Citation` whose ``anchor`` is a :class:`QuoteList` entry's links to that quote in
the HTML report (the appendix's 引文).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reportlib.document.blocks.base import Block
from reportlib.document.blocks.escape import (
    VALID_ID,
    escape_html,
    escape_markdown,
    escape_typst,
)


class Citation(str):
    """A note's text (short source label + locator) that knows where its quote is listed.

    It is a ``str`` (so notes compare, hash and print as text) with ``anchor``, the HTML id
    of the quote in the appendix (:class:`QuoteList`): the HTML note links to it.
    """

    anchor: str | None
    parts: tuple[Citation, ...]

    def __new__(cls, text: str, anchor: str | None = None) -> Citation:
        obj = super().__new__(cls, text)
        obj.anchor = anchor if anchor and VALID_ID.match(anchor) else None
        obj.parts = ()
        return obj

    @classmethod
    def joined(cls, citations: Iterable[str]) -> Citation:
        """One note citing several quotes, ``〔A〕一；〔A〕二``: each part links to its own."""
        parts = tuple(c if isinstance(c, Citation) else Citation(c) for c in citations)
        if len(parts) == 1:
            return parts[0]
        obj = cls(JOIN.join(parts))
        obj.parts = parts
        return obj


#: Between the parts of a note that cites several quotes.
JOIN = "；"


def note_html(text: str) -> str:
    """A note as HTML: linked to its quote (or each part to its own) when it is a
    :class:`Citation` with an anchor."""
    parts = getattr(text, "parts", ())
    if parts:
        return escape_html(JOIN).join(note_html(p) for p in parts)
    anchor = getattr(text, "anchor", None)
    body = escape_html(text)
    return f'<a class="quote-link" href="#{anchor}">{body}</a>' if anchor else body


@dataclass(frozen=True)
class QuoteList(Block):
    """The appendix's quotes: ``(anchor, locator, quotes)`` entries, each citable by anchor.

    A :class:`Citation` whose ``anchor`` is an entry's links to it in the HTML report.
    """

    entries: tuple[tuple[str, str, tuple[str, ...]], ...]
    anchor: str | None = None  # the whole list's id (a table's 资料来源 line links to it)

    def to_html(self) -> str:
        """``<dl class="quotes">``: the locator (with the anchor id), then its quotes."""
        out = []
        for anchor, locator, quotes in self.entries:
            ident = f' id="{escape_html(anchor)}"' if VALID_ID.match(anchor) else ""
            out.append(f"<dt{ident}>{escape_html(locator)}</dt>")
            out += [f"<dd>“{escape_html(q)}”</dd>" for q in quotes]
        ident = f' id="{escape_html(self.anchor)}"' if self.anchor else ""
        return f'<dl class="quotes"{ident}>{"".join(out)}</dl>'

    def to_markdown(self) -> str:
        """One paragraph per locator."""
        return "\n\n".join(
            f"**{escape_markdown(loc).strip()}**："
            + "；".join(f"“{escape_markdown(q).strip()}”" for q in quotes)
            for _, loc, quotes in self.entries
        )

    def to_typst(self) -> str:
        """One small paragraph per locator, its quotes after it."""
        return "\n\n".join(
            f"#quote-entry[{escape_typst(loc).strip()}]["
            + "；".join(f"“{escape_typst(q).strip()}”" for q in quotes)
            + "]"
            for _, loc, quotes in self.entries
        )
