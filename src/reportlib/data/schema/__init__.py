"""Declared schemas for the CSV tables, and the checks that span tables.

Why pandera: each table's rules are *declared* in one place (types, enumerations, patterns,
nullability, uniqueness), validation is *lazy* so one pass lists every failure instead of
stopping at the first, and checks are vectorised over whole columns, so validating 300,000
facts takes about two seconds. frictionless validates row by row in Python and is far
slower at that size.

Flow: ``read_table`` (``reading``) reads a CSV as strings (``dtype=str``,
``keep_default_na=False``: nothing is silently coerced; an empty cell is missing), recording
each record's CSV line number; ``check_table`` (``failures``) runs the table's pandera
schema (``tables``, built from the field kinds in ``fields``) and turns its failure cases
into ``Problem``s; ``cross_check`` (``references``) checks references, numbers against
their printed text (``figures``), quotes against the source texts and personal data
(``texts``). Only failing rows become ``Problem``s.
"""

from reportlib.data.schema.failures import check_table
from reportlib.data.schema.reading import RawTable, read_table
from reportlib.data.schema.references import cross_check, hierarchy_checks
from reportlib.data.schema.tables import SCHEMAS, columns, text_columns
from reportlib.data.schema.texts import (
    QUOTED_TABLES,
    SourceTexts,
    glyph_problems,
    load_source_texts,
    personal_data,
    verify_quotes,
)
from reportlib.data.schema.vocabulary import (
    BOOLEANS,
    FACT_BASES,
    FACT_KINDS,
    FRAMEWORK_KINDS,
    ID_PATTERN,
    LOCALITY_LEVELS,
    MILESTONE_KINDS,
    NORMALISE,
    PERIODS,
    QUALIFIERS,
    REGION_LEVELS,
    REQUIRED_ROWS,
    SOURCE_KINDS,
    TABLES,
    WHITESPACE_RE,
    strip_whitespace,
)

__all__ = [
    "BOOLEANS",
    "FACT_BASES",
    "FACT_KINDS",
    "FRAMEWORK_KINDS",
    "ID_PATTERN",
    "LOCALITY_LEVELS",
    "MILESTONE_KINDS",
    "NORMALISE",
    "PERIODS",
    "QUALIFIERS",
    "QUOTED_TABLES",
    "REGION_LEVELS",
    "REQUIRED_ROWS",
    "SCHEMAS",
    "SOURCE_KINDS",
    "TABLES",
    "WHITESPACE_RE",
    "RawTable",
    "SourceTexts",
    "check_table",
    "columns",
    "cross_check",
    "glyph_problems",
    "hierarchy_checks",
    "load_source_texts",
    "personal_data",
    "read_table",
    "strip_whitespace",
    "text_columns",
    "verify_quotes",
]
