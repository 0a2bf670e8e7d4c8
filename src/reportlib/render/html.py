"""The HTML of a report: nbconvert with ``templates/html`` and the CJK font inlined.

:func:`html_from_notebook` exports the executed notebook (without ``remove-cell`` cells)
through the project's template, adds the table of contents (ids on every h2/h3) and inlines
a subset of the CJK font, regular and bold, as base64 OpenType (:func:`font_face_css`): the
page fetches nothing from the network. :func:`embed_cjk_font` gives another page (Quarto's)
the same font.
"""

from __future__ import annotations

import base64
import functools
import re
from pathlib import Path
from typing import Any

import nbformat

from reportlib import paths
from reportlib.render.execute import report_cells
from reportlib.render.fonts import FontInfo, find_cjk_font
from reportlib.render.title import TitleInfo

__all__ = ["embed_cjk_font", "font_face_css", "forget_templates", "html_from_notebook"]

_FONT_MARK = "/*@REPORTLIB_FONT_FACE@*/"
_TOC_MARK = "<!--@REPORTLIB_TOC@-->"


def font_face_css(font: FontInfo, text: str, bold_text: str = "") -> str:
    """@font-face rules with the font cut down to ``text``'s characters, base64 OpenType;
    and, when the font has a real bold and ``bold_text`` is given, the bold face cut down
    to the characters set in bold (so a browser never fakes a bold)."""
    rules = [_face_rule(font, text, 400)]
    if font.bold_path is not None and bold_text.strip():
        bold = FontInfo(font.bold_path, font.bold_family or font.family, font.source)
        # the packaged bold is pan-CJK (JP by default): locl picks the Chinese forms, as the
        # PDF's lang setting does in Typst
        rules.append(_face_rule(bold, bold_text, 700, ("locl",)))
    return "\n".join(rules)


def _face_rule(font: FontInfo, text: str, weight: int, features: tuple[str, ...] = ()) -> str:
    from reportlib.render.fonts import subset_font

    chars = {ord(c) for c in text if not c.isspace()} | {ord(" ")}
    # plain OpenType: WOFF's per-table zlib saved ~10 % of the font's size for ~15 ms a report
    data = base64.b64encode(subset_font(font, chars, None, features)).decode("ascii")
    return (
        f'@font-face {{ font-family: "ReportCJK"; font-style: normal; font-weight: {weight}; '
        f'src: url(data:font/otf;base64,{data}) format("opentype"); }}'
    )


#: Elements the stylesheet sets in bold (report.css): their text gets the bold face.
_BOLD_ELEMENTS = re.compile(r"<(h[1-4]|strong)\b[^>]*>(.*?)</\1>", re.S)


def _bold_text(html_text: str) -> str:
    """The text of the elements the stylesheet sets in bold (headings, strong), and the
    digits of the section numbers that CSS counters put before headings."""
    found = " ".join(m.group(2) for m in _BOLD_ELEMENTS.finditer(html_text))
    return _visible_text(found) + " 0123456789." if found else ""


_HEADING = re.compile(r"<h([23])(\s[^>]*)?>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")
_ID_ATTR = re.compile(r'\bid="([^"]*)"')


def _add_toc(html_text: str) -> str:
    """Give every h2/h3 in <main> an id and put a nested table of contents at the marker."""
    head, sep, rest = html_text.partition("<main>")
    if not sep:
        return html_text.replace(_TOC_MARK, "")
    body, sep2, tail = rest.partition("</main>")
    if _TOC_MARK in body:  # a Contents block placed the contents: not the template's place
        head = head.replace(_TOC_MARK, "")
    entries: list[tuple[int, str, str]] = []
    counter = 0

    def visit(m: re.Match[str]) -> str:
        nonlocal counter
        level, attrs, inner = int(m.group(1)), m.group(2) or "", m.group(3)
        found = _ID_ATTR.search(attrs)
        if found:
            ident = found.group(1)
        else:
            counter += 1
            ident = f"sec-{counter}"
            attrs = f' id="{ident}"{attrs}'
        label = _TAG.sub("", inner).replace("¶", "").strip()
        entries.append((level, ident, label))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    body = _HEADING.sub(visit, body)
    toc = ['<nav class="toc" aria-label="目录"><p class="toc-title">目录</p><ol>']
    open_sub = False
    for i, (level, ident, label) in enumerate(entries):
        if level == 3 and i > 0:
            if not open_sub:
                toc[-1] = toc[-1].removesuffix("</li>")
                toc.append("<ol>")
                open_sub = True
            toc.append(f'<li><a href="#{ident}">{label}</a></li>')
            continue
        if open_sub:
            toc.append("</ol></li>")
            open_sub = False
        toc.append(f'<li><a href="#{ident}">{label}</a></li>')
    if open_sub:
        toc.append("</ol></li>")
    toc.append("</ol></nav>")
    nav = "".join(toc) if entries else ""
    return (head + sep + body + sep2 + tail).replace(_TOC_MARK, nav)


