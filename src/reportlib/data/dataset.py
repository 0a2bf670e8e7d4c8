"""Load the CSV tables into a typed, validated ``Dataset``.

``load`` is the single entry point the reports use: it reads every table once, validates
them (``schema``), and returns typed frames with derived columns:

- every table: ``line`` (the record's CSV line number, header = line 1);
- tables with a quote: ``quote_verified`` (True when the quote was found in its source text);
- facts: ``value_step`` (the unit of the last printed digit of ``value_text``) and
  ``value_marker`` (``多``/``余`` or None);
- milestones: ``date_precision`` (``year``/``month``/``day``).

Types: ids and text are pandas strings with missing cells as NA (test with ``pd.isna``);
``value``/``number`` are numbers; ``higher_is_better`` is bool; the list cells
``policy_scopes`` and ``maps_to`` are tuples of strings (empty tuple when not given).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from reportlib import paths
from reportlib.data import cache, schema
from reportlib.data.numbers import try_parse_number
from reportlib.data.schema import TABLES, RawTable
from reportlib.errors import (
    DataFileError,
    DataValidationError,
    Problem,
    ReportlibError,
    UnknownLocalityError,
)

__all__ = [
    "Dataset",
    "ValidationReport",
    "check",
    "data_files",
    "data_hash",
    "load",
    "validate",
]

_LIST_COLUMNS = ("policy_scopes", "maps_to")
_PRECISION = {4: "year", 7: "month", 10: "day"}


@dataclass(frozen=True)
class Dataset:
    """All tables of one data folder, typed, in file order, with derived columns."""

    data_dir: Path
    sources_dir: Path
    sources: pd.DataFrame
    regions: pd.DataFrame
    localities: pd.DataFrame
    framework: pd.DataFrame
    targets: pd.DataFrame
    indicators: pd.DataFrame
    facts: pd.DataFrame
    measures: pd.DataFrame
    milestones: pd.DataFrame
    commitments: pd.DataFrame
    challenges: pd.DataFrame
    data_hash: str

    def locality(self, locality_id: str) -> pd.Series:
        """The localities.csv row of ``locality_id``; ``UnknownLocalityError`` lists known ids."""
        rows = self.localities[self.localities["locality_id"] == locality_id]
        if rows.empty:
            from reportlib.data.regions import region_ids

            raise UnknownLocalityError(locality_id, self.locality_ids(), region_ids(self))
        return rows.iloc[0]

    def locality_ids(self) -> list[str]:
        """Locality ids in file order."""
        return [str(v) for v in self.localities["locality_id"]]


def data_files(data_dir: Path) -> dict[str, Path]:
    """Table name → CSV path in ``data_dir`` (whether or not it exists)."""
    return {name: data_dir / f"{name}.csv" for name in TABLES}


def data_hash(data_dir: str | os.PathLike[str] | None = None) -> str:
    """sha256 over the CSV files' (and commentaries') names and bytes, in file-name order."""
    folder = paths.data_dir(data_dir)
    return _hash_files([*folder.glob("*.csv"), *folder.glob("commentary/*.md")])


def _hash_files(files: Iterable[Path]) -> str:
    """sha256 over each file's name and bytes, in file-name order."""
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.name):
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


class _Read(NamedTuple):
    """Every table as read (None: missing or unreadable), and what was found on the way."""

    tables: dict[str, RawTable | None]
    problems: list[Problem]
    missing: list[str]  # file names
    verified: dict[str, pd.Series]  # table name → quote_verified


def _read_all(data_dir: Path, sources_dir: Path, *, check: bool) -> _Read:
    """Read (and with ``check``, validate) every table: tables, problems, missing files."""
    if not data_dir.is_dir():
        raise DataFileError(
            f"data folder {data_dir} does not exist; pass --data DIR or set ${paths.DATA_ENV}"
        )
    tables: dict[str, RawTable | None] = {}
    problems: list[Problem] = []
    missing: list[str] = []
    for name, path in data_files(data_dir).items():
        if not path.is_file():
            missing.append(path.name)
            tables[name] = None
            problems.append(
                Problem(path.name, None, None, None, f"the file {path.name} in {data_dir}")
            )
            continue
        table, read_problems = schema.read_table(name, path)
        tables[name] = table
        problems += read_problems
        if check and table is not None:
            problems += schema.check_table(table)
    texts = schema.load_source_texts(tables.get("sources"), sources_dir)
    if check:
        cross, verified = schema.cross_check(tables, texts)
        problems += cross
        problems += schema.glyph_problems(tables, _missing_glyphs())
    else:
        verified, _ = schema.verify_quotes(tables, texts)  # reports show it next to each figure
    return _Read(tables, problems, missing, verified)


