"""Achievement counts per school, per 1,000 students or per teacher.

A count is divided by a whole the locality reports or whose percentages imply it
(``denominators.known_wholes``), and only where the rate reads naturally.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from reportlib.analysis.denominators import DENOMINATORS, FACT_FIELDS, known_wholes
from reportlib.data.tables import blank, fact_records, text

if TYPE_CHECKING:
    from reportlib.data.dataset import Dataset


#: Multiplier applied to value / denominator for each normalisation.
_NORMALISE_FACTOR = {"per_school": 1.0, "per_1000_students": 1000.0, "per_teacher": 1.0}


_NORMALISED_COLUMNS = [
    "fact_id",
    "indicator_id",
    "value",
    "unit",
    "normalise",
    "denominator",
    "denominator_value",
    "denominator_basis",
    "denominator_facts",
    "normalised",
]


def normalisations(ds: Dataset) -> dict[Any, Any]:
    """Indicator id → its ``normalise`` cell."""
    ind = ds.indicators
    return dict(zip(ind["indicator_id"].tolist(), ind["normalise"].tolist(), strict=True))


def normalised_rows(
    ds: Dataset, facts: list[dict[str, Any]], normalise_of: dict[Any, Any]
) -> list[dict[str, Any]]:
    """``normalise`` rows for one locality's fact records."""
    known = known_wholes(ds, facts)
    shares = {
        (text(f["share_of"]), text(f["denominator"])) for f in facts if not blank(f["share_of"])
    }
    rows = []
    for fact in facts:
        if (
            text(fact["unit"]) == "%"
            or fact["kind"] != "achievement"
            or fact["indicator_id"] not in normalise_of
        ):
            continue
        how = text(normalise_of[fact["indicator_id"]])
        denom = DENOMINATORS.get(how)
        if denom is None or denom not in known or fact["indicator_id"] == denom:
            continue
        if (str(fact["fact_id"]), denom) in shares:
            continue  # 13.24万 registered ÷ students implied by that very 90.5%: circular
        whole, basis, used = known[denom]
        normalised = float(fact["value"]) / whole * _NORMALISE_FACTOR[how]
        if normalised < 1 and not (how == "per_school" and text(fact["unit"]) == "所"):
            # "每校0.0094个实验室" reads as nothing; a count of schools reads as a share
            continue
        rows.append(
            {
                "fact_id": str(fact["fact_id"]),
                "indicator_id": str(fact["indicator_id"]),
                "value": float(fact["value"]),
                "unit": text(fact["unit"]),
                "normalise": how,
                "denominator": denom,
                "denominator_value": whole,
                "denominator_basis": basis,
                "denominator_facts": used,
                "normalised": normalised,
            }
        )
    return rows


def normalise(ds: Dataset, locality_id: str) -> pd.DataFrame:
    """Achievement counts divided by a known or implied whole (per school, per 1,000 students).

    Only rates that read naturally: at least one per school (per teacher, per 1,000
    students); a count of schools below one per school is kept, as a share of all schools.
    """
    facts = fact_records(ds, locality_id, FACT_FIELDS)
    return pd.DataFrame(normalised_rows(ds, facts, normalisations(ds)), columns=_NORMALISED_COLUMNS)
