"""Declared schemas for the CSV tables, and the checks that span tables.

Why pandera: each table's rules are *declared* in one place (types, enumerations, patterns,
nullability, uniqueness), validation is *lazy* so one pass lists every failure instead of
stopping at the first, and checks are vectorised over whole columns, so validating 300,000
facts takes about two seconds. frictionless validates row by row in Python and is far
slower at that size.

Flow: ``read_table`` reads a CSV as strings (``dtype=str``, ``keep_default_na=False``: nothing
is silently coerced; an empty cell is missing), recording each record's CSV line number;
``check_table`` runs the table's pandera schema and turns its failure cases into
``Problem``s; ``cross_check`` checks references, numbers against their printed text, quotes
against the source texts and personal data. Only failing rows become ``Problem``s.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from reportlib.data.numbers import try_parse_number
from reportlib.errors import Problem
from reportlib.paths import SOURCES_ENV

# ----------------------------------------------------------------------------- vocabulary

ID_PATTERN = r"[a-z0-9][a-z0-9-]*"
SOURCE_KINDS = ("national_notice", "provincial_notice", "proposal_reply")
LOCALITY_LEVELS = ("city", "county", "district")
REGION_LEVELS = ("province", "city")
FRAMEWORK_KINDS = ("task", "safeguard")
QUALIFIERS = ("exact", "at_least", "more_than", "about", "at_most")
PERIODS = ("once", "per_year")
NORMALISE = ("none", "per_school", "per_1000_students", "per_teacher", "share")
FACT_KINDS = ("achievement", "plan", "target")
#: What a figure counts over, read from its quote: a stock at a date (存量, 现有), a total
#: to date with no start (累计, 至今), a flow per year (每年, 年均), a total over a stated
#: period (2022至2024年, 近三年), one event or allocation (一次大赛, 2024年拿出10万元),
#: or a rate or average (每周1课时, 平均每所1名).
FACT_BASES = ("stock", "cumulative", "per_year", "period", "event", "rate")
MILESTONE_KINDS = ("policy", "designation", "contest", "launch", "training", "deadline")
BOOLEANS = ("true", "false")

#: Table name → the column holding its ids, in load order.
TABLES: dict[str, str] = {
    "sources": "source_id",
    "regions": "region_id",
    "localities": "locality_id",
    "framework": "task_id",
    "targets": "target_id",
    "indicators": "indicator_id",
    "facts": "fact_id",
    "measures": "measure_id",
    "milestones": "milestone_id",
    "commitments": "commitment_id",
    "challenges": "challenge_id",
}

#: Every whitespace character a source may put between characters (incl. U+3000, NBSP).
#: Literal characters, not escapes, so any regex engine reads the class the same way.
WHITESPACE_RE = "[\t\n\v\f\r \u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+"
_WHITESPACE = re.compile(WHITESPACE_RE)

#: Phone-like numbers: an 11-digit mobile number, or 7–8 digits (optionally with an area
#: code) shortly after 电话/联系/Tel. Plain counts such as 1621477 are not flagged.
PHONE_RE = (
    r"(?:^|\D)1[3-9]\d{9}(?:\D|$)"
    r"|(?:电话|联系|手机|[Tt][Ee][Ll])[^\d]{0,8}(?:0\d{2,3}[-－—\s]?)?\d{7,8}(?:\D|$)"
)

#: A contact named in a document's header or footer: a name (or number) after 联系人,
#: 签发人, 联系电话, 电话 or 手机 and a colon, or a 2–4 character name after 联系人/签发人
#: and a space. Without the colon, "联系人制度" or "电话会议" are ordinary words.
CONTACT_RE = (
    r"(?:联系人|签发人|联系电话|电话|手机)\s*[：:]\s*\S"
    r"|(?:联系人|签发人)\s+[\u4e00-\u9fff·]{2,4}"
)
PERSONAL_RE = f"{PHONE_RE}|{CONTACT_RE}"

#: Tables a report cannot do without: cut to their header, they are an error.
REQUIRED_ROWS = ("sources", "localities", "framework", "indicators", "facts")

_ID_RE = re.compile(ID_PATTERN)
_PHONE = re.compile(PHONE_RE)
_PERSONAL = re.compile(PERSONAL_RE)
_DATE_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def strip_whitespace(text: str) -> str:
    """``text`` without any whitespace: how quotes are compared with sources."""
    return _WHITESPACE.sub("", text)


# ------------------------------------------------------------------- element predicates


def _partial_date(text: str) -> date | None:
    """The first day a partial date (``2019``, ``2024-11``, ``2025-06-04``) covers, or None."""
    from reportlib.data import dates

    return dates.start(text)


def _partial_date_end(text: str) -> date | None:
    """The last day a partial date covers (``2024`` → 2024-12-31), or None."""
    from reportlib.data import dates

    return dates.end(text)


def _period_ok(text: str) -> bool:
    if "/" not in text:
        return _partial_date(text) is not None
    start_text, _, end_text = text.partition("/")
    start, end = _partial_date(start_text), _partial_date_end(end_text)
    return start is not None and end is not None and start <= end


def _slug_list_ok(text: str) -> bool:
    return all(_ID_RE.fullmatch(item) for item in text.split(";"))


def _by_unique(predicate: Callable[[str], bool]) -> Callable[[pd.Series], pd.Series]:
    """Vectorise ``predicate``: evaluate it once per distinct value; missing cells pass."""

    def check(series: pd.Series) -> pd.Series:
        bad = [value for value in series.dropna().unique() if not predicate(value)]
        return ~series.isin(bad)

    return check


def _numeric(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce")


# --------------------------------------------------------------------- column helpers

_SLUG = "a lower-case slug like 'huli-2025-reply' ([a-z0-9][a-z0-9-]*)"
_DATE = "a real partial date YYYY, YYYY-MM or YYYY-MM-DD"
_PERIOD = f"{_DATE}, or a period START/END with START <= END (e.g. 2022/2024)"


def _slugs_ok(series: pd.Series) -> pd.Series:
    # Key columns hold distinct values, so a plain vectorised match beats de-duplicating.
    return series.str.fullmatch(ID_PATTERN).fillna(True).astype(bool)


def _id(*, unique: bool = False, optional: bool = False) -> pa.Column:
    check = _slugs_ok if unique else _by_unique(lambda v: _ID_RE.fullmatch(v) is not None)
    return pa.Column(str, pa.Check(check, error=_SLUG), nullable=optional, unique=unique)


def _ref_col(*, optional: bool = False) -> pa.Column:
    # A reference must equal an existing id (checked across tables), which is stricter
    # than the slug pattern; checking both would report one bad cell twice.
    return pa.Column(str, nullable=optional)


def _text(*, optional: bool = False) -> pa.Column:
    return pa.Column(str, nullable=optional)


def _enum(values: Iterable[str]) -> pa.Column:
    values = tuple(values)
    return pa.Column(str, pa.Check.isin(values, error=f"one of {', '.join(values)}"))


def _date(*, optional: bool = False, period: bool = False) -> pa.Column:
    if period:
        check = pa.Check(_by_unique(_period_ok), error=_PERIOD)
    else:
        check = pa.Check(_by_unique(lambda v: _partial_date(v) is not None), error=_DATE)
    return pa.Column(str, check, nullable=optional)


def _number(*, optional: bool = False, non_negative: bool = False) -> pa.Column:
    # Checks re-parse the text so they still judge the other cells when one cell fails
    # coercion (lazy validation keeps going with the uncoerced column).
    checks = []
    if non_negative:
        checks.append(pa.Check(lambda s: ~(_numeric(s) < 0), error="a number >= 0"))
    return pa.Column(float, checks, coerce=True, nullable=optional)


def _slug_list(*, optional: bool = False) -> pa.Column:
    error = "a ';'-separated list of slugs like 'national;henan'"
    return pa.Column(str, pa.Check(_by_unique(_slug_list_ok), error=error), nullable=optional)


def _percent_in_range(df: pd.DataFrame) -> pd.Series:
    if "unit" not in df or "value" not in df:
        return pd.Series(True, index=df.index)
    value = _numeric(df["value"])
    return ~((df["unit"] == "%") & ((value < 0) | (value > 100)))


_PERCENT_ERROR = "a value between 0 and 100 when unit is '%'"
_PERIOD_BASIS_ERROR = (
    "basis 'period' with a period START/END in as_of (e.g. 2022/2024), and as_of filled "
    "when period_text is"
)
_BASIS_WORDS_ERROR = (
    "a basis that matches the quote's wording: 累计 → cumulative; 近N年 → period with "
    "period_text; 每年/年均 → per_year or rate"
)
#: Frame-level checks → the field their failures are about.
_FRAME_CHECK_FIELDS = {
    _PERCENT_ERROR: "value",
    _PERIOD_BASIS_ERROR: "basis",
    _BASIS_WORDS_ERROR: "basis",
}


def _basis_words_ok(df: pd.DataFrame) -> pd.Series:
    """The words of the quote that fix a figure's basis agree with ``basis``."""
    if not {"basis", "quote", "period_text"} <= set(df.columns):
        return pd.Series(True, index=df.index)
    quote = df["quote"].fillna("").astype(str)
    basis = df["basis"]
    cumulative = quote.str.contains("累计", regex=False) & (basis != "cumulative")
    recent = quote.str.contains(r"近[一二两三四五六七八九十0-9]+年", regex=True) & (
        (basis != "period") | df["period_text"].isna()
    )
    yearly = quote.str.contains("每年|年均", regex=True) & ~basis.isin(["per_year", "rate"])
    return ~(cumulative | recent | yearly)


