"""Chart layout from measured text: label sizes, word wrapping and fixed margins.

The report's charts do not use constrained layout, which measures every label with an extra
draw pass when the figure is saved: a chart measures its own labels' text here
(:func:`text_size`, :func:`line_width`), wraps them to their room (:func:`wrapped`) and gives
:func:`~.style.new_figure` fixed margins in inches (:func:`fit_spans`, :func:`legend_above`),
so savefig draws once. Measure inside ``house_style()``: sizes are those of the house font.
"""

from __future__ import annotations

import functools
import io
import warnings
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import matplotlib
import matplotlib.figure
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text

from reportlib.document.charts import linebreak

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = [
    "EDGE",
    "Margins",
    "MIN_AXES_SHARE",
    "PT",
    "bar_ylim",
    "fit_spans",
    "legend_above",
    "line_width",
    "max_size",
    "rc_inches",
    "size_for_words",
    "text_size",
    "wrapped",
]


def wrapped(text: str, room: float, size: float, *, split_words: bool = False) -> str:
    """``text`` broken into lines no wider than ``room`` inches at ``size`` pt, at word
    boundaries and punctuation (:func:`.linebreak.wrap`), never cut short."""
    return "\n".join(
        linebreak.wrap(text, room, lambda s: line_width(s, size), split_words=split_words)
    )


#: Margins in inches: (left, right, top, bottom), as ``new_figure`` takes them.
Margins = tuple[float, float, float, float]

#: Inches per point.
PT = 1 / 72
#: White space kept at each figure edge, in inches (constrained layout kept 3 pt).
EDGE = 4 * PT
#: The axes keep at least this share of the figure width, however long the labels.
MIN_AXES_SHARE = 0.35


def rc_inches(key: RcKeyType) -> float:
    """An rcParams length in points, as inches."""
    return float(matplotlib.rcParams[key]) * PT


@functools.cache
def _measuring() -> tuple[matplotlib.figure.Figure, RendererSVG]:
    """A 72-dpi figure and an SVG renderer: text measured as ``savefig(format="svg")`` does."""
    return matplotlib.figure.Figure(dpi=72), RendererSVG(72, 72, io.StringIO())


@functools.lru_cache(maxsize=4096)
def _measure(text: str, size: float, family: tuple[str, ...]) -> tuple[float, float]:
    fig, renderer = _measuring()
    with warnings.catch_warnings():
        # a missing glyph is reported (as an error) by figure_from_mpl when the chart is saved
        warnings.simplefilter("ignore")
        label = Text(0, 0, text, fontsize=size, fontfamily=list(family), figure=fig)
        box = label.get_window_extent(renderer)
    # 2 % + 1 pt extra: the PNG (Agg) route hints glyphs a little wider than the SVG one
    return box.width * PT * 1.02 + PT, box.height * PT + PT


def text_size(text: str, size: float) -> tuple[float, float]:
    """Width and height in inches of ``text`` (lines split at newlines) at ``size`` pt.

    Uses the font of the current rc (call inside ``house_style``) and matplotlib's own text
    layout against an SVG renderer, without drawing a figure.
    """
    return _measure(text, float(size), tuple(matplotlib.rcParams["font.family"]))


@functools.lru_cache(maxsize=4096)
def _glyph_width(char: str, size: float, family: tuple[str, ...]) -> float:
    return (_measure(char, size, family)[0] - PT) / 1.02


def line_width(text: str, size: float) -> float:
    """Width in inches of one line of ``text``: its glyphs' widths added up (CJK text has no
    kerning to speak of), with the same allowance as :func:`text_size`. Cheap enough to
    call for every candidate line while wrapping."""
    family = tuple(matplotlib.rcParams["font.family"])
    return sum(_glyph_width(c, float(size), family) for c in text) * 1.02 + PT


def max_size(texts: Iterable[str], size: float) -> tuple[float, float]:
    """Largest width and largest height of ``texts`` (0 for none), in inches."""
    sizes = [text_size(t, size) for t in texts]
    return max((w for w, _ in sizes), default=0.0), max((h for _, h in sizes), default=0.0)


