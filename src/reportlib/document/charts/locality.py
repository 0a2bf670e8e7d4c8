"""The report's charts, in the house style of :mod:`reportlib.document.charts.style`.

Each public function takes an analysis DataFrame and returns a :class:`~.style.Figure`
(SVG + caption + alt text) holding two drawings: one at print width, one for a phone.
Labels are Chinese; no figure from a source is written here.

Each drawing measures its labels and fixes its margins first (:mod:`.layout`), then draws:
savefig needs no layout pass.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import matplotlib
import matplotlib.figure
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from reportlib.data.numbers import format_quantity
from reportlib.document.charts.layout import (
    EDGE,
    PT,
    bar_ylim,
    fit_spans,
    legend_above,
    line_width,
    max_size,
    rc_inches,
    size_for_words,
    text_size,
    wrapped,
)
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

__all__ = ["LEVEL_STYLE", "peers_bars", "progress_bars", "scorecard_matrix", "scorecard_strip"]
__all__ += ["timeline_chart"]

#: Evidence level → (colour, Chinese label); darker means stronger evidence.
LEVEL_STYLE = {
    "quantified": (LEVEL_COLOURS["quantified"], "量化证据"),
    "described": (LEVEL_COLOURS["described"], "文字描述"),
    "planned": (LEVEL_COLOURS["planned"], "仅有计划"),
    "none": (LEVEL_COLOURS["none"], "未涉及"),
}
_LEVEL_ORDER = list(LEVEL_STYLE)

#: Margins in inches: (left, right, top, bottom), as ``new_figure`` takes them.
Margins = tuple[float, float, float, float]


def _save(fig: matplotlib.figure.Figure, caption: str, alt: str, width: float) -> Figure:
    """The figure as SVG; a phone-width drawing gets its own SVG ids (see figure_from_mpl)."""
    return figure_from_mpl(fig, caption, alt, variant="" if width >= FULL_WIDTH_IN else "narrow")


def _with_narrow(wide: Figure, narrow: Figure) -> Figure:
    return dataclasses.replace(wide, svg_narrow=narrow.svg)


# --- Scorecard: localities × national items, coloured by evidence level --------------------


class _Grid(NamedTuple):
    """A scorecard's labels as drawn, and the margins that fit them."""

    row_labels: list[str]
    col_labels: list[str]
    col_size: float
    legend_columns: int
    margins: Margins


def _scorecard_grid(row_labels: list[str], names: list[str], width: float, height: float) -> _Grid:
    """Column names wrapped to their cells (in smaller type when a word does not fit), and
    margins that keep every label, and the legend above the grid, inside the figure."""
    n_rows, n_cols = len(row_labels), len(names)
    row_sizes = [text_size(label, FONT_SIZES["tick"]) for label in row_labels]
    # ticks have length 0: labels sit one tick pad off the axes
    left = EDGE + rc_inches("ytick.major.pad") + max((w for w, _ in row_sizes), default=0.0)
    # column labels wrap at word boundaries to their cell's width, less a gap between them
    cell = (width - left - EDGE) / max(n_cols, 1)
    col_size = size_for_words(names, 0.92 * cell, 7.0)
    # a word wider than its cell even at the smallest size is split rather than overlap
    col_labels = [wrapped(name, 0.92 * cell, col_size, split_words=True) for name in names]
    col_sizes = [text_size(label, col_size) for label in col_labels]
    bottom = EDGE + rc_inches("xtick.major.pad") + max((h for _, h in col_sizes), default=0.0)
    left, right = fit_spans(
        width,
        left,
        EDGE,
        (((j + 0.5) / n_cols, w / 2, w / 2) for j, (w, _) in enumerate(col_sizes)),
    )
    level_labels = [label for _, label in LEVEL_STYLE.values()]
    ncol, legend_height = legend_above(
        level_labels, ncol=4, handlelength=1.2, room=width - left - EDGE
    )
    # row labels are centred on their rows (row 0 at the top)
    bottom, top = fit_spans(
        height,
        bottom,
        EDGE + legend_height,
        (((n_rows - 0.5 - i) / n_rows, h / 2, h / 2) for i, (_, h) in enumerate(row_sizes)),
    )
    return _Grid(row_labels, col_labels, col_size, ncol, (left, right, top, bottom))


