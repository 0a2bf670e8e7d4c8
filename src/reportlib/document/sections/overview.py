"""The overview report's sections (``overview_*``): blocks from the summaries of
:mod:`reportlib.analysis.overview`.

At any size they give shares, medians and counts; a small data set (≤ ``overview.SMALL``
localities) also gets one row or column per locality, a large one never lists every
locality (a few at each end of a ranking, and counts). Method and annex are the locality
report's, over every source.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from reportlib import analysis as an
from reportlib.analysis import overview as ov
from reportlib.data import tables
from reportlib.data.dataset import Dataset
from reportlib.data.numbers import format_quantity
from reportlib.document import display
from reportlib.document.blocks import (
    BlockList,
    Callout,
    Contents,
    Heading,
    KeyPoints,
    Paragraph,
    Table,
)
from reportlib.document.charts import locality as locality_charts
from reportlib.document.charts import overview as overview_charts
from reportlib.document.citations import cite, source_label
from reportlib.document.sections.annex import provenance, technical_annex
from reportlib.document.sections.appendix import all_sources_appendix, sources_table
from reportlib.document.sections.common import as_of_date, heading, indicator_names, task_names
from reportlib.document.sections.data_quality import data_quality
from reportlib.document.sections.labels import (
    BASIS_ZH,
    ITEM_KIND_ZH,
    LEVEL_ZH,
    LOCALITY_LEVEL_ZH,
    SCOPE_CLASS_ZH,
    STATUS_ZH,
)
from reportlib.document.sections.method import method_paragraphs
from reportlib.document.sections.peers import comparison_blocks
from reportlib.document.sections.summary import localities_summary
from reportlib.document.wording import say

#: Rows kept in a bounded list (commitments, inconsistencies, distributions).
MAX_ROWS = 12
#: Like-for-like groups drawn in the distribution chart.
MAX_DISTRIBUTIONS = 8
#: A data set's sources are listed one by one up to this many.
MAX_SOURCES = 40


def _n(count: int) -> str:
    return format_quantity(count)


def _share_cell(count: int, total: int) -> str:
    """``67%（2个）``; ``—`` for none."""
    if count == 0:
        return "—"
    return f"{overview_charts.percent(count / total) if total else '—'}（{_n(count)}个）"


def _names(locs: pd.DataFrame, ids: list[str]) -> str:
    names = dict(zip(locs["locality_id"], locs["name_zh"], strict=True))
    return "、".join(names.get(i, i) for i in ids)


def _some(locs: pd.DataFrame, ids: list[str], small: bool) -> str:
    """Every name when few (or the data set is small), else the first few and a count."""
    if small or len(ids) <= ov.FEW:
        return _names(locs, ids)
    return f"{_names(locs, ids[: ov.FEW])}等{_n(len(ids))}个地区"


def _item_label(ds: Dataset, row: Any) -> str:
    return f"{ITEM_KIND_ZH.get(row['kind'], row['kind'])}{int(row['number'])}：{row['name_zh']}"


# ---------------------------------------------------------------------------- documents


def documents_paragraph(ds: Dataset, locs: pd.DataFrame | None = None) -> Paragraph:
    """How many localities have a document of their own, and how recent the documents are."""
    locs = ov.localities(ds) if locs is None else locs
    total = len(locs)
    dates = sorted(d for d in locs["document_date"] if d)
    text = say(
        "overview/documents.txt",
        total=_n(total),
        with_document=_share_cell(int(locs["has_document"].sum()), total),
        oldest=display.display_date(dates[0]) if dates else "",
        newest=display.display_date(dates[-1]) if dates else "",
    )
    return Paragraph(text)


@tables.shared_lookups()
def overview_summary(ds: Dataset, as_of: date | str | None = None) -> BlockList:
    """Overview 要点: per locality its headline figures, status and 存在问题; then contents.

    Above ``overview.SMALL`` localities one entry per locality would run to dozens of pages:
    the 要点 is then the documents' coverage in numbers, and the body summarises."""
    day = as_of_date(as_of, ds)
    if ov.is_small(ds):
        return localities_summary(ds, day)
    return BlockList([Heading("要点", level=2, id="sec-summary"), key_points(ds), Contents()])


