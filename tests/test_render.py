"""Render helpers: dates, title block, stamp, TOC, notebook → Markdown, glyph check, routes."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from reportlib import render
from reportlib.analysis.report_date import resolve_as_of
from reportlib.data import dataset as facts
from reportlib.document.blocks import Paragraph, concat
from reportlib.document.charts.style import figure_from_mpl, new_figure
from reportlib.errors import MissingGlyphError, ReportlibError, ToolMissingError
from reportlib.render.fonts import find_cjk_font
from reportlib.render.html import _add_toc
from reportlib.render.report import _choose_route


@pytest.fixture(scope="module")
def ds(real_data):
    return facts.load(*real_data)


class _Sources:
    def __init__(self, written, published):
        self.sources = pd.DataFrame({"written_date": written, "published_date": published})


def test_resolve_as_of_explicit_and_default() -> None:
    fake = _Sources(["2019", "2025-06-04", "2025-07"], [None, None, "2025-08-13"])
    assert resolve_as_of(fake, "2025-09-01") == "2025-09-01"
    assert resolve_as_of(fake, "") == "2025-08-13"
    assert resolve_as_of(_Sources(["2025-07"], [None]), None) == "2025-07-31"
    with pytest.raises(ReportlibError, match="YYYY-MM-DD"):
        resolve_as_of(fake, "31.08.2025")


def test_title_info_comes_from_the_dataset(ds) -> None:
    loc = ds.locality("huli")
    reply = ds.sources[(ds.sources.kind == "proposal_reply") & (ds.sources.locality_id == "huli")]
    info = render.title_info(ds, "huli", "2025-08-31")
    assert str(loc["name_zh"]) in info.title
    assert info.locality_name == str(loc["name_zh"])
    facts_text = " ".join(v for _, v in info.facts)
    assert str(reply.iloc[0]["doc_number"]) in facts_text
    assert "2025年8月31日" in facts_text


def test_git_commit_outside_a_repository_is_unknown(tmp_path) -> None:
    assert render.git_commit(tmp_path) == "unknown"
    here = render.git_commit()
    assert here == "unknown" or re.fullmatch(r"[0-9a-f]{40}(-dirty)?", here)


def test_stamp_names_hash_version_commit_and_route(ds) -> None:
    stamp = render.build_stamp(ds, "builtin")
    assert ds.data_hash in stamp and "reportlib 0." in stamp and "route builtin" in stamp


def test_toc_numbers_nothing_but_links_every_section() -> None:
    page = (
        "<body><!--@REPORTLIB_TOC@--><main><h2>甲</h2><h3>子</h3><h3 id='x'>丑</h3>"
        '<h2 id="b">乙<a class="anchor-link" href="#b">¶</a></h2></main></body>'
    )
    out = _add_toc(page)
    nav = out.split("<main>")[0]
    assert nav.count("<li>") == 4
    assert '<a href="#sec-1">甲</a><ol><li><a href="#sec-2">子</a>' in nav
    assert '<a href="#b">乙</a>' in nav
    assert '<h2 id="sec-1">甲</h2>' in out


def _svg_output() -> nbformat.NotebookNode:
    return new_output(
        "display_data",
        data={"image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg'/>", "text/html": "<b/>"},
        metadata={"reportlib": {"caption": "图 *1*", "alt": "说明"}},
    )


def test_markdown_from_notebook_takes_markdown_figures_and_skips_streams(tmp_path) -> None:
    nb = new_notebook(
        cells=[
            new_markdown_cell("## 手写章节"),
            new_code_cell(
                "x",
                outputs=[
                    new_output("stream", name="stdout", text="调试输出"),
                    new_output("display_data", data={"text/markdown": "段落", "text/html": "<p/>"}),
                    _svg_output(),
                    new_output("execute_result", data={"text/plain": "42"}, execution_count=1),
                ],
            ),
        ]
    )
    md = render.markdown_from_notebook(nb, tmp_path / "figures")
    assert "调试输出" not in md
    assert md.startswith("## 手写章节\n\n段落\n\n")
    assert r"![图 \*1\*](figures/fig-1.svg){alt=" in md
    assert (tmp_path / "figures" / "fig-1.svg").read_text().startswith("<svg")
    assert "```\n42\n```" in md


def test_check_glyphs_flags_a_character_no_font_has() -> None:
    font = find_cjk_font()
    render.check_glyphs("湖里区 5096 人次", [font])
    with pytest.raises(MissingGlyphError, match=r"U\+13000"):
        render.check_glyphs("湖里区𓀀", [font])


def test_pdf_route_refuses_text_the_fonts_cannot_show(tmp_path) -> None:
    title = render.TitleInfo("标题", "短", "眉题", "", "湖里区", [("报告日期", "2025年")])
    with pytest.raises(MissingGlyphError, match="𓀀"):
        render.pdf_from_markdown("## 一节\n\n象形文字 𓀀\n", title, "stamp", tmp_path)


def test_route_choice(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert _choose_route("auto") == ("builtin", None)
    with pytest.raises(ToolMissingError, match="quarto"):
        _choose_route("quarto")
    with pytest.raises(ReportlibError):
        _choose_route("latex")


def test_unknown_engine_is_an_error(tmp_path) -> None:
    with pytest.raises(ReportlibError, match="engine"):
        render.execute(tmp_path / "x.ipynb", tmp_path / "y.ipynb", {}, engine="nope")


FAKE_QUARTO = """#!/usr/bin/env bash
# test double: records its arguments and writes the file named by --output
echo "$PWD $*" >> "{log}"
out=""
while [ $# -gt 0 ]; do
  if [ "$1" = "--output" ]; then out="$2"; fi
  shift
done
echo "fake quarto output" > "$out"
"""


@pytest.mark.usefixtures("real_data")
def test_quarto_route_command_lines(tmp_path, monkeypatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "quarto.log"
    quarto = bin_dir / "quarto"
    quarto.write_text(FAKE_QUARTO.format(log=log))
    quarto.chmod(quarto.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    nb = new_notebook(
        cells=[
            new_code_cell('locality = "huli"', metadata={"tags": ["parameters"]}),
            new_code_cell("print(locality)"),
        ]
    )
    small = tmp_path / "small.ipynb"
    nbformat.write(nb, str(small))
    result = render.render_locality(
        "huli",
        out_dir=tmp_path / "reports",
        build_dir=tmp_path / "build",
        notebook=small,
        as_of="2025-08-31",
    )
    assert result.route == "quarto"
    calls = log.read_text().splitlines()
    assert len(calls) == 2
    html_call, pdf_call = calls
    assert "render huli.quarto.ipynb --to html -M embed-resources:true" in html_call
    assert "--to typst" in pdf_call and "mainfont:" in pdf_call and "font-paths:" in pdf_call
    for call in calls:
        assert "--no-execute" in call and "toc:true" in call and "number-sections:true" in call
    assert result.pdf.read_text() == "fake quarto output\n"
    html = result.html.read_text()  # Quarto's HTML gets the CJK font the built-in route embeds
    assert html.endswith("fake quarto output\n") and "@font-face" in html
    stamped = json.loads((tmp_path / "build" / "huli" / "huli.quarto.ipynb").read_text())
    assert "route quarto" in "".join(stamped["cells"][-1]["source"])
    leftovers = [p for p in (tmp_path / "reports" / "huli").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_atomic_write_leaves_no_temp_files(tmp_path) -> None:
    from reportlib import paths

    target = tmp_path / "a" / "b.txt"
    paths.atomic_write(target, b"one")
    paths.atomic_write(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["b.txt"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_fonts_dir_is_readable_for_typst() -> None:
    assert Path(find_cjk_font().path).parent.is_dir()


def test_pdf_date_follows_source_date_epoch(tmp_path, monkeypatch) -> None:
    from pypdf import PdfReader

    title = render.TitleInfo("标题", "短", "眉题", "", "湖里区", [("报告日期", "2025年")])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    # a figure inside a BlockList travels as a data URI and is extracted next to the .typ
    fig, ax = new_figure(height_in=1.5)
    ax.bar(["甲", "乙"], [1, 2])
    md = concat(Paragraph("正文。"), figure_from_mpl(fig, "图：甲乙", "两根柱")).to_markdown()
    pdf = render.pdf_from_markdown("## 一节\n\n" + md, title, "stamp", tmp_path / "a")
    (tmp_path / "a.pdf").write_bytes(pdf)
    assert PdfReader(str(tmp_path / "a.pdf")).metadata["/CreationDate"].startswith("D:20231114")
    assert len(list((tmp_path / "a" / "media").glob("*.svg"))) == 1
    assert "图：甲乙" in PdfReader(str(tmp_path / "a.pdf")).pages[-1].extract_text()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    pdf = render.pdf_from_markdown("## 一节\n\n正文。\n", title, "stamp", tmp_path / "b")
    (tmp_path / "b.pdf").write_bytes(pdf)
    assert "/CreationDate" not in (PdfReader(str(tmp_path / "b.pdf")).metadata or {})


def test_a_repeated_footnote_is_printed_once_and_referenced_after(tmp_path) -> None:
    from pypdf import PdfReader

    title = render.TitleInfo("标题", "短", "眉题", "", "湖里区", [("报告日期", "2025年")])
    note = "^[《答复》，一：“建成228所智慧学校”]"
    other = "^[《答复》，二：“3个人工智能实验室”]"
    md = f"## 一节\n\n智慧学校228所{note}，实验室3个{other}。\n\n## 二节\n\n再次：228所{note}。\n"
    pdf = render.pdf_from_markdown(md, title, "stamp", tmp_path / "w")
    typ = (tmp_path / "w" / "report.typ").read_text(encoding="utf-8")
    assert typ.count("#footnote[") == 2
    assert typ.count("#footnote(<reportlib-fn-1>)") == 1
    (tmp_path / "r.pdf").write_bytes(pdf)
    pages = PdfReader(str(tmp_path / "r.pdf")).pages
    text = "".join(p.extract_text() for p in pages).replace(" ", "")  # CJK-Latin spacing
    assert text.count("建成228所智慧学校") == 1
    assert "再次：228所1。" in text  # the second citation points at note 1
    assert "3个人工智能实验室" in text


def test_typst_outputs_reach_pandoc_as_raw_typst_with_their_paragraph_break(tmp_path) -> None:
    typst_output = {"text/markdown": "甲", "text/html": "<p>甲</p>", "text/x-typst": "甲"}
    nb = new_notebook(
        cells=[
            new_code_cell("x", outputs=[new_output("display_data", data=typst_output)]),
            new_markdown_cell("乙"),
        ]
    )
    md = render.markdown_from_notebook(nb, tmp_path / "figures")
    assert md.startswith("```{=typst}\n甲\n")
    title = render.TitleInfo("标题", "短", "眉题", "", "湖里区", [("报告日期", "2025年")])
    render.pdf_from_markdown(md, title, "stamp", tmp_path / "w")
    typ = (tmp_path / "w" / "report.typ").read_text(encoding="utf-8")
    # 甲 and 乙 stay two paragraphs: a blank line separates them in the Typst source
    assert re.search(r"甲\n\n(//[^\n]*\n)?乙", typ)
