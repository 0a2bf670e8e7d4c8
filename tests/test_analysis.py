"""The analysis layer against small hand-built tables with hand-computed expectations."""

from __future__ import annotations

import math
from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest

from reportlib import analysis
from reportlib.errors import AnalysisError, UnknownLocalityError

FACT_COLUMNS = [
    "fact_id",
    "locality_id",
    "indicator_id",
    "value",
    "value_text",
    "qualifier",
    "unit",
    "as_of",
    "scope",
    "kind",
    "share_of",
    "denominator",
    "source_id",
    "locator",
    "quote",
]


def fact(fid, loc, ind, value, text, unit, qualifier="exact", kind="achievement", **kw):
    row = dict.fromkeys(FACT_COLUMNS, None)
    row.update(
        fact_id=fid,
        locality_id=loc,
        indicator_id=ind,
        value=value,
        value_text=text,
        unit=unit,
        qualifier=qualifier,
        kind=kind,
        scope="全县",
        source_id=f"{loc}-reply",
        locator="x",
        quote=f"q{text}",
    )
    row.update(kw)
    return row


def _framework() -> pd.DataFrame:
    rows = [
        {
            "task_id": f"moe-t{i}",
            "kind": "task",
            "number": i,
            "name_zh": f"任务{i}",
            "maps_to": None,
        }
        for i in range(1, 7)
    ] + [
        {"task_id": f"moe-s{i}", "kind": "safeguard", "number": i, "name_zh": f"保障{i}"}
        for i in range(1, 5)
    ]
    rows.append(
        {"task_id": "henan-t2", "kind": "task", "number": 2, "name_zh": "师资", "maps_to": "moe-t5"}
    )
    # Deliberately out of order: coverage must sort tasks before safeguards by number.
    return pd.DataFrame(rows[::-1])


