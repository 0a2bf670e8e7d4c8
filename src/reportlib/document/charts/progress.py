"""The progress chart: the locality's figure as a share of each target (0–100 %), "no data"
marked in grey."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from reportlib.data.numbers import format_quantity
from reportlib.document.charts.layout import (
    EDGE,
    Margins,
    bar_ylim,
    fit_spans,
    line_width,
    rc_inches,
    text_size,
    wrapped,
)
from reportlib.document.charts.style import (
    ACCENT,
    DECORATION,
    FONT_SIZES,
    FULL_WIDTH_IN,
    NARROW_WIDTH_IN,
    TEXT_MUTED,
    Figure,
    figure_at_width,
    house_style,
    new_figure,
)

__all__ = ["progress_bars"]


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
    return figure_at_width(
        fig, caption, "条形图，本地数字占各项目标的比例。" + "；".join(alt_parts) + "。", width
    )


def progress_bars(progress: pd.DataFrame, caption: str) -> Figure:
    """Horizontal bars: the locality's figure as a share of each target, 'no data' in grey."""
    with house_style():
        wide = _progress_bars(progress, caption)
        return wide.with_narrow(_progress_bars(progress, caption, width=NARROW_WIDTH_IN))
