"""How a report cites: a note per record, 〔short label〕locator, linking to its quote.

Every figure carries a note with the source's short label and the locator
(〔X答复〕二、措施与成效（二）); the label's full reference is listed once in the appendix's
source list and the verbatim quote in the appendix's quotes, which the HTML note links to
(``quote_anchor``). A table whose rows all come from one source gets one 资料来源 line
instead of a note per row (``sourced_table``).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pandas as pd

from reportlib.data import tables
from reportlib.data.dataset import Dataset
from reportlib.document.blocks import Citation, Table


def _source_labels(sources: pd.DataFrame) -> dict[str, str]:
    labels = {}
    for src in tables.records(sources, columns=["source_id", "title", "short_label"]):
        short = tables.text(src.get("short_label"))
        labels[src["source_id"]] = f"〔{short}〕" if short else f"《{tables.text(src['title'])}》"
    return labels


def source_label(ds: Dataset, source_id: str) -> str:
    """The short label every note cites a source by, e.g. 〔X答复〕 (《title》 if it has none)."""
    # a report cites its few sources hundreds of times: build the labels once per section
    labels = tables.remembered(ds.sources, ("source_labels",), lambda: _source_labels(ds.sources))
    return labels[source_id]


def source_reference(src: Any) -> str:
    """The full reference a short label stands for: 《title》（doc number）."""
    doc = tables.text(src.get("doc_number"))
    return f"《{tables.text(src['title'])}》" + (f"（{doc}）" if doc else "")


def quote_anchor(source_id: str, locator: str = "") -> str:
    """The HTML id of a source's (or one of its locators') quotes in the appendix."""
    key = hashlib.sha256(f"{source_id}\0{locator}".encode()).hexdigest()[:12]
    return f"q-{key}"


def _get(row: Any) -> Any:
    return row.get if hasattr(row, "get") else lambda k, d=None: getattr(row, k, d)


def cite(ds: Dataset, row: Any) -> Citation:
    """A note for any record with source_id, locator and quote: 〔label〕locator.

    The quote itself is listed in the appendix; the HTML note links to it.
    """
    get = _get(row)
    sid = str(get("source_id"))
    locator = tables.text(get("locator"))
    return Citation(f"{source_label(ds, sid)}{locator}", quote_anchor(sid, locator))


_SUB_ITEM = re.compile(r"（[一二三四五六七八九十]+）$")


_SECTION_NO = re.compile(r"^([一二三四五六七八九十]+)、")


def sourced_table(
    ds: Dataset,
    df: pd.DataFrame,
    caption: str,
    notes: dict[Any, Any],
    records: list[Any],
    id: str | None = None,
) -> Table:
    """A table whose cells carry notes, or one 资料来源 line when every row has one source."""
    sources = list(dict.fromkeys(str(_get(r)("source_id")) for r in records))
    if len(sources) != 1:
        return Table(df, caption, notes=notes, id=id)
    sid = sources[0]
    # sub-items of one heading (二、主要任务及举措（一）…（六）) are cited as the heading
    locators = list(
        dict.fromkeys(_SUB_ITEM.sub("", tables.text(_get(r)("locator"))) for r in records)
    )
    where = "；".join(locators) if len(locators) <= 3 else "（各行位置见附录引文）"
    numbers = [m.group(1) for loc in locators if (m := _SECTION_NO.match(loc))]
    if len(where) > 40 and len(numbers) == len(locators):
        # long headings (三门峡's quote the proposal): cite the parts by number
        where = "第" + "、".join(dict.fromkeys(numbers)) + "部分"
    line = Citation(f"{source_label(ds, sid)}{where}", quote_anchor(sid))
    return Table(df, caption, id=id, source=line)
