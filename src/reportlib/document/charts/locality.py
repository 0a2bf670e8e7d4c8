"""The report's charts, in the house style of :mod:`reportlib.document.charts.style`.

Each function takes an analysis DataFrame and returns a :class:`~.style.Figure`
(SVG + caption + alt text). Labels are Chinese; no figure from a source is written here.

The charts do not use constrained layout, which measures every label with an extra draw
pass when the figure is saved: each chart measures its own labels' text (see
:func:`_text_size`) and gives :func:`~.style.new_figure` fixed margins in inches,
so savefig draws once.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import math
import warnings
from collections.abc import Iterable, Mapping, Sequence

import matplotlib
import matplotlib.figure
import pandas as pd
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.colors import ListedColormap
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from matplotlib.text import Text

from reportlib.data.numbers import format_quantity
from reportlib.document.charts import linebreak
from reportlib.document.charts.style import (
    ACCENT,
    DECORATION,
    FONT_SIZES,
    FULL_WIDTH_IN,
    GREY,
    LEVEL_COLOURS,
    NARROW_WIDTH_IN,
    TEXT_MUTED,
    TIMELINE,
    Figure,
    figure_from_mpl,
    house_style,
    new_figure,
)

#: Evidence level → (colour, Chinese label); darker means stronger evidence.
LEVEL_STYLE = {
    "quantified": (LEVEL_COLOURS["quantified"], "量化证据"),
    "described": (LEVEL_COLOURS["described"], "文字描述"),
    "planned": (LEVEL_COLOURS["planned"], "仅有计划"),
    "none": (LEVEL_COLOURS["none"], "未涉及"),
}
_LEVEL_ORDER = list(LEVEL_STYLE)


def _wrapped(text: str, room: float, size: float, *, split_words: bool = False) -> str:
    """``text`` broken into lines no wider than ``room`` inches at ``size`` pt, at word
    boundaries and punctuation (:func:`.linebreak.wrap`), never cut short."""
    return "\n".join(
        linebreak.wrap(text, room, lambda s: _line_width(s, size), split_words=split_words)
    )


# --- Layout: margins from measured text, so savefig needs no measuring pass -----------------

_PT = 1 / 72  # inches per point
#: White space kept at each figure edge, in inches (constrained layout kept 3 pt).
_EDGE = 4 * _PT
#: The axes keep at least this share of the figure width, however long the labels.
_MIN_AXES_SHARE = 0.35


def _rc_pt(key: str) -> float:
    """An rcParams length in points, as inches."""
    return float(matplotlib.rcParams[key]) * _PT


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
        box = Text(0, 0, text, fontsize=size, fontfamily=list(family), figure=fig)
        box = box.get_window_extent(renderer)
    # 2 % + 1 pt extra: the PNG (Agg) route hints glyphs a little wider than the SVG one
    return box.width * _PT * 1.02 + _PT, box.height * _PT + _PT


def _text_size(text: str, size: float) -> tuple[float, float]:
    """Width and height in inches of ``text`` (lines split at newlines) at ``size`` pt.

    Uses the font of the current rc (call inside ``house_style``) and matplotlib's own text
    layout against an SVG renderer, without drawing a figure.
    """
    return _measure(text, float(size), tuple(matplotlib.rcParams["font.family"]))


@functools.lru_cache(maxsize=4096)
def _glyph_width(char: str, size: float, family: tuple[str, ...]) -> float:
    return (_measure(char, size, family)[0] - _PT) / 1.02


def _line_width(text: str, size: float) -> float:
    """Width in inches of one line of ``text``: its glyphs' widths added up (CJK text has no
    kerning to speak of), with the same allowance as :func:`_text_size`. Cheap enough to
    call for every candidate line while wrapping."""
    family = tuple(matplotlib.rcParams["font.family"])
    return sum(_glyph_width(c, float(size), family) for c in text) * 1.02 + _PT


def _max_size(texts: Iterable[str], size: float) -> tuple[float, float]:
    """Largest width and largest height of ``texts`` (0 for none), in inches."""
    sizes = [_text_size(t, size) for t in texts]
    return max((w for w, _ in sizes), default=0.0), max((h for _, h in sizes), default=0.0)


def _fit_spans(
    length: float, low: float, high: float, spans: Iterable[tuple[float, float, float]]
) -> tuple[float, float]:
    """Margins (low, high), no smaller than given, that keep texts placed in data space inside.

    ``length`` is the figure's width (or height) in inches. A span ``(f, before, after)`` is a
    text anchored at fraction ``f`` of the axes that reaches ``before`` inches towards the
    low side and ``after`` inches towards the high side of its anchor (a bar's value label,
    a tick label). Growing one margin shrinks the axes and moves every anchor, so the two
    margins are solved alternately; both only grow. The axes keep ``_MIN_AXES_SHARE`` of the
    figure even when the texts cannot all fit.
    """
    spans = list(spans)
    for _ in range(20):
        need_low, need_high = low, high
        for f, before, after in spans:
            # anchor at low + f * (length - low - high); its text must stay _EDGE inside
            if f < 1:
                need_low = max(need_low, (_EDGE + before - f * (length - high)) / (1 - f))
            if f > 0:
                need_high = max(
                    need_high, (low * (1 - f) + f * length + after + _EDGE - length) / f
                )
        spare = length * (1 - _MIN_AXES_SHARE)
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
    sizes = [_text_size(label, fs) for label in labels]
    # matplotlib fills columns top to bottom, the first ones one entry longer
    per_col, extra = divmod(len(sizes), ncol)
    widths, heights, i = [], [], 0
    for c in range(ncol):
        column = sizes[i : i + per_col + (c < extra)]
        i += len(column)
        if not column:
            continue
        widths.append(
            max(w for w, _ in column) + (handlelength + rc["legend.handletextpad"]) * fs * _PT
        )
        rows = [max(h, rc["legend.handleheight"] * fs * _PT) for _, h in column]
        heights.append(sum(rows) + (len(rows) - 1) * rc["legend.labelspacing"] * fs * _PT)
    border = 2 * rc["legend.borderpad"] * fs * _PT
    width = sum(widths) + (len(widths) - 1) * rc["legend.columnspacing"] * fs * _PT + border
    return width, max(heights, default=0.0) + border


def _legend_above(
    labels: Sequence[str], *, ncol: int, handlelength: float, room: float
) -> tuple[int, float]:
    """Columns and height (inches above the axes) of a legend placed at the axes' top left.

    The legend sits at ``bbox_to_anchor=(0, 1)``, ``loc="lower left"``, offset by the border
    pad; it takes fewer columns (more rows) when ``ncol`` would not fit in ``room`` inches.
    """
    fs = FontProperties(size=matplotlib.rcParams["legend.fontsize"]).get_size_in_points()
    pad = matplotlib.rcParams["legend.borderaxespad"] * fs * _PT
    for n in range(ncol, 0, -1):
        width, height = _legend_size(labels, n, handlelength)
        if pad + width <= room or n == 1:
            return n, pad + height
    raise AssertionError("unreachable")


def _bar_ylim(n: int) -> tuple[float, float]:
    """The y limits autoscaling gives ``n`` bars of height 0.6 at 0…n-1 (5 % margins).

    Set explicitly so the margins can be computed from where the bar labels sit.
    """
    span = max(n - 0.4, 0.6)  # no bars: a one-bar range rather than inverted limits
    return -0.3 - 0.05 * span, max(n, 1) - 0.7 + 0.05 * span


#: Smallest size (pt) a label shrinks to so that its longest word fits its room.
_MIN_LABEL_PT = 5.5


def _size_for_words(texts: Sequence[str], room: float, size: float) -> float:
    """``size``, or smaller (not below ``_MIN_LABEL_PT``) until every word of ``texts`` fits
    ``room`` inches: a word is never split, so a narrow column takes a smaller font."""
    words = [w for t in texts for w in linebreak.segments(t)]
    while size > _MIN_LABEL_PT and any(_line_width(w, size) > room for w in words):
        size -= 0.5
    return size


def _save(fig: matplotlib.figure.Figure, caption: str, alt: str, width: float) -> Figure:
    """The figure as SVG; a phone-width drawing gets its own SVG ids (see figure_from_mpl)."""
    return figure_from_mpl(fig, caption, alt, variant="" if width >= FULL_WIDTH_IN else "narrow")


def _with_narrow(wide: Figure, narrow: Figure) -> Figure:
    return dataclasses.replace(wide, svg_narrow=narrow.svg)


def _fit_title(title: str, size: float, room: float) -> str:
    """``title`` wrapped at word boundaries onto as few, even lines as fit ``room`` inches."""
    return _wrapped(title, room, size)


def _scorecard_matrix(
    matrix: pd.DataFrame,
    *,
    locality_names: Mapping[str, str],
    item_names: Mapping[str, str],
    caption: str,
    width: float = FULL_WIDTH_IN,
) -> Figure:
    """Heat strip: localities (rows) × national tasks/safeguards (columns) → evidence level."""
    codes = matrix.map(lambda v: _LEVEL_ORDER.index(v)).to_numpy()
    n_rows, n_cols = codes.shape
    height = 1.25 + 0.36 * n_rows
    col_size = 7.0
    row_labels = [str(locality_names.get(i, i)) for i in matrix.index]
    row_sizes = [_text_size(label, FONT_SIZES["tick"]) for label in row_labels]
    # ticks have length 0: labels sit one tick pad off the axes
    left = _EDGE + _rc_pt("ytick.major.pad") + max((w for w, _ in row_sizes), default=0.0)
    # column labels wrap at word boundaries to their cell's width, less a gap between them
    cell = (width - left - _EDGE) / max(n_cols, 1)
    names = [str(item_names.get(c, c)) for c in matrix.columns]
    col_size = _size_for_words(names, 0.92 * cell, col_size)
    # a word wider than its cell even at the smallest size is split rather than overlap
    col_labels = [_wrapped(name, 0.92 * cell, col_size, split_words=True) for name in names]
    col_sizes = [_text_size(label, col_size) for label in col_labels]
    bottom = _EDGE + _rc_pt("xtick.major.pad") + max((h for _, h in col_sizes), default=0.0)
    left, right = _fit_spans(
        width,
        left,
        _EDGE,
        (((j + 0.5) / n_cols, w / 2, w / 2) for j, (w, _) in enumerate(col_sizes)),
    )
    level_labels = [label for _, label in LEVEL_STYLE.values()]
    ncol, legend_height = _legend_above(
        level_labels, ncol=4, handlelength=1.2, room=width - left - _EDGE
    )
    # row labels are centred on their rows (row 0 at the top)
    bottom, top = _fit_spans(
        height,
        bottom,
        _EDGE + legend_height,
        (((n_rows - 0.5 - i) / n_rows, h / 2, h / 2) for i, (_, h) in enumerate(row_sizes)),
    )
    fig, ax = new_figure(height_in=height, width_in=width, margins=(left, right, top, bottom))
    cmap = ListedColormap([LEVEL_STYLE[k][0] for k in _LEVEL_ORDER])
    # vector cells with white rules between them (an image plus minor-tick grid lines cost a
    # PNG encode and a Tick object per rule)
    ax.pcolormesh(
        [x - 0.5 for x in range(n_cols + 1)],
        [y - 0.5 for y in range(n_rows + 1)],
        codes,
        cmap=cmap,
        vmin=0,
        vmax=len(_LEVEL_ORDER) - 1,
        edgecolors="white",
        linewidth=2,
    )
    ax.set_xlim(-0.5, n_cols - 0.5)
    ax.set_ylim(n_rows - 0.5, -0.5)  # first row on top
    ax.set_xticks(range(n_cols))
    ax.set_xticklabels(col_labels, fontsize=col_size)
    ax.set_yticks(range(n_rows))
    ax.set_yticklabels(row_labels)
    ax.tick_params(length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    handles = [
        Patch(facecolor=c, edgecolor="#999999", label=lab) for c, lab in LEVEL_STYLE.values()
    ]
    ax.legend(
        handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=ncol, handlelength=1.2
    )
    counts = {LEVEL_STYLE[k][1]: int((matrix == k).to_numpy().sum()) for k in _LEVEL_ORDER}
    alt = (
        f"热力条图：{n_rows}个地区对照国家通知{n_cols}项任务和保障措施的证据等级。"
        + "，".join(f"{k}{v}格" for k, v in counts.items())
        + "。"
    )
    return _save(fig, caption, alt, width)


def scorecard_strip(coverage: pd.DataFrame, locality_names: Sequence[str], caption: str) -> Figure:
    """One locality's evidence levels as a single coloured strip, one cell per national item."""
    matrix = pd.DataFrame([list(coverage["level"])], columns=list(coverage["task_id"]))
    matrix.index = [locality_names[0] if locality_names else ""]
    names = dict(zip(coverage["task_id"], coverage["name_zh"], strict=True))
    fig = scorecard_matrix(matrix, locality_names={}, item_names=names, caption=caption)
    levels = "；".join(
        f"{n}：{LEVEL_STYLE[lv][1]}"
        for n, lv in zip(coverage["name_zh"], coverage["level"], strict=True)
    )
    return dataclasses.replace(fig, alt=f"热力条图，{caption}。{levels}。")