def _font_identity() -> tuple[str, int] | None:
    """The font the glyph check asks (path, modification time), or None when there is none."""
    from reportlib.render.fonts import find_cjk_font

    try:
        font = find_cjk_font()
        return str(font.path), font.path.stat().st_mtime_ns
    except (ReportlibError, OSError):
        return None


def _missing_glyphs() -> Callable[[str], set[str]]:
    """What the report font cannot draw (nothing is missing when no font is found: the
    render says so itself, naming how to install one)."""
    from reportlib.render.fonts import find_cjk_font, font_covers

    try:
        font = find_cjk_font()
    except ReportlibError:
        return lambda text: set()
    return lambda text: font_covers(font.path, text, font.font_number)


@dataclass(frozen=True)
class ValidationReport:
    """What ``check`` found: every problem, and row counts for a one-line summary."""

    data_dir: Path
    problems: list[Problem]
    rows: dict[str, int]  # table name → records read
    unverified_quotes: int  # quotes whose source has no text file (not errors)


def check(
    data_dir: str | os.PathLike[str] | None = None,
    sources_dir: str | os.PathLike[str] | None = None,
) -> ValidationReport:
    """Validate the data folder in one pass and count what was read."""
    folder = paths.data_dir(data_dir)
    texts_dir = paths.sources_dir(sources_dir)
    tables, problems, _, verified = _read_all(folder, texts_dir, check=True)
    if not problems and any((folder / "commentary").glob("*.md")):
        from reportlib.document import commentary  # the analysts' commentary cites these facts

        problems = commentary.check(load(folder, texts_dir, validate=False))
    rows = {name: len(table.frame) for name, table in tables.items() if table is not None}
    unverified = sum(int((~found).sum()) for found in verified.values())
    return ValidationReport(folder, problems, rows, unverified)


def validate(
    data_dir: str | os.PathLike[str] | None = None,
    sources_dir: str | os.PathLike[str] | None = None,
) -> list[Problem]:
    """Every problem in the data folder (empty list when clean); missing files included."""
    return check(data_dir, sources_dir).problems


#: (path, size, mtime, ctime, inode) of each file in the data and sources folders.
_Stats = tuple[tuple[str, int, int, int, int], ...]


class _Loaded(NamedTuple):
    """A Dataset loaded in this process, and what its files looked like then."""

    stats: _Stats
    taken: int  # time.time_ns() just before the stats were taken
    hashes: tuple[str, str]  # the data's and the source texts' content hashes
    dataset: Dataset


#: The last Dataset loaded in this process, by (data folder, sources folder, validate).
_LAST: dict[tuple[Path, Path, bool], _Loaded] = {}
#: A file modified less than this before its stats were taken may change again without
#: its size or modification time changing (timestamps are coarse): check its bytes.
_RACY_NS = 2_000_000_000


