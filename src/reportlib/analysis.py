"""What the reports compute: coverage, implied denominators, consistency, targets, commitments.

Every function is a pure function of a ``Dataset`` (or any object with the same table
attributes) and returns plain DataFrames or dicts; no figure from a source lives here.
"""

from __future__ import annotations

import calendar
import math
import re
from datetime import date
from itertools import combinations
from typing import Any

import pandas as pd

from reportlib.errors import AnalysisError, NumberFormatError, UnknownLocalityError
from reportlib.numbers import parse_number

EVIDENCE_LEVELS = ("quantified", "described", "planned", "none")
COMMITMENT_STATUSES = ("open", "due", "overdue")
#: Indicators whose value is a whole that other figures can be normalised by.
DENOMINATORS = {
    "per_school": "schools-total",
    "per_1000_students": "students-total",
    "per_teacher": "teachers-total",
}
#: Multiplier applied to value / denominator for each normalisation.
_NORMALISE_FACTOR = {"per_school": 1.0, "per_1000_students": 1000.0, "per_teacher": 1.0}
NORMALISE_LABELS = {
    "per_school": "每校",
    "per_1000_students": "每千名学生",
    "per_teacher": "每名教师",
}


# --------------------------------------------------------------------------- helpers


def blank(value: Any) -> bool:
    """True for a cell that is "not given" (None, NaN, NA or an empty string)."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, (list, tuple)):
        return len(value) == 0
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def text(value: Any) -> str:
    """A cell as a string, with "not given" as ``""``."""
    return "" if blank(value) else str(value)


def as_list(value: Any) -> list[str]:
    """A ``;``-separated list cell (or an already-parsed list) as a list of strings."""
    if blank(value):
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(";") if part.strip()]


def locality_row(ds: Any, locality_id: str) -> pd.Series:
    """The row of ``localities`` for ``locality_id``; raises ``UnknownLocalityError``."""
    rows = ds.localities[ds.localities["locality_id"] == locality_id]
    if rows.empty:
        raise UnknownLocalityError(locality_id, list(ds.localities["locality_id"]))
    return rows.iloc[0]


def locality_ids(ds: Any) -> list[str]:
    """Locality ids in file order."""
    return [str(x) for x in ds.localities["locality_id"]]


def national_items(ds: Any) -> pd.DataFrame:
    """The national notice's tasks then safeguards, each in printed order."""
    fw = ds.framework
    moe = fw[fw["task_id"].astype(str).str.startswith("moe-")].copy()
    moe["_kind_order"] = moe["kind"].map({"task": 0, "safeguard": 1})
    moe = moe.sort_values(["_kind_order", "number"], kind="stable")
    return moe.drop(columns="_kind_order").reset_index(drop=True)


def national_tasks_of(ds: Any, task_id: str) -> list[str]:
    """A framework id mapped to national ids (provincial items through ``maps_to``)."""
    if blank(task_id):
        return []
    if str(task_id).startswith("moe-"):
        return [str(task_id)]
    rows = ds.framework[ds.framework["task_id"] == task_id]
    return as_list(rows.iloc[0]["maps_to"]) if not rows.empty else []


def _indicator_tasks(ds: Any) -> dict[str, list[str]]:
    return {
        str(r.indicator_id): national_tasks_of(ds, r.task_id)
        for r in ds.indicators.itertuples(index=False)
    }


def _facts_of(ds: Any, locality_id: str | None) -> pd.DataFrame:
    facts = ds.facts
    if locality_id is not None:
        locality_row(ds, locality_id)
        facts = facts[facts["locality_id"] == locality_id]
    return facts


# --------------------------------------------------------------------- printed numbers


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


def display_value(value_text: str, qualifier: str, unit: str, quote: str = "") -> str:
    """A figure as a reader expects it: ``4000多万元``, ``不少于16课时``, ``90%以上``."""
    core = f"{value_text}{unit}"
    quote = quote or ""
    if qualifier == "at_least":
        for word in ("不少于", "不低于", "至少"):
            if f"{word}{value_text}" in quote.replace(" ", ""):
                return f"{word}{core}"
        return f"{core}以上"
    if qualifier == "more_than":
        return core if re.search("[多余]", value_text) else f"{core}多"
    if qualifier == "about":
        for word in ("近", "约"):
            if f"{word}{value_text}" in quote.replace(" ", ""):
                return f"{word}{core}"
        return f"约{core}"
    if qualifier == "at_most":
        return f"不超过{core}"
    return core


