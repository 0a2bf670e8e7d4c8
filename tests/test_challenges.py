"""challenges.csv (what a reply says is lacking or hard) and sources' short labels: validated
like every other quoted table, and shown in the 要点."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportlib.data.dataset import load, validate
from reportlib.document import sections
from reportlib.errors import Problem

HEADER = "challenge_id,locality_id,topic,summary_zh,source_id,locator,quote\n"
GOOD = "demo-funds,demo-town,经费,示范,demo-reply,一、基础建设,累计投入资金4000多万元\n"


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def _write(data: Path, *rows: str) -> None:
    (data / "challenges.csv").write_text(HEADER + "".join(rows), encoding="utf-8")


def test_a_quoted_challenge_is_valid(minimal_data, minimal_sources):
    _write(minimal_data, GOOD)
    assert validate(minimal_data, minimal_sources) == []
    ds = load(minimal_data, minimal_sources)
    assert ds.challenges["quote_verified"].tolist() == [True]


@pytest.mark.parametrize(
    ("row", "field", "expected"),
    [
        (GOOD.replace("4000多万元", "5000多万元"), "quote", "verbatim"),
        (GOOD.replace("demo-town", "mars-town"), "locality_id", "a locality_id"),
        (GOOD.replace("demo-reply", "no-such"), "source_id", "a source_id from sources.csv"),
        (GOOD.replace(",经费,", ",,"), "topic", "may not be empty"),
        (GOOD.replace("示范", "联系电话：0561-1234567"), "summary_zh", "personal"),
    ],
    ids=["quote not in source", "unknown locality", "unknown source", "empty topic", "phone"],
)
def test_a_bad_challenge_names_file_line_field(minimal_data, minimal_sources, row, field, expected):
    _write(minimal_data, row)
    problem = only(validate(minimal_data, minimal_sources))
    assert (problem.file, problem.line, problem.field) == ("challenges.csv", 2, field)
    assert expected in problem.expected


def test_missing_challenges_file_is_a_problem(minimal_data, minimal_sources):
    (minimal_data / "challenges.csv").unlink()
    assert only(validate(minimal_data, minimal_sources)).file == "challenges.csv"


def test_real_challenges_are_quoted_from_each_reply(real_data):
    ds = load(*real_data)
    assert ds.challenges["quote_verified"].all()
    assert set(ds.challenges["locality_id"]) == set(ds.locality_ids())
    for c in ds.challenges.itertuples():
        reply = ds.sources.loc[ds.sources["source_id"] == c.source_id].iloc[0]
        assert reply["locality_id"] == c.locality_id  # a reply speaks for its own locality


def test_key_points_list_the_challenges_with_notes(real_data):
    ds = load(*real_data)
    text = sections.summary(ds, "huli").to_html()
    for summary in ds.challenges.loc[ds.challenges["locality_id"] == "huli", "summary_zh"]:
        assert summary in text
    assert "存在问题（答复自述）" in text


def test_key_points_say_so_when_a_reply_names_no_problem(minimal_data, minimal_sources):
    ds = load(minimal_data, minimal_sources)
    text = sections.summary(ds, "demo-town").to_html()
    assert "答复没有述及存在的问题" in text


def test_every_real_source_has_a_short_label(real_data):
    ds = load(*real_data)
    labels = ds.sources["short_label"].tolist()
    assert all(labels) and len(set(labels)) == len(labels)
