"""The overview's charts, in the house style of :mod:`reportlib.document.charts.style`.

Each chart's size depends on the number of national items, provinces or indicators, never
on the number of localities: the overview of 2,800 localities draws as fast as that of 3.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.patches import Patch, Rectangle

from reportlib.data.numbers import format_quantity
from reportlib.document.charts.layout import wrapped
from reportlib.document.charts.scorecard import LEVEL_STYLE
from reportlib.document.charts.style import (
    ACCENT,
    FONT_SIZES,
    FULL_WIDTH_IN,
    GREY,
    NARROW_WIDTH_IN,
    Figure,
    figure_at_width,
    figure_from_mpl,
    house_style,
    new_figure,
    text_colour_on,
)

#: Sequential scale for shares (0 → pale, 1 → the accent blue).
SHARE_CMAP = LinearSegmentedColormap.from_list("share", ["#eef3f8", "#7fa7cf", ACCENT])
#: Tiles of provinces with no locality in the data, and of 港澳台 (outside the data's scope).
NO_DATA = "white"
#: Width of the tile map's print drawing: square enough tiles on the A4 page.
TILE_MAP_WIDTH_IN = FULL_WIDTH_IN * 0.8
#: Strip charts draw each locality's dot up to this many localities per row.
MAX_DOTS = 60


def percent(share: float) -> str:
    """``41%`` (a share 0–1, whole percent)."""
    return f"{share * 100:.0f}%"


def item_shares(shares: pd.DataFrame, labels: list[str], caption: str) -> Figure:
    """100 % stacked bars, one per national item: share of localities at each level.

    Drawn twice, for print and for a phone (labels wrapped, legend in two columns).
    """
    totals = shares["n"].clip(lower=1).to_numpy(dtype=float)
    alt = "堆积条形图，各项任务按人工智能教育证据等级的地区占比：" + "；".join(
        f"{label}量化{percent(q / t)}，文字描述{percent(d / t)}"
        for label, q, d, t in zip(
            labels, shares["quantified"], shares["described"], totals, strict=True
        )
    )
    wide, narrow = (
        figure_at_width(_item_shares(shares, totals, labels, width), caption, alt + "。", width)
        for width in (FULL_WIDTH_IN, NARROW_WIDTH_IN)
    )
    return wide.with_narrow(narrow)


def _item_shares(shares: pd.DataFrame, totals: np.ndarray, labels: list[str], width: float) -> Any:
    """The stacked bars drawn ``width`` inches wide (labels wrapped on a phone)."""
    levels = list(LEVEL_STYLE)
    n = len(shares)
    narrow = width < FULL_WIDTH_IN
    if narrow:
        labels = [wrapped(label, width * 0.38, FONT_SIZES["tick"]) for label in labels]
    with house_style():
        fig, ax = new_figure(height_in=(1.3 if narrow else 1.0) + 0.32 * n, width_in=width)
        left = np.zeros(n)
        ys = np.arange(n)[::-1]
        for level in levels:
            part = shares[level].to_numpy(dtype=float) / totals
            colour, name = LEVEL_STYLE[level]
            ax.barh(ys, part, left=left, color=colour, height=0.65, label=name)
            for y, x0, w in zip(ys, left, part, strict=True):
                if w >= (0.14 if narrow else 0.08):
                    ax.text(
                        x0 + w / 2,
                        y,
                        percent(w),
                        ha="center",
                        va="center",
                        fontsize=FONT_SIZES["annotation"],
                        color=text_colour_on(colour),
                    )
            left = left + part
        ax.set_yticks(ys)
        ax.set_yticklabels(labels)
        ax.set_xlim(0, 1)
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
        ax.set_xticklabels(["0", "25%", "50%", "75%", "100%"])
        ax.tick_params(axis="y", length=0)
        ax.legend(
            loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2 if narrow else 4, handlelength=1.2
        )
    return fig


def tile_map(
    tiles: pd.DataFrame, values: Mapping[str, tuple[float, int]], caption: str, legend: str
) -> Figure:
    """Grid cartogram of the provinces: each tile coloured by a share, with its value.

    ``values`` maps a tile's full name to (share 0–1, localities); tiles without a value
    (no locality in the data, or outside its scope) are pale grey and say so. The phone
    drawing leaves out the number of localities (the alt text and the table keep it).
    """
    shown = "；".join(f"{name}{percent(v)}（{n}个地区）" for name, (v, n) in values.items())
    alt = f"省级方格地图，{legend}：{shown}。"
    wide, narrow = (
        figure_at_width(_tile_map(tiles, values, legend, width), caption, alt, width)
        for width in (TILE_MAP_WIDTH_IN, NARROW_WIDTH_IN)
    )
    return wide.with_narrow(narrow)


def _tile_map(
    tiles: pd.DataFrame, values: Mapping[str, tuple[float, int]], legend: str, width: float
) -> Any:
    """The tile map drawn ``width`` inches wide."""
    n_rows, n_cols = int(tiles["row"].max()) + 1, int(tiles["col"].max()) + 1
    height = width * n_rows / n_cols * 0.85 + 0.45
    counts = width >= TILE_MAP_WIDTH_IN
    with house_style():
        fig, ax = new_figure(height_in=height, width_in=width, margins=(0.05, 0.05, 0.45, 0.05))
        for t in tiles.itertuples(index=False):
            _tile(ax, t.col, n_rows - 1 - t.row, t, values.get(t.name_zh), counts)
        ax.set_xlim(0, n_cols)
        ax.set_ylim(0, n_rows)
        ax.set_aspect("auto")
        ax.axis("off")
        handles = [
            Patch(facecolor=SHARE_CMAP(v), label=label)
            for v, label in ((0.0, "0"), (0.5, "50%"), (1.0, "100%"))
        ]
        handles.append(Patch(facecolor=NO_DATA, edgecolor="#cccccc", label="无数据"))
        ax.legend(
            handles=handles,
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncol=4,
            title=legend,
            title_fontsize=FONT_SIZES["tick"],
            alignment="left",
        )
    return fig


#: The smallest text of the tile map and heat map, in pt: 9 px on screen at print size.
SMALL_PT = 7.0


def _tile(
    ax: Any, x: int, y: int, tile: Any, value: tuple[float, int] | None, counts: bool = True
) -> None:
    """One province's square: short name, then its share and localities, or why none."""
    colour = NO_DATA if value is None else SHARE_CMAP(value[0])
    edge = "#cccccc" if value is None else colour
    ax.add_patch(
        Rectangle((x + 0.04, y + 0.04), 0.92, 0.92, facecolor=colour, edgecolor=edge, lw=0.6)
    )
    ink = "white" if value is not None and value[0] > 0.55 else "#333333"
    ax.text(x + 0.5, y + 0.74, tile.short_zh, ha="center", va="center", color=ink)
    if value is None:
        note = "无数据" if tile.in_scope else "不在范围"
        ax.text(x + 0.5, y + 0.32, note, ha="center", va="center", fontsize=SMALL_PT, color=GREY)
        return
    share, count = value
    ax.text(
        x + 0.5, y + (0.45 if counts else 0.35), percent(share), ha="center", va="center", color=ink
    )
    if counts:
        ax.text(
            x + 0.5,
            y + 0.18,
            f"{format_quantity(count)}个地区",
            ha="center",
            va="center",
            fontsize=SMALL_PT,
            color=ink,
        )


