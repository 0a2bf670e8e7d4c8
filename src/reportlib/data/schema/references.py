"""Checks that span tables: references between them, the places above the localities, and
``cross_check``, which runs every check that needs more than one table.

A table that failed to load cannot vouch for anything: references to it are not reported.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from reportlib.data.schema.figures import fact_checks
from reportlib.data.schema.problems import (
    ids_in,
    known,
    list_ref_problems,
    problems_where,
    ref_problems,
)
from reportlib.data.schema.reading import RawTable
from reportlib.data.schema.texts import SourceTexts, personal_data, verify_quotes
from reportlib.errors import Problem

Tables = dict[str, RawTable | None]


def cross_check(tables: Tables, texts: SourceTexts) -> tuple[list[Problem], dict[str, pd.Series]]:
    """Checks spanning tables; also returns each quoted table's ``quote_verified`` column."""
    problems: list[Problem] = list(texts.problems)
    scopes, scope_problems = _scopes(tables)
    problems += scope_problems
    problems += _place_references(tables, scopes)
    problems += _framework_references(tables)
    problems += _record_references(tables, scopes)
    problems += fact_checks(tables.get("facts"))
    verified, quote_problems = verify_quotes(tables, texts)
    problems += quote_problems
    for table in tables.values():
        if table is not None:
            problems += personal_data(table)
    problems += _empty_localities(tables)
    return problems, verified


def _ref_to(
    t: Tables, table: str, column: str, target: str, what: Callable[[set[str]], str]
) -> list[Problem]:
    """``table.column`` cells name an id of ``target`` (unless ``target`` did not load)."""
    valid = ids_in(t.get(target), _ID_COLUMNS[target])
    skip = t.get(target) is None
    return ref_problems(t.get(table), column, valid, what(valid), skip=skip)


_ID_COLUMNS = {
    "sources": "source_id",
    "localities": "locality_id",
    "framework": "task_id",
    "indicators": "indicator_id",
}


def _source_msg(ids: set[str]) -> str:
    return f"a source_id from sources.csv: {known(ids)}"


def _locality_msg(ids: set[str]) -> str:
    return f"a locality_id: {known(ids)}"


def _task_msg(ids: set[str]) -> str:
    return f"a task_id from framework.csv: {known(ids)}"


def _indicator_msg(ids: set[str]) -> str:
    return f"an indicator_id from indicators.csv: {known(ids)}"


def _scopes(t: Tables) -> tuple[set[str], list[Problem]]:
    """The scopes a policy can have (national, provinces, notices' scopes); a reply's scope."""
    locality_ids = ids_in(t.get("localities"), "locality_id")
    scopes = {"national"} | ids_in(t.get("localities"), "province")
    problems: list[Problem] = []
    sources = t.get("sources")
    if sources is None or not {"kind", "scope"} <= set(sources.frame.columns):
        return scopes, problems
    frame = sources.frame
    scopes |= set(frame.loc[frame["kind"] != "proposal_reply", "scope"].dropna())
    replies = frame["kind"] == "proposal_reply"
    if t.get("localities") is not None:
        bad = replies & ~frame["scope"].isin(locality_ids)
        problems += problems_where(
            sources, bad, "scope", f"for a proposal_reply, a locality_id: {known(locality_ids)}"
        )
        if "locality_id" in frame.columns:
            bad = replies & frame["locality_id"].isna()
            problems += problems_where(
                sources, bad, "locality_id", "the locality that answered (a reply needs one)"
            )
    return scopes, problems


def _scope_msg(scopes: set[str]) -> str:
    return f"a scope: national or a province slug ({known(scopes)})"


def _place_references(t: Tables, scopes: set[str]) -> list[Problem]:
    """A reply's locality, the localities' policy scopes, provinces and parents."""
    problems = _ref_to(t, "sources", "locality_id", "localities", _locality_msg)
    problems += list_ref_problems(t.get("localities"), "policy_scopes", scopes, _scope_msg(scopes))
    return problems + hierarchy_checks(t.get("regions"), t.get("localities"))


def _framework_references(t: Tables) -> list[Problem]:
    """The framework's sources and cross-references, the indicators' tasks."""
    task_ids = ids_in(t.get("framework"), "task_id")
    problems = _ref_to(t, "framework", "source_id", "sources", _source_msg)
    problems += list_ref_problems(t.get("framework"), "maps_to", task_ids, _task_msg(task_ids))
    return problems + _ref_to(t, "indicators", "task_id", "framework", _task_msg)