def _period_basis_ok(df: pd.DataFrame) -> pd.Series:
    """A total over a period names the period; a relative period (近三年) has its reading."""
    if not {"basis", "as_of", "period_text"} <= set(df.columns):
        return pd.Series(True, index=df.index)
    as_of = df["as_of"].fillna("").astype(str)
    period = (df["basis"] == "period") & ~as_of.str.contains("/", regex=False)
    relative = df["period_text"].notna() & (as_of == "")
    return ~(period | relative)


def _period_basis_check() -> pa.Check:
    return pa.Check(_period_basis_ok, error=_PERIOD_BASIS_ERROR)


def _percent_check() -> pa.Check:
    return pa.Check(_percent_in_range, error=_PERCENT_ERROR)


# ---------------------------------------------------------------------------- schemas

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "sources": pa.DataFrameSchema(
        {
            "source_id": _id(unique=True),
            # 〔short_label〕 is how every note cites the source (the full title is listed once)
            "short_label": _text(optional=True),
            "title": _text(),
            "issuer": _text(),
            "doc_number": _text(optional=True),
            "written_date": _date(),
            "published_date": _date(optional=True),
            "kind": _enum(SOURCE_KINDS),
            "scope": _id(),
            "locality_id": _ref_col(optional=True),
            "text_file": _text(optional=True),
            "note": _text(optional=True),
            # printed under the source list: what a reader should know (excerpt, date inferred)
            "reader_note": _text(optional=True),
        },
        name="sources.csv",
    ),
    "regions": pa.DataFrameSchema(
        {
            "region_id": _id(unique=True),
            "name_zh": _text(),
            "level": _enum(REGION_LEVELS),
            "province": _id(),
            "code": pa.Column(str, pa.Check.str_matches(r"[0-9]{6}"), nullable=True),
        },
        name="regions.csv",
    ),
    "localities": pa.DataFrameSchema(
        {
            "locality_id": _id(unique=True),
            "name_zh": _text(),
            "name_en": _text(),
            "level": _enum(LOCALITY_LEVELS),
            "province": _id(),
            "province_zh": _text(),
            "parent": _text(),
            "policy_scopes": _slug_list(),
        },
        name="localities.csv",
    ),
    "framework": pa.DataFrameSchema(
        {
            "task_id": _id(unique=True),
            "source_id": _ref_col(),
            "kind": _enum(FRAMEWORK_KINDS),
            "number": pa.Column(
                int, pa.Check(lambda s: _numeric(s) >= 1, error="a whole number >= 1"), coerce=True
            ),
            "name_zh": _text(),
            "name_en": _text(),
            "maps_to": _slug_list(optional=True),
            "locator": _text(),
            "quote": _text(),
        },
        name="framework.csv",
    ),
    "targets": pa.DataFrameSchema(
        {
            "target_id": _id(unique=True),
            "source_id": _ref_col(),
            "scope": _id(),
            "task_id": _ref_col(optional=True),
            "indicator_id": _ref_col(optional=True),
            "description_zh": _text(),
            "value": _number(optional=True, non_negative=True),
            "qualifier": _enum(QUALIFIERS),
            "unit": _text(optional=True),
            "period": _enum(PERIODS),
            "deadline": _date(optional=True),
            # the deadline as worded when that says more than the date (2030年前, 2020年底)
            "deadline_text": _text(optional=True),
            "locator": _text(),
            "quote": _text(),
        },
        checks=[_percent_check()],
        name="targets.csv",
    ),
    "indicators": pa.DataFrameSchema(
        {
            "indicator_id": _id(unique=True),
            "name_zh": _text(),
            "name_en": _text(),
            "unit": _text(),
            "task_id": _ref_col(),
            "higher_is_better": _enum(BOOLEANS),
            "normalise": _enum(NORMALISE),
            # false for general school-IT figures (terminals, platforms, ICT training)
            "ai_specific": _enum(BOOLEANS),
        },
        name="indicators.csv",
    ),
    "facts": pa.DataFrameSchema(
        {
            "fact_id": _id(unique=True),
            "locality_id": _ref_col(),
            "indicator_id": _ref_col(),
            "value": _number(non_negative=True),
            # Empty only for a figure counted from named items (one named county): see note.
            "value_text": _text(optional=True),
            "qualifier": _enum(QUALIFIERS),
            "unit": _text(),
            "as_of": _date(optional=True, period=True),
            "basis": _enum(FACT_BASES),
            # a period as printed when it is relative (近三年): as_of is then approximate
            "period_text": _text(optional=True),
            "scope": _text(),
            "kind": _enum(FACT_KINDS),
            "share_of": _ref_col(optional=True),
            "denominator": _ref_col(optional=True),
            "source_id": _ref_col(),
            "locator": _text(),
            "quote": _text(),
            "note": _text(optional=True),
            # an analyst's pick for the summary's headline figures; empty = not picked
            "headline": pa.Column(
                str, pa.Check.isin(BOOLEANS, error="true, false or empty"), nullable=True
            ),
        },
        checks=[
            _percent_check(),
            _period_basis_check(),
            pa.Check(_basis_words_ok, error=_BASIS_WORDS_ERROR),
        ],
        name="facts.csv",
    ),
    "measures": pa.DataFrameSchema(
        {
            "measure_id": _id(unique=True),
            "locality_id": _ref_col(),
            "task_id": _ref_col(),
            "description_zh": _text(),
            "source_id": _ref_col(),
            "locator": _text(),
            "quote": _text(),
            "ai_specific": _enum(BOOLEANS),
        },
        name="measures.csv",
    ),
    "milestones": pa.DataFrameSchema(
        {
            "milestone_id": _id(unique=True),
            "locality_id": _ref_col(optional=True),
            "scope": _id(),
            "date": _date(),
            # the date as worded when that says more than the date (2030年前, 2020年底)
            "date_text": _text(optional=True),
            "kind": _enum(MILESTONE_KINDS),
            "description_zh": _text(),
            "source_id": _ref_col(),
            "locator": _text(),
            "quote": _text(),
        },
        name="milestones.csv",
    ),
    "commitments": pa.DataFrameSchema(
        {
            "commitment_id": _id(unique=True),
            "locality_id": _ref_col(),
            "task_id": _ref_col(),
            "description_zh": _text(),
            "made_on": _date(),
            "due": _date(optional=True),
            "source_id": _ref_col(),
            "locator": _text(),
            "quote": _text(),
        },
        name="commitments.csv",
    ),
    # what a reply itself says is lacking or hard (shortcomings, challenges, constraints)
    "challenges": pa.DataFrameSchema(
        {
            "challenge_id": _id(unique=True),
            "locality_id": _ref_col(),
            "topic": _text(),
            "summary_zh": _text(),
            "source_id": _ref_col(),
            "locator": _text(),
            "quote": _text(),
        },
        name="challenges.csv",
    ),
}