def _stats(*folders: Path) -> _Stats:
    """(path, size, mtime, ctime, inode) of every file in ``folders``.

    ctime as well as mtime, as git does: copying with the old mtime (``cp -p``) still moves it.
    """
    found: list[tuple[str, int, int, int, int]] = []
    for folder in folders:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.is_file():
                st = entry.stat()
                found.append((entry.path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    return tuple(found)


def _content_hashes(folder: Path, texts_dir: Path) -> tuple[str, str]:
    texts = [p for p in texts_dir.iterdir() if p.is_file()] if texts_dir.is_dir() else []
    return data_hash(folder), _hash_files(texts)


def load(
    data_dir: str | os.PathLike[str] | None = None,
    sources_dir: str | os.PathLike[str] | None = None,
    validate: bool = True,
) -> Dataset:
    """Load, validate and type every table.

    Raises ``DataFileError`` when a file is missing and ``DataValidationError`` listing every
    problem when ``validate`` is True and the data has any.

    A second call for the same folders, while no file in them changed, returns the tables
    already loaded: a render loads the data before running the notebook and again inside it,
    and a batch worker for every report. Unchanged means the same size, modification and
    change times and inode, as git decides; a file changed within two seconds of when those
    were recorded has its bytes compared instead (hashing 300,000 facts costs ~0.1 s, reading
    their stats nothing). Each caller gets its own shallow copies (pandas copy-on-write), so
    a notebook that edits a table changes nobody else's. A new process finds the tables
    validated from the same bytes in the disk cache (``reportlib.data.cache``).
    """
    folder = paths.data_dir(data_dir)
    texts_dir = paths.sources_dir(sources_dir)
    where = (folder, texts_dir, validate)
    taken = time.time_ns()  # before the stats: a later change cannot look older than this
    stats = _stats(folder, folder / "commentary", texts_dir)
    cached = _LAST.get(where)
    hashes: tuple[str, str] | None = None
    if cached is not None and cached.stats == stats:
        racy = any(ctime > cached.taken - _RACY_NS for _, _, _, ctime, _ in stats)
        if racy:
            hashes = _content_hashes(folder, texts_dir)
        if not racy or hashes == cached.hashes:
            return _copy(cached.dataset)
    hashes = hashes or _content_hashes(folder, texts_dir)
    entry = cache.key(hashes, folder, texts_dir, validate, _font_identity())
    ds = cache.get(entry)
    if not isinstance(ds, Dataset):
        ds = _load(folder, texts_dir, validate, hashes[0])
        cache.put(entry, ds)
    _LAST.clear()
    _LAST[where] = _Loaded(stats, taken, hashes, ds)
    return _copy(ds)


def _copy(ds: Dataset) -> Dataset:
    """``ds`` with shallow copies of its tables (pandas copy-on-write: edits stay local)."""
    tables = {
        f.name: getattr(ds, f.name).copy(deep=False)
        for f in dataclasses.fields(ds)
        if isinstance(getattr(ds, f.name), pd.DataFrame)
    }
    return dataclasses.replace(ds, **tables)


def _load(folder: Path, texts_dir: Path, validate: bool, digest: str) -> Dataset:
    tables, problems, missing, verified = _read_all(folder, texts_dir, check=validate)
    if missing:
        raise DataFileError(
            f"missing data file(s) {', '.join(missing)} in the data folder {folder}; "
            "every table in docs/data.md is required"
        )
    unreadable = [name for name, table in tables.items() if table is None]
    if validate and problems:
        raise DataValidationError(problems)
    if unreadable:
        raise DataFileError(
            f"cannot read {', '.join(n + '.csv' for n in unreadable)} in {folder}: "
            + "; ".join(str(p) for p in problems)
        )
    frames = {
        name: _typed(name, table, verified.get(name))
        for name, table in tables.items()
        if table is not None
    }
    return Dataset(data_dir=folder, sources_dir=texts_dir, data_hash=digest, **frames)


def _typed(name: str, table: RawTable, verified: pd.Series | None) -> pd.DataFrame:
    """Typed columns plus derived ones, from a table read as text."""
    frame = table.frame.copy()
    for column in ("value",):
        if column in frame:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    if "number" in frame:
        frame["number"] = pd.to_numeric(frame["number"], errors="coerce").astype("Int64")
    for flag in ("higher_is_better", "headline", "ai_specific"):
        if flag in frame:
            frame[flag] = frame[flag].eq("true").fillna(False).astype(bool)
    for column in _LIST_COLUMNS:
        if column in frame:
            frame[column] = [
                tuple(v.split(";")) if isinstance(v, str) else () for v in frame[column]
            ]
    frame["line"] = np.asarray(table.lines, dtype=np.int64)
    if verified is not None:
        frame["quote_verified"] = verified.to_numpy(dtype=bool)
    if name == "facts" and "value_text" in frame:
        parsed = {v: try_parse_number(v) for v in frame["value_text"].dropna().unique()}
        step = {v: (p.step if p else np.nan) for v, p in parsed.items()}
        marker = {v: (p.marker if p else None) for v, p in parsed.items()}
        frame["value_step"] = frame["value_text"].map(step).astype(float)
        # a figure counted from named items (no printed number) is an exact whole number
        frame.loc[frame["value_text"].isna(), "value_step"] = 1.0
        frame["value_marker"] = frame["value_text"].map(marker)
    if name == "milestones" and "date" in frame:
        frame["date_precision"] = frame["date"].str.len().map(_PRECISION)
    return frame