def _progress_bars(progress: pd.DataFrame, caption: str, width: float = FULL_WIDTH_IN) -> Figure:
    """Horizontal bars: share of each target reached (0–100%), 'no data' marked in grey."""
    n = len(progress)
    height = 0.8 + 0.5 * n
    source = progress["label"] if "label" in progress else progress["description_zh"]
    # labels take at most 10 characters' width (6 on a phone) and wrap between words
    room = _line_width("国" * (10 if width >= FULL_WIDTH_IN else 6), FONT_SIZES["tick"])
    labels = [_wrapped(str(d), room, FONT_SIZES["tick"]) for d in source]
    y = list(range(n))[::-1]
    # (y, bar length or None for no data, value label) first: the margins depend on the labels
    bars: list[tuple[int, float | None, str]] = []
    sep = "" if width >= FULL_WIDTH_IN else "\n"  # a phone: the share under the figures
    alt_parts = []
    for yi, r in zip(y, progress.itertuples(index=False), strict=True):
        target = f"{format_quantity(r.target)}{r.unit}"
        if math.isnan(r.reported):
            bars.append((yi, None, f"无数据{sep}（目标{target}）"))
            alt_parts.append(f"{r.description_zh}：无数据")
            continue
        pct = min(r.share * 100, 100)
        done = format_quantity(r.reported)
        bars.append((yi, pct, f"{done}/{target}{sep}（{r.share * 100:.1f}%）"))
        alt_parts.append(f"{r.description_zh}：{done}/{target}，{r.share * 100:.1f}%")
    xlabel = "占目标的比例（%）"
    xticks = list(range(0, 101, 20))
    label_sizes = [_text_size(label, FONT_SIZES["tick"]) for label in labels]
    tick_sizes = [_text_size(str(t), FONT_SIZES["tick"]) for t in xticks]
    xlabel_w, xlabel_h = _text_size(xlabel, FONT_SIZES["label"])
    # y ticks have length 0; x ticks keep theirs, and the x label sits below their labels
    left = _EDGE + _rc_pt("ytick.major.pad") + max((w for w, _ in label_sizes), default=0.0)
    bottom = (
        _EDGE
        + _rc_pt("xtick.major.size")
        + _rc_pt("xtick.major.pad")
        + max(h for _, h in tick_sizes)
        + _rc_pt("axes.labelpad")
        + xlabel_h
    )
    spans = [(t / 100, w / 2, w / 2) for t, (w, _) in zip(xticks, tick_sizes, strict=True)]
    spans.append((0.5, xlabel_w / 2, xlabel_w / 2))
    spans += [
        (((pct if pct is not None else 0) + 1) / 100, 0.0, _text_size(text, FONT_SIZES["base"])[0])
        for _, pct, text in bars
    ]
    left, right = _fit_spans(width, left, _EDGE, spans)
    y0, y1 = _bar_ylim(n)
    bottom, top = _fit_spans(
        height,
        bottom,
        _EDGE,
        (((yi - y0) / (y1 - y0), h / 2, h / 2) for yi, (_, h) in zip(y, label_sizes, strict=True)),
    )
    fig, ax = new_figure(height_in=height, width_in=width, margins=(left, right, top, bottom))
    for yi, pct, text in bars:
        ax.barh(yi, 100, color=DECORATION[1], height=0.6)
        if pct is None:
            ax.text(1, yi, text, va="center", color=TEXT_MUTED)
        else:
            ax.barh(yi, pct, color=ACCENT, height=0.6)
            ax.text(pct + 1, yi, text, va="center")
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    ax.set_xlim(0, 100)
    ax.set_ylim(y0, y1)
    ax.set_xticks(xticks)
    ax.set_xlabel(xlabel)
    ax.tick_params(axis="y", length=0)
    return _save(
        fig, caption, "条形图，本地数字占各项目标的比例。" + "；".join(alt_parts) + "。", width
    )


