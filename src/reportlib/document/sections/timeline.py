"""6 时间线: policy events, deadlines and the locality's milestones, as a chart and a table."""

from __future__ import annotations

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
from reportlib.document.sections.common import heading, province_zh
from reportlib.document.wording import say


@tables.shared_lookups()
def timeline(ds: Dataset, locality_id: str, as_of: date | str | None = None) -> BlockList:
    """6 时间线: policy events, deadlines and the locality's milestones on one axis."""
    loc = tables.locality_row(ds, locality_id)
    events = an.timeline_events(ds, locality_id)
    blocks: list[Any] = [heading("timeline")]
    if events.empty:
        blocks.append(Paragraph(say("timeline/no_events.txt")))
        return BlockList(blocks)
    first, last = events["start"].min().year, events["start"].max().year
    text = say("timeline/intro.txt", first=first, last=last, locality=tables.text(loc["name_zh"]))
    blocks.append(Paragraph(text))
    blocks.append(
        locality_charts.timeline_chart(events, caption=f"{tables.text(loc['name_zh'])}时间线")
    )
    scope_names = {
        s: province_zh(ds, s) if s != locality_id else tables.text(loc["name_zh"])
        for s in dict.fromkeys(events["scope"])
    }
    rows, notes = [], {}
    for i, e in enumerate(tables.records(events)):
        rows.append(
            {
                "日期": e["date_text"] or display.display_date(e["date"]),
                "范围": scope_names[e["scope"]],
                "事件": e["description_zh"],
            }
        )
        notes[(i, "事件")] = cite(ds, e)
    blocks.append(Table(pd.DataFrame(rows), "时间线事件", notes=notes, id="tbl-timeline"))
    return BlockList(blocks)
