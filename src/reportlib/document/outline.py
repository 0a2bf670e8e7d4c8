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

A section with charts or tables can take one cell per part, ``show(peers, "chart")``
(:func:`parts`): ``"text"``, the section's opening paragraphs; ``"chart"``; and each table
by its id (``"tbl-peers"``). A chart or table brings the paragraphs that lead up to it from
the part before, and the last one those that follow it.

So an analyst reorders sections by moving a heading cell with its code cells, deletes one by
deleting them, deletes a table by deleting its cell, adds prose in any Markdown cell, and
passes a section's options (``max_peers=3``) in plain sight; the report follows the notebook.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import nbformat

from reportlib.document.blocks import BlockList, Heading, Renderable, Table
from reportlib.document.charts.style import Figure
from reportlib.errors import ReportlibError

__all__ = ["HEADING_LINE", "body", "heading_cells", "parts", "report_cells", "show"]

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


def _part_name(block: Renderable) -> str | None:
    """A chart's or a table's part name (``"chart"``, its id); None for any other block."""
    if isinstance(block, Figure):
        return "chart"
    if isinstance(block, Table):
        return block.id or "table"
    return None


def parts(blocks: Iterable[Renderable]) -> list[tuple[str, BlockList]]:
    """A section's body cut into the parts a notebook can show one cell each, in order.

    ``"text"`` is what comes before the first chart or table (all of it when there is
    none); then each chart (``"chart"``) or table (its id, ``"table"`` without one) with
    the blocks between it and the previous one; blocks after the last one go with it.
    """
    out: list[tuple[str, list[Renderable]]] = [("text", [])]
    pending: list[Renderable] = []
    for block in body(blocks):
        name = _part_name(block)
        if name is None:
            (pending if len(out) > 1 else out[0][1]).append(block)
            continue
        out.append((name, [*pending, block]))
        pending = []
    out[-1][1].extend(pending)
    return [(name, BlockList(items)) for name, items in out]


def show(blocks: Iterable[Renderable], part: str | None = None) -> None:
    """Display a section's body (or one ``part`` of it: :func:`parts`), each block as its
    own output (a chart reaches the PDF as an SVG file), without the section's heading:
    the Markdown cell above it has it.

    A part the section has not got for this locality (no chart, a table with nothing to
    list) shows nothing; a name that is no part's (not ``text``, ``chart`` or ``tbl-…``)
    is an error naming the section's parts.
    """
    from IPython.display import display

    if part is None:
        display(*body(blocks))
        return
    cut = parts(blocks)
    if part not in ("text", "chart", "table") and not part.startswith("tbl-"):
        names = ", ".join(dict.fromkeys(name for name, _ in cut))
        raise ReportlibError(
            f"show: no part {part!r}; a section's parts are 'text', 'chart' and its tables' "
            f"ids (this one: {names})"
        )
    display(*(b for name, items in cut if name == part for b in items))


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
