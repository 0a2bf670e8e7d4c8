"""document/display.py: figures and dates as a Chinese reader expects them."""

from __future__ import annotations

import math

import pytest

from reportlib.document import display


@pytest.mark.parametrize(
    ("text", "qualifier", "unit", "quote", "shown"),
    [
        ("4000多万", "more_than", "元", "投入了4000多万建设", "4000多万元"),
        ("16", "at_least", "课时", "确保每学期不少于16课时", "不少于16课时"),
        ("90", "at_least", "%", "达标率占公办校90%以上", "90%以上"),
        ("200", "at_least", "M", "乡村学校带宽不低于200M", "不低于200M"),
        ("1.13万", "exact", "人", "", "1.13万人"),
    ],
)
def test_display_value_reads_like_the_source(text, qualifier, unit, quote, shown):
    assert display.display_value(text, qualifier, unit, quote) == shown


@pytest.mark.parametrize(
    ("partial", "shown"),
    [
        ("2025-06-04", "2025年6月4日"),
        ("2024-11", "2024年11月"),
        ("2019", "2019年"),
        ("2022/2024", "2022年至2024年"),
        (None, ""),
        (math.nan, ""),
        ("2030年前", "2030年前"),  # not a partial date: shown as it is
    ],
)
def test_display_date(partial, shown):
    assert display.display_date(partial) == shown


def test_computed_numbers_read_with_three_figures():
    assert display.format_significant(258.66) == "259"
    assert display.format_significant(25.86) == "25.9"
    assert display.format_significant(2.1634) == "2.16"
    assert display.format_significant(0.00943) == "0.0094"
    assert display.format_significant(math.nan) == "—"


def test_computed_wholes_read_in_wan():
    assert display.format_number(146298.3) == "14.6万"
