"""7 同类比较: a locality beside its peers on the indicators they share.

Figures are compared only when they are like for like (``analysis.peers_table``); the rest
are listed apart with the reason. ``comparison_blocks`` also draws the small overview's.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd

from reportlib import analysis as an
from reportlib.data import tables
from reportlib.data.dataset import Dataset
from reportlib.document import display
from reportlib.document.blocks import BlockList, Paragraph, Table
from reportlib.document.charts import locality as locality_charts
from reportlib.document.citations import cite
from reportlib.document.sections.common import (
    drop_empty_columns,
    facts_by_id,
    heading,
    indicator_names,
)
from reportlib.document.sections.figure_text import fact_display, fact_when
from reportlib.document.sections.labels import BASIS_ZH, SCOPE_CLASS_ZH
from reportlib.document.wording import say
from reportlib.errors import ReportlibError

#: The peers chart's caption unless the notebook gives another.
CHART_CAPTION = "同类指标比较"


@tables.shared_lookups()
def peers(
    ds: Dataset,
    locality_id: str,
    as_of: date | str | None = None,
    max_peers: int = 5,
    caption: str = CHART_CAPTION,
) -> BlockList:
    """7 同类比较: this locality beside others on the indicators they share.

    ``max_peers``: how many other localities to compare at most (the candidates come in the
    order of ``analysis.peer_candidates``: same province and level first, then most shared
    indicators); ``0`` compares none and says so (``templates/text/peers/not_shown.txt``).
    ``caption``: the chart's caption (the count of indicators shown is added when capped).
    """
    if max_peers < 0:
        raise ReportlibError(f"peers: max_peers must be 0 or more, not {max_peers}")
    if not caption.strip():
        raise ReportlibError("peers: caption is empty; give the chart's caption or leave it out")
    loc = tables.locality_row(ds, locality_id)
    candidates = an.peer_candidates(ds, locality_id)
    if max_peers == 0:
        text = say("peers/not_shown.txt", total=len(candidates))
        return BlockList([heading("peers"), Paragraph(text)])
    chosen = [locality_id, *candidates["locality_id"].head(max_peers)]
    table = an.peers_table(ds, chosen)
    blocks: list[Any] = [heading("peers"), *_peers_choice(loc, candidates, max_peers)]
    mine = table[
        table["indicator_id"].isin(table.loc[table["locality_id"] == locality_id, "indicator_id"])
    ]
    # one figure per locality and indicator (the first in the file): a locality reporting
    # an indicator many times would otherwise fill the chart and table with it
    repeated = mine.duplicated(["indicator_id", "locality_id"])
    if repeated.any():
        mine = mine[~repeated]
        blocks.append(Paragraph(say("peers/repeated.txt")))
    if mine.empty:
        blocks.append(Paragraph(say("peers/none_shared.txt", locality=tables.text(loc["name_zh"]))))
        return BlockList(blocks)
    blocks += comparison_blocks(ds, mine, highlight=locality_id, localities=chosen, caption=caption)
    return BlockList(blocks)


def _peers_choice(loc: pd.Series, candidates: pd.DataFrame, shown: int) -> list[Any]:
    """How the peers were chosen, and how many more there are, when not all are shown."""
    rest = candidates.iloc[shown:]
    if rest.empty:
        return []
    alike = int((rest["same_province"] & rest["same_level"]).sum())
    where = f"{tables.text(loc.get('province_zh', ''))}同级地区" if alike else ""
    text = say(
        "peers/choice.txt",
        total=len(candidates),
        shown=min(shown, len(candidates)),
        rest=len(rest),
        where=where,
        alike=alike,
    )
    return [Paragraph(text)]


#: Panels in the peers chart: more would be unreadable (and slow); the table lists them all.
MAX_PEER_PANELS = 6


_DIFFERS_ZH = {"unit": "单位", "basis": "口径", "scope_class": "统计范围", "period": "时段"}


def _differs_text(group: list[dict[str, Any]], differs: str) -> str:
    """Why one indicator's figures are not comparable: ``口径不同（单次、累计数）；…``."""
    shown = {
        "unit": lambda r: r["unit"] or "—",
        "basis": lambda r: BASIS_ZH.get(r["basis"], r["basis"]),
        "scope_class": lambda r: SCOPE_CLASS_ZH[r["scope_class"]],
        "period": lambda r: display.display_date(r["as_of"]) or "—",
    }
    parts = []
    for key in differs.split(";"):
        if key in shown:
            values = "、".join(dict.fromkeys(shown[key](r) for r in group))
            parts.append(f"{_DIFFERS_ZH[key]}不同（{values}）")
    return "；".join(parts) or "只有一个地区报告了同口径的数字"


