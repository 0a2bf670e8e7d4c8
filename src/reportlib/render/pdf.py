"""The PDF of a report: the notebook's Markdown → Pandoc (Typst template) → typst.

:func:`markdown_from_notebook` writes the executed notebook as Pandoc Markdown (Typst
outputs as raw blocks, figures as SVG files); :func:`pdf_from_markdown` converts it with
``templates/typst/report.typ``, numbers the notes (:func:`number_typst_notes`), refuses a
character no font can draw (:func:`check_glyphs`) and compiles the PDF. ``SOURCE_DATE_EPOCH``
sets the PDF's date; without it the PDF carries none.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import nbformat

from reportlib import paths
from reportlib.errors import MissingGlyphError, RenderError, ReportlibError
from reportlib.render.execute import report_cells
from reportlib.render.fonts import FontInfo, find_cjk_font
from reportlib.render.title import TitleInfo

__all__ = ["check_glyphs", "markdown_from_notebook", "number_typst_notes", "pdf_from_markdown"]

_FAMILY_OK = re.compile(r"^[\w .\-]+$")


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
    for cell in report_cells(nb).cells:
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
    font = font or find_cjk_font()
    if not _FAMILY_OK.match(font.family):
        raise ReportlibError(f"font family {font.family!r} has unusual characters; rename it")
    workdir.mkdir(parents=True, exist_ok=True)
    meta_file = workdir / "metadata.json"
    meta = _typst_metadata(markdown, title, stamp, font)
    paths.atomic_write(meta_file, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
    source = _typst_source(markdown, workdir, _pandoc_args(meta_file, font, provenance))
    source = number_typst_notes(source)
    typ = workdir / "report.typ"
    paths.atomic_write(typ, source.encode("utf-8"))
    fonts = [font]
    if font.bold_path is not None:
        fonts.append(FontInfo(font.bold_path, font.bold_family or font.family, font.source))
    check_glyphs(source, fonts)
    return _compile_typst(typ, workdir, fonts)


def _typst_metadata(markdown: str, title: TitleInfo, stamp: str, font: FontInfo) -> dict[str, Any]:
    """The template's variables (``metadata.json``): the title block, the stamp, the font."""
    from reportlib.document.blocks import escape_markdown

    return {
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


def _pandoc_args(meta_file: Path, font: FontInfo, provenance: dict[str, Any] | None) -> list[str]:
    """Pandoc's options: template, metadata, Lua filters, PDF date, bold font, provenance."""
    templates = paths.templates_dir() / "typst"
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
    return args


def _typst_source(markdown: str, workdir: Path, args: list[str]) -> str:
    """The Typst source Pandoc makes of ``markdown`` (run in ``workdir``)."""
    import pypandoc

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
    return done.stdout.decode("utf-8")


def _compile_typst(typ: Path, workdir: Path, fonts: list[FontInfo]) -> bytes:
    """The PDF typst compiles from ``typ``, with only ``fonts`` (no system fonts)."""
    import typst

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
