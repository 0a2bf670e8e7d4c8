"""The report's sections: one function per section, ``Dataset`` + locality + options → blocks.

Every section starts with its own ``Heading`` (level 2, unnumbered: the templates number
them); every figure carries a short note, the source's short label and the locator
(〔X答复〕二、措施与成效（二）); the label's full reference is listed once in the
appendix's source list and the verbatim quote in the appendix's quotes, which the HTML
note links to. All numbers shown come from :mod:`reportlib.analysis`; nothing here knows a
figure.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from reportlib import analysis as an
from reportlib import paths
from reportlib.data import dates, tables
from reportlib.document import display
from reportlib.document.blocks import (
    BlockList,
    Callout,
    Citation,
    Contents,
    Heading,
    KeyPoints,
    Paragraph,
    QuoteList,
    Table,
    note,
    strong,
)
from reportlib.document.charts import locality as report_charts
from reportlib.document.wording import say

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
#: Coverage status of a national item, in words (AI-specific evidence).
LEVEL_ZH = {
    "quantified": "有量化证据",
    "described": "有文字描述",
    "planned": "仅有计划",
    "none": "未涉及",
}
#: General school-IT evidence on the same item (never counted as AI evidence).
GENERAL_ZH = {"quantified": "有量化数据", "described": "有文字描述", "planned": "—", "none": "—"}
#: How a figure counts (facts.csv ``basis``), for readers.
BASIS_ZH = {
    "stock": "时点数",
    "cumulative": "累计数",
    "per_year": "每年",
    "period": "期间合计",
    "event": "单次",
    "rate": "比率或平均数",
    "": "未说明",
}
LEVEL_LONG_ZH = {
    "quantified": "量化证据",
    "described": "文字描述",
    "planned": "仅有计划",
    "none": "未涉及",
}
STATUS_ZH = {"open": "未到期", "due": "期限内（本期到期）", "overdue": "已逾期"}
KIND_ZH = {"achievement": "已完成", "plan": "计划", "target": "自定目标"}
ITEM_KIND_ZH = {"task": "主要任务", "safeguard": "保障措施"}
LOCALITY_LEVEL_ZH = {"city": "地级市", "county": "县", "district": "市辖区"}
QUALIFIER_ZH = {
    "exact": "确数",
    "at_least": "下限（不少于/以上）",
    "more_than": "下限（多/余）",
    "about": "约数",
    "at_most": "上限（不超过）",
}
DENOMINATOR_ZH = {
    "schools-total": "学校数",
    "public-schools-total": "公办学校数",
    "students-total": "学生数",
    "teachers-total": "教师数",
}
DENOMINATOR_UNIT = {
    "schools-total": "所",
    "public-schools-total": "所",
    "students-total": "人",
    "teachers-total": "人",
}


# --------------------------------------------------------------------------- helpers


def as_of_date(as_of: date | str | None, ds: Any = None, locality_id: str | None = None) -> date:
    """The report date: a ``date``, an ISO string, or None for the newest document date.

    None follows ``render.resolve_as_of``: the newest date of the locality's own sources
    and the notices that apply to it (every source for the overview), never today's date.
    """
    if isinstance(as_of, date):
        return as_of
    if as_of is None or not str(as_of).strip():
        if ds is None:
            raise ValueError("as_of is required when no Dataset is given")
        from reportlib.render import resolve_as_of

        as_of = resolve_as_of(ds, None, locality_id)
    return dates.period_bounds(str(as_of).strip())[0]


def _heading(key: str) -> Heading:
    return Heading(SECTION_TITLES[key], level=2, id=f"sec-{key.replace('_', '-')}")


def _source_labels(sources: pd.DataFrame) -> dict[str, str]:
    labels = {}
    for src in tables.records(sources, columns=["source_id", "title", "short_label"]):
        short = tables.text(src.get("short_label"))
        labels[src["source_id"]] = f"〔{short}〕" if short else f"《{tables.text(src['title'])}》"
    return labels


def source_label(ds: Any, source_id: str) -> str:
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


def cite(ds: Any, row: Any) -> Citation:
    """A note for any record with source_id, locator and quote: 〔label〕locator.

    The quote itself is listed in the appendix; the HTML note links to it.
    """
    get = _get(row)
    sid = str(get("source_id"))
    locator = tables.text(get("locator"))
    return Citation(f"{source_label(ds, sid)}{locator}", quote_anchor(sid, locator))


_SUB_ITEM = re.compile(r"（[一二三四五六七八九十]+）$")
_SECTION_NO = re.compile(r"^([一二三四五六七八九十]+)、")


def _sourced_table(
    ds: Any,
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


def province_zh(ds: Any, scope: str) -> str:
    """Chinese name of a scope: 全国 for ``national``, else the province's name from the data."""
    if scope == "national":
        return "全国"
    rows = tables.positions_of(ds.localities, "province", scope)
    return tables.text(ds.localities["province_zh"].iloc[rows[0]]) if len(rows) else scope


def _indicator_names(ds: Any) -> dict[str, str]:
    return dict(
        zip(ds.indicators["indicator_id"].tolist(), ds.indicators["name_zh"].tolist(), strict=True)
    )


def _task_names(ds: Any) -> dict[str, str]:
    return dict(
        zip(ds.framework["task_id"].tolist(), ds.framework["name_zh"].tolist(), strict=True)
    )


def _reply(ds: Any, locality_id: str) -> pd.Series | None:
    src = ds.sources
    rows = src[(src["kind"] == "proposal_reply") & (src["locality_id"] == locality_id)]
    return None if rows.empty else rows.iloc[0]


