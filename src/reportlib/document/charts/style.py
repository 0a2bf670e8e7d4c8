"""House style and SVG figures for the reports.

Chart functions (one per report chart) build a matplotlib figure with :func:`new_figure`,
draw with :data:`PALETTE` colours and return ``figure_from_mpl(fig, caption, alt)``. The
resulting :class:`Figure` displays in a notebook as inline SVG with a caption, and the PDF
route writes the SVG to a file and captions it from the output metadata.

SVGs are deterministic (fixed hash salt, no date, no creator); the figure's hash salt comes
from its caption so clip-path ids of two figures inlined in one HTML page do not collide.
Text stays text (``svg.fonttype: none``), in the CJK font's family: the HTML report embeds
that font and its stylesheet sets chart text in it, Typst has it for the PDF, and readers
can search and select the labels. (Drawing every label as glyph paths was a fifth of a
report's render time.)
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import html
import io
import re
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
import matplotlib.figure
from matplotlib import font_manager
from matplotlib.rcsetup import cycler

from reportlib import paths
from reportlib.document.blocks.escape import escape_markdown, escape_typst, typst_string
from reportlib.errors import MissingGlyphError
from reportlib.render.fonts import FontInfo, find_cjk_font

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = [
    "ACCENT",
    "AXIS",
    "BACKGROUND",
    "DECORATION",
    "FONT_SIZES",
    "FULL_WIDTH_IN",
    "GREY",
    "LEVEL_COLOURS",
    "NARROW_WIDTH_IN",
    "PALETTE",
    "TEXT",
    "TEXT_MUTED",
    "TICK_TEXT",
    "TIMELINE",
    "Figure",
    "figure_at_width",
    "figure_from_mpl",
    "house_rc",
    "house_style",
    "new_figure",
    "setup_font",
    "contrast_ratio",
    "relative_luminance",
    "text_colour_on",
]

# Every colour the charts draw with is defined here (tests/test_palette.py checks them, with
# the templates' colours, against WCAG 2.1: text >= 4.5:1 and graphics >= 3:1 on the white
# page, and colours that tell categories apart distinct in greyscale too).
#: Page background of the charts (and of both report formats).
BACKGROUND = "#ffffff"
#: One palette for every chart: deep blue first (the locality), then contrasting hues; each
#: is dark enough for a bar (>= 3:1) and for a label (>= 4.5:1) on white.
PALETTE = ("#1f4e79", "#a35f00", "#2f7a5c", "#7a4fa0", "#b8403a", "#5f6b6d")
#: Accent colour shared with the HTML/Typst templates (headings, strong text).
ACCENT = PALETTE[0]
#: Neutral colour for marks (other localities' bars, reference lines): >= 3:1.
GREY = "#8c8c8c"
#: Text: body labels, and secondary text such as "no data" (both >= 4.5:1).
TEXT = "#1a1a1a"
TEXT_MUTED = "#666666"
#: Axis lines and tick labels.
AXIS = "#8c8c8c"
TICK_TEXT = "#555555"
#: Decoration carrying no information of its own (grid lines, a bar's 0-100 % track): exempt
#: from the contrast rule, as WCAG exempts decoration.
DECORATION = ("#e3e3e3", "#eeeeee")
#: Evidence levels, darkest = strongest; each >= 3:1 on white and the four clearly apart in
#: greyscale (relative luminance about 0.02, 0.10, 0.16, 0.28).
LEVEL_COLOURS = {
    "quantified": "#0b2a4a",
    "described": "#2b5d8f",
    "planned": "#a86400",
    "none": "#909090",
}
#: Timeline marks and labels (text, so >= 4.5:1); deadlines also differ by marker shape.
TIMELINE = {"policy": "#43265f", "local": ACCENT, "deadline": "#c0504d"}


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a ``#rrggbb`` colour (0 black … 1 white)."""
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str = BACKGROUND) -> float:
    """WCAG 2.1 contrast ratio of two colours (1 … 21)."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour_on(fill: str) -> str:
    """:data:`TEXT` or white, whichever reads better on ``fill`` (e.g. words in a cell)."""
    return TEXT if contrast_ratio(TEXT, fill) >= contrast_ratio("#ffffff", fill) else "#ffffff"


#: Font sizes in points (body text of the report is ~10.5 pt).
FONT_SIZES = {"base": 9.0, "title": 10.5, "label": 9.0, "tick": 8.0, "annotation": 8.0}
#: Text width of the A4 report page, in inches (figures are drawn at print size).
FULL_WIDTH_IN = 6.3
#: Width of a chart's phone drawing, in inches: the text column of a 390 px screen (96 px
#: per inch), so labels show at their print size.
NARROW_WIDTH_IN = 3.7

_SVG_START = re.compile(r"<svg\b[^>]*>")


@dataclass(frozen=True)
class Figure:
    """A finished chart: SVG text plus caption and alt text (both required, both Chinese ok).

    ``svg_narrow``, when given, is the same chart drawn for a phone (:data:`NARROW_WIDTH_IN`
    wide, labels at their print size): the HTML shows it instead of ``svg`` on narrow
    screens, where the print-size chart scaled to the width would have unreadable labels.
    """

    svg: str
    caption: str
    alt: str
    svg_narrow: str | None = None

    def __post_init__(self) -> None:
        if not self.caption.strip() or not self.alt.strip():
            raise ValueError("a Figure needs a non-empty caption and alt text (accessibility)")
        if "<svg" not in self.svg:
            raise ValueError("Figure.svg must be SVG text containing an <svg> element")

    def metadata(self) -> dict[str, dict[str, str]]:
        """Output metadata the PDF route reads the caption from."""
        return {"reportlib": {"caption": self.caption, "alt": self.alt}}

    def to_html(self) -> str:
        """``<figure>`` with the inline SVG (labelled by the alt text) and ``<figcaption>``."""
        alt = html.escape(self.alt, quote=True)

        def labelled(svg: str, css_class: str) -> str:
            attrs = f' role="img" aria-label="{alt}"'
            if css_class:
                attrs += f' class="{css_class}"'
            return _SVG_START.sub(lambda m: m.group(0)[:-1].rstrip("/") + attrs + ">", svg, count=1)

        if self.svg_narrow is None:
            svg = labelled(self.svg, "")
        else:
            # the stylesheet shows one of the two, by the width of the screen
            svg = labelled(self.svg, "chart-wide") + labelled(self.svg_narrow, "chart-narrow")
        return (
            f'<figure class="chart">{svg}'
            f"<figcaption>{html.escape(self.caption)}</figcaption></figure>"
        )

    def to_markdown(self) -> str:
        """Pandoc Markdown image with the SVG as a data URI and the caption.

        Used when a figure is part of a BlockList; the PDF route extracts the data URI to a
        file (``pandoc --extract-media``). A figure displayed on its own reaches the PDF
        through its ``image/svg+xml`` output instead.
        """
        data = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        alt = re.sub(r'["\\]', "'", self.alt)
        caption = escape_markdown(self.caption).strip()
        return f'![{caption}](data:image/svg+xml;base64,{data}){{alt="{alt}"}}'

    def to_typst(self) -> str:
        """A Typst figure with the SVG inline (``image(bytes(...))``) and the caption.

        Used when a figure is part of a BlockList; a figure displayed on its own reaches the
        PDF through its ``image/svg+xml`` output instead.
        """
        image = (
            f'image(bytes({typst_string(self.svg)}), format: "svg", alt: {typst_string(self.alt)})'
        )
        caption = escape_typst(self.caption).strip()
        return f"#figure({image},\n  caption: [\n    {caption}\n  ]\n)"

    def with_narrow(self, narrow: Figure) -> Figure:
        """This figure, with ``narrow``'s drawing as its phone drawing."""
        return dataclasses.replace(self, svg_narrow=narrow.svg)

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> tuple[dict[str, str], dict[str, Any]]:
        data = {"image/svg+xml": self.svg, "text/html": self.to_html()}
        return data, self.metadata()


