"""A fact's figure against its printed text and quote, and the links between facts.

``value_text`` is the number as the source prints it (``1.13万``, ``4000多万``): it must be
readable, occur in the quote, agree with ``value`` in base units and with the qualifier
(多/余 is a lower bound). A percentage links to its count (``share_of``) in the same
locality, and only a percentage names a ``denominator``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reportlib.data.numbers import PrintedNumber, try_parse_number
from reportlib.data.schema.fields import numeric
from reportlib.data.schema.problems import problems_where
from reportlib.data.schema.reading import RawTable
from reportlib.data.schema.vocabulary import strip_whitespace
from reportlib.errors import Problem


def fact_checks(facts: RawTable | None) -> list[Problem]:
    """Numbers against their printed text, and share_of links."""
    if facts is None:
        return []
    problems: list[Problem] = []
    if "value_text" in facts.frame.columns:
        problems += _printed_number_checks(facts)
    return problems + _link_checks(facts)


def _printed_number_checks(facts: RawTable) -> list[Problem]:
    """``value_text`` readable, accounted for, in the quote, and agreeing with the figure."""
    frame = facts.frame
    cols = set(frame.columns)
    texts = frame["value_text"]
    parsed = {v: try_parse_number(v) for v in texts.dropna().unique()}
    unreadable = texts.isin([v for v, p in parsed.items() if p is None])
    problems = problems_where(
        facts,
        unreadable,
        "value_text",
        "the number as printed, e.g. 1.13万, 4000多万, 14千余, 90.5 (no unit or words)",
    )
    if "note" in cols:
        # A figure with no printed number must say how it was counted from the quote.
        uncounted = texts.isna() & frame["note"].isna()
        problems += problems_where(
            facts,
            uncounted,
            "value_text",
            "the number as printed, or (for a figure counted from items the quote names) "
            "an empty value_text and a note saying how it was counted",
        )
    if "qualifier" in cols:
        marked = texts.isin([v for v, p in parsed.items() if p is not None and p.marker])
        loose = marked & frame["qualifier"].notna() & (frame["qualifier"] != "more_than")
        problems += problems_where(
            facts, loose, "qualifier", "more_than, since value_text carries 多/余 (a lower bound)"
        )
    if "value" in cols:
        problems += _value_differs(facts, parsed)
    if "quote" in cols:
        problems += _text_outside_quote(facts, unreadable)
    return problems


def _value_differs(facts: RawTable, parsed: dict[str, PrintedNumber | None]) -> list[Problem]:
    """``value`` is ``value_text`` in base units."""
    frame = facts.frame
    texts = frame["value_text"]
    values = pd.Series({v: p.value for v, p in parsed.items() if p is not None}, dtype=float)
    expected_value = texts.map(values).astype(float)
    value = numeric(frame["value"])
    differs = (
        value.notna()
        & expected_value.notna()
        & ((value - expected_value).abs() > 1e-9 * np.maximum(1.0, expected_value.abs()))
    )
    return [
        Problem(
            facts.file,
            int(facts.lines[i]),
            "value",
            str(frame["value"].iloc[i]),
            f"the value of value_text {texts.iloc[i]!r} in base units: "
            f"{expected_value.iloc[i]:.15g}",
        )
        for i in np.flatnonzero(differs.to_numpy())
    ]


def _text_outside_quote(facts: RawTable, unreadable: pd.Series) -> list[Problem]:
    """The printed number occurs in the row's quote (whitespace removed from both)."""
    frame = facts.frame
    pair = frame["value_text"].notna() & frame["quote"].notna() & ~unreadable
    pairs = frame.loc[pair, ["value_text", "quote"]]
    outside = [
        (number, quote)
        for number, quote in pairs.drop_duplicates().itertuples(index=False)
        if strip_whitespace(number) not in strip_whitespace(quote)
    ]
    if not outside:
        return []
    missing = pd.Series(False, index=frame.index)
    missing[pair] = pd.MultiIndex.from_frame(pairs).isin(outside)
    return problems_where(
        facts, missing, "value_text", "text that occurs in the row's quote, as printed"
    )


def _link_checks(facts: RawTable) -> list[Problem]:
    """A share links to a count of its own locality; only a percentage links at all."""
    frame = facts.frame
    cols = set(frame.columns)
    problems: list[Problem] = []
    if {"share_of", "locality_id", "fact_id"} <= cols:
        problems += _share_of_checks(facts)
    if "unit" in cols:
        for column in ("share_of", "denominator"):
            if column in cols:
                bad = frame[column].notna() & (frame["unit"] != "%")
                problems += problems_where(
                    facts, bad, column, f"{column} only on a percentage fact (unit '%')"
                )
    return problems


def _share_of_checks(facts: RawTable) -> list[Problem]:
    """``share_of`` names a fact of facts.csv, of the same locality."""
    frame = facts.frame
    linked = frame[frame["share_of"].notna()]
    known = linked["share_of"].isin(frame["fact_id"])
    owner = (
        frame.loc[frame["fact_id"].isin(linked["share_of"]), ["fact_id", "locality_id"]]
        .drop_duplicates("fact_id")
        .set_index("fact_id")["locality_id"]
    )
    other = known & (linked["share_of"].map(owner) != linked["locality_id"])
    problems = problems_where(
        facts,
        frame.index.isin(linked.index[other.to_numpy()]),
        "share_of",
        "a fact of the same locality (share_of links a % to its count)",
    )
    dangling = frame.index.isin(linked.index[~known.to_numpy()])
    return problems + problems_where(facts, dangling, "share_of", "a fact_id from facts.csv")
