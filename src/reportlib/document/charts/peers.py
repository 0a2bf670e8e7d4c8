"""The peers chart: one group of bars per comparable indicator, all in one axes.

Each group is scaled to its own largest value (units differ between indicators), carries its
values as text and its title above it; the locality compared is highlighted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import matplotlib
import pandas as pd

from reportlib.data.numbers import format_quantity
from reportlib.document.charts.layout import (
    EDGE,
    PT,
    fit_spans,
    max_size,
    rc_inches,
    text_size,
    wrapped,
)
from reportlib.document.charts.style import (
    ACCENT,
    FONT_SIZES,
    FULL_WIDTH_IN,
    GREY,
    NARROW_WIDTH_IN,
    Figure,
    figure_at_width,
    house_style,
    new_figure,
)

__all__ = ["peers_bars"]


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
    return figure_at_width(fig, caption, "条形图，" + "；".join(alt_parts) + "。", width)


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
        wide, narrow = (
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
        return wide.with_narrow(narrow)