@pytest.fixture
def three_localities() -> SimpleNamespace:
    """Suixi-, Huli- and Sanmenxia-like figures as the replies print them."""
    localities = pd.DataFrame(
        [
            {"locality_id": "huli", "province": "fujian", "policy_scopes": "national"},
            {"locality_id": "sanmenxia", "province": "henan", "policy_scopes": "national;henan"},
            {"locality_id": "suixi", "province": "anhui", "policy_scopes": ["national"]},
        ]
    )
    indicators = pd.DataFrame(
        [
            {"indicator_id": "schools-total", "task_id": "moe-s1", "normalise": "none"},
            {"indicator_id": "students-total", "task_id": "moe-s1", "normalise": "none"},
            {"indicator_id": "teachers-total", "task_id": "moe-s1", "normalise": "none"},
            {"indicator_id": "cio-schools", "task_id": "moe-s1", "normalise": "none"},
            {"indicator_id": "students-registered", "task_id": "moe-t3", "normalise": "none"},
            {"indicator_id": "teachers-registered", "task_id": "moe-t3", "normalise": "none"},
            {
                "indicator_id": "student-terminals",
                "task_id": "moe-t4",
                "normalise": "per_1000_students",
            },
            {"indicator_id": "teacher-terminals", "task_id": "moe-t4", "normalise": "per_teacher"},
            {"indicator_id": "ai-labs", "task_id": "moe-t4", "normalise": "per_school"},
            {"indicator_id": "smart-schools", "task_id": "moe-t4", "normalise": "none"},
            {"indicator_id": "experimental-schools", "task_id": "moe-t1", "normalise": "none"},
            {"indicator_id": "teachers-trained", "task_id": "henan-t2", "normalise": "none"},
        ]
    )
    facts = pd.DataFrame(
        [
            fact("sx-cio", "suixi", "cio-schools", 307, "307", "所"),
            fact(
                "sx-cio-share",
                "suixi",
                "cio-schools",
                96,
                "96",
                "%",
                share_of="sx-cio",
                denominator="schools-total",
            ),
            fact("sx-stu-reg", "suixi", "students-registered", 132400, "13.24万", "人"),
            fact(
                "sx-stu-reg-share",
                "suixi",
                "students-registered",
                90.5,
                "90.5",
                "%",
                share_of="sx-stu-reg",
                denominator="students-total",
            ),
            fact("sx-stu-term", "suixi", "student-terminals", 27884, "27884", "台"),
            fact(
                "sx-stu-term-share",
                "suixi",
                "student-terminals",
                19,
                "19",
                "%",
                share_of="sx-stu-term",
                denominator="students-total",
            ),
            fact("sx-stu-term-all", "suixi", "student-terminals", 37849, "37849", "台"),
            fact("sx-tea-term", "suixi", "teacher-terminals", 2376, "2376", "台"),
            fact(
                "sx-tea-term-share",
                "suixi",
                "teacher-terminals",
                28,
                "28",
                "%",
                share_of="sx-tea-term",
                denominator="teachers-total",
            ),
            fact("sx-tea-reg", "suixi", "teachers-registered", 11300, "1.13万", "人"),
            fact(
                "sx-tea-reg-share",
                "suixi",
                "teachers-registered",
                100,
                "100",
                "%",
                share_of="sx-tea-reg",
                denominator="teachers-total",
            ),
            fact("sx-ai-labs", "suixi", "ai-labs", 3, "3", "个"),
            fact("hl-stars", "huli", "smart-schools", 34, "34", "所"),
            fact(
                "hl-stars-share",
                "huli",
                "smart-schools",
                90,
                "90",
                "%",
                qualifier="at_least",
                share_of="hl-stars",
                denominator="schools-total",
            ),
            fact("hl-schools", "huli", "schools-total", 40, "40", "所"),
            fact("hl-ai-labs", "huli", "ai-labs", 13, "13", "间"),
            fact("smx-exp", "sanmenxia", "experimental-schools", 7, "7", "所"),
            fact("smx-apply", "sanmenxia", "experimental-schools", 14, "14", "所", kind="plan"),
        ],
        columns=FACT_COLUMNS,
    )
    targets = pd.DataFrame(
        [
            {
                "target_id": "henan-exp-schools",
                "source_id": "henan",
                "scope": "henan",
                "indicator_id": "experimental-schools",
                "description_zh": "实验校",
                "value": 500,
                "qualifier": "exact",
                "unit": "所",
                "period": "once",
                "deadline": "2020-12",
            },
            {
                "target_id": "henan-teachers-trained",
                "source_id": "henan",
                "scope": "henan",
                "indicator_id": "teachers-trained",
                "description_zh": "培训",
                "value": 2000,
                "qualifier": "exact",
                "unit": "人",
                "period": "per_year",
                "deadline": None,
            },
            {
                "target_id": "moe-2030",
                "source_id": "moe",
                "scope": "national",
                "indicator_id": None,
                "description_zh": "普及",
                "value": None,
                "qualifier": "exact",
                "unit": None,
                "period": "once",
                "deadline": "2029",
            },
        ]
    )
    targets = targets.assign(locator="x", quote="q")
    measures = pd.DataFrame(
        [
            {"measure_id": "hl-leading-group", "locality_id": "huli", "task_id": "moe-s2"},
            {"measure_id": "sx-training", "locality_id": "suixi", "task_id": "moe-t5"},
        ]
    )
    commitments = pd.DataFrame(
        [
            {
                "commitment_id": "hl-training",
                "locality_id": "huli",
                "task_id": "moe-t5",
                "due": "2027",
            },
            {
                "commitment_id": "smx-base",
                "locality_id": "sanmenxia",
                "task_id": "henan-t2",
                "due": None,
            },
            {
                "commitment_id": "smx-funds",
                "locality_id": "sanmenxia",
                "task_id": "moe-s2",
                "due": "2025",
            },
            {
                "commitment_id": "smx-old",
                "locality_id": "sanmenxia",
                "task_id": "moe-t1",
                "due": "2024-06",
            },
        ]
    )
    sources = pd.DataFrame(
        [
            {"source_id": "henan", "kind": "provincial_notice", "scope": "henan"},
            {"source_id": "moe", "kind": "national_notice", "scope": "national"},
        ]
    )
    milestones = pd.DataFrame(
        [
            {
                "milestone_id": "plan-2017",
                "scope": "national",
                "date": "2017",
                "kind": "policy",
                "description_zh": "规划",
                "source_id": "moe",
                "locator": "x",
                "quote": "q",
            },
            {
                "milestone_id": "henan-phase-1",
                "scope": "henan",
                "date": "2020-12",
                "kind": "deadline",
                "description_zh": "第一阶段",
                "source_id": "henan",
                "locator": "x",
                "quote": "q",
            },
            {
                "milestone_id": "smx-contest",
                "scope": "sanmenxia",
                "date": "2024-12-28",
                "kind": "contest",
                "description_zh": "大赛",
                "source_id": "smx",
                "locator": "x",
                "quote": "q",
            },
            {
                "milestone_id": "hl-zone",
                "scope": "huli",
                "date": "2019-12",
                "kind": "designation",
                "description_zh": "实验区",
                "source_id": "hl",
                "locator": "x",
                "quote": "q",
            },
        ]
    )
    return SimpleNamespace(
        milestones=milestones,
        localities=localities,
        indicators=indicators,
        facts=facts,
        framework=_framework(),
        targets=targets,
        measures=measures,
        commitments=commitments,
        sources=sources,
    )


