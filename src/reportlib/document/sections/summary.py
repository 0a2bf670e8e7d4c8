"""要点: a locality's findings with their figures, its status against the national notice,
its commitments and 存在问题; the same, one entry per locality, for a small overview."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from reportlib import analysis as an
from reportlib.data import tables
from reportlib.data.dataset import Dataset
from reportlib.document import display
from reportlib.document.blocks import (
    BlockList,
    Contents,
    Heading,
    KeyPoints,
    Paragraph,
    Table,
    note,
    strong,
)
from reportlib.document.citations import cite, source_label
from reportlib.document.sections.common import (
    as_of_date,
    heading,
    indicator_names,
    locality_reply,
    province_zh,
)
from reportlib.document.sections.figure_text import fact_display
from reportlib.document.sections.labels import LOCALITY_LEVEL_ZH
from reportlib.document.wording import say


@tables.shared_lookups()
def summary(ds: Dataset, locality_id: str, as_of: date | str | None = None) -> BlockList:
    """1 要点: findings with their figures, status against the national notice, 存在问题.

    Ends with the table of contents, so page 1 reads: title block, 要点, contents.
    """
    day = as_of_date(as_of, ds, locality_id)
    loc = tables.locality_row(ds, locality_id)
    name = tables.text(loc["name_zh"])
    items: list[Any] = [
        _finding(ds, f) for f in tables.records(an.headline_figures(ds, locality_id))
    ]
    items.append(_status_sentence(ds, locality_id))
    items.append(_commitments_sentence(ds, locality_id, day))
    items.append(_challenges_item(ds, locality_id))
    title = say("summary/title.txt", locality=name)
    blocks: list[Any] = [heading("summary"), KeyPoints(title, items)]
    blocks.append(Paragraph(_basis_spans(ds, locality_id, loc)))
    blocks.append(Contents())
    return BlockList(blocks)


def _basis_spans(ds: Dataset, locality_id: str, loc: Any) -> list[Any]:
    reply = locality_reply(ds, locality_id)
    province = province_zh(ds, tables.text(loc["province"]))
    level = LOCALITY_LEVEL_ZH.get(tables.text(loc["level"]), tables.text(loc["level"]))
    parent = tables.text(loc["parent"]) if tables.text(loc["parent"]) != province else ""
    place = say("summary/place.txt", level=level, province=province, parent=parent)
    parts: list[Any] = [strong(tables.text(loc["name_zh"])), place]
    if reply is None:
        parts.append(say("summary/no_reply.txt"))
        return parts
    basis = say(
        "summary/basis.txt",
        issuer=tables.text(reply["issuer"]),
        date=display.display_date(reply["written_date"]),
        doc=tables.text(reply.get("doc_number")),
        label=source_label(ds, str(reply["source_id"])),
    )
    parts.append(basis)
    return parts


def _finding(ds: Dataset, fact: Any) -> list[Any]:
    """One finding: the figure as printed, what it counts, where and when, with its note."""
    name = indicator_names(ds).get(fact["indicator_id"], fact["indicator_id"])
    text = say(
        "summary/finding.txt",
        indicator=name,
        figure=fact_display(fact),
        scope=tables.text(fact["scope"]),
        when=display.display_date(fact["as_of"]),
    )
    return [note(text, cite(ds, fact)), "。"]


def _status_sentence(ds: Dataset, locality_id: str) -> str:
    counts = an.coverage_counts(ds, locality_id)
    items = an.national_items(ds)
    cov = an.coverage(ds, locality_id)
    n_tasks = int((items["kind"] == "task").sum())
    n_safe = int((items["kind"] == "safeguard").sum())
    missing = [tables.text(r["name_zh"]) for r in tables.records(cov) if r["level"] == "none"]
    return say(
        "summary/status.txt",
        tasks=n_tasks,
        safeguards=n_safe,
        quantified=int(counts["quantified"]),
        described=int(counts["described"]),
        planned=int(counts["planned"]),
        absent=int(counts["none"]),
        missing="、".join(missing),
    )


def _commitments_sentence(ds: Dataset, locality_id: str, day: date) -> str:
    status = an.commitment_status(ds, locality_id, day)
    if status.empty:
        return say("summary/commitments.txt", count=0, undated=0, overdue=0)
    undated = int(status["due"].map(tables.blank).sum()) if "due" in status else 0
    over = int((status["status"] == "overdue").sum())
    return say("summary/commitments.txt", count=len(status), undated=undated, overdue=over)


def _challenges_item(ds: Dataset, locality_id: str) -> list[Any]:
    rows = tables.records(
        ds.challenges, tables.positions_of(ds.challenges, "locality_id", locality_id)
    )
    head = strong(say("summary/challenges_head.txt"))
    if not rows:
        return [head, say("summary/no_challenges.txt")]
    spans: list[Any] = [head]
    for i, c in enumerate(rows):
        spans.append(note(("；" if i else "") + tables.text(c["summary_zh"]), cite(ds, c)))
    spans.append("。")
    return spans


def localities_summary(ds: Dataset, day: date) -> BlockList:
    """The 要点 of a small overview: per locality its headline figures, status and 存在问题,
    a table of the localities, then the contents (``overview.overview_summary`` calls it)."""
    rows, items = [], []
    for lid in tables.locality_ids(ds):
        loc = tables.locality_row(ds, lid)
        reply = locality_reply(ds, lid)
        counts = an.coverage_counts(ds, lid)
        status = an.commitment_status(ds, lid, day)
        rows.append(
            {
                "地区": tables.text(loc["name_zh"]),
                "省份": province_zh(ds, tables.text(loc["province"])),
                "答复": "—" if reply is None else tables.text(reply["doc_number"]) or "未标注文号",
                "答复日期": "—" if reply is None else display.display_date(reply["written_date"]),
                "有数字的国家任务": f"{counts['quantified']}项",
                "承诺": f"{len(status)}项",
            }
        )
        items.append(_locality_item(ds, lid, tables.text(loc["name_zh"])))
    return BlockList(
        [
            Heading("要点", level=2, id="sec-summary"),
            KeyPoints(say("overview/summary_title.txt"), items),
            Paragraph(
                say(
                    "overview/summary_basis.txt",
                    count=len(rows),
                    as_of=display.display_date(day.isoformat()),
                )
            ),
            Table(pd.DataFrame(rows), "各地概况", id="tbl-overview"),
            Contents(),
        ]
    )


def _locality_item(ds: Dataset, locality_id: str, name: str) -> list[Any]:
    spans: list[Any] = [strong(f"{name}：")]
    heads = tables.records(an.headline_figures(ds, locality_id, n=2))
    for f in heads:
        spans += _finding(ds, f)
    spans.append(_status_sentence(ds, locality_id))
    spans += _challenges_item(ds, locality_id)
    return spans