def format_significant(value: float) -> str:
    """A computed ratio for prose: about three significant figures (258.7, 2.16, 0.0094)."""
    if value is None or math.isnan(value) or math.isinf(value):
        return "—"
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.2g}"


def format_number(value: float, digits: int = 1) -> str:
    """A computed number for prose: thousands separators, at most ``digits`` decimals."""
    if value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value))):
        return "—"
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    return f"{value:,.{digits}f}"


# ----------------------------------------------------------------------------- dates


def period_bounds(partial: Any) -> tuple[date, date]:
    """First and last day of a partial date (``2025``, ``2025-06``, ``2025-06-04``) or period."""
    raw = text(partial)
    if "/" in raw:
        first, last = raw.split("/", 1)
        return period_bounds(first)[0], period_bounds(last)[1]
    parts = raw.split("-")
    try:
        year = int(parts[0])
        if len(parts) == 1:
            return date(year, 1, 1), date(year, 12, 31)
        month = int(parts[1])
        if len(parts) == 2:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        day = date(year, month, int(parts[2]))
        return day, day
    except (ValueError, IndexError) as exc:
        raise AnalysisError(
            f"cannot read the partial date {raw!r}; expected YYYY, YYYY-MM, YYYY-MM-DD or A/B"
        ) from exc


def display_date(partial: Any) -> str:
    """A partial date in Chinese: ``2025年6月4日``, ``2024年11月``, ``2019年``, ``2022—2024年``."""
    raw = text(partial)
    if not raw:
        return ""
    if "/" in raw:
        first, last = raw.split("/", 1)
        return f"{display_date(first)}至{display_date(last)}"
    parts = [int(p) for p in raw.split("-")]
    labels = ("年", "月", "日")
    return "".join(f"{p}{label}" for p, label in zip(parts, labels, strict=False))


# -------------------------------------------------------------------------- coverage


def _where(df: pd.DataFrame, column: str, keep: Any) -> pd.DataFrame:
    """Rows where ``keep(row[column])`` holds (a bool mask even for an empty frame)."""
    mask = [bool(keep(v)) for v in df[column]]
    return df[pd.Series(mask, index=df.index, dtype=bool)]


def coverage(ds: Any, locality_id: str) -> pd.DataFrame:
    """Evidence level for each national task and safeguard, in printed order."""
    locality_row(ds, locality_id)
    ind_tasks = _indicator_tasks(ds)
    facts = _facts_of(ds, locality_id)
    measures = ds.measures[ds.measures["locality_id"] == locality_id]
    commitments = ds.commitments[ds.commitments["locality_id"] == locality_id]
    rows = []
    for item in national_items(ds).itertuples(index=False):
        tid = str(item.task_id)
        task_facts = _where(facts, "indicator_id", lambda i, t=tid: t in ind_tasks.get(i, []))
        achieved = task_facts[task_facts["kind"] == "achievement"]
        planned_facts = task_facts[task_facts["kind"] != "achievement"]
        task_measures = _where(measures, "task_id", lambda t, x=tid: x in national_tasks_of(ds, t))
        task_commit = _where(commitments, "task_id", lambda t, x=tid: x in national_tasks_of(ds, t))
        if len(achieved):
            level = "quantified"
        elif len(task_measures):
            level = "described"
        elif len(planned_facts) or len(task_commit):
            level = "planned"
        else:
            level = "none"
        evidence = (
            list(task_facts["fact_id"])
            + list(task_measures["measure_id"])
            + list(task_commit["commitment_id"])
        )
        rows.append(
            {
                "task_id": tid,
                "name_zh": item.name_zh,
                "kind": item.kind,
                "level": level,
                "n_facts": len(task_facts),
                "n_measures": len(task_measures),
                "n_commitments": len(task_commit),
                "evidence_ids": evidence,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "task_id",
            "name_zh",
            "kind",
            "level",
            "n_facts",
            "n_measures",
            "n_commitments",
            "evidence_ids",
        ],
    )


def coverage_matrix(ds: Any, localities: list[str] | None = None) -> pd.DataFrame:
    """Localities (rows, file order) × national tasks (columns, printed order) → level."""
    chosen = locality_ids(ds) if localities is None else list(localities)
    data = {lid: coverage(ds, lid).set_index("task_id")["level"] for lid in chosen}
    matrix = pd.DataFrame(data).T
    matrix.index.name = "locality_id"
    return matrix[list(national_items(ds)["task_id"])]


