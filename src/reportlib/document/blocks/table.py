"""Tables: a DataFrame (or rows) with caption, per-cell notes and a source line.

The Markdown is a pipe table whose separator's dash counts carry relative column widths;
the Typst table takes the same widths, so both PDF routes lay a table out alike.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from reportlib.document.blocks.base import Block
from reportlib.document.blocks.citations import note_html
from reportlib.document.blocks.escape import escape_html, escape_markdown, escape_typst
from reportlib.document.blocks.notes import Footnotes, digest, letter
from reportlib.document.blocks.table_cells import (
    PANDOC_COLUMNS,
    cell_text,
    column_shares,
    html_cell,
    is_date,
    percent,
)
from reportlib.document.text_width import display_width

#: Table notes: a row position, or a ``(row, column)`` pair, to one note or several.
Notes = Mapping[Any, str | Sequence[str]]


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
        rows = tuple(tuple(cell_text(v) for v in rec) for rec in df.itertuples(index=False))
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

    def _notes(self) -> Footnotes:
        parts = ["t", self.caption, *self.columns]
        parts += ["\t".join(r) for r in self.rows]
        parts += [f"{r},{c}:{'|'.join(t)}" for r, c, t in self.cell_notes]
        return Footnotes(digest(*parts), lettered=True)

    def _date_columns(self) -> list[bool]:
        """Per column: at least one cell is a date and no other filled cell (not "—") is
        wider than the widest date ("原文未注明" beside "2024年12月28日")."""
        out = []
        for c in range(len(self.columns)):
            filled = [row[c] for row in self.rows if row[c].strip() not in ("", "—", "-")]
            widest = max((display_width(t) for t in filled if is_date(t)), default=0)
            out.append(widest > 0 and all(is_date(t) or display_width(t) <= widest for t in filled))
        return out

    def _note_map(self) -> dict[tuple[int, int], tuple[str, ...]]:
        return {(r, c): t for r, c, t in self.cell_notes}

    def to_html(self) -> str:
        """``<table>`` with ``<caption>``, numeric columns right-aligned, notes listed below."""
        notes = self._notes()
        note_map = self._note_map()
        cls = {"left": "", "right": ' class="num"', "center": ' class="center"'}
        head = "".join(
            f'<th{cls[a]} scope="col">{html_cell(c, a)}</th>'
            for c, a in zip(self.columns, self.aligns, strict=True)
        )
        body_rows = []
        for r, row in enumerate(self.rows):
            cells = []
            for c, (text, a) in enumerate(zip(row, self.aligns, strict=True)):
                refs = "".join(notes.html_ref(notes.add(t)) for t in note_map.get((r, c), ()))
                cells.append(f"<td{cls[a]}>{html_cell(text, a)}{refs}</td>")
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
        return f'<p class="table-source">资料来源：{note_html(self.source)}</p>'

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
        dashes = column_shares(
            [
                max([display_width(name)] + [display_width(row[c]) for row in self.rows])
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
        letters: dict[str, str] = {}
        cells = ["[" + escape_typst(c).strip() + "]" for c in self.columns]
        body = [
            "  align(center)[#table(",
            f"    columns: {self._typst_columns()},",
            "    align: (" + "".join(f"{a}," for a in self.aligns) + "),",
            "    table.header(" + ", ".join(cells) + ",),",
            "    table.hline(),",
            *self._typst_rows(letters),
            "  )]",
        ]
        below = self._typst_below(letters)
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

    def _typst_columns(self) -> str:
        """The table's ``columns:``: Pandoc's relative widths for a wide table, else a count."""
        markdown, _ = self._pipe
        if max(display_width(line) for line in markdown) <= PANDOC_COLUMNS:
            return str(len(self.columns))
        dashes = [len(part) for part in markdown[1].strip("|").split("|")]
        dated = self._date_columns()
        total = sum(dashes)
        widths = [f"{percent(d / total)}%" for d in dashes]
        if any(dated):
            # a date column is as wide as its longest date; the others share the rest
            widths = [
                "auto" if date_column else f"{percent(d / total)}fr"
                for d, date_column in zip(dashes, dated, strict=True)
            ]
        return "(" + ", ".join(widths) + ")"

    def _typst_rows(self, letters: dict[str, str]) -> list[str]:
        """The body rows; each note text gets its letter in ``letters`` as it first appears."""
        note_map = self._note_map()
        rows = []
        for r, row in enumerate(self.rows):
            out = []
            for c, text in enumerate(row):
                marks = [
                    letters.setdefault(t, letter(len(letters))) for t in note_map.get((r, c), ())
                ]
                sup = f"#super[{','.join(marks)}]" if marks else ""
                shown = escape_typst(text).strip()
                if is_date(text):
                    shown = f"#box[{shown}]"  # a box never breaks across lines
                out.append("[" + shown + sup + "]")
            rows.append("    " + ", ".join(out) + ",")
        return rows

    def _typst_below(self, letters: dict[str, str]) -> list[str]:
        """What is set under the table: its lettered notes, then its source line."""
        below = []
        if letters:
            listed = ", ".join(
                f"([{mark}], [{escape_typst(t).strip()}])" for t, mark in letters.items()
            )
            below.append(f"  #table-notes({listed},)")
        if self.source:
            below.append(f"  #table-source[{escape_typst(self.source).strip()}]")
        return below