def distributions(dist: pd.DataFrame, labels: list[str], caption: str) -> Figure:
    """One row per like-for-like group: box (quartiles), whiskers (range), median, dots.

    Each row is scaled to its own upper whisker (units differ between rows; values beyond
    it are marked ▸ at the edge); the median, quartiles, largest value and the number of
    localities are written beside the box.
    """
    n = len(dist)
    with house_style():
        fig, ax = new_figure(height_in=0.7 + 0.5 * n)
        ax.grid(False)
        rng = np.random.default_rng(0)  # fixed jitter: the SVG must be reproducible
        for i, r in enumerate(dist.itertuples(index=False)):
            y = n - 1 - i
            # scaled to the upper whisker: one far value must not squash the box to a line
            top = r.high or r.max or 1.0
            q1, med, q3 = r.q1 / top, r.median / top, r.q3 / top
            ax.hlines(y, r.low / top, r.high / top, color=GREY, lw=0.8)
            box = Rectangle(
                (q1, y - 0.22),
                max(q3 - q1, 0.004),
                0.44,
                facecolor="#cfdeee",
                edgecolor=ACCENT,
                lw=0.8,
            )
            ax.add_patch(box)
            ax.vlines(med, y - 0.26, y + 0.26, color=ACCENT, lw=2)
            values = np.asarray(r.values, dtype=float) / top
            if len(values) <= MAX_DOTS:
                shown = values[values <= 1]
                jitter = rng.uniform(-0.15, 0.15, len(shown))
                ax.scatter(shown, y + jitter, s=6, color="#333333", alpha=0.6, lw=0, zorder=3)
            if r.max > r.high:  # values beyond the whisker: one mark at the edge
                ax.plot(1.0, y, marker=">", color=GREY, markersize=4)
            text = (
                f"中位数{format_quantity(r.median)}{r.unit}，{r.n}个地区\n"
                f"四分位{format_quantity(r.q1)}–{format_quantity(r.q3)}，"
                f"最大{format_quantity(r.max)}{r.unit}"
            )
            ax.text(1.05, y, text, va="center", fontsize=FONT_SIZES["annotation"])
        ax.set_yticks(range(n))
        # the indicator on one line, its basis and scope below: half the label width
        ax.set_yticklabels([label.replace("（", "\n（", 1) for label in labels[::-1]])
        ax.set_xlim(0, 2.1)
        ax.set_ylim(-0.6, n - 0.4)
        ax.set_xticks([])
        ax.tick_params(axis="y", length=0)
        for side in ("bottom", "right", "top"):
            ax.spines[side].set_visible(False)
    alt = "箱线图，各项可比指标在各地区的分布：" + "；".join(
        f"{label}中位数{format_quantity(r.median)}{r.unit}，"
        f"四分位{format_quantity(r.q1)}至{format_quantity(r.q3)}，最小{format_quantity(r.min)}，"
        f"最大{format_quantity(r.max)}，{r.n}个地区"
        for label, r in zip(labels, dist.itertuples(index=False), strict=True)
    )
    return figure_from_mpl(fig, caption, alt + "。")


