"""What the reports compare and how they read the figures (issue #10, items 2, 3 and 6).

Analysis outputs are checked against values worked out by hand from the replies; the
rendered PDFs (pypdf) and HTML of all four reports are checked for what a reader sees.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from reportlib import analysis as an
from reportlib.data import dataset, tables
from reportlib.data.numbers import format_printed, format_quantity
from reportlib.document import display, sections

REPORTS = ("huli", "sanmenxia", "suixi", "all")


@pytest.fixture(scope="module")
def ds(real_data):
    return dataset.load(*real_data)


def _facts(ds) -> dict:
    return {f["fact_id"]: f for f in tables.records(ds.facts)}


# ------------------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    ("printed", "shown"),
    [
        ("14千余", "1.4万余"),
        ("4000多万", "4000多万"),
        ("1621477", "162.1万"),
        ("5031.87万", "5031.87万"),
        ("37849", "37849"),
        ("3千", "3000"),
        ("40,000", "40000"),
    ],
)
def test_printed_figures_follow_gbt_15835(printed, shown):
    assert format_printed(printed) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(40_000_000, "4000万"), (1_621_477, "162.1万"), (37849, "37849"), (258.71, "258.7")],
)
def test_computed_numbers_have_no_thousands_separators(value, shown):
    assert format_quantity(value) == shown
    assert display.format_number(value) == shown


# ----------------------------------------------------------------------- reading figures


def test_suixi_14_thousand_are_people_printed_in_wan(ds):
    fact = _facts(ds)["suixi-teacher-training-participants"]
    assert fact["unit"] == "人" and fact["basis"] == "cumulative"
    assert fact["indicator_id"] != "teacher-training-person-times"
    assert sections.fact_display(fact) == "1.4万余人"
    assert sections.fact_when(fact) == "截至2025年7月累计"


def test_relative_periods_and_undated_designations(ds):
    by_id = _facts(ds)
    research = by_id["suixi-teachers-in-research-projects"]
    assert research["period_text"] == "近三年"
    assert sections.fact_when(research) == "近三年（约2022年至2024年）"
    # the text dates neither Henan's first batch nor Lushi's designation
    for fid in (
        "sanmenxia-first-batch-experimental-schools",
        "sanmenxia-lushi-experimental-district",
    ):
        assert tables.blank(by_id[fid]["as_of"])
        assert sections.fact_when(by_id[fid]) == "原文未注明"


def test_suixi_28_percent_has_no_assumed_whole(ds):
    assert tables.blank(_facts(ds)["suixi-teacher-mobile-terminals-share"]["denominator"])
    implied = an.implied_denominators(ds, "suixi").set_index("fact_id")
    assert implied.loc["suixi-teacher-mobile-terminals-share", "denominator"] == ""
    assert an.inconsistencies(ds, "suixi").empty  # so nothing is checked against teachers


def test_2030_goal_keeps_its_wording_and_year(ds):
    events = an.timeline_events(ds, "suixi").set_index("event_id")
    goal = events.loc["moe-universal-ai-education-2030"]
    assert goal["date"] == "2030" and goal["date_text"] == "2030年前"
    assert goal["start"].year == 2030
    text = sections.policy(ds, "suixi").to_html()
    assert "（期限：2030年前）" in text and "2029" not in text


def test_no_fractional_schools_nor_unreadable_rates(ds):
    # Huli: 34 schools are "90%以上" of its public schools → 34 to 37 schools, not 37.8
    implied = an.implied_denominators(ds, "huli").iloc[0]
    assert implied["estimate"] == pytest.approx(34 / 0.9)
    assert an.whole_count(implied["estimate"], implied["low"], implied["high"]) == 37
    # Suixi: 690 labs over 307/0.96 ≈ 319.8 schools = 2.16 a school; 3 AI labs (0.0094) none
    norm = an.normalise(ds, "suixi").set_index("fact_id")
    assert norm.loc["suixi-computer-labs", "normalised"] == pytest.approx(690 / (307 / 0.96))
    assert "suixi-ai-labs" not in norm.index
    assert "suixi-recording-classrooms" not in norm.index  # 57 / 319.8 = 0.18


def test_basis_is_validated(minimal_data, minimal_sources, edit_cell):
    edit_cell(minimal_data / "facts.csv", 0, "basis", "yearly")
    problems = dataset.validate(minimal_data, minimal_sources)
    assert [(p.file, p.line, p.field) for p in problems] == [("facts.csv", 2, "basis")]
    assert "stock, cumulative, per_year, period, event, rate" in problems[0].expected


def test_a_period_basis_needs_a_period(minimal_data, minimal_sources, edit_cell):
    edit_cell(minimal_data / "facts.csv", 0, "basis", "period")  # as_of is 2025-06
    problems = dataset.validate(minimal_data, minimal_sources)
    assert [(p.file, p.line, p.field) for p in problems] == [("facts.csv", 2, "basis")]
    assert "START/END" in problems[0].expected


def test_basis_must_match_the_quote(minimal_data, minimal_sources, edit_cell):
    # demo-investment's quote reads 累计投入资金4000多万元: a cumulative total
    edit_cell(minimal_data / "facts.csv", 1, "basis", "stock")
    problems = dataset.validate(minimal_data, minimal_sources)
    assert [(p.file, p.line, p.field) for p in problems] == [("facts.csv", 3, "basis")]
    assert "累计 → cumulative" in problems[0].expected


# -------------------------------------------------------------------------------- coverage


def test_general_it_figures_are_not_ai_evidence(ds):
    suixi = an.coverage(ds, "suixi").set_index("task_id")
    # 286 teachers in ICT research projects: general IT, so 教学与评价 is only described
    assert suixi.loc["moe-t2", "level"] == "described"
    assert "suixi-teachers-in-research-projects" in suixi.loc["moe-t2", "general_ids"]
    assert "suixi-teachers-in-research-projects" not in suixi.loc["moe-t2", "evidence_ids"]
    # platform registration rates: general IT; nothing AI-specific on 教学资源
    assert suixi.loc["moe-t3", "level"] == "none"
    assert suixi.loc["moe-t3", "general_level"] == "quantified"
    # 3 AI labs are AI-specific
    assert suixi.loc["moe-t4", "level"] == "quantified"


def test_sanmenxia_funding_is_described_not_quantified(ds):
    # 10万元 once, for 4 schools, "在资金极度紧张的条件下": an action, not a funding level
    s2 = an.coverage(ds, "sanmenxia").set_index("task_id").loc["moe-s2"]
    assert s2["level"] == "described"
    assert s2["evidence_ids"][0] == "sanmenxia-course-funding"


def test_no_cross_locality_ranking(ds):
    for lid in ("huli", "sanmenxia", "suixi"):
        text = sections.peers(ds, lid).to_html()
        assert "有量化证据的国家任务和保障措施数" not in text


# ---------------------------------------------------------------------------------- peers


def test_peers_compare_only_like_with_like(ds):
    table = an.peers_table(ds, ["huli", "sanmenxia", "suixi"])
    pairs = table.set_index("fact_id")
    # 10万元 (one allocation, 直属学校) vs 4000多万 (cumulative, 全区): listed, not compared
    assert not pairs.loc["sanmenxia-ai-course-funding", "comparable"]
    assert not pairs.loc["huli-ai-classroom-investment", "comparable"]
    assert pairs.loc["huli-ai-classroom-investment", "differs"] == "basis;scope_class"
    # Suixi's people and Huli's person-times are different indicators: never side by side
    assert "suixi-teacher-training-participants" not in pairs.index
    assert not table["comparable"].any()


def test_scope_class():
    assert an.scope_class("全区") == "whole"
    assert an.scope_class("直属学校") == "part"
    assert an.scope_class("试点校") == "part"


def test_quota_targets_are_shares_not_progress(ds):
    progress = an.target_progress(ds, "sanmenxia").set_index("target_id")
    assert progress["quota"].all()
    assert progress.loc["henan-experimental-schools", "share"] == pytest.approx(7 / 500)
    blocks = sections.targets(ds, "sanmenxia")
    assert not [b for b in blocks if type(b).__name__ == "Figure"]
    assert "占河南省目标的份额" in blocks.to_html()


# ------------------------------------------------------------------------ rendered reports


@pytest.fixture(scope="module")
def rendered(rendered_report) -> dict[str, tuple[str, str]]:
    """(PDF text, HTML text) of each report, whitespace removed, rendered once per session."""
    out = {}
    for lid in REPORTS:
        result = rendered_report(lid)
        pdf = "".join(p.extract_text() or "" for p in PdfReader(str(result.pdf)).pages)
        html = Path(result.html).read_text(encoding="utf-8")
        html = re.sub(r"<(style|script)\b.*?</\1>", "", html, flags=re.S)
        html = re.sub(r"<[^>]+>", "", html)
        out[lid] = (re.sub(r"\s+", "", pdf), re.sub(r"\s+", "", html))
    return out


@pytest.mark.parametrize("lid", REPORTS)
def test_no_misread_or_unformatted_figure_in_any_report(rendered, lid):
    for text in rendered[lid]:
        for bad in ("2029年底", "37.8所", "0.0094", "40,000,000", "对标评分"):
            assert bad not in text, (lid, bad)
        assert not re.search(r"\d,\d{3}(?!\d)", text), lid  # no thousands separators


def test_suixi_prints_people_not_person_times(rendered):
    for text in rendered["suixi"]:
        assert "1.4万余人" in text
        assert "人次" not in text


def test_huli_peers_pair_no_unlike_figures(rendered):
    pdf, html = rendered["huli"]
    for text in (pdf, html):
        peers = text[text.rindex("同类比较") : text.rindex("数据质量")]
        assert "1.4万余" not in peers and "5096" not in peers
        assert "同类指标比较" not in peers  # no chart: nothing is like-for-like
        assert "口径不同" in peers and "统计范围不同" in peers


@pytest.mark.parametrize("lid", ["huli", "sanmenxia", "suixi"])
def test_coverage_section_in_words_with_general_it_apart(rendered, lid):
    for text in rendered[lid]:
        assert "国家通知任务覆盖情况" in text
        assert "有文字描述" in text
        assert "2030年前" in text
    if lid == "suixi":
        assert all("一般教育信息化" in text for text in rendered[lid])


def test_overview_matrix_in_words(rendered):
    for text in rendered["all"]:
        assert "另有一般信息化数据" in text
        assert "有量化证据" in text
