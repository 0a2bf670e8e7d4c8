"""9 承诺事项: what a reply promised, by when, and its status on the report date."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from reportlib import analysis as an
from reportlib.data import tables
from reportlib.data.dataset import Dataset
from reportlib.document import display
from reportlib.document.blocks import BlockList, Paragraph
from reportlib.document.citations import cite, sourced_table
from reportlib.document.sections.common import as_of_date, heading, task_names
from reportlib.document.sections.labels import STATUS_ZH
from reportlib.document.wording import say


@tables.shared_lookups()
def commitments(ds: Dataset, locality_id: str, as_of: date | str | None = None) -> BlockList:
    """9 承诺事项: what was promised, when it is due, and its status as of the report date."""
    day = as_of_date(as_of, ds, locality_id)
    status = an.commitment_status(ds, locality_id, day)
    tasks = task_names(ds)
    blocks: list[Any] = [heading("commitments")]
    if status.empty:
        blocks.append(Paragraph(say("commitments/none.txt")))
        return BlockList(blocks)
    as_of_zh = display.display_date(day.isoformat())
    blocks.append(Paragraph(say("commitments/intro.txt", count=len(status), as_of=as_of_zh)))
    rows, notes = [], {}
    for i, c in enumerate(tables.records(status)):
        national = an.national_tasks_of(ds, c["task_id"])
        rows.append(
            {
                "承诺": tables.text(c["description_zh"]),
                "对应任务": "、".join(tasks.get(t, t) for t in national) or "—",
                "作出日期": display.display_date(c["made_on"]),
                "期限": display.display_date(c["due"]) or "未给期限",
                "状态": STATUS_ZH[c["status"]],
            }
        )
        notes[(i, "承诺")] = cite(ds, c)
    blocks.append(
        sourced_table(
            ds, pd.DataFrame(rows), "承诺事项", notes, tables.records(status), id="tbl-commitments"
        )
    )
    return BlockList(blocks)
