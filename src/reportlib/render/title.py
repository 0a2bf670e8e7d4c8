"""The title block of a report: title, kicker, subtitle and the facts under them.

``title_info(ds, locality, as_of)`` gives a locality's, a roll-up's (province or city) or
the overview's :class:`TitleInfo`; every value comes from the Dataset. The HTML template and
the Typst template both print it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reportlib.analysis.report_date import OVERVIEW, data_as_of
from reportlib.data.dataset import Dataset
from reportlib.data.regions import applicable_notices, region, region_ids, subset
from reportlib.data.tables import text
from reportlib.document.display import display_date

__all__ = ["KICKER", "TitleInfo", "title_info"]

#: The line above every report's title.
KICKER = "依据政协提案答复与教育政策文件整理 · 每个数字可溯源至原文"


@dataclass(frozen=True)
class TitleInfo:
    """What the title block shows; every value comes from the Dataset."""

    title: str
    short_title: str
    kicker: str
    subtitle: str
    locality_name: str
    facts: list[tuple[str, str]] = field(default_factory=list)


def _text(value: Any) -> str:
    return text(value).strip()


def _zh_date(partial: Any) -> str:
    return display_date(_text(partial))


def title_info(ds: Dataset, locality: str, as_of: str) -> TitleInfo:
    """Title block contents for ``locality`` (or :data:`OVERVIEW`)."""
    as_of_zh = _zh_date(as_of)
    if locality == OVERVIEW:
        return _overview_title(ds, as_of_zh)
    if locality in region_ids(ds):
        return _rollup_title(ds, locality, as_of_zh, KICKER)
    loc = ds.locality(locality)
    name = _text(loc["name_zh"])
    facts = []
    reply = _reply(ds, locality)
    if reply is not None:
        facts.append(("依据文件", _reply_label(reply)))
    until = data_as_of(ds, locality)
    if until:
        facts.append(("数据截至", _zh_date(until)))
    facts.append(("报告日期", as_of_zh))
    return TitleInfo(
        title=f"{name}中小学人工智能教育进展报告",
        short_title="中小学人工智能教育进展报告",
        kicker=KICKER,
        subtitle=_text(loc.get("name_en", "")),
        locality_name=name,
        facts=facts,
    )


def _overview_title(ds: Dataset, as_of_zh: str) -> TitleInfo:
    """Title block of the overview of every locality."""
    from reportlib.analysis.overview import SMALL

    locs = ds.localities
    names = "、".join(_text(v) for v in locs["name_zh"])
    if len(locs) > SMALL:  # 2,800 names filled four pages
        names = f"{len(locs)}个地区，分属{locs['province_zh'].nunique()}个省份"
    facts = [("覆盖地区", names)]
    until = data_as_of(ds, None)
    if until:
        facts.append(("数据截至", _zh_date(until)))
    facts.append(("报告日期", as_of_zh))
    n_replies = int((ds.sources["kind"] == "proposal_reply").sum())
    n_notices = len(ds.sources) - n_replies
    # the full titles are listed once, in the appendix's source list
    facts.append(("依据文件", f"{n_replies}份提案答复、{n_notices}份政策通知（全称见附录）"))
    return TitleInfo(
        title="中小学人工智能教育进展概览",
        short_title="中小学人工智能教育进展概览",
        kicker=KICKER,
        subtitle="各地区提案答复对照",
        locality_name="全部地区",
        facts=facts,
    )


def _rollup_title(ds: Dataset, region_id: str, as_of_zh: str, kicker: str) -> TitleInfo:
    """Title block of a province's or city's roll-up: its name, how many localities."""
    reg = region(ds, region_id)
    name = _text(reg["name_zh"])
    sub = subset(ds, region_id)
    names = [_text(v) for v in sub.localities["name_zh"]]
    # a long list of names belongs in the report's body, not its title block
    shown = "、".join(names) if len(names) <= 8 else f"{len(names)}个地区"
    notices = applicable_notices(ds, region_id)
    facts = [("覆盖地区", shown), ("报告日期", as_of_zh)]
    for _, notice in notices.iterrows():
        facts.append(("适用政策", f"{_text(notice['issuer'])}《{_text(notice['title'])}》"))
    return TitleInfo(
        title=f"{name}中小学人工智能教育进展概览",
        short_title="中小学人工智能教育进展概览",
        kicker=kicker,
        subtitle=f"{name}各地区提案答复对照",
        locality_name=name,
        facts=facts,
    )


def _reply(ds: Dataset, locality: str) -> Any | None:
    src = ds.sources
    rows = src[(src["kind"] == "proposal_reply") & (src["locality_id"] == locality)]
    return None if rows.empty else rows.iloc[0]


def _reply_label(reply: Any) -> str:
    parts = [f"{_text(reply['issuer'])}《{_text(reply['title'])}》"]
    if _text(reply.get("doc_number")):
        parts.append(_text(reply["doc_number"]))
    if _text(reply.get("written_date")):
        parts.append(_zh_date(reply["written_date"]))
    return "，".join(parts)