def _peer_rows(
    ds: Dataset, records: list[dict[str, Any]], facts: dict[str, dict[str, Any]], **names: Any
) -> tuple[list[dict[str, Any]], dict[Any, Any]]:
    """Table rows (and their notes) for peers records: value, basis and time, scope."""
    rows, notes = [], {}
    for i, r in enumerate(records):
        fact_row = facts[r["fact_id"]]
        norm = "—"
        if r["normalise"]:
            label = display.NORMALISE_LABELS.get(r["normalise"], r["normalise"])
            basis = "推算" if r["denominator_basis"] == "implied" else "报告"
            norm = f"{label}{display.format_significant(r['normalised'])}{r['unit']}（{basis}分母）"
        rows.append(
            {
                "指标": names["indicators"].get(r["indicator_id"], r["indicator_id"]),
                "地区": names["localities"].get(r["locality_id"], r["locality_id"]),
                "数值": fact_display(fact_row),
                "口径": BASIS_ZH.get(r["basis"], r["basis"]),
                "时间": fact_when(fact_row),
                "统计范围": r["scope"] or "—",
                "标准化": norm,
            }
        )
        notes[(i, "数值")] = cite(ds, fact_row)
    return rows, notes


def comparison_blocks(
    ds: Dataset,
    table: pd.DataFrame,
    highlight: str | None = None,
    localities: Iterable[str] = (),
    caption: str = CHART_CAPTION,
) -> list[Any]:
    """Chart and table of comparable figures, and a table of those that are not, with why.

    Figures are comparable only when indicator, unit, basis and scope class (and, for totals
    over a period, the period) agree (``analysis.peers_table``).
    """
    names = indicator_names(ds)
    loc_names = dict(
        zip(ds.localities["locality_id"].tolist(), ds.localities["name_zh"].tolist(), strict=True)
    )
    facts = facts_by_id(ds, list(table["fact_id"]), localities)
    comparable = table[table["comparable"]]
    out: list[Any] = [Paragraph(say("peers/rule.txt"))]
    if comparable.empty:
        out.append(Paragraph(say("peers/none_comparable.txt")))
    else:
        reported_by = comparable.groupby("indicator_id", sort=False)["locality_id"].nunique()
        shown = reported_by.sort_values(ascending=False, kind="stable").index[:MAX_PEER_PANELS]
        chart = comparable[comparable["indicator_id"].isin(shown)]
        capped = len(reported_by) > len(shown)
        if capped:
            text = say("peers/chart_capped.txt", count=len(reported_by), shown=len(shown))
            out.append(Paragraph(text))
        out.append(
            locality_charts.peers_bars(
                chart.assign(display=[fact_display(facts[f]) for f in chart["fact_id"]]),
                indicator_names=names,
                locality_names=loc_names,
                highlight=highlight,
                caption=caption + (f"（{len(shown)}/{len(reported_by)}项）" if capped else ""),
            )
        )
        rows, notes = _peer_rows(
            ds, tables.records(comparable), facts, indicators=names, localities=loc_names
        )
        frame, notes = drop_empty_columns(pd.DataFrame(rows), notes)
        out.append(Table(frame, "可比的同类指标", notes=notes, id="tbl-peers"))
    apart = tables.records(table[~table["comparable"]])
    if apart:
        rows, notes = _peer_rows(ds, apart, facts, indicators=names, localities=loc_names)
        by_indicator: dict[Any, list[dict[str, Any]]] = {}
        for r in apart:
            by_indicator.setdefault(r["indicator_id"], []).append(r)
        for row, r in zip(rows, apart, strict=True):
            row["不可比的原因"] = _differs_text(by_indicator[r["indicator_id"]], r["differs"])
        frame, notes = drop_empty_columns(pd.DataFrame(rows), notes)
        out.append(Table(frame, "同名但不可直接比较的数字", notes=notes, id="tbl-peers-apart"))
    return out
