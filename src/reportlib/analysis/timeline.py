"""The dated events of a locality's timeline: policy and local milestones, target deadlines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from reportlib.analysis.targets import applicable_targets
from reportlib.data import dates
from reportlib.data.tables import as_list, locality_row, records, text

if TYPE_CHECKING:
    from reportlib.data.dataset import Dataset


_EVENT_COLUMNS = [
    "event_id",
    "date",
    "date_text",
    "scope",
    "kind",
    "description_zh",
    "source_id",
    "locator",
    "quote",
]


def _milestone_events(ds: Dataset, scopes: list[str]) -> list[dict[str, Any]]:
    """The milestones of these scopes as events, in file order."""
    ms = ds.milestones
    keep = ms["scope"].isin(scopes).to_numpy(dtype=bool, na_value=False)
    fields = ["milestone_id", "date", "date_text", "scope", "kind", "description_zh", "source_id"]
    return [
        {
            "event_id": str(m["milestone_id"]),
            "date": text(m["date"]),
            "date_text": text(m.get("date_text")),
            "scope": str(m["scope"]),
            "kind": str(m["kind"]),
            "description_zh": text(m["description_zh"]),
            "source_id": str(m["source_id"]),
            "locator": text(m["locator"]),
            "quote": text(m["quote"]),
        }
        for m in records(ms, np.flatnonzero(keep), [*fields, "locator", "quote"])
    ]


def _deadline_events(
    ds: Dataset, locality_id: str, milestones: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Deadlines of the applicable targets that no ``deadline`` milestone of their scope has."""
    have = {(r["scope"], r["date"]) for r in milestones if r["kind"] == "deadline"}
    events = []
    for t in records(applicable_targets(ds, locality_id)):
        deadline = text(t["deadline"])
        if deadline and (str(t["scope"]), deadline) not in have:
            have.add((str(t["scope"]), deadline))
            events.append(
                {
                    "event_id": str(t["target_id"]),
                    "date": deadline,
                    "date_text": text(t.get("deadline_text")),
                    "scope": str(t["scope"]),
                    "kind": "deadline",
                    "description_zh": text(t["description_zh"]),
                    "source_id": str(t["source_id"]),
                    "locator": text(t["locator"]),
                    "quote": text(t["quote"]),
                }
            )
    return events


def timeline_events(ds: Dataset, locality_id: str) -> pd.DataFrame:
    """Dated events for the locality's timeline, oldest first.

    Milestones of the policy scopes that apply and of the locality itself, plus deadlines of
    applicable targets not already present as a ``deadline`` milestone of the same scope.
    ``lane`` is ``policy`` (national/provincial) or ``local``. ``date_text`` is the date as
    the text words it when that says more than ``date`` (``2030年前``, ``2020年底``).
    """
    scopes = as_list(locality_row(ds, locality_id)["policy_scopes"])
    rows = _milestone_events(ds, [*scopes, locality_id])
    rows += _deadline_events(ds, locality_id, rows)
    events = pd.DataFrame(rows, columns=_EVENT_COLUMNS)
    events["start"] = [pd.Timestamp(dates.period_bounds(d)[0]) for d in events["date"]]
    events["lane"] = ["local" if s == locality_id else "policy" for s in events["scope"]]
    return events.sort_values(["start", "event_id"], kind="stable").reset_index(drop=True)
