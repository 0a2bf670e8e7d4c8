"""Blocks render escaped HTML and Pandoc Markdown; the nasty quote stays literal."""

from __future__ import annotations

import pandas as pd
import pypandoc
import pytest

from reportlib.document.blocks import (
    BlockList,
    Callout,
    Citation,
    Heading,
    Paragraph,
    Table,
    concat,
    emph,
    escape_markdown,
    escape_typst,
    note,
    strong,
)
from reportlib.document.text_width import display_width

NASTY = '<script>alert(1)</script> #panic("x") $x$ *a* @ref'


def _plain(markdown: str) -> str:
    """What Pandoc makes of the Markdown, as plain text (no markup interpretation left)."""
    return pypandoc.convert_text(markdown, "plain", format="markdown", extra_args=["--wrap=none"])


def test_escape_markdown_backslashes_every_ascii_punctuation() -> None:
    assert escape_markdown("a*b_c#1.") == r"a\*b\_c\#1\."
    assert escape_markdown("中文，（全角）") == "中文，（全角）"
    assert escape_markdown("line\n  two") == "line two"


@pytest.mark.parametrize(
    "block",
    [
        Heading(NASTY),
        Paragraph(NASTY),
        Paragraph([strong(NASTY), " ", emph(NASTY)]),
        Callout("warning", NASTY),
        Table(pd.DataFrame({"quote": [NASTY]}), caption=NASTY),
    ],
    ids=["heading", "paragraph", "spans", "callout", "table"],
)
def test_nasty_quote_is_literal_in_html_and_markdown(block) -> None:
    html = block.to_html()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = _plain(block.to_markdown())
    assert NASTY in text.replace("\n", " ")


def test_paragraph_spans_and_footnotes() -> None:
    p = Paragraph(["培训", strong("5096"), "人次", note("。", "来源：湖里区答复 <一>")])
    html = p.to_html()
    assert "<strong>5096</strong>" in html
    assert '<sup class="fnref">' in html and ">1</a></sup>" in html
    assert "来源：湖里区答复 &lt;一&gt;" in html
    md = p.to_markdown()
    assert "**5096**" in md
    ref = md.split("[^", 1)[1].split("]", 1)[0]
    assert f"[^{ref}]: 来源：湖里区答复 \\<一\\>" in md
    assert "[1]" in _plain(md)


def test_footnote_ids_deterministic_and_distinct_between_blocks() -> None:
    a1 = Paragraph([note("甲", "注一")]).to_markdown()
    a2 = Paragraph([note("甲", "注一")]).to_markdown()
    b = Paragraph([note("乙", "注一")]).to_markdown()
    assert a1 == a2
    assert a1.split("]")[0] != b.split("]")[0]


def test_table_alignment_caption_and_cell_notes() -> None:
    df = pd.DataFrame({"指标": ["培训人次", "学时"], "数值": [5096, 208.5]})
    t = Table(df, caption="湖里区|数据", notes={0: "行注", (1, "数值"): "格注"})
    html = t.to_html()
    assert "<caption>湖里区|数据</caption>" in html
    assert '<td class="num">5096' in html and '<td class="num">208.5' in html
    assert html.count('<sup class="fnref">') == 2
    md = t.to_markdown()
    lines = md.splitlines()
    assert lines[0] == "| 指标 | 数值 |"
    assert lines[1].startswith("|:-") and lines[1].endswith(":|")
    assert r": 湖里区\|数据" in md
    typst = pypandoc.convert_text(md, "typst", format="markdown")
    assert "kind: table" in typst and "#footnote[行注]" in typst


def test_table_from_rows_newlines_in_cells_become_spaces() -> None:
    t = Table([["a\nb", 1]], columns=["x", "n"])
    assert "| a b | 1 |" in t.to_markdown()
    assert t.to_html().count("<tr>") == 2


def test_table_note_outside_table_is_an_error() -> None:
    with pytest.raises(IndexError):
        Table([[1]], columns=["x"], notes={3: "nope"})


def test_blocklist_concatenation_and_mimebundle() -> None:
    both = Heading("一", id="one") + Paragraph("二")
    assert isinstance(both, BlockList) and len(both) == 2
    nested = concat(both, [Callout("note", "三")])
    assert len(nested) == 3
    bundle = nested._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/markdown", "text/x-typst"}
    assert bundle["text/x-typst"].startswith('= 一\n<one>\n\n二\n\n#callout(kind: "note")[')
    assert bundle["text/markdown"].startswith("## 一 {#one}\n\n二\n\n::: {.callout-note}")
    assert '<h2 id="one">一</h2>' in bundle["text/html"]


def test_blocklist_holds_a_chart_beside_blocks_and_refuses_other_things() -> None:
    from reportlib.document.charts.style import Figure

    chart = Figure('<svg xmlns="http://www.w3.org/2000/svg"></svg>', "图一", "空图")
    section = Heading("一") + chart
    assert isinstance(section, BlockList) and list(section)[1] is chart
    assert "<figcaption>图一</figcaption>" in section.to_html()
    assert "#figure(image(bytes(" in section.to_typst()
    with pytest.raises(TypeError, match="must be blocks"):
        BlockList([Heading("一"), "二"])  # type: ignore[list-item]