def key_points(ds: Dataset) -> KeyPoints:
    """The national 要点 of a large data set: documents, coverage, items, where it is thin.

    Shares of localities and of national items only: no locality is ranked or named.
    """
    locs = ov.localities(ds)
    cov = ov.coverage_long(ds)
    shares = ov.item_shares(ds, cov)
    scores = ov.locality_scores(cov)
    coverage = scores["coverage"]
    items: list[Any] = [
        documents_paragraph(ds, locs).spans,
        say(
            "overview/national_coverage.txt",
            items=_n(len(shares)),
            median=overview_charts.percent(coverage.median()),
            lower_quartile=overview_charts.percent(coverage.quantile(0.25)),
        ),
    ]
    ranked = ov.thin_evidence(locs, shares, scores)["items"]
    if len(ranked) > 1:
        top, low = ranked.iloc[-1], ranked.iloc[0]
        items.append(
            say(
                "overview/national_items.txt",
                top=top["name_zh"],
                top_share=overview_charts.percent(top["evidenced"]),
                low=low["name_zh"],
                low_share=overview_charts.percent(low["evidenced"]),
            )
        )
    quantified = int((scores["quantified_share"].fillna(0) > 0).sum())
    items.append(say("overview/national_quantified.txt", share=_share_cell(quantified, len(locs))))
    return KeyPoints(say("overview/national_title.txt"), items)


def _documents(ds: Dataset, locs: pd.DataFrame) -> list[Any]:
    years = ov.document_years(locs)
    out: list[Any] = [Heading("答复文件与时效", level=3, id="sec-ov-documents")]
    out.append(documents_paragraph(ds, locs))
    if len(years) > 1:
        rows = [
            {
                "最新文件年份": str(r["year"]),
                "地区数": _n(int(r["n"])),
                "占比": overview_charts.percent(r["share"]),
            }
            for r in tables.records(years)
        ]
        out.append(Table(pd.DataFrame(rows), "各地最新答复文件的年份", id="tbl-ov-years"))
    return out


# ----------------------------------------------------------------------------- coverage


def _shares_table(ds: Dataset, shares: pd.DataFrame) -> Table:
    """Share of localities at each level per item; counts too when the data set is small."""
    small = ov.is_small(ds)

    def cell(count: int, total: int) -> str:
        if small or count == 0:
            return _share_cell(count, total)
        return overview_charts.percent(count / total)

    rows = []
    for r in tables.records(shares):
        total = int(r["n"])
        row = {"任务/保障": _item_label(ds, r)}
        for level in an.EVIDENCE_LEVELS:
            row[LEVEL_ZH[level]] = cell(int(r[level]), total)
        row["另有一般信息化数据"] = cell(int(r["general"]), total)
        rows.append(row)
    total = int(shares["n"].max()) if len(shares) else 0
    caption = f"国家通知各项任务的地区覆盖面（地区占比，共{_n(total)}个地区）"
    return Table(pd.DataFrame(rows), caption, id="tbl-ov-shares")


def _group_table(groups: pd.DataFrame, label: str, caption: str, ident: str) -> Table:
    rows = [
        {
            label: g["group"],
            "地区数": _n(int(g["n"])),
            "有答复文件": _share_cell(int(g["with_document"]), int(g["n"])),
            "平均覆盖率": overview_charts.percent(g["coverage"]),
            "有量化证据的地区": overview_charts.percent(g["any_quantified"]),
        }
        for g in tables.records(groups)
    ]
    return Table(pd.DataFrame(rows), caption, id=ident)


def _group_items(ds: Dataset, locs: pd.DataFrame, cov: pd.DataFrame, by: str, label: str) -> list:
    """Heat map of the share of localities with AI evidence, per group × national item.

    None when every group has one locality: the locality × item matrix says the same.
    """
    if not locs[by].duplicated().any():
        return []
    table = ov.group_items(locs, cov, by)
    if by == "level":
        table.index = [LOCALITY_LEVEL_ZH.get(i, i) for i in table.index]
    names = task_names(ds)
    chart = overview_charts.share_matrix(
        table,
        [names.get(t, t) for t in table.columns],
        f"各{label}有人工智能教育证据的地区占比（分任务）",
        f"各{label}对国家通知各项任务有人工智能教育证据（量化或文字描述）的地区占比",
    )
    return [chart]


def _provinces(locs: pd.DataFrame, scores: pd.DataFrame) -> list[Any]:
    groups = ov.group_coverage(locs, scores, "province_zh")
    tiles = ov.province_tiles()
    values = {}
    for g in tables.records(groups):
        tile = ov.tile_of(g["group"])
        if tile is not None:
            values[tile] = (float(g["coverage"]), int(g["n"]))
    out: list[Any] = [
        Heading("分省份", level=3, id="sec-ov-provinces"),
        Paragraph(say("overview/provinces_intro.txt")),
        overview_charts.tile_map(tiles, values, "各省份平均覆盖率（方格地图）", "平均覆盖率"),
        _group_table(groups, "省份", "各省份覆盖情况", "tbl-ov-provinces"),
    ]
    return out


