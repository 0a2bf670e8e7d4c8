"""The timeline chart: one row per event, oldest on top, so labels never collide.

A label sits right of its marker in the first half of the time axis, left of it in the
second, and wraps at word boundaries to the room on that side: never cut short.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import matplotlib
import pandas as pd
from matplotlib.patches import Patch

from reportlib.document.charts.layout import (
    EDGE,
    PT,
    fit_spans,
    legend_above,
    rc_inches,
    text_size,
    wrapped,
)
from reportlib.document.charts.style import (
    ACCENT,
    FONT_SIZES,
    FULL_WIDTH_IN,
    NARROW_WIDTH_IN,
    TIMELINE,
    Figure,
    figure_at_width,
    house_style,
    new_figure,
)

__all__ = ["timeline_chart"]


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
    return figure_at_width(fig, caption, alt + "。", width)


def timeline_chart(events: pd.DataFrame, caption: str) -> Figure:
    """Events on a time axis, one row each, oldest on top; labels wrap, never cut short."""
    with house_style():
        wide = _timeline_chart(events, caption)
        return wide.with_narrow(_timeline_chart(events, caption, width=NARROW_WIDTH_IN))
