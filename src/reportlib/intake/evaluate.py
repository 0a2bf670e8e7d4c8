"""Drafted figures against curated ones: recall and precision by value and unit."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Score:
    """How many curated figures a draft has (recall) and how many drafts are curated."""

    curated: int
    found: int
    drafted: int
    matching: int
    missed: list[str]  # curated fact ids with no draft of the same value and unit
    extra: list[str]  # draft fact ids with no curated figure of the same value and unit

    @property
    def recall(self) -> float:
        return self.found / self.curated if self.curated else 1.0

    @property
    def precision(self) -> float:
        return self.matching / self.drafted if self.drafted else 1.0


def _keys(frame: pd.DataFrame) -> list[tuple[float, str]]:
    return [
        (round(float(v), 6), str(u)) for v, u in zip(frame["value"], frame["unit"], strict=True)
    ]


def compare(drafts: pd.DataFrame, curated: pd.DataFrame) -> Score:
    """Score the draft facts of one source against the curated facts of the same source."""
    draft_keys, curated_keys = _keys(drafts), _keys(curated)
    mine, theirs = set(draft_keys), set(curated_keys)
    missed = [f for f, k in zip(curated["fact_id"], curated_keys, strict=True) if k not in mine]
    extra = [f for f, k in zip(drafts["fact_id"], draft_keys, strict=True) if k not in theirs]
    return Score(
        len(curated),
        len(curated) - len(missed),
        len(drafts),
        len(drafts) - len(extra),
        missed,
        extra,
    )


def total(scores: list[Score]) -> Score:
    """The scores of several sources added up."""
    return Score(
        sum(s.curated for s in scores),
        sum(s.found for s in scores),
        sum(s.drafted for s in scores),
        sum(s.matching for s in scores),
        [m for s in scores for m in s.missed],
        [e for s in scores for e in s.extra],
    )
