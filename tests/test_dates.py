"""data/dates.py: the one reader of partial dates, as the schema, analysis and render use it."""

from __future__ import annotations

from datetime import date

import pytest

from reportlib.data import dates


@pytest.mark.parametrize(
    ("text", "first", "last", "precision"),
    [
        ("2025", date(2025, 1, 1), date(2025, 12, 31), "year"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "month"),
        ("2025-02", date(2025, 2, 1), date(2025, 2, 28), "month"),
        ("2025-06-04", date(2025, 6, 4), date(2025, 6, 4), "day"),
    ],
)
def test_a_partial_date_covers_its_year_month_or_day(text, first, last, precision):
    assert dates.start(text) == first
    assert dates.end(text) == last
    assert dates.precision(text) == precision
    assert dates.period_bounds(text) == (first, last)


@pytest.mark.parametrize(
    "text", ["", "25", "2025-6", "2025-00", "2025-13", "2025-02-29", "2025/06", "2025年", " 2025"]
)
def test_what_is_not_a_partial_date(text):
    assert dates.parse(text) is None
    assert dates.start(text) is None and dates.end(text) is None
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        dates.period_bounds(text)


def test_a_period_runs_from_its_start_to_the_end_of_its_end():
    assert dates.period_bounds("2022/2024") == (date(2022, 1, 1), date(2024, 12, 31))
    assert dates.period_bounds("2024-09/2025-06") == (date(2024, 9, 1), date(2025, 6, 30))
    assert dates.is_period("2022/2024") and dates.is_period("2024-11")
    assert not dates.is_period("2024/2022")
    assert not dates.is_period("2022/2024-13")


def test_parts_are_what_the_date_gives():
    assert dates.parse("2024-11").parts == (2024, 11)
    assert dates.parse("2019").parts == (2019,)


def test_a_report_date_is_a_full_day() -> None:
    from reportlib.data.dates import day

    assert day("2025-08-31").isoformat() == "2025-08-31"
    for text in ("2025-08", "2025-02-30", "31/08/2025", ""):
        with pytest.raises(ValueError, match="YYYY-MM-DD"):
            day(text)