def fit_spans(
    length: float, low: float, high: float, spans: Iterable[tuple[float, float, float]]
) -> tuple[float, float]:
    """Margins (low, high), no smaller than given, that keep texts placed in data space inside.

    ``length`` is the figure's width (or height) in inches. A span ``(f, before, after)`` is a
    text anchored at fraction ``f`` of the axes that reaches ``before`` inches towards the
    low side and ``after`` inches towards the high side of its anchor (a bar's value label,
    a tick label). Growing one margin shrinks the axes and moves every anchor, so the two
    margins are solved alternately; both only grow. The axes keep ``MIN_AXES_SHARE`` of the
    figure even when the texts cannot all fit.
    """
    spans = list(spans)
    for _ in range(20):
        need_low, need_high = low, high
        for f, before, after in spans:
            # anchor at low + f * (length - low - high); its text must stay EDGE inside
            if f < 1:
                need_low = max(need_low, (EDGE + before - f * (length - high)) / (1 - f))
            if f > 0:
                need_high = max(need_high, (low * (1 - f) + f * length + after + EDGE - length) / f)
        spare = length * (1 - MIN_AXES_SHARE)
        if need_low + need_high > spare:
            scale = spare / (need_low + need_high)
            return need_low * scale, need_high * scale
        done = need_low - low < 1e-4 and need_high - high < 1e-4
        low, high = need_low, need_high
        if done:
            break
    return low, high


def _legend_size(labels: Sequence[str], ncol: int, handlelength: float) -> tuple[float, float]:
    """Width and height in inches of a legend of patches, laid out as matplotlib does."""
    rc = matplotlib.rcParams
    fs = FontProperties(size=rc["legend.fontsize"]).get_size_in_points()
    sizes = [text_size(label, fs) for label in labels]
    # matplotlib fills columns top to bottom, the first ones one entry longer
    per_col, extra = divmod(len(sizes), ncol)
    widths, heights, i = [], [], 0
    for c in range(ncol):
        column = sizes[i : i + per_col + (c < extra)]
        i += len(column)
        if not column:
            continue
        widths.append(
            max(w for w, _ in column) + (handlelength + rc["legend.handletextpad"]) * fs * PT
        )
        rows = [max(h, rc["legend.handleheight"] * fs * PT) for _, h in column]
        heights.append(sum(rows) + (len(rows) - 1) * rc["legend.labelspacing"] * fs * PT)
    border = 2 * rc["legend.borderpad"] * fs * PT
    width = sum(widths) + (len(widths) - 1) * rc["legend.columnspacing"] * fs * PT + border
    return width, max(heights, default=0.0) + border


def legend_above(
    labels: Sequence[str], *, ncol: int, handlelength: float, room: float
) -> tuple[int, float]:
    """Columns and height (inches above the axes) of a legend placed at the axes' top left.

    The legend sits at ``bbox_to_anchor=(0, 1)``, ``loc="lower left"``, offset by the border
    pad; it takes fewer columns (more rows) when ``ncol`` would not fit in ``room`` inches.
    """
    fs = FontProperties(size=matplotlib.rcParams["legend.fontsize"]).get_size_in_points()
    pad = matplotlib.rcParams["legend.borderaxespad"] * fs * PT
    for n in range(ncol, 0, -1):
        width, height = _legend_size(labels, n, handlelength)
        if pad + width <= room or n == 1:
            return n, pad + height
    raise AssertionError("unreachable")


def bar_ylim(n: int) -> tuple[float, float]:
    """The y limits autoscaling gives ``n`` bars of height 0.6 at 0…n-1 (5 % margins).

    Set explicitly so the margins can be computed from where the bar labels sit.
    """
    span = max(n - 0.4, 0.6)  # no bars: a one-bar range rather than inverted limits
    return -0.3 - 0.05 * span, max(n, 1) - 0.7 + 0.05 * span


#: Smallest size (pt) a label shrinks to so that its longest word fits its room.
_MIN_LABEL_PT = 5.5


def size_for_words(texts: Sequence[str], room: float, size: float) -> float:
    """``size``, or smaller (not below ``_MIN_LABEL_PT``) until every word of ``texts`` fits
    ``room`` inches: a word is never split, so a narrow column takes a smaller font."""
    words = [w for t in texts for w in linebreak.segments(t)]
    while size > _MIN_LABEL_PT and any(line_width(w, size) > room for w in words):
        size -= 0.5
    return size
