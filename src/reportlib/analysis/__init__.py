"""What the reports compute: coverage, implied denominators, consistency, targets, commitments.

Every function is a pure function of a ``Dataset`` (or any object with the same table
attributes) and returns plain DataFrames or dicts; no figure from a source lives here.
``positions_of``, ``records`` and ``shared_lookups`` are the row access the functions (and
the sections) share: a locality's rows are found once per call with numpy, not with one
pandas filter per question.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from reportlib.data.numbers import format_printed, format_quantity, parse_number
from reportlib.errors import AnalysisError, NumberFormatError, UnknownLocalityError

EVIDENCE_LEVELS = ("quantified", "described", "planned", "none")
COMMITMENT_STATUSES = ("open", "due", "overdue")
#: Indicators whose value is a whole that other figures can be normalised by.
DENOMINATORS = {
    "per_school": "schools-total",
    "per_1000_students": "students-total",
    "per_teacher": "teachers-total",
}
#: Multiplier applied to value / denominator for each normalisation.
_NORMALISE_FACTOR = {"per_school": 1.0, "per_1000_students": 1000.0, "per_teacher": 1.0}
NORMALISE_LABELS = {
    "per_school": "每校",
    "per_1000_students": "每千名学生",
    "per_teacher": "每名教师",
}


# --------------------------------------------------------------------------- helpers


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


# ------------------------------------------------------------------------ row access
#
# A report filters the big tables (facts, measures, commitments) by locality many times. A
# pandas boolean filter costs ~0.5 ms even when it keeps ten rows, ``itertuples`` builds a
# namedtuple class per call, and every filter scans the whole table. So each function below
# selects row positions once with numpy and works on plain dicts. Nothing is cached between
# calls (a notebook may change a table in place), except inside ``shared_lookups``.

#: Row positions looked up in the current ``shared_lookups`` block: key → (table, positions).
_LOOKUPS: ContextVar[dict[tuple[Any, ...], tuple[pd.DataFrame, Any]] | None] = ContextVar(
    "reportlib_analysis_lookups", default=None
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


def _equal(series: pd.Series, value: Any) -> np.ndarray:
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
        found = np.flatnonzero(_equal(frame[column], value))
        found.flags.writeable = False  # may be handed out again by shared_lookups
        return found

    if not isinstance(value, str):
        return compute()
    return remembered(frame, ("eq", column, value), compute)


def _positions_by(frame: pd.DataFrame, column: str, keys: list[Any]) -> dict[Any, np.ndarray]:
    """Positions of the rows of each key in ``keys`` (file order), from one pass."""
    if len(keys) == 1:
        return {keys[0]: positions_of(frame, column, keys[0])}

    def compute() -> dict[Any, np.ndarray]:
        picked = np.flatnonzero(frame[column].isin(keys).to_numpy(dtype=bool, na_value=False))
        groups: dict[Any, list[int]] = {key: [] for key in keys}
        values = frame[column].to_numpy()[picked].tolist()
        for pos, key in zip(picked.tolist(), values, strict=True):
            groups[key].append(pos)
        found = {}
        for key, pos in groups.items():
            found[key] = np.asarray(pos, dtype=np.intp)
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


def _locality_position(ds: Any, locality_id: str) -> int:
    """Position of the locality in ``localities``; raises ``UnknownLocalityError``."""
    found = positions_of(ds.localities, "locality_id", locality_id)
    if not len(found):
        raise UnknownLocalityError(locality_id, list(ds.localities["locality_id"]))
    return int(found[0])


def locality_row(ds: Any, locality_id: str) -> pd.Series:
    """The row of ``localities`` for ``locality_id``; raises ``UnknownLocalityError``."""
    return ds.localities.iloc[_locality_position(ds, locality_id)]


def locality_ids(ds: Any) -> list[str]:
    """Locality ids in file order."""
    return [str(x) for x in ds.localities["locality_id"].tolist()]


def _na_last(value: Any) -> tuple[bool, Any]:
    """Sort key putting missing values last, as ``sort_values`` does."""
    return (True, 0) if blank(value) else (False, value)


def national_items(ds: Any) -> pd.DataFrame:
    """The national notice's tasks then safeguards, each in printed order."""
    fw = ds.framework
    kind_order = {"task": 0, "safeguard": 1}
    ids, kinds, numbers = (fw[c].tolist() for c in ("task_id", "kind", "number"))
    moe = [i for i, tid in enumerate(ids) if str(tid).startswith("moe-")]
    # sorted() is stable, as sort_values(kind="stable") was
    moe.sort(key=lambda i: (_na_last(kind_order.get(kinds[i])), _na_last(numbers[i])))
    return fw.take(moe).reset_index(drop=True)


def _national_lookup(ds: Any) -> Callable[[Any], list[str]]:
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


def national_tasks_of(ds: Any, task_id: str) -> list[str]:
    """A framework id mapped to national ids (provincial items through ``maps_to``)."""
    if blank(task_id):
        return []
    if str(task_id).startswith("moe-"):
        return [str(task_id)]
    rows = positions_of(ds.framework, "task_id", task_id)
    return as_list(ds.framework["maps_to"].iloc[rows[0]]) if len(rows) else []


