"""Checks on free text: quotes against their source texts, personal data, printable glyphs.

Quotes are compared with the sources with all whitespace removed from both
(``strip_whitespace``): documents break lines and pad with ideographic spaces anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from reportlib.data import personal
from reportlib.data.schema.problems import problems_where
from reportlib.data.schema.reading import RawTable
from reportlib.data.schema.tables import text_columns
from reportlib.data.schema.vocabulary import strip_whitespace
from reportlib.errors import Problem
from reportlib.paths import SOURCES_ENV


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
    problems = problems_where(
        table,
        missing,
        "quote",
        "a verbatim excerpt of the source text (compared with all whitespace removed; "
        "check punctuation and full-width characters)",
    )
    return verified, problems


def distinct_text(table: RawTable) -> dict[str, np.ndarray]:
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


def personal_data(table: RawTable) -> list[Problem]:
    """Flag personal data (``reportlib.data.personal``) in every text field: reports carry none."""
    problems: list[Problem] = []
    for column, values in distinct_text(table).items():
        # One scan of the values joined by line breaks first: each value then starts a line,
        # as the patterns anchored there expect. A match across two values costs only the
        # look at each value that follows.
        if not personal.contains("\n".join(values)):
            continue
        bad = [v for v in values if personal.contains(v)]
        problems += problems_where(
            table,
            table.frame[column].isin(bad),
            column,
            "no personal data: remove the contact's name or telephone number "
            "(after 联系人, 签发人, 联系电话, 电话; contacts are not facts), or the name of a "
            "member or pupil (李某委员：, 学生某某获奖)",
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
        for column, values in distinct_text(table).items():
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
            problems += problems_where(table, mask, column, series.map(shown))
    return problems