def fact_display(fact: Any) -> str:
    """The fact's printed value with qualifier and unit, as a reader expects it."""
    get = fact.get if hasattr(fact, "get") else lambda k, d=None: getattr(fact, k, d)
    if tables.blank(get("value_text")):
        # nothing printed (a named county counted as one): show the count we hold
        return f"{display.format_number(float(get('value')))}{tables.text(get('unit'))}"
    return display.display_value(
        tables.text(get("value_text")),
        tables.text(get("qualifier")),
        tables.text(get("unit")),
        tables.text(get("quote")),
    )


def fact_when(fact: Any) -> str:
    """When a figure holds, as the text gives it: ``近三年（约2022年至2024年）``.

    A relative period (近三年) keeps its wording and shows its reading as approximate; a
    figure the text does not date says so rather than taking the reply's date.
    """
    get = fact.get if hasattr(fact, "get") else lambda k, d=None: getattr(fact, k, d)
    as_of = tables.text(get("as_of"))
    relative = tables.text(get("period_text"))
    if not as_of:
        return "原文未注明"
    when = display.display_date(as_of)
    if relative:
        return f"{relative}（约{when}）"
    if tables.text(get("basis")) == "cumulative":
        return f"截至{when}累计"
    return when


def normalised_text(row: Any) -> str:
    """``每校2.16个`` or ``约占学校数的71%`` for a row of ``analysis.normalise``."""
    whole = DENOMINATOR_ZH.get(row["denominator"], row["denominator"])
    unit = DENOMINATOR_UNIT.get(row["denominator"], "")
    if row["normalise"] == "per_school" and row["unit"] == unit:
        # schools per school reads oddly: say what share of all schools that is
        return f"约占{whole}的{row['normalised'] * 100:.0f}%"
    label = display.NORMALISE_LABELS.get(row["normalise"], row["normalise"])
    return f"{label}{display.format_significant(row['normalised'])}{row['unit']}"


def _drop_empty(table: pd.DataFrame, notes: dict) -> tuple[pd.DataFrame, dict]:
    """Drop columns with nothing to say (every cell "—" or empty), and their notes."""
    empty = [c for c in table.columns if table[c].astype(str).isin(["—", ""]).all()]
    kept = {k: v for k, v in notes.items() if not (isinstance(k, tuple) and k[1] in empty)}
    return table.drop(columns=empty), kept


def _whole_text(estimate: float, low: float, high: float) -> str:
    """An implied whole of things counted one by one: ``约320`` (never ``37.8``)."""
    whole = an.whole_count(estimate, low, high)
    return "—" if whole is None else f"约{display.format_number(whole)}"


def _interval_text(low: float, high: float) -> str:
    """The whole numbers an implied whole may be: ``34至37``, ``34以上``."""
    first = math.ceil(low - 1e-9)
    if math.isinf(high):
        return f"{display.format_number(first)}以上"
    return f"{display.format_number(first)}至{display.format_number(math.floor(high + 1e-9))}"


# --------------------------------------------------------------------------- sections


@tables.shared_lookups()
def summary(ds: Any, locality_id: str, as_of: date | str | None = None) -> BlockList:
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
    blocks: list[Any] = [_heading("summary"), KeyPoints(title, items)]
    blocks.append(Paragraph(_basis_spans(ds, locality_id, loc)))
    blocks.append(Contents())
    return BlockList(blocks)


def _basis_spans(ds: Any, locality_id: str, loc: Any) -> list[Any]:
    reply = _reply(ds, locality_id)
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


def _finding(ds: Any, fact: Any) -> list[Any]:
    """One finding: the figure as printed, what it counts, where and when, with its note."""
    name = _indicator_names(ds).get(fact["indicator_id"], fact["indicator_id"])
    text = say(
        "summary/finding.txt",
        indicator=name,
        figure=fact_display(fact),
        scope=tables.text(fact["scope"]),
        when=display.display_date(fact["as_of"]),
    )
    return [note(text, cite(ds, fact)), "。"]


def _status_sentence(ds: Any, locality_id: str) -> str:
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


def _commitments_sentence(ds: Any, locality_id: str, day: date) -> str:
    status = an.commitment_status(ds, locality_id, day)
    if status.empty:
        return say("summary/commitments.txt", count=0, undated=0, overdue=0)
    undated = int(status["due"].map(tables.blank).sum()) if "due" in status else 0
    over = int((status["status"] == "overdue").sum())
    return say("summary/commitments.txt", count=len(status), undated=undated, overdue=over)


def _challenges_item(ds: Any, locality_id: str) -> list[Any]:
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