def _visible_text(html_text: str) -> str:
    """Characters a reader may see: text outside tags and <style>, chart labels included."""
    no_style = re.sub(r"<style\b.*?</style>", " ", html_text, flags=re.S)
    import html as _html

    return _html.unescape(_TAG.sub(" ", no_style))


@functools.cache
def _report_exporter_class() -> type:
    """nbconvert's HTMLExporter without its final BeautifulSoup round trip and re-validation.

    HTMLExporter re-parses the finished page to add alt text to ``<img>`` tags that lack it
    and ``tabindex`` to JupyterLab cell wrappers. Our template has neither (charts are inline
    SVG with ``aria-label``), and re-parsing a page full of SVG was ~85% of the HTML step
    (~0.14 s per report). The exporter also validated the whole notebook after each
    preprocessor. Everything else is nbconvert's own code path.
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class ReportHTMLExporter(HTMLExporter):
        def from_notebook_node(  # type: ignore[override]
            self, nb: nbformat.NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
        ) -> tuple[str, dict[str, Any]]:
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight = self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
            )
            resources = self._init_resources(resources)
            data_type = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight)
            self.register_filter("filter_data_type", data_type)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

        def _validate_preprocessor(self, nbc: nbformat.NotebookNode, preprocessor: Any) -> None:
            # nbconvert re-validates the whole notebook after each preprocessor; papermill
            # validated it when it wrote it, and ours change no structure (~15 ms a report)
            return None

    return ReportHTMLExporter


@functools.cache
def _report_exporter(templates: Path) -> Any:
    """One exporter per process: building one compiles the Jinja templates (~15 ms)."""
    return _report_exporter_class()(
        extra_template_basedirs=[str(templates)],
        template_name="html",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def html_from_notebook(
    nb: nbformat.NotebookNode, title: TitleInfo, stamp: str, font: FontInfo | None = None
) -> str:
    """Self-contained HTML of the executed notebook with the project's template."""
    exporter = _report_exporter(paths.templates_dir())
    css = (paths.templates_dir() / "html" / "report.css").read_text(encoding="utf-8")
    resources = {
        "reportlib": {
            "title": title.title,
            "kicker": title.kicker,
            "subtitle": title.subtitle,
            "facts": title.facts,
            "stamp": stamp,
            "css": css,
        }
    }
    body, _ = exporter.from_notebook_node(report_cells(nb), resources=resources)
    body = _add_toc(body)
    font = font or find_cjk_font()
    face = font_face_css(font, _visible_text(body), _bold_text(body))
    return body.replace(_FONT_MARK, face, 1)


_QUARTO_FONT_RULES = (
    'body, svg text { font-family: "ReportCJK", "Noto Sans CJK SC", "Source Han Sans SC", '
    "sans-serif !important; }"
)


def embed_cjk_font(html_text: str, font: FontInfo) -> str:
    """``html_text`` with an inline @font-face of the characters it shows, set on the text."""
    faces = font_face_css(font, _visible_text(html_text), _bold_text(html_text))
    style = f"<style>{faces}\n{_QUARTO_FONT_RULES}</style>"
    if "</head>" in html_text:
        return html_text.replace("</head>", style + "</head>", 1)
    return style + html_text


def forget_templates() -> None:
    """Compile the HTML templates again at the next export (after a template was edited)."""
    _report_exporter.cache_clear()
