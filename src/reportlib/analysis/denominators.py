"""The wholes (schools, students, teachers) that percentages imply, and whether they agree.

A percentage paired with its count (``share_of``) implies a whole; the rounding of both
printed numbers and their qualifiers give it an interval (``printed_interval``). Two
percentages implying the same whole are consistent when their intervals overlap; the wholes
that agree (or a reported count) are the ones figures may be normalised by.
"""

from __future__ import annotations

import math
from itertools import combinations
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from reportlib.data.numbers import parse_number
from reportlib.data.tables import blank, fact_records, records, text
from reportlib.errors import AnalysisError, NumberFormatError

if TYPE_CHECKING:
    from reportlib.data.dataset import Dataset


#: Indicators whose value is a whole that other figures can be normalised by.
DENOMINATORS = {
    "per_school": "schools-total",
    "per_1000_students": "students-total",
    "per_teacher": "teachers-total",
}


def printed_interval(value_text: str, qualifier: str, unit: str = "") -> tuple[float, float]:
    """The interval a printed figure stands for, from its rounding and its qualifier.

    Half a unit of the last printed digit either side (``13.24万`` → ±50, ``90.5`` → ±0.05);
    a count printed in full without multiplier (``307``) is exact, since things are counted
    in whole numbers. ``at_least`` opens the top (to 100 for a percentage), ``more_than``
    (多/余) runs from the value up to one unit of its last non-zero digit (``4000多万`` →
    4000万..5000万), ``at_most`` opens the bottom to 0, ``about`` widens to a whole unit.
    """
    try:
        parsed = parse_number(str(value_text))
    except NumberFormatError as exc:
        raise AnalysisError(str(exc)) from exc
    value, step = parsed.value, parsed.step
    is_share = unit == "%"
    exact_count = not is_share and step == 1.0
    half = 0.0 if exact_count else parsed.tolerance
    top = 100.0 if is_share else math.inf
    if qualifier == "at_least":
        return value - half, top
    if qualifier == "more_than" or parsed.marker:
        # "4000多" = 4000-odd: one more unit of its last non-zero digit is the ceiling.
        printed = round(value / step)
        unit_step = step
        while printed and printed % 10 == 0:
            printed //= 10
            unit_step *= 10
        return value, min(value + unit_step, top)
    if qualifier == "at_most":
        return 0.0, value + half
    if qualifier == "about":
        return value - step, min(value + step, top)
    return value - half, min(value + half, top)


def whole_count(estimate: float, low: float, high: float) -> int | None:
    """An implied whole of things counted one by one (schools, people): a whole number.

    The estimate rounded, but kept within the whole numbers the interval allows (34 schools
    at "90%以上" allow 34–37 public schools, so 37.8 reads 37, never "37.8所"). None when
    the interval holds no whole number or is unbounded.
    """
    if any(math.isinf(v) or math.isnan(v) for v in (estimate, low, high)):
        return None
    first, last = math.ceil(low - 1e-9), math.floor(high + 1e-9)
    if first > last:
        return None
    return min(max(round(estimate), first), last)


_IMPLIED_COLUMNS = [
    "fact_id",
    "locality_id",
    "denominator",
    "numerator",
    "percent",
    "estimate",
    "low",
    "high",
]


_CHECK_COLUMNS = [
    "locality_id",
    "denominator",
    "fact_a",
    "fact_b",
    "estimate_a",
    "low_a",
    "high_a",
    "estimate_b",
    "low_b",
    "high_b",
    "consistent",
]


#: What the percentage arithmetic reads of a fact (a pass over every fact keeps no more).
FACT_FIELDS = [
    "fact_id",
    "locality_id",
    "indicator_id",
    "value",
    "value_text",
    "qualifier",
    "unit",
    "kind",
    "share_of",
    "denominator",
    "line",
]


def _fact_interval(fact: dict[str, Any]) -> tuple[float, float]:
    if blank(fact["value_text"]):
        # counted from named items, not printed: an exact whole number
        return float(fact["value"]), float(fact["value"])
    try:
        return printed_interval(
            text(fact["value_text"]), text(fact["qualifier"]), text(fact["unit"])
        )
    except AnalysisError as exc:
        line = fact.get("line")
        where = f"facts.csv:{line}" if not blank(line) else "facts.csv"
        raise AnalysisError(f"{where} fact {fact['fact_id']!r} field 'value_text': {exc}") from exc


def _nanmax(values: list[float]) -> float:
    """Largest value ignoring NaN, NaN when there is none (pandas' ``max``)."""
    kept = [v for v in values if not math.isnan(v)]
    return max(kept) if kept else math.nan


def _nanmin(values: list[float]) -> float:
    """Smallest value ignoring NaN, NaN when there is none (pandas' ``min``)."""
    kept = [v for v in values if not math.isnan(v)]
    return min(kept) if kept else math.nan


