"""A report notebook's outline: section headings written in Markdown, bodies shown by code.

A report notebook reads as the report: each section is a Markdown cell with its heading and
the analyst's own prose, then a short code cell that shows the section's body::

    ## 同类比较 {#sec-peers}

    show(sections.peers(ds, locality, as_of, max_peers=5))

:func:`show` displays a section's blocks without the section's own heading (the Markdown
cell has it). When the report is printed, :func:`report_cells` turns every Markdown heading
that carries an id (``## 标题 {#sec-…}``, level 2 or 3) into the output a
:class:`~reportlib.document.blocks.Heading` block displays: the HTML (its id, the CSS
section number, the table of contents) and the PDF (a Typst heading with that label) are
those of the sections' own headings. The rest of a Markdown cell, and headings without an
id, stay Markdown (nbconvert and Pandoc print them as written).

So an analyst reorders sections by moving a heading cell with its code cell, deletes one by
deleting both, adds prose in any Markdown cell, and passes a section's options
(``max_peers=3``) in plain sight; the report follows the notebook.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import nbformat

from reportlib.document.blocks import BlockList, Heading, Renderable

__all__ = ["HEADING_LINE", "body", "heading_cells", "report_cells", "show"]

#: A Markdown heading the report prints as a section heading: level 2 or 3, with an id.
HEADING_LINE = re.compile(r"^(#{2,3})[ \t]+(\S.*?)[ \t]+\{#([A-Za-z][A-Za-z0-9_:.-]*)\}[ \t]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # Markdown's backslash escapes (ASCII punctuation)


def body(blocks: Iterable[Renderable]) -> BlockList:
    """A section's blocks without its leading level-2 heading (the notebook writes it)."""
    items = list(BlockList(blocks))
    if items and isinstance(items[0], Heading) and items[0].level == 2:
        items = items[1:]
    return BlockList(items)


def show(blocks: Iterable[Renderable]) -> None:
    """Display a section's body, each block as its own output (a chart reaches the PDF as
    an SVG file), without the section's heading: the Markdown cell above it has it."""
    from IPython.display import display

    display(*body(blocks))


def _heading_output(level: int, text: str, ident: str) -> nbformat.NotebookNode:
    """What a notebook stores when a cell displays ``Heading(text, level, id)``."""
    block = Heading(_ESCAPED.sub(r"\1", text), level=level, id=ident)
    data = {**block._repr_mimebundle_(), "text/plain": repr(block)}
    return nbformat.v4.new_output("display_data", data=data)


def _split(source: str) -> list[str | nbformat.NotebookNode]:
    """A Markdown cell's source as Markdown pieces and heading outputs, in order."""
    pieces: list[str | nbformat.NotebookNode] = []
    text: list[str] = []
    fence = ""
    for line in source.split("\n"):
        opened = _FENCE.match(line)
        if opened and (not fence or opened.group(1).startswith(fence)):
            fence = "" if fence else opened.group(1)[:3]
        found = None if fence else HEADING_LINE.match(line)
        if found is None:
            text.append(line)
            continue
        if "\n".join(text).strip():
            pieces.append("\n".join(text).strip("\n"))
        text = []
        pieces.append(_heading_output(len(found.group(1)), found.group(2), found.group(3)))
    if "\n".join(text).strip():
        pieces.append("\n".join(text).strip("\n"))
    return pieces


def heading_cells(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` with each Markdown heading that has an id printed as a Heading block prints.

    A Markdown cell holding such a heading becomes, in order, a code cell without source
    whose one output is the heading, and Markdown cells with the text around it. A notebook
    without such headings is returned as it is.
    """
    cells: list[nbformat.NotebookNode] = []
    changed = False
    for cell in nb.cells:
        if cell.cell_type != "markdown" or not any(
            HEADING_LINE.match(line) for line in cell.source.split("\n")
        ):
            cells.append(cell)
            continue
        changed = True
        for i, piece in enumerate(_split(cell.source)):
            ident = f"{cell.get('id', 'md')}-{i}"
            if isinstance(piece, str):
                cells.append(nbformat.v4.new_markdown_cell(piece, id=ident))
            else:
                cells.append(nbformat.v4.new_code_cell("", id=ident, outputs=[piece]))
    if not changed:
        return nb
    return nbformat.from_dict({**nb, "cells": cells})


def report_cells(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The cells a report prints: none tagged ``remove-cell`` (the analyst's notes), and
    section headings written in Markdown as the sections' Heading blocks print
    (:func:`heading_cells`)."""
    from reportlib.document.notebook import REMOVE_TAG

    kept = [c for c in nb.cells if REMOVE_TAG not in c.get("metadata", {}).get("tags", [])]
    if len(kept) != len(nb.cells):
        nb = nbformat.from_dict({**nb, "cells": kept})
    return heading_cells(nb)
