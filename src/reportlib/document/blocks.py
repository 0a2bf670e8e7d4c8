"""Report content objects that render both to HTML and to Pandoc Markdown.

Every block escapes the data text it holds, so a source quote such as
``<script>alert(1)</script> #panic("x") $x$ *a* @ref`` shows literally in the HTML report
(``html.escape``) and in the PDF (Markdown: a backslash before every ASCII punctuation
character, which Pandoc reads as that literal character).

Blocks also render to Typst markup (``to_typst``: every ASCII punctuation character
backslash-escaped, which Typst reads as that literal character). The PDF route passes that
to Pandoc as raw Typst: Pandoc then only parses the analysts' own Markdown cells, and a
report's PDF takes ~0.2 s less than when Pandoc parsed every table and footnote.

A notebook cell displays one block (or a :class:`BlockList`); Jupyter stores the renderings
through ``_repr_mimebundle_``: the HTML route uses ``text/html``, the PDF route
``text/x-typst`` (``text/markdown`` is kept for Quarto and for reading the notebook).
"""

from __future__ import annotations

import functools
import hashlib
import html
import math
import re
import string
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

__all__ = [
    "Block",
    "BlockList",
    "Callout",
    "Citation",
    "Contents",
    "Heading",
    "KeyPoints",
    "Paragraph",
    "QuoteList",
    "Span",
    "Table",
    "concat",
    "emph",
    "escape_html",
    "escape_markdown",
    "escape_typst",
    "note",
    "typst_note",
    "strong",
]

_MD_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")
_WS = re.compile(r"\s*\n\s*")
_ID_OK = re.compile(r"^[A-Za-z][A-Za-z0-9_:.-]*$")


def escape_html(text: str) -> str:
    """Escape text for HTML element content and attribute values."""
    return html.escape(text, quote=True)


def escape_markdown(text: str) -> str:
    """Escape text so Pandoc Markdown shows it literally.

    Every ASCII punctuation character gets a backslash (Pandoc's ``all_symbols_escapable``);
    line breaks become spaces because a break inside a table row or at the start of a line
    could change the structure (a list item, a heading, a new table row).
    """
    flat = _WS.sub(" ", text)
    return _MD_SPECIAL.sub(r"\\\1", flat)


#: Pandoc-style MIME type of the Typst rendering stored in notebook outputs.
TYPST_MIME = "text/x-typst"
_TYPST_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")


def escape_typst(text: str) -> str:
    """Escape text so Typst markup shows it literally (inside ``[...]`` content too).

    Typst reads a backslash before any character as that character, so every ASCII
    punctuation character is escaped: markup (``*_`#$=@<>``), content brackets, comment
    starts (``//``) and list markers alike. Line breaks become spaces, as in Markdown.
    """
    return _TYPST_SPECIAL.sub(r"\\\1", _WS.sub(" ", text))