_BUILTIN_EXPECTATIONS = {
    "not_nullable": "a value (this column may not be empty)",
    "coerce_dtype('float64')": "a number in base units, e.g. 11300 or 90.5",
    "coerce_dtype('int64')": "a whole number",
    "dtype('float64')": "a number",
    "dtype('int64')": "a whole number",
}
# Several failures of one cell (coercion, then dtype, then a check) → report the first.
_PRIORITY = {"not_nullable": 0, "coerce_dtype": 1, "dtype": 2}


def columns(table: str) -> list[str]:
    """The declared columns of ``table``, in documented order."""
    return list(SCHEMAS[table].columns)


# ------------------------------------------------------------------------------ reading


@dataclass
class RawTable:
    """A CSV read as text: ``frame`` (empty cells as NA) and each record's CSV ``lines``."""

    name: str
    path: Path
    frame: pd.DataFrame
    lines: np.ndarray

    @property
    def file(self) -> str:
        """The file name, as Problems show it."""
        return self.path.name


def _scan(raw: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Per non-blank record after the header: first and last CSV line, field count; header width.

    Vectorised: a comma or line break counts as a separator only outside double quotes,
    i.e. after an even number of quote characters (an escaped "" adds two).
    """
    arr = np.frombuffer(raw, dtype=np.uint8)
    newlines = np.flatnonzero(arr == 10)
    commas = np.flatnonzero(arr == 44)
    quotes = np.flatnonzero(arr == 34)
    breaks = newlines
    if len(quotes):
        breaks = newlines[np.searchsorted(quotes, newlines) % 2 == 0]
        commas = commas[np.searchsorted(quotes, commas) % 2 == 0]
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(arr)]))
    # A trailing \r belongs to the line break, not to the record.
    has_cr = (ends > starts) & (arr[np.maximum(ends - 1, 0)] == 13)
    ends = ends - has_cr
    counts = np.searchsorted(commas, ends) - np.searchsorted(commas, starts) + 1
    line_numbers = np.searchsorted(newlines, starts) + 1
    last_lines = np.searchsorted(newlines, ends) + 1
    keep = ends > starts
    header_width = int(counts[0])
    keep[0] = False
    return line_numbers[keep], last_lines[keep], counts[keep], header_width


def _scan_csv(text: str) -> tuple[list[list[str]], np.ndarray, np.ndarray]:
    """Parse with the csv module: records (header first), first and last line of each record.

    The slow, authoritative path, used only when the fast scan finds a malformed record.
    """
    reader = csv.reader(io.StringIO(text))
    rows: list[list[str]] = []
    firsts: list[int] = []
    lasts: list[int] = []
    previous = 0
    for row in reader:
        if row:
            rows.append(row)
            firsts.append(previous + 1)
            lasts.append(reader.line_num)
        previous = reader.line_num
    return rows, np.asarray(firsts[1:], dtype=np.int64), np.asarray(lasts[1:], dtype=np.int64)


def _field_count_problem(file: str, first: int, last: int, count: int, width: int) -> Problem:
    spans = (
        f"; the record runs on to line {last}: is a double quote left open?" if last > first else ""
    )
    return Problem(
        file,
        first,
        None,
        f"{count} fields",
        f"{width} comma-separated fields like the header (quote a cell that contains a comma)"
        + spans,
    )


def _encoding_problem(file: str, raw: bytes) -> Problem:
    try:
        raw.decode("utf-8")
        line = None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
    return Problem(file, line, None, None, "UTF-8 text (save the file as UTF-8)")


def read_table(name: str, path: Path) -> tuple[RawTable | None, list[Problem]]:
    """Read one CSV as strings with line numbers; unreadable rows become ``Problem``s."""
    file = path.name
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if not raw or raw.isspace():
        return None, [Problem(file, 1, None, None, "a header row: " + ", ".join(columns(name)))]

    lines, _, counts, width = _scan(raw)
    if (counts == width).all():
        try:
            # Only an empty cell is missing: "NA", "null", "nan" stay text. The C parser
            # also checks the UTF-8 (decoding the whole file up front would cost as much).
            frame = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, na_values=[""])
        except UnicodeDecodeError:
            return None, [_encoding_problem(file, raw)]
        except (pd.errors.ParserError, ValueError) as exc:
            return None, [Problem(file, None, None, None, f"a readable CSV file ({exc})")]
        if len(frame) == len(lines):
            return RawTable(name, path, frame, lines), []

    # Some record looks malformed (or a stray quote fooled the fast scan): parse properly.
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, [_encoding_problem(file, raw)]
    try:
        rows, firsts, lasts = _scan_csv(text)
    except csv.Error as exc:
        return None, [Problem(file, None, None, None, f"a readable CSV file ({exc})")]
    header, rows = rows[0], rows[1:]
    counts = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    problems = [
        _field_count_problem(file, int(firsts[i]), int(lasts[i]), int(counts[i]), len(header))
        for i in np.flatnonzero(counts != len(header))
    ]
    good = np.flatnonzero(counts == len(header))
    frame = pd.DataFrame([rows[i] for i in good], columns=header, dtype=str)
    frame = frame.mask(frame == "")
    return RawTable(name, path, frame, firsts[good]), problems


# ------------------------------------------------------------------------ table checks


def check_table(table: RawTable) -> list[Problem]:
    """Run the table's pandera schema lazily; every failure case becomes a ``Problem``."""
    schema = SCHEMAS[table.name]
    frame = table.frame
    problems: list[Problem] = []
    missing = [c for c in schema.columns if c not in frame.columns]
    extra = [c for c in frame.columns if c not in schema.columns]
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
                f"only the documented columns: {', '.join(schema.columns)}",
            )
        )
    if table.name in REQUIRED_ROWS and frame.empty:
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
    # Validate the columns that are present; missing/extra ones are reported above.
    present = schema.remove_columns(missing) if missing else schema
    try:
        present.validate(frame.drop(columns=extra), lazy=True)
    except SchemaErrors as exc:
        problems.extend(_failure_problems(table, exc.failure_cases))
    except SchemaError as exc:  # pragma: no cover - lazy mode collects, but be safe
        problems.append(Problem(table.file, None, None, None, str(exc)))
    return problems