def _thin(ds: Dataset, locs: pd.DataFrame, shares: pd.DataFrame, scores: pd.DataFrame) -> list[Any]:
    small = ov.is_small(ds)
    thin = ov.thin_evidence(locs, shares, scores)
    items = "；".join(
        say(
            "overview/thin_item.txt",
            item=r["name_zh"],
            share=overview_charts.percent(r["evidenced"]),
        )
        for r in tables.records(thin["items"].head(ov.FEW))
    )
    parts = [say("overview/thin_items.txt", items=items)]
    coverage = scores["coverage"]
    lowest = "、".join(
        f"{_names(locs, [lid])}（{overview_charts.percent(v)}）"
        for lid, v in coverage.sort_values(kind="stable").head(ov.FEW).items()
    )
    # a quartile of a handful of localities is an interpolation no locality has
    spread = say(
        "overview/thin_spread.txt",
        median=overview_charts.percent(coverage.median()),
        small=small,
        minimum=overview_charts.percent(coverage.min()),
        quartile="" if small else overview_charts.percent(coverage.quantile(0.25)),
        lowest="" if small else lowest,
    )
    parts.append(spread)
    total = len(locs)
    for key in ("no_evidence", "no_quantified", "no_document"):
        ids = thin[key]
        parts.append(
            say(
                f"overview/thin_{key}.txt",
                count=_n(len(ids)) if ids else "",
                share=overview_charts.percent(len(ids) / total) if total else "",
                names=_some(locs, ids, small) if ids else "",
            )
        )
    groups = ov.group_coverage(locs, scores, "province_zh")
    if len(groups) > 2 * ov.FEW:
        low = "、".join(
            f"{g['group']}（{overview_charts.percent(g['coverage'])}）"
            for g in tables.records(groups.tail(ov.FEW))
        )
        parts.append(say("overview/thin_provinces.txt", provinces=low))
    return [Heading("证据薄弱之处", level=3, id="sec-ov-thin"), Paragraph("".join(parts))]


@tables.shared_lookups()
def overview_scorecard(ds: Dataset, as_of: date | str | None = None) -> BlockList:
    """Overview 国家通知任务覆盖情况: documents, shares of localities per item, by province
    (tile map) and level, where evidence is thin; the locality × item matrix when small."""
    locs = ov.localities(ds)
    cov = ov.coverage_long(ds)
    shares = ov.item_shares(ds, cov)
    scores = ov.locality_scores(cov)
    labels = [_item_label(ds, r) for r in tables.records(shares)]
    blocks: list[Any] = [heading("scorecard"), *_documents(ds, locs)]
    blocks += [
        Heading("各项任务的覆盖面", level=3, id="sec-ov-shares"),
        Paragraph(say("overview/shares_intro.txt")),
        overview_charts.item_shares(shares, labels, "国家通知各项任务的地区覆盖面"),
        _shares_table(ds, shares),
    ]
    blocks += _provinces(locs, scores)
    blocks += _group_items(ds, locs, cov, "province_zh", "省份")
    levels = ov.group_coverage(locs, scores, "level")
    levels["group"] = levels["group"].map(lambda v: LOCALITY_LEVEL_ZH.get(v, v))
    blocks += [
        Heading("分层级", level=3, id="sec-ov-levels"),
        _group_table(levels, "层级", "各层级覆盖情况", "tbl-ov-levels"),
        *_group_items(ds, locs, cov, "level", "层级"),
    ]
    blocks += _thin(ds, locs, shares, scores)
    if ov.is_small(ds):
        blocks += _matrix(ds, cov)
    return BlockList(blocks)


def _matrix(ds: Dataset, cov: pd.DataFrame) -> list[Any]:
    """Small data sets: localities × items in words, as a chart and a table."""
    matrix = cov.pivot(index="locality_id", columns="task_id", values="level")
    general = cov.pivot(index="locality_id", columns="task_id", values="general_level")
    order = list(dict.fromkeys(cov["locality_id"]))
    items = list(dict.fromkeys(cov["task_id"]))
    matrix, general = matrix.loc[order, items], general.loc[order, items]
    loc_names = dict(
        zip(ds.localities["locality_id"].tolist(), ds.localities["name_zh"].tolist(), strict=True)
    )
    names = task_names(ds)
    cells = matrix.copy()
    for col in items:
        cells[col] = [
            LEVEL_ZH[lv] + ("（另有一般信息化数据）" if gv == "quantified" else "")
            for lv, gv in zip(matrix[col], general[col], strict=True)
        ]
    table = cells.rename(index=loc_names, columns=names).T.reset_index(names="任务/保障")
    return [
        Heading("各地逐项情况", level=3, id="sec-ov-matrix"),
        locality_charts.scorecard_matrix(
            matrix, locality_names=loc_names, item_names=names, caption="各地国家通知任务覆盖情况"
        ),
        Table(table, "各地国家通知任务覆盖情况", id="tbl-overview-scorecard"),
    ]