@tables.shared_lookups()
def policy(ds: Any, locality_id: str, as_of: date | str | None = None) -> BlockList:
    """2 政策要求: national tasks, safeguards and goal; provincial targets or a plain 'none'."""
    loc = tables.locality_row(ds, locality_id)
    blocks: list[Any] = [_heading("policy")]
    national = tables.records(
        ds.sources, tables.positions_of(ds.sources, "kind", "national_notice")
    )
    items = an.national_items(ds)
    for src in national:
        text = say(
            "policy/national_notice.txt",
            issuer=tables.text(src["issuer"]),
            date=display.display_date(src["written_date"]),
            title=tables.text(src["title"]),
            label=source_label(ds, str(src["source_id"])),
        )
        blocks.append(Paragraph(text))
    table = pd.DataFrame(
        {
            "类别": [ITEM_KIND_ZH.get(k, k) for k in items["kind"].tolist()],
            "序号": [int(n) for n in items["number"].tolist()],
            "内容": list(items["name_zh"]),
        }
    )
    item_rows = tables.records(items)
    notes = {(i, "内容"): cite(ds, r) for i, r in enumerate(item_rows)}
    blocks.append(
        _sourced_table(
            ds, table, "国家通知的主要任务与保障措施", notes, item_rows, id="tbl-national"
        )
    )
    for goal in tables.records(ds.targets, tables.positions_of(ds.targets, "scope", "national")):
        text = say(
            "policy/national_goal.txt",
            goal=tables.text(goal["description_zh"]),
            deadline=_deadline_text(goal),
        )
        blocks.append(Paragraph(["国家目标：", note(text, cite(ds, goal))]))
    province = province_zh(ds, tables.text(loc["province"]))
    provincial = an.provincial_sources(ds, locality_id)
    if provincial.empty:
        blocks.append(Paragraph(say("policy/no_provincial.txt", province=province)))
        return BlockList(blocks)
    for src in tables.records(provincial):
        text = say(
            "policy/provincial_notice.txt",
            issuer=tables.text(src["issuer"]),
            date=display.display_date(src["written_date"]),
            title=tables.text(src["title"]),
            doc=tables.text(src["doc_number"]),
            label=source_label(ds, str(src["source_id"])),
            locality=tables.text(loc["name_zh"]),
        )
        blocks.append(Paragraph(text))
        targets = tables.records(
            ds.targets, tables.positions_of(ds.targets, "source_id", src["source_id"])
        )
        rows, notes = [], {}
        for i, t in enumerate(targets):
            value = "" if tables.blank(t["value"]) else display.format_number(float(t["value"]))
            rows.append(
                {
                    "目标": tables.text(t["description_zh"]),
                    "数量": f"{value}{tables.text(t['unit'])}" if value else "—",
                    "周期": "每年" if t["period"] == "per_year" else "累计",
                    "期限": _deadline_text(t) or "—",
                }
            )
            notes[(i, "目标")] = cite(ds, t)
        blocks.append(_sourced_table(ds, pd.DataFrame(rows), f"{province}的目标", notes, targets))
    return BlockList(blocks)


@tables.shared_lookups()
def scorecard(ds: Any, locality_id: str, as_of: date | str | None = None) -> BlockList:
    """3 国家通知任务覆盖情况: what the reply says on each national item, in words.

    Only AI-specific records set the status; general school-IT figures and measures
    (terminals, platform registration, ICT training) are listed apart, never as AI evidence.
    """
    cov = an.coverage(ds, locality_id)
    loc = tables.locality_row(ds, locality_id)
    name = tables.text(loc["name_zh"])
    blocks: list[Any] = [
        _heading("scorecard"),
        Paragraph(say("scorecard/intro.txt")),
        report_charts.scorecard_strip(cov, [name], caption=f"{name}国家通知任务覆盖情况"),
    ]
    evidence = _evidence_lookup(ds, locality_id)
    numbers = _task_numbers(ds)
    rows, notes = [], {}
    for i, r in enumerate(tables.records(cov)):
        first = r["evidence_ids"][:2]
        general = r["general_ids"][:2]
        rows.append(
            {
                "任务/保障": f"{ITEM_KIND_ZH.get(r['kind'], r['kind'])}"
                f"{int(numbers[r['task_id']])}：{r['name_zh']}",
                "覆盖情况": LEVEL_ZH[r["level"]],
                "人工智能教育方面的依据": "；".join(evidence[e][0] for e in first)
                if first
                else "—",
                "一般教育信息化": GENERAL_ZH[r["general_level"]]
                + ("：" + "；".join(evidence[e][0] for e in general) if general else ""),
            }
        )
        if first:
            # one note per cell: two adjacent superscripts read as one number ("1617")
            notes[(i, "人工智能教育方面的依据")] = "；".join(evidence[e][1] for e in first)
        if general:
            notes[(i, "一般教育信息化")] = "；".join(evidence[e][1] for e in general)
    table, notes = _drop_empty(pd.DataFrame(rows), notes)  # no general IT evidence at all
    blocks.append(Table(table, "国家通知任务覆盖情况与依据", notes=notes, id="tbl-scorecard"))
    return BlockList(blocks)


def _task_numbers(ds: Any) -> dict[str, Any]:
    """task_id → its ``number`` cell (the first row of an id, as a filter's ``iloc[0]``)."""
    numbers: dict[str, Any] = {}
    for tid, number in zip(
        ds.framework["task_id"].tolist(), ds.framework["number"].tolist(), strict=True
    ):
        numbers.setdefault(tid, number)
    return numbers


def _evidence_lookup(ds: Any, locality_id: str | None = None) -> dict[str, tuple[str, str]]:
    """id → (short description, footnote) for facts, measures and commitments.

    With ``locality_id``, only that locality's records: the whole data set costs ~1 ms per
    row, i.e. minutes per report with thousands of localities.
    """
    names = _indicator_names(ds)
    out: dict[str, tuple[str, str]] = {}

    def rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
        if locality_id is None:
            return tables.records(frame)
        return tables.records(frame, tables.positions_of(frame, "locality_id", locality_id))

    for f in rows(ds.facts):
        out[str(f["fact_id"])] = (
            f"{names.get(f['indicator_id'], f['indicator_id'])}：{fact_display(f)}",
            cite(ds, f),
        )
    for m in rows(ds.measures):
        out[str(m["measure_id"])] = (tables.text(m["description_zh"]), cite(ds, m))
    for c in rows(ds.commitments):
        out[str(c["commitment_id"])] = (f"承诺：{tables.text(c['description_zh'])}", cite(ds, c))
    return out


