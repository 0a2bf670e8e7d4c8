"""Charts: deterministic SVG figures with caption and alt; missing glyphs raise."""

from __future__ import annotations

import pytest

from reportlib.charts import PALETTE, Figure, figure_from_mpl, new_figure
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
    assert "<text" not in a.svg  # glyphs drawn as paths: no font needed to view
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