def test_heading_rejects_bad_id_and_level() -> None:
    with pytest.raises(ValueError):
        Heading("x", id="has space")
    with pytest.raises(ValueError):
        Heading("x", level=7)


def test_table_footnotes_is_an_alias_of_notes() -> None:
    a = Table([["x"]], columns=["c"], notes={0: "注"})
    b = Table([["x"]], columns=["c"], footnotes={0: "注"})
    assert a.to_markdown() == b.to_markdown()
    with pytest.raises(TypeError):
        Table([["x"]], columns=["c"], notes={0: "a"}, footnotes={0: "b"})


def test_pipe_table_keeps_short_columns_readable() -> None:
    # the separator's dash counts are Pandoc's relative column widths
    table = Table([["长" * 60, "abcdef", "2024年11月", "ok"]], columns=["文本", "a", "日期", "b"])
    separator = table.to_markdown().splitlines()[1]
    dashes = [len(part) for part in separator.strip("|").split("|")]
    assert dashes[1:] == [9, 13, 7]  # short columns: their natural width + padding
    assert dashes[0] >= 60  # the long text column takes the rest of the row


def test_display_width_counts_cjk_as_two_columns() -> None:
    assert display_width("示范a") == 5
    assert display_width("（全角）") == 8


def _typst_text(source: str, tmp_path) -> str:
    """Compile a Typst fragment (blocks' notes numbered as in a report) and read it back."""
    import io

    import typst
    from pypdf import PdfReader

    from reportlib.render import number_typst_notes
    from reportlib.render.fonts import find_cjk_font

    font = find_cjk_font()
    doc = f'#set text(font: "{font.family}")\n'
    doc += '#let callout(kind: "note", body) = block(body)\n'
    # the report template's table-notes, reduced to what the text shows
    doc += "#let table-notes(..notes) = for (m, b) in notes.pos() [#m #b \\ ]\n"
    doc += number_typst_notes(source)
    (tmp_path / "t.typ").write_text(doc, encoding="utf-8")
    pdf = typst.compile(str(tmp_path / "t.typ"), font_paths=[str(font.path.parent)])
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_escape_typst_backslashes_every_ascii_punctuation() -> None:
    assert escape_typst("a*b_c#1.") == r"a\*b\_c\#1\."
    assert escape_typst("中文，（全角）") == "中文，（全角）"
    assert escape_typst("// not a comment\n- not a list") == r"\/\/ not a comment \- not a list"


@pytest.mark.parametrize(
    "block",
    [
        Heading(NASTY),
        Paragraph(NASTY),
        Paragraph([strong(NASTY), " ", emph(NASTY)]),
        Paragraph(note("正文", NASTY + " ]] [[ \\")),
        Callout("warning", NASTY),
        Table(pd.DataFrame({"quote": [NASTY]}), caption=NASTY, notes={0: NASTY}),
    ],
    ids=["heading", "paragraph", "spans", "note", "callout", "table"],
)
def test_nasty_quote_is_literal_in_typst(block, tmp_path) -> None:
    text = _typst_text(block.to_typst(), tmp_path)
    assert NASTY.replace(" ", "") in text.replace(" ", "").replace("\n", "")


def test_repeated_note_is_printed_once_per_table_and_once_per_report(tmp_path) -> None:
    table = Table(
        pd.DataFrame({"a": ["x", "y", "z"]}), notes={0: "同一出处", 1: "同一出处", 2: "另一"}
    )
    typst = table.to_typst()
    assert "[x#super[a]]," in typst
    assert "[y#super[a]]," in typst and "[z#super[b]]," in typst
    assert _typst_text(typst, tmp_path).count("同一出处") == 1
    html = table.to_html()
    assert html.count("同一出处") == 1 and '<ol class="block-notes" type="a">' in html
    assert html.count('id="ref-') == 2  # one back-link target per note, ids stay unique
    # page footnotes: the same note in two paragraphs is printed once
    twice = (
        Paragraph(note("甲", "同一出处")).to_typst()
        + "\n\n"
        + Paragraph(note("乙", "同一出处")).to_typst()
    )
    assert _typst_text(twice, tmp_path).count("同一出处") == 1


@pytest.mark.parametrize("width", [3, 30])
def test_table_typst_column_widths_follow_pandoc(width) -> None:
    table = Table(pd.DataFrame({"名称": ["长" * width, "短"], "数值": [1, 22]}), caption="表")
    pandoc = pypandoc.convert_text(table.to_markdown(), "typst", format="markdown")
    ours = table.to_typst()
    column_line = next(line for line in pandoc.splitlines() if "columns:" in line)
    assert column_line in ours.splitlines()
    assert "align: (left,right,)," in ours


def test_a_note_citing_two_quotes_links_each_to_its_own() -> None:
    note = Citation.joined([Citation("〔甲〕一、", "q-one"), Citation("〔甲〕二、", "q-two")])
    table = Table(pd.DataFrame({"依据": ["两条"]}), "表", notes={(0, "依据"): note})
    html = table.to_html()
    assert '<a class="quote-link" href="#q-one">〔甲〕一、</a>；' in html
    assert '<a class="quote-link" href="#q-two">〔甲〕二、</a>' in html
    assert "〔甲〕一、；〔甲〕二、" in table.to_markdown()  # the PDF's note reads as before
