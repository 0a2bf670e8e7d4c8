"""Render a locality's report: execute the notebook, then HTML and PDF.

``render_locality("huli")`` runs ``notebooks/locality_report.ipynb`` with papermill into
``build/huli/huli.ipynb`` (the record of what was shown), then writes
``reports/huli/huli.html`` and ``reports/huli/huli.pdf`` by one of two routes:

- ``"quarto"`` (when a ``quarto`` executable is on PATH): Quarto renders the executed
  notebook to self-contained HTML and to Typst/PDF;
- ``"builtin"`` (pip only): nbconvert with ``templates/html`` for the HTML (title block,
  table of contents, CSS counters for section numbers, a subset of the CJK font inlined as
  base64, nothing fetched from the network), and for the PDF the outputs' ``text/markdown``
  (figures as SVG files) → Pandoc → Typst with ``templates/typst/report.typ`` → ``typst``.

Section headings in the notebook are level 2 (``##`` / ``Heading(level=2)``); level 1 is
the report title, which the templates write from the Dataset.

Every output is written to a temporary file in its target folder and moved into place with
``os.replace`` once both HTML and PDF exist, so a failed render leaves the previous report
untouched. Same data and code → byte-identical HTML and PDF (``SOURCE_DATE_EPOCH`` sets the
PDF date; without it the PDF carries none).

The modules: ``report`` (``render_locality``, the route), ``execute`` (papermill),
``title`` (the title block), ``html``, ``pdf``, ``quarto`` (the outputs), ``provenance``
(the record and the stamp), ``fonts``, ``engine`` (the in-process papermill engine),
``preview``, ``verify``, ``lockfile``. This package re-exports their public API; the report
date is the analysis layer's (:mod:`reportlib.analysis.report_date`).
"""

from __future__ import annotations

from reportlib.analysis.report_date import OVERVIEW
from reportlib.errors import RenderError
from reportlib.render.execute import ENGINES, execute, report_cells
from reportlib.render.html import embed_cjk_font, font_face_css, html_from_notebook
from reportlib.render.pdf import (
    check_glyphs,
    markdown_from_notebook,
    number_typst_notes,
    pdf_from_markdown,
)
from reportlib.render.provenance import (
    build_stamp,
    git_commit,
    report_provenance,
    with_provenance,
)
from reportlib.render.report import ROUTES, RenderResult, render_locality
from reportlib.render.title import TitleInfo, title_info

__all__ = [
    "ENGINES",
    "OVERVIEW",
    "ROUTES",
    "RenderError",
    "RenderResult",
    "TitleInfo",
    "build_stamp",
    "check_glyphs",
    "embed_cjk_font",
    "execute",
    "font_face_css",
    "git_commit",
    "html_from_notebook",
    "markdown_from_notebook",
    "number_typst_notes",
    "pdf_from_markdown",
    "render_locality",
    "report_cells",
    "report_provenance",
    "title_info",
    "with_provenance",
]