def _facts_by_id(
    ds: Any, fact_ids: list[str], localities: Iterable[str] = ()
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


@tables.shared_lookups()
def key_figures(ds: Any, locality_id: str, as_of: date | str | None = None) -> BlockList:
    """4 关键数据: every figure of the locality with qualifier, unit, date and normalised value."""
    tables.locality_row(ds, locality_id)
    facts = tables.records(ds.facts, tables.positions_of(ds.facts, "locality_id", locality_id))
    names = _indicator_names(ds)
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
        _heading("key_figures"),
        Paragraph(
            say(
                "key_figures/intro.txt",
                relative=any(tables.text(f.get("period_text")) for f in facts),
                basis=_normalise_basis(ds, locality_id, {r["denominator"] for r in norm.values()}),
            )
        ),
    ]
    if rows:
        table, notes = _drop_empty(pd.DataFrame(rows), notes)
        blocks.append(_sourced_table(ds, table, "关键数据", notes, facts, id="tbl-key-figures"))
    else:
        blocks.append(Paragraph(say("key_figures/no_figures.txt")))
    return BlockList(blocks)


def _normalise_basis(ds: Any, locality_id: str, used: set[str]) -> str:
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


@tables.shared_lookups()
def targets(ds: Any, locality_id: str, as_of: date | str | None = None) -> BlockList:
    """5 目标进展: each applicable quantified target against what the locality reports."""
    loc = tables.locality_row(ds, locality_id)
    progress = an.target_progress(ds, locality_id)
    blocks: list[Any] = [_heading("targets")]
    if progress.empty:
        text = say(
            "targets/no_targets.txt",
            locality=tables.text(loc["name_zh"]),
            scopes=_scope_names(ds, loc),
        )
        blocks.append(Paragraph(text))
        return BlockList(blocks)
    name = tables.text(loc["name_zh"])
    quota = progress[progress["quota"]]
    drawn = progress[~progress["quota"]]
    wider = sorted({province_zh(ds, x) for x in quota["scope"]})
    share_column = "占目标比例" if quota.empty else f"占{'、'.join(wider)}目标的份额"
    if not quota.empty:
        # a share of a province-wide quota (1.4 %) on a 0–100 % axis reads as failure
        text = say("targets/quota.txt", provinces="、".join(wider), locality=name)
        blocks.append(Paragraph(text))
    names = _indicator_names(ds)
    if not drawn.empty:
        blocks.append(Paragraph(say("targets/chart_intro.txt")))
        blocks.append(
            report_charts.progress_bars(
                drawn.assign(label=[names.get(i, i) for i in drawn["indicator_id"]]),
                caption=f"{name}对照{_scope_names(ds, loc)}目标的进展",
            )
        )
    progress_rows = tables.records(progress)
    facts = _facts_by_id(
        ds, [f for r in progress_rows for f in r["fact_ids"] + r["pending_ids"]], [locality_id]
    )
    target_rows: dict[str, dict[str, Any]] = {}
    for t in tables.records(ds.targets):
        target_rows.setdefault(t["target_id"], t)
    rows, notes = [], {}
    for i, r in enumerate(progress_rows):
        unit = r["unit"]
        reported = (
            "无数据"
            if math.isnan(r["reported"])
            else f"{display.format_number(r['reported'])}{unit}"
        )
        share = "—" if math.isnan(r["share"]) else f"{r['share'] * 100:.1f}%"
        pending = "" if math.isnan(r["pending"]) else f"{display.format_number(r['pending'])}{unit}"
        rows.append(
            {
                "目标": r["description_zh"],
                "目标数": f"{display.format_number(r['target'])}{unit}"
                + ("/年" if r["period"] == "per_year" else ""),
                "期限": _deadline_text(target_rows[r["target_id"]]) or "—",
                "已报告": reported,
                share_column: share,
                "在申报/计划": pending or "—",
            }
        )
        notes[(i, "目标")] = cite(ds, target_rows[r["target_id"]])
        if r["fact_ids"]:
            notes[(i, "已报告")] = [cite(ds, facts[f]) for f in r["fact_ids"]]
        if r["pending_ids"]:
            notes[(i, "在申报/计划")] = [cite(ds, facts[f]) for f in r["pending_ids"]]
    table, notes = _drop_empty(pd.DataFrame(rows), notes)
    blocks.append(Table(table, "目标与进展", notes=notes, id="tbl-targets"))
    related = tables.records(an.programme_facts(ds, locality_id))
    if related:
        spans: list[Any] = [say("targets/related_intro.txt")]
        for k, f in enumerate(related):
            when = fact_when(f) if tables.text(f["as_of"]) else ""
            spans.append(
                note(
                    f"{'；' if k else ''}{names.get(f['indicator_id'], f['indicator_id'])}"
                    f"{fact_display(f)}" + (f"（{when}）" if when else ""),
                    cite(ds, f),
                )
            )
        spans.append("。")
        blocks.append(Paragraph(spans))
    return BlockList(blocks)


def _deadline_text(target: dict[str, Any]) -> str:
    """A target's deadline as the text words it (``2030年前``, ``2020年底``), else its date."""
    return tables.text(target.get("deadline_text")) or display.display_date(target.get("deadline"))