def _indicator_tasks(
    ds: Any, lookup: Callable[[Any], list[str]] | None = None
) -> dict[str, list[str]]:
    """Indicator id → the national ids its task maps to."""
    lookup = lookup or _national_lookup(ds)
    ind = ds.indicators
    return {
        str(i): lookup(t)
        for i, t in zip(ind["indicator_id"].tolist(), ind["task_id"].tolist(), strict=True)
    }


def _facts_of(ds: Any, locality_id: str | None) -> pd.DataFrame:
    """The locality's facts (all facts for None) as a frame, in file order."""
    if locality_id is None:
        return ds.facts
    _locality_position(ds, locality_id)
    return ds.facts.take(positions_of(ds.facts, "locality_id", locality_id))


def _fact_records(
    ds: Any, locality_id: str | None, columns: list[str] | None = None
) -> list[dict[str, Any]]:
    """The locality's facts (all facts for None) as dicts, in file order."""
    if locality_id is None:
        return records(ds.facts, None, columns)
    _locality_position(ds, locality_id)
    return records(ds.facts, positions_of(ds.facts, "locality_id", locality_id), columns)


# --------------------------------------------------------------------- printed numbers


def printed_interval(value_text: str, qualifier: str, unit: str = "") -> tuple[float, float]:
    """The interval a printed figure stands for, from its rounding and its qualifier.

    Half a unit of the last printed digit either side (``13.24万`` → ±50, ``90.5`` → ±0.05);
    a count printed in full without multiplier (``307``) is exact, since things are counted
    in whole numbers. ``at_least`` opens the top (to 100 for a percentage), ``more_than``
    (多/余) runs from the value up to one unit of its last non-zero digit (``4000多万`` →
    4000万..5000万), ``at_most`` opens the bottom to 0, ``about`` widens to a whole unit.
    """
    try:
        parsed = parse_number(str(value_text))
    except NumberFormatError as exc:
        raise AnalysisError(str(exc)) from exc
    value, step = parsed.value, parsed.step
    is_share = unit == "%"
    exact_count = not is_share and step == 1.0
    half = 0.0 if exact_count else parsed.tolerance
    top = 100.0 if is_share else math.inf
    if qualifier == "at_least":
        return value - half, top
    if qualifier == "more_than" or parsed.marker:
        # "4000多" = 4000-odd: one more unit of its last non-zero digit is the ceiling.
        printed = round(value / step)
        unit_step = step
        while printed and printed % 10 == 0:
            printed //= 10
            unit_step *= 10
        return value, min(value + unit_step, top)
    if qualifier == "at_most":
        return 0.0, value + half
    if qualifier == "about":
        return value - step, min(value + step, top)
    return value - half, min(value + half, top)


def display_value(value_text: str, qualifier: str, unit: str, quote: str = "") -> str:
    """A figure as a reader expects it (GB/T 15835): ``4000多万元``, ``不少于16课时``.

    The printed number is rewritten only where the source deviates from GB/T 15835
    (``14千余`` → ``1.4万余``, ``1621477`` → ``162.1万``); qualifier words come from the quote.
    """
    core = f"{format_printed(value_text)}{unit}"
    quote = (quote or "").replace(" ", "")
    if qualifier == "at_least":
        for word in ("不少于", "不低于", "至少"):
            if f"{word}{value_text}" in quote:
                return f"{word}{core}"
        return f"{core}以上"
    if qualifier == "more_than":
        return core if re.search("[多余]", value_text) else f"{core}多"
    if qualifier == "about":
        for word in ("近", "约"):
            if f"{word}{value_text}" in quote:
                return f"{word}{core}"
        return f"约{core}"
    if qualifier == "at_most":
        return f"不超过{core}"
    return core


def format_significant(value: float) -> str:
    """A computed ratio for prose: about three significant figures (258.7, 2.16, 0.0094)."""
    if value is None or math.isnan(value) or math.isinf(value):
        return "—"
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return format_quantity(round(value))
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.2g}"


def format_number(value: float, digits: int = 1) -> str:
    """A computed number for prose, as GB/T 15835 prints it (``numbers.format_quantity``)."""
    return format_quantity(value, digits)


def whole_count(estimate: float, low: float, high: float) -> int | None:
    """An implied whole of things counted one by one (schools, people): a whole number.

    The estimate rounded, but kept within the whole numbers the interval allows (34 schools
    at "90%以上" allow 34–37 public schools, so 37.8 reads 37, never "37.8所"). None when
    the interval holds no whole number or is unbounded.
    """
    if any(math.isinf(v) or math.isnan(v) for v in (estimate, low, high)):
        return None
    first, last = math.ceil(low - 1e-9), math.floor(high + 1e-9)
    if first > last:
        return None
    return min(max(round(estimate), first), last)


# ----------------------------------------------------------------------------- dates