def _row(df: pd.DataFrame, **match) -> pd.Series:
    sel = df
    for key, value in match.items():
        sel = sel[sel[key] == value]
    assert len(sel) == 1, f"expected one row for {match}, got {len(sel)}"
    return sel.iloc[0]


# ------------------------------------------------------------------- printed intervals


@pytest.mark.parametrize(
    ("text", "qualifier", "unit", "low", "high"),
    [
        ("13.24万", "exact", "人", 132350, 132450),
        ("90.5", "exact", "%", 90.45, 90.55),
        ("28", "exact", "%", 27.5, 28.5),
        ("307", "exact", "所", 307, 307),
        ("90", "at_least", "%", 89.5, 100),
        ("100", "exact", "%", 99.5, 100),
        ("4000多万", "more_than", "元", 40_000_000, 50_000_000),
        ("14千余", "more_than", "人次", 14_000, 15_000),
        ("718多", "more_than", "人", 718, 719),
        ("200", "at_least", "M", 200, math.inf),
    ],
)
def test_printed_interval_from_rounding_and_qualifier(text, qualifier, unit, low, high):
    got = analysis.printed_interval(text, qualifier, unit)
    assert got == (pytest.approx(low), pytest.approx(high))


def test_printed_interval_rejects_words_with_a_fix():
    with pytest.raises(AnalysisError, match="1.13万"):
        analysis.printed_interval("约一万", "about", "人")


# ------------------------------------------------------------------------ denominators


def test_suixi_schools_implied_by_307_at_96_percent(three_localities):
    implied = analysis.implied_denominators(three_localities, "suixi")
    row = _row(implied, fact_id="sx-cio-share")
    assert row["denominator"] == "schools-total"
    assert row["estimate"] == pytest.approx(307 / 0.96)  # ≈ 319.8
    assert row["low"] == pytest.approx(307 / 0.965)
    assert row["high"] == pytest.approx(307 / 0.955)


def test_suixi_students_registered_and_terminals_agree(three_localities):
    checks = analysis.consistency_checks(three_localities, "suixi")
    row = _row(checks, denominator="students-total")
    assert row["estimate_a"] == pytest.approx(132400 / 0.905)  # ≈ 146,298
    assert row["low_a"] == pytest.approx(132350 / 0.9055)
    assert row["high_a"] == pytest.approx(132450 / 0.9045)
    assert row["estimate_b"] == pytest.approx(27884 / 0.19)  # ≈ 146,758
    assert row["low_b"] == pytest.approx(27884 / 0.195)
    assert row["high_b"] == pytest.approx(27884 / 0.185)
    assert bool(row["consistent"]) is True


def test_suixi_teacher_terminals_disagree_with_registered_teachers(three_localities):
    checks = analysis.consistency_checks(three_localities, "suixi")
    row = _row(checks, denominator="teachers-total")
    assert {row["fact_a"], row["fact_b"]} == {"sx-tea-term-share", "sx-tea-reg-share"}
    assert row["estimate_a"] == pytest.approx(2376 / 0.28)  # ≈ 8,486
    assert row["high_a"] == pytest.approx(2376 / 0.275)  # ≈ 8,640 < 11,250
    assert row["low_b"] == pytest.approx(11250 / 1.0)
    assert bool(row["consistent"]) is False
    flagged = analysis.inconsistencies(three_localities)
    assert list(flagged["denominator"]) == ["teachers-total"]


def test_huli_at_least_90_percent_bounds_the_schools(three_localities):
    row = _row(analysis.implied_denominators(three_localities, "huli"), fact_id="hl-stars-share")
    assert row["low"] == pytest.approx(34.0)
    assert row["high"] == pytest.approx(34 / 0.895)  # ≈ 37.99