def _scope_names(ds: Any, loc: pd.Series) -> str:
    return "、".join(province_zh(ds, s) for s in tables.as_list(loc["policy_scopes"]))


@tables.shared_lookups()
def timeline(ds: Any, locality_id: str, as_of: date | str | None = None) -> BlockList:
    """6 时间线: policy events, deadlines and the locality's milestones on one axis."""
    loc = tables.locality_row(ds, locality_id)
    events = an.timeline_events(ds, locality_id)
    blocks: list[Any] = [_heading("timeline")]
    if events.empty:
        blocks.append(Paragraph(say("timeline/no_events.txt")))
        return BlockList(blocks)
    first, last = events["start"].min().year, events["start"].max().year
    text = say("timeline/intro.txt", first=first, last=last, locality=tables.text(loc["name_zh"]))
    blocks.append(Paragraph(text))
    blocks.append(
        report_charts.timeline_chart(events, caption=f"{tables.text(loc['name_zh'])}时间线")
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


@tables.shared_lookups()
def peers(
    ds: Any, locality_id: str, as_of: date | str | None = None, max_peers: int = 5
) -> BlockList:
    """7 同类比较: this locality beside (up to ``max_peers``) others on shared indicators."""
    loc = tables.locality_row(ds, locality_id)
    candidates = an.peer_candidates(ds, locality_id)
    chosen = [locality_id, *candidates["locality_id"].head(max_peers)]
    table = an.peers_table(ds, chosen)
    blocks: list[Any] = [_heading("peers"), *_peers_choice(loc, candidates, max_peers)]
    mine = table[
        table["indicator_id"].isin(table.loc[table["locality_id"] == locality_id, "indicator_id"])
    ]
    # one figure per locality and indicator (the first in the file): a locality reporting
    # an indicator many times would otherwise fill the chart and table with it
    repeated = mine.duplicated(["indicator_id", "locality_id"])
    if repeated.any():
        mine = mine[~repeated]
        blocks.append(Paragraph(say("peers/repeated.txt")))
    if mine.empty:
        blocks.append(Paragraph(say("peers/none_shared.txt", locality=tables.text(loc["name_zh"]))))
        return BlockList(blocks)
    blocks += _peers_body(ds, mine, highlight=locality_id, localities=chosen)
    return BlockList(blocks)


def _peers_choice(loc: pd.Series, candidates: pd.DataFrame, shown: int) -> list[Any]:
    """How the peers were chosen, and how many more there are, when not all are shown."""
    rest = candidates.iloc[shown:]
    if rest.empty:
        return []
    alike = int((rest["same_province"] & rest["same_level"]).sum())
    where = f"{tables.text(loc.get('province_zh', ''))}同级地区" if alike else ""
    text = say(
        "peers/choice.txt",
        total=len(candidates),
        shown=min(shown, len(candidates)),
        rest=len(rest),
        where=where,
        alike=alike,
    )
    return [Paragraph(text)]


#: Panels in the peers chart: more would be unreadable (and slow); the table lists them all.
MAX_PEER_PANELS = 6
SCOPE_CLASS_ZH = {"whole": "全地区", "part": "部分学校或单项活动"}
_DIFFERS_ZH = {"unit": "单位", "basis": "口径", "scope_class": "统计范围", "period": "时段"}


def _differs_text(group: list[dict[str, Any]], differs: str) -> str:
    """Why one indicator's figures are not comparable: ``口径不同（单次、累计数）；…``."""
    shown = {
        "unit": lambda r: r["unit"] or "—",
        "basis": lambda r: BASIS_ZH.get(r["basis"], r["basis"]),
        "scope_class": lambda r: SCOPE_CLASS_ZH[r["scope_class"]],
        "period": lambda r: display.display_date(r["as_of"]) or "—",
    }
    parts = []
    for key in differs.split(";"):
        if key in shown:
            values = "、".join(dict.fromkeys(shown[key](r) for r in group))
            parts.append(f"{_DIFFERS_ZH[key]}不同（{values}）")
    return "；".join(parts) or "只有一个地区报告了同口径的数字"


def _peer_rows(
    ds: Any, records: list[dict[str, Any]], facts: dict[str, dict[str, Any]], **names: Any
) -> tuple[list[dict[str, Any]], dict[Any, Any]]:
    """Table rows (and their notes) for peers records: value, basis and time, scope."""
    rows, notes = [], {}
    for i, r in enumerate(records):
        fact_row = facts[r["fact_id"]]
        norm = "—"
        if r["normalise"]:
            label = display.NORMALISE_LABELS.get(r["normalise"], r["normalise"])
            basis = "推算" if r["denominator_basis"] == "implied" else "报告"
            norm = f"{label}{display.format_significant(r['normalised'])}{r['unit']}（{basis}分母）"
        rows.append(
            {
                "指标": names["indicators"].get(r["indicator_id"], r["indicator_id"]),
                "地区": names["localities"].get(r["locality_id"], r["locality_id"]),
                "数值": fact_display(fact_row),
                "口径": BASIS_ZH.get(r["basis"], r["basis"]),
                "时间": fact_when(fact_row),
                "统计范围": r["scope"] or "—",
                "标准化": norm,
            }
        )
        notes[(i, "数值")] = cite(ds, fact_row)
    return rows, notes


def _peers_body(
    ds: Any, table: pd.DataFrame, highlight: str | None = None, localities: Iterable[str] = ()
) -> list[Any]:
    """Chart and table of comparable figures, and a table of those that are not, with why.

    Figures are comparable only when indicator, unit, basis and scope class (and, for totals
    over a period, the period) agree (``analysis.peers_table``).
    """
    names = _indicator_names(ds)
    loc_names = dict(
        zip(ds.localities["locality_id"].tolist(), ds.localities["name_zh"].tolist(), strict=True)
    )
    facts = _facts_by_id(ds, list(table["fact_id"]), localities)
    comparable = table[table["comparable"]]
    out: list[Any] = [Paragraph(say("peers/rule.txt"))]
    if comparable.empty:
        out.append(Paragraph(say("peers/none_comparable.txt")))
    else:
        reported_by = comparable.groupby("indicator_id", sort=False)["locality_id"].nunique()
        shown = reported_by.sort_values(ascending=False, kind="stable").index[:MAX_PEER_PANELS]
        chart = comparable[comparable["indicator_id"].isin(shown)]
        capped = len(reported_by) > len(shown)
        if capped:
            text = say("peers/chart_capped.txt", count=len(reported_by), shown=len(shown))
            out.append(Paragraph(text))
        out.append(
            report_charts.peers_bars(
                chart.assign(display=[fact_display(facts[f]) for f in chart["fact_id"]]),
                indicator_names=names,
                locality_names=loc_names,
                highlight=highlight,
                caption="同类指标比较"
                + (f"（{len(shown)}/{len(reported_by)}项）" if capped else ""),
            )
        )
        rows, notes = _peer_rows(
            ds, tables.records(comparable), facts, indicators=names, localities=loc_names
        )
        frame, notes = _drop_empty(pd.DataFrame(rows), notes)
        out.append(Table(frame, "可比的同类指标", notes=notes, id="tbl-peers"))
    apart = tables.records(table[~table["comparable"]])
    if apart:
        rows, notes = _peer_rows(ds, apart, facts, indicators=names, localities=loc_names)
        by_indicator: dict[Any, list[dict[str, Any]]] = {}
        for r in apart:
            by_indicator.setdefault(r["indicator_id"], []).append(r)
        for row, r in zip(rows, apart, strict=True):
            row["不可比的原因"] = _differs_text(by_indicator[r["indicator_id"]], r["differs"])
        frame, notes = _drop_empty(pd.DataFrame(rows), notes)
        out.append(Table(frame, "同名但不可直接比较的数字", notes=notes, id="tbl-peers-apart"))
    return out


@tables.shared_lookups()
def data_quality(ds: Any, locality_id: str, as_of: date | str | None = None) -> BlockList:
    """8 数据质量: implied wholes, inconsistencies and qualified figures."""
    tables.locality_row(ds, locality_id)
    blocks: list[Any] = [_heading("data_quality")]
    implied = tables.records(an.implied_denominators(ds, locality_id))
    checks = tables.records(an.consistency_checks(ds, locality_id))
    facts = _facts_by_id(ds, [r["fact_id"] for r in implied], [locality_id])
    # the counts the percentages are shares of: the locality's own, unless unchecked data
    counts = [facts[r["fact_id"]]["share_of"] for r in implied]
    facts |= _facts_by_id(ds, [c for c in counts if c not in facts])
    names = _indicator_names(ds)
    if not implied:
        blocks.append(Paragraph(say("data_quality/no_implied.txt")))
    else:
        blocks.append(Paragraph(say("data_quality/implied_intro.txt")))
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
                    "推算值": _whole_text(r["estimate"], r["low"], r["high"]),
                    "区间": _interval_text(r["low"], r["high"]),
                }
            )
            notes[(i, "依据")] = cite(ds, pct)
        blocks.append(
            Table(pd.DataFrame(rows), "由百分比推算的总数", notes=notes, id="tbl-implied")
        )
    for r in checks:
        whole = DENOMINATOR_ZH.get(r["denominator"], r["denominator"])
        a, b = facts[r["fact_a"]], facts[r["fact_b"]]
        desc_a, desc_b = (
            say(
                "data_quality/check_side.txt",
                indicator=names.get(f["indicator_id"], ""),
                figure=fact_display(f),
                whole=whole,
                estimate=_whole_text(r[f"estimate_{k}"], r[f"low_{k}"], r[f"high_{k}"]),
                interval=_interval_text(r[f"low_{k}"], r[f"high_{k}"]),
            )
            for f, k in ((a, "a"), (b, "b"))
        )
        if r["consistent"]:
            blocks.append(
                Paragraph(
                    [
                        "一致：",
                        note(desc_a, cite(ds, a)),
                        "，",
                        note(desc_b, cite(ds, b)),
                        say("data_quality/consistent_end.txt"),
                    ]
                )
            )
        else:
            blocks.append(
                Callout(
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
            )
    qualified = [
        f
        for f in tables.records(ds.facts, tables.positions_of(ds.facts, "locality_id", locality_id))
        if f["qualifier"] != "exact"
    ]
    if qualified:
        rows = [
            {
                "数字": fact_display(f),
                "指标": names.get(f["indicator_id"], f["indicator_id"]),
                "含义": QUALIFIER_ZH.get(f["qualifier"], f["qualifier"]),
                "计算时取值": display.format_number(float(f["value"])) + tables.text(f["unit"]),
            }
            for f in qualified
        ]
        blocks.append(Paragraph(say("data_quality/qualified_intro.txt")))
        blocks.append(Table(pd.DataFrame(rows), "带限定词的数字", id="tbl-qualifiers"))
    return BlockList(blocks)


def verification_counts(ds: Any, locality_id: str) -> dict[str, tuple[int, int]]:
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


def _verification_text(ds: Any, locality_id: str | None) -> str:
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


@tables.shared_lookups()
def commitments(ds: Any, locality_id: str, as_of: date | str | None = None) -> BlockList:
    """9 承诺事项: what was promised, when it is due, and its status as of the report date."""
    day = as_of_date(as_of, ds, locality_id)
    status = an.commitment_status(ds, locality_id, day)
    tasks = _task_names(ds)
    blocks: list[Any] = [_heading("commitments")]
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
        _sourced_table(
            ds, pd.DataFrame(rows), "承诺事项", notes, tables.records(status), id="tbl-commitments"
        )
    )
    return BlockList(blocks)