_registered: dict[str, str] = {}


def setup_font(font: FontInfo | None = None) -> str:
    """Register the CJK font with matplotlib (once per file) and return its family name."""
    font = font or find_cjk_font()
    key = f"{font.path}#{font.font_number}"
    if key not in _registered:
        path = _single_face(font)
        font_manager.fontManager.addfont(str(path))
        if font.bold_path is not None:
            font_manager.fontManager.addfont(str(font.bold_path))
        # matplotlib names a font by its own reading of the 'name' table
        _registered[key] = font_manager.FontProperties(fname=str(path)).get_name()
    return _registered[key]


def _single_face(font: FontInfo) -> Path:
    """The font as a single-face file: matplotlib reads only face 0 of a collection.

    A pan-CJK .ttc (e.g. Noto Sans CJK) starts with the Japanese face; the simplified-Chinese
    face found by render.fonts is extracted once into matplotlib's cache folder (a user cache,
    never the project's build/: a render told ``--build DIR`` writes nowhere else).
    """
    if font.path.suffix.lower() not in (".ttc", ".otc"):
        return font.path
    from fontTools.ttLib import TTFont

    tt = TTFont(str(font.path), fontNumber=font.font_number, recalcTimestamp=False)
    ext = ".otf" if "CFF " in tt else ".ttf"
    cache = Path(matplotlib.get_cachedir()) / "reportlib-fonts"
    target = cache / f"{font.path.stem}-{font.font_number}{ext}"
    if not target.exists():
        face = io.BytesIO()
        tt.save(face)
        paths.atomic_write(target, face.getvalue())
    return target