def typst_string(text: str) -> str:
    """A Typst string literal (double quotes) holding ``text``."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r") + '"'


def typst_note(text: str) -> str:
    """A footnote in Typst, as a marker the PDF route numbers (render.number_typst_notes).

    The same note text always gives the same marker, so a note repeated anywhere in the
    report is printed once and referenced after. The text is escaped: the marker's content
    never holds an unescaped ``]``.
    """
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return f'#reportlib-note("{key}")[{escape_typst(text).strip()}]'


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:10]


# --------------------------------------------------------------------------- spans


class Citation(str):
    """A note's text (short source label + locator) that knows where its quote is listed.

    It is a ``str`` (so notes compare, hash and print as text) with ``anchor``, the HTML id
    of the quote in the appendix (:class:`QuoteList`): the HTML note links to it.
    """

    anchor: str | None

    def __new__(cls, text: str, anchor: str | None = None) -> Citation:
        obj = super().__new__(cls, text)
        obj.anchor = anchor if anchor and _ID_OK.match(anchor) else None
        return obj


def _note_html(text: str) -> str:
    anchor = getattr(text, "anchor", None)
    body = escape_html(text)
    return f'<a class="quote-link" href="#{anchor}">{body}</a>' if anchor else body


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


SpanLike = str | Span


def _as_spans(content: SpanLike | Sequence[SpanLike]) -> tuple[Span, ...]:
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


class _Notes:
    """Footnotes collected while one block renders.

    Markdown ids are ``fn-<hash>-<n>``: the hash covers the block's plain text and all its
    notes, so ids are the same on every run (no counters shared between notebooks) and two
    different blocks never share one. HTML numbers the notes 1, 2, … under the block; a
    table's notes (``lettered``) are a, b, … with one letter per distinct text, as in the PDF.
    """

    def __init__(self, key: str, lettered: bool = False):
        self.key = key
        self.lettered = lettered
        self.notes: list[str] = []
        self._linked: set[int] = set()

    def add(self, text: str) -> int:
        # one number (or letter) per distinct text: short notes (label + locator) repeat
        if text in self.notes:
            return self.notes.index(text) + 1
        self.notes.append(text)
        return len(self.notes)

    def ident(self, n: int) -> str:
        return f"fn-{self.key}-{n}"

    def mark(self, n: int) -> str:
        return _letter(n - 1) if self.lettered else str(n)

    def html_ref(self, n: int) -> str:
        i = self.ident(n)
        # ids are unique: a note cited by several cells links back to its first citation
        anchor = "" if n in self._linked else f' id="ref-{i}"'
        self._linked.add(n)
        return f'<sup class="fnref"><a href="#{i}"{anchor}>{self.mark(n)}</a></sup>'

    def md_ref(self, n: int) -> str:
        return f"[^{self.ident(n)}]"

    def html_list(self) -> str:
        if not self.notes:
            return ""
        items = "".join(
            f'<li id="{self.ident(n)}">{_note_html(t)} '
            f'<a class="fnback" href="#ref-{self.ident(n)}" aria-label="back">↩</a></li>'
            for n, t in enumerate(self.notes, 1)
        )
        kind = ' type="a"' if self.lettered else ""
        return f'<ol class="block-notes"{kind}>{items}</ol>'

    def md_list(self) -> str:
        return "\n".join(
            f"[^{self.ident(n)}]: {escape_markdown(t).strip()}" for n, t in enumerate(self.notes, 1)
        )


def _spans_html(spans: Iterable[Span], notes: _Notes) -> str:
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


def _spans_md(spans: Iterable[Span], notes: _Notes) -> str:
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


def _spans_typst(spans: Iterable[Span]) -> str:
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


def _spans_key(spans: Iterable[Span]) -> list[str]:
    return [f"{s.style}:{s.text}:{s.note}" for s in spans]


# --------------------------------------------------------------------------- blocks


class Block:
    """Base class: something a notebook cell can display, in HTML and in Pandoc Markdown."""

    def to_html(self) -> str:
        """HTML fragment (escaped)."""
        raise NotImplementedError

    def to_markdown(self) -> str:
        """Pandoc Markdown fragment (escaped), separated from neighbours by blank lines."""
        raise NotImplementedError

    def to_typst(self) -> str:
        """Typst markup fragment (escaped), separated from neighbours by blank lines."""
        raise NotImplementedError

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> dict[str, str]:  # IPython protocol
        return {
            "text/html": self.to_html(),
            "text/markdown": self.to_markdown(),
            TYPST_MIME: self.to_typst(),
        }

    def __add__(self, other: Block) -> BlockList:
        return concat(self, other)

    def __radd__(self, other: Any) -> BlockList:
        # lets sum(list_of_blocks, BlockList()) and sum(...) starting at 0 work
        if other == 0:
            return concat(self)
        return NotImplemented


@dataclass(frozen=True)
class BlockList(Block):
    """Several blocks displayed as one cell output (what a section function returns)."""

    blocks: tuple[Block, ...] = ()

    def __init__(self, blocks: Iterable[Block] = ()):
        flat: list[Block] = []
        for b in blocks:
            if isinstance(b, BlockList):
                flat.extend(b.blocks)
            elif isinstance(b, Block) or _has_both(b):
                flat.append(b)
            else:
                raise TypeError(f"BlockList items must be blocks, not {type(b).__name__}")
        object.__setattr__(self, "blocks", tuple(flat))

    def __iter__(self):
        return iter(self.blocks)

    def __len__(self) -> int:
        return len(self.blocks)

    def to_html(self) -> str:
        """The blocks' HTML, one after the other."""
        return "\n".join(b.to_html() for b in self.blocks)

    def to_markdown(self) -> str:
        """The blocks' Markdown, separated by blank lines."""
        return "\n\n".join(b.to_markdown() for b in self.blocks)

    def to_typst(self) -> str:
        """The blocks' Typst, separated by blank lines."""
        return "\n\n".join(b.to_typst() for b in self.blocks)


