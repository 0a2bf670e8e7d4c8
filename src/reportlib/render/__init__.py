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
"""

from __future__ import annotations

import base64
import functools
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import nbformat

from reportlib import __version__, paths
from reportlib.data.regions import applicable_notices, region, region_ids, subset
from reportlib.errors import (
    MissingGlyphError,
    NotebookCellError,
    ReportlibError,
    ToolMissingError,
)
from reportlib.paths import clean_stale_temps, temp_prefix
from reportlib.render.fonts import FontInfo, find_cjk_font

__all__ = [
    "OVERVIEW",
    "ROUTES",
    "RenderResult",
    "TitleInfo",
    "build_stamp",
    "report_provenance",
    "with_provenance",
    "check_glyphs",
    "clean_stale_temps",
    "execute",
    "git_commit",
    "html_from_notebook",
    "markdown_from_notebook",
    "pdf_from_markdown",
    "render_locality",
    "resolve_as_of",
    "title_info",
]

#: The pseudo-locality that renders the overview of all localities.
OVERVIEW = "all"
ROUTES = ("auto", "builtin", "quarto")
ENGINES = ("inprocess", "kernel")

_FONT_MARK = "/*@REPORTLIB_FONT_FACE@*/"
_TOC_MARK = "<!--@REPORTLIB_TOC@-->"
_FAMILY_OK = re.compile(r"^[\w .\-]+$")
_FILE_MODE = 0o644


class RenderError(ReportlibError):
    """A render tool (pandoc, typst, quarto) failed on the generated input."""


@dataclass(frozen=True)
class RenderResult:
    """Where a render put its files, and which route made them."""

    locality: str
    html: Path
    pdf: Path
    notebook: Path
    route: str


@dataclass(frozen=True)
class TitleInfo:
    """What the title block shows; every value comes from the Dataset."""

    title: str
    short_title: str
    kicker: str
    subtitle: str
    locality_name: str
    facts: list[tuple[str, str]] = field(default_factory=list)


# --------------------------------------------------------------------------- dataset bits


def _text(value: Any) -> str:
    if value is None:
        return ""
    try:
        import pandas as pd

        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value).strip()


def _zh_date(partial: Any) -> str:
    from reportlib.document.display import display_date

    return display_date(_text(partial))


def _period_end(partial: str) -> str:
    from reportlib.data import dates

    return dates.period_bounds(partial)[1].isoformat()


def report_sources(ds: Any, locality: str | None = None) -> Any:
    """The sources a report rests on: the locality's own reply and the notices that apply.

    ``None`` or :data:`OVERVIEW`: every source; a region: those its roll-up keeps. A
    locality's report never depends on another locality's documents (adding a locality
    must not change its dates).
    """
    src = ds.sources
    if locality is None or locality == OVERVIEW:
        return src
    if locality in region_ids(ds):  # a roll-up: the documents of the localities under it
        return subset(ds, locality).sources
    rows = ds.localities[ds.localities["locality_id"] == locality]
    raw = rows["policy_scopes"].iloc[0] if len(rows) else ""
    # a loaded Dataset holds lists; a raw table the text "national;henan"
    items = raw if isinstance(raw, (list, tuple)) else _text(raw).split(";")
    scopes = {str(s).strip() for s in items if str(s).strip()}
    own = src["locality_id"] == locality
    notices = (src["kind"] != "proposal_reply") & src["scope"].isin(scopes)
    return src[own | notices]


def data_as_of(ds: Any, locality: str | None = None) -> str | None:
    """数据截至: the newest date a report's sources were written (``None`` if undated)."""
    dates = [_text(v) for v in report_sources(ds, locality)["written_date"] if _text(v)]
    # the newest as the source gives it (a year stays a year), compared by its last day
    return max(dates, key=_period_end) if dates else None


