"""3 国家通知任务覆盖情况: what a locality's reply says on each national task and
safeguard, in words, with its evidence; general school-IT evidence listed apart."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from reportlib import analysis as an
from reportlib.data import tables
from reportlib.data.dataset import Dataset
from reportlib.document.blocks import BlockList, Citation, Paragraph, Table
from reportlib.document.charts import locality as locality_charts
from reportlib.document.citations import cite
from reportlib.document.sections.common import drop_empty_columns, heading, indicator_names
from reportlib.document.sections.figure_text import fact_display
from reportlib.document.sections.labels import GENERAL_ZH, ITEM_KIND_ZH, LEVEL_ZH
from reportlib.document.wording import say


@tables.shared_lookups()
def scorecard(ds: Dataset, locality_id: str, as_of: date | str | None = None) -> BlockList:
    """3 国家通知任务覆盖情况: what the reply says on each national item, in words.

    Only AI-specific records set the status; general school-IT figures and measures
    (terminals, platform registration, ICT training) are listed apart, never as AI evidence.
    """
    cov = an.coverage(ds, locality_id)
    loc = tables.locality_row(ds, locality_id)
    name = tables.text(loc["name_zh"])
    blocks: list[Any] = [
        heading("scorecard"),
        Paragraph(say("scorecard/intro.txt")),
        locality_charts.scorecard_strip(cov, [name], caption=f"{name}国家通知任务覆盖情况"),
    ]
    evidence = _evidence_lookup(ds, locality_id)
    numbers = _task_numbers(ds)
    rows, notes = [], {}
    for i, r in enumerate(tables.records(cov)):
        first = r["evidence_ids"][:2]
        general = r["general_ids"][:2]
        rows.append(
            {
                "任务/保障": f"{ITEM_KIND_ZH.get(r['kind'], r['kind'])}"
                f"{int(numbers[r['task_id']])}：{r['name_zh']}",
                "覆盖情况": LEVEL_ZH[r["level"]],
                "人工智能教育方面的依据": "；".join(evidence[e][0] for e in first)
                if first
                else "—",
                "一般教育信息化": GENERAL_ZH[r["general_level"]]
                + ("：" + "；".join(evidence[e][0] for e in general) if general else ""),
            }
        )
        if first:
            # one note per cell: two adjacent superscripts read as one number ("1617")
            notes[(i, "人工智能教育方面的依据")] = Citation.joined(evidence[e][1] for e in first)
        if general:
            notes[(i, "一般教育信息化")] = Citation.joined(evidence[e][1] for e in general)
    table, notes = drop_empty_columns(pd.DataFrame(rows), notes)  # no general IT evidence at all
    blocks.append(Table(table, "国家通知任务覆盖情况与依据", notes=notes, id="tbl-scorecard"))
    return BlockList(blocks)


def _task_numbers(ds: Dataset) -> dict[str, Any]:
    """task_id → its ``number`` cell (the first row of an id, as a filter's ``iloc[0]``)."""
    numbers: dict[str, Any] = {}
    for tid, number in zip(
        ds.framework["task_id"].tolist(), ds.framework["number"].tolist(), strict=True
    ):
        numbers.setdefault(tid, number)
    return numbers


def _evidence_lookup(ds: Dataset, locality_id: str | None = None) -> dict[str, tuple[str, str]]:
    """id → (short description, footnote) for facts, measures and commitments.

    With ``locality_id``, only that locality's records: the whole data set costs ~1 ms per
    row, i.e. minutes per report with thousands of localities.
    """
    names = indicator_names(ds)
    out: dict[str, tuple[str, str]] = {}

    def rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
        if locality_id is None:
            return tables.records(frame)
        return tables.records(frame, tables.positions_of(frame, "locality_id", locality_id))

    for f in rows(ds.facts):
        out[str(f["fact_id"])] = (
            f"{names.get(f['indicator_id'], f['indicator_id'])}：{fact_display(f)}",
            cite(ds, f),
        )
    for m in rows(ds.measures):
        out[str(m["measure_id"])] = (tables.text(m["description_zh"]), cite(ds, m))
    for c in rows(ds.commitments):
        out[str(c["commitment_id"])] = (f"承诺：{tables.text(c['description_zh'])}", cite(ds, c))
    return out