# -------------------------------------------------------------------------------- peers


def _group_label(names: dict[str, str], r: dict[str, Any]) -> str:
    label = names.get(r["indicator_id"], r["indicator_id"])
    basis = BASIS_ZH.get(r["basis"], r["basis"])
    scope = SCOPE_CLASS_ZH[r["scope_class"]]
    period = f"，{display.display_date(r['period'])}" if r["period"] else ""
    return f"{label}（{basis}，{scope}{period}）"


@tables.shared_lookups()
def overview_peers(ds: Dataset, as_of: date | str | None = None) -> BlockList:
    """Overview 同类比较: distributions (median, quartiles) of like-for-like figures; per
    locality only when small."""
    blocks: list[Any] = [Heading("同类比较", level=2, id="sec-peers")]
    dist = ov.distributions(ds)
    names = indicator_names(ds)
    small = ov.is_small(ds)
    if dist.empty:
        blocks.append(Paragraph(say("overview/peers_none.txt")))
    else:
        labels = [_group_label(names, r) for r in tables.records(dist)]
        shown = dist.head(MAX_DISTRIBUTIONS)
        text = say("overview/peers_intro.txt", groups=_n(len(dist)), shown=_n(len(shown)))
        blocks.append(Paragraph(text))
        blocks.append(
            overview_charts.distributions(shown, labels[: len(shown)], "可比指标在各地区的分布")
        )
        rows = [
            {
                "指标（口径，范围）": label,
                "地区数": _n(int(r["n"])),
                "中位数": f"{format_quantity(r['median'])}{r['unit']}",
                "四分位数": f"{format_quantity(r['q1'])}–{format_quantity(r['q3'])}",
                "最小–最大": f"{format_quantity(r['min'])}–{format_quantity(r['max'])}",
            }
            for label, r in zip(labels, tables.records(dist), strict=True)
        ][: 2 * MAX_ROWS]
        caption = "可比指标的分布" + (
            f"（报告地区最多的{len(rows)}组，共{_n(len(dist))}组）" if len(dist) > len(rows) else ""
        )
        blocks.append(Table(pd.DataFrame(rows), caption, id="tbl-ov-distributions"))
    if small:
        table = an.peers_table(ds)
        if not table.empty:
            blocks.append(Heading("各地数字", level=3, id="sec-ov-peer-rows"))
            blocks += comparison_blocks(ds, table)
    return BlockList(blocks)


# ------------------------------------------------------------------ commitments, quality


@tables.shared_lookups()
def overview_commitments(ds: Dataset, as_of: date | str | None = None) -> BlockList:
    """Overview 承诺事项: counts by status and task; every commitment when small, else a
    bounded list."""
    day = as_of_date(as_of, ds)
    frame = ov.commitments(ds, day)
    blocks: list[Any] = [Heading("承诺事项", level=2, id="sec-commitments")]
    if frame.empty:
        blocks.append(Paragraph(say("overview/commitments_none.txt")))
        return BlockList(blocks)
    counts = frame["status"].value_counts()
    undated = int(frame["due"].map(tables.text).eq("").sum())
    text = say(
        "overview/commitments_intro.txt",
        localities=_n(frame["locality_id"].nunique()),
        count=_n(len(frame)),
        as_of=display.display_date(day.isoformat()),
        undated=_n(undated),
        **{s: _n(int(counts.get(s, 0))) for s in an.COMMITMENT_STATUSES},
    )
    blocks.append(Paragraph(text))
    per_task = _commitment_tasks(ds, frame)
    if per_task:
        blocks.append(Table(pd.DataFrame(per_task), "承诺涉及的任务", id="tbl-ov-commit-tasks"))
    blocks.append(_commitment_list(ds, frame))
    return BlockList(blocks)


def _commitment_tasks(ds: Dataset, frame: pd.DataFrame) -> list[dict[str, str]]:
    """Per national item: commitments, localities making them, overdue ones."""
    national = {t: an.national_tasks_of(ds, t) for t in set(frame["task_id"].map(tables.text))}
    tasks = [national[tables.text(t)] for t in frame["task_id"].tolist()]
    rows = []
    for r in tables.records(an.national_items(ds)):
        mine = frame[[r["task_id"] in t for t in tasks]]
        if len(mine):
            rows.append(
                {
                    "任务/保障": _item_label(ds, r),
                    "承诺": _n(len(mine)),
                    "作出承诺的地区": _n(mine["locality_id"].nunique()),
                    "已逾期": _n(int(mine["status"].eq("overdue").sum())),
                }
            )
    return rows