def period_bounds(partial: Any) -> tuple[date, date]:
    """First and last day of a partial date (``2025``, ``2025-06``, ``2025-06-04``) or period."""
    raw = text(partial)
    if "/" in raw:
        first, last = raw.split("/", 1)
        return period_bounds(first)[0], period_bounds(last)[1]
    parts = raw.split("-")
    try:
        year = int(parts[0])
        if len(parts) == 1:
            return date(year, 1, 1), date(year, 12, 31)
        month = int(parts[1])
        if len(parts) == 2:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        day = date(year, month, int(parts[2]))
        return day, day
    except (ValueError, IndexError) as exc:
        raise AnalysisError(
            f"cannot read the partial date {raw!r}; expected YYYY, YYYY-MM, YYYY-MM-DD or A/B"
        ) from exc


def display_date(partial: Any) -> str:
    """A partial date in Chinese: ``2025年6月4日``, ``2024年11月``, ``2019年``, ``2022—2024年``."""
    raw = text(partial)
    if not raw:
        return ""
    if "/" in raw:
        first, last = raw.split("/", 1)
        return f"{display_date(first)}至{display_date(last)}"
    parts = [int(p) for p in raw.split("-")]
    labels = ("年", "月", "日")
    return "".join(f"{p}{label}" for p, label in zip(parts, labels, strict=False))


# -------------------------------------------------------------------------- coverage

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
#: Fact bases that record one event or allocation: they show an action, not a level.
ONE_OFF_BASES = ("event",)


def _flag(value: Any, default: bool = True) -> bool:
    """A boolean cell (``True``/``"true"``); ``default`` when the cell or column is absent."""
    if blank(value):
        return default
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def ai_specific_indicators(ds: Any) -> dict[str, bool]:
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

    def __init__(self, ds: Any) -> None:
        self.items = national_items(ds)
        self.lookup = _national_lookup(ds)
        self.ind_tasks = _indicator_tasks(ds, self.lookup)
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
    ds: Any, localities: list[str]
) -> dict[str, tuple[list[dict], list[dict], list[dict]]]:
    """Each locality's (facts, measures, commitments) records: one pass over each table."""
    facts = _positions_by(ds.facts, "locality_id", localities)
    measures = _positions_by(ds.measures, "locality_id", localities)
    commitments = _positions_by(ds.commitments, "locality_id", localities)
    return {
        lid: (
            records(ds.facts, facts[lid], ["fact_id", "indicator_id", "kind", "basis"]),
            records(ds.measures, measures[lid], ["measure_id", "task_id", "ai_specific"]),
            records(ds.commitments, commitments[lid], ["commitment_id", "task_id"]),
        )
        for lid in localities
    }


def coverage(ds: Any, locality_id: str) -> pd.DataFrame:
    """Evidence level for each national task and safeguard, in printed order."""
    _locality_position(ds, locality_id)
    mine = _coverage_records(ds, [locality_id])[locality_id]
    return pd.DataFrame(_CoverageBasis(ds).rows(*mine), columns=_COVERAGE_COLUMNS)


def coverage_matrix(
    ds: Any, localities: list[str] | None = None, general: bool = False
) -> pd.DataFrame:
    """Localities (rows, file order) × national tasks (columns, printed order) → level.

    ``general=True`` gives each cell's ``general_level`` (general school-IT evidence).
    """
    chosen = locality_ids(ds) if localities is None else list(localities)
    for lid in chosen:
        _locality_position(ds, lid)
    basis = _CoverageBasis(ds)
    by_locality = _coverage_records(ds, list(dict.fromkeys(chosen)))
    data = {}
    for lid in chosen:
        rows = basis.rows(*by_locality[lid])
        data[lid] = pd.Series(
            [r["general_level" if general else "level"] for r in rows],
            index=pd.Index([r["task_id"] for r in rows], name="task_id"),
            name="level",
        )
    matrix = pd.DataFrame(data).T
    matrix.index.name = "locality_id"
    return matrix[list(basis.items["task_id"])]


def coverage_counts(ds: Any, locality_id: str) -> dict[str, int]:
    """How many of the national items sit at each evidence level."""
    levels = coverage(ds, locality_id)["level"]
    return {level: int((levels == level).sum()) for level in EVIDENCE_LEVELS}


# ------------------------------------------------------------ denominators, consistency

_IMPLIED_COLUMNS = [
    "fact_id",
    "locality_id",
    "denominator",
    "numerator",
    "percent",
    "estimate",
    "low",
    "high",
]
_CHECK_COLUMNS = [
    "locality_id",
    "denominator",
    "fact_a",
    "fact_b",
    "estimate_a",
    "low_a",
    "high_a",
    "estimate_b",
    "low_b",
    "high_b",
    "consistent",
]
_NORMALISED_COLUMNS = [
    "fact_id",
    "indicator_id",
    "value",
    "unit",
    "normalise",
    "denominator",
    "denominator_value",
    "denominator_basis",
    "denominator_facts",
    "normalised",
]
#: What the percentage arithmetic reads of a fact (a pass over every fact keeps no more).
_FACT_FIELDS = [
    "fact_id",
    "locality_id",
    "indicator_id",
    "value",
    "value_text",
    "qualifier",
    "unit",
    "kind",
    "share_of",
    "denominator",
    "line",
]


