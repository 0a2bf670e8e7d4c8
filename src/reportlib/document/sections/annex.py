"""技术附注: the provenance fields (hashes, versions, commit, quote checks) and record ids."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd

from reportlib import paths
from reportlib.data import tables
from reportlib.data.dataset import Dataset
from reportlib.document.blocks import BlockList, Table
from reportlib.document.sections.common import heading, indicator_names
from reportlib.document.sections.figure_text import fact_display
from reportlib.document.wording import say


def provenance(ds: Dataset, locality_id: str | None = None, **extra: str) -> dict[str, str]:
    """The technical annex's fields: data hash, package version, git commit, quote checks.

    ``extra`` adds (or replaces) fields; the render route is printed by the templates
    at the very end, after the annex.
    """
    from reportlib import __version__
    from reportlib.render import provenance as prov
    from reportlib.render.fonts import find_cjk_font

    font = find_cjk_font()
    faces = [font.path] + ([font.bold_path] if font.bold_path else [])
    lock = paths.PROJECT_ROOT / prov.LOCK_FILE
    fields = {
        "数据哈希（sha256）": str(ds.data_hash),
        "原文哈希（sha256）": prov.sources_hash(ds.sources_dir),
        "依赖锁文件哈希（sha256）": prov.file_sha256(lock) if lock.exists() else "无",
        "字体": "；".join(f"{p.name} {prov.file_sha256(p)}" for p in faces) + f"（{font.source}）",
        "reportlib版本": str(__version__),
        "git提交": prov.git_commit(),
        "引文核对": _verification_text(ds, locality_id),
    }
    return {**fields, **extra}


def technical_annex(fields: Mapping[str, str], records: Table | None = None) -> BlockList:
    """技术附注: provenance fields (key → value), then optionally a table of record ids."""
    blocks: list[Any] = [heading("annex")]
    table = pd.DataFrame({"项目": list(fields), "内容": [str(v) for v in fields.values()]})
    blocks.append(Table(table, "版本与核对", id="tbl-provenance"))
    if records is not None:
        blocks.append(records)
    return BlockList(blocks)


@tables.shared_lookups()
def annex(ds: Dataset, locality_id: str, as_of: date | str | None = None) -> BlockList:
    """技术附注 of a locality report: provenance and the id of every figure."""
    tables.locality_row(ds, locality_id)
    names = indicator_names(ds)
    facts = tables.records(ds.facts, tables.positions_of(ds.facts, "locality_id", locality_id))
    rows = [
        {
            "编号": f["fact_id"],
            "指标": names.get(f["indicator_id"], f["indicator_id"]),
            "数值": fact_display(f),
            "核对": "已核对" if bool(f.get("quote_verified", False)) else "未核对",
        }
        for f in facts
    ]
    ids = Table(pd.DataFrame(rows), "数字的记录编号", id="tbl-record-ids") if rows else None
    return technical_annex(provenance(ds, locality_id), ids)


def verification_counts(ds: Dataset, locality_id: str) -> dict[str, tuple[int, int]]:
    """Per table: (quotes verified against the source text, records) for the locality."""
    out = {}
    for name in ("facts", "measures", "commitments", "milestones", "challenges"):
        table = getattr(ds, name)
        mine = tables.positions_of(table, "locality_id", locality_id)
        if "quote_verified" in table.columns:
            flags = table["quote_verified"].take(mine)
            verified = int(flags.fillna(False).astype(bool).sum())
        else:
            verified = 0
        out[name] = (verified, len(mine))
    return out


def _verification_text(ds: Dataset, locality_id: str | None) -> str:
    """引文核对: per table, quotes found verbatim in their source text / records."""
    ids = [locality_id] if locality_id else tables.locality_ids(ds)
    label = {
        "facts": "数字",
        "measures": "举措",
        "commitments": "承诺",
        "milestones": "事件",
        "challenges": "自述问题",
    }
    totals = {k: [0, 0] for k in label}
    for lid in ids:
        for k, (v, n) in verification_counts(ds, lid).items():
            totals[k][0] += v
            totals[k][1] += n
    parts = "，".join(f"{label[k]}{v}/{n}条" for k, (v, n) in totals.items() if n)
    total_v = sum(v for v, _ in totals.values())
    total_n = sum(n for _, n in totals.values())
    return say("annex/verification.txt", parts=parts, missing=total_n - total_v)