def share_matrix(table: pd.DataFrame, col_labels: list[str], caption: str, what: str) -> Figure:
    """Heat map: groups (rows: provinces or levels) × national items, share in each cell.

    ``table`` holds shares 0–1 (NaN: no locality); its index gives the row labels.
    """
    n_rows, n_cols = table.shape
    values = table.to_numpy(dtype=float)
    with house_style():
        fig, ax = new_figure(height_in=1.3 + 0.2 * n_rows)
        ax.pcolormesh(
            np.arange(n_cols + 1) - 0.5,
            np.arange(n_rows + 1) - 0.5,
            np.ma.masked_invalid(values),
            cmap=SHARE_CMAP,
            vmin=0,
            vmax=1,
            edgecolors="white",
            linewidth=1.5,
        )
        for (i, j), v in np.ndenumerate(values):
            if not np.isnan(v):
                ink = "white" if v > 0.55 else "#333333"
                ax.text(j, i, percent(v), ha="center", va="center", fontsize=SMALL_PT, color=ink)
        ax.set_xlim(-0.5, n_cols - 0.5)
        ax.set_ylim(n_rows - 0.5, -0.5)
        ax.set_xticks(range(n_cols))
        ax.set_xticklabels(
            ["\n".join(c[k : k + 4] for k in range(0, len(c), 4)) for c in col_labels],
            fontsize=SMALL_PT,
        )
        ax.xaxis.tick_top()
        ax.set_yticks(range(n_rows))
        ax.set_yticklabels([str(i) for i in table.index])
        ax.tick_params(length=0)
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
    alt = f"热力图，{what}：" + "；".join(
        f"{row}："
        + "，".join(
            f"{c}{percent(v)}" for c, v in zip(col_labels, vals, strict=True) if not np.isnan(v)
        )
        for row, vals in zip(table.index, values, strict=True)
    )
    return figure_from_mpl(fig, caption, alt + "。")
