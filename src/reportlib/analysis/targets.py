"""The policy targets that apply to a locality, and how far its figures reach them."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from reportlib.data.tables import (
    as_list,
    blank,
    fact_records,
    locality_row,
    positions_of,
    records,
    text,
)

if TYPE_CHECKING:
    from reportlib.data.dataset import Dataset


def applicable_targets(ds: Dataset, locality_id: str) -> pd.DataFrame:
    """Targets whose scope is among the locality's policy scopes."""
    scopes = as_list(locality_row(ds, locality_id)["policy_scopes"])
    return ds.targets[ds.targets["scope"].isin(scopes)].reset_index(drop=True)


def provincial_sources(ds: Dataset, locality_id: str) -> pd.DataFrame:
    """Provincial notices in the data for the locality's province (may be empty)."""
    province = text(locality_row(ds, locality_id)["province"])
    src = ds.sources
    return src[(src["kind"] == "provincial_notice") & (src["scope"] == province)].reset_index(
        drop=True
    )


def _nansum(values: list[Any]) -> float:
    """Sum ignoring NaN, as pandas sums a float column (same numpy summation order)."""
    return float(np.nansum(np.asarray(values, dtype=np.float64)))


_PROGRESS_COLUMNS = [
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
    "quota",
]


def target_progress(ds: Dataset, locality_id: str) -> pd.DataFrame:
    """Each applicable target with an indicator: target, reported achievement, share reached.

    ``reported`` is NaN when the locality reports no achievement figure for the indicator;
    ``pending`` sums its non-achievement figures (applications, plans) for context.
    ``quota`` is True when the target is a total for a wider area (a province-wide number
    of experimental schools): ``share`` is then the locality's share of it, not a rate of
    completion, and is not drawn as progress on a 0–100 % scale.
    """
    targets = records(applicable_targets(ds, locality_id))
    facts = fact_records(ds, locality_id, ["fact_id", "indicator_id", "unit", "kind", "value"])
    rows = []
    for t in targets:
        if blank(t["indicator_id"]):
            continue
        mine = [f for f in facts if f["indicator_id"] == t["indicator_id"] and f["unit"] != "%"]
        done = [f for f in mine if f["kind"] == "achievement"]
        other = [f for f in mine if f["kind"] != "achievement"]
        reported = _nansum([f["value"] for f in done]) if done else math.nan
        target_value = math.nan if blank(t["value"]) else float(t["value"])
        share = (
            reported / target_value
            if not math.isnan(reported) and target_value and not math.isnan(target_value)
            else math.nan
        )
        rows.append(
            {
                "target_id": str(t["target_id"]),
                "source_id": str(t["source_id"]),
                "scope": str(t["scope"]),
                "indicator_id": str(t["indicator_id"]),
                "description_zh": text(t["description_zh"]),
                "target": target_value,
                "qualifier": text(t["qualifier"]),
                "unit": text(t["unit"]),
                "period": text(t["period"]),
                "deadline": text(t["deadline"]),
                "reported": reported,
                "share": share,
                "pending": _nansum([f["value"] for f in other]) if other else math.nan,
                "fact_ids": [f["fact_id"] for f in done],
                "pending_ids": [f["fact_id"] for f in other],
                "quota": str(t["scope"]) != locality_id,
            }
        )
    return pd.DataFrame(rows, columns=_PROGRESS_COLUMNS)


def programme_facts(ds: Dataset, locality_id: str) -> pd.DataFrame:
    """Facts on a provincial programme's indicators that no target measures directly.

    Indicators of a provincial programme carry the province slug as id prefix
    (``henan-experimental-school-applicants``); these facts give context to its targets.
    """
    scopes = [s for s in as_list(locality_row(ds, locality_id)["policy_scopes"]) if s != "national"]
    targeted = set(ds.targets["indicator_id"].dropna().astype(str))
    positions = positions_of(ds.facts, "locality_id", locality_id)
    indicators = ds.facts["indicator_id"].to_numpy()[positions].tolist()
    keep = [
        p
        for p, i in zip(positions.tolist(), indicators, strict=True)
        if any(str(i).startswith(f"{s}-") for s in scopes) and str(i) not in targeted
    ]
    return ds.facts.take(keep).reset_index(drop=True)