#: Timeline: label size (pt), gap between a marker and its label, between rows (inches).
_TL_TEXT = 7.5
_TL_GAP_IN = 0.08
_TL_ROW_GAP_IN = 3.5 * _PT


def _timeline_chart(events: pd.DataFrame, caption: str, width: float = FULL_WIDTH_IN) -> Figure:
    """One row per event, oldest at the top (labels never collide, whatever the dates).

    A label sits right of its marker in the first half of the time axis, left of it in the
    second, and wraps (at word boundaries) to the room on that side: never cut short.
    """
    first = int(events["start"].min().year)
    last = int(events["start"].max().year)
    colours = {"policy": TIMELINE["policy"], "deadline": TIMELINE["deadline"], "local": ACCENT}
    middle = (first + last + 1) / 2
    x0, x1 = first - 0.3, last + 1.3
    years = list(range(first, last + 2))
    tick_sizes = [_text_size(str(year), FONT_SIZES["tick"]) for year in years]
    left, right = _fit_spans(
        width,
        _EDGE,
        _EDGE,
        (
            ((yr - x0) / (x1 - x0), w / 2, w / 2)
            for yr, (w, _) in zip(years, tick_sizes, strict=True)
        ),
    )
    per_year = (width - left - right) / (x1 - x0)  # inches
    # label every n-th year when the years' labels would touch (a phone-width drawing)
    widest = max(w for w, _ in tick_sizes)
    stride = max(1, math.ceil((widest + 4 * _PT) / per_year))
    years = [yr for yr in years if (yr - first) % stride == 0]
    # (x, row centre from the top, colour key, text to the right?, text, text height)
    marks: list[tuple[float, float, str, bool, str]] = []
    depth = _TL_ROW_GAP_IN / 2
    for e in events.itertuples(index=False):
        x = e.start.year + (e.start.day_of_year - 1) / 366
        key = "local" if e.lane == "local" else ("deadline" if e.kind == "deadline" else "policy")
        on_right = x <= middle
        at = (x - x0) * per_year
        room = (width - left - right - at if on_right else at) - _TL_GAP_IN - _EDGE
        date = e.date[:7].replace("-", ".")
        text = _wrapped(f"{date} {e.description_zh}", room, _TL_TEXT)
        h = _text_size(text, _TL_TEXT)[1]
        marks.append((x, depth + h / 2, key, on_right, text))
        depth += h + _TL_ROW_GAP_IN
    legend_labels = ["政策文件", "政策期限", "本地事件"]
    ncol, legend_height = _legend_above(
        legend_labels,
        ncol=3,
        handlelength=matplotlib.rcParams["legend.handlelength"],
        room=width - left - _EDGE,
    )
    tick_h = max(h for _, h in tick_sizes)
    bottom = _EDGE + _rc_pt("xtick.major.size") + _rc_pt("xtick.major.pad") + tick_h
    top = _EDGE + legend_height
    fig, ax = new_figure(
        height_in=top + depth + bottom, width_in=width, margins=(left, right, top, bottom)
    )
    gap = _TL_GAP_IN / per_year  # in years
    for x, y, key, on_right, text in marks:
        ax.plot(x, y, "D" if key == "deadline" else "o", color=colours[key], markersize=4.5)
        ax.text(
            x + (gap if on_right else -gap),
            y,
            text,
            ha="left" if on_right else "right",
            multialignment="left" if on_right else "right",
            va="center",
            fontsize=_TL_TEXT,
            color=colours[key],
        )
    ax.set_xlim(x0, x1)
    ax.set_ylim(depth, 0)  # inches from the top
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xticks(years)
    ax.set_xticklabels([str(y) for y in years])
    handles = [
        Patch(color=colours[key], label=label)
        for key, label in zip(["policy", "deadline", "local"], legend_labels, strict=True)
    ]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=ncol)
    alt = "时间线，" + "；".join(
        f"{e.date} {e.description_zh}" for e in events.itertuples(index=False)
    )
    return _save(fig, caption, alt + "。", width)


