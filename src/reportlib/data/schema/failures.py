"""One table against its declared schema: pandera's failure cases become ``Problem``s.

Validation is lazy, so one pass lists every failing cell; each becomes a ``Problem``
naming the file, the CSV line, the field, the value and what was expected. A cell that
fails several ways (coercion, then dtype, then a check) is reported once, by its first
failure; a duplicated id is reported where it is used again, naming its first line.
"""

from __future__ import annotations

import pandas as pd
from pandera.errors import SchemaError, SchemaErrors

from reportlib.data.schema.fields import FRAME_CHECK_FIELDS
from reportlib.data.schema.reading import RawTable
from reportlib.data.schema.tables import SCHEMAS
from reportlib.data.schema.vocabulary import REQUIRED_ROWS
from reportlib.errors import Problem

_BUILTIN_EXPECTATIONS = {
    "not_nullable": "a value (this column may not be empty)",
    "coerce_dtype('float64')": "a number in base units, e.g. 11300 or 90.5",
    "coerce_dtype('int64')": "a whole number",
    "dtype('float64')": "a number",
    "dtype('int64')": "a whole number",
}
# Several failures of one cell (coercion, then dtype, then a check) → report the first.
_PRIORITY = {"not_nullable": 0, "coerce_dtype": 1, "dtype": 2}


def check_table(table: RawTable) -> list[Problem]:
    """Run the table's pandera schema lazily; every failure case becomes a ``Problem``."""
    schema = SCHEMAS[table.name]
    frame = table.frame
    missing = [c for c in schema.columns if c not in frame.columns]
    extra = [c for c in frame.columns if c not in schema.columns]
    problems = _header_problems(table, missing, extra)
    # Validate the columns that are present; missing/extra ones are reported above.
    present = schema.remove_columns(missing) if missing else schema
    try:
        present.validate(frame.drop(columns=extra), lazy=True)
    except SchemaErrors as exc:
        problems.extend(_failure_problems(table, exc.failure_cases))
    except SchemaError as exc:  # pragma: no cover - lazy mode collects, but be safe
        problems.append(Problem(table.file, None, None, None, str(exc)))
    return problems


def _header_problems(table: RawTable, missing: list[str], extra: list[str]) -> list[Problem]:
    """Missing and undocumented columns, and a required table cut to its header."""
    problems: list[Problem] = []
    for col in missing:
        problems.append(
            Problem(table.file, 1, col, None, f"a column '{col}' in the header (docs/data.md)")
        )
    for col in extra:
        problems.append(
            Problem(
                table.file,
                1,
                col,
                None,
                f"only the documented columns: {', '.join(SCHEMAS[table.name].columns)}",
            )
        )
    if table.name in REQUIRED_ROWS and table.frame.empty:
        problems.append(
            Problem(
                table.file,
                2,
                None,
                None,
                "at least one record after the header: a report cannot be made without "
                f"{table.name} (docs/data.md)",
            )
        )
    return problems


def _failure_problems(table: RawTable, cases: pd.DataFrame) -> list[Problem]:
    cases = _ranked(cases)
    row_cases = cases[cases["index"].notna()]
    whole = cases[cases["index"].isna()]
    row_cases, firsts = _without_first_uses(row_cases)
    row_cases = row_cases.drop_duplicates(subset=["column", "index"], keep="first")
    problems = [
        _cell_problem(table, col, str(check), value, int(index), firsts)
        for col, check, value, index in zip(
            row_cases["column"],
            row_cases["check"],
            row_cases["failure_case"],
            row_cases["index"],
            strict=True,
        )
    ]
    problems += _column_problems(table, whole, set(row_cases["column"].dropna()))
    return sorted(problems, key=lambda p: (p.line or 0, p.field or ""))


def _ranked(cases: pd.DataFrame) -> pd.DataFrame:
    """Failure cases, each cell's first failure first; a record check moved to its field."""
    cases = cases.copy()
    # A frame-level check lists every cell of a failing row: report it once, on its field.
    frame_check = cases["check"].isin(list(FRAME_CHECK_FIELDS))
    cases.loc[frame_check, "column"] = cases.loc[frame_check, "check"].map(FRAME_CHECK_FIELDS)
    cases["_kind"] = cases["check"].astype(str).str.replace(r"\(.*", "", regex=True)
    cases["_rank"] = cases["_kind"].map(_PRIORITY).fillna(9)
    return cases.sort_values("_rank", kind="stable")


def _without_first_uses(
    row_cases: pd.DataFrame,
) -> tuple[pd.DataFrame, dict[tuple[str, str], int]]:
    """Duplicated ids: drop each first occurrence, and say where it was (column, value → row)."""
    firsts: dict[tuple[str, str], int] = {}
    duplicate = row_cases["check"] == "field_uniqueness"
    if not duplicate.any():
        return row_cases, firsts
    dup = row_cases[duplicate]
    for (col, value), group in dup.groupby(["column", "failure_case"], sort=False):
        firsts[(str(col), str(value))] = int(group["index"].astype(int).min())
    is_first = [
        firsts[(str(c), str(v))] == int(i)
        for c, v, i in zip(dup["column"], dup["failure_case"], dup["index"], strict=True)
    ]
    return row_cases.drop(dup.index[is_first]), firsts


def _cell_problem(
    table: RawTable,
    col: object,
    check: str,
    value: object,
    position: int,
    firsts: dict[tuple[str, str], int],
) -> Problem:
    """The Problem for one failing cell (record checks show the cell of their field)."""
    line = int(table.lines[position]) if position < len(table.lines) else None
    field = None if pd.isna(col) else str(col)
    if field is None:
        field = FRAME_CHECK_FIELDS.get(check)
    shown = None if value is None or (not isinstance(value, str) and pd.isna(value)) else value
    if field is not None and field in table.frame.columns and check in FRAME_CHECK_FIELDS:
        shown = table.frame[field].iloc[position]
    if check == "field_uniqueness":
        first = firsts[(str(field), str(value))]
        expected = f"a unique {field} (already used on line {int(table.lines[first])})"
    else:
        expected = _BUILTIN_EXPECTATIONS.get(check, check)
    return Problem(table.file, line, field, None if shown is None else str(shown), expected)


def _column_problems(
    table: RawTable, whole: pd.DataFrame, failed_columns: set[object]
) -> list[Problem]:
    """Failures of a whole column rather than of a cell."""
    problems: list[Problem] = []
    for col, check, value in zip(
        whole["column"], whole["check"], whole["failure_case"], strict=True
    ):
        if check in ("column_in_dataframe", "column_in_schema"):
            continue  # reported from the header comparison
        if not pd.isna(col) and col in failed_columns:
            continue  # a check that crashed on a column whose cells already failed coercion
        field = None if pd.isna(col) else str(col)
        problems.append(
            Problem(table.file, None, field, str(value), _BUILTIN_EXPECTATIONS.get(check, check))
        )
    return problems
