"""Headings and paragraphs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlib.document.blocks.base import Block
from reportlib.document.blocks.escape import (
    VALID_ID,
    escape_html,
    escape_markdown,
    escape_typst,
)
from reportlib.document.blocks.notes import Footnotes, digest
from reportlib.document.blocks.spans import (
    Span,
    SpanLike,
    as_spans,
    spans_html,
    spans_key,
    spans_md,
    spans_typst,
)


@dataclass(frozen=True)
class Heading(Block):
    """A section heading; level 2 is a report section, 3 a subsection (1 is the title)."""

    text: str
    level: int = 2
    id: str | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.level <= 6:
            raise ValueError(f"heading level must be 1..6, got {self.level}")
        if self.id is not None and not VALID_ID.match(self.id):
            raise ValueError(
                f"heading id {self.id!r} must start with a letter and use only "
                "letters, digits, '-', '_', ':' or '.'"
            )

    def to_html(self) -> str:
        """``<hN id=…>`` with escaped text."""
        ident = f' id="{self.id}"' if self.id else ""
        return f"<h{self.level}{ident}>{escape_html(self.text)}</h{self.level}>"

    def to_markdown(self) -> str:
        """ATX heading with an explicit identifier when one is given."""
        ident = f" {{#{self.id}}}" if self.id else ""
        return f"{'#' * self.level} {escape_markdown(self.text).strip()}{ident}"

    def to_typst(self) -> str:
        """A Typst heading one level up (the report title is level 1, as with Pandoc's
        ``--shift-heading-level-by=-1``), labelled with the id."""
        marks = "=" * max(1, self.level - 1)
        label = f"\n<{self.id}>" if self.id else ""
        return f"{marks} {escape_typst(self.text).strip()}{label}"


@dataclass(frozen=True, init=False)
class Paragraph(Block):
    """A paragraph of plain text, or of :class:`Span` objects (strong, emphasis, footnotes)."""

    spans: tuple[Span, ...]

    def __init__(self, content: SpanLike | Sequence[SpanLike]):
        object.__setattr__(self, "spans", as_spans(content))

    def _notes(self) -> Footnotes:
        return Footnotes(digest("p", *spans_key(self.spans)))

    def to_html(self) -> str:
        """``<p>`` plus the numbered note list, if any."""
        notes = self._notes()
        body = spans_html(self.spans, notes)
        return f"<p>{body}</p>{notes.html_list()}"

    def to_markdown(self) -> str:
        """One Markdown paragraph plus footnote definitions."""
        notes = self._notes()
        body = spans_md(self.spans, notes).strip()
        defs = notes.md_list()
        return f"{body}\n\n{defs}" if defs else body

    def to_typst(self) -> str:
        """One Typst paragraph with its footnotes inline."""
        return spans_typst(self.spans).strip()