def _draw_scorecard(ax: Any, codes: Any, grid: _Grid) -> None:
    n_rows, n_cols = codes.shape
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
    ax.set_xticklabels(grid.col_labels, fontsize=grid.col_size)
    ax.set_yticks(range(n_rows))
    ax.set_yticklabels(grid.row_labels)
    ax.tick_params(length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    handles = [
        Patch(facecolor=c, edgecolor="#999999", label=lab) for c, lab in LEVEL_STYLE.values()
    ]
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=grid.legend_columns,
        handlelength=1.2,
    )


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
    row_labels = [str(locality_names.get(i, i)) for i in matrix.index]
    names = [str(item_names.get(c, c)) for c in matrix.columns]
    grid = _scorecard_grid(row_labels, names, width, height)
    fig, ax = new_figure(height_in=height, width_in=width, margins=grid.margins)
    _draw_scorecard(ax, codes, grid)
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


# --- Progress: the locality's figure as a share of each target -----------------------------

_PROGRESS_XLABEL = "占目标的比例（%）"
_PROGRESS_TICKS = list(range(0, 101, 20))

#: One bar: its row (y), its length in % (None: no data) and its value label.
_Bar = tuple[int, float | None, str]


def _progress_values(progress: pd.DataFrame, width: float) -> tuple[list[_Bar], list[str]]:
    """Each target's bar (first target on top) and its sentence for the alt text."""
    y = list(range(len(progress)))[::-1]
    bars: list[_Bar] = []
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
    return bars, alt_parts


def _progress_margins(
    labels: list[str], bars: list[_Bar], width: float, height: float
) -> tuple[Margins, tuple[float, float]]:
    """Margins that fit the row labels, the axis and the value labels; and the y limits."""
    label_sizes = [text_size(label, FONT_SIZES["tick"]) for label in labels]
    tick_sizes = [text_size(str(t), FONT_SIZES["tick"]) for t in _PROGRESS_TICKS]
    xlabel_w, xlabel_h = text_size(_PROGRESS_XLABEL, FONT_SIZES["label"])
    # y ticks have length 0; x ticks keep theirs, and the x label sits below their labels
    left = EDGE + rc_inches("ytick.major.pad") + max((w for w, _ in label_sizes), default=0.0)
    bottom = (
        EDGE
        + rc_inches("xtick.major.size")
        + rc_inches("xtick.major.pad")
        + max(h for _, h in tick_sizes)
        + rc_inches("axes.labelpad")
        + xlabel_h
    )
    spans = [(t / 100, w / 2, w / 2) for t, (w, _) in zip(_PROGRESS_TICKS, tick_sizes, strict=True)]
    spans.append((0.5, xlabel_w / 2, xlabel_w / 2))
    spans += [
        (((pct if pct is not None else 0) + 1) / 100, 0.0, text_size(text, FONT_SIZES["base"])[0])
        for _, pct, text in bars
    ]
    left, right = fit_spans(width, left, EDGE, spans)
    y0, y1 = bar_ylim(len(bars))
    bottom, top = fit_spans(
        height,
        bottom,
        EDGE,
        (
            ((yi - y0) / (y1 - y0), h / 2, h / 2)
            for (yi, _, _), (_, h) in zip(bars, label_sizes, strict=True)
        ),
    )
    return (left, right, top, bottom), (y0, y1)


def _draw_progress(ax: Any, labels: list[str], bars: list[_Bar], ylim: tuple[float, float]) -> None:
    for yi, pct, text in bars:
        ax.barh(yi, 100, color=DECORATION[1], height=0.6)
        if pct is None:
            ax.text(1, yi, text, va="center", color=TEXT_MUTED)
        else:
            ax.barh(yi, pct, color=ACCENT, height=0.6)
            ax.text(pct + 1, yi, text, va="center")
    ax.set_yticks([yi for yi, _, _ in bars])
    ax.set_yticklabels(labels)
    ax.set_xlim(0, 100)
    ax.set_ylim(*ylim)
    ax.set_xticks(_PROGRESS_TICKS)
    ax.set_xlabel(_PROGRESS_XLABEL)
    ax.tick_params(axis="y", length=0)