def _failure_problems(table: RawTable, cases: pd.DataFrame) -> list[Problem]:
    cases = cases.copy()
    # A frame-level check lists every cell of a failing row: report it once, on its field.
    frame_check = cases["check"].isin(list(_FRAME_CHECK_FIELDS))
    cases.loc[frame_check, "column"] = cases.loc[frame_check, "check"].map(_FRAME_CHECK_FIELDS)
    cases["_kind"] = cases["check"].astype(str).str.replace(r"\(.*", "", regex=True)
    cases["_rank"] = cases["_kind"].map(_PRIORITY).fillna(9)
    cases = cases.sort_values("_rank", kind="stable")
    row_cases = cases[cases["index"].notna()]
    whole = cases[cases["index"].isna()]

    # Duplicated ids: name the first use, and don't report the first occurrence itself.
    firsts: dict[tuple[str, str], int] = {}
    duplicate = row_cases["check"] == "field_uniqueness"
    if duplicate.any():
        dup = row_cases[duplicate]
        for (col, value), group in dup.groupby(["column", "failure_case"], sort=False):
            firsts[(str(col), str(value))] = int(group["index"].astype(int).min())
        is_first = [
            firsts[(str(c), str(v))] == int(i)
            for c, v, i in zip(dup["column"], dup["failure_case"], dup["index"], strict=True)
        ]
        row_cases = row_cases.drop(dup.index[is_first])
    row_cases = row_cases.drop_duplicates(subset=["column", "index"], keep="first")
    problems: list[Problem] = []

    for col, check, value, index in zip(
        row_cases["column"],
        row_cases["check"],
        row_cases["failure_case"],
        row_cases["index"],
        strict=True,
    ):
        position = int(index)
        line = int(table.lines[position]) if position < len(table.lines) else None
        check = str(check)
        field = None if pd.isna(col) else str(col)
        if field is None:
            field = _FRAME_CHECK_FIELDS.get(check)
        shown = None if value is None or (not isinstance(value, str) and pd.isna(value)) else value
        if field is not None and field in table.frame.columns and check in _FRAME_CHECK_FIELDS:
            shown = table.frame[field].iloc[position]
        if check == "field_uniqueness":
            first = firsts[(str(field), str(value))]
            expected = f"a unique {field} (already used on line {int(table.lines[first])})"
        else:
            expected = _BUILTIN_EXPECTATIONS.get(check, check)
        problems.append(
            Problem(table.file, line, field, None if shown is None else str(shown), expected)
        )

    failed_columns = set(row_cases["column"].dropna())
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
    return sorted(problems, key=lambda p: (p.line or 0, p.field or ""))


