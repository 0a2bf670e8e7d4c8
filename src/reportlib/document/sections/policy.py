"""2 政策要求: what the national notice asks (tasks, safeguards, goal) and what the
provincial notices that apply to the locality set as targets."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from reportlib import analysis as an
from reportlib.data import tables
from reportlib.data.dataset import Dataset
from reportlib.document import display
from reportlib.document.blocks import BlockList, Paragraph, Table, note
from reportlib.document.citations import cite, source_label, sourced_table
from reportlib.document.sections.common import heading, province_zh
from reportlib.document.sections.figure_text import deadline_text
from reportlib.document.sections.labels import ITEM_KIND_ZH
from reportlib.document.wording import say


@tables.shared_lookups()
def policy(ds: Dataset, locality_id: str, as_of: date | str | None = None) -> BlockList:
    """2 政策要求: national tasks, safeguards and goal; provincial targets or a plain 'none'."""
    loc = tables.locality_row(ds, locality_id)
    blocks: list[Any] = [heading("policy"), *_national_blocks(ds)]
    province = province_zh(ds, tables.text(loc["province"]))
    provincial = an.provincial_sources(ds, locality_id)
    if provincial.empty:
        blocks.append(Paragraph(say("policy/no_provincial.txt", province=province)))
        return BlockList(blocks)
    for src in tables.records(provincial):
        text = say(
            "policy/provincial_notice.txt",
            issuer=tables.text(src["issuer"]),
            date=display.display_date(src["written_date"]),
            title=tables.text(src["title"]),
            doc=tables.text(src["doc_number"]),
            label=source_label(ds, str(src["source_id"])),
            locality=tables.text(loc["name_zh"]),
        )
        blocks.append(Paragraph(text))
        blocks.append(_provincial_targets(ds, src, province))
    return BlockList(blocks)


def _national_blocks(ds: Dataset) -> list[Any]:
    """The national notices, their tasks and safeguards as a table, and the national goals."""
    blocks: list[Any] = []
    national = tables.records(
        ds.sources, tables.positions_of(ds.sources, "kind", "national_notice")
    )
    items = an.national_items(ds)
    for src in national:
        text = say(
            "policy/national_notice.txt",
            issuer=tables.text(src["issuer"]),
            date=display.display_date(src["written_date"]),
            title=tables.text(src["title"]),
            label=source_label(ds, str(src["source_id"])),
        )
        blocks.append(Paragraph(text))
    table = pd.DataFrame(
        {
            "类别": [ITEM_KIND_ZH.get(k, k) for k in items["kind"].tolist()],
            "序号": [int(n) for n in items["number"].tolist()],
            "内容": list(items["name_zh"]),
        }
    )
    item_rows = tables.records(items)
    notes = {(i, "内容"): cite(ds, r) for i, r in enumerate(item_rows)}
    blocks.append(
        sourced_table(
            ds, table, "国家通知的主要任务与保障措施", notes, item_rows, id="tbl-national"
        )
    )
    for goal in tables.records(ds.targets, tables.positions_of(ds.targets, "scope", "national")):
        text = say(
            "policy/national_goal.txt",
            goal=tables.text(goal["description_zh"]),
            deadline=deadline_text(goal),
        )
        blocks.append(Paragraph(["国家目标：", note(text, cite(ds, goal))]))
    return blocks


def _provincial_targets(ds: Dataset, src: dict[str, Any], province: str) -> Table:
    """A provincial notice's targets: what, how many, per year or in all, by when."""
    targets = tables.records(
        ds.targets, tables.positions_of(ds.targets, "source_id", src["source_id"])
    )
    rows, notes = [], {}
    for i, t in enumerate(targets):
        value = "" if tables.blank(t["value"]) else display.format_number(float(t["value"]))
        rows.append(
            {
                "目标": tables.text(t["description_zh"]),
                "数量": f"{value}{tables.text(t['unit'])}" if value else "—",
                "周期": "每年" if t["period"] == "per_year" else "累计",
                "期限": deadline_text(t) or "—",
            }
        )
        notes[(i, "目标")] = cite(ds, t)
    return sourced_table(ds, pd.DataFrame(rows), f"{province}的目标", notes, targets)