def _progress_bars(progress: pd.DataFrame, caption: str, width: float = FULL_WIDTH_IN) -> Figure:
    """Horizontal bars: share of each target reached (0–100%), 'no data' marked in grey."""
    height = 0.8 + 0.5 * len(progress)
    source = progress["label"] if "label" in progress else progress["description_zh"]
    # labels take at most 10 characters' width (6 on a phone) and wrap between words
    room = line_width("国" * (10 if width >= FULL_WIDTH_IN else 6), FONT_SIZES["tick"])
    labels = [wrapped(str(d), room, FONT_SIZES["tick"]) for d in source]
    bars, alt_parts = _progress_values(progress, width)
    margins, ylim = _progress_margins(labels, bars, width, height)
    fig, ax = new_figure(height_in=height, width_in=width, margins=margins)
    _draw_progress(ax, labels, bars, ylim)
    return _save(
        fig, caption, "条形图，本地数字占各项目标的比例。" + "；".join(alt_parts) + "。", width
    )


# --- Timeline: one row per event, oldest on top -------------------------------------------

#: Timeline: label size (pt), gap between a marker and its label, between rows (inches).
_TL_TEXT = 7.5
_TL_GAP_IN = 0.08
_TL_ROW_GAP_IN = 3.5 * PT
_TL_COLOURS = {"policy": TIMELINE["policy"], "deadline": TIMELINE["deadline"], "local": ACCENT}
_TL_LEGEND = {"policy": "政策文件", "deadline": "政策期限", "local": "本地事件"}

#: An event as drawn: (x in years, row centre in inches from the top, colour key, text to
#: the right of the marker?, text).
_Mark = tuple[float, float, str, bool, str]


class _TimeAxis(NamedTuple):
    """The years' axis: margins beside it, inches per year, labelled years, label height."""

    left: float
    right: float
    per_year: float
    years: list[int]
    tick_height: float


def _time_axis(first: int, last: int, x0: float, x1: float, width: float) -> _TimeAxis:
    years = list(range(first, last + 2))
    tick_sizes = [text_size(str(year), FONT_SIZES["tick"]) for year in years]
    left, right = fit_spans(
        width,
        EDGE,
        EDGE,
        (
            ((yr - x0) / (x1 - x0), w / 2, w / 2)
            for yr, (w, _) in zip(years, tick_sizes, strict=True)
        ),
    )
    per_year = (width - left - right) / (x1 - x0)  # inches
    # label every n-th year when the years' labels would touch (a phone-width drawing)
    widest = max(w for w, _ in tick_sizes)
    stride = max(1, math.ceil((widest + 4 * PT) / per_year))
    shown = [yr for yr in years if (yr - first) % stride == 0]
    return _TimeAxis(left, right, per_year, shown, max(h for _, h in tick_sizes))


def _timeline_marks(
    events: pd.DataFrame, x0: float, middle: float, axis: _TimeAxis, width: float
) -> tuple[list[_Mark], float]:
    """Each event's mark and wrapped label, one row each; and the rows' total depth."""
    marks: list[_Mark] = []
    depth = _TL_ROW_GAP_IN / 2
    for e in events.itertuples(index=False):
        x = e.start.year + (e.start.day_of_year - 1) / 366
        key = "local" if e.lane == "local" else ("deadline" if e.kind == "deadline" else "policy")
        on_right = x <= middle
        at = (x - x0) * axis.per_year
        room = (width - axis.left - axis.right - at if on_right else at) - _TL_GAP_IN - EDGE
        date = e.date[:7].replace("-", ".")
        text = wrapped(f"{date} {e.description_zh}", room, _TL_TEXT)
        h = text_size(text, _TL_TEXT)[1]
        marks.append((x, depth + h / 2, key, on_right, text))
        depth += h + _TL_ROW_GAP_IN
    return marks, depth