@tables.shared_lookups()
def method(ds: Any, locality_id: str, as_of: date | str | None = None) -> BlockList:
    """方法说明与局限: what the sources are, how coverage and implied totals are computed."""
    loc = tables.locality_row(ds, locality_id)
    reply = _reply(ds, locality_id)
    labels = "、".join(
        source_label(ds, str(sid))
        for sid in _report_sources(ds, locality_id)["source_id"]
        if reply is None or sid != reply["source_id"]
    )
    own = (
        say(
            "method/own_reply.txt",
            issuer=tables.text(reply["issuer"]),
            label=source_label(ds, str(reply["source_id"])),
        )
        if reply is not None
        else say("method/own_no_reply.txt", locality=tables.text(loc["name_zh"]))
    )
    return BlockList([_heading("method"), *_method_blocks(own, labels)])


def _method_blocks(own: str, notices: str, example: str = "") -> list[Any]:
    """The method paragraphs: a bold lead-in and the wording of ``templates/text/method``."""
    paragraphs = [
        ("资料来源。", say("method/sources.txt", own=own, notices=notices)),
        ("对照方法。", say("method/coverage.txt")),
        ("推算总数。", say("method/implied.txt")),
        ("数字与日期。", say("method/numbers.txt")),
        ("注释。", say("method/notes.txt", example=example)),
    ]
    return [Paragraph([strong(head), text]) for head, text in paragraphs]


