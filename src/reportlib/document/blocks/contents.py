"""The table of contents, placed where its block is."""

from __future__ import annotations

from dataclasses import dataclass

from reportlib.document.blocks.base import Block

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