def _draw_timeline(
    ax: Any, marks: list[_Mark], axis: _TimeAxis, xlim: tuple[float, float], depth: float
) -> None:
    gap = _TL_GAP_IN / axis.per_year  # in years
    for x, y, key, on_right, text in marks:
        ax.plot(x, y, "D" if key == "deadline" else "o", color=_TL_COLOURS[key], markersize=4.5)
        ax.text(
            x + (gap if on_right else -gap),
            y,
            text,
            ha="left" if on_right else "right",
            multialignment="left" if on_right else "right",
            va="center",
            fontsize=_TL_TEXT,
            color=_TL_COLOURS[key],
        )
    ax.set_xlim(*xlim)
    ax.set_ylim(depth, 0)  # inches from the top
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xticks(axis.years)
    ax.set_xticklabels([str(y) for y in axis.years])


def _timeline_chart(events: pd.DataFrame, caption: str, width: float = FULL_WIDTH_IN) -> Figure:
    """One row per event, oldest at the top (labels never collide, whatever the dates).

    A label sits right of its marker in the first half of the time axis, left of it in the
    second, and wraps (at word boundaries) to the room on that side: never cut short.
    """
    first = int(events["start"].min().year)
    last = int(events["start"].max().year)
    x0, x1 = first - 0.3, last + 1.3
    axis = _time_axis(first, last, x0, x1, width)
    marks, depth = _timeline_marks(events, x0, (first + last + 1) / 2, axis, width)
    ncol, legend_height = legend_above(
        list(_TL_LEGEND.values()),
        ncol=3,
        handlelength=matplotlib.rcParams["legend.handlelength"],
        room=width - axis.left - EDGE,
    )
    bottom = EDGE + rc_inches("xtick.major.size") + rc_inches("xtick.major.pad") + axis.tick_height
    top = EDGE + legend_height
    fig, ax = new_figure(
        height_in=top + depth + bottom, width_in=width, margins=(axis.left, axis.right, top, bottom)
    )
    _draw_timeline(ax, marks, axis, (x0, x1), depth)
    handles = [Patch(color=_TL_COLOURS[key], label=label) for key, label in _TL_LEGEND.items()]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=ncol)
    alt = "时间线，" + "；".join(
        f"{e.date} {e.description_zh}" for e in events.itertuples(index=False)
    )
    return _save(fig, caption, alt + "。", width)


# --- Peers: one group of bars per comparable indicator --------------------------------------

#: Height of one bar row of the peers chart, in inches.
_PEERS_ROW_IN = 0.36


class _Panel(NamedTuple):
    """One indicator's group: bar labels, values, colours, scale, value texts and title."""

    labels: list[str]
    values: list[float]
    colours: list[str]
    top: float
    shown: list[str]
    title: str


def _fmt(value: float, unit: str) -> str:
    return f"{format_quantity(value, 2)}{unit}"  # GB/T 15835, as the report's text


def _peers_panel(
    rows: pd.DataFrame,
    title: str,
    locality_names: Mapping[str, str],
    highlight: str | None,
) -> _Panel:
    """One indicator's rows as a panel; the normalised value where every row has one."""
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
    return _Panel(labels, values, colours, top, shown, title + ("（标准化）" if use_norm else ""))


def _peers_stack(
    panels: list[_Panel], titles: list[str], label_h: float
) -> tuple[list[tuple[float, float, float]], float, float]:
    """Where each panel sits, in bar rows from the bottom: (first bar, last bar, title) per
    panel, top panel first; the height of the whole; and the room above and below a panel."""
    pad = max(0.5, (label_h / 2 + 2 * PT) / _PEERS_ROW_IN)  # rows' room above and below
    title_pad = rc_inches("axes.titlepad") / _PEERS_ROW_IN
    groups = []
    y = 0.0
    for panel in reversed(panels):
        low, high = y + pad, y + pad + len(panel.labels) - 1
        title_y = high + pad + title_pad
        groups.append((low, high, title_y))
        title = titles[len(panels) - len(groups)]
        y = title_y + text_size(title, FONT_SIZES["title"])[1] / _PEERS_ROW_IN
    groups.reverse()
    return groups, y, pad


