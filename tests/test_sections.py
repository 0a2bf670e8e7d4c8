"""The section builders on the project's data: every section, the headings, the key statements."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import pytest

from reportlib import analysis as an
from reportlib.data import dataset
from reportlib.document import sections
from reportlib.document.blocks import Callout, Heading, Paragraph, Table
from reportlib.document.charts.style import Figure

AS_OF = date(2025, 9, 1)
LOCALITIES = ("huli", "sanmenxia", "suixi")


@pytest.fixture(scope="module")
def ds(real_data):
    return dataset.load(*real_data)


@pytest.fixture(scope="module")
def reports(ds):
    """Each locality's sections, built once for the module."""
    return {
        lid: {fn.__name__: fn(ds, lid, AS_OF) for fn in sections.LOCALITY_SECTIONS}
        for lid in LOCALITIES
    }


def _text(blocks) -> str:
    """Visible HTML text of the blocks (tags and inline SVG removed, entities kept)."""
    html = blocks.to_html()
    html = re.sub(r"<svg\b.*?</svg>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize("lid", LOCALITIES)
def test_every_locality_gets_every_heading_in_order(reports, lid):
    headings = [
        b.text
        for blocks in reports[lid].values()
        for b in blocks
        if isinstance(b, Heading) and b.level == 2
    ]
    assert headings == list(sections.SECTION_TITLES.values())
    assert headings[0] == "要点" and "方法说明与局限" in headings


@pytest.mark.parametrize("lid", LOCALITIES)
def test_every_chart_has_caption_alt_and_a_sentence_before_it(reports, lid):
    for blocks in reports[lid].values():
        items = list(blocks)
        for i, block in enumerate(items):
            if isinstance(block, Figure):
                assert block.caption and block.alt
                # a reader (and a screen reader) is told what the chart shows before it
                assert isinstance(items[i - 1], Paragraph) and _text(items[i - 1]).strip()


def test_suixi_28_percent_keeps_its_unstated_whole_empty(reports, ds):
    # "教师移动终端2376台(占比28%)" does not say of what: no whole is assumed, so nothing
    # is checked against the teachers registered, and no warning is raised
    dq = reports["suixi"]["data_quality"]
    assert not [b for b in dq if isinstance(b, Callout) and b.kind == "warning"]
    implied = an.implied_denominators(ds, "suixi").set_index("fact_id")
    assert implied.loc["suixi-teacher-mobile-terminals-share", "denominator"] == ""
    assert "原文未说明的总数" in _text(dq)
    assert "教师数不一致" not in _text(dq)
    # 19% of students' terminals names no whole either: no pair is left to check
    assert an.consistency_checks(ds, "suixi").empty


def test_sanmenxia_policy_shows_henan_targets(reports, ds):
    text = _text(reports["sanmenxia"]["policy"])
    assert "河南省教育厅关于推进中小学人工智能教育的通知" in text
    for t in ds.targets[ds.targets["scope"] == "henan"].itertuples():
        assert t.description_zh in text


@pytest.mark.parametrize(("lid", "province"), [("huli", "福建省"), ("suixi", "安徽省")])
def test_no_provincial_targets_is_said_plainly(reports, lid, province):
    text = _text(reports[lid]["policy"])
    assert f"数据中没有{province}的省级文件" in text
    assert "河南" not in text


def test_sanmenxia_targets_show_progress_and_the_applicants(reports, ds):
    text = _text(reports["sanmenxia"]["targets"])
    progress = an.target_progress(ds, "sanmenxia")
    done = progress.dropna(subset=["share"])
    assert len(done) >= 1
    for r in done.itertuples():
        assert f"{r.share * 100:.1f}%" in text
    assert "无数据" in text  # teachers trained per year: nothing reported
    for f in an.programme_facts(ds, "sanmenxia").itertuples():
        assert f.value_text in text


def test_commitment_status_counts_in_summary_match_table(reports, ds):
    status = an.commitment_status(ds, "huli", AS_OF)
    summary = _text(reports["huli"]["summary"])
    assert f"答复作出{len(status)}项承诺" in summary
    table = next(b for b in reports["huli"]["commitments"] if isinstance(b, Table))
    assert len(table.rows) == len(status)


def test_a_table_from_one_source_gets_one_source_line(reports, ds):
    # every key figure comes from the reply: one 资料来源 line, not a note per row
    table = next(b for b in reports["suixi"]["key_figures"] if isinstance(b, Table))
    assert not table.cell_notes
    assert table.source.startswith("〔濉溪答复〕")
    assert "资料来源：〔濉溪答复〕" in _text(table)
    assert "table-source" in table.to_typst()


def test_notes_carry_the_short_label_and_locator_and_link_to_the_quote(reports, ds):
    html = "".join(b.to_html() for blocks in reports["huli"].values() for b in blocks)
    targets = set(re.findall(r'href="#(q-[0-9a-f]+)"', html))
    anchors = set(re.findall(r'id="(q-[0-9a-f]+)"', html))
    assert targets and targets <= anchors
    assert "〔湖里答复〕" in html
    note = sections.cite(ds, ds.facts[ds.facts["locality_id"] == "huli"].iloc[0])
    assert note.startswith("〔湖里答复〕") and "“" not in note


def test_unknown_locality_is_refused(ds):
    from reportlib.errors import UnknownLocalityError

    with pytest.raises(UnknownLocalityError):
        sections.summary(ds, "xiamen", AS_OF)


def test_overview_sections(ds):
    blocks = [
        fn(ds, AS_OF)
        for fn in (
            sections.overview_summary,
            sections.overview_scorecard,
            sections.overview_peers,
            sections.overview_commitments,
            sections.overview_data_quality,
            sections.overview_method,
            sections.overview_appendix,
            sections.overview_annex,
        )
    ]
    text = "".join(_text(b) for b in blocks)
    for name in ds.localities["name_zh"]:
        assert name in text
    assert "没有发现不一致" in text
    assert "有量化证据" in text and "一般信息化" in text


def test_sections_read_a_table_changed_in_place_between_calls(ds):
    # sections share row lookups within one call only: a notebook may edit a table
    changed = dataclasses.replace(ds, facts=ds.facts.copy())
    before = _text(sections.appendix(changed, "huli", AS_OF))
    first = changed.facts.index[changed.facts["locality_id"] == "huli"][0]
    changed.facts.loc[first, "quote"] = "改过的引文"
    assert "改过的引文" not in before
    assert "改过的引文" in _text(sections.appendix(changed, "huli", AS_OF))


@pytest.mark.usefixtures("real_data")
def test_a_source_label_edited_in_place_shows_in_the_next_citation() -> None:
    from reportlib.document import sections

    mine = dataset.load()  # its own copy: the edit stays here
    first = sections.source_label(mine, mine.sources["source_id"].iloc[0])
    mine.sources.loc[0, "short_label"] = "改过的简称"
    second = sections.source_label(mine, mine.sources["source_id"].iloc[0])
    assert second != first and second == "〔改过的简称〕"
    mine.sources.loc[0, "short_label"] = None  # no label: the full title
    assert sections.source_label(mine, mine.sources["source_id"].iloc[0]).startswith("《")
