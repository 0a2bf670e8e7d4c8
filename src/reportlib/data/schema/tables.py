"""The declared pandera schema of each table: its columns, their types and rules.

One place per table says what a valid record is; ``docs/data.md`` documents the same
columns in the same order. Cross-table rules (references, quotes) are in ``references``,
``figures`` and ``texts``.
"""

from __future__ import annotations

import pandera.pandas as pa

from reportlib.data.schema.fields import (
    basis_words_check,
    date_column,
    enum_column,
    id_column,
    number_column,
    numeric,
    percent_check,
    period_basis_check,
    ref_column,
    slug_list_column,
    text_column,
)
from reportlib.data.schema.vocabulary import (
    BOOLEANS,
    FACT_BASES,
    FACT_KINDS,
    FRAMEWORK_KINDS,
    LOCALITY_LEVELS,
    MILESTONE_KINDS,
    NORMALISE,
    PERIODS,
    QUALIFIERS,
    REGION_LEVELS,
    SOURCE_KINDS,
)

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "sources": pa.DataFrameSchema(
        {
            "source_id": id_column(unique=True),
            # 〔short_label〕 is how every note cites the source (the full title is listed once)
            "short_label": text_column(optional=True),
            "title": text_column(),
            "issuer": text_column(),
            "doc_number": text_column(optional=True),
            "written_date": date_column(),
            "published_date": date_column(optional=True),
            "kind": enum_column(SOURCE_KINDS),
            "scope": id_column(),
            "locality_id": ref_column(optional=True),
            "text_file": text_column(optional=True),
            "note": text_column(optional=True),
            # printed under the source list: what a reader should know (excerpt, date inferred)
            "reader_note": text_column(optional=True),
        },
        name="sources.csv",
    ),
    "regions": pa.DataFrameSchema(
        {
            "region_id": id_column(unique=True),
            "name_zh": text_column(),
            "level": enum_column(REGION_LEVELS),
            "province": id_column(),
            "code": pa.Column(str, pa.Check.str_matches(r"[0-9]{6}"), nullable=True),
        },
        name="regions.csv",
    ),
    "localities": pa.DataFrameSchema(
        {
            "locality_id": id_column(unique=True),
            "name_zh": text_column(),
            "name_en": text_column(),
            "level": enum_column(LOCALITY_LEVELS),
            "province": id_column(),
            "province_zh": text_column(),
            "parent": text_column(),
            "policy_scopes": slug_list_column(),
        },
        name="localities.csv",
    ),
    "framework": pa.DataFrameSchema(
        {
            "task_id": id_column(unique=True),
            "source_id": ref_column(),
            "kind": enum_column(FRAMEWORK_KINDS),
            "number": pa.Column(
                int, pa.Check(lambda s: numeric(s) >= 1, error="a whole number >= 1"), coerce=True
            ),
            "name_zh": text_column(),
            "name_en": text_column(),
            "maps_to": slug_list_column(optional=True),
            "locator": text_column(),
            "quote": text_column(),
        },
        name="framework.csv",
    ),
    "targets": pa.DataFrameSchema(
        {
            "target_id": id_column(unique=True),
            "source_id": ref_column(),
            "scope": id_column(),
            "task_id": ref_column(optional=True),
            "indicator_id": ref_column(optional=True),
            "description_zh": text_column(),
            "value": number_column(optional=True, non_negative=True),
            "qualifier": enum_column(QUALIFIERS),
            "unit": text_column(optional=True),
            "period": enum_column(PERIODS),
            "deadline": date_column(optional=True),
            # the deadline as worded when that says more than the date (2030年前, 2020年底)
            "deadline_text": text_column(optional=True),
            "locator": text_column(),
            "quote": text_column(),
        },
        checks=[percent_check()],
        name="targets.csv",
    ),
    "indicators": pa.DataFrameSchema(
        {
            "indicator_id": id_column(unique=True),
            "name_zh": text_column(),
            "name_en": text_column(),
            "unit": text_column(),
            "task_id": ref_column(),
            "higher_is_better": enum_column(BOOLEANS),
            "normalise": enum_column(NORMALISE),
            # false for general school-IT figures (terminals, platforms, ICT training)
            "ai_specific": enum_column(BOOLEANS),
        },
        name="indicators.csv",
    ),
    "facts": pa.DataFrameSchema(
        {
            "fact_id": id_column(unique=True),
            "locality_id": ref_column(),
            "indicator_id": ref_column(),
            "value": number_column(non_negative=True),
            # Empty only for a figure counted from named items (one named county): see note.
            "value_text": text_column(optional=True),
            "qualifier": enum_column(QUALIFIERS),
            "unit": text_column(),
            "as_of": date_column(optional=True, period=True),
            "basis": enum_column(FACT_BASES),
            # a period as printed when it is relative (近三年): as_of is then approximate
            "period_text": text_column(optional=True),
            "scope": text_column(),
            "kind": enum_column(FACT_KINDS),
            "share_of": ref_column(optional=True),
            "denominator": ref_column(optional=True),
            "source_id": ref_column(),
            "locator": text_column(),
            "quote": text_column(),
            "note": text_column(optional=True),
            # an analyst's pick for the summary's headline figures; empty = not picked
            "headline": pa.Column(
                str, pa.Check.isin(BOOLEANS, error="true, false or empty"), nullable=True
            ),
        },
        checks=[
            percent_check(),
            period_basis_check(),
            basis_words_check(),
        ],
        name="facts.csv",
    ),
    "measures": pa.DataFrameSchema(
        {
            "measure_id": id_column(unique=True),
            "locality_id": ref_column(),
            "task_id": ref_column(),
            "description_zh": text_column(),
            "source_id": ref_column(),
            "locator": text_column(),
            "quote": text_column(),
            "ai_specific": enum_column(BOOLEANS),
        },
        name="measures.csv",
    ),
    "milestones": pa.DataFrameSchema(
        {
            "milestone_id": id_column(unique=True),
            "locality_id": ref_column(optional=True),
            "scope": id_column(),
            "date": date_column(),
            # the date as worded when that says more than the date (2030年前, 2020年底)
            "date_text": text_column(optional=True),
            "kind": enum_column(MILESTONE_KINDS),
            "description_zh": text_column(),
            "source_id": ref_column(),
            "locator": text_column(),
            "quote": text_column(),
        },
        name="milestones.csv",
    ),
    "commitments": pa.DataFrameSchema(
        {
            "commitment_id": id_column(unique=True),
            "locality_id": ref_column(),
            "task_id": ref_column(),
            "description_zh": text_column(),
            "made_on": date_column(),
            "due": date_column(optional=True),
            "source_id": ref_column(),
            "locator": text_column(),
            "quote": text_column(),
        },
        name="commitments.csv",
    ),
    # what a reply itself says is lacking or hard (shortcomings, challenges, constraints)
    "challenges": pa.DataFrameSchema(
        {
            "challenge_id": id_column(unique=True),
            "locality_id": ref_column(),
            "topic": text_column(),
            "summary_zh": text_column(),
            "source_id": ref_column(),
            "locator": text_column(),
            "quote": text_column(),
        },
        name="challenges.csv",
    ),
}


def columns(table: str) -> list[str]:
    """The declared columns of ``table``, in documented order."""
    return list(SCHEMAS[table].columns)


#: Columns of ids a cell refers to, checked against those ids rather than as text.
_REFERENCES = ("share_of", "denominator")


def text_columns(name: str) -> list[str]:
    """The table's free-text columns: declared as text with no pattern, list or date check."""
    schema = SCHEMAS.get(name)
    if schema is None:
        return []
    return [
        c
        for c, col in schema.columns.items()
        if str(col.dtype).startswith(("str", "object"))
        and not col.checks
        and c not in _REFERENCES
        and not c.endswith("_id")  # references, checked against the ids they name
    ]