def _implied_rows(ds: Dataset, facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``implied_denominators`` rows for these fact records."""
    by_id = {str(f["fact_id"]): f for f in facts}
    wanted = {
        str(f["share_of"]) for f in facts if text(f["unit"]) == "%" and not blank(f["share_of"])
    }
    elsewhere = wanted - by_id.keys()
    if elsewhere:
        # the schema keeps a percentage and its count in one locality; look in the whole
        # table anyway (one pass), so an unchecked table gives the same answer as before
        found = np.flatnonzero(ds.facts["fact_id"].isin(sorted(elsewhere)).to_numpy())
        for f in records(ds.facts, found, FACT_FIELDS):
            by_id.setdefault(str(f["fact_id"]), f)
    rows = []
    for pct in facts:
        if text(pct["unit"]) != "%" or blank(pct["share_of"]):
            continue
        count = by_id.get(str(pct["share_of"]))
        if count is None:
            raise AnalysisError(
                f"facts.csv fact {pct['fact_id']!r} field 'share_of': {pct['share_of']!r} is "
                "not a fact_id; name the count this percentage is a share of"
            )
        p_low, p_high = _fact_interval(pct)
        n_low, n_high = _fact_interval(count)
        percent = float(pct["value"])
        numerator = float(count["value"])
        rows.append(
            {
                "fact_id": str(pct["fact_id"]),
                "locality_id": str(pct["locality_id"]),
                "denominator": text(pct["denominator"]),
                "numerator": numerator,
                "percent": percent,
                "estimate": numerator / (percent / 100) if percent else math.inf,
                "low": n_low / (p_high / 100) if p_high else math.inf,
                "high": n_high / (p_low / 100) if p_low > 0 else math.inf,
            }
        )
    return rows


def implied_denominators(ds: Dataset, locality_id: str | None = None) -> pd.DataFrame:
    """For each percentage fact paired with a count, the whole it implies, with its interval."""
    facts = fact_records(ds, locality_id, FACT_FIELDS)
    return pd.DataFrame(_implied_rows(ds, facts), columns=_IMPLIED_COLUMNS)


def _check_rows(implied: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``consistency_checks`` rows: every pair within a (locality, denominator) group."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in implied:  # groups in order of first appearance, as groupby(sort=False)
        groups.setdefault((r["locality_id"], r["denominator"]), []).append(r)
    rows = []
    for (loc, denom), group in groups.items():
        if not denom:
            continue
        for a, b in combinations(group, 2):
            rows.append(
                {
                    "locality_id": loc,
                    "denominator": denom,
                    "fact_a": a["fact_id"],
                    "fact_b": b["fact_id"],
                    "estimate_a": a["estimate"],
                    "low_a": a["low"],
                    "high_a": a["high"],
                    "estimate_b": b["estimate"],
                    "low_b": b["low"],
                    "high_b": b["high"],
                    "consistent": bool(a["low"] <= b["high"] and b["low"] <= a["high"]),
                }
            )
    return rows


def consistency_checks(ds: Dataset, locality_id: str | None = None) -> pd.DataFrame:
    """Pairs of percentages implying the same whole; ``consistent`` when intervals overlap."""
    implied = _implied_rows(ds, fact_records(ds, locality_id, FACT_FIELDS))
    return pd.DataFrame(_check_rows(implied), columns=_CHECK_COLUMNS)


def inconsistencies(ds: Dataset, locality_id: str | None = None) -> pd.DataFrame:
    """Only the pairs that disagree."""
    checks = consistency_checks(ds, locality_id)
    return checks[~checks["consistent"]].reset_index(drop=True)


def _estimates(
    implied: list[dict[str, Any]], checks: list[dict[str, Any]]
) -> dict[str, tuple[float, float, float]]:
    """``denominator_estimates`` from implied rows and their checks."""
    disputed = {c["fact_a"] for c in checks if not c["consistent"]} | {
        c["fact_b"] for c in checks if not c["consistent"]
    }
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in implied:
        groups.setdefault(r["denominator"], []).append(r)
    result: dict[str, tuple[float, float, float]] = {}
    for denom, group in groups.items():
        good = [r for r in group if r["fact_id"] not in disputed]
        if not denom or not good:
            continue
        low = float(_nanmax([r["low"] for r in good]))
        high = float(_nanmin([r["high"] for r in good]))
        # One fact: its own estimate; several: the middle of the range they all allow.
        estimate = float(good[0]["estimate"]) if len(good) == 1 else (low + high) / 2
        result[str(denom)] = (estimate, low, high)
    return result


def denominator_estimates(ds: Dataset, locality_id: str) -> dict[str, tuple[float, float, float]]:
    """(estimate, low, high) per implied whole, from the facts that agree with each other.

    A fact in any disagreeing pair is left out: a disputed whole is not used to normalise.
    """
    implied = _implied_rows(ds, fact_records(ds, locality_id, FACT_FIELDS))
    return _estimates(implied, _check_rows(implied))


def known_wholes(ds: Dataset, facts: list[dict[str, Any]]) -> dict[str, tuple[float, str, str]]:
    """``known_denominators`` for one locality's fact records."""
    implied = _implied_rows(ds, facts)
    result: dict[str, tuple[float, str, str]] = {}
    for denom, (estimate, _low, _high) in _estimates(implied, _check_rows(implied)).items():
        used = [r["fact_id"] for r in implied if r["denominator"] == denom]
        result[denom] = (estimate, "implied", ";".join(used))
    for denom in DENOMINATORS.values():
        for f in facts:
            if f["indicator_id"] == denom and f["unit"] != "%" and f["kind"] == "achievement":
                result[denom] = (float(f["value"]), "reported", str(f["fact_id"]))
                break
    return result


def known_denominators(ds: Dataset, locality_id: str) -> dict[str, tuple[float, str, str]]:
    """Each whole known for a locality: (value, ``reported``|``implied``, fact ids used).

    A reported count (a fact of indicator ``schools-total`` …) wins over an implied one.
    """
    return known_wholes(ds, fact_records(ds, locality_id, FACT_FIELDS))