def _peers_bars(
    table: pd.DataFrame,
    *,
    indicator_names: Mapping[str, str],
    locality_names: Mapping[str, str],
    highlight: str | None,
    caption: str,
    width: float = FULL_WIDTH_IN,
) -> Figure:
    """Stacked bar groups, one per comparable indicator; normalised value where known."""
    indicators = list(dict.fromkeys(table["indicator_id"]))
    # Each panel's data first (labels, values, value texts, title): the margins depend on them.
    panels = []
    alt_parts = []
    for ind in indicators:
        rows = table[table["indicator_id"] == ind]
        use_norm = rows["normalised"].notna().all() and rows["normalise"].ne("").all()
        values = list(rows["normalised"] if use_norm else rows["value"])
        unit = rows["unit"].iloc[0]
        labels = [
            f"{locality_names.get(r.locality_id, r.locality_id)}（{r.scope}）"
            for r in rows.itertuples(index=False)
        ]
        colours = [
            ACCENT if r.locality_id == highlight or highlight is None else GREY
            for r in rows.itertuples(index=False)
        ]
        top = max(values, default=0) or 1  # an all-zero panel still needs an x range
        shown = (
            [_fmt(v, unit) for v in values]
            if use_norm or "display" not in rows
            else list(rows["display"])
        )
        title = indicator_names.get(ind, ind) + ("（标准化）" if use_norm else "")
        panels.append((labels, values, colours, top, shown, title))
        alt_parts.append(
            title + "：" + "，".join(f"{lab}{v}" for lab, v in zip(labels, shown, strict=True))
        )
    label_w, label_h = _max_size((lab for p in panels for lab in p[0]), FONT_SIZES["tick"])
    left = _EDGE + _rc_pt("ytick.major.pad") + label_w  # y ticks have length 0
    # value labels start just right of their bars; the x range leaves them 35 % headroom
    spans = [
        ((v + top * 0.01) / (top * 1.35), 0.0, _text_size(text, FONT_SIZES["base"])[0])
        for _, values, _, top, shown, _ in panels
        for v, text in zip(values, shown, strict=True)
    ]
    left, right = _fit_spans(width, left, _EDGE, spans)
    # titles start at the axes' left edge; a title too long for the width wraps
    titles = [_fit_title(p[5], FONT_SIZES["title"], width - left - _EDGE) for p in panels]
    # One axes for every panel: a matplotlib Axes per indicator (ticks, spines, title) was
    # most of this chart's drawing time. Panels are stacked groups of bars, each group scaled
    # to its own largest value (the x axis has no ticks: every bar carries its value), with
    # its title above it and its own stretch of spine, as the small multiples had.
    per_row = _PEERS_ROW_IN
    pad = max(0.5, (label_h / 2 + 2 * _PT) / per_row)  # rows' room above and below a panel
    title_pad = _rc_pt("axes.titlepad") / per_row
    groups = []  # (first bar y, last bar y, title y) from the bottom up
    y = 0.0
    for labels, *_rest in reversed(panels):
        low, high = y + pad, y + pad + len(labels) - 1
        title_y = high + pad + title_pad
        groups.append((low, high, title_y))
        title = titles[len(panels) - len(groups)]
        y = title_y + _text_size(title, FONT_SIZES["title"])[1] / per_row
    groups.reverse()
    fig, ax = new_figure(
        height_in=y * per_row + 2 * _EDGE, width_in=width, margins=(left, right, _EDGE, _EDGE)
    )
    ticks, tick_labels = [], []
    edge = matplotlib.rcParams["axes.edgecolor"]
    spine_width = matplotlib.rcParams["axes.linewidth"]
    title_colour = matplotlib.rcParams["axes.titlecolor"]
    if title_colour == "auto":
        title_colour = matplotlib.rcParams["text.color"]
    for (labels, values, colours, top, shown, _), title, (low, high, title_y) in zip(
        panels, titles, groups, strict=True
    ):
        ys = [high - i for i in range(len(labels))]  # first row on top, as in the table
        ax.barh(ys, [v / top for v in values], color=colours, height=0.6)
        for yi, v, label in zip(ys, values, shown, strict=True):
            ax.text(v / top + 0.01, yi, label, va="center")
        ax.vlines(0, low - pad, high + pad, colors=edge, linewidth=spine_width)
        ax.text(
            0,
            title_y,
            title,
            transform=ax.get_yaxis_transform(),
            ha="left",
            va="baseline" if "\n" not in title else "bottom",
            fontsize=FONT_SIZES["title"],
            color=title_colour,
        )
        ticks += ys
        tick_labels += labels
    ax.set_yticks(ticks)
    ax.set_yticklabels(tick_labels)
    ax.set_xlim(0, 1.35)
    ax.set_ylim(0, y)
    # every bar carries its value label: an axis in 1e7 units would only distract
    ax.set_xticks([])
    for side in ("bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.grid(False)
    ax.tick_params(axis="y", length=0)
    return _save(fig, caption, "条形图，" + "；".join(alt_parts) + "。", width)


#: Height of one bar row of the peers chart, in inches.
_PEERS_ROW_IN = 0.36


def _fmt(value: float, unit: str) -> str:
    return f"{format_quantity(value, 2)}{unit}"  # GB/T 15835, as the report's text


def scorecard_matrix(
    matrix: pd.DataFrame,
    *,
    locality_names: Mapping[str, str],
    item_names: Mapping[str, str],
    caption: str,
) -> Figure:
    """Heat strip: localities (rows) × national tasks/safeguards (columns) → evidence level.

    The phone drawing turns the grid (tasks as rows, localities as columns): ten columns of
    task names do not fit a phone's width at a readable size.
    """
    with house_style():
        wide = _scorecard_matrix(
            matrix, locality_names=locality_names, item_names=item_names, caption=caption
        )
        narrow = _scorecard_matrix(
            matrix.T,
            locality_names=item_names,
            item_names=locality_names,
            caption=caption,
            width=NARROW_WIDTH_IN,
        )
    return _with_narrow(wide, narrow)


def progress_bars(progress: pd.DataFrame, caption: str) -> Figure:
    """Horizontal bars: the locality's figure as a share of each target, 'no data' in grey."""
    with house_style():
        return _with_narrow(
            _progress_bars(progress, caption),
            _progress_bars(progress, caption, width=NARROW_WIDTH_IN),
        )


def timeline_chart(events: pd.DataFrame, caption: str) -> Figure:
    """Events on a time axis, one row each, oldest on top; labels wrap, never cut short."""
    with house_style():
        return _with_narrow(
            _timeline_chart(events, caption),
            _timeline_chart(events, caption, width=NARROW_WIDTH_IN),
        )


def peers_bars(
    table: pd.DataFrame,
    *,
    indicator_names: Mapping[str, str],
    locality_names: Mapping[str, str],
    highlight: str | None,
    caption: str,
) -> Figure:
    """Stacked bar groups, one per comparable indicator; normalised value where known."""
    options = {
        "indicator_names": indicator_names,
        "locality_names": locality_names,
        "highlight": highlight,
        "caption": caption,
    }
    with house_style():
        return _with_narrow(
            _peers_bars(table, **options),
            _peers_bars(table, **options, width=NARROW_WIDTH_IN),
        )
