"""The report's charts, in the house style of :mod:`reportlib.charts`.

Each function takes an analysis DataFrame and returns a :class:`~reportlib.charts.Figure`
(SVG + caption + alt text). Labels are Chinese; no figure from a source is written here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from reportlib.charts import (
    ACCENT,
    GREY,
    PALETTE,
    Figure,
    figure_from_mpl,
    house_style,
    new_figure,
)

#: Evidence level → (colour, Chinese label); darker means stronger evidence.
LEVEL_STYLE = {
    "quantified": ("#1f4e79", "量化证据"),
    "described": ("#7fa7cf", "文字描述"),
    "planned": ("#e8b04a", "仅有计划"),
    "none": ("#e6e6e6", "未涉及"),
}
_LEVEL_ORDER = list(LEVEL_STYLE)


def _wrap(text: str, width: int) -> str:
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


def _short(text: str, limit: int = 8) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _level_legend(ax, ncol: int = 4) -> None:
    handles = [
        Patch(facecolor=c, edgecolor="#999999", label=lab) for c, lab in LEVEL_STYLE.values()
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.05),
        ncol=ncol,
        handlelength=1.2,
    )


def _scorecard_matrix(
    matrix: pd.DataFrame,
    *,
    locality_names: Mapping[str, str],
    item_names: Mapping[str, str],
    caption: str,
) -> Figure:
    """Heat strip: localities (rows) × national tasks/safeguards (columns) → evidence level."""
    codes = matrix.map(lambda v: _LEVEL_ORDER.index(v)).to_numpy()
    n_rows, n_cols = codes.shape
    fig, ax = new_figure(height_in=1.25 + 0.36 * n_rows)
    cmap = ListedColormap([LEVEL_STYLE[k][0] for k in _LEVEL_ORDER])
    ax.imshow(codes, cmap=cmap, vmin=0, vmax=len(_LEVEL_ORDER) - 1, aspect="auto")
    ax.set_xticks(range(n_cols))
    ax.set_xticklabels([_wrap(item_names.get(c, c), 4) for c in matrix.columns], fontsize=7)
    ax.set_yticks(range(n_rows))
    ax.set_yticklabels([locality_names.get(i, i) for i in matrix.index])
    ax.tick_params(length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks([x - 0.5 for x in range(1, n_cols)], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, n_rows)], minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="minor", length=0)
    handles = [
        Patch(facecolor=c, edgecolor="#999999", label=lab) for c, lab in LEVEL_STYLE.values()
    ]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=4, handlelength=1.2)
    counts = {LEVEL_STYLE[k][1]: int((matrix == k).to_numpy().sum()) for k in _LEVEL_ORDER}
    alt = (
        f"热力条图：{n_rows}个地区对照国家通知{n_cols}项任务和保障措施的证据等级。"
        + "，".join(f"{k}{v}格" for k, v in counts.items())
        + "。"
    )
    return figure_from_mpl(fig, caption, alt)


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
    return Figure(fig.svg, fig.caption, f"热力条图，{caption}。{levels}。")


def _progress_bars(progress: pd.DataFrame, caption: str) -> Figure:
    """Horizontal bars: share of each target reached (0–100%), 'no data' marked in grey."""
    n = len(progress)
    fig, ax = new_figure(height_in=0.8 + 0.5 * n)
    source = progress["label"] if "label" in progress else progress["description_zh"]
    labels = [_wrap(str(d), 10) for d in source]
    y = list(range(n))[::-1]
    alt_parts = []
    for yi, r in zip(y, progress.itertuples(index=False), strict=True):
        ax.barh(yi, 100, color="#eeeeee", height=0.6)
        target = f"{r.target:,.0f}{r.unit}"
        if math.isnan(r.reported):
            ax.text(1, yi, f"无数据（目标{target}）", va="center", color=GREY)
            alt_parts.append(f"{r.description_zh}：无数据")
            continue
        pct = min(r.share * 100, 100)
        ax.barh(yi, pct, color=ACCENT, height=0.6)
        ax.text(pct + 1, yi, f"{r.reported:,.0f}/{target}（{r.share * 100:.1f}%）", va="center")
        alt_parts.append(f"{r.description_zh}：{r.reported:,.0f}/{target}，{r.share * 100:.1f}%")
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    ax.set_xlim(0, 100)
    ax.set_xlabel("占目标的比例（%）")
    ax.tick_params(axis="y", length=0)
    return figure_from_mpl(
        fig, caption, "条形图，本地数字占各项目标的比例。" + "；".join(alt_parts) + "。"
    )


def _timeline_chart(events: pd.DataFrame, caption: str) -> Figure:
    n = len(events)
    fig, ax = new_figure(height_in=0.9 + 0.24 * n)
    first = int(events["start"].min().year)
    last = int(events["start"].max().year)
    colours = {"policy": PALETTE[3], "deadline": PALETTE[4], "local": ACCENT}
    middle = (first + last + 1) / 2
    # One row per event, oldest at the top: labels never collide, whatever the dates.
    for row, e in enumerate(events.itertuples(index=False)):
        y = n - 1 - row
        x = e.start.year + (e.start.day_of_year - 1) / 366
        key = "local" if e.lane == "local" else ("deadline" if e.kind == "deadline" else "policy")
        ax.plot(x, y, "D" if key == "deadline" else "o", color=colours[key], markersize=4.5)
        right = x <= middle
        ax.text(
            x + (0.12 if right else -0.12),
            y,
            f"{e.date[:7].replace('-', '.')} {_short(e.description_zh, 24)}",
            ha="left" if right else "right",
            va="center",
            fontsize=7.5,
            color=colours[key],
        )
    ax.set_xlim(first - 0.3, last + 1.3)
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xticks(range(first, last + 2))
    ax.set_xticklabels([str(y) for y in range(first, last + 2)])
    handles = [
        Patch(color=colours["policy"], label="政策文件"),
        Patch(color=colours["deadline"], label="政策期限"),
        Patch(color=colours["local"], label="本地事件"),
    ]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3)
    alt = "时间线，" + "；".join(
        f"{e.date} {e.description_zh}" for e in events.itertuples(index=False)
    )
    return figure_from_mpl(fig, caption, alt + "。")


def _peers_bars(
    table: pd.DataFrame,
    *,
    indicator_names: Mapping[str, str],
    locality_names: Mapping[str, str],
    highlight: str | None,
    caption: str,
) -> Figure:
    """Small multiples, one panel per comparable indicator; normalised value where known."""
    indicators = list(dict.fromkeys(table["indicator_id"]))
    n = len(indicators)
    height = sum(0.55 + 0.32 * int((table["indicator_id"] == i).sum()) for i in indicators)
    fig, axes = new_figure(height_in=0.3 + height, nrows=n, ncols=1, squeeze=False)
    alt_parts = []
    for ax, ind in zip(axes[:, 0], indicators, strict=True):
        rows = table[table["indicator_id"] == ind]
        use_norm = rows["normalised"].notna().all() and rows["normalise"].ne("").all()
        values = rows["normalised"] if use_norm else rows["value"]
        unit = rows["unit"].iloc[0]
        labels = [
            f"{locality_names.get(r.locality_id, r.locality_id)}（{r.scope}）"
            for r in rows.itertuples(index=False)
        ]
        colours = [
            ACCENT if r.locality_id == highlight or highlight is None else GREY
            for r in rows.itertuples(index=False)
        ]
        y = list(range(len(rows)))[::-1]
        ax.barh(y, list(values), color=colours, height=0.6)
        top = max(values) if len(values) else 1
        shown = (
            [_fmt(v, unit) for v in values]
            if use_norm or "display" not in rows
            else list(rows["display"])
        )
        for yi, v, label in zip(y, values, shown, strict=True):
            ax.text(v + top * 0.01, yi, label, va="center")
        ax.set_yticks(y)
        ax.set_yticklabels(labels)
        ax.set_xlim(0, top * 1.35)
        # every bar carries its value label: an axis in 1e7 units would only distract
        ax.set_xticks([])
        ax.spines["bottom"].set_visible(False)
        ax.grid(False)
        ax.tick_params(axis="y", length=0)
        title = indicator_names.get(ind, ind) + ("（标准化）" if use_norm else "")
        ax.set_title(title)
        alt_parts.append(
            title + "：" + "，".join(f"{lab}{v}" for lab, v in zip(labels, shown, strict=True))
        )
    return figure_from_mpl(fig, caption, "条形图，" + "；".join(alt_parts) + "。")


def _fmt(value: float, unit: str) -> str:
    if unit == "元" and value >= 10_000:
        return f"{value / 10_000:,.2f}".rstrip("0").rstrip(".") + "万元"
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}{unit}"
    return f"{value:,.2f}{unit}"


def scorecard_matrix(
    matrix: pd.DataFrame,
    *,
    locality_names: Mapping[str, str],
    item_names: Mapping[str, str],
    caption: str,
) -> Figure:
    """Heat strip: localities (rows) × national tasks/safeguards (columns) → evidence level."""
    with house_style():
        return _scorecard_matrix(
            matrix, locality_names=locality_names, item_names=item_names, caption=caption
        )


def progress_bars(progress: pd.DataFrame, caption: str) -> Figure:
    """Horizontal bars: the locality's figure as a share of each target, 'no data' in grey."""
    with house_style():
        return _progress_bars(progress, caption)


def timeline_chart(events: pd.DataFrame, caption: str) -> Figure:
    """Events on a time axis: policy and deadlines above the line, local events below."""
    with house_style():
        return _timeline_chart(events, caption)


def peers_bars(
    table: pd.DataFrame,
    *,
    indicator_names: Mapping[str, str],
    locality_names: Mapping[str, str],
    highlight: str | None,
    caption: str,
) -> Figure:
    """Small multiples, one panel per comparable indicator; normalised value where known."""
    with house_style():
        return _peers_bars(
            table,
            indicator_names=indicator_names,
            locality_names=locality_names,
            highlight=highlight,
            caption=caption,
        )