def _commitment_list(ds: Dataset, frame: pd.DataFrame) -> Table:
    """Every commitment when small; else the first ``MAX_ROWS``, overdue and due first."""
    order = {"overdue": 0, "due": 1, "open": 2}
    ranked = frame.assign(_o=frame["status"].map(order)).sort_values("_o", kind="stable")
    listed = ranked if ov.is_small(ds) else ranked.head(MAX_ROWS)
    loc_names = dict(
        zip(ds.localities["locality_id"].tolist(), ds.localities["name_zh"].tolist(), strict=True)
    )
    rows: list[dict[str, str]] = []
    notes: dict[Any, Any] = {}
    for c in tables.records(listed):
        notes[(len(rows), "承诺")] = cite(ds, c)
        rows.append(
            {
                "地区": loc_names.get(c["locality_id"], c["locality_id"]),
                "承诺": tables.text(c["description_zh"]),
                "期限": display.display_date(c["due"]) or "未给期限",
                "状态": STATUS_ZH[c["status"]],
            }
        )
    caption = "各地承诺"
    if len(listed) < len(frame):
        caption = (
            f"承诺举例（已逾期和本期到期的在前，{len(listed)}/{_n(len(frame))}项；全部见各地报告）"
        )
    return Table(pd.DataFrame(rows), caption, notes=notes, id="tbl-overview-commitments")


@tables.shared_lookups()
def overview_data_quality(ds: Dataset, as_of: date | str | None = None) -> BlockList:
    """Overview 数据质量: counts over every locality; the inconsistencies, bounded when large."""
    counts, bad = ov.quality(ds)
    blocks: list[Any] = [
        Heading("数据质量", level=2, id="sec-data-quality"),
        Paragraph(
            say(
                "overview/quality.txt",
                verified=_n(counts["verified"]),
                records=_n(counts["records"]),
                facts=_n(counts["facts"]),
                qualified=_share_cell(counts["qualified"], counts["facts"]),
                implied=_n(counts["implied"]),
                checks=_n(counts["checks"]),
                inconsistent=_n(counts["inconsistent"]),
                localities=_n(counts["inconsistent_localities"]) if counts["inconsistent"] else "",
            )
        ),
    ]
    if bad.empty:
        blocks.append(Paragraph(say("overview/quality_consistent.txt")))
        return BlockList(blocks)
    shown = list(dict.fromkeys(bad["locality_id"]))
    if not ov.is_small(ds):
        shown = shown[:MAX_ROWS]
        blocks.append(Paragraph(say("overview/quality_listed.txt", shown=len(shown))))
    for lid in shown:
        name = tables.text(tables.locality_row(ds, lid)["name_zh"])
        for b in data_quality(ds, lid, as_of):
            # the section's warnings are its inconsistencies
            if isinstance(b, Callout) and b.kind == "warning":
                blocks.append(Callout("warning", b.spans, title=f"{name}：{b.title}"))
    return BlockList(blocks)


def overview_appendix(ds: Dataset, as_of: date | str | None = None) -> BlockList:
    """Overview 附录: each source (short label, full reference) and the quotes when small;
    else the source documents, or the policies and a count of replies when many."""
    if ov.is_small(ds):
        return all_sources_appendix(ds)
    # every quote of 2,800 localities would run to hundreds of pages
    blocks: list[Any] = [Heading("附录", level=2, id="sec-appendix")]
    if len(ds.sources) <= MAX_SOURCES:
        blocks.append(Paragraph(say("overview/appendix_small.txt")))
        blocks.append(sources_table(ds, ds.sources))
        return BlockList(blocks)
    policies = ds.sources[ds.sources["kind"].isin(ov.POLICY_KINDS)]
    replies = len(ds.sources) - len(policies)
    text = say("overview/appendix_large.txt", sources=_n(len(ds.sources)), replies=_n(replies))
    blocks.append(Paragraph(text))
    blocks.append(sources_table(ds, policies))
    return BlockList(blocks)


def overview_method(ds: Dataset, as_of: date | str | None = None) -> BlockList:
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
            *method_paragraphs(own, labels, example),
        ]
    )


def overview_annex(ds: Dataset, as_of: date | str | None = None) -> BlockList:
    """Overview 技术附注: provenance of the whole data set."""
    return technical_annex(provenance(ds, None))
