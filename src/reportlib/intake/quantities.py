"""Quantities in a sentence: number (Arabic or Chinese), multiplier, qualifier and unit.

Generic rules only: a number is a quantity when a counting unit follows it (or the words
around it name one: ``注册人数1.13万`` → 人, ``投入了4000多万`` → 元); years, dates,
ordinals (第…), document, proposal and session numbers, prize ranks and edition numbers
are not. What was passed over is counted by reason for the log.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_MULT = {"万": 10_000, "千": 1_000, "亿": 100_000_000, "百万": 1_000_000}
#: Printed unit → (base unit, factor). Longest first, so 人次 wins over 人.
_UNITS: dict[str, tuple[str, float]] = {
    "平方米": ("平方米", 1),
    "Mbps": ("M", 1),
    "个课时": ("课时", 1),
    "个学时": ("学时", 1),
    "人次": ("人次", 1),
    "学时": ("学时", 1),
    "课时": ("课时", 1),
    "万元": ("元", 10_000),
    "亿元": ("元", 100_000_000),
    "元": ("元", 1),
    **{u: (u, 1) for u in "所间个台节套件项支次家场门篇册部座块条期班户"},
    "人": ("人", 1),
    "名": ("人", 1),
    "位": ("人", 1),
    "兆": ("M", 1),
    "M": ("M", 1),
    "%": ("%", 1),
    "％": ("%", 1),
}
_UNIT_RE = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_CN = "零〇一二两三四五六七八九十百千万亿"
NUMBER = re.compile(
    rf"(?<![\d.A-Za-z])(?P<num>\d+(?:\.\d+)?|[{_CN}]+)"
    r"(?P<tail>\s*(?P<m1>百万|[万千亿])?\s*(?P<q>[多余])?\s*(?P<m2>[万千亿])?)"
    rf"\s*(?P<unit>{_UNIT_RE})?"
)
_BEFORE_QUALIFIER = (
    (re.compile(r"(不少于|不低于|至少|最少)\s*$"), "at_least", "不少于/不低于"),
    (re.compile(r"(超过|逾|高于)\s*$"), "more_than", "超过"),
    (re.compile(r"(不超过|不高于|最多|低于)\s*$"), "at_most", "不超过"),
    (re.compile(r"(约|大约|近|将近|接近)\s*$"), "about", "约/近"),
)
_AFTER_QUALIFIER = (
    (re.compile(r"^\s*(以上|之上)"), "at_least", "以上"),
    (re.compile(r"^\s*(以下|以内)"), "at_most", "以下/以内"),
    (re.compile(r"^\s*左右"), "about", "左右"),
)
#: What follows a number that makes it a date, rank, edition, session or document number.
_NOT_QUANTITY_AFTER = re.compile(r"^\s*(年|月|日|号|届|等奖|等|时|分|岁|级|是|大|〕|\]|］)")
_YEAR_RANGE = re.compile(r"^\s*(至|到|-|—|–|~|/)")
_SESSION_AFTER = re.compile(r"^(会议|全会|常委会)")
#: Heads of enumerations (三个目标, 五项变革): counts of abstract items, not quantities.
_ABSTRACT = re.compile(
    r"^(大|个|项|方面|点)?(目标|任务|方面|原则|主题|突破|变革|举措|要求|环节|阶段|理念|维度|步)"
)
_PEOPLE_BEFORE = re.compile(r"(人数|人次|人员|学生数|教师数)\s*(为|达|达到|共|约|近)?\s*$")
_PEOPLE_AFTER = re.compile(r"^(名?学生|名?教师|名?老师|名?同学|余?人)")
_CUMULATIVE = re.compile(r"(累计|先后|共计)[^，。；,;]{0,4}$")
_MONEY_BEFORE = re.compile(r"(投入|资金|经费|拿出|金额|投资|预算|拨付|筹措)[^，。；]{0,6}$")


@dataclass(frozen=True)
class Quantity:
    """A quantity found at [start, end) of its sentence."""

    start: int
    end: int
    value: float
    value_text: str
    qualifier: str
    unit: str
    reason: str


def _number(text: str) -> float | None:
    if text[0].isdigit():
        return float(text)
    import cn2an

    try:
        return float(cn2an.cn2an(text, "strict"))
    except (ValueError, KeyError, IndexError):
        return None


def _qualifier(before: str, after: str, marker: str | None) -> tuple[str, str]:
    if marker:
        return "more_than", f"{marker} after the number"
    for pattern, qualifier, why in _BEFORE_QUALIFIER:
        if pattern.search(before):
            return qualifier, f"{why} before the number"
    for pattern, qualifier, why in _AFTER_QUALIFIER:
        if pattern.search(after):
            return qualifier, f"{why} after the number"
    return "exact", ""


def _skip(match: re.Match[str], text: str, skipped: Counter[str]) -> bool:
    """Whether the number is a date, year, ordinal, document number or unit-less label."""
    num, start = match.group("num"), match.start()
    before, after = text[max(0, start - 3) : start], text[match.end("num") :]
    if before.rstrip().endswith("第") or before.rstrip().endswith(("〔", "[", "［")):
        skipped["ordinal or document number"] += 1
        return True
    if not match.group("unit") and _NOT_QUANTITY_AFTER.match(after):
        skipped["date, rank or edition"] += 1
        return True
    if num.isdigit() and len(num) == 4 and num[:2] in ("19", "20") and _YEAR_RANGE.match(after):
        skipped["year"] += 1
        return True
    if not num[0].isdigit():
        prev = text[start - 1 : start]
        unit = match.group("unit")
        # 一 is mostly an article (一批, 一次); 门 after a numeral is mostly a place (三门峡)
        if num in ("一", "〇", "零") or prev in "（(唯" or unit in (None, "门"):
            skipped["Chinese numeral without a count"] += 1
            return True
        if _ABSTRACT.match(text[match.end("unit") :]) or _ABSTRACT.match(match.group("unit")):
            skipped["enumeration of abstract items"] += 1
            return True
    if match.group("unit") and _SESSION_AFTER.match(text[match.end() :]):
        skipped["session number"] += 1
        return True
    return False


def _infer_unit(match: re.Match[str], text: str) -> tuple[str, str] | None:
    """(printed unit, why) for a number printed without a unit, from the words around it."""
    before, after = text[: match.start()], text[match.end() :]
    if _PEOPLE_BEFORE.search(before) or _PEOPLE_AFTER.match(after):
        return "人", "unit 人 from the words around the number (人数/学生)"
    if (match.group("m1") or match.group("m2")) and _MONEY_BEFORE.search(before):
        return "元", "unit 元 from a spending verb before an amount in 万/亿"
    return None


def find(text: str, skipped: Counter[str] | None = None) -> list[Quantity]:
    """Every quantity in ``text`` (one sentence), left to right."""
    skipped = skipped if skipped is not None else Counter()
    found: list[Quantity] = []
    for match in NUMBER.finditer(text):
        if _skip(match, text, skipped):
            continue
        unit, why_unit = match.group("unit"), ""
        if unit is None:
            inferred = _infer_unit(match, text)
            if inferred is None:
                if match.group("num")[0].isdigit():
                    skipped["number without a unit"] += 1
                continue
            unit, why_unit = inferred
        if unit in ("人", "名") and _CUMULATIVE.search(text[: match.start()]):
            unit, why_unit = "人次", "人次: a cumulative count (累计) of participants"
        if unit == "M" and re.match(r"[A-Za-z]", text[match.end() : match.end() + 1]):
            skipped["number without a unit"] += 1  # a letter after M: a model name
            continue
        value = _number(match.group("num"))
        if value is None:
            continue
        base, factor = _UNITS[unit]
        for key in ("m1", "m2"):
            if match.group(key):
                value *= _MULT[match.group(key)]
        value *= factor
        qualifier, why_q = _qualifier(
            text[max(0, match.start() - 6) : match.start()],
            text[match.end() : match.end() + 4],
            match.group("q"),
        )
        value_text = re.sub(r"\s+", "", match.group("num") + match.group("tail"))
        reason = "; ".join(r for r in (why_unit, why_q) if r)
        end = match.end() if match.group("unit") else match.end("tail")
        value = round(value, 6)
        found.append(Quantity(match.start(), end, value, value_text, qualifier, base, reason))
    return found


def format_value(value: float) -> str:
    """``value`` as the CSV writes it: integers without ``.0``."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
