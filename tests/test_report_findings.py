"""What a reader meets first, and how sources are cited, read back from the rendered reports.

Reads every locality's report and the overview (rendered once per session,
``rendered_report``): the PDFs page by page (pypdf) and the HTML. Page 1 is title block →
要点 (findings, 存在问题) → contents; a 方法说明与局限 section exists; no page prints a source's
full title more than twice; ids, routes and quote-check counts only appear in the technical
annex at the end.
"""

from __future__ import annotations

import re
import shutil

import pytest
from pypdf import PdfReader

from reportlib import render
from reportlib.analysis.report_date import resolve_as_of
from reportlib.data import dataset

REPORTS = ("huli", "sanmenxia", "suixi", "all")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def rendered(rendered_report):
    out = {}
    for lid in REPORTS:
        result = rendered_report(lid)
        pages = [_squash(p.extract_text() or "") for p in PdfReader(str(result.pdf)).pages]
        out[lid] = (pages, result.html.read_text(encoding="utf-8"))
    return out


@pytest.fixture(scope="module")
def ds(real_data):
    return dataset.load(*real_data)


def _annex_start(pages: list[str]) -> int:
    """Index of the page where the 技术附注 section starts (its heading, not the contents)."""
    for i in range(len(pages) - 1, -1, -1):
        if "技术附注" in pages[i]:
            return i
    raise AssertionError("no 技术附注 section in the PDF")


@pytest.mark.parametrize("lid", REPORTS)
def test_page_one_is_title_then_key_points_then_contents(rendered, lid):
    pages, html = rendered[lid]
    first = pages[0] if lid != "all" else pages[0] + pages[1]  # the overview's 要点 is longer
    title = "中小学人工智能教育"
    order = [first.find(x) for x in (title, "数据截至", "报告日期", "要点", "主要发现")]
    assert -1 not in order and order == sorted(order), order
    assert "存在问题" in first
    assert first.find("存在问题") < first.find("目录")
    # HTML: the 要点 box comes before the contents too
    assert html.find('class="keypoints"') < html.find('<nav class="toc"')
    assert html.count('<nav class="toc"') == 1


def test_sanmenxia_key_points_quote_its_own_shortcomings(rendered):
    first = rendered["sanmenxia"][0][0]
    assert "大部分学校还没有开设人工智能通识课程" in first
    assert "资金极度紧张" in first


@pytest.mark.parametrize("lid", REPORTS)
def test_method_section_says_what_the_sources_are(rendered, lid):
    text = "".join(rendered[lid][0])
    assert "方法说明与局限" in text
    assert "口径可能不同" in text
    assert "自述" in text


@pytest.mark.parametrize("lid", REPORTS)
def test_no_page_prints_a_full_title_more_than_twice(rendered, ds, lid):
    pages, _ = rendered[lid]
    for title in ds.sources["title"]:
        full = _squash(str(title))
        counts = [page.count(full) for page in pages]
        assert max(counts) <= 2, (title, counts)


@pytest.mark.parametrize("lid", ["huli", "sanmenxia", "suixi"])
def test_no_ids_route_or_check_counts_before_the_technical_annex(rendered, ds, lid):
    pages, _ = rendered[lid]
    start = _annex_start(pages)
    body = "".join(pages[:start]) + pages[start].rsplit("技术附注", 1)[0]
    ids = [str(i) for i in ds.facts.loc[ds.facts["locality_id"] == lid, "fact_id"]]
    assert not [i for i in ids if i in body]
    for internal in ("route", "sha256", "条数", "引文核对"):
        assert internal not in body, internal
    annex = "".join(pages[start:])
    assert "sha256" in annex and "route" in annex and ids[0] in annex


@pytest.mark.parametrize("lid", REPORTS)
def test_html_notes_link_to_their_quotes_in_the_appendix(rendered, lid):
    _, html = rendered[lid]
    targets = set(re.findall(r'href="#(q-[0-9a-f]+)"', html))
    anchors = set(re.findall(r'id="(q-[0-9a-f]+)"', html))
    assert targets and targets <= anchors


def test_reader_notes_on_sources_are_printed(rendered, ds):
    text = "".join(rendered["suixi"][0])
    note = ds.sources.loc[ds.sources["source_id"] == "suixi-2025-reply", "reader_note"].iloc[0]
    assert _squash(note) in text


def test_report_date_comes_from_the_localitys_own_sources(tmp_path, real_data, ds):
    data, sources = real_data
    before = {lid: resolve_as_of(ds, None, lid) for lid in ds.locality_ids()}
    assert before["huli"] == "2025-06-04"
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    with (copy / "sources.csv").open("a", encoding="utf-8") as handle:
        handle.write(
            "suixi-2026-reply,濉溪续答,对县政协第99号提案的答复,濉溪县教育局,,2026-03-01,,"
            "proposal_reply,suixi,suixi,,,\n"
        )
    later = dataset.load(copy, sources)
    assert resolve_as_of(later, None, "huli") == before["huli"]
    assert resolve_as_of(later, None, "sanmenxia") == before["sanmenxia"]
    assert resolve_as_of(later, None, "suixi") == "2026-03-01"
    info = render.title_info(later, "huli", resolve_as_of(later, None, "huli"))
    assert dict(info.facts)["数据截至"] == "2025年6月4日"
    assert dict(info.facts)["报告日期"] == "2025年6月4日"


def test_huli_title_block_shows_its_own_date(rendered):
    first = rendered["huli"][0][0]
    assert "数据截至2025年6月4日" in first
    assert "报告日期2025年6月4日" in first


def test_sections_without_a_date_use_the_localitys_own(ds):
    from reportlib.document import sections

    assert "2025年6月4日" in sections.commitments(ds, "huli").to_html()
    assert sections.as_of_date(None, ds, "huli").isoformat() == "2025-06-04"
    # the overview spans every locality: the newest date of all sources
    assert sections.as_of_date(None, ds).isoformat() == resolve_as_of(ds)