def coverage_counts(ds: Any, locality_id: str) -> dict[str, int]:
    """How many of the national items sit at each evidence level."""
    levels = coverage(ds, locality_id)["level"]
    return {level: int((levels == level).sum()) for level in EVIDENCE_LEVELS}


# ------------------------------------------------------------ denominators, consistency

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


def _fact_interval(fact: Any) -> tuple[float, float]:
    if blank(fact.value_text):
        # counted from named items, not printed: an exact whole number
        return float(fact.value), float(fact.value)
    try:
        return printed_interval(text(fact.value_text), text(fact.qualifier), text(fact.unit))
    except AnalysisError as exc:
        line = getattr(fact, "line", None)
        where = f"facts.csv:{line}" if not blank(line) else "facts.csv"
        raise AnalysisError(f"{where} fact {fact.fact_id!r} field 'value_text': {exc}") from exc


def implied_denominators(ds: Any, locality_id: str | None = None) -> pd.DataFrame:
    """For each percentage fact paired with a count, the whole it implies, with its interval."""
    facts = _facts_of(ds, locality_id)
    # Only the counts these percentages point at: a dict of every fact cost O(all facts) per
    # call, seconds per report with thousands of localities.
    counts = ds.facts[ds.facts["fact_id"].isin(facts["share_of"])]
    by_id = {str(f.fact_id): f for f in counts.itertuples(index=False)}
    rows = []
    for pct in facts.itertuples(index=False):
        if text(pct.unit) != "%" or blank(pct.share_of):
            continue
        count = by_id.get(str(pct.share_of))
        if count is None:
            raise AnalysisError(
                f"facts.csv fact {pct.fact_id!r} field 'share_of': {pct.share_of!r} is not a "
                "fact_id; name the count this percentage is a share of"
            )
        p_low, p_high = _fact_interval(pct)
        n_low, n_high = _fact_interval(count)
        percent = float(pct.value)
        numerator = float(count.value)
        rows.append(
            {
                "fact_id": str(pct.fact_id),
                "locality_id": str(pct.locality_id),
                "denominator": text(pct.denominator),
                "numerator": numerator,
                "percent": percent,
                "estimate": numerator / (percent / 100) if percent else math.inf,
                "low": n_low / (p_high / 100) if p_high else math.inf,
                "high": n_high / (p_low / 100) if p_low > 0 else math.inf,
            }
        )
    return pd.DataFrame(rows, columns=_IMPLIED_COLUMNS)


