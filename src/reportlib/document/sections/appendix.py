"""附录: the report's sources (short label → full reference) and every quote its notes cite,
grouped by source and locator, each with the HTML id its notes link to."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from reportlib import analysis as an
from reportlib.data import tables
from reportlib.data.dataset import Dataset
from reportlib.document import display
from reportlib.document.blocks import BlockList, Heading, Paragraph, QuoteList, Table, strong
from reportlib.document.citations import quote_anchor, source_label, source_reference
from reportlib.document.sections.common import facts_by_id, heading, sources_in_report
from reportlib.document.wording import say


@tables.shared_lookups()
def appendix(ds: Dataset, locality_id: str, as_of: date | str | None = None) -> BlockList:
    """附录: the sources (short label → full reference) and every quote the notes cite."""
    tables.locality_row(ds, locality_id)
    cited = _cited_records(ds, locality_id)
    # the report's own sources, and any other a note cites (a peer's reply, a policy event's)
    used = set(sources_in_report(ds, locality_id)["source_id"]) | {r["source_id"] for r in cited}
    sources = ds.sources[ds.sources["source_id"].isin(used)]
    blocks: list[Any] = [heading("appendix"), Heading("来源文件", level=3, id="sec-sources")]
    blocks.append(sources_table(ds, sources))
    blocks += _reader_notes(ds, sources)
    blocks.append(Heading("引文", level=3, id="sec-quotes"))
    blocks.append(Paragraph(say("appendix/quotes_intro.txt")))
    blocks += _quote_blocks(ds, cited, sources)
    return BlockList(blocks)


def _reader_notes(ds: Dataset, src: pd.DataFrame) -> list[Any]:
    lines = [
        f"{source_label(ds, str(r['source_id']))}{tables.text(r['reader_note'])}"
        for r in tables.records(src)
        if "reader_note" in r and tables.text(r["reader_note"])
    ]
    return [Paragraph(say("appendix/reader_notes.txt", notes="".join(lines)))] if lines else []


def _cited_records(ds: Dataset, locality_id: str | None) -> list[dict[str, Any]]:
    """Every record a report may cite: its localities' records, its notices' items and targets,
    and the peers' figures on indicators it shares (the peers section cites those)."""
    ids = [locality_id] if locality_id else tables.locality_ids(ds)
    notices = set(sources_in_report(ds, locality_id)["source_id"])
    scopes = (
        set(tables.as_list(tables.locality_row(ds, locality_id)["policy_scopes"]))
        if locality_id
        else set(ds.sources["scope"])
    )
    out: list[dict[str, Any]] = []
    for name in ("framework", "targets", "milestones"):
        table = getattr(ds, name)
        # a notice's items, and policy events of the report's scopes (whatever their source)
        out += [
            r
            for r in tables.records(table)
            if r["source_id"] in notices or (name != "framework" and r.get("scope") in scopes)
        ]
    for name in ("facts", "measures", "commitments", "challenges"):
        table = getattr(ds, name)
        for lid in ids:
            out += tables.records(table, tables.positions_of(table, "locality_id", lid))
    if locality_id is not None:
        chosen = [locality_id, *an.peer_localities(ds, locality_id, 5)]
        shared = an.peers_table(ds, chosen)
        out += list(facts_by_id(ds, list(shared["fact_id"])).values())
    return out


def _quote_blocks(ds: Dataset, rows: list[dict[str, Any]], sources: pd.DataFrame) -> list[Any]:
    """Per source: a small heading with its label, then its locators and quotes."""
    by_source: dict[str, dict[str, list[str]]] = {}
    for r in rows:
        locs = by_source.setdefault(str(r["source_id"]), {})
        quotes = locs.setdefault(tables.text(r["locator"]), [])
        if tables.text(r["quote"]) not in quotes:
            quotes.append(tables.text(r["quote"]))
    out: list[Any] = []
    for sid in [str(x) for x in sources["source_id"]] + sorted(by_source):
        if sid not in by_source:
            continue
        locs = by_source.pop(sid)
        out.append(Paragraph(strong(source_label(ds, sid))))
        entries = [(quote_anchor(sid, loc), loc, tuple(q)) for loc, q in locs.items()]
        out.append(QuoteList(tuple(entries), anchor=quote_anchor(sid)))
    return out


def sources_table(ds: Dataset, src: pd.DataFrame) -> Table:
    rows = [
        {
            "简称": source_label(ds, str(s["source_id"])),
            "文件": source_reference(s),
            "发文单位": tables.text(s["issuer"]),
            "成文日期": display.display_date(s["written_date"]),
        }
        for s in tables.records(src)
    ]
    return Table(pd.DataFrame(rows), "来源文件", id="tbl-sources")


@tables.shared_lookups()
def all_sources_appendix(ds: Dataset) -> BlockList:
    """附录 of a small overview: every source and every quote of every locality."""
    blocks: list[Any] = [
        Heading("附录", level=2, id="sec-appendix"),
        Heading("来源文件", level=3, id="sec-sources"),
        sources_table(ds, ds.sources),
        *_reader_notes(ds, ds.sources),
        Heading("引文", level=3, id="sec-quotes"),
        Paragraph(say("appendix/quotes_intro.txt")),
    ]
    blocks += _quote_blocks(ds, _cited_records(ds, None), ds.sources)
    return BlockList(blocks)
