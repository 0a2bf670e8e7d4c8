"""Problems for the rows a check fails, and the id sets the cross-table checks compare with.

Checks are vectorised: they compute a mask over a whole column, and only the failing rows
become ``Problem``s (nothing is built for the rows that pass).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reportlib.data.schema.reading import RawTable
from reportlib.errors import Problem


def problems_where(
    table: RawTable, mask: pd.Series | np.ndarray, field: str, expected: str | pd.Series
) -> list[Problem]:
    """Problems for the rows where ``mask`` is True (nothing built for passing rows)."""
    positions = np.flatnonzero(np.asarray(mask, dtype=bool))
    if not len(positions):
        return []
    values = table.frame[field].to_numpy(dtype=object)
    if isinstance(expected, pd.Series):
        texts = expected.to_numpy(dtype=object)
        return [
            Problem(table.file, int(table.lines[i]), field, _str(values[i]), str(texts[i]))
            for i in positions
        ]
    return [
        Problem(table.file, int(table.lines[i]), field, _str(values[i]), expected)
        for i in positions
    ]


def _str(value: object) -> str | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def ids_in(table: RawTable | None, column: str) -> set[str]:
    """The distinct values of ``column`` (none when the table or column is absent)."""
    if table is None or column not in table.frame.columns:
        return set()
    return set(table.frame[column].dropna().unique())


def ref_problems(
    table: RawTable | None, column: str, valid: set[str], what: str, *, skip: bool = False
) -> list[Problem]:
    """Each non-empty ``column`` cell must be in ``valid``."""
    if skip or table is None or column not in table.frame.columns:
        return []
    series = table.frame[column]
    bad = series.notna() & ~series.isin(valid)
    return problems_where(table, bad, column, what)


def list_ref_problems(
    table: RawTable | None, column: str, valid: set[str], what: str
) -> list[Problem]:
    """Each item of a ';'-list cell must be in ``valid``."""
    if table is None or column not in table.frame.columns:
        return []
    items = table.frame[column].dropna().str.split(";").explode()
    bad = items[~items.isin(valid)]
    return [
        Problem(table.file, int(table.lines[i]), column, str(item), what)
        for i, item in zip(bad.index, bad, strict=True)
    ]


def known(ids: set[str]) -> str:
    """The ids an error message lists as valid: the first twelve, and how many in all."""
    shown = sorted(ids)
    more = f", … ({len(shown)} in all)" if len(shown) > 12 else ""
    return ", ".join(shown[:12]) + more if shown else "(none)"
