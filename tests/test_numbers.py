"""Printed Chinese numbers: value, rounding step and 多/余 marker."""

from __future__ import annotations

import pytest

from reportlib.data.numbers import parse_number, try_parse_number
from reportlib.errors import NumberFormatError, ReportlibError


@pytest.mark.parametrize(
    ("text", "value", "step", "marker"),
    [
        ("1.13万", 11_300, 100, None),
        ("4000多万", 40_000_000, 10_000, "多"),
        ("14千余", 14_000, 1_000, "余"),
        ("5031.87万", 50_318_700, 100, None),
        ("13.24万", 132_400, 100, None),
        ("90", 90, 1, None),
        ("96", 96, 1, None),
        ("90.5", 90.5, 0.1, None),
        ("1621477", 1_621_477, 1, None),
        ("718多", 718, 1, "多"),
        ("2.5亿", 250_000_000, 10_000_000, None),
        ("3亿余", 300_000_000, 100_000_000, "余"),
        ("0.5", 0.5, 0.1, None),
        ("1,621,477", 1_621_477, 1, None),
        ("１．５万", 15_000, 1_000, None),
        ("1万亿", 1_000_000_000_000, 1_000_000_000_000, None),
    ],
)
def test_parse_number_gives_value_step_and_marker(text, value, step, marker):
    parsed = parse_number(text)
    assert parsed.value == pytest.approx(value)
    assert parsed.step == pytest.approx(step)
    assert parsed.marker == marker
    assert parsed.text == text


def test_tolerance_is_half_the_last_printed_digit():
    assert parse_number("1.13万").tolerance == 50
    assert parse_number("90.5").tolerance == pytest.approx(0.05)


def test_trailing_zero_after_the_point_narrows_the_step():
    assert parse_number("1.10万").step == 100
    assert parse_number("1.1万").step == 1_000


@pytest.mark.parametrize(
    "text", ["", "万", "90%", "约90", "1.2.3", "12个", "多12", "12多余", "abc", "1 万", "1.万"]
)
def test_parse_number_rejects_text_that_is_not_a_printed_number(text):
    with pytest.raises(NumberFormatError, match="printed number") as info:
        parse_number(text)
    assert isinstance(info.value, ReportlibError)
    assert isinstance(info.value, ValueError)
    assert try_parse_number(text) is None


def test_parse_number_rejects_non_text():
    with pytest.raises(NumberFormatError):
        parse_number(12)  # type: ignore[arg-type]
