"""5 目标进展: the quantified targets that apply to a locality against what it reports."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd

from reportlib import analysis as an
from reportlib.data import tables
from reportlib.data.dataset import Dataset
from reportlib.document import display
from reportlib.document.blocks import BlockList, Paragraph, Table, note
from reportlib.document.charts import locality as locality_charts
from reportlib.document.citations import cite
from reportlib.document.sections.common import (
    drop_empty_columns,
    facts_by_id,
    heading,
    indicator_names,
    province_zh,
    scope_names,
)
from reportlib.document.sections.figure_text import deadline_text, fact_display, fact_when
from reportlib.document.wording import say


@tables.shared_lookups()
def targets(ds: Dataset, locality_id: str, as_of: date | str | None = None) -> BlockList:
    """5 目标进展: each applicable quantified target against what the locality reports."""
    loc = tables.locality_row(ds, locality_id)
    progress = an.target_progress(ds, locality_id)
    blocks: list[Any] = [heading("targets")]
    if progress.empty:
        text = say(
            "targets/no_targets.txt",
            locality=tables.text(loc["name_zh"]),
            scopes=scope_names(ds, loc),
        )
        blocks.append(Paragraph(text))
        return BlockList(blocks)
    name = tables.text(loc["name_zh"])
    quota = progress[progress["quota"]]
    drawn = progress[~progress["quota"]]
    wider = sorted({province_zh(ds, x) for x in quota["scope"]})
    share_column = "占目标比例" if quota.empty else f"占{'、'.join(wider)}目标的份额"
    if not quota.empty:
        # a share of a province-wide quota (1.4 %) on a 0–100 % axis reads as failure
        text = say("targets/quota.txt", provinces="、".join(wider), locality=name)
        blocks.append(Paragraph(text))
    names = indicator_names(ds)
    if not drawn.empty:
        blocks.append(Paragraph(say("targets/chart_intro.txt")))
        blocks.append(
            locality_charts.progress_bars(
                drawn.assign(label=[names.get(i, i) for i in drawn["indicator_id"]]),
                caption=f"{name}对照{scope_names(ds, loc)}目标的进展",
            )
        )
    blocks.append(_progress_table(ds, locality_id, progress, share_column))
    blocks += _related_figures(ds, locality_id, names)
    return BlockList(blocks)


def _progress_table(
    ds: Dataset, locality_id: str, progress: pd.DataFrame, share_column: str
) -> Table:
    """目标与进展: per target its number, deadline, what is reported and what is pending."""
    progress_rows = tables.records(progress)
    facts = facts_by_id(
        ds, [f for r in progress_rows for f in r["fact_ids"] + r["pending_ids"]], [locality_id]
    )
    target_rows: dict[str, dict[str, Any]] = {}
    for t in tables.records(ds.targets):
        target_rows.setdefault(t["target_id"], t)
    rows: list[dict[str, str]] = []
    notes: dict[Any, Any] = {}
    for i, r in enumerate(progress_rows):
        unit = r["unit"]
        reported = (
            "无数据"
            if math.isnan(r["reported"])
            else f"{display.format_number(r['reported'])}{unit}"
        )
        share = "—" if math.isnan(r["share"]) else f"{r['share'] * 100:.1f}%"
        pending = "" if math.isnan(r["pending"]) else f"{display.format_number(r['pending'])}{unit}"
        rows.append(
            {
                "目标": r["description_zh"],
                "目标数": f"{display.format_number(r['target'])}{unit}"
                + ("/年" if r["period"] == "per_year" else ""),
                "期限": deadline_text(target_rows[r["target_id"]]) or "—",
                "已报告": reported,
                share_column: share,
                "在申报/计划": pending or "—",
            }
        )
        notes[(i, "目标")] = cite(ds, target_rows[r["target_id"]])
        if r["fact_ids"]:
            notes[(i, "已报告")] = [cite(ds, facts[f]) for f in r["fact_ids"]]
        if r["pending_ids"]:
            notes[(i, "在申报/计划")] = [cite(ds, facts[f]) for f in r["pending_ids"]]
    table, notes = drop_empty_columns(pd.DataFrame(rows), notes)
    return Table(table, "目标与进展", notes=notes, id="tbl-targets")


def _related_figures(ds: Dataset, locality_id: str, names: dict[str, str]) -> list[Any]:
    """A sentence with the figures on provincial programmes that no target measures directly."""
    related = tables.records(an.programme_facts(ds, locality_id))
    if not related:
        return []
    spans: list[Any] = [say("targets/related_intro.txt")]
    for k, f in enumerate(related):
        when = fact_when(f) if tables.text(f["as_of"]) else ""
        spans.append(
            note(
                f"{'；' if k else ''}{names.get(f['indicator_id'], f['indicator_id'])}"
                f"{fact_display(f)}" + (f"（{when}）" if when else ""),
                cite(ds, f),
            )
        )
    spans.append("。")
    return [Paragraph(spans)]