# ------------------------------------------------------------------------ cross checks


@dataclass
class SourceTexts:
    """Normalised (whitespace-free) source texts by source id; None = no text file named."""

    texts: dict[str, str | None]
    problems: list[Problem]


def load_source_texts(sources: RawTable | None, sources_dir: Path) -> SourceTexts:
    """Read each named source text once, whitespace removed; a missing file is a Problem."""
    texts: dict[str, str | None] = {}
    problems: list[Problem] = []
    if sources is None or not {"source_id", "text_file"} <= set(sources.frame.columns):
        return SourceTexts(texts, problems)
    cache: dict[str, str | None] = {}
    frame = sources.frame
    hint = (
        ""
        if sources_dir.is_dir()
        else (f", which does not exist: pass --sources DIR or set ${SOURCES_ENV}")
    )
    for sid, name, line in zip(frame["source_id"], frame["text_file"], sources.lines, strict=True):
        if pd.isna(sid):
            continue
        if pd.isna(name):
            texts[sid] = None
            continue
        if name not in cache:
            path = sources_dir / name
            inside = path.resolve().is_relative_to(sources_dir.resolve())
            if not inside:
                cache[name] = None
                problems.append(
                    Problem(
                        sources.file,
                        int(line),
                        "text_file",
                        name,
                        "a file name inside the sources folder (no '..', no absolute path, "
                        "no link leading out of it)",
                    )
                )
            elif path.is_file():
                cache[name] = strip_whitespace(path.read_text("utf-8"))
            else:
                cache[name] = None
                problems.append(
                    Problem(
                        sources.file,
                        int(line),
                        "text_file",
                        name,
                        f"a file of that name in the sources folder {sources_dir}{hint} "
                        "(or leave text_file empty to mark the source unverified)",
                    )
                )
        # A named but missing text leaves quotes unverified; the Problem above says why.
        texts[sid] = cache[name]
    return SourceTexts(texts, problems)