def house_rc(font: FontInfo | None = None) -> dict[RcKeyType, Any]:
    """rcParams of the house style (fonts, sizes, palette, light axes, deterministic SVG)."""
    family = setup_font(font)
    return {
        # CJK font first (it has Latin glyphs too), DejaVu as per-glyph fallback
        "font.family": [family, "DejaVu Sans"],
        "font.size": FONT_SIZES["base"],
        "axes.titlesize": FONT_SIZES["title"],
        "axes.titleweight": "normal",
        "axes.titlelocation": "left",
        "axes.labelsize": FONT_SIZES["label"],
        "axes.labelcolor": "#333333",
        "axes.edgecolor": AXIS,
        "axes.linewidth": 0.6,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.grid.axis": "x",
        "axes.axisbelow": True,
        "axes.prop_cycle": cycler(color=list(PALETTE)),
        "grid.color": DECORATION[0],
        "grid.linewidth": 0.6,
        "xtick.labelsize": FONT_SIZES["tick"],
        "ytick.labelsize": FONT_SIZES["tick"],
        "xtick.color": TICK_TEXT,
        "ytick.color": TICK_TEXT,
        "legend.fontsize": FONT_SIZES["tick"],
        "legend.frameon": False,
        "figure.facecolor": BACKGROUND,
        "text.color": TEXT,
        "figure.dpi": 100,
        "svg.fonttype": "none",  # text as text: see the module docstring
        "svg.hashsalt": "reportlib",
        "axes.unicode_minus": False,
    }


@contextmanager
def house_style(font: FontInfo | None = None) -> Iterator[None]:
    """Context in which matplotlib draws in the house style."""
    with matplotlib.rc_context(house_rc(font)):
        yield