def _fact_interval(fact: dict[str, Any]) -> tuple[float, float]:
    if blank(fact["value_text"]):
        # counted from named items, not printed: an exact whole number
        return float(fact["value"]), float(fact["value"])
    try:
        return printed_interval(
            text(fact["value_text"]), text(fact["qualifier"]), text(fact["unit"])
        )
    except AnalysisError as exc:
        line = fact.get("line")
        where = f"facts.csv:{line}" if not blank(line) else "facts.csv"
        raise AnalysisError(f"{where} fact {fact['fact_id']!r} field 'value_text': {exc}") from exc


def _nanmax(values: list[float]) -> float:
    """Largest value ignoring NaN, NaN when there is none (pandas' ``max``)."""
    kept = [v for v in values if not math.isnan(v)]
    return max(kept) if kept else math.nan


def _nanmin(values: list[float]) -> float:
    """Smallest value ignoring NaN, NaN when there is none (pandas' ``min``)."""
    kept = [v for v in values if not math.isnan(v)]
    return min(kept) if kept else math.nan


def _implied_rows(ds: Any, facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``implied_denominators`` rows for these fact records."""
    by_id = {str(f["fact_id"]): f for f in facts}
    wanted = {
        str(f["share_of"]) for f in facts if text(f["unit"]) == "%" and not blank(f["share_of"])
    }
    elsewhere = wanted - by_id.keys()
    if elsewhere:
        # the schema keeps a percentage and its count in one locality; look in the whole
        # table anyway (one pass), so an unchecked table gives the same answer as before
        found = np.flatnonzero(ds.facts["fact_id"].isin(sorted(elsewhere)).to_numpy())
        for f in records(ds.facts, found, _FACT_FIELDS):
            by_id.setdefault(str(f["fact_id"]), f)
    rows = []
    for pct in facts:
        if text(pct["unit"]) != "%" or blank(pct["share_of"]):
            continue
        count = by_id.get(str(pct["share_of"]))
        if count is None:
            raise AnalysisError(
                f"facts.csv fact {pct['fact_id']!r} field 'share_of': {pct['share_of']!r} is "
                "not a fact_id; name the count this percentage is a share of"
            )
        p_low, p_high = _fact_interval(pct)
        n_low, n_high = _fact_interval(count)
        percent = float(pct["value"])
        numerator = float(count["value"])
        rows.append(
            {
                "fact_id": str(pct["fact_id"]),
                "locality_id": str(pct["locality_id"]),
                "denominator": text(pct["denominator"]),
                "numerator": numerator,
                "percent": percent,
                "estimate": numerator / (percent / 100) if percent else math.inf,
                "low": n_low / (p_high / 100) if p_high else math.inf,
                "high": n_high / (p_low / 100) if p_low > 0 else math.inf,
            }
        )
    return rows


def implied_denominators(ds: Any, locality_id: str | None = None) -> pd.DataFrame:
    """For each percentage fact paired with a count, the whole it implies, with its interval."""
    facts = _fact_records(ds, locality_id, _FACT_FIELDS)
    return pd.DataFrame(_implied_rows(ds, facts), columns=_IMPLIED_COLUMNS)


def _check_rows(implied: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``consistency_checks`` rows: every pair within a (locality, denominator) group."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in implied:  # groups in order of first appearance, as groupby(sort=False)
        groups.setdefault((r["locality_id"], r["denominator"]), []).append(r)
    rows = []
    for (loc, denom), group in groups.items():
        if not denom:
            continue
        for a, b in combinations(group, 2):
            rows.append(
                {
                    "locality_id": loc,
                    "denominator": denom,
                    "fact_a": a["fact_id"],
                    "fact_b": b["fact_id"],
                    "estimate_a": a["estimate"],
                    "low_a": a["low"],
                    "high_a": a["high"],
                    "estimate_b": b["estimate"],
                    "low_b": b["low"],
                    "high_b": b["high"],
                    "consistent": bool(a["low"] <= b["high"] and b["low"] <= a["high"]),
                }
            )
    return rows


def consistency_checks(ds: Any, locality_id: str | None = None) -> pd.DataFrame:
    """Pairs of percentages implying the same whole; ``consistent`` when intervals overlap."""
    implied = _implied_rows(ds, _fact_records(ds, locality_id, _FACT_FIELDS))
    return pd.DataFrame(_check_rows(implied), columns=_CHECK_COLUMNS)


def inconsistencies(ds: Any, locality_id: str | None = None) -> pd.DataFrame:
    """Only the pairs that disagree."""
    checks = consistency_checks(ds, locality_id)
    return checks[~checks["consistent"]].reset_index(drop=True)


def _estimates(
    implied: list[dict[str, Any]], checks: list[dict[str, Any]]
) -> dict[str, tuple[float, float, float]]:
    """``denominator_estimates`` from implied rows and their checks."""
    disputed = {c["fact_a"] for c in checks if not c["consistent"]} | {
        c["fact_b"] for c in checks if not c["consistent"]
    }
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in implied:
        groups.setdefault(r["denominator"], []).append(r)
    result: dict[str, tuple[float, float, float]] = {}
    for denom, group in groups.items():
        good = [r for r in group if r["fact_id"] not in disputed]
        if not denom or not good:
            continue
        low = float(_nanmax([r["low"] for r in good]))
        high = float(_nanmin([r["high"] for r in good]))
        # One fact: its own estimate; several: the middle of the range they all allow.
        estimate = float(good[0]["estimate"]) if len(good) == 1 else (low + high) / 2
        result[str(denom)] = (estimate, low, high)
    return result


def denominator_estimates(ds: Any, locality_id: str) -> dict[str, tuple[float, float, float]]:
    """(estimate, low, high) per implied whole, from the facts that agree with each other.

    A fact in any disagreeing pair is left out: a disputed whole is not used to normalise.
    """
    implied = _implied_rows(ds, _fact_records(ds, locality_id, _FACT_FIELDS))
    return _estimates(implied, _check_rows(implied))


def _known(ds: Any, facts: list[dict[str, Any]]) -> dict[str, tuple[float, str, str]]:
    """``known_denominators`` for one locality's fact records."""
    implied = _implied_rows(ds, facts)
    result: dict[str, tuple[float, str, str]] = {}
    for denom, (estimate, _low, _high) in _estimates(implied, _check_rows(implied)).items():
        used = [r["fact_id"] for r in implied if r["denominator"] == denom]
        result[denom] = (estimate, "implied", ";".join(used))
    for denom in DENOMINATORS.values():
        for f in facts:
            if f["indicator_id"] == denom and f["unit"] != "%" and f["kind"] == "achievement":
                result[denom] = (float(f["value"]), "reported", str(f["fact_id"]))
                break
    return result


def known_denominators(ds: Any, locality_id: str) -> dict[str, tuple[float, str, str]]:
    """Each whole known for a locality: (value, ``reported``|``implied``, fact ids used).

    A reported count (a fact of indicator ``schools-total`` …) wins over an implied one.
    """
    return _known(ds, _fact_records(ds, locality_id, _FACT_FIELDS))


def _normalise_of(ds: Any) -> dict[Any, Any]:
    """Indicator id → its ``normalise`` cell."""
    ind = ds.indicators
    return dict(zip(ind["indicator_id"].tolist(), ind["normalise"].tolist(), strict=True))


def _normalised_rows(
    ds: Any, facts: list[dict[str, Any]], normalise_of: dict[Any, Any]
) -> list[dict[str, Any]]:
    """``normalise`` rows for one locality's fact records."""
    known = _known(ds, facts)
    shares = {
        (text(f["share_of"]), text(f["denominator"])) for f in facts if not blank(f["share_of"])
    }
    rows = []
    for fact in facts:
        if (
            text(fact["unit"]) == "%"
            or fact["kind"] != "achievement"
            or fact["indicator_id"] not in normalise_of
        ):
            continue
        how = text(normalise_of[fact["indicator_id"]])
        denom = DENOMINATORS.get(how)
        if denom is None or denom not in known or fact["indicator_id"] == denom:
            continue
        if (str(fact["fact_id"]), denom) in shares:
            continue  # 13.24万 registered ÷ students implied by that very 90.5%: circular
        whole, basis, used = known[denom]
        normalised = float(fact["value"]) / whole * _NORMALISE_FACTOR[how]
        if normalised < 1 and not (how == "per_school" and text(fact["unit"]) == "所"):
            # "每校0.0094个实验室" reads as nothing; a count of schools reads as a share
            continue
        rows.append(
            {
                "fact_id": str(fact["fact_id"]),
                "indicator_id": str(fact["indicator_id"]),
                "value": float(fact["value"]),
                "unit": text(fact["unit"]),
                "normalise": how,
                "denominator": denom,
                "denominator_value": whole,
                "denominator_basis": basis,
                "denominator_facts": used,
                "normalised": normalised,
            }
        )
    return rows


def normalise(ds: Any, locality_id: str) -> pd.DataFrame:
    """Achievement counts divided by a known or implied whole (per school, per 1,000 students).

    Only rates that read naturally: at least one per school (per teacher, per 1,000
    students); a count of schools below one per school is kept, as a share of all schools.
    """
    facts = _fact_records(ds, locality_id, _FACT_FIELDS)
    return pd.DataFrame(_normalised_rows(ds, facts, _normalise_of(ds)), columns=_NORMALISED_COLUMNS)


# ---------------------------------------------------------------- targets, commitments


def applicable_targets(ds: Any, locality_id: str) -> pd.DataFrame:
    """Targets whose scope is among the locality's policy scopes."""
    scopes = as_list(locality_row(ds, locality_id)["policy_scopes"])
    return ds.targets[ds.targets["scope"].isin(scopes)].reset_index(drop=True)


def provincial_sources(ds: Any, locality_id: str) -> pd.DataFrame:
    """Provincial notices in the data for the locality's province (may be empty)."""
    province = text(locality_row(ds, locality_id)["province"])
    src = ds.sources
    return src[(src["kind"] == "provincial_notice") & (src["scope"] == province)].reset_index(
        drop=True
    )


def _nansum(values: list[Any]) -> float:
    """Sum ignoring NaN, as pandas sums a float column (same numpy summation order)."""
    return float(np.nansum(np.asarray(values, dtype=np.float64)))


_PROGRESS_COLUMNS = [
    "target_id",
    "source_id",
    "scope",
    "indicator_id",
    "description_zh",
    "target",
    "qualifier",
    "unit",
    "period",
    "deadline",
    "reported",
    "share",
    "pending",
    "fact_ids",
    "pending_ids",
    "quota",
]


def target_progress(ds: Any, locality_id: str) -> pd.DataFrame:
    """Each applicable target with an indicator: target, reported achievement, share reached.

    ``reported`` is NaN when the locality reports no achievement figure for the indicator;
    ``pending`` sums its non-achievement figures (applications, plans) for context.
    ``quota`` is True when the target is a total for a wider area (a province-wide number
    of experimental schools): ``share`` is then the locality's share of it, not a rate of
    completion, and is not drawn as progress on a 0–100 % scale.
    """
    targets = records(applicable_targets(ds, locality_id))
    facts = _fact_records(ds, locality_id, ["fact_id", "indicator_id", "unit", "kind", "value"])
    rows = []
    for t in targets:
        if blank(t["indicator_id"]):
            continue
        mine = [f for f in facts if f["indicator_id"] == t["indicator_id"] and f["unit"] != "%"]
        done = [f for f in mine if f["kind"] == "achievement"]
        other = [f for f in mine if f["kind"] != "achievement"]
        reported = _nansum([f["value"] for f in done]) if done else math.nan
        target_value = math.nan if blank(t["value"]) else float(t["value"])
        share = (
            reported / target_value
            if not math.isnan(reported) and target_value and not math.isnan(target_value)
            else math.nan
        )
        rows.append(
            {
                "target_id": str(t["target_id"]),
                "source_id": str(t["source_id"]),
                "scope": str(t["scope"]),
                "indicator_id": str(t["indicator_id"]),
                "description_zh": text(t["description_zh"]),
                "target": target_value,
                "qualifier": text(t["qualifier"]),
                "unit": text(t["unit"]),
                "period": text(t["period"]),
                "deadline": text(t["deadline"]),
                "reported": reported,
                "share": share,
                "pending": _nansum([f["value"] for f in other]) if other else math.nan,
                "fact_ids": [f["fact_id"] for f in done],
                "pending_ids": [f["fact_id"] for f in other],
                "quota": str(t["scope"]) != locality_id,
            }
        )
    return pd.DataFrame(rows, columns=_PROGRESS_COLUMNS)


def commitment_status(ds: Any, locality_id: str, as_of: date) -> pd.DataFrame:
    """The locality's commitments plus ``status``: open, due (period contains as_of), overdue."""
    _locality_position(ds, locality_id)
    mine = ds.commitments.take(positions_of(ds.commitments, "locality_id", locality_id))
    statuses = []
    for due in mine["due"].tolist():
        if blank(due):
            statuses.append("open")
            continue
        start, end = period_bounds(due)
        statuses.append("overdue" if as_of > end else "due" if as_of >= start else "open")
    mine["status"] = statuses
    return mine.reset_index(drop=True)


# ------------------------------------------------------------------ report summaries


def headline_figures(ds: Any, locality_id: str, n: int = 4) -> pd.DataFrame:
    """Up to ``n`` headline figures: the facts marked ``headline``, else a heuristic pick.

    The heuristic takes achievement counts, one per national item in printed order.

    Within an item, a figure on an indicator another locality also reports comes first, then
    a countable resource (normalisable per school or per 1,000 students), then the rest;
    percentages, wholes and figures written in Chinese numerals are skipped.
    """
    facts = _facts_of(ds, locality_id)
    if "headline" in facts and facts["headline"].any():
        # the analyst's pick (facts.csv column ``headline``) wins over the heuristic
        return facts[facts["headline"]].head(n).reset_index(drop=True)
    ind_tasks = _indicator_tasks(ds)
    normalise_of = _normalise_of(ds)
    wholes = set(DENOMINATORS.values())
    candidates = [
        f
        for f in records(facts, None, ["fact_id", "indicator_id", "kind", "unit", "value_text"])
        if f["kind"] == "achievement"
        and f["unit"] != "%"
        and f["indicator_id"] not in wholes
        and re.match(r"^\d", text(f["value_text"]))
    ]
    shared: set[Any] = set()
    if candidates:  # one pass over every fact
        others = _equal(ds.facts["kind"], "achievement")
        others[positions_of(ds.facts, "locality_id", locality_id)] = False
        shared = set(ds.facts["indicator_id"].to_numpy()[others].tolist())
    # Figures other localities also report first (comparable), then countable resources.
    candidates.sort(  # stable, as sort_values(kind="stable")
        key=lambda f: (
            0
            if f["indicator_id"] in shared
            else 1
            if normalise_of.get(f["indicator_id"], "none") != "none"
            else 2
        )
    )
    chosen: list[str] = []
    for tid in national_items(ds)["task_id"]:
        for fact in candidates:
            if tid in ind_tasks.get(fact["indicator_id"], []):
                chosen.append(str(fact["fact_id"]))
                break
        if len(chosen) >= n:
            break
    return facts.set_index("fact_id").loc[chosen].reset_index()


def peer_candidates(ds: Any, locality_id: str) -> pd.DataFrame:
    """Every other locality reporting an indicator this one reports (as an achievement), best
    peers first: same province and level, then same level, then same province, then the rest;
    within each, most shared indicators first, then file order.

    Columns: ``locality_id``, ``same_province``, ``same_level``, ``shared`` (indicators in
    common). With thousands of localities a report shows the first few and counts the rest.
    """
    facts = ds.facts
    local = positions_of(facts, "locality_id", locality_id)
    local = local[_equal(facts["kind"].take(local), "achievement")]
    mine = set(facts["indicator_id"].to_numpy()[local].tolist())
    # one pass over every fact for the few indicators, then the kinds of the rows found
    found = np.flatnonzero(facts["indicator_id"].isin(mine).to_numpy(dtype=bool, na_value=False))
    found = found[_equal(facts["kind"].take(found), "achievement")]
    pairs = pd.DataFrame(
        {
            "locality_id": facts["locality_id"].to_numpy()[found],
            "indicator_id": facts["indicator_id"].to_numpy()[found],
        }
    ).drop_duplicates()
    shared = pairs.groupby("locality_id", sort=False)["indicator_id"].size()
    locs = ds.localities
    me = locality_row(ds, locality_id)
    table = pd.DataFrame({"locality_id": locality_ids(ds), "order": np.arange(len(locs))})
    table["shared"] = table["locality_id"].map(shared).fillna(0).astype(int)
    for column, flag in (("province", "same_province"), ("level", "same_level")):
        values = locs[column] if column in locs else pd.Series(pd.NA, index=locs.index)
        mine_value = me.get(column, pd.NA)
        table[flag] = (values == mine_value).to_numpy(dtype=bool, na_value=False)
    table = table[(table["shared"] > 0) & (table["locality_id"] != locality_id)]
    tier = np.select(
        [table["same_province"] & table["same_level"], table["same_level"], table["same_province"]],
        [0, 1, 2],
        default=3,
    )
    table = table.assign(tier=tier).sort_values(["tier", "shared", "order"], ascending=[1, 0, 1])
    return table[["locality_id", "same_province", "same_level", "shared"]].reset_index(drop=True)


def peer_localities(ds: Any, locality_id: str, limit: int = 5) -> list[str]:
    """The ``limit`` best peers of ``peer_candidates`` (same province and level first)."""
    return peer_candidates(ds, locality_id)["locality_id"].head(limit).tolist()


_PEER_COLUMNS = [
    "indicator_id",
    "locality_id",
    "fact_id",
    "value",
    "unit",
    "scope",
    "scope_class",
    "as_of",
    "basis",
    "normalise",
    "normalised",
    "denominator_basis",
    "comparable",
    "differs",
]
#: What must agree for two figures to be compared, in the order reasons are given.
COMPARABILITY = ("unit", "basis", "scope_class", "period")
_WHOLE_SCOPE = re.compile(r"全(?:省|市|区|县|镇)")


def scope_class(scope: Any) -> str:
    """``whole`` for a figure covering the whole locality (全区, 全县, 全市), else ``part``.

    A part is a subset (试点校, 直属学校, one school, one contest): its figures compare only
    with other parts, never with a whole locality's.
    """
    return "whole" if _WHOLE_SCOPE.fullmatch(text(scope).strip()) else "part"


def _comparison_key(fact: dict[str, Any]) -> dict[str, str]:
    """The attributes that must agree: unit, basis, scope class and, for a period, the period."""
    basis = text(fact.get("basis"))
    return {
        "unit": text(fact["unit"]),
        "basis": basis,
        "scope_class": scope_class(fact["scope"]),
        # two totals over a period compare only over the same period
        "period": text(fact["as_of"]) if basis == "period" else "",
    }


def _mark_comparable(group: list[dict[str, Any]]) -> list[tuple[bool, str]]:
    """(comparable, what differs) for each fact of one indicator, in order.

    Facts whose unit, basis, scope class (and period) agree with those of a fact of another
    locality are comparable; the others get the attributes that vary across the indicator.
    """
    keys = [_comparison_key(f) for f in group]
    frozen = [tuple(k.values()) for k in keys]
    localities: dict[tuple[str, ...], set[str]] = {}
    for key, fact in zip(frozen, group, strict=True):
        localities.setdefault(key, set()).add(str(fact["locality_id"]))
    varying = [c for c in COMPARABILITY if len({k[c] for k in keys}) > 1]
    return [
        (len(localities[key]) > 1, "" if len(localities[key]) > 1 else ";".join(varying))
        for key in frozen
    ]


def peers_table(ds: Any, localities: list[str] | None = None) -> pd.DataFrame:
    """Indicators reported (as achievements) by two or more localities, side by side.

    One row per (indicator, locality) with the raw value, scope, basis and the per-school /
    per-1,000-students value where that locality's whole is known or implied. ``comparable``
    is True only when another locality's figure on the indicator agrees in unit, basis,
    scope class and (for a total over a period) period; otherwise ``differs`` lists which of
    ``COMPARABILITY`` vary. ``localities`` limits the comparison (default: all, file order).
    """
    chosen = locality_ids(ds) if localities is None else list(localities)
    for lid in chosen:
        _locality_position(ds, lid)
    normalise_of = _normalise_of(ds)
    fields = [*_FACT_FIELDS, "scope", "as_of", "basis"]
    by_locality = _positions_by(ds.facts, "locality_id", list(dict.fromkeys(chosen)))
    norms: dict[str, dict[str, dict[str, Any]]] = {}
    achieved: list[tuple[int, dict[str, Any]]] = []
    for lid, positions in by_locality.items():
        facts = records(ds.facts, positions, fields)
        norms[lid] = {}
        for row in _normalised_rows(ds, facts, normalise_of):
            norms[lid].setdefault(row["fact_id"], row)
        achieved += [
            (p, f)
            for p, f in zip(positions.tolist(), facts, strict=True)
            if f["kind"] == "achievement"
        ]
    achieved.sort(key=lambda pf: pf[0])  # file order across localities
    by_indicator: dict[Any, list[dict[str, Any]]] = {}
    for _, f in achieved:
        by_indicator.setdefault(f["indicator_id"], []).append(f)
    rows = []
    for ind in ds.indicators["indicator_id"].tolist():
        group = by_indicator.get(ind, [])
        if len({f["locality_id"] for f in group if not blank(f["locality_id"])}) < 2:
            continue
        for fact, (comparable, differs) in zip(group, _mark_comparable(group), strict=True):
            norm = norms[str(fact["locality_id"])].get(str(fact["fact_id"]))
            rows.append(
                {
                    "indicator_id": ind,
                    "locality_id": str(fact["locality_id"]),
                    "fact_id": str(fact["fact_id"]),
                    "value": float(fact["value"]),
                    "unit": text(fact["unit"]),
                    "scope": text(fact["scope"]),
                    "scope_class": scope_class(fact["scope"]),
                    "as_of": text(fact["as_of"]),
                    "basis": text(fact.get("basis")),
                    "normalise": norm["normalise"] if norm else "",
                    "normalised": float(norm["normalised"]) if norm else math.nan,
                    "denominator_basis": norm["denominator_basis"] if norm else "",
                    "comparable": comparable,
                    "differs": differs,
                }
            )
    return pd.DataFrame(rows, columns=_PEER_COLUMNS)


def timeline_events(ds: Any, locality_id: str) -> pd.DataFrame:
    """Dated events for the locality's timeline, oldest first.

    Milestones of the policy scopes that apply and of the locality itself, plus deadlines of
    applicable targets not already present as a ``deadline`` milestone of the same scope.
    ``lane`` is ``policy`` (national/provincial) or ``local``. ``date_text`` is the date as
    the text words it when that says more than ``date`` (``2030年前``, ``2020年底``).
    """
    loc = locality_row(ds, locality_id)
    scopes = as_list(loc["policy_scopes"])
    ms = ds.milestones
    keep = ms["scope"].isin([*scopes, locality_id]).to_numpy(dtype=bool, na_value=False)
    fields = ["milestone_id", "date", "date_text", "scope", "kind", "description_zh", "source_id"]
    rows = []
    for m in records(ms, np.flatnonzero(keep), [*fields, "locator", "quote"]):
        rows.append(
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
        )
    have = {(r["scope"], r["date"]) for r in rows if r["kind"] == "deadline"}
    for t in records(applicable_targets(ds, locality_id)):
        deadline = text(t["deadline"])
        if deadline and (str(t["scope"]), deadline) not in have:
            have.add((str(t["scope"]), deadline))
            rows.append(
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
    columns = [
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
    events = pd.DataFrame(rows, columns=columns)
    events["start"] = [pd.Timestamp(period_bounds(d)[0]) for d in events["date"]]
    events["lane"] = ["local" if s == locality_id else "policy" for s in events["scope"]]
    return events.sort_values(["start", "event_id"], kind="stable").reset_index(drop=True)


def programme_facts(ds: Any, locality_id: str) -> pd.DataFrame:
    """Facts on a provincial programme's indicators that no target measures directly.

    Indicators of a provincial programme carry the province slug as id prefix
    (``henan-experimental-school-applicants``); these facts give context to its targets.
    """
    scopes = [s for s in as_list(locality_row(ds, locality_id)["policy_scopes"]) if s != "national"]
    targeted = set(ds.targets["indicator_id"].dropna().astype(str))
    positions = positions_of(ds.facts, "locality_id", locality_id)
    indicators = ds.facts["indicator_id"].to_numpy()[positions].tolist()
    keep = [
        p
        for p, i in zip(positions.tolist(), indicators, strict=True)
        if any(str(i).startswith(f"{s}-") for s in scopes) and str(i) not in targeted
    ]
    return ds.facts.take(keep).reset_index(drop=True)
