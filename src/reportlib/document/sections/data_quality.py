"""8 数据质量: the wholes a locality's percentages imply, whether two percentages of one
whole agree, and the figures printed with a qualifier (多, 以上, 约 …)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from reportlib import analysis as an
from reportlib.data import tables
from reportlib.data.dataset import Dataset
from reportlib.document import display
from reportlib.document.blocks import BlockList, Callout, Paragraph, Table, note
from reportlib.document.citations import cite
from reportlib.document.sections.common import facts_by_id, heading, indicator_names
from reportlib.document.sections.figure_text import fact_display, interval_text, whole_text
from reportlib.document.sections.labels import DENOMINATOR_ZH, QUALIFIER_ZH
from reportlib.document.wording import say


@tables.shared_lookups()
def data_quality(ds: Dataset, locality_id: str, as_of: date | str | None = None) -> BlockList:
    """8 数据质量: implied wholes, inconsistencies and qualified figures."""
    tables.locality_row(ds, locality_id)
    blocks: list[Any] = [heading("data_quality")]
    implied = tables.records(an.implied_denominators(ds, locality_id))
    checks = tables.records(an.consistency_checks(ds, locality_id))
    facts = facts_by_id(ds, [r["fact_id"] for r in implied], [locality_id])
    # the counts the percentages are shares of: the locality's own, unless unchecked data
    counts = [facts[r["fact_id"]]["share_of"] for r in implied]
    facts |= facts_by_id(ds, [c for c in counts if c not in facts])
    names = indicator_names(ds)
    blocks += _implied_blocks(ds, implied, facts, names)
    blocks += [_check_block(ds, r, facts, names) for r in checks]
    blocks += _qualified_blocks(ds, locality_id, names)
    return BlockList(blocks)


def _implied_blocks(
    ds: Dataset,
    implied: list[dict[str, Any]],
    facts: dict[str, dict[str, Any]],
    names: dict[str, str],
) -> list[Any]:
    """由百分比推算的总数: each whole a percentage implies, from which count, in what interval."""
    if not implied:
        return [Paragraph(say("data_quality/no_implied.txt"))]
    rows, notes = [], {}
    for i, r in enumerate(implied):
        pct = facts[r["fact_id"]]
        count = facts[pct["share_of"]]
        rows.append(
            {
                "推算对象": DENOMINATOR_ZH.get(r["denominator"], r["denominator"])
                or "原文未说明的总数",
                "依据": f"{names.get(count['indicator_id'], '')}{fact_display(count)}"
                f" = {fact_display(pct)}",
                "推算值": whole_text(r["estimate"], r["low"], r["high"]),
                "区间": interval_text(r["low"], r["high"]),
            }
        )
        notes[(i, "依据")] = cite(ds, pct)
    return [
        Paragraph(say("data_quality/implied_intro.txt")),
        Table(pd.DataFrame(rows), "由百分比推算的总数", notes=notes, id="tbl-implied"),
    ]


def _check_block(
    ds: Dataset, r: dict[str, Any], facts: dict[str, dict[str, Any]], names: dict[str, str]
) -> Paragraph | Callout:
    """Two percentages of one whole: a paragraph when they agree, a warning when not."""
    whole = DENOMINATOR_ZH.get(r["denominator"], r["denominator"])
    a, b = facts[r["fact_a"]], facts[r["fact_b"]]
    desc_a, desc_b = (
        say(
            "data_quality/check_side.txt",
            indicator=names.get(f["indicator_id"], ""),
            figure=fact_display(f),
            whole=whole,
            estimate=whole_text(r[f"estimate_{k}"], r[f"low_{k}"], r[f"high_{k}"]),
            interval=interval_text(r[f"low_{k}"], r[f"high_{k}"]),
        )
        for f, k in ((a, "a"), (b, "b"))
    )
    if r["consistent"]:
        return Paragraph(
            [
                "一致：",
                note(desc_a, cite(ds, a)),
                "，",
                note(desc_b, cite(ds, b)),
                say("data_quality/consistent_end.txt"),
            ]
        )
    return Callout(
        "warning",
        [
            "不一致：",
            note(desc_a, cite(ds, a)),
            "，而",
            note(desc_b, cite(ds, b)),
            say("data_quality/inconsistent_end.txt", whole=whole),
        ],
        title=say("data_quality/inconsistent_title.txt", whole=whole),
    )


def _qualified_blocks(ds: Dataset, locality_id: str, names: dict[str, str]) -> list[Any]:
    """带限定词的数字: figures printed with 多, 以上, 约 …, and the value computations use."""
    qualified = [
        f
        for f in tables.records(ds.facts, tables.positions_of(ds.facts, "locality_id", locality_id))
        if f["qualifier"] != "exact"
    ]
    if not qualified:
        return []
    rows = [
        {
            "数字": fact_display(f),
            "指标": names.get(f["indicator_id"], f["indicator_id"]),
            "含义": QUALIFIER_ZH.get(f["qualifier"], f["qualifier"]),
            "计算时取值": display.format_number(float(f["value"])) + tables.text(f["unit"]),
        }
        for f in qualified
    ]
    return [
        Paragraph(say("data_quality/qualified_intro.txt")),
        Table(pd.DataFrame(rows), "带限定词的数字", id="tbl-qualifiers"),
    ]