def _has_both(obj: Any) -> bool:
    # charts.Figure is not a Block subclass (it also carries SVG) but renders the same way
    return all(callable(getattr(obj, m, None)) for m in ("to_html", "to_markdown", "to_typst"))


def concat(*blocks: Block | Iterable[Block]) -> BlockList:
    """Join blocks (or lists of blocks) into one :class:`BlockList`."""
    flat: list[Block] = []
    for b in blocks:
        if isinstance(b, Block) or _has_both(b):
            flat.append(b)  # type: ignore[arg-type]
        else:
            flat.extend(b)
    return BlockList(flat)


@dataclass(frozen=True)
class Heading(Block):
    """A section heading; level 2 is a report section, 3 a subsection (1 is the title)."""

    text: str
    level: int = 2
    id: str | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.level <= 6:
            raise ValueError(f"heading level must be 1..6, got {self.level}")
        if self.id is not None and not _ID_OK.match(self.id):
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
        object.__setattr__(self, "spans", _as_spans(content))

    def _notes(self) -> _Notes:
        return _Notes(_digest("p", *_spans_key(self.spans)))

    def to_html(self) -> str:
        """``<p>`` plus the numbered note list, if any."""
        notes = self._notes()
        body = _spans_html(self.spans, notes)
        return f"<p>{body}</p>{notes.html_list()}"

    def to_markdown(self) -> str:
        """One Markdown paragraph plus footnote definitions."""
        notes = self._notes()
        body = _spans_md(self.spans, notes).strip()
        defs = notes.md_list()
        return f"{body}\n\n{defs}" if defs else body

    def to_typst(self) -> str:
        """One Typst paragraph with its footnotes inline."""
        return _spans_typst(self.spans).strip()


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
        object.__setattr__(self, "spans", _as_spans(text))
        object.__setattr__(self, "title", _CALLOUT_TITLES[kind] if title is None else title)

    def _notes(self) -> _Notes:
        return _Notes(_digest("c", self.kind, self.title, *_spans_key(self.spans)))

    def to_html(self) -> str:
        """``<aside class="callout callout-KIND">`` with a title line."""
        notes = self._notes()
        body = _spans_html(self.spans, notes)
        return (
            f'<aside class="callout callout-{self.kind}" role="note">'
            f'<p class="callout-title">{escape_html(self.title)}</p>'
            f"<p>{body}</p>{notes.html_list()}</aside>"
        )

    def to_markdown(self) -> str:
        """A fenced div ``.callout-KIND`` (Quarto and the Typst template style it)."""
        notes = self._notes()
        body = _spans_md(self.spans, notes).strip()
        title = escape_markdown(self.title)
        out = f"::: {{.callout-{self.kind}}}\n**{title}** {body}\n:::"
        defs = notes.md_list()
        return f"{out}\n\n{defs}" if defs else out

    def to_typst(self) -> str:
        """A call of the Typst template's ``#callout`` function."""
        body = _spans_typst(self.spans).strip()
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
        object.__setattr__(self, "items", tuple(_as_spans(i) for i in items))

    def _notes(self) -> _Notes:
        return _Notes(_digest("k", self.title, *(k for i in self.items for k in _spans_key(i))))

    def to_html(self) -> str:
        """``<section class="keypoints">`` with a list, notes listed below it."""
        notes = self._notes()
        items = "".join(f"<li>{_spans_html(i, notes)}</li>" for i in self.items)
        return (
            f'<section class="keypoints"><p class="keypoints-title">{escape_html(self.title)}'
            f"</p><ul>{items}</ul>{notes.html_list()}</section>"
        )

    def to_markdown(self) -> str:
        """A fenced div ``.keypoints`` holding a bullet list."""
        notes = self._notes()
        items = "\n".join(f"- {_spans_md(i, notes).strip()}" for i in self.items)
        out = f"::: {{.keypoints}}\n**{escape_markdown(self.title)}**\n\n{items}\n:::"
        defs = notes.md_list()
        return f"{out}\n\n{defs}" if defs else out

    def to_typst(self) -> str:
        """A call of the template's ``#keypoints`` with a Typst list."""
        items = "\n".join(f"- {_spans_typst(i).strip()}" for i in self.items)
        return f"#keypoints(title: [{escape_typst(self.title).strip()}])[\n{items}\n]"


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
            ident = f' id="{escape_html(anchor)}"' if _ID_OK.match(anchor) else ""
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


