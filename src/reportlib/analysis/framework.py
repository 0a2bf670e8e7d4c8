"""The national notice's items, and which of them a provincial item or an indicator serves.

Provincial framework items map to national ones through ``maps_to``; an indicator serves
the national items its task maps to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

from reportlib.data.tables import as_list, blank, positions_of

if TYPE_CHECKING:
    from reportlib.data.dataset import Dataset


def _na_last(value: Any) -> tuple[bool, Any]:
    """Sort key putting missing values last, as ``sort_values`` does."""
    return (True, 0) if blank(value) else (False, value)


def national_items(ds: Dataset) -> pd.DataFrame:
    """The national notice's tasks then safeguards, each in printed order."""
    fw = ds.framework
    kind_order = {"task": 0, "safeguard": 1}
    ids, kinds, numbers = (fw[c].tolist() for c in ("task_id", "kind", "number"))
    moe = [i for i, tid in enumerate(ids) if str(tid).startswith("moe-")]
    # sorted() is stable, as sort_values(kind="stable") was
    moe.sort(key=lambda i: (_na_last(kind_order.get(kinds[i])), _na_last(numbers[i])))
    return fw.take(moe).reset_index(drop=True)


def national_lookup(ds: Dataset) -> Callable[[Any], list[str]]:
    """``national_tasks_of`` for many ids: the framework read once into a dict."""
    maps: dict[Any, list[str]] = {}
    for tid, maps_to in zip(
        ds.framework["task_id"].tolist(), ds.framework["maps_to"].tolist(), strict=True
    ):
        maps.setdefault(tid, as_list(maps_to))  # the first row wins, as in national_tasks_of

    def lookup(task_id: Any) -> list[str]:
        if blank(task_id):
            return []
        if str(task_id).startswith("moe-"):
            return [str(task_id)]
        return maps.get(task_id, [])

    return lookup


def national_tasks_of(ds: Dataset, task_id: str) -> list[str]:
    """A framework id mapped to national ids (provincial items through ``maps_to``)."""
    if blank(task_id):
        return []
    if str(task_id).startswith("moe-"):
        return [str(task_id)]
    rows = positions_of(ds.framework, "task_id", task_id)
    return as_list(ds.framework["maps_to"].iloc[rows[0]]) if len(rows) else []


def indicator_tasks(
    ds: Dataset, lookup: Callable[[Any], list[str]] | None = None
) -> dict[str, list[str]]:
    """Indicator id → the national ids its task maps to."""
    lookup = lookup or national_lookup(ds)
    ind = ds.indicators
    return {
        str(i): lookup(t)
        for i, t in zip(ind["indicator_id"].tolist(), ind["task_id"].tolist(), strict=True)
    }