def test_denominator_estimates_skip_disputed_wholes(three_localities):
    est = analysis.denominator_estimates(three_localities, "suixi")
    assert "teachers-total" not in est
    estimate, low, high = est["students-total"]
    # Intersection of the two intervals: max of lows, min of highs.
    assert low == pytest.approx(132350 / 0.9055)
    assert high == pytest.approx(132450 / 0.9045)
    assert low <= estimate <= high
    assert est["schools-total"][0] == pytest.approx(307 / 0.96)


def test_normalise_uses_reported_whole_before_implied(three_localities):
    suixi = analysis.normalise(three_localities, "suixi").set_index("fact_id")
    students = analysis.denominator_estimates(three_localities, "suixi")["students-total"][0]
    assert suixi.loc["sx-stu-term-all", "normalised"] == pytest.approx(37849 / students * 1000)
    assert suixi.loc["sx-stu-term-all", "denominator_basis"] == "implied"
    # 27,884 ÷ the whole its own 19% implies would just give back 19%: circular, left out.
    assert "sx-stu-term" not in suixi.index
    # Teachers are disputed, so teacher terminals are not normalised at all.
    assert "sx-tea-term" not in suixi.index
    # Suixi's schools are implied (≈319.8): 3 AI labs are 0.0094 per school, which reads
    # as nothing ("每校0.0094个"), so no per-school rate is given; 13 of Huli's 40 likewise.
    assert "sx-ai-labs" not in suixi.index
    huli = analysis.normalise(three_localities, "huli").set_index("fact_id")
    assert "hl-ai-labs" not in huli.index


# ------------------------------------------------------------------------- coverage


def test_coverage_levels_in_printed_order(three_localities):
    cov = analysis.coverage(three_localities, "suixi")
    assert list(cov["task_id"]) == [f"moe-t{i}" for i in range(1, 7)] + [
        f"moe-s{i}" for i in range(1, 5)
    ]
    levels = cov.set_index("task_id")["level"]
    assert levels["moe-t4"] == "quantified"
    assert levels["moe-t5"] == "described"
    assert levels["moe-t6"] == "none"
    huli = analysis.coverage(three_localities, "huli").set_index("task_id")
    assert huli.loc["moe-s2", "level"] == "described"
    assert huli.loc["moe-t5", "level"] == "planned"
    assert huli.loc["moe-t5", "evidence_ids"] == ["hl-training"]


def test_provincial_items_count_for_their_national_task(three_localities):
    smx = analysis.coverage(three_localities, "sanmenxia").set_index("task_id")
    assert smx.loc["moe-t5", "level"] == "planned"  # via henan-t2 → moe-t5
    assert smx.loc["moe-t1", "level"] == "quantified"


def test_coverage_matrix_shape_and_counts(three_localities):
    matrix = analysis.coverage_matrix(three_localities)
    assert list(matrix.index) == ["huli", "sanmenxia", "suixi"]
    assert matrix.shape == (3, 10)
    counts = analysis.coverage_counts(three_localities, "suixi")
    assert sum(counts.values()) == 10
    assert counts["quantified"] == int((matrix.loc["suixi"] == "quantified").sum())


def test_unknown_locality_lists_known_ones(three_localities):
    with pytest.raises(UnknownLocalityError, match="huli"):
        analysis.coverage(three_localities, "xiamen")


# -------------------------------------------------------------- targets, commitments


def test_target_progress_only_for_applicable_scopes(three_localities):
    smx = analysis.target_progress(three_localities, "sanmenxia").set_index("target_id")
    assert list(smx.index) == ["henan-exp-schools", "henan-teachers-trained"]
    assert smx.loc["henan-exp-schools", "reported"] == 7
    assert smx.loc["henan-exp-schools", "share"] == pytest.approx(7 / 500)
    assert smx.loc["henan-exp-schools", "pending"] == 14
    assert math.isnan(smx.loc["henan-teachers-trained", "reported"])
    assert analysis.target_progress(three_localities, "suixi").empty
    assert analysis.provincial_sources(three_localities, "suixi").empty
    assert list(analysis.provincial_sources(three_localities, "sanmenxia")["source_id"]) == [
        "henan"
    ]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2025, 6, 30), {"smx-base": "open", "smx-funds": "due", "smx-old": "overdue"}),
        (date(2024, 1, 1), {"smx-base": "open", "smx-funds": "open", "smx-old": "open"}),
        (date(2026, 1, 1), {"smx-base": "open", "smx-funds": "overdue", "smx-old": "overdue"}),
    ],
)
def test_commitment_status_against_as_of(three_localities, as_of, expected):
    status = analysis.commitment_status(three_localities, "sanmenxia", as_of)
    assert dict(zip(status["commitment_id"], status["status"], strict=True)) == expected


