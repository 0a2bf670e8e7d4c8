"""Boxed blocks: a callout (a caveat about the data) and the report's key points (要点)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from reportlib.document.blocks.base import Block
from reportlib.document.blocks.escape import escape_html, escape_markdown, escape_typst
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

_CALLOUT_TITLES = {"note": "说明", "warning": "注意"}


@dataclass(frozen=True, init=False)
class Callout(Block):
    """A boxed remark: ``kind`` is ``"note"`` or ``"warning"`` (caveats about the data)."""

    kind: str
    spans: tuple[Span, ...]
    title: str

    def __init__(
        self,
        kind: Literal["note", "warning"],
        text: SpanLike | Sequence[SpanLike],
        title: str | None = None,
    ):
        if kind not in _CALLOUT_TITLES:
            raise ValueError(f"callout kind must be 'note' or 'warning', not {kind!r}")
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "spans", as_spans(text))
        object.__setattr__(self, "title", _CALLOUT_TITLES[kind] if title is None else title)

    def _notes(self) -> Footnotes:
        return Footnotes(digest("c", self.kind, self.title, *spans_key(self.spans)))

    def to_html(self) -> str:
        """``<aside class="callout callout-KIND">`` with a title line."""
        notes = self._notes()
        body = spans_html(self.spans, notes)
        return (
            f'<aside class="callout callout-{self.kind}" role="note">'
            f'<p class="callout-title">{escape_html(self.title)}</p>'
            f"<p>{body}</p>{notes.html_list()}</aside>"
        )

    def to_markdown(self) -> str:
        """A fenced div ``.callout-KIND`` (Quarto and the Typst template style it)."""
        notes = self._notes()
        body = spans_md(self.spans, notes).strip()
        title = escape_markdown(self.title)
        out = f"::: {{.callout-{self.kind}}}\n**{title}** {body}\n:::"
        defs = notes.md_list()
        return f"{out}\n\n{defs}" if defs else out

    def to_typst(self) -> str:
        """A call of the Typst template's ``#callout`` function."""
        body = spans_typst(self.spans).strip()
        title = escape_typst(self.title).strip()
        return f'#callout(kind: "{self.kind}")[\n#strong[{title}] {body}\n]'


@dataclass(frozen=True, init=False)
class KeyPoints(Block):
    """A boxed list of findings (the report's 要点): a title and one item per finding.

    Each item is text or spans; notes are footnotes as in a :class:`Paragraph`.
    """

    title: str
    items: tuple[tuple[Span, ...], ...]

    def __init__(self, title: str, items: Sequence[SpanLike | Sequence[SpanLike]]):
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "items", tuple(as_spans(i) for i in items))

    def _notes(self) -> Footnotes:
        return Footnotes(digest("k", self.title, *(k for i in self.items for k in spans_key(i))))

    def to_html(self) -> str:
        """``<section class="keypoints">`` with a list, notes listed below it."""
        notes = self._notes()
        items = "".join(f"<li>{spans_html(i, notes)}</li>" for i in self.items)
        return (
            f'<section class="keypoints"><p class="keypoints-title">{escape_html(self.title)}'
            f"</p><ul>{items}</ul>{notes.html_list()}</section>"
        )

    def to_markdown(self) -> str:
        """A fenced div ``.keypoints`` holding a bullet list."""
        notes = self._notes()
        items = "\n".join(f"- {spans_md(i, notes).strip()}" for i in self.items)
        out = f"::: {{.keypoints}}\n**{escape_markdown(self.title)}**\n\n{items}\n:::"
        defs = notes.md_list()
        return f"{out}\n\n{defs}" if defs else out

    def to_typst(self) -> str:
        """A call of the template's ``#keypoints`` with a Typst list."""
        items = "\n".join(f"- {spans_typst(i).strip()}" for i in self.items)
        return f"#keypoints(title: [{escape_typst(self.title).strip()}])[\n{items}\n]"
