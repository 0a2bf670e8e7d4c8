"""The few figures a locality's report leads with."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pandas as pd

from reportlib.analysis.denominators import DENOMINATORS
from reportlib.analysis.framework import indicator_tasks, national_items
from reportlib.analysis.normalise import normalisations
from reportlib.data.tables import equals, locality_facts, positions_of, records, text

if TYPE_CHECKING:
    from reportlib.data.dataset import Dataset


def headline_figures(ds: Dataset, locality_id: str, n: int = 4) -> pd.DataFrame:
    """Up to ``n`` headline figures: the facts marked ``headline``, else a heuristic pick.

    The heuristic takes achievement counts, one per national item in printed order.

    Within an item, a figure on an indicator another locality also reports comes first, then
    a countable resource (normalisable per school or per 1,000 students), then the rest;
    percentages, wholes and figures written in Chinese numerals are skipped.
    """
    facts = locality_facts(ds, locality_id)
    if "headline" in facts and facts["headline"].any():
        # the analyst's pick (facts.csv column ``headline``) wins over the heuristic
        return facts[facts["headline"]].head(n).reset_index(drop=True)
    ind_tasks = indicator_tasks(ds)
    normalise_of = normalisations(ds)
    wholes = set(DENOMINATORS.values())
    candidates = [
        f
        for f in records(facts, None, ["fact_id", "indicator_id", "kind", "unit", "value_text"])
        if f["kind"] == "achievement"
        and f["unit"] != "%"
        and f["indicator_id"] not in wholes
        and re.match(r"^\d", text(f["value_text"]))
    ]
    shared: set[Any] = set()
    if candidates:  # one pass over every fact
        others = equals(ds.facts["kind"], "achievement")
        others[positions_of(ds.facts, "locality_id", locality_id)] = False
        shared = set(ds.facts["indicator_id"].to_numpy()[others].tolist())
    # Figures other localities also report first (comparable), then countable resources.
    candidates.sort(  # stable, as sort_values(kind="stable")
        key=lambda f: (
            0
            if f["indicator_id"] in shared
            else 1
            if normalise_of.get(f["indicator_id"], "none") != "none"
            else 2
        )
    )
    chosen: list[str] = []
    for tid in national_items(ds)["task_id"]:
        for fact in candidates:
            if tid in ind_tasks.get(fact["indicator_id"], []):
                chosen.append(str(fact["fact_id"]))
                break
        if len(chosen) >= n:
            break
    return facts.set_index("fact_id").loc[chosen].reset_index()
