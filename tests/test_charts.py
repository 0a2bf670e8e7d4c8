"""Charts: deterministic SVG figures with caption and alt; missing glyphs raise."""

from __future__ import annotations

import pytest

from reportlib.document.charts.style import PALETTE, Figure, figure_from_mpl, new_figure, setup_font
from reportlib.errors import MissingGlyphError


def _bar_chart(title: str = "教师培训人次"):
    fig, ax = new_figure(height_in=2.0)
    ax.barh(["湖里区", "三门峡市"], [5096, 300], color=PALETTE[0])
    ax.set_title(title)
    return fig


def test_svg_is_deterministic_and_self_contained() -> None:
    a = figure_from_mpl(_bar_chart(), "图：教师培训", "两条横向柱")
    b = figure_from_mpl(_bar_chart(), "图：教师培训", "两条横向柱")
    assert a.svg == b.svg
    assert a.svg.startswith("<svg")
    assert "<title>两条横向柱</title>" in a.svg
    # labels are text in the CJK font (searchable); the HTML and PDF routes supply the font
    assert "培训" in a.svg and f"'{setup_font()}'" in a.svg
    assert "dc:date" not in a.svg.lower()


def test_clip_ids_differ_between_figures() -> None:
    a = figure_from_mpl(_bar_chart(), "图一", "甲")
    b = figure_from_mpl(_bar_chart(), "图二", "乙")
    ids_a = {s.split('"')[0] for s in a.svg.split('clipPath id="')[1:]}
    ids_b = {s.split('"')[0] for s in b.svg.split('clipPath id="')[1:]}
    assert ids_a and not ids_a & ids_b


def test_figure_mimebundle_and_metadata() -> None:
    fig = figure_from_mpl(_bar_chart(), "图 <1>", 'alt "text"')
    data, meta = fig._repr_mimebundle_()
    assert set(data) == {"image/svg+xml", "text/html"}
    assert meta == {"reportlib": {"caption": "图 <1>", "alt": 'alt "text"'}}
    html = data["text/html"]
    assert html.startswith('<figure class="chart"><svg')
    assert 'aria-label="alt &quot;text&quot;"' in html
    assert "<figcaption>图 &lt;1&gt;</figcaption>" in html


def test_missing_glyph_raises() -> None:
    with pytest.raises(MissingGlyphError, match="EGYPTIAN HIEROGLYPH"):
        figure_from_mpl(_bar_chart("𓀀"), "图", "alt")


def test_figure_needs_caption_and_alt() -> None:
    with pytest.raises(ValueError):
        Figure("<svg></svg>", "", "alt")


def test_pyplot_figures_are_closed_after_export() -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([1, 2])
    figure_from_mpl(fig, "图", "折线")
    assert not plt.fignum_exists(fig.number)


def test_collection_face_is_extracted_for_matplotlib(tmp_path, monkeypatch) -> None:
    from pathlib import Path

    import matplotlib
    from fontTools.ttLib import TTCollection, TTFont
    from matplotlib import font_manager

    from reportlib.render import fonts

    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    collection = TTCollection()
    collection.fonts = [TTFont(str(dejavu)), TTFont(str(fonts.packaged_font_path()))]
    ttc = tmp_path / "pan.ttc"
    collection.save(str(ttc))
    monkeypatch.setattr(matplotlib, "get_cachedir", lambda: str(tmp_path / "cache"))
    # keep matplotlib's global font list free of this temporary file after the test
    manager = font_manager.fontManager
    monkeypatch.setattr(manager, "ttflist", list(manager.ttflist))
    info = fonts.FontInfo(ttc, "Noto Sans CJK SC", "system", font_number=1)
    try:
        assert setup_font(info) == "Noto Sans CJK SC"
        # a user cache, not the project's build/ (a render with --build writes nowhere else)
        assert (tmp_path / "cache" / "reportlib-fonts" / "pan-1.otf").exists()
    finally:
        manager._findfont_cached.cache_clear()


def test_figure_typst_inlines_the_svg_with_its_caption(tmp_path) -> None:
    import io

    import typst
    from pypdf import PdfReader

    from reportlib.render.fonts import find_cjk_font

    fig, ax = new_figure(height_in=1.5)
    ax.bar(["甲", "乙"], [1, 2])
    figure = figure_from_mpl(fig, '图：甲"乙\\', "两根柱")
    font = find_cjk_font()
    doc = f'#set text(font: "{font.family}")\n' + figure.to_typst()
    (tmp_path / "f.typ").write_text(doc, encoding="utf-8")
    pdf = typst.compile(str(tmp_path / "f.typ"), font_paths=[str(font.path.parent)])
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert '图：甲"乙\\' in text


def test_fixed_margins_are_inches_and_skip_the_layout_engine() -> None:
    fig, axes = new_figure(
        height_in=3.0, margins=(1.0, 0.2, 0.3, 0.4), hspace_in=0.5, nrows=2, ncols=1
    )
    assert fig.get_layout_engine() is None  # savefig draws once, no measuring pass
    top, bottom = (ax.get_position() for ax in axes)
    assert top.x0 * 6.3 == pytest.approx(1.0) and (1 - top.x1) * 6.3 == pytest.approx(0.2)
    assert (1 - top.y1) * 3.0 == pytest.approx(0.3) and bottom.y0 * 3.0 == pytest.approx(0.4)
    assert (top.y0 - bottom.y1) * 3.0 == pytest.approx(0.5)
    assert new_figure()[0].get_layout_engine() is not None  # default: constrained layout
    with pytest.raises(ValueError, match="no room"):
        new_figure(margins=(4.0, 3.0, 0.1, 0.1))


def test_chart_text_names_the_family_typst_and_the_html_know() -> None:
    from reportlib.render.fonts import find_cjk_font

    # SVG labels are text: the PDF's Typst finds them by this family name, and the HTML's
    # stylesheet maps them to the embedded font
    assert setup_font() == find_cjk_font().family