def _draw_peers(
    ax: Any,
    panels: list[_Panel],
    titles: list[str],
    groups: list[tuple[float, float, float]],
    pad: float,
) -> None:
    ticks, tick_labels = [], []
    edge = matplotlib.rcParams["axes.edgecolor"]
    spine_width = matplotlib.rcParams["axes.linewidth"]
    title_colour = matplotlib.rcParams["axes.titlecolor"]
    if title_colour == "auto":
        title_colour = matplotlib.rcParams["text.color"]
    for panel, title, (low, high, title_y) in zip(panels, titles, groups, strict=True):
        ys = [high - i for i in range(len(panel.labels))]  # first row on top, as in the table
        ax.barh(ys, [v / panel.top for v in panel.values], color=panel.colours, height=0.6)
        for yi, v, label in zip(ys, panel.values, panel.shown, strict=True):
            ax.text(v / panel.top + 0.01, yi, label, va="center")
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
        tick_labels += panel.labels
    ax.set_yticks(ticks)
    ax.set_yticklabels(tick_labels)


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
    # Each panel's data first (labels, values, value texts, title): the margins depend on them.
    panels = [
        _peers_panel(
            table[table["indicator_id"] == ind],
            indicator_names.get(ind, ind),
            locality_names,
            highlight,
        )
        for ind in dict.fromkeys(table["indicator_id"])
    ]
    label_w, label_h = max_size((lab for p in panels for lab in p.labels), FONT_SIZES["tick"])
    left = EDGE + rc_inches("ytick.major.pad") + label_w  # y ticks have length 0
    # value labels start just right of their bars; the x range leaves them 35 % headroom
    spans = [
        ((v + p.top * 0.01) / (p.top * 1.35), 0.0, text_size(text, FONT_SIZES["base"])[0])
        for p in panels
        for v, text in zip(p.values, p.shown, strict=True)
    ]
    left, right = fit_spans(width, left, EDGE, spans)
    # titles start at the axes' left edge; a title too long for the width wraps
    titles = [wrapped(p.title, width - left - EDGE, FONT_SIZES["title"]) for p in panels]
    # One axes for every panel: a matplotlib Axes per indicator (ticks, spines, title) was
    # most of this chart's drawing time. Panels are stacked groups of bars, each group scaled
    # to its own largest value (the x axis has no ticks: every bar carries its value), with
    # its title above it and its own stretch of spine, as the small multiples had.
    groups, y, pad = _peers_stack(panels, titles, label_h)
    fig, ax = new_figure(
        height_in=y * _PEERS_ROW_IN + 2 * EDGE, width_in=width, margins=(left, right, EDGE, EDGE)
    )
    _draw_peers(ax, panels, titles, groups, pad)
    ax.set_xlim(0, 1.35)
    ax.set_ylim(0, y)
    # every bar carries its value label: an axis in 1e7 units would only distract
    ax.set_xticks([])
    for side in ("bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.grid(False)
    ax.tick_params(axis="y", length=0)
    alt_parts = [
        p.title + "：" + "，".join(f"{lab}{v}" for lab, v in zip(p.labels, p.shown, strict=True))
        for p in panels
    ]
    return _save(fig, caption, "条形图，" + "；".join(alt_parts) + "。", width)


# --- Public: each chart at print width and for a phone -------------------------------------


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
    with house_style():
        return _with_narrow(
            *(
                _peers_bars(
                    table,
                    indicator_names=indicator_names,
                    locality_names=locality_names,
                    highlight=highlight,
                    caption=caption,
                    width=width,
                )
                for width in (FULL_WIDTH_IN, NARROW_WIDTH_IN)
            )
        )