def _problems_where(
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


def _ids(table: RawTable | None, column: str) -> set[str]:
    if table is None or column not in table.frame.columns:
        return set()
    return set(table.frame[column].dropna().unique())


def _ref(
    table: RawTable | None, column: str, valid: set[str], what: str, *, skip: bool = False
) -> list[Problem]:
    """Each non-empty ``column`` cell must be in ``valid``."""
    if skip or table is None or column not in table.frame.columns:
        return []
    series = table.frame[column]
    bad = series.notna() & ~series.isin(valid)
    return _problems_where(table, bad, column, what)


def _list_ref(table: RawTable | None, column: str, valid: set[str], what: str) -> list[Problem]:
    """Each item of a ';'-list cell must be in ``valid``."""
    if table is None or column not in table.frame.columns:
        return []
    items = table.frame[column].dropna().str.split(";").explode()
    bad = items[~items.isin(valid)]
    return [
        Problem(table.file, int(table.lines[i]), column, str(item), what)
        for i, item in zip(bad.index, bad, strict=True)
    ]


def _known(ids: set[str]) -> str:
    shown = sorted(ids)
    more = f", … ({len(shown)} in all)" if len(shown) > 12 else ""
    return ", ".join(shown[:12]) + more if shown else "(none)"


def cross_check(
    tables: dict[str, RawTable | None], texts: SourceTexts
) -> tuple[list[Problem], dict[str, pd.Series]]:
    """Checks spanning tables; also returns each quoted table's ``quote_verified`` column."""
    t = tables
    problems: list[Problem] = list(texts.problems)
    source_ids = _ids(t.get("sources"), "source_id")
    locality_ids = _ids(t.get("localities"), "locality_id")
    task_ids = _ids(t.get("framework"), "task_id")
    indicator_ids = _ids(t.get("indicators"), "indicator_id")

    # A table that failed to load can't vouch for anything: don't report refs to it.
    def ref(table: str, column: str, target: str, valid: set[str], what: str) -> None:
        problems.extend(_ref(t.get(table), column, valid, what, skip=t.get(target) is None))

    def src_msg(ids: set[str]) -> str:
        return f"a source_id from sources.csv: {_known(ids)}"

    scopes = {"national"} | _ids(t.get("localities"), "province")
    sources = t.get("sources")
    if sources is not None and {"kind", "scope"} <= set(sources.frame.columns):
        notices = sources.frame[sources.frame["kind"] != "proposal_reply"]
        scopes |= set(notices["scope"].dropna())
        replies = sources.frame["kind"] == "proposal_reply"
        if t.get("localities") is not None:
            bad = replies & ~sources.frame["scope"].isin(locality_ids)
            problems += _problems_where(
                sources,
                bad,
                "scope",
                f"for a proposal_reply, a locality_id: {_known(locality_ids)}",
            )
            if "locality_id" in sources.frame.columns:
                bad = replies & sources.frame["locality_id"].isna()
                problems += _problems_where(
                    sources, bad, "locality_id", "the locality that answered (a reply needs one)"
                )
    scope_msg = f"a scope: national or a province slug ({_known(scopes)})"

    ref(
        "sources",
        "locality_id",
        "localities",
        locality_ids,
        f"a locality_id: {_known(locality_ids)}",
    )
    problems += _list_ref(t.get("localities"), "policy_scopes", scopes, scope_msg)
    problems += hierarchy_checks(t.get("regions"), t.get("localities"))
    ref("framework", "source_id", "sources", source_ids, src_msg(source_ids))
    problems += _list_ref(
        t.get("framework"), "maps_to", task_ids, f"a task_id from framework.csv: {_known(task_ids)}"
    )
    ref(
        "indicators",
        "task_id",
        "framework",
        task_ids,
        f"a task_id from framework.csv: {_known(task_ids)}",
    )
    for name in ("targets", "facts", "measures", "milestones", "commitments", "challenges"):
        ref(name, "source_id", "sources", source_ids, src_msg(source_ids))
    for name in ("facts", "measures", "commitments", "milestones", "challenges"):
        ref(
            name,
            "locality_id",
            "localities",
            locality_ids,
            f"a locality_id: {_known(locality_ids)}",
        )
    for name in ("targets", "measures", "commitments"):
        ref(
            name,
            "task_id",
            "framework",
            task_ids,
            f"a task_id from framework.csv: {_known(task_ids)}",
        )
    indicator_msg = f"an indicator_id from indicators.csv: {_known(indicator_ids)}"
    for name, column in (
        ("targets", "indicator_id"),
        ("facts", "indicator_id"),
        ("facts", "denominator"),
    ):
        ref(name, column, "indicators", indicator_ids, indicator_msg)
    problems += _ref(t.get("targets"), "scope", scopes, scope_msg)
    problems += _ref(
        t.get("milestones"), "scope", scopes | locality_ids, scope_msg[:-1] + " or a locality_id)"
    )
    problems += _fact_checks(t.get("facts"))

    verified, quote_problems = verify_quotes(t, texts)
    problems += quote_problems
    for table in t.values():
        if table is not None:
            problems += _personal_data(table)
    problems += _empty_localities(t)
    return problems, verified


def _empty_localities(t: dict[str, RawTable | None]) -> list[Problem]:
    """A locality with no fact, measure or commitment at all would get an empty report."""
    localities = t.get("localities")
    children = [t.get(name) for name in ("facts", "measures", "commitments")]
    if localities is None or any(c is None for c in children):
        return []
    with_rows: set[str] = set()
    for child in children:
        with_rows |= _ids(child, "locality_id")
    frame = localities.frame
    if "locality_id" not in frame.columns:
        return []
    bare = frame["locality_id"].notna() & ~frame["locality_id"].isin(with_rows)
    return _problems_where(
        localities,
        bare,
        "locality_id",
        "a locality with at least one row in facts.csv, measures.csv or commitments.csv "
        "(its report would be empty): add its records or remove the locality",
    )


def hierarchy_checks(regions: RawTable | None, localities: RawTable | None) -> list[Problem]:
    """Provinces and parents exist: regions.csv's provinces and cities above localities.csv.

    A region's ``province`` is a province region (itself, for a province); a locality's
    ``province`` is a province region with that ``province_zh``, its ``parent`` the name of
    that province or of one of its cities; no region id is also a locality id.
    """
    if regions is None or localities is None:
        return []
    reg = regions.frame
    if not {"region_id", "name_zh", "level", "province"} <= set(reg.columns):
        return []  # the missing column is reported by the table's own check
    provinces = reg[reg["level"] == "province"]
    province_ids = set(provinces["region_id"].dropna())
    province_zh = dict(zip(provinces["region_id"], provinces["name_zh"], strict=True))
    problems = _problems_where(
        regions,
        reg["province"].notna() & ~reg["province"].isin(province_ids),
        "province",
        f"a province's region_id from regions.csv: {_known(province_ids)}",
    )
    problems += _problems_where(
        regions,
        (reg["level"] == "province") & (reg["province"] != reg["region_id"]),
        "province",
        "for a province, its own region_id",
    )
    locality_ids = _ids(localities, "locality_id")
    problems += _problems_where(
        regions,
        reg["region_id"].isin(locality_ids | {"all"}),
        "region_id",
        "an id that is not also a locality_id (nor 'all'): reports are named by id",
    )
    return problems + _locality_places(reg, localities, province_ids, province_zh)


def _locality_places(
    reg: pd.DataFrame, localities: RawTable, province_ids: set[str], province_zh: dict[str, str]
) -> list[Problem]:
    """A locality's province is a province region, its parent one of that province's regions."""
    loc = localities.frame
    if not {"province", "parent", "province_zh"} <= set(loc.columns):
        return []
    problems = _problems_where(
        localities,
        loc["province"].notna() & ~loc["province"].isin(province_ids),
        "province",
        f"a province's region_id from regions.csv: {_known(province_ids)}",
    )
    known_prov = loc["province"].isin(province_ids)
    wanted_zh = loc["province"].map(province_zh)
    problems += _problems_where(
        localities,
        known_prov & loc["province_zh"].notna() & (loc["province_zh"] != wanted_zh),
        "province_zh",
        "the name_zh of its province in regions.csv: " + wanted_zh.fillna("").astype(str),
    )
    # A parent is the province itself or one of that province's cities, by name.
    parents = set(zip(reg["province"], reg["name_zh"], strict=True))
    has_parent = [(p, n) in parents for p, n in zip(loc["province"], loc["parent"], strict=True)]
    names = reg.groupby("province")["name_zh"].agg(lambda s: "、".join(sorted(s.dropna())))
    problems += _problems_where(
        localities,
        known_prov & loc["parent"].notna() & ~np.asarray(has_parent, dtype=bool),
        "parent",
        "a region of its province in regions.csv: " + loc["province"].map(names).fillna(""),
    )
    return problems


QUOTED_TABLES = (
    "framework",
    "targets",
    "facts",
    "measures",
    "milestones",
    "commitments",
    "challenges",
)


def verify_quotes(
    tables: dict[str, RawTable | None], texts: SourceTexts
) -> tuple[dict[str, pd.Series], list[Problem]]:
    """Each quoted table's ``quote_verified`` column, and a Problem per quote not found."""
    verified: dict[str, pd.Series] = {}
    problems: list[Problem] = []
    for name in QUOTED_TABLES:
        table = tables.get(name)
        if table is None:
            continue
        verified[name], found_problems = _quote_checks(table, texts.texts)
        problems += found_problems
    return verified, problems


def _fact_checks(facts: RawTable | None) -> list[Problem]:
    """Numbers against their printed text, and share_of links."""
    if facts is None:
        return []
    frame = facts.frame
    cols = set(frame.columns)
    problems: list[Problem] = []
    unreadable = pd.Series(False, index=frame.index)
    if "value_text" in cols:
        texts = frame["value_text"]
        parsed = {v: try_parse_number(v) for v in texts.dropna().unique()}
        unreadable = texts.isin([v for v, p in parsed.items() if p is None])
        problems += _problems_where(
            facts,
            unreadable,
            "value_text",
            "the number as printed, e.g. 1.13万, 4000多万, 14千余, 90.5 (no unit or words)",
        )
    if {"value_text", "note"} <= cols:
        # A figure with no printed number must say how it was counted from the quote.
        uncounted = frame["value_text"].isna() & frame["note"].isna()
        problems += _problems_where(
            facts,
            uncounted,
            "value_text",
            "the number as printed, or (for a figure counted from items the quote names) "
            "an empty value_text and a note saying how it was counted",
        )
    if {"value_text", "qualifier"} <= cols:
        marked = texts.isin([v for v, p in parsed.items() if p is not None and p.marker])
        loose = marked & frame["qualifier"].notna() & (frame["qualifier"] != "more_than")
        problems += _problems_where(
            facts, loose, "qualifier", "more_than, since value_text carries 多/余 (a lower bound)"
        )
    if {"value", "value_text"} <= cols:
        values = pd.Series({v: p.value for v, p in parsed.items() if p is not None}, dtype=float)
        expected_value = texts.map(values).astype(float)
        value = _numeric(frame["value"])
        differs = (
            value.notna()
            & expected_value.notna()
            & ((value - expected_value).abs() > 1e-9 * np.maximum(1.0, expected_value.abs()))
        )
        for i in np.flatnonzero(differs.to_numpy()):
            problems.append(
                Problem(
                    facts.file,
                    int(facts.lines[i]),
                    "value",
                    str(frame["value"].iloc[i]),
                    f"the value of value_text {texts.iloc[i]!r} in base units: "
                    f"{expected_value.iloc[i]:.15g}",
                )
            )
    if {"value_text", "quote"} <= cols:
        pair = frame["value_text"].notna() & frame["quote"].notna() & ~unreadable
        pairs = frame.loc[pair, ["value_text", "quote"]]
        outside = [
            (number, quote)
            for number, quote in pairs.drop_duplicates().itertuples(index=False)
            if strip_whitespace(number) not in strip_whitespace(quote)
        ]
        if outside:
            missing = pd.Series(False, index=frame.index)
            missing[pair] = pd.MultiIndex.from_frame(pairs).isin(outside)
            problems += _problems_where(
                facts, missing, "value_text", "text that occurs in the row's quote, as printed"
            )
    if {"share_of", "locality_id", "fact_id"} <= cols:
        linked = frame[frame["share_of"].notna()]
        known = linked["share_of"].isin(frame["fact_id"])
        owner = (
            frame.loc[frame["fact_id"].isin(linked["share_of"]), ["fact_id", "locality_id"]]
            .drop_duplicates("fact_id")
            .set_index("fact_id")["locality_id"]
        )
        other = known & (linked["share_of"].map(owner) != linked["locality_id"])
        problems += _problems_where(
            facts,
            frame.index.isin(linked.index[other.to_numpy()]),
            "share_of",
            "a fact of the same locality (share_of links a % to its count)",
        )
        dangling = frame.index.isin(linked.index[~known.to_numpy()])
        problems += _problems_where(facts, dangling, "share_of", "a fact_id from facts.csv")
    if "unit" in cols:
        for column in ("share_of", "denominator"):
            if column in cols:
                bad = frame[column].notna() & (frame["unit"] != "%")
                problems += _problems_where(
                    facts, bad, column, f"{column} only on a percentage fact (unit '%')"
                )
    return problems


def _quote_checks(table: RawTable, texts: dict[str, str | None]) -> tuple[pd.Series, list[Problem]]:
    """Whether each quote occurs in its source text (whitespace removed from both)."""
    frame = table.frame
    index = frame.index
    if not {"quote", "source_id"} <= set(frame.columns):
        return pd.Series(False, index=index), []
    with_text = [source for source, text in texts.items() if text is not None]
    has_text = frame["source_id"].isin(with_text) & frame["quote"].notna()
    pairs = frame.loc[has_text, ["source_id", "quote"]]
    not_found = [
        (source, quote)
        for source, quote in pairs.drop_duplicates().itertuples(index=False)
        if strip_whitespace(quote) not in texts[source]  # type: ignore[operator]
    ]
    missing = pd.Series(False, index=frame.index)
    if not_found:
        missing[has_text] = pd.MultiIndex.from_frame(pairs).isin(not_found)
    verified = has_text & ~missing
    problems = _problems_where(
        table,
        missing,
        "quote",
        "a verbatim excerpt of the source text (compared with all whitespace removed; "
        "check punctuation and full-width characters)",
    )
    return verified, problems


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


_REFERENCES = ("share_of", "denominator")


def _distinct_text(table: RawTable) -> dict[str, np.ndarray]:
    """Each free-text column's distinct values (computed once per table: two checks use it)."""
    found = table.__dict__.get("_distinct_text")
    if found is None:
        found = {
            c: table.frame[c].dropna().unique()
            for c in text_columns(table.name)
            if c in table.frame.columns
        }
        table.__dict__["_distinct_text"] = found
    return found


def _any_match(pattern: re.Pattern[str], values: np.ndarray) -> bool:
    """Whether any value matches: one scan of the values joined by NUL (no pattern spans it)."""
    return pattern.search("\x00".join(values)) is not None


def _personal_data(table: RawTable) -> list[Problem]:
    """Flag contact names and phone numbers in every text field; reports carry no personal data."""
    problems: list[Problem] = []
    for column, values in _distinct_text(table).items():
        if not _any_match(_PERSONAL, values):
            continue
        series = table.frame[column]
        bad = [v for v in values if _PERSONAL.search(v)]
        problems += _problems_where(
            table,
            series.isin(bad),
            column,
            "no personal data: remove the contact's name or telephone number "
            "(after 联系人, 签发人, 联系电话, 电话; contacts are not facts)",
        )
    return problems


def glyph_problems(
    tables: dict[str, RawTable | None], missing: Callable[[str], set[str]]
) -> list[Problem]:
    """A Problem per text cell holding a character the report font cannot draw.

    ``missing(text)`` returns the characters of ``text`` without a glyph. All the text is
    asked about at once; only the cells holding a missing character are then looked at.
    """
    problems: list[Problem] = []
    for table in tables.values():
        if table is None:
            continue
        for column, values in _distinct_text(table).items():
            series = table.frame[column]
            gaps = missing("".join(values))
            if not gaps:
                continue
            pattern = re.compile("[" + "".join(re.escape(c) for c in sorted(gaps)) + "]")
            bad = {v: sorted(set(pattern.findall(v))) for v in values if pattern.search(v)}
            shown = {
                v: "characters the report font can draw; "
                + ", ".join(f"{c!r} (U+{ord(c):04X})" for c in cs)
                + " would print as an empty box: replace it or set REPORTLIB_CJK_FONT"
                for v, cs in bad.items()
            }
            mask = series.isin(list(bad))
            problems += _problems_where(table, mask, column, series.map(shown))
    return problems
