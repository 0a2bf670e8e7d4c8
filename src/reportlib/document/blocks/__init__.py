"""Report content objects that render both to HTML and to Pandoc Markdown (and Typst).

Every block escapes the data text it holds (:mod:`.escape`), so a source quote such as
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

Modules, one job each: :mod:`.escape` (escaping for the three formats), :mod:`.base`
(``Block``, ``BlockList``, ``Renderable``), :mod:`.spans` (runs of text in a block),
:mod:`.notes` (footnotes while a block renders), :mod:`.citations` (notes that link to the
appendix's quotes, and that list), :mod:`.text` (headings, paragraphs), :mod:`.callouts`
(callouts, key points), :mod:`.contents` (table of contents), :mod:`.table` and
:mod:`.table_cells` (tables, and their cells' text and column widths).
"""

from reportlib.document.blocks.base import Block, BlockList, Renderable, concat
from reportlib.document.blocks.callouts import Callout, KeyPoints
from reportlib.document.blocks.citations import Citation, QuoteList
from reportlib.document.blocks.contents import TOC_MARK, Contents
from reportlib.document.blocks.escape import (
    TYPST_MIME,
    escape_html,
    escape_markdown,
    escape_typst,
    typst_note,
    typst_string,
)
from reportlib.document.blocks.spans import Span, SpanLike, emph, note, strong
from reportlib.document.blocks.table import Notes, Table
from reportlib.document.blocks.text import Heading, Paragraph

__all__ = [
    "TOC_MARK",
    "TYPST_MIME",
    "Block",
    "BlockList",
    "Callout",
    "Citation",
    "Contents",
    "Heading",
    "KeyPoints",
    "Notes",
    "Paragraph",
    "QuoteList",
    "Renderable",
    "Span",
    "SpanLike",
    "Table",
    "concat",
    "emph",
    "escape_html",
    "escape_markdown",
    "escape_typst",
    "note",
    "strong",
    "typst_note",
    "typst_string",
]
