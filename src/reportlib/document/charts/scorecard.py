"""The scorecard chart: localities × national tasks and safeguards, coloured by evidence level.

At print width localities are rows and the national items columns; the phone drawing turns
the grid. Column names wrap to their cells, in smaller type when a word does not fit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from reportlib.document.charts.layout import (
    EDGE,
    Margins,
    fit_spans,
    legend_above,
    rc_inches,
    size_for_words,
    text_size,
    wrapped,
)
from reportlib.document.charts.style import (
    FONT_SIZES,
    FULL_WIDTH_IN,
    LEVEL_COLOURS,
    NARROW_WIDTH_IN,
    Figure,
    figure_at_width,
    house_style,
    new_figure,
)

__all__ = ["LEVEL_STYLE", "scorecard_matrix", "scorecard_strip"]

#: Evidence level → (colour, Chinese label); darker means stronger evidence.
LEVEL_STYLE = {
    "quantified": (LEVEL_COLOURS["quantified"], "量化证据"),
    "described": (LEVEL_COLOURS["described"], "文字描述"),
    "planned": (LEVEL_COLOURS["planned"], "仅有计划"),
    "none": (LEVEL_COLOURS["none"], "未涉及"),
}
_LEVEL_ORDER = list(LEVEL_STYLE)


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
    return figure_at_width(fig, caption, alt, width)


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
    return wide.with_narrow(narrow)
