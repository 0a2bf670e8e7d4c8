"""4 关键数据: every figure of a locality with qualifier, unit, date and normalised rate."""

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
from reportlib.document.sections.common import drop_empty_columns, heading, indicator_names
from reportlib.document.sections.figure_text import fact_display, fact_when, normalised_text
from reportlib.document.sections.labels import DENOMINATOR_UNIT, DENOMINATOR_ZH, KIND_ZH
from reportlib.document.wording import say


@tables.shared_lookups()
def key_figures(ds: Dataset, locality_id: str, as_of: date | str | None = None) -> BlockList:
    """4 关键数据: every figure of the locality with qualifier, unit, date and normalised value."""
    tables.locality_row(ds, locality_id)
    facts = tables.records(ds.facts, tables.positions_of(ds.facts, "locality_id", locality_id))
    names = indicator_names(ds)
    norm: dict[str, dict[str, Any]] = {}
    for r in tables.records(an.normalise(ds, locality_id)):
        norm.setdefault(r["fact_id"], r)
    rows, notes = [], {}
    for i, f in enumerate(facts):
        fid = str(f["fact_id"])
        kind = "" if f["kind"] == "achievement" else f"（{KIND_ZH.get(f['kind'], f['kind'])}）"
        rows.append(
            {
                "指标": names.get(f["indicator_id"], f["indicator_id"]),
                "数值": fact_display(f) + kind,
                "范围": tables.text(f["scope"]),
                "时间": fact_when(f),
                "标准化": normalised_text(norm[fid]) if fid in norm else "—",
            }
        )
        notes[(i, "数值")] = cite(ds, f)
    blocks: list[Any] = [
        heading("key_figures"),
        Paragraph(
            say(
                "key_figures/intro.txt",
                relative=any(tables.text(f.get("period_text")) for f in facts),
                basis=_normalise_basis(ds, locality_id, {r["denominator"] for r in norm.values()}),
            )
        ),
    ]
    if rows:
        table, notes = drop_empty_columns(pd.DataFrame(rows), notes)
        blocks.append(sourced_table(ds, table, "关键数据", notes, facts, id="tbl-key-figures"))
    else:
        blocks.append(Paragraph(say("key_figures/no_figures.txt")))
    return BlockList(blocks)


def _normalise_basis(ds: Dataset, locality_id: str, used: set[str]) -> str:
    """How the 标准化 column was computed: the wholes it ``used``, or why there is none."""
    known = an.known_denominators(ds, locality_id)
    if known and not used:
        return say("key_figures/normalise_none_useful.txt")
    estimates = an.denominator_estimates(ds, locality_id)
    wholes = []
    for d, (value, basis, _) in known.items():
        if d not in DENOMINATOR_ZH or d not in used:
            continue
        _, low, high = estimates.get(d, (value, value, value))
        whole = an.whole_count(value, low, high) if basis == "implied" else round(value)
        if whole is not None:
            wholes.append(
                say(
                    "key_figures/whole.txt",
                    implied=basis == "implied",
                    what=DENOMINATOR_ZH[d],
                    count=display.format_number(whole),
                    unit=DENOMINATOR_UNIT[d],
                )
            )
    if not wholes:
        return say("key_figures/normalise_no_whole.txt")
    return say("key_figures/normalise.txt", wholes="、".join(wholes))
