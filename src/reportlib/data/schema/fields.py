"""How each kind of field is declared: the pandera ``Column`` for an id, a reference, text,
an enumeration, a date, a number or a slug list, and the checks on a whole record (a
percentage in range, a basis that agrees with its quote).

Checks that judge each cell by a Python predicate run once per distinct value
(``by_unique``), so a column of 300,000 cells with a few hundred values costs little.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pandas as pd
import pandera.pandas as pa

from reportlib.data import dates
from reportlib.data.schema.vocabulary import ID_PATTERN

_ID_RE = re.compile(ID_PATTERN)

# ------------------------------------------------------------------- element predicates


def _period_ok(text: str) -> bool:
    if "/" not in text:
        return dates.start(text) is not None
    start_text, _, end_text = text.partition("/")
    start, end = dates.start(start_text), dates.end(end_text)
    return start is not None and end is not None and start <= end


def _slug_list_ok(text: str) -> bool:
    return all(_ID_RE.fullmatch(item) for item in text.split(";"))


def by_unique(predicate: Callable[[str], bool]) -> Callable[[pd.Series], pd.Series]:
    """Vectorise ``predicate``: evaluate it once per distinct value; missing cells pass."""

    def check(series: pd.Series) -> pd.Series:
        bad = [value for value in series.dropna().unique() if not predicate(value)]
        return ~series.isin(bad)

    return check


def numeric(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce")


# ---------------------------------------------------------------- column declarations

_SLUG = "a lower-case slug like 'huli-2025-reply' ([a-z0-9][a-z0-9-]*)"
_DATE = "a real partial date YYYY, YYYY-MM or YYYY-MM-DD"
_PERIOD = f"{_DATE}, or a period START/END with START <= END (e.g. 2022/2024)"


def _slugs_ok(series: pd.Series) -> pd.Series:
    # Key columns hold distinct values, so a plain vectorised match beats de-duplicating.
    return series.str.fullmatch(ID_PATTERN).fillna(True).astype(bool)


def id_column(*, unique: bool = False, optional: bool = False) -> pa.Column:
    check = _slugs_ok if unique else by_unique(lambda v: _ID_RE.fullmatch(v) is not None)
    return pa.Column(str, pa.Check(check, error=_SLUG), nullable=optional, unique=unique)


def ref_column(*, optional: bool = False) -> pa.Column:
    # A reference must equal an existing id (checked across tables), which is stricter
    # than the slug pattern; checking both would report one bad cell twice.
    return pa.Column(str, nullable=optional)


def text_column(*, optional: bool = False) -> pa.Column:
    return pa.Column(str, nullable=optional)


def enum_column(values: Iterable[str]) -> pa.Column:
    values = tuple(values)
    return pa.Column(str, pa.Check.isin(values, error=f"one of {', '.join(values)}"))


def date_column(*, optional: bool = False, period: bool = False) -> pa.Column:
    if period:
        check = pa.Check(by_unique(_period_ok), error=_PERIOD)
    else:
        check = pa.Check(by_unique(lambda v: dates.start(v) is not None), error=_DATE)
    return pa.Column(str, check, nullable=optional)


def number_column(*, optional: bool = False, non_negative: bool = False) -> pa.Column:
    # Checks re-parse the text so they still judge the other cells when one cell fails
    # coercion (lazy validation keeps going with the uncoerced column).
    checks = []
    if non_negative:
        checks.append(pa.Check(lambda s: ~(numeric(s) < 0), error="a number >= 0"))
    return pa.Column(float, checks, coerce=True, nullable=optional)


def slug_list_column(*, optional: bool = False) -> pa.Column:
    error = "a ';'-separated list of slugs like 'national;henan'"
    return pa.Column(str, pa.Check(by_unique(_slug_list_ok), error=error), nullable=optional)


# ---------------------------------------------------------------------- record checks


def _percent_in_range(df: pd.DataFrame) -> pd.Series:
    if "unit" not in df or "value" not in df:
        return pd.Series(True, index=df.index)
    value = numeric(df["value"])
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
FRAME_CHECK_FIELDS = {
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


def period_basis_check() -> pa.Check:
    return pa.Check(_period_basis_ok, error=_PERIOD_BASIS_ERROR)


def percent_check() -> pa.Check:
    return pa.Check(_percent_in_range, error=_PERCENT_ERROR)


def basis_words_check() -> pa.Check:
    return pa.Check(_basis_words_ok, error=_BASIS_WORDS_ERROR)
