"""Reading the Dataset's tables fast: cells as text, rows as dicts, a locality's rows.

A report filters the big tables (facts, measures, commitments) by locality many times. A
pandas boolean filter costs ~0.5 ms even when it keeps ten rows, ``itertuples`` builds a
namedtuple class per call, and every filter scans the whole table. So row positions are
selected once with numpy (``positions_of``) and rows read as plain dicts (``records``).
Nothing is cached between calls (a notebook may change a table in place), except inside
``shared_lookups``, which the section functions use as a decorator.

``blank``, ``text`` and ``as_list`` read one cell the way every layer needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from reportlib.errors import UnknownLocalityError

if TYPE_CHECKING:
    from reportlib.data.dataset import Dataset

__all__ = [
    "as_list",
    "blank",
    "equals",
    "fact_records",
    "locality_facts",
    "locality_ids",
    "locality_position",
    "locality_row",
    "positions_by",
    "positions_of",
    "records",
    "remembered",
    "shared_lookups",
    "text",
]


def blank(value: Any) -> bool:
    """True for a cell that is "not given" (None, NaN, NA or an empty string)."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, (list, tuple)):
        return len(value) == 0
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def text(value: Any) -> str:
    """A cell as a string, with "not given" as ``""``."""
    return "" if blank(value) else str(value)


def as_list(value: Any) -> list[str]:
    """A ``;``-separated list cell (or an already-parsed list) as a list of strings."""
    if blank(value):
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(";") if part.strip()]


#: Row positions looked up in the current ``shared_lookups`` block: key → (table, positions).
_LOOKUPS: ContextVar[dict[tuple[Any, ...], tuple[pd.DataFrame, Any]] | None] = ContextVar(
    "reportlib_row_lookups", default=None
)


@contextmanager
def shared_lookups() -> Iterator[None]:
    """Within the block, the rows of one key (a locality) in a table are looked up once.

    A report section calls several of these functions for one locality, and each would scan
    the whole facts table again (milliseconds with thousands of localities). Lookups are
    keyed on the table object and forgotten when the outermost block ends: use it only
    around code that changes no table (the section functions use it as a decorator).
    """
    if _LOOKUPS.get() is not None:  # nested: the outer block's lookups are still valid
        yield
        return
    token = _LOOKUPS.set({})
    try:
        yield
    finally:
        _LOOKUPS.reset(token)