#: Where the HTML route puts the table of contents (render._add_toc replaces it).
TOC_MARK = "<!--@REPORTLIB_TOC@-->"


@dataclass(frozen=True)
class Contents(Block):
    """The table of contents, placed where this block is (after the 要点 on page 1)."""

    def to_html(self) -> str:
        """The marker the HTML route replaces with the contents."""
        return TOC_MARK

    def to_markdown(self) -> str:
        """Nothing: Pandoc and Quarto place their own contents."""
        return ""

    def to_typst(self) -> str:
        """Typst's outline (the body follows on the next page it reaches)."""
        return "#outline(title: [目录], depth: 2, indent: auto)"


# --------------------------------------------------------------------------- tables

Notes = Mapping[Any, str | Sequence[str]]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.6f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple)):
        return "；".join(_cell_text(v) for v in value)
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


#: Width of a table row in half-width characters at the PDF's table font size (A4 text width).
_ROW_UNITS = 100
#: Columns whose content fits in this many half-width characters keep their natural width.
_SHORT_COLUMN = 16


_DATE = r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?[底前后起]{0,2}|\d{4}-\d{2}(?:-\d{2})?"
#: A table cell that is a date or a date range ("2024年11月18日", "2022年至2024年"): it is
#: kept on one line, in both formats, rather than wrapped after "2024年".
_DATE_CELL = re.compile(rf"(?:约)?(?:{_DATE})(?:(?:至|—|–|-|~)(?:{_DATE}))?")


#: Characters up to which an HTML table cell is kept on one line.
_SHORT_CELL = 7


def _is_date(text: str) -> bool:
    return _DATE_CELL.fullmatch(text.strip()) is not None


def _html_cell(text: str, align: str) -> str:
    """A cell's escaped text; dates and short names ("河南省", "证据等级") kept on one line,
    which a narrow column would otherwise break mid-word (the table scrolls instead)."""
    shown = escape_html(text)
    short = align != "right" and 0 < len(text) <= _SHORT_CELL and " " not in text
    if _is_date(text) or short:
        return f'<span class="nowrap">{shown}</span>'
    return shown


def _column_shares(longest: Sequence[int]) -> list[int]:
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