def new_figure(
    height_in: float = 3.0,
    width_in: float = FULL_WIDTH_IN,
    *,
    margins: tuple[float, float, float, float] | None = None,
    hspace_in: float = 0.0,
    **subplot_kw: Any,
) -> tuple[matplotlib.figure.Figure, Any]:
    """A house-style figure and its axes, not managed by pyplot (so never shown twice).

    By default matplotlib's constrained layout fits the axes around their labels, which
    costs savefig an extra draw pass to measure them. With ``margins`` (left, right, top,
    bottom, in inches; ``hspace_in`` inches between stacked rows) the axes get exactly that
    room and no layout engine runs: the caller must have made the margins fit its labels.
    Extra keywords go to ``Figure.subplots`` (``nrows``, ``ncols``, ``gridspec_kw`` …).
    """
    with house_style():
        if margins is None:
            fig = matplotlib.figure.Figure(figsize=(width_in, height_in), layout="constrained")
        else:
            # "none": no layout engine, whatever the rc says (matplotlib's stub omits it)
            fig = matplotlib.figure.Figure(
                figsize=(width_in, height_in),
                layout="none",  # type: ignore[arg-type]
            )
            fig.subplots_adjust(
                **_fixed_margins(width_in, height_in, margins, hspace_in, subplot_kw)
            )
        axes = fig.subplots(**subplot_kw)
    return fig, axes


def _fixed_margins(
    width_in: float,
    height_in: float,
    margins: tuple[float, float, float, float],
    hspace_in: float,
    subplot_kw: dict[str, Any],
) -> dict[str, float]:
    """``subplots_adjust`` arguments (figure fractions) for margins and a row gap in inches."""
    left, right, top, bottom = margins
    nrows = int(subplot_kw.get("nrows", 1))
    # subplots_adjust takes the row gap as a fraction of the mean axes height
    axes_height = (height_in - top - bottom - (nrows - 1) * hspace_in) / nrows
    if left + right >= width_in or axes_height <= 0:
        raise ValueError(
            f"margins {margins} (row gap {hspace_in}) leave no room for the axes "
            f"in a {width_in}×{height_in} in figure"
        )
    return {
        "left": left / width_in,
        "right": 1 - right / width_in,
        "top": 1 - top / height_in,
        "bottom": bottom / height_in,
        "hspace": hspace_in / axes_height,
    }


def _salt(caption: str, alt: str, variant: str = "") -> str:
    key = f"{caption}\0{alt}\0{variant}" if variant else f"{caption}\0{alt}"
    return "reportlib-" + hashlib.sha256(key.encode()).hexdigest()[:12]


def _add_title(svg: str, alt: str) -> str:
    title = f"<title>{html.escape(alt)}</title>"
    return _SVG_START.sub(lambda m: m.group(0) + title, svg, count=1)


def figure_from_mpl(
    fig: matplotlib.figure.Figure, caption: str, alt: str, *, variant: str = ""
) -> Figure:
    """Render ``fig`` to deterministic SVG and close it; raise if a glyph is missing.

    ``variant`` names a second drawing of the same chart (e.g. ``"narrow"``) so that its
    SVG ids differ from the first's when both are inlined in one page.

    Raises :class:`MissingGlyphError` when matplotlib warns that a character has no glyph
    in the chart fonts (it would print as an empty box).
    """
    rc = house_rc()
    rc["svg.hashsalt"] = _salt(caption, alt, variant)
    buf = io.StringIO()
    try:
        with matplotlib.rc_context(rc), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.savefig(
                buf,
                format="svg",
                metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
            )
    finally:
        # figures from new_figure() are not pyplot's; close those made with plt.subplots()
        # (without importing pyplot, which would pick a GUI backend in a notebook)
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close(fig)
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    if missing:
        raise MissingGlyphError(
            f"chart {caption!r}: {missing[0]}; the chart font "
            f"({find_cjk_font().family}) cannot draw that character; use another "
            "character or set REPORTLIB_CJK_FONT to a font that has it"
        )
    for w in caught:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]  # drop XML declaration and DOCTYPE: inlined in HTML
    return Figure(_add_title(svg, alt), caption, alt)


def figure_at_width(fig: matplotlib.figure.Figure, caption: str, alt: str, width: float) -> Figure:
    """:func:`figure_from_mpl` for a drawing ``width`` inches wide: the phone drawing
    (:data:`NARROW_WIDTH_IN` wide) gets SVG ids of its own; a print drawing keeps the print
    ids, however wide it is drawn."""
    return figure_from_mpl(fig, caption, alt, variant="narrow" if width <= NARROW_WIDTH_IN else "")