def remembered(frame: pd.DataFrame, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """``compute()``, or its result from earlier in the current ``shared_lookups`` block.

    ``key`` names what is computed from ``frame``; outside a block it is computed each time.
    """
    lookups = _LOOKUPS.get()
    if lookups is None:
        return compute()
    full_key = (id(frame), *key)
    hit = lookups.get(full_key)
    if hit is not None and hit[0] is frame:
        return hit[1]
    result = compute()
    lookups[full_key] = (frame, result)  # holding the frame keeps its id from being reused
    return result


def equals(series: pd.Series, value: Any) -> np.ndarray:
    """``series == value`` as a new numpy bool array."""
    if isinstance(value, str):
        # numpy compares an object column ~3× faster than pandas' ``==`` on a str column
        try:
            hits = series.to_numpy() == value
        except TypeError:  # a pd.NA cell (a "string" column): numpy cannot compare it
            hits = None
        if isinstance(hits, np.ndarray) and hits.dtype == bool:
            return hits
    return (series == value).to_numpy(dtype=bool, na_value=False)


def positions_of(frame: pd.DataFrame, column: str, value: Any) -> np.ndarray:
    """Positions (file order) of the rows where ``frame[column] == value`` (read-only)."""

    def compute() -> np.ndarray:
        found = np.flatnonzero(equals(frame[column], value))
        found.flags.writeable = False  # may be handed out again by shared_lookups
        return found

    if not isinstance(value, str):
        return compute()
    return remembered(frame, ("eq", column, value), compute)


def positions_by(frame: pd.DataFrame, column: str, keys: list[Any]) -> dict[Any, np.ndarray]:
    """Positions of the rows of each key in ``keys`` (file order), from one pass."""
    if len(keys) == 1:
        return {keys[0]: positions_of(frame, column, keys[0])}

    def compute() -> dict[Any, np.ndarray]:
        picked = np.flatnonzero(frame[column].isin(keys).to_numpy(dtype=bool, na_value=False))
        groups: dict[Any, list[int]] = {key: [] for key in keys}
        values = frame[column].to_numpy()[picked].tolist()
        for at, key in zip(picked.tolist(), values, strict=True):
            groups[key].append(at)
        found = {}
        for key, group in groups.items():
            found[key] = np.asarray(group, dtype=np.intp)
            found[key].flags.writeable = False
        return found

    found = remembered(frame, ("in", column, tuple(keys)), compute)
    lookups = _LOOKUPS.get()
    if lookups is not None:  # positions_of(frame, column, key) need not look again
        for key, pos in found.items():
            if isinstance(key, str):
                lookups.setdefault((id(frame), "eq", column, key), (frame, pos))
    return dict(found)


def records(
    frame: pd.DataFrame, positions: Any = None, columns: list[str] | None = None
) -> list[dict[str, Any]]:
    """Rows (all, or those at ``positions``) as dicts of the values ``itertuples`` yields.

    ``columns`` limits the keys to those of the listed columns the frame has.
    """
    if positions is None and columns is None:
        # a small frame: one conversion beats fetching each column (~10 µs a column)
        names = list(frame.columns)
        rows = frame.to_numpy(dtype=object).tolist()
        return [dict(zip(names, row, strict=True)) for row in rows]
    names = list(frame.columns) if columns is None else [c for c in columns if c in frame]
    at = np.arange(len(frame)) if positions is None else np.asarray(positions, dtype=np.intp)
    # a big table: take a locality's rows column by column, fetching each column once per
    # shared_lookups block
    arrays: dict[str, np.ndarray] = remembered(frame, ("columns",), dict)
    values = []
    for name in names:
        column = arrays.get(name)
        if column is None:
            column = arrays[name] = frame[name].to_numpy()
        if column.dtype.kind in "mM":  # numpy would give ints or datetimes, not Timestamps
            values.append(frame[name].take(at).tolist())
        else:
            values.append(column[at].tolist())
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]


def locality_position(ds: Dataset, locality_id: str) -> int:
    """Position of the locality in ``localities``; raises ``UnknownLocalityError``."""
    found = positions_of(ds.localities, "locality_id", locality_id)
    if not len(found):
        raise UnknownLocalityError(locality_id, list(ds.localities["locality_id"]))
    return int(found[0])


def locality_row(ds: Dataset, locality_id: str) -> pd.Series:
    """The row of ``localities`` for ``locality_id``; raises ``UnknownLocalityError``."""
    return ds.localities.iloc[locality_position(ds, locality_id)]


def locality_ids(ds: Dataset) -> list[str]:
    """Locality ids in file order."""
    return [str(x) for x in ds.localities["locality_id"].tolist()]


def locality_facts(ds: Dataset, locality_id: str | None) -> pd.DataFrame:
    """The locality's facts (all facts for None) as a frame, in file order."""
    if locality_id is None:
        return ds.facts
    locality_position(ds, locality_id)
    return ds.facts.take(positions_of(ds.facts, "locality_id", locality_id))


def fact_records(
    ds: Dataset, locality_id: str | None, columns: list[str] | None = None
) -> list[dict[str, Any]]:
    """The locality's facts (all facts for None) as dicts, in file order."""
    if locality_id is None:
        return records(ds.facts, None, columns)
    locality_position(ds, locality_id)
    return records(ds.facts, positions_of(ds.facts, "locality_id", locality_id), columns)