def consistency_checks(ds: Any, locality_id: str | None = None) -> pd.DataFrame:
    """Pairs of percentages implying the same whole; ``consistent`` when intervals overlap."""
    implied = implied_denominators(ds, locality_id)
    rows = []
    for (loc, denom), group in implied.groupby(["locality_id", "denominator"], sort=False):
        if not denom:
            continue
        for a, b in combinations(group.itertuples(index=False), 2):
            rows.append(
                {
                    "locality_id": loc,
                    "denominator": denom,
                    "fact_a": a.fact_id,
                    "fact_b": b.fact_id,
                    "estimate_a": a.estimate,
                    "low_a": a.low,
                    "high_a": a.high,
                    "estimate_b": b.estimate,
                    "low_b": b.low,
                    "high_b": b.high,
                    "consistent": bool(a.low <= b.high and b.low <= a.high),
                }
            )
    columns = [
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
    return pd.DataFrame(rows, columns=columns)


def inconsistencies(ds: Any, locality_id: str | None = None) -> pd.DataFrame:
    """Only the pairs that disagree."""
    checks = consistency_checks(ds, locality_id)
    return checks[~checks["consistent"]].reset_index(drop=True)


def denominator_estimates(ds: Any, locality_id: str) -> dict[str, tuple[float, float, float]]:
    """(estimate, low, high) per implied whole, from the facts that agree with each other.

    A fact in any disagreeing pair is left out: a disputed whole is not used to normalise.
    """
    implied = implied_denominators(ds, locality_id)
    checks = consistency_checks(ds, locality_id)
    disputed = set(checks.loc[~checks["consistent"], "fact_a"]) | set(
        checks.loc[~checks["consistent"], "fact_b"]
    )
    result: dict[str, tuple[float, float, float]] = {}
    for denom, group in implied.groupby("denominator", sort=False):
        good = group[~group["fact_id"].isin(disputed)]
        if not denom or good.empty:
            continue
        low = float(good["low"].max())
        high = float(good["high"].min())
        # One fact: its own estimate; several: the middle of the range they all allow.
        estimate = float(good["estimate"].iloc[0]) if len(good) == 1 else (low + high) / 2
        result[str(denom)] = (estimate, low, high)
    return result


def known_denominators(ds: Any, locality_id: str) -> dict[str, tuple[float, str, str]]:
    """Each whole known for a locality: (value, ``reported``|``implied``, fact ids used).

    A reported count (a fact of indicator ``schools-total`` …) wins over an implied one.
    """
    facts = _facts_of(ds, locality_id)
    result: dict[str, tuple[float, str, str]] = {}
    implied = implied_denominators(ds, locality_id)
    for denom, (estimate, _low, _high) in denominator_estimates(ds, locality_id).items():
        used = implied[implied["denominator"] == denom]["fact_id"]
        result[denom] = (estimate, "implied", ";".join(used))
    for denom in DENOMINATORS.values():
        direct = facts[(facts["indicator_id"] == denom) & (facts["unit"] != "%")]
        direct = direct[direct["kind"] == "achievement"]
        if len(direct):
            first = direct.iloc[0]
            result[denom] = (float(first["value"]), "reported", str(first["fact_id"]))
    return result


def normalise(ds: Any, locality_id: str) -> pd.DataFrame:
    """Achievement counts divided by a known or implied whole (per school, per 1,000 students)."""
    known = known_denominators(ds, locality_id)
    facts = _facts_of(ds, locality_id)
    ind = ds.indicators.set_index("indicator_id")
    shares = {
        (text(f.share_of), text(f.denominator))
        for f in facts.itertuples(index=False)
        if not blank(f.share_of)
    }
    rows = []
    for fact in facts.itertuples(index=False):
        if (
            text(fact.unit) == "%"
            or fact.kind != "achievement"
            or fact.indicator_id not in ind.index
        ):
            continue
        how = text(ind.loc[fact.indicator_id, "normalise"])
        denom = DENOMINATORS.get(how)
        if denom is None or denom not in known or fact.indicator_id == denom:
            continue
        if (str(fact.fact_id), denom) in shares:
            continue  # 13.24万 registered ÷ students implied by that very 90.5%: circular
        whole, basis, used = known[denom]
        rows.append(
            {
                "fact_id": str(fact.fact_id),
                "indicator_id": str(fact.indicator_id),
                "value": float(fact.value),
                "unit": text(fact.unit),
                "normalise": how,
                "denominator": denom,
                "denominator_value": whole,
                "basis": basis,
                "denominator_facts": used,
                "normalised": float(fact.value) / whole * _NORMALISE_FACTOR[how],
            }
        )
    columns = [
        "fact_id",
        "indicator_id",
        "value",
        "unit",
        "normalise",
        "denominator",
        "denominator_value",
        "basis",
        "denominator_facts",
        "normalised",
    ]
    return pd.DataFrame(rows, columns=columns)


# ---------------------------------------------------------------- targets, commitments


def applicable_targets(ds: Any, locality_id: str) -> pd.DataFrame:
    """Targets whose scope is among the locality's policy scopes."""
    scopes = as_list(locality_row(ds, locality_id)["policy_scopes"])
    return ds.targets[ds.targets["scope"].isin(scopes)].reset_index(drop=True)


def provincial_sources(ds: Any, locality_id: str) -> pd.DataFrame:
    """Provincial notices in the data for the locality's province (may be empty)."""
    province = text(locality_row(ds, locality_id)["province"])
    src = ds.sources
    return src[(src["kind"] == "provincial_notice") & (src["scope"] == province)].reset_index(
        drop=True
    )


def target_progress(ds: Any, locality_id: str) -> pd.DataFrame:
    """Each applicable target with an indicator: target, reported achievement, share reached.

    ``reported`` is NaN when the locality reports no achievement figure for the indicator;
    ``pending`` sums its non-achievement figures (applications, plans) for context.
    """
    targets = applicable_targets(ds, locality_id)
    facts = _facts_of(ds, locality_id)
    rows = []
    for t in targets.itertuples(index=False):
        if blank(t.indicator_id):
            continue
        mine = facts[(facts["indicator_id"] == t.indicator_id) & (facts["unit"] != "%")]
        done = mine[mine["kind"] == "achievement"]
        other = mine[mine["kind"] != "achievement"]
        reported = float(done["value"].sum()) if len(done) else math.nan
        target_value = math.nan if blank(t.value) else float(t.value)
        share = (
            reported / target_value
            if not math.isnan(reported) and target_value and not math.isnan(target_value)
            else math.nan
        )
        rows.append(
            {
                "target_id": str(t.target_id),
                "source_id": str(t.source_id),
                "scope": str(t.scope),
                "indicator_id": str(t.indicator_id),
                "description_zh": text(t.description_zh),
                "target": target_value,
                "qualifier": text(t.qualifier),
                "unit": text(t.unit),
                "period": text(t.period),
                "deadline": text(t.deadline),
                "reported": reported,
                "share": share,
                "pending": float(other["value"].sum()) if len(other) else math.nan,
                "fact_ids": list(done["fact_id"]),
                "pending_ids": list(other["fact_id"]),
            }
        )
    columns = [
        "target_id",
        "source_id",
        "scope",
        "indicator_id",
        "description_zh",
        "target",
        "qualifier",
        "unit",
        "period",
        "deadline",
        "reported",
        "share",
        "pending",
        "fact_ids",
        "pending_ids",
    ]
    return pd.DataFrame(rows, columns=columns)


def commitment_status(ds: Any, locality_id: str, as_of: date) -> pd.DataFrame:
    """The locality's commitments plus ``status``: open, due (period contains as_of), overdue."""
    locality_row(ds, locality_id)
    mine = ds.commitments[ds.commitments["locality_id"] == locality_id].copy()
    statuses = []
    for due in mine["due"]:
        if blank(due):
            statuses.append("open")
            continue
        start, end = period_bounds(due)
        statuses.append("overdue" if as_of > end else "due" if as_of >= start else "open")
    mine["status"] = statuses
    return mine.reset_index(drop=True)


# ------------------------------------------------------------------ report summaries


def headline_figures(ds: Any, locality_id: str, n: int = 4) -> pd.DataFrame:
    """Up to ``n`` headline figures: the facts marked ``headline``, else a heuristic pick.

    The heuristic takes achievement counts, one per national item in printed order.

    Within an item, a figure on an indicator another locality also reports comes first, then
    a countable resource (normalisable per school or per 1,000 students), then the rest;
    percentages, wholes and figures written in Chinese numerals are skipped.
    """
    facts = _facts_of(ds, locality_id)
    if "headline" in facts and facts["headline"].any():
        # the analyst's pick (facts.csv column ``headline``) wins over the heuristic
        return facts[facts["headline"]].head(n).reset_index(drop=True)
    ind_tasks = _indicator_tasks(ds)
    normalise_of = dict(zip(ds.indicators["indicator_id"], ds.indicators["normalise"], strict=True))
    facts = facts[(facts["kind"] == "achievement") & (facts["unit"] != "%")]
    facts = facts[~facts["indicator_id"].isin(list(DENOMINATORS.values()))]
    digits = [bool(re.match(r"^\d", text(t))) for t in facts["value_text"]]
    facts = facts[pd.Series(digits, index=facts.index, dtype=bool)]
    everyone = ds.facts[ds.facts["kind"] == "achievement"]
    shared = set(everyone.loc[everyone["locality_id"] != locality_id, "indicator_id"])
    # Figures other localities also report first (comparable), then countable resources.
    rank = [
        0 if i in shared else 1 if normalise_of.get(i, "none") != "none" else 2
        for i in facts["indicator_id"]
    ]
    facts = facts.assign(_rank=rank).sort_values("_rank", kind="stable")
    chosen: list[str] = []
    for tid in national_items(ds)["task_id"]:
        for fact in facts.itertuples(index=False):
            if tid in ind_tasks.get(fact.indicator_id, []):
                chosen.append(str(fact.fact_id))
                break
        if len(chosen) >= n:
            break
    return facts.drop(columns="_rank").set_index("fact_id").loc[chosen].reset_index()


def peer_localities(ds: Any, locality_id: str, limit: int = 5) -> list[str]:
    """Up to ``limit`` other localities (file order) reporting an indicator this one reports."""
    facts = ds.facts[ds.facts["kind"] == "achievement"]
    mine = set(facts.loc[facts["locality_id"] == locality_id, "indicator_id"])
    sharing = set(facts.loc[facts["indicator_id"].isin(mine), "locality_id"])
    return [lid for lid in locality_ids(ds) if lid in sharing and lid != locality_id][:limit]


def peers_table(ds: Any, localities: list[str] | None = None) -> pd.DataFrame:
    """Indicators reported (as achievements) by two or more localities, side by side.

    One row per (indicator, locality) with the raw value, scope, and per-school /
    per-1,000-students value where that locality's whole is known or implied.
    ``localities`` limits the comparison (default: all, in file order).
    """
    rows = []
    chosen = locality_ids(ds) if localities is None else list(localities)
    norms = {lid: normalise(ds, lid).set_index("fact_id") for lid in chosen}
    facts = ds.facts[(ds.facts["kind"] == "achievement") & ds.facts["locality_id"].isin(chosen)]
    counts = facts.groupby("indicator_id")["locality_id"].nunique()
    comparable = [i for i in ds.indicators["indicator_id"] if counts.get(i, 0) >= 2]
    for ind in comparable:
        for fact in facts[facts["indicator_id"] == ind].itertuples(index=False):
            norm = norms[str(fact.locality_id)]
            has = str(fact.fact_id) in norm.index
            rows.append(
                {
                    "indicator_id": ind,
                    "locality_id": str(fact.locality_id),
                    "fact_id": str(fact.fact_id),
                    "value": float(fact.value),
                    "unit": text(fact.unit),
                    "scope": text(fact.scope),
                    "as_of": text(fact.as_of),
                    "normalise": norm.loc[fact.fact_id, "normalise"] if has else "",
                    "normalised": float(norm.loc[fact.fact_id, "normalised"]) if has else math.nan,
                    "basis": norm.loc[fact.fact_id, "basis"] if has else "",
                }
            )
    columns = [
        "indicator_id",
        "locality_id",
        "fact_id",
        "value",
        "unit",
        "scope",
        "as_of",
        "normalise",
        "normalised",
        "basis",
    ]
    return pd.DataFrame(rows, columns=columns)


def timeline_events(ds: Any, locality_id: str) -> pd.DataFrame:
    """Dated events for the locality's timeline, oldest first.

    Milestones of the policy scopes that apply and of the locality itself, plus deadlines of
    applicable targets not already present as a ``deadline`` milestone of the same scope.
    ``lane`` is ``policy`` (national/provincial) or ``local``.
    """
    loc = locality_row(ds, locality_id)
    scopes = as_list(loc["policy_scopes"])
    ms = ds.milestones
    keep = ms["scope"].isin(scopes) | (ms["scope"] == locality_id)
    rows = []
    for m in ms[keep].itertuples(index=False):
        rows.append(
            {
                "event_id": str(m.milestone_id),
                "date": text(m.date),
                "scope": str(m.scope),
                "kind": str(m.kind),
                "description_zh": text(m.description_zh),
                "source_id": str(m.source_id),
                "locator": text(m.locator),
                "quote": text(m.quote),
            }
        )
    have = {(r["scope"], r["date"]) for r in rows if r["kind"] == "deadline"}
    for t in applicable_targets(ds, locality_id).itertuples(index=False):
        deadline = text(t.deadline)
        if deadline and (str(t.scope), deadline) not in have:
            have.add((str(t.scope), deadline))
            rows.append(
                {
                    "event_id": str(t.target_id),
                    "date": deadline,
                    "scope": str(t.scope),
                    "kind": "deadline",
                    "description_zh": text(t.description_zh),
                    "source_id": str(t.source_id),
                    "locator": text(t.locator),
                    "quote": text(t.quote),
                }
            )
    columns = [
        "event_id",
        "date",
        "scope",
        "kind",
        "description_zh",
        "source_id",
        "locator",
        "quote",
    ]
    events = pd.DataFrame(rows, columns=columns)
    events["start"] = [pd.Timestamp(period_bounds(d)[0]) for d in events["date"]]
    events["lane"] = ["local" if s == locality_id else "policy" for s in events["scope"]]
    return events.sort_values(["start", "event_id"], kind="stable").reset_index(drop=True)


def programme_facts(ds: Any, locality_id: str) -> pd.DataFrame:
    """Facts on a provincial programme's indicators that no target measures directly.

    Indicators of a provincial programme carry the province slug as id prefix
    (``henan-experimental-school-applicants``); these facts give context to its targets.
    """
    scopes = [s for s in as_list(locality_row(ds, locality_id)["policy_scopes"]) if s != "national"]
    targeted = set(ds.targets["indicator_id"].dropna().astype(str))
    facts = _facts_of(ds, locality_id)
    keep = [
        any(str(i).startswith(f"{s}-") for s in scopes) and str(i) not in targeted
        for i in facts["indicator_id"]
    ]
    return facts[pd.Series(keep, index=facts.index, dtype=bool)].reset_index(drop=True)
