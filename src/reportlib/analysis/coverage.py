"""How far a locality's records cover each item of the national notice.

For each national task and safeguard, in printed order, an evidence level (``quantified``,
``described``, ``planned``, ``none``) from the AI-specific records and, apart, from the
general school-IT ones, with the evidence ids behind it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from reportlib.analysis.framework import indicator_tasks, national_items, national_lookup
from reportlib.data.tables import (
    blank,
    locality_ids,
    locality_position,
    positions_by,
    records,
    text,
)

if TYPE_CHECKING:
    from reportlib.data.dataset import Dataset


EVIDENCE_LEVELS = ("quantified", "described", "planned", "none")


#: Fact bases that record one event or allocation: they show an action, not a level.
ONE_OFF_BASES = ("event",)


_COVERAGE_COLUMNS = [
    "task_id",
    "name_zh",
    "kind",
    "level",
    "general_level",
    "n_facts",
    "n_measures",
    "n_commitments",
    "evidence_ids",
    "general_ids",
]


def _flag(value: Any, default: bool = True) -> bool:
    """A boolean cell (``True``/``"true"``); ``default`` when the cell or column is absent."""
    if blank(value):
        return default
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def ai_specific_indicators(ds: Dataset) -> dict[str, bool]:
    """Indicator id → whether its figures are about AI education (``ai_specific``).

    False marks general school-IT figures (terminals, platform registration, ICT training):
    they are shown as general evidence, never as evidence of AI education. Without the
    column every indicator counts as AI-specific.
    """
    ind = ds.indicators
    flags = ind["ai_specific"].tolist() if "ai_specific" in ind else [None] * len(ind)
    return {str(i): _flag(f) for i, f in zip(ind["indicator_id"].tolist(), flags, strict=True)}


def _evidence_order(
    facts: list[dict[str, Any]], measures: list[str], plans: list[str]
) -> list[str]:
    """Evidence ids, what sets the level first: figures of a level reached, then measures,
    then one-off and planned figures, then commitments."""
    level = [
        f["fact_id"]
        for f in facts
        if f["kind"] == "achievement" and text(f.get("basis")) not in ONE_OFF_BASES
    ]
    rest = [f["fact_id"] for f in facts if f["fact_id"] not in level]
    return [*level, *measures, *rest, *plans]


class _CoverageBasis:
    """What every locality's coverage needs, read once: items, indicator and task maps."""

    def __init__(self, ds: Dataset) -> None:
        self.items = national_items(ds)
        self.lookup = national_lookup(ds)
        self.ind_tasks = indicator_tasks(ds, self.lookup)
        self.ai = ai_specific_indicators(ds)

    @staticmethod
    def _level(facts: list[dict[str, Any]], measures: list[str], plans: list[str]) -> str:
        """quantified (a figure of a level reached), described, planned or none."""
        done = [f for f in facts if f["kind"] == "achievement"]
        if any(text(f.get("basis")) not in ONE_OFF_BASES for f in done):
            return "quantified"
        # a one-off figure (one allocation, one contest) shows an action, not a level
        if measures or done:
            return "described"
        if plans or facts:
            return "planned"
        return "none"

    def rows(
        self,
        facts: list[dict[str, Any]],
        measures: list[dict[str, Any]],
        commitments: list[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        """One row per national item for one locality's records.

        ``level`` counts only AI-specific evidence (indicators and measures flagged
        ``ai_specific``) and commitments; ``general_level`` the general school-IT evidence.
        """
        # national ids of each record, worked out once rather than once per item
        f_tasks = [(f, self.ind_tasks.get(f["indicator_id"], [])) for f in facts]
        m_tasks = [(m, self.lookup(m["task_id"])) for m in measures]
        c_tasks = [(c["commitment_id"], self.lookup(c["task_id"])) for c in commitments]
        rows = []
        items = self.items
        for task_id, name_zh, kind in zip(
            items["task_id"].tolist(),
            items["name_zh"].tolist(),
            items["kind"].tolist(),
            strict=True,
        ):
            tid = str(task_id)
            task_facts = [f for f, tasks in f_tasks if tid in tasks]
            task_measures = [m for m, tasks in m_tasks if tid in tasks]
            task_commit = [c for c, tasks in c_tasks if tid in tasks]
            ai_facts = [f for f in task_facts if self.ai.get(str(f["indicator_id"]), True)]
            it_facts = [f for f in task_facts if not self.ai.get(str(f["indicator_id"]), True)]
            ai_measures = [
                str(m["measure_id"]) for m in task_measures if _flag(m.get("ai_specific"))
            ]
            it_measures = [
                str(m["measure_id"]) for m in task_measures if not _flag(m.get("ai_specific"))
            ]
            general = self._level(it_facts, it_measures, [])
            rows.append(
                {
                    "task_id": tid,
                    "name_zh": name_zh,
                    "kind": kind,
                    "level": self._level(ai_facts, ai_measures, task_commit),
                    "general_level": general,
                    "n_facts": len(task_facts),
                    "n_measures": len(task_measures),
                    "n_commitments": len(task_commit),
                    "evidence_ids": _evidence_order(ai_facts, ai_measures, task_commit),
                    "general_ids": [f["fact_id"] for f in it_facts] + it_measures,
                }
            )
        return rows


def _coverage_records(
    ds: Dataset, localities: list[str]
) -> dict[str, tuple[list[dict], list[dict], list[dict]]]:
    """Each locality's (facts, measures, commitments) records: one pass over each table."""
    facts = positions_by(ds.facts, "locality_id", localities)
    measures = positions_by(ds.measures, "locality_id", localities)
    commitments = positions_by(ds.commitments, "locality_id", localities)
    return {
        lid: (
            records(ds.facts, facts[lid], ["fact_id", "indicator_id", "kind", "basis"]),
            records(ds.measures, measures[lid], ["measure_id", "task_id", "ai_specific"]),
            records(ds.commitments, commitments[lid], ["commitment_id", "task_id"]),
        )
        for lid in localities
    }


def coverage_rows(ds: Dataset, localities: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each locality's ``coverage`` rows (dicts), from one pass over each table for them all.

    For many localities at once (the overview). An id with no records gets level ``none``
    everywhere; ``coverage`` and ``coverage_matrix`` check the ids first.
    """
    basis = _CoverageBasis(ds)
    by_locality = _coverage_records(ds, list(dict.fromkeys(localities)))
    return {lid: basis.rows(*mine) for lid, mine in by_locality.items()}


def coverage(ds: Dataset, locality_id: str) -> pd.DataFrame:
    """Evidence level for each national task and safeguard, in printed order."""
    locality_position(ds, locality_id)
    rows = coverage_rows(ds, [locality_id])[locality_id]
    return pd.DataFrame(rows, columns=_COVERAGE_COLUMNS)


def coverage_matrix(
    ds: Dataset, localities: list[str] | None = None, general: bool = False
) -> pd.DataFrame:
    """Localities (rows, file order) × national tasks (columns, printed order) → level.

    ``general=True`` gives each cell's ``general_level`` (general school-IT evidence).
    """
    chosen = locality_ids(ds) if localities is None else list(localities)
    for lid in chosen:
        locality_position(ds, lid)
    by_locality = coverage_rows(ds, chosen)
    data = {}
    for lid in chosen:
        rows = by_locality[lid]
        data[lid] = pd.Series(
            [r["general_level" if general else "level"] for r in rows],
            index=pd.Index([r["task_id"] for r in rows], name="task_id"),
            name="level",
        )
    matrix = pd.DataFrame(data).T
    matrix.index.name = "locality_id"
    return matrix[list(national_items(ds)["task_id"])]


def coverage_counts(ds: Dataset, locality_id: str) -> dict[str, int]:
    """How many of the national items sit at each evidence level."""
    levels = coverage(ds, locality_id)["level"]
    return {level: int((levels == level).sum()) for level in EVIDENCE_LEVELS}