def resolve_as_of(ds: Any, as_of: str | None = None, locality: str | None = None) -> str:
    """The report date as ``YYYY-MM-DD``: ``as_of`` when given, else the newest document date.

    "Newest document date" is the latest date on which one of the report's sources
    (:func:`report_sources`: the locality's reply and the notices that apply to it; every
    source for the overview) was written or published, end of the period for a partial
    date, so the default never depends on today or on other localities.
    """
    if as_of is not None and str(as_of).strip():
        raw = str(as_of).strip()
        try:
            return datetime.strptime(raw, "%Y-%m-%d").date().isoformat()
        except ValueError as exc:
            raise ReportlibError(
                f"as_of {raw!r} is not a date; give it as YYYY-MM-DD (e.g. 2025-08-31)"
            ) from exc
    dates = []
    sources = report_sources(ds, locality)
    for column in ("written_date", "published_date"):
        if column in sources:
            dates += [_period_end(_text(v)) for v in sources[column] if _text(v)]
    if not dates:
        raise ReportlibError("sources.csv has no dates; pass as_of=YYYY-MM-DD explicitly")
    return max(dates)


def _reply(ds: Any, locality: str) -> Any | None:
    src = ds.sources
    rows = src[(src["kind"] == "proposal_reply") & (src["locality_id"] == locality)]
    return None if rows.empty else rows.iloc[0]


def title_info(ds: Any, locality: str, as_of: str) -> TitleInfo:
    """Title block contents for ``locality`` (or :data:`OVERVIEW`)."""
    kicker = "依据政协提案答复与教育政策文件整理 · 每个数字可溯源至原文"
    as_of_zh = _zh_date(as_of)
    if locality == OVERVIEW:
        from reportlib.analysis.overview import SMALL

        locs = ds.localities
        names = "、".join(_text(v) for v in locs["name_zh"])
        if len(locs) > SMALL:  # 2,800 names filled four pages
            names = f"{len(locs)}个地区，分属{locs['province_zh'].nunique()}个省份"
        facts = [("覆盖地区", names)]
        until = data_as_of(ds, None)
        if until:
            facts.append(("数据截至", _zh_date(until)))
        facts.append(("报告日期", as_of_zh))
        n_replies = int((ds.sources["kind"] == "proposal_reply").sum())
        n_notices = len(ds.sources) - n_replies
        # the full titles are listed once, in the appendix's source list
        facts.append(("依据文件", f"{n_replies}份提案答复、{n_notices}份政策通知（全称见附录）"))
        return TitleInfo(
            title="中小学人工智能教育进展概览",
            short_title="中小学人工智能教育进展概览",
            kicker=kicker,
            subtitle="各地区提案答复对照",
            locality_name="全部地区",
            facts=facts,
        )
    if locality in region_ids(ds):
        return _rollup_title(ds, locality, as_of_zh, kicker)
    loc = ds.locality(locality)
    name = _text(loc["name_zh"])
    facts = []
    reply = _reply(ds, locality)
    if reply is not None:
        facts.append(("依据文件", _reply_label(reply)))
    until = data_as_of(ds, locality)
    if until:
        facts.append(("数据截至", _zh_date(until)))
    facts.append(("报告日期", as_of_zh))
    return TitleInfo(
        title=f"{name}中小学人工智能教育进展报告",
        short_title="中小学人工智能教育进展报告",
        kicker=kicker,
        subtitle=_text(loc.get("name_en", "")),
        locality_name=name,
        facts=facts,
    )


def _rollup_title(ds: Any, region_id: str, as_of_zh: str, kicker: str) -> TitleInfo:
    """Title block of a province's or city's roll-up: its name, how many localities."""
    reg = region(ds, region_id)
    name = _text(reg["name_zh"])
    sub = subset(ds, region_id)
    names = [_text(v) for v in sub.localities["name_zh"]]
    # a long list of names belongs in the report's body, not its title block
    shown = "、".join(names) if len(names) <= 8 else f"{len(names)}个地区"
    notices = applicable_notices(ds, region_id)
    facts = [("覆盖地区", shown), ("报告日期", as_of_zh)]
    for _, notice in notices.iterrows():
        facts.append(("适用政策", f"{_text(notice['issuer'])}《{_text(notice['title'])}》"))
    return TitleInfo(
        title=f"{name}中小学人工智能教育进展概览",
        short_title="中小学人工智能教育进展概览",
        kicker=kicker,
        subtitle=f"{name}各地区提案答复对照",
        locality_name=name,
        facts=facts,
    )