def _report_sources(ds: Any, locality_id: str | None) -> pd.DataFrame:
    from reportlib.render import report_sources

    return report_sources(ds, locality_id)


@tables.shared_lookups()
def appendix(ds: Any, locality_id: str, as_of: date | str | None = None) -> BlockList:
    """附录: the sources (short label → full reference) and every quote the notes cite."""
    tables.locality_row(ds, locality_id)
    cited = _cited_records(ds, locality_id)
    # the report's own sources, and any other a note cites (a peer's reply, a policy event's)
    used = set(_report_sources(ds, locality_id)["source_id"]) | {r["source_id"] for r in cited}
    sources = ds.sources[ds.sources["source_id"].isin(used)]
    blocks: list[Any] = [_heading("appendix"), Heading("来源文件", level=3, id="sec-sources")]
    blocks.append(_sources_table(ds, sources))
    blocks += _reader_notes(ds, sources)
    blocks.append(Heading("引文", level=3, id="sec-quotes"))
    blocks.append(Paragraph(say("appendix/quotes_intro.txt")))
    blocks += _quote_blocks(ds, cited, sources)
    return BlockList(blocks)


def _reader_notes(ds: Any, src: pd.DataFrame) -> list[Any]:
    lines = [
        f"{source_label(ds, str(r['source_id']))}{tables.text(r['reader_note'])}"
        for r in tables.records(src)
        if "reader_note" in r and tables.text(r["reader_note"])
    ]
    return [Paragraph(say("appendix/reader_notes.txt", notes="".join(lines)))] if lines else []


def _cited_records(ds: Any, locality_id: str | None) -> list[dict[str, Any]]:
    """Every record a report may cite: its localities' records, its notices' items and targets,
    and the peers' figures on indicators it shares (the peers section cites those)."""
    ids = [locality_id] if locality_id else tables.locality_ids(ds)
    notices = set(_report_sources(ds, locality_id)["source_id"])
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
        out += list(_facts_by_id(ds, list(shared["fact_id"])).values())
    return out


def _quote_blocks(ds: Any, rows: list[dict[str, Any]], sources: pd.DataFrame) -> list[Any]:
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


def _sources_table(ds: Any, src: pd.DataFrame) -> Table:
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


def provenance(ds: Any, locality_id: str | None = None, **extra: str) -> dict[str, str]:
    """The technical annex's fields: data hash, package version, git commit, quote checks.

    ``extra`` adds (or replaces) fields; the render route is printed by the templates
    at the very end, after the annex.
    """
    from reportlib import __version__
    from reportlib.render import git_commit
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
        "git提交": git_commit(),
        "引文核对": _verification_text(ds, locality_id),
    }
    return {**fields, **extra}


def technical_annex(fields: Mapping[str, str], records: Table | None = None) -> BlockList:
    """技术附注: provenance fields (key → value), then optionally a table of record ids."""
    blocks: list[Any] = [_heading("annex")]
    table = pd.DataFrame({"项目": list(fields), "内容": [str(v) for v in fields.values()]})
    blocks.append(Table(table, "版本与核对", id="tbl-provenance"))
    if records is not None:
        blocks.append(records)
    return BlockList(blocks)


