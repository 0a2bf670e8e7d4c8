"""Parse numbers as Chinese documents print them: ``1.13万``, ``4000多万``, ``14千余``, ``90.5``.

A printed number carries more than its value: the position of its last printed digit tells
how precisely it was given (``1.13万`` is exact to the hundred, ``96`` to the unit), and a
多/余 marker makes it a lower bound. Validation compares ``value`` with the parse of
``value_text``; analysis uses ``step / 2`` as the rounding tolerance.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from reportlib.errors import NumberFormatError

#: Multipliers that may follow the digits; several may be stacked (``万亿`` = 10**12).
MULTIPLIERS: dict[str, int] = {"十": 10, "百": 100, "千": 1_000, "万": 10_000, "亿": 100_000_000}
#: Markers meaning "more than" the printed figure.
MARKERS: tuple[str, ...] = ("多", "余")

_MULT_CHARS = "".join(MULTIPLIERS)
_MARK_CHARS = "".join(MARKERS)
_PATTERN = re.compile(
    rf"""
    (?P<sign>[-+])?
    (?P<digits>\d{{1,3}}(?:,\d{{3}})+|\d+)   # thousands separators are printed sometimes
    (?P<fraction>\.\d+)?
    (?P<marker1>[{_MARK_CHARS}])?            # 4000多万: marker before the multiplier
    (?P<mult>[{_MULT_CHARS}]*)
    (?P<marker2>[{_MARK_CHARS}])?            # 14千余: marker after it
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class PrintedNumber:
    """A parsed printed number.

    ``value`` is in base units; ``step`` is the base-unit size of the last printed digit
    (``1.13万`` → 100); ``marker`` is ``多``/``余`` when the text says "more than", else None.
    """

    text: str
    value: float
    step: float
    marker: str | None

    @property
    def tolerance(self) -> float:
        """Half the last printed digit: how far the true figure may be from ``value``."""
        return self.step / 2


def parse_number(text: str) -> PrintedNumber:
    """Parse a printed number such as ``1.13万`` or ``4000多万``; raise ``NumberFormatError``."""
    if not isinstance(text, str):
        raise NumberFormatError(f"expected a printed number as text, got {text!r}")
    # NFKC turns full-width digits and points (１．５) into ASCII ones.
    normal = unicodedata.normalize("NFKC", text).strip()
    match = _PATTERN.fullmatch(normal)
    if match is None or (match["marker1"] and match["marker2"]):
        raise NumberFormatError(
            f"cannot read {text!r} as a printed number; expected digits with an optional "
            f"decimal part, multipliers {_MULT_CHARS} and one marker {_MARK_CHARS} "
            "(e.g. 1.13万, 4000多万, 14千余, 90.5), without unit or words"
        )
    try:
        number = Decimal(match["digits"].replace(",", "") + (match["fraction"] or ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only digits
        raise NumberFormatError(f"cannot read {text!r} as a number") from exc
    multiplier = 1
    for char in match["mult"]:
        multiplier *= MULTIPLIERS[char]
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)  # finite decimals only: the regex admits no NaN/Inf
    step = Decimal(1).scaleb(exponent) * multiplier
    value = number * multiplier
    if match["sign"] == "-":
        value = -value
    return PrintedNumber(
        text=text,
        value=float(value),
        step=float(step),
        marker=match["marker1"] or match["marker2"] or None,
    )


def try_parse_number(text: str) -> PrintedNumber | None:
    """Like ``parse_number`` but returns None for text that is not a printed number."""
    try:
        return parse_number(text)
    except NumberFormatError:
        return None


# ------------------------------------------------------------------------------ printing
#
# GB/T 15835-2011 (出版物上数字用法): a large number is printed with 万 or 亿 as its unit
# (1.4万余人, 4000多万元, 162.1万件), never with thousands separators (40,000,000) and never
# with 千 as a multiplier (14千余). Every number a report prints goes through one of the two
# functions below.

_WAN, _YI = 10_000, 100_000_000
#: A plain count from this size up is printed in 万 (37849 stays, 1621477 → 162.1万).
_WAN_FROM = 100_000


def _trim(number: float, digits: int) -> str:
    """``number`` with at most ``digits`` decimals, trailing zeros dropped."""
    text = f"{number:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_quantity(value: float | None, digits: int = 1) -> str:
    """A number for a report (GB/T 15835): ``37849``, ``162.1万``, ``4000万``, ``1.2亿``, ``2.5``.

    No thousands separators; from 100,000 up the number is given in 万 (from 1亿 in 亿) with
    at most ``digits`` decimals; below that, whole numbers print whole and others with at
    most ``digits`` decimals. NaN and infinity print as ``—``.
    """
    if value is None or math.isnan(value) or math.isinf(value):
        return "—"
    sign = "-" if value < 0 else ""
    size = abs(value)
    if size >= _YI:
        return f"{sign}{_trim(size / _YI, max(digits, 2))}亿"
    if size >= _WAN_FROM:
        return f"{sign}{_trim(size / _WAN, digits)}万"
    if abs(size - round(size)) < 1e-9:
        return f"{sign}{round(size)}"
    if size < 1:  # a small ratio: two significant figures (0.0094)
        return f"{sign}{size:.2g}"
    return f"{sign}{_trim(size, digits)}"


def format_printed(value_text: str) -> str:
    """A printed figure in GB/T 15835 form, keeping its precision and its 多/余 marker.

    ``14千余`` → ``1.4万余``; ``1621477`` → ``162.1万``; ``40,000`` → ``40000``;
    ``4000多万``, ``5031.87万``, ``1.13万``, ``90.5`` are already in that form and stay.
    Text that is not a printed number is returned unchanged.
    """
    parsed = try_parse_number(value_text)
    if parsed is None:
        return value_text
    normal = unicodedata.normalize("NFKC", value_text).strip()
    match = _PATTERN.fullmatch(normal)
    assert match is not None  # try_parse_number succeeded on the same text
    mult = match["mult"] or ""
    marker = parsed.marker or ""
    standard = all(ch in "万亿" for ch in mult)
    plain = not mult
    if standard and not (plain and parsed.value >= _WAN_FROM) and "," not in normal:
        return value_text
    if plain and parsed.value < _WAN_FROM:
        return normal.replace(",", "")
    if parsed.value < _WAN:  # 3千 → 3000: below 1万 a number is printed in full
        return f"{format_quantity(parsed.value)}{marker}"
    unit, size = ("亿", _YI) if parsed.value >= _YI else ("万", _WAN)
    # keep the printed precision (14千 is exact to the thousand: 1.4万), but never more than
    # one decimal of 万 for a count printed in full (1621477 → 162.1万)
    decimals = max(0, -math.floor(math.log10(parsed.step / size) + 1e-9)) if parsed.step else 0
    if plain:
        decimals = min(decimals, 1)
    number = _trim(parsed.value / size, decimals)
    if match["marker1"]:  # 4000多万: the marker sat before the multiplier
        return f"{number}{marker}{unit}"
    return f"{number}{unit}{marker}"