def test_headline_and_peers(three_localities):
    heads = analysis.headline_figures(three_localities, "suixi", n=3)
    assert len(heads) == 3
    assert "%" not in set(heads["unit"])
    peers = analysis.peers_table(three_localities)
    # ai-labs is the only indicator two localities report as an achievement.
    assert set(peers["indicator_id"]) == {"ai-labs"}
    # 3 labs (个) and 13 classrooms (间): units differ, so they are listed, not compared
    assert not peers["comparable"].any()
    assert set(peers["differs"]) == {"unit"}
    # 13 labs for 40 schools is 0.33 a school: not a rate that reads naturally
    assert peers.set_index("locality_id")["normalised"].isna().all()


def test_timeline_events_of_applicable_scopes_without_duplicate_deadlines(three_localities):
    three_localities.targets.loc[0, "deadline"] = "2020-12"  # same as the phase milestone
    events = analysis.timeline_events(three_localities, "sanmenxia")
    assert list(events["event_id"]) == ["plan-2017", "henan-phase-1", "smx-contest", "moe-2030"]
    assert list(events["lane"]) == ["policy", "policy", "local", "policy"]
    assert "hl-zone" not in set(events["event_id"])
    huli = analysis.timeline_events(three_localities, "huli")
    assert "henan-phase-1" not in set(huli["event_id"])


def test_programme_facts_are_provincial_indicators_without_a_target(three_localities):
    extra = pd.DataFrame(
        [fact("smx-applicants", "sanmenxia", "henan-applicants", 14, "14", "所")],
        columns=FACT_COLUMNS,
    )
    three_localities.facts = pd.concat([three_localities.facts, extra], ignore_index=True)
    got = analysis.programme_facts(three_localities, "sanmenxia")
    assert list(got["fact_id"]) == ["smx-applicants"]
    assert analysis.programme_facts(three_localities, "suixi").empty


def test_headline_figures_follow_the_analysts_pick(real_data) -> None:
    from reportlib.data import dataset as facts_mod

    ds = facts_mod.load(*real_data)
    marked = ds.facts[(ds.facts["locality_id"] == "suixi") & ds.facts["headline"]]
    assert len(marked) >= 3, "suixi's headline figures are picked in facts.csv"
    picked = analysis.headline_figures(ds, "suixi")
    assert list(picked["fact_id"]) == list(marked["fact_id"])[:4]
    # no pick for huli: the heuristic still yields achievement counts
    huli = analysis.headline_figures(ds, "huli")
    assert len(huli) > 0 and set(huli["kind"]) == {"achievement"}


def test_national_items_sort_as_sort_values_would(three_localities) -> None:
    fw = three_localities.framework
    odd = pd.DataFrame(
        [
            {"task_id": "moe-x1", "kind": "goal", "number": 1, "name_zh": "目标"},
            {"task_id": "moe-t0", "kind": "task", "number": None, "name_zh": "无序号"},
        ]
    )
    fw = pd.concat([odd, fw], ignore_index=True)
    fw["number"] = fw["number"].astype("Int64")
    three_localities.framework = fw
    got = analysis.national_items(three_localities)
    moe = fw[fw["task_id"].str.startswith("moe-")]
    order = moe.assign(k=moe["kind"].map({"task": 0, "safeguard": 1}))
    expected = order.sort_values(["k", "number"], kind="stable").drop(columns="k")
    pd.testing.assert_frame_equal(got, expected.reset_index(drop=True))
    assert list(got["task_id"])[-2:] == ["moe-s4", "moe-x1"]  # unknown kind last
    assert list(got["task_id"])[6] == "moe-t0"  # missing number last among tasks


def test_coverage_rows_of_many_localities_as_coverage_gives_each(three_localities) -> None:
    many = analysis.coverage_rows(three_localities, ["huli", "suixi", "huli"])
    assert set(many) == {"huli", "suixi"}
    for lid in ("huli", "suixi"):
        one = analysis.coverage(three_localities, lid)
        pd.testing.assert_frame_equal(pd.DataFrame(many[lid], columns=one.columns), one)