def _reply_label(reply: Any) -> str:
    parts = [f"{_text(reply['issuer'])}《{_text(reply['title'])}》"]
    if _text(reply.get("doc_number")):
        parts.append(_text(reply["doc_number"]))
    if _text(reply.get("written_date")):
        parts.append(_zh_date(reply["written_date"]))
    return "，".join(parts)


# --------------------------------------------------------------------------- stamp


def git_commit(root: Path | None = None) -> str:
    """``git rev-parse HEAD`` of the project (``-dirty`` if tracked files changed), or unknown."""
    root = root or paths.PROJECT_ROOT
    git = shutil.which("git")
    if git is None or not (root / ".git").exists():
        return "unknown"
    try:
        head = subprocess.run(
            [git, "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        status = subprocess.run(
            [git, "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}-dirty" if status else head


def build_stamp(ds: Any, route: str) -> str:
    """The line every report ends with: data hash, package version, git commit, route."""
    return (
        f"数据哈希 data sha256 {ds.data_hash} · reportlib {__version__} · "
        f"git {git_commit()} · route {route}"
    )


def report_provenance(
    ds: Any, locality: str, route: str, as_of: str, font: FontInfo | None = None
) -> dict[str, Any]:
    """The provenance record of a report (:func:`reportlib.render.provenance.collect`), ordered."""
    from reportlib.render.provenance import collect

    font = font or find_cjk_font()
    files = [("regular", font.path)] + ([("bold", font.bold_path)] if font.bold_path else [])
    return collect(ds, locality, route, as_of, files, font.source)


def with_provenance(html_text: str, record: dict[str, Any]) -> str:
    """``html_text`` with the provenance record as a ``<meta>`` at the end of its head."""
    from reportlib.render.provenance import html_block

    head_end = max(html_text.find("</head>"), 0)  # no head (a bare fragment): at the start
    return html_text[:head_end] + html_block(record) + "\n" + html_text[head_end:]


# --------------------------------------------------------------------------- execution


def execute(
    notebook: Path,
    output: Path,
    parameters: dict[str, str],
    engine: str = "inprocess",
) -> nbformat.NotebookNode:
    """Run ``notebook`` with papermill into ``output``; a failing cell → NotebookCellError.

    The output is written to a temporary name next to ``output`` and moved into place only
    when every cell ran; a failed run is kept as ``<name>.failed.ipynb``.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    if engine not in ENGINES:
        raise ReportlibError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    # papermill wants a kernel name even for an engine that starts no kernel
    kwargs: dict[str, Any] = {"kernel_name": "python3", "language": "python"}
    if engine == "inprocess":
        import reportlib.render.engine  # noqa: F401  (registers the "reportlib" papermill engine)

        kwargs["engine_name"] = "reportlib"
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.stem}.running.ipynb")
    try:
        executed = papermill.execute_notebook(
            str(notebook),
            str(tmp),
            parameters=parameters,
            progress_bar=False,
            log_output=False,
            # papermill writes the output once at the end (and on failure); saving after the
            # last cell too serialised a ~1.5 MB notebook twice per report
            request_save_on_cell_execute=False,
            cwd=str(notebook.parent),
            **kwargs,
        )
    except PapermillExecutionError as exc:
        kept = output.with_name(f"{output.stem}.failed.ipynb")
        if tmp.exists():
            os.replace(tmp, kept)
        index = _source_index(kept, exc.cell_index) if kept.exists() else exc.cell_index
        raise NotebookCellError(index, exc.source, exc.ename, exc.evalue, kept) from None
    os.replace(tmp, output)
    return executed  # what papermill wrote: reading the file back cost ~40 ms a report


_ADDED_TAGS = {"injected-parameters", "papermill-error-cell-tag"}


def _source_index(kept: Path, executed_index: int) -> int:
    """Index of the failed cell in the notebook the analyst edits (papermill adds cells).

    ``executed_index`` counts the injected-parameters cell; the kept notebook also has
    papermill's error banners. The failing cell is the one with an error output.
    """
    nb = nbformat.read(str(kept), as_version=4)
    index = 0
    for cell in nb.cells:
        if _ADDED_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return index
        index += 1
    return executed_index


# --------------------------------------------------------------------------- HTML


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
    body, _ = exporter.from_notebook_node(_report_cells(nb), resources=resources)
    body = _add_toc(body)
    font = font or find_cjk_font()
    face = font_face_css(font, _visible_text(body), _bold_text(body))
    return body.replace(_FONT_MARK, face, 1)


def _report_cells(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The cells the report prints (:func:`reportlib.document.outline.report_cells`)."""
    from reportlib.document.outline import report_cells

    return report_cells(nb)


# --------------------------------------------------------------------------- Markdown/PDF


def markdown_from_notebook(nb: nbformat.NotebookNode, figure_dir: Path) -> str:
    """Pandoc Markdown of the executed notebook; SVG outputs are written to ``figure_dir``.

    Markdown cells are taken verbatim; outputs with a Typst rendering (reportlib's blocks)
    become raw Typst blocks, which Pandoc passes through unparsed; other outputs are taken by
    their ``text/markdown``; SVG figures are referenced with the caption from their output
    metadata; stream output is ignored.
    """
    from reportlib.document.blocks import TYPST_MIME, escape_markdown

    parts: list[str] = []
    n_fig = 0
    for cell in _report_cells(nb).cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
            continue
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.output_type not in ("display_data", "execute_result"):
                continue
            data = out.get("data", {})
            if "image/svg+xml" in data:
                n_fig += 1
                figure_dir.mkdir(parents=True, exist_ok=True)
                svg = _joined(data["image/svg+xml"])
                name = f"fig-{n_fig}.svg"
                paths.atomic_write(figure_dir / name, svg.encode("utf-8"))
                meta = out.get("metadata", {}).get("reportlib", {})
                caption = escape_markdown(meta.get("caption", "")).strip()
                alt = meta.get("alt", "").replace('"', "'")
                parts.append(f'![{caption}]({figure_dir.name}/{name}){{alt="{alt}"}}')
            elif TYPST_MIME in data:
                typst_text = _joined(data[TYPST_MIME])
                fence = "`" * max(3, _longest_run(typst_text, "`") + 1)
                # Pandoc joins a raw block to the next block with a bare newline and drops
                # trailing blank lines, so the next paragraph would continue this one; a
                # comment after a blank line keeps the paragraph break.
                parts.append(f"{fence}{{=typst}}\n{typst_text}\n\n// end of output\n{fence}")
            elif "text/markdown" in data:
                parts.append(data["text/markdown"])
            elif "text/plain" in data:
                fence = "`" * max(3, _longest_run(data["text/plain"], "`") + 1)
                parts.append(f"{fence}\n{data['text/plain']}\n{fence}")
    return "\n\n".join(p.strip("\n") for p in parts if p.strip()) + "\n"


def _joined(value: str | list[str]) -> str:
    """An output's text, whether stored whole or as a list of lines (nbformat on disk)."""
    return "".join(value) if isinstance(value, list) else value


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(f"{re.escape(char)}+", text)
    return max((len(r) for r in runs), default=0)


def _pdf_date_variable() -> str | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        when = datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    except ValueError as exc:
        raise ReportlibError(
            f"SOURCE_DATE_EPOCH={epoch!r} is not an integer number of seconds; unset or fix it"
        ) from exc
    return (
        f"datetime(year: {when.year}, month: {when.month}, day: {when.day}, "
        f"hour: {when.hour}, minute: {when.minute}, second: {when.second})"
    )


_TYPST_NOTE = re.compile(r'#reportlib-note\("([0-9a-f]{16})"\)\[((?:\\.|[^\\\]])*)\]', re.S)


def number_typst_notes(source: str) -> str:
    """Turn the blocks' note markers into Typst footnotes, each distinct note printed once.

    The first marker of a note becomes ``#footnote[...] <reportlib-note-KEY>``, every later
    one ``#footnote(<reportlib-note-KEY>)``: a quote cited in the key figures, the peers
    table and the appendix gets one number. (Notes in the analysts' Markdown are numbered the
    same way by templates/typst/footnotes.lua.)
    """
    seen: set[str] = set()

    def replace(m: re.Match[str]) -> str:
        key, body = m.group(1), m.group(2)
        if key in seen:
            return f"#footnote(<reportlib-note-{key}>)"
        seen.add(key)
        return f"#footnote[{body}]<reportlib-note-{key}>"

    return _TYPST_NOTE.sub(replace, source)


def check_glyphs(text: str, fonts: Iterable[FontInfo]) -> None:
    """Raise MissingGlyphError if ``text`` has a character none of ``fonts`` can draw."""
    from reportlib.render.fonts import font_covers

    missing: set[str] | None = None
    for font in fonts:
        gaps = font_covers(font.path, text, font.font_number)
        missing = gaps if missing is None else missing & gaps
    if missing:
        shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in sorted(missing))
        raise MissingGlyphError(
            f"the PDF would show {shown} as empty boxes: no font given to Typst has it; "
            "change the text in data/*.csv or set REPORTLIB_CJK_FONT to a font with it"
        )


def pdf_from_markdown(
    markdown: str,
    title: TitleInfo,
    stamp: str,
    workdir: Path,
    font: FontInfo | None = None,
    provenance: dict[str, Any] | None = None,
) -> bytes:
    """PDF bytes: Markdown → Pandoc (Typst template) → glyph check → typst.

    ``provenance`` (see :mod:`reportlib.render.provenance`) goes into the PDF's keywords (document
    info and XMP).
    """
    import pypandoc
    import typst

    from reportlib.document.blocks import escape_markdown

    font = font or find_cjk_font()
    if not _FAMILY_OK.match(font.family):
        raise ReportlibError(f"font family {font.family!r} has unusual characters; rename it")
    templates = paths.templates_dir() / "typst"
    meta = {
        "title": escape_markdown(title.title),
        "short-title": escape_markdown(title.short_title),
        "kicker": escape_markdown(title.kicker),
        "subtitle": escape_markdown(title.subtitle),
        "locality": escape_markdown(title.locality_name),
        "stamp": escape_markdown(stamp),
        "facts": [
            {"label": escape_markdown(k), "value": escape_markdown(v)} for k, v in title.facts
        ],
        "cjkfont": font.family,
        # a Contents block in the report (after the 要点) places the outline itself
        "contents-in-body": "#outline(" in markdown,
    }
    workdir.mkdir(parents=True, exist_ok=True)
    meta_file = workdir / "metadata.json"
    paths.atomic_write(meta_file, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
    args = [
        "--template",
        str(templates / "report.typ"),
        "--metadata-file",
        str(meta_file),
        "--lua-filter",
        str(templates / "callout.lua"),
        "--lua-filter",
        str(templates / "footnotes.lua"),
        "--lua-filter",
        str(templates / "keep.lua"),
        "--shift-heading-level-by=-1",
        "--extract-media=media",  # figures inside BlockLists come as data URIs
        "--wrap=none",
    ]
    pdf_date = _pdf_date_variable()
    if pdf_date:
        args += ["-V", f"pdf-date={pdf_date}"]
    bold_family = font.bold_family or font.family
    if font.bold_path is not None and _FAMILY_OK.match(bold_family):
        args += ["-V", f"cjkboldfont={bold_family}"]
    if provenance is not None:
        from reportlib.render.provenance import pdf_keyword

        # a Typst string literal: the record is ASCII JSON, so only \ and " need escaping
        keyword = pdf_keyword(provenance).replace("\\", "\\\\").replace('"', '\\"')
        args += ["-V", f"provenance={keyword}"]
    # pypandoc finds the bundled pandoc binary; calling it directly skips pypandoc's per-call
    # format checks (each a pandoc subprocess): ~40 ms of a ~80 ms step.
    cmd = [pypandoc.get_pandoc_path(), "--from=markdown-implicit_header_references"]
    cmd += ["--to=typst", *args]
    done = subprocess.run(
        cmd,
        input=markdown.encode("utf-8"),
        capture_output=True,
        cwd=str(workdir),  # extracted media paths are relative to the .typ file
        check=False,
    )
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace").strip()
        raise RenderError(f"pandoc could not convert the report Markdown: {message}")
    source = done.stdout.decode("utf-8")
    source = number_typst_notes(source)
    typ = workdir / "report.typ"
    paths.atomic_write(typ, source.encode("utf-8"))
    fonts = [font]
    if font.bold_path is not None:
        fonts.append(FontInfo(font.bold_path, bold_family, font.source))
    check_glyphs(source, fonts)
    font_dirs = sorted({str(f.path.parent) for f in fonts})
    try:
        return typst.compile(
            str(typ),
            root=str(workdir),
            font_paths=font_dirs,
            ignore_system_fonts=True,
        )
    except Exception as exc:  # typst raises its own error types with the message
        raise RenderError(
            f"typst could not compile {typ}: {exc}; the Typst source is kept there"
        ) from exc


# --------------------------------------------------------------------------- Quarto


def _quarto(
    executed: Path,
    html_tmp: Path,
    pdf_tmp: Path,
    title: TitleInfo,
    stamp: str,
    quarto: str,
    font: FontInfo,
) -> None:
    """Render the executed notebook with Quarto to HTML and to Typst/PDF."""
    from reportlib.document.blocks import escape_markdown

    work = executed.parent
    # Quarto renders the notebook as it is: append the stamp as a last Markdown cell
    nb = _report_cells(nbformat.read(str(executed), as_version=4))
    nb.cells.append(nbformat.v4.new_markdown_cell(escape_markdown(stamp), id="reportlib-stamp"))
    source = work / f"{executed.stem}.quarto.ipynb"
    paths.atomic_write(source, nbformat.writes(nb).encode("utf-8"))
    common = ["--no-execute", "-M", f"title:{title.title}", "-M", "number-sections:true"]
    common += ["-M", "toc:true", "-M", "lang:zh"]
    jobs = [
        (["--to", "html", "-M", "embed-resources:true"], f"{executed.stem}.quarto.html", html_tmp),
        (
            ["--to", "typst", "-M", f"mainfont:{font.family}"]
            + ["-M", f"font-paths:{font.path.parent}"],
            f"{executed.stem}.quarto.pdf",
            pdf_tmp,
        ),
    ]
    for extra, name, target in jobs:
        cmd = [quarto, "render", source.name, *extra, *common, "--output", name]
        proc = subprocess.run(cmd, cwd=work, capture_output=True, text=True)
        if proc.returncode != 0 or not (work / name).exists():
            raise RenderError(
                f"quarto failed ({' '.join(cmd)}), exit {proc.returncode}:\n{proc.stderr[-2000:]}"
            )
        shutil.copyfile(work / name, target)
    # Quarto's HTML relies on the reader's fonts: give it the CJK subset the built-in route
    # embeds, for the text and for the charts' SVG labels.
    html_tmp.write_text(embed_cjk_font(html_tmp.read_text(encoding="utf-8"), font), "utf-8")


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


# --------------------------------------------------------------------------- main entry


def _temp_in(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(name), suffix=".tmp", dir=folder)
    os.close(fd)
    os.chmod(tmp, _FILE_MODE)  # mkstemp makes 0600; reports are meant to be shared
    return Path(tmp)


def _choose_route(route: str) -> tuple[str, str | None]:
    if route not in ROUTES:
        raise ReportlibError(f"route must be one of {', '.join(ROUTES)}, not {route!r}")
    quarto = shutil.which("quarto")
    if route == "quarto" and quarto is None:
        raise ToolMissingError(
            "route 'quarto' needs the quarto executable on PATH; install it from "
            "https://quarto.org/docs/get-started/ (or conda-forge), or use route='builtin'"
        )
    if route == "auto":
        route = "quarto" if quarto else "builtin"
    return route, quarto


def render_locality(
    locality: str,
    data_dir: str | os.PathLike[str] | None = None,
    sources_dir: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    build_dir: str | os.PathLike[str] | None = None,
    as_of: str | None = None,
    route: str = "auto",
    engine: str = "inprocess",
    notebook: str | os.PathLike[str] | None = None,
) -> RenderResult:
    """Render one locality's report (or ``"all"``: the overview) to HTML and PDF.

    Validates ``locality`` against the data before writing anything; a failing notebook
    cell raises :class:`NotebookCellError` and leaves the previous report untouched.
    """
    from reportlib.data import dataset as facts

    ds = facts.load(data_dir, sources_dir)
    if locality == OVERVIEW:
        nb_path = Path(notebook) if notebook else paths.notebooks_dir() / "overview_report.ipynb"
        if not nb_path.exists():
            raise ReportlibError(
                f"the overview notebook {nb_path} does not exist yet; render one locality "
                f"({', '.join(ds.locality_ids())}) instead"
            )
    elif locality in region_ids(ds):  # a province or city: the overview of what lies under it
        subset(ds, locality)  # no locality under it: an error before any write
        nb_path = Path(notebook) if notebook else paths.notebooks_dir() / "overview_report.ipynb"
    else:
        ds.locality(locality)  # UnknownLocalityError listing the known ids, before any write
        nb_path = Path(notebook) if notebook else paths.notebooks_dir() / "locality_report.ipynb"
    if not nb_path.exists():
        raise ReportlibError(f"notebook {nb_path} does not exist; pass an existing notebook")
    route, quarto = _choose_route(route)
    day = resolve_as_of(ds, as_of, locality)
    title = title_info(ds, locality, day)
    font = find_cjk_font()

    work = paths.build_dir(build_dir) / locality
    target = paths.reports_dir(out_dir) / locality
    executed = work / f"{locality}.ipynb"
    for folder in (target, work, work / "figures"):
        clean_stale_temps(folder)
    params = {"as_of": day, "data_dir": str(ds.data_dir), "sources_dir": str(ds.sources_dir)}
    if locality in region_ids(ds):  # the overview notebook's roll-up parameter
        params = {"scope": locality, **params}
    elif locality != OVERVIEW:  # the overview notebook has no locality parameter
        params = {"locality": locality, **params}
    nb = execute(nb_path.resolve(), executed, params, engine=engine)
    stamp = build_stamp(ds, route)
    record = report_provenance(ds, locality, route, day, font)

    html_tmp = _temp_in(target, f"{locality}.html")
    pdf_tmp = _temp_in(target, f"{locality}.pdf")
    try:
        if route == "quarto":
            assert quarto is not None
            _quarto(executed, html_tmp, pdf_tmp, title, stamp, quarto, font)
            html_tmp.write_text(with_provenance(html_tmp.read_text("utf-8"), record), "utf-8")
        else:
            from concurrent.futures import ThreadPoolExecutor

            markdown = markdown_from_notebook(nb, work / "figures")
            paths.atomic_write(work / f"{locality}.md", markdown.encode("utf-8"))
            # pandoc is a subprocess and typst releases the GIL: the PDF is made on the second
            # core while the HTML's font is subset here (~0.5-1 s less per report).
            with ThreadPoolExecutor(max_workers=1) as pool:
                pdf = pool.submit(pdf_from_markdown, markdown, title, stamp, work, font, record)
                page = with_provenance(html_from_notebook(nb, title, stamp, font), record)
                html_tmp.write_text(page, encoding="utf-8")
                pdf_tmp.write_bytes(pdf.result())
        html_out, pdf_out = target / f"{locality}.html", target / f"{locality}.pdf"
        os.replace(html_tmp, html_out)
        os.replace(pdf_tmp, pdf_out)
    finally:
        html_tmp.unlink(missing_ok=True)
        pdf_tmp.unlink(missing_ok=True)
    return RenderResult(locality, html_out, pdf_out, executed, route)
