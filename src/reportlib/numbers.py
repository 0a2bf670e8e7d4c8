"""Parse numbers as Chinese documents print them: ``1.13万``, ``4000多万``, ``14千余``, ``90.5``.

A printed number carries more than its value: the position of its last printed digit tells
how precisely it was given (``1.13万`` is exact to the hundred, ``96`` to the unit), and a
多/余 marker makes it a lower bound. Validation compares ``value`` with the parse of
``value_text``; analysis uses ``step / 2`` as the rounding tolerance.
"""

from __future__ import annotations

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
