"""Layout a reader sees: colours' contrast, labels wrapped and never cut, headings and table
captions kept with what follows in the PDF, tables scrolling on a phone.

Reads sanmenxia (the longest report: most page breaks, the longest timeline) and the
overview, rendered once per session (``rendered_report``). What a browser shows at a phone's
width is checked in tests/test_browser.py.
"""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from reportlib import paths
from reportlib.document.charts import linebreak, style

TEXT_MIN, GRAPHICS_MIN, GREYSCALE_MIN = 4.5, 3.0, 1.4


# --- palette -------------------------------------------------------------------------------


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert style.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert style.contrast_ratio("#777777") == pytest.approx(4.48, abs=0.01)
    assert style.contrast_ratio("#e6e6e6") == pytest.approx(1.25, abs=0.01)  # the old 未涉及


def test_chart_text_colours_read_on_white() -> None:
    texts = {"TEXT": style.TEXT, "TEXT_MUTED": style.TEXT_MUTED, "TICK": style.TICK_TEXT}
    texts |= {f"timeline {k}": v for k, v in style.TIMELINE.items()}
    texts |= {f"palette {i}": c for i, c in enumerate(style.PALETTE)}  # also value labels
    for name, colour in texts.items():
        assert style.contrast_ratio(colour) >= TEXT_MIN, f"{name} {colour}"


def test_chart_marks_stand_out_from_white() -> None:
    marks = {"GREY": style.GREY, "AXIS": style.AXIS}
    marks |= {f"level {k}": v for k, v in style.LEVEL_COLOURS.items()}
    for name, colour in marks.items():
        assert style.contrast_ratio(colour) >= GRAPHICS_MIN, f"{name} {colour}"


@pytest.mark.parametrize("group", ["LEVEL_COLOURS", "TIMELINE"])
def test_colours_of_one_chart_differ_in_greyscale(group: str) -> None:
    colours = list(getattr(style, group).values())
    for i, a in enumerate(colours):
        for b in colours[i + 1 :]:
            # contrast of two colours is a ratio of luminances: what greyscale keeps
            assert style.contrast_ratio(a, b) >= GREYSCALE_MIN, f"{group}: {a} vs {b}"


def test_words_on_a_coloured_cell_get_the_readable_ink() -> None:
    for colour in style.LEVEL_COLOURS.values():
        ink = style.text_colour_on(colour)
        assert style.contrast_ratio(ink, colour) >= TEXT_MIN, colour


def _css_colours(text: str) -> dict[str, str]:
    return dict(re.findall(r"--([a-z]+):\s*(#[0-9a-fA-F]{3,6})", text))


def test_template_text_colours_read_on_white() -> None:
    templates = paths.templates_dir()
    css = _css_colours((templates / "html" / "report.css").read_text(encoding="utf-8"))
    for name in ("accent", "warn", "ink", "muted"):
        assert style.contrast_ratio(css[name]) >= TEXT_MIN, f"report.css --{name}"
    typ = (templates / "typst" / "report.typ").read_text(encoding="utf-8")
    for name, colour in re.findall(r'#let (accent|warn|muted) = rgb\("(#[0-9a-f]{6})"\)', typ):
        assert style.contrast_ratio(colour) >= TEXT_MIN, f"report.typ {name}"
    assert css["accent"].lower() == style.ACCENT  # one accent everywhere


# --- line breaking -------------------------------------------------------------------------


def test_segments_keep_words_titles_numbers_and_punctuation_right() -> None:
    pieces = linebreak.segments(
        "国务院印发《新一代人工智能发展规划》（国发〔2017〕35号），实施常态化教学"
    )
    assert "".join(pieces).startswith("国务院")
    assert "人工智能" in pieces and "常态化" in pieces
    assert any(p.startswith("《") for p in pieces)  # never a line ending with 《
    assert not any(p[0] in "，》）" for p in pieces)  # never a line starting with them
    assert "35号），" in pieces


def test_wrap_keeps_a_title_whole_when_that_costs_no_line() -> None:
    lines = linebreak.wrap("河南省教育厅印发《关于推进人工智能教育的通知》", 15)
    assert lines == ["河南省教育厅印发", "《关于推进人工智能教育的通知》"]


def test_wrap_never_cuts_text_and_balances_lines() -> None:
    text = "到2027年基本建成人工智能领域高质量人才培训体系、课程体系和高标准学科平台"
    lines = linebreak.wrap(text, 14)
    assert "".join(lines) == text
    assert all(len(line) <= 14 for line in lines)
    assert max(map(len, lines)) - min(map(len, lines)) <= 4


# --- rendered reports ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(rendered_report):
    return {name: rendered_report(name) for name in ("sanmenxia", "all")}


def _svg_texts(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text\b.*?</text>", html, re.S)]


@pytest.mark.parametrize("name", ["sanmenxia", "all"])
def test_no_chart_label_is_cut_short(rendered, name) -> None:
    html = rendered[name].html.read_text(encoding="utf-8")
    texts = _svg_texts(html)
    assert texts, "the report has charts"
    assert not [t for t in texts if "…" in t or "..." in t]
    assert html.count('class="chart-narrow"') == html.count('class="chart-wide"') > 0


def test_timeline_names_its_documents_in_full(rendered) -> None:
    html = rendered["sanmenxia"].html.read_text(encoding="utf-8")
    labels = "".join(_svg_texts(html))
    assert "《关于进一步加强和改进中小学人工智能教育的通知》" in labels


def _page_lines(page) -> list[tuple[float, float, str]]:
    """(baseline y, font size, text) of the page's text runs, in points."""
    runs: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font_dict, font_size) -> None:
        if text.strip():
            scale = abs(tm[3]) * abs(cm[3]) if tm[3] else 1.0
            runs.append((tm[5] * cm[3] + cm[5], font_size * scale, text.strip()))

    page.extract_text(visitor_text=visit)
    return runs


@pytest.mark.parametrize("name", ["sanmenxia", "all"])
def test_no_heading_or_table_caption_ends_a_page(rendered, name) -> None:
    pages = PdfReader(str(rendered[name].pdf)).pages
    for number, page in enumerate(pages[:-1], start=1):
        # body text is >= 8.5 pt; footnotes, page numbers and the stamp are smaller
        body = [r for r in _page_lines(page) if r[1] >= 8.4]
        lowest = min(y for y, _, _ in body)
        last = " ".join(t for y, _, t in body if abs(y - lowest) < 1)
        size = max(s for y, s, _ in body if abs(y - lowest) < 1)
        assert size < 11.5, f"{name} p{number} ends with a heading: {last!r}"
        assert not re.match(r"表\s*\d", last), f"{name} p{number} ends with a caption: {last!r}"


def test_table_dates_stay_on_one_line(rendered) -> None:
    """Every date a table prints (HTML: kept on one line) is on one line of the PDF too; a
    narrow time column once broke 2024年12月28日 before 日."""
    html = rendered["sanmenxia"].html.read_text(encoding="utf-8")
    cells = re.findall(r'<span class="nowrap">([^<]*\d{4}年[^<]*)</span>', html)
    assert "2024年12月28日" in cells
    text = "\n".join(p.extract_text() for p in PdfReader(str(rendered["sanmenxia"].pdf)).pages)
    lines = [re.sub(r"\s+", "", line) for line in text.splitlines()]
    for date in set(cells):
        on_one_line = sum(line.count(date) for line in lines)
        assert on_one_line >= cells.count(date), f"{date} breaks across lines in a PDF table"