@tables.shared_lookups()
def annex(ds: Any, locality_id: str, as_of: date | str | None = None) -> BlockList:
    """技术附注 of a locality report: provenance and the id of every figure."""
    tables.locality_row(ds, locality_id)
    names = _indicator_names(ds)
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


# ----------------------------------------------------------------------------- report

LOCALITY_SECTIONS = (
    summary,
    policy,
    scorecard,
    key_figures,
    targets,
    timeline,
    peers,
    data_quality,
    commitments,
    method,
    appendix,
    annex,
)


@tables.shared_lookups()
def locality_report(ds: Any, locality_id: str, as_of: date | str | None = None) -> BlockList:
    """All sections, in order (for tests and quick looks; notebooks call them one by one)."""
    return BlockList(section(ds, locality_id, as_of) for section in LOCALITY_SECTIONS)


# ---------------------------------------------------------------------------- overview


@tables.shared_lookups()
def overview_summary(ds: Any, as_of: date | str | None = None) -> BlockList:
    """Overview 要点: per locality its headline figures, status and 存在问题; then contents.

    Above ``overview.SMALL`` localities one entry per locality would run to dozens of pages:
    the 要点 is then the documents' coverage in numbers, and the body summarises."""
    from reportlib.analysis import overview
    from reportlib.document.sections import overview as overview_sections

    day = as_of_date(as_of, ds)
    if not overview.is_small(ds):
        return BlockList(
            [
                Heading("要点", level=2, id="sec-summary"),
                overview_sections.key_points(ds),
                Contents(),
            ]
        )
    rows, items = [], []
    for lid in tables.locality_ids(ds):
        loc = tables.locality_row(ds, lid)
        reply = _reply(ds, lid)
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
        items.append(_overview_item(ds, lid, tables.text(loc["name_zh"])))
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


def _overview_item(ds: Any, locality_id: str, name: str) -> list[Any]:
    spans: list[Any] = [strong(f"{name}：")]
    heads = tables.records(an.headline_figures(ds, locality_id, n=2))
    for f in heads:
        spans += _finding(ds, f)
    spans.append(_status_sentence(ds, locality_id))
    spans += _challenges_item(ds, locality_id)
    return spans


# The overview's body summarises (shares, medians, counts) and is bounded at any size: its
# sections live in overview_sections (imported when called: it imports this module).
@tables.shared_lookups()
def overview_scorecard(ds: Any, as_of: date | str | None = None) -> BlockList:
    """Overview 国家通知任务覆盖情况: documents, shares of localities per item, by province
    (tile map) and level, where evidence is thin; the locality × item matrix when small."""
    from reportlib.document.sections import overview as overview_sections

    return overview_sections.scorecard(ds, as_of)


@tables.shared_lookups()
def overview_peers(ds: Any, as_of: date | str | None = None) -> BlockList:
    """Overview 同类比较: distributions (median, quartiles) of like-for-like figures."""
    from reportlib.document.sections import overview as overview_sections

    return overview_sections.peers(ds, as_of)


@tables.shared_lookups()
def overview_commitments(ds: Any, as_of: date | str | None = None) -> BlockList:
    """Overview 承诺事项: counts by status and task, and a bounded list."""
    from reportlib.document.sections import overview as overview_sections

    return overview_sections.commitments(ds, as_of)


@tables.shared_lookups()
def overview_data_quality(ds: Any, as_of: date | str | None = None) -> BlockList:
    """Overview 数据质量: counts, and the inconsistencies found (bounded when large)."""
    from reportlib.document.sections import overview as overview_sections

    return overview_sections.data_quality(ds, as_of)


def overview_appendix(ds: Any, as_of: date | str | None = None) -> BlockList:
    """Overview 附录: each source (short label, full reference) and the quotes; bounded."""
    from reportlib.analysis import overview
    from reportlib.document.sections import overview as overview_sections

    if not overview.is_small(ds):  # every quote of 2,800 localities: hundreds of pages
        return overview_sections.appendix(ds, as_of)
    return _overview_appendix_small(ds)


@tables.shared_lookups()
def _overview_appendix_small(ds: Any) -> BlockList:
    blocks: list[Any] = [
        Heading("附录", level=2, id="sec-appendix"),
        Heading("来源文件", level=3, id="sec-sources"),
        _sources_table(ds, ds.sources),
        *_reader_notes(ds, ds.sources),
        Heading("引文", level=3, id="sec-quotes"),
        Paragraph(say("appendix/quotes_intro.txt")),
    ]
    blocks += _quote_blocks(ds, _cited_records(ds, None), ds.sources)
    return BlockList(blocks)


def overview_method(ds: Any, as_of: date | str | None = None) -> BlockList:
    """Overview 方法说明与局限."""
    replies = ds.sources[ds.sources["kind"] == "proposal_reply"]
    notices = ds.sources[ds.sources["kind"] != "proposal_reply"]
    reply_labels = [source_label(ds, str(x)) for x in replies["source_id"]]
    own = say("method/own_overview.txt", count=len(reply_labels), labels="、".join(reply_labels))
    labels = "、".join(source_label(ds, str(x)) for x in notices["source_id"])
    example = reply_labels[0] if reply_labels else ""
    return BlockList(
        [
            Heading("方法说明与局限", level=2, id="sec-method"),
            *_method_blocks(own, labels, example),
        ]
    )


def overview_annex(ds: Any, as_of: date | str | None = None) -> BlockList:
    """Overview 技术附注: provenance of the whole data set."""
    return technical_annex(provenance(ds, None))