def _record_references(t: Tables, scopes: set[str]) -> list[Problem]:
    """Every record's source, locality, task, indicator and scope."""
    problems: list[Problem] = []
    for name in ("targets", "facts", "measures", "milestones", "commitments", "challenges"):
        problems += _ref_to(t, name, "source_id", "sources", _source_msg)
    for name in ("facts", "measures", "commitments", "milestones", "challenges"):
        problems += _ref_to(t, name, "locality_id", "localities", _locality_msg)
    for name in ("targets", "measures", "commitments"):
        problems += _ref_to(t, name, "task_id", "framework", _task_msg)
    for name, column in (
        ("targets", "indicator_id"),
        ("facts", "indicator_id"),
        ("facts", "denominator"),
    ):
        problems += _ref_to(t, name, column, "indicators", _indicator_msg)
    scope_msg = _scope_msg(scopes)
    problems += ref_problems(t.get("targets"), "scope", scopes, scope_msg)
    locality_ids = ids_in(t.get("localities"), "locality_id")
    problems += ref_problems(
        t.get("milestones"), "scope", scopes | locality_ids, scope_msg[:-1] + " or a locality_id)"
    )
    return problems


def _empty_localities(t: Tables) -> list[Problem]:
    """A locality with no fact, measure or commitment at all would get an empty report."""
    localities = t.get("localities")
    children = [t.get(name) for name in ("facts", "measures", "commitments")]
    if localities is None or any(c is None for c in children):
        return []
    with_rows: set[str] = set()
    for child in children:
        with_rows |= ids_in(child, "locality_id")
    frame = localities.frame
    if "locality_id" not in frame.columns:
        return []
    bare = frame["locality_id"].notna() & ~frame["locality_id"].isin(with_rows)
    return problems_where(
        localities,
        bare,
        "locality_id",
        "a locality with at least one row in facts.csv, measures.csv or commitments.csv "
        "(its report would be empty): add its records or remove the locality",
    )


def hierarchy_checks(regions: RawTable | None, localities: RawTable | None) -> list[Problem]:
    """Provinces and parents exist: regions.csv's provinces and cities above localities.csv.

    A region's ``province`` is a province region (itself, for a province); a locality's
    ``province`` is a province region with that ``province_zh``, its ``parent`` the name of
    that province or of one of its cities; no region id is also a locality id.
    """
    if regions is None or localities is None:
        return []
    reg = regions.frame
    if not {"region_id", "name_zh", "level", "province"} <= set(reg.columns):
        return []  # the missing column is reported by the table's own check
    provinces = reg[reg["level"] == "province"]
    province_ids = set(provinces["region_id"].dropna())
    province_zh = dict(zip(provinces["region_id"], provinces["name_zh"], strict=True))
    problems = problems_where(
        regions,
        reg["province"].notna() & ~reg["province"].isin(province_ids),
        "province",
        f"a province's region_id from regions.csv: {known(province_ids)}",
    )
    problems += problems_where(
        regions,
        (reg["level"] == "province") & (reg["province"] != reg["region_id"]),
        "province",
        "for a province, its own region_id",
    )
    locality_ids = ids_in(localities, "locality_id")
    problems += problems_where(
        regions,
        reg["region_id"].isin(locality_ids | {"all"}),
        "region_id",
        "an id that is not also a locality_id (nor 'all'): reports are named by id",
    )
    return problems + _locality_places(reg, localities, province_ids, province_zh)


def _locality_places(
    reg: pd.DataFrame, localities: RawTable, province_ids: set[str], province_zh: dict[str, str]
) -> list[Problem]:
    """A locality's province is a province region, its parent one of that province's regions."""
    loc = localities.frame
    if not {"province", "parent", "province_zh"} <= set(loc.columns):
        return []
    problems = problems_where(
        localities,
        loc["province"].notna() & ~loc["province"].isin(province_ids),
        "province",
        f"a province's region_id from regions.csv: {known(province_ids)}",
    )
    known_prov = loc["province"].isin(province_ids)
    wanted_zh = loc["province"].map(province_zh)
    problems += problems_where(
        localities,
        known_prov & loc["province_zh"].notna() & (loc["province_zh"] != wanted_zh),
        "province_zh",
        "the name_zh of its province in regions.csv: " + wanted_zh.fillna("").astype(str),
    )
    # A parent is the province itself or one of that province's cities, by name.
    parents = set(zip(reg["province"], reg["name_zh"], strict=True))
    has_parent = [(p, n) in parents for p, n in zip(loc["province"], loc["parent"], strict=True)]
    names = reg.groupby("province")["name_zh"].agg(lambda s: "、".join(sorted(s.dropna())))
    problems += problems_where(
        localities,
        known_prov & loc["parent"].notna() & ~np.asarray(has_parent, dtype=bool),
        "parent",
        "a region of its province in regions.csv: " + loc["province"].map(names).fillna(""),
    )
    return problems
