"""Reading a CSV table as text, with the CSV line number of every record.

A table is read as strings (``dtype=str``, ``keep_default_na=False``): nothing is silently
coerced and only an empty cell is missing. A vectorised scan finds each record's line and
field count; only when a record looks malformed is the file parsed again, record by
record, to name the lines at fault.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from reportlib.data.schema.tables import columns
from reportlib.errors import Problem


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