@dataclass(frozen=True, init=False)
class Table(Block):
    """A table from a DataFrame (or rows), with caption and footnotes.

    ``notes`` maps a row position (``0``) to the note(s) attached to that row's first cell,
    or a ``(row, column)`` pair to the note(s) attached to one cell (``footnotes=`` is the
    same argument). Numeric columns are
    right-aligned unless ``align`` (``{"column": "left"|"right"|"center"}``) says otherwise.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str
    cell_notes: tuple[tuple[int, int, tuple[str, ...]], ...]
    aligns: tuple[str, ...]
    id: str | None
    source: str | None

    def __init__(
        self,
        data: pd.DataFrame | Sequence[Sequence[Any]] | Sequence[Mapping[str, Any]],
        caption: str = "",
        *,
        columns: Sequence[str] | None = None,
        notes: Notes | None = None,
        align: Mapping[str, str] | None = None,
        id: str | None = None,
        footnotes: Notes | None = None,
        source: str | None = None,
    ):
        if footnotes is not None:  # the name docs/architecture.md uses
            if notes is not None:
                raise TypeError("give table notes as notes= or footnotes=, not both")
            notes = footnotes
        df = data if isinstance(data, pd.DataFrame) else pd.DataFrame(list(data), columns=columns)
        if isinstance(data, pd.DataFrame) and columns is not None:
            df = df.loc[:, list(columns)]
        cols = tuple(str(c) for c in df.columns)
        aligns = []
        for c in df.columns:
            s = df[c]
            numeric = pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
            aligns.append((align or {}).get(str(c), "right" if numeric else "left"))
        for a in aligns:
            if a not in ("left", "right", "center"):
                raise ValueError(f"table column alignment must be left/right/center, not {a!r}")
        rows = tuple(tuple(_cell_text(v) for v in rec) for rec in df.itertuples(index=False))
        cell_notes: dict[tuple[int, int], list[str]] = {}
        for key, value in (notes or {}).items():
            if isinstance(key, tuple):
                r, c = key
                ci = cols.index(str(c)) if not isinstance(c, int) else c
            else:
                r, ci = key, 0
            if not (0 <= r < len(rows)) or not (0 <= ci < len(cols)):
                raise IndexError(f"table note key {key!r} is outside the table ({len(rows)} rows)")
            texts = [value] if isinstance(value, str) else list(value)
            cell_notes.setdefault((int(r), int(ci)), []).extend(texts)
        object.__setattr__(self, "columns", cols)
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "caption", caption)
        object.__setattr__(
            self,
            "cell_notes",
            tuple((r, c, tuple(t)) for (r, c), t in sorted(cell_notes.items())),
        )
        object.__setattr__(self, "aligns", tuple(aligns))
        object.__setattr__(self, "id", id)
        # one line under the table naming the source of all its rows (instead of a note each)
        object.__setattr__(self, "source", source or None)

    def _notes(self) -> _Notes:
        parts = ["t", self.caption, *self.columns]
        parts += ["\t".join(r) for r in self.rows]
        parts += [f"{r},{c}:{'|'.join(t)}" for r, c, t in self.cell_notes]
        return _Notes(_digest(*parts), lettered=True)

    def _date_columns(self) -> list[bool]:
        """Per column: every filled cell (not "—") is a date, and at least one is."""
        out = []
        for c in range(len(self.columns)):
            filled = [row[c] for row in self.rows if row[c].strip() not in ("", "—", "-")]
            out.append(bool(filled) and all(_is_date(t) for t in filled))
        return out

    def _note_map(self) -> dict[tuple[int, int], tuple[str, ...]]:
        return {(r, c): t for r, c, t in self.cell_notes}

    def to_html(self) -> str:
        """``<table>`` with ``<caption>``, numeric columns right-aligned, notes listed below."""
        notes = self._notes()
        note_map = self._note_map()
        cls = {"left": "", "right": ' class="num"', "center": ' class="center"'}
        head = "".join(
            f'<th{cls[a]} scope="col">{_html_cell(c, a)}</th>'
            for c, a in zip(self.columns, self.aligns, strict=True)
        )
        body_rows = []
        for r, row in enumerate(self.rows):
            cells = []
            for c, (text, a) in enumerate(zip(row, self.aligns, strict=True)):
                refs = "".join(notes.html_ref(notes.add(t)) for t in note_map.get((r, c), ()))
                cells.append(f"<td{cls[a]}>{_html_cell(text, a)}{refs}</td>")
            body_rows.append("<tr>" + "".join(cells) + "</tr>")
        caption = f"<caption>{escape_html(self.caption)}</caption>" if self.caption else ""
        ident = f' id="{escape_html(self.id)}"' if self.id else ""
        return (
            f'<div class="table-block"{ident}><table>{caption}'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body_rows)}</tbody></table>"
            f"{notes.html_list()}{self._source_html()}</div>"
        )

    def _source_html(self) -> str:
        if not self.source:
            return ""
        return f'<p class="table-source">资料来源：{_note_html(self.source)}</p>'

    @functools.cached_property
    def _pipe(self) -> tuple[list[str], str]:
        """The pipe table's lines and its footnote definitions (to_typst reads the widths)."""
        notes = self._notes()
        note_map = self._note_map()
        header = [escape_markdown(c).strip() for c in self.columns]
        body = []
        for r, row in enumerate(self.rows):
            cells = []
            for c, text in enumerate(row):
                refs = "".join(notes.md_ref(notes.add(t)) for t in note_map.get((r, c), ()))
                cells.append(escape_markdown(text).strip() + refs)
            body.append(cells)
        dashes = _column_shares(
            [
                max([_display_width(name)] + [_display_width(row[c]) for row in self.rows])
                for c, name in enumerate(self.columns)
            ]
        )
        sep = []
        for d, a in zip(dashes, self.aligns, strict=True):
            if a == "right":
                sep.append("-" * (d - 1) + ":")
            elif a == "center":
                sep.append(":" + "-" * (d - 2) + ":")
            else:
                sep.append(":" + "-" * (d - 1))
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join(sep) + "|"]
        lines += ["| " + " | ".join(cells) + " |" for cells in body]
        return lines, notes.md_list()

    def to_markdown(self) -> str:
        """A pipe table; dash counts carry relative column widths so long text wraps."""
        if not self.columns:
            return ""
        lines, defs = self._pipe
        out = "\n".join(lines)
        if self.caption:
            ident = f" {{#{self.id}}}" if self.id else ""
            out += f"\n\n: {escape_markdown(self.caption).strip()}{ident}"
        if self.source:
            out += f"\n\n资料来源：{escape_markdown(self.source).strip()}"
        return f"{out}\n\n{defs}" if defs else out

    def to_typst(self) -> str:
        """A figure of kind table, its notes lettered below it (the template's ``table-notes``).

        Column widths follow Pandoc's rule for pipe tables: when a Markdown line is wider
        than 72 columns, each column's share of the separator line; otherwise automatic.
        Notes are lettered a, b, … per table, one letter per distinct text, and listed under
        the table as in the HTML report, rather than set as page footnotes: Typst re-lays a
        page-breaking table out for every footnote that moves, which made a footnoted peers
        table most of the PDF's compile time.
        """
        if not self.columns:
            return ""
        note_map = self._note_map()
        markdown, _ = self._pipe
        dashes = [len(part) for part in markdown[1].strip("|").split("|")]
        dated = self._date_columns()
        if max(_display_width(line) for line in markdown) > _PANDOC_COLUMNS:
            total = sum(dashes)
            widths = [f"{_percent(d / total)}%" for d in dashes]
            if any(dated):
                # a date column is as wide as its longest date; the others share the rest
                widths = [
                    "auto" if is_date else f"{_percent(d / total)}fr"
                    for d, is_date in zip(dashes, dated, strict=True)
                ]
            columns = "(" + ", ".join(widths) + ")"
        else:
            columns = str(len(self.columns))
        letters: dict[str, str] = {}
        cells = ["[" + escape_typst(c).strip() + "]" for c in self.columns]
        rows = []
        for r, row in enumerate(self.rows):
            out = []
            for c, text in enumerate(row):
                marks = [
                    letters.setdefault(t, _letter(len(letters))) for t in note_map.get((r, c), ())
                ]
                sup = f"#super[{','.join(marks)}]" if marks else ""
                shown = escape_typst(text).strip()
                if _is_date(text):
                    shown = f"#box[{shown}]"  # a box never breaks across lines
                out.append("[" + shown + sup + "]")
            rows.append("    " + ", ".join(out) + ",")
        body = [
            "  align(center)[#table(",
            f"    columns: {columns},",
            "    align: (" + "".join(f"{a}," for a in self.aligns) + "),",
            "    table.header(" + ", ".join(cells) + ",),",
            "    table.hline(),",
            *rows,
            "  )]",
        ]
        below = []
        if letters:
            listed = ", ".join(
                f"([{mark}], [{escape_typst(t).strip()}])" for t, mark in letters.items()
            )
            below.append(f"  #table-notes({listed},)")
        if self.source:
            below.append(f"  #table-source[{escape_typst(self.source).strip()}]")
        if below:
            below[-1] += "]"
            body = ["  [#" + body[0].lstrip(), *body[1:], *below]
        lines = ["#figure(", *body]
        if self.caption:
            lines.append(f"  , caption: [{escape_typst(self.caption).strip()}]")
        lines += ["  , kind: table", "  )"]
        if self.id:
            lines.append(f"<{self.id}>")
        return "\n".join(lines)


def _letter(index: int) -> str:
    """0 → a, 25 → z, 26 → aa: spreadsheet-style letters for table notes."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


#: Pandoc's default --columns: pipe tables with a wider line get relative column widths.
_PANDOC_COLUMNS = 72


def _percent(share: float) -> str:
    """A share as Pandoc prints column widths: two decimals, trailing zeros dropped."""
    return f"{share * 100:.2f}".rstrip("0").rstrip(".")
