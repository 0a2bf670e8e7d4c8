"""What every section shares: its heading, the report date, and lookups in the Dataset.

The lookups (names by id, a locality's reply, facts by id) are small and read the tables
as they are at the call: a notebook may edit a table between two sections.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from reportlib.analysis.report_date import report_sources, resolve_as_of
from reportlib.data import dates, tables
from reportlib.data.dataset import Dataset
from reportlib.document.blocks import Heading

#: Section headings, in report order (the templates add the numbers).
SECTION_TITLES = {
    "summary": "要点",
    "policy": "政策要求",
    "scorecard": "国家通知任务覆盖情况",
    "key_figures": "关键数据",
    "targets": "目标进展",
    "timeline": "时间线",
    "peers": "同类比较",
    "data_quality": "数据质量",
    "commitments": "承诺事项",
    "method": "方法说明与局限",
    "appendix": "附录",
    "annex": "技术附注",
}


def as_of_date(
    as_of: date | str | None, ds: Dataset | None = None, locality_id: str | None = None
) -> date:
    """The report date: a ``date``, an ISO string, or None for the newest document date.

    None follows ``analysis.report_date.resolve_as_of``: the newest date of the locality's
    own sources and the notices that apply to it (every source for the overview), never
    today's date.
    """
    if isinstance(as_of, date):
        return as_of
    if as_of is None or not str(as_of).strip():
        if ds is None:
            raise ValueError("as_of is required when no Dataset is given")
        as_of = resolve_as_of(ds, None, locality_id)
    return dates.period_bounds(str(as_of).strip())[0]


def heading(key: str) -> Heading:
    """A section's level-2 heading, unnumbered (the templates number them), ``id`` sec-<key>."""
    return Heading(SECTION_TITLES[key], level=2, id=f"sec-{key.replace('_', '-')}")


def province_zh(ds: Dataset, scope: str) -> str:
    """Chinese name of a scope: 全国 for ``national``, else the province's name from the data."""
    if scope == "national":
        return "全国"
    rows = tables.positions_of(ds.localities, "province", scope)
    return tables.text(ds.localities["province_zh"].iloc[rows[0]]) if len(rows) else scope


def indicator_names(ds: Dataset) -> dict[str, str]:
    """indicator_id → its Chinese name."""
    return dict(
        zip(ds.indicators["indicator_id"].tolist(), ds.indicators["name_zh"].tolist(), strict=True)
    )


def task_names(ds: Dataset) -> dict[str, str]:
    """task_id → its Chinese name (framework.csv)."""
    return dict(
        zip(ds.framework["task_id"].tolist(), ds.framework["name_zh"].tolist(), strict=True)
    )


def locality_reply(ds: Dataset, locality_id: str) -> pd.Series | None:
    """The locality's own reply (its ``proposal_reply`` source row), or None."""
    src = ds.sources
    rows = src[(src["kind"] == "proposal_reply") & (src["locality_id"] == locality_id)]
    return None if rows.empty else rows.iloc[0]


def scope_names(ds: Dataset, loc: pd.Series) -> str:
    """The policy scopes that apply to a locality, in words: ``全国、安徽省``."""
    return "、".join(province_zh(ds, s) for s in tables.as_list(loc["policy_scopes"]))


def facts_by_id(
    ds: Dataset, fact_ids: list[str], localities: Iterable[str] = ()
) -> dict[str, dict[str, Any]]:
    """Fact records by id: those of ``fact_ids``, and every fact of ``localities``.

    Figures (and the counts their percentages point at) are among their locality's facts
    in a valid data set, which the section has looked up already; other ids cost one pass
    over every fact id. (``ds.facts.set_index("fact_id")`` copied the whole table.)
    """
    found: dict[str, dict[str, Any]] = {}
    for lid in localities:
        for f in tables.records(ds.facts, tables.positions_of(ds.facts, "locality_id", lid)):
            found.setdefault(f["fact_id"], f)
    rest = [f for f in dict.fromkeys(fact_ids) if f not in found]
    if rest:
        hits = np.flatnonzero(ds.facts["fact_id"].isin(rest).to_numpy())
        for f in tables.records(ds.facts, hits):
            found.setdefault(f["fact_id"], f)
    return found


def drop_empty_columns(table: pd.DataFrame, notes: dict) -> tuple[pd.DataFrame, dict]:
    """Drop columns with nothing to say (every cell "—" or empty), and their notes."""
    empty = [c for c in table.columns if table[c].astype(str).isin(["—", ""]).all()]
    kept = {k: v for k, v in notes.items() if not (isinstance(k, tuple) and k[1] in empty)}
    return table.drop(columns=empty), kept


def sources_in_report(ds: Dataset, locality_id: str | None) -> pd.DataFrame:
    """The report's sources: the locality's reply and the notices that apply (all: every one)."""
    return report_sources(ds, locality_id)
