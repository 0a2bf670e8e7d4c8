"""Which localities compare with one, and which of their figures are like for like.

Peers are ranked by province, level and indicators in common (``peer_candidates``);
figures on one indicator compare only when unit, basis, scope class and (for a total over a
period) the period agree (``COMPARABILITY``, ``scope_class``).
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from reportlib.analysis.denominators import FACT_FIELDS
from reportlib.analysis.normalise import normalisations, normalised_rows
from reportlib.data.tables import (
    blank,
    equals,
    locality_ids,
    locality_position,
    locality_row,
    positions_by,
    positions_of,
    records,
    text,
)

if TYPE_CHECKING:
    from reportlib.data.dataset import Dataset


#: What must agree for two figures to be compared, in the order reasons are given.
COMPARABILITY = ("unit", "basis", "scope_class", "period")


_WHOLE_SCOPE = re.compile(r"全(?:省|市|区|县|镇)")


def scope_class(scope: Any) -> str:
    """``whole`` for a figure covering the whole locality (全区, 全县, 全市), else ``part``.

    A part is a subset (试点校, 直属学校, one school, one contest): its figures compare only
    with other parts, never with a whole locality's.
    """
    return "whole" if _WHOLE_SCOPE.fullmatch(text(scope).strip()) else "part"


def peer_candidates(ds: Dataset, locality_id: str) -> pd.DataFrame:
    """Every other locality reporting an indicator this one reports (as an achievement), best
    peers first: same province and level, then same level, then same province, then the rest;
    within each, most shared indicators first, then file order.

    Columns: ``locality_id``, ``same_province``, ``same_level``, ``shared`` (indicators in
    common). With thousands of localities a report shows the first few and counts the rest.
    """
    facts = ds.facts
    local = positions_of(facts, "locality_id", locality_id)
    local = local[equals(facts["kind"].take(local), "achievement")]
    mine = set(facts["indicator_id"].to_numpy()[local].tolist())
    # one pass over every fact for the few indicators, then the kinds of the rows found
    found = np.flatnonzero(facts["indicator_id"].isin(mine).to_numpy(dtype=bool, na_value=False))
    found = found[equals(facts["kind"].take(found), "achievement")]
    pairs = pd.DataFrame(
        {
            "locality_id": facts["locality_id"].to_numpy()[found],
            "indicator_id": facts["indicator_id"].to_numpy()[found],
        }
    ).drop_duplicates()
    shared = pairs.groupby("locality_id", sort=False)["indicator_id"].size()
    locs = ds.localities
    me = locality_row(ds, locality_id)
    table = pd.DataFrame({"locality_id": locality_ids(ds), "order": np.arange(len(locs))})
    table["shared"] = table["locality_id"].map(shared).fillna(0).astype(int)
    for column, flag in (("province", "same_province"), ("level", "same_level")):
        values = locs[column] if column in locs else pd.Series(pd.NA, index=locs.index)
        mine_value = me.get(column, pd.NA)
        table[flag] = (values == mine_value).to_numpy(dtype=bool, na_value=False)
    table = table[(table["shared"] > 0) & (table["locality_id"] != locality_id)]
    tier = np.select(
        [table["same_province"] & table["same_level"], table["same_level"], table["same_province"]],
        [0, 1, 2],
        default=3,
    )
    table = table.assign(tier=tier).sort_values(["tier", "shared", "order"], ascending=[1, 0, 1])
    return table[["locality_id", "same_province", "same_level", "shared"]].reset_index(drop=True)


def peer_localities(ds: Dataset, locality_id: str, limit: int = 5) -> list[str]:
    """The ``limit`` best peers of ``peer_candidates`` (same province and level first)."""
    return peer_candidates(ds, locality_id)["locality_id"].head(limit).tolist()


_PEER_COLUMNS = [
    "indicator_id",
    "locality_id",
    "fact_id",
    "value",
    "unit",
    "scope",
    "scope_class",
    "as_of",
    "basis",
    "normalise",
    "normalised",
    "denominator_basis",
    "comparable",
    "differs",
]


def _comparison_key(fact: dict[str, Any]) -> dict[str, str]:
    """The attributes that must agree: unit, basis, scope class and, for a period, the period."""
    basis = text(fact.get("basis"))
    return {
        "unit": text(fact["unit"]),
        "basis": basis,
        "scope_class": scope_class(fact["scope"]),
        # two totals over a period compare only over the same period
        "period": text(fact["as_of"]) if basis == "period" else "",
    }


def _mark_comparable(group: list[dict[str, Any]]) -> list[tuple[bool, str]]:
    """(comparable, what differs) for each fact of one indicator, in order.

    Facts whose unit, basis, scope class (and period) agree with those of a fact of another
    locality are comparable; the others get the attributes that vary across the indicator.
    """
    keys = [_comparison_key(f) for f in group]
    frozen = [tuple(k.values()) for k in keys]
    localities: dict[tuple[str, ...], set[str]] = {}
    for key, fact in zip(frozen, group, strict=True):
        localities.setdefault(key, set()).add(str(fact["locality_id"]))
    varying = [c for c in COMPARABILITY if len({k[c] for k in keys}) > 1]
    return [
        (len(localities[key]) > 1, "" if len(localities[key]) > 1 else ";".join(varying))
        for key in frozen
    ]


def peers_table(ds: Dataset, localities: list[str] | None = None) -> pd.DataFrame:
    """Indicators reported (as achievements) by two or more localities, side by side.

    One row per (indicator, locality) with the raw value, scope, basis and the per-school /
    per-1,000-students value where that locality's whole is known or implied. ``comparable``
    is True only when another locality's figure on the indicator agrees in unit, basis,
    scope class and (for a total over a period) period; otherwise ``differs`` lists which of
    ``COMPARABILITY`` vary. ``localities`` limits the comparison (default: all, file order).
    """
    chosen = locality_ids(ds) if localities is None else list(localities)
    for lid in chosen:
        locality_position(ds, lid)
    normalise_of = normalisations(ds)
    fields = [*FACT_FIELDS, "scope", "as_of", "basis"]
    by_locality = positions_by(ds.facts, "locality_id", list(dict.fromkeys(chosen)))
    norms: dict[str, dict[str, dict[str, Any]]] = {}
    achieved: list[tuple[int, dict[str, Any]]] = []
    for lid, positions in by_locality.items():
        facts = records(ds.facts, positions, fields)
        norms[lid] = {}
        for row in normalised_rows(ds, facts, normalise_of):
            norms[lid].setdefault(row["fact_id"], row)
        achieved += [
            (p, f)
            for p, f in zip(positions.tolist(), facts, strict=True)
            if f["kind"] == "achievement"
        ]
    achieved.sort(key=lambda pf: pf[0])  # file order across localities
    by_indicator: dict[Any, list[dict[str, Any]]] = {}
    for _, f in achieved:
        by_indicator.setdefault(f["indicator_id"], []).append(f)
    rows = []
    for ind in ds.indicators["indicator_id"].tolist():
        group = by_indicator.get(ind, [])
        if len({f["locality_id"] for f in group if not blank(f["locality_id"])}) < 2:
            continue
        for fact, (comparable, differs) in zip(group, _mark_comparable(group), strict=True):
            norm = norms[str(fact["locality_id"])].get(str(fact["fact_id"]))
            rows.append(
                {
                    "indicator_id": ind,
                    "locality_id": str(fact["locality_id"]),
                    "fact_id": str(fact["fact_id"]),
                    "value": float(fact["value"]),
                    "unit": text(fact["unit"]),
                    "scope": text(fact["scope"]),
                    "scope_class": scope_class(fact["scope"]),
                    "as_of": text(fact["as_of"]),
                    "basis": text(fact.get("basis")),
                    "normalise": norm["normalise"] if norm else "",
                    "normalised": float(norm["normalised"]) if norm else math.nan,
                    "denominator_basis": norm["denominator_basis"] if norm else "",
                    "comparable": comparable,
                    "differs": differs,
                }
            )
    return pd.DataFrame(rows, columns=_PEER_COLUMNS)
