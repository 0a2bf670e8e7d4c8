"""Runs of text inside a block (plain, strong, emphasised, with a footnote) and their markup."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from reportlib.document.blocks.escape import escape_html, escape_markdown, escape_typst, typst_note
from reportlib.document.blocks.notes import Footnotes


@dataclass(frozen=True)
class Span:
    """A run of plain text, optionally strong or emphasised, optionally carrying a footnote."""

    text: str
    style: Literal["plain", "strong", "emph"] = "plain"
    note: str | None = None

    def __post_init__(self) -> None:
        if self.style not in ("plain", "strong", "emph"):
            raise ValueError(f"Span style must be plain, strong or emph, not {self.style!r}")


def strong(text: str, note: str | None = None) -> Span:
    """A strongly emphasised span (the report shows it in the accent colour)."""
    return Span(text, "strong", note)


def emph(text: str, note: str | None = None) -> Span:
    """An emphasised (italic) span."""
    return Span(text, "emph", note)


def note(text: str, footnote: str) -> Span:
    """A plain span followed by a reference to the footnote ``footnote``."""
    return Span(text, "plain", footnote)


#: What a block takes as text: a string, or a span.
SpanLike = str | Span


def as_spans(content: SpanLike | Sequence[SpanLike]) -> tuple[Span, ...]:
    """Text, a span, or a sequence of both as spans; anything else is a ``TypeError``."""
    if isinstance(content, (str, Span)):
        content = [content]
    spans = []
    for item in content:
        if isinstance(item, str):
            spans.append(Span(item))
        elif isinstance(item, Span):
            spans.append(item)
        else:
            raise TypeError(f"paragraph content must be str or Span, not {type(item).__name__}")
    return tuple(spans)


def spans_html(spans: Iterable[Span], notes: Footnotes) -> str:
    """Escaped HTML of ``spans``; each note becomes a reference added to ``notes``."""
    out = []
    for s in spans:
        body = escape_html(s.text)
        if s.style == "strong":
            body = f"<strong>{body}</strong>"
        elif s.style == "emph":
            body = f"<em>{body}</em>"
        out.append(body)
        if s.note is not None:
            out.append(notes.html_ref(notes.add(s.note)))
    return "".join(out)


def spans_md(spans: Iterable[Span], notes: Footnotes) -> str:
    """Escaped Markdown of ``spans``; each note becomes a reference added to ``notes``."""
    out = []
    for s in spans:
        body = escape_markdown(s.text)
        core = body.strip()
        if core and s.style != "plain":
            # Markdown emphasis may not start or end with a space: keep spaces outside
            mark = "**" if s.style == "strong" else "*"
            lead = body[: len(body) - len(body.lstrip())]
            trail = body[len(body.rstrip()) :]
            body = f"{lead}{mark}{core}{mark}{trail}"
        out.append(body)
        if s.note is not None:
            out.append(notes.md_ref(notes.add(s.note)))
    return "".join(out)


def spans_typst(spans: Iterable[Span]) -> str:
    """Escaped Typst of ``spans``; each note inline, as a marker the PDF route numbers."""
    out = []
    for s in spans:
        body = escape_typst(s.text)
        if s.style != "plain" and body.strip():
            fn = "strong" if s.style == "strong" else "emph"
            body = f"#{fn}[{body}]"
        out.append(body)
        if s.note is not None:
            out.append(typst_note(s.note))
    return "".join(out)


def spans_key(spans: Iterable[Span]) -> list[str]:
    """What identifies ``spans`` (text, style and note of each) in a block's note ids."""
    return [f"{s.style}:{s.text}:{s.note}" for s in spans]
