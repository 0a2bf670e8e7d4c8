"""One error hierarchy: every failure a user can cause is a ``ReportlibError``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class ReportlibError(Exception):
    """Base class of every error reportlib raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One validation failure: where it is, what was found and what was expected."""

    file: str
    line: int | None
    field: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" field '{self.field}'" if self.field else ""
        value = "" if self.value is None else f": got {self.value!r}"
        return f"{where}{field}{value}; expected {self.expected}"


class DataValidationError(ReportlibError):
    """The data directory has one or more problems; ``problems`` lists all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the data:\n{lines}")


class DataFileError(ReportlibError):
    """A data file is missing or cannot be read at all."""


class NumberFormatError(ReportlibError, ValueError):
    """A ``value_text`` is not a printed number (``1.13万``, ``4000多万``, ``90.5``)."""


class UnknownLocalityError(ReportlibError):
    """The requested locality is not in localities.csv."""

    def __init__(self, locality: str, known: list[str], regions: list[str] | None = None):
        self.locality = locality
        self.known = list(known)
        self.regions = list(regions or [])
        rollups = (
            f"; provinces and cities (a roll-up): {', '.join(self.regions)}" if self.regions else ""
        )
        super().__init__(
            f"unknown locality {locality!r}; known localities: {', '.join(self.known)}"
            f"{rollups} (or 'all' for the overview)"
        )


class AnalysisError(ReportlibError):
    """A fact cannot be analysed as written (an unreadable number or date, a broken share_of)."""


class FontNotFoundError(ReportlibError):
    """No font able to show Chinese text was found."""


class ToolMissingError(ReportlibError):
    """An external tool a render route needs is not installed."""


class RenderError(ReportlibError):
    """A render tool (pandoc, typst, quarto) failed on the generated input."""


class MissingGlyphError(ReportlibError):
    """A chart or the PDF would show a character no font can draw (a tofu box)."""


class NotebookCellError(ReportlibError):
    """A notebook cell failed; names the cell and where the failed notebook was kept."""

    def __init__(self, cell_index: int, cell_source: str, ename: str, evalue: str, kept: Path):
        self.cell_index = cell_index
        self.cell_source = cell_source
        self.ename = ename
        self.evalue = evalue
        self.kept = kept
        first = cell_source.strip().splitlines()[0] if cell_source.strip() else ""
        super().__init__(
            f"notebook cell {cell_index} failed ({first[:80]!r}): {ename}: {evalue}\n"
            f"the failed notebook is kept at {kept}"
        )


class WordingError(ReportlibError):
    """A text template is missing, malformed or names a value that was not given."""

    def __init__(self, message: str, file: Path | None = None, line: int | None = None):
        self.file, self.line = file, line
        where = "" if file is None else f"{file}" + ("" if line is None else f":{line}")
        super().__init__(f"{where}: {message}" if where else message)


class BatchInterrupted(ReportlibError):
    """A batch was stopped (Ctrl-C); ``replaced`` lists the reports it had already replaced."""

    def __init__(self, replaced: list[str], not_rendered: list[str], manifest: str):
        self.replaced = list(replaced)
        self.not_rendered = list(not_rendered)
        self.manifest = manifest
        done = ", ".join(self.replaced) if self.replaced else "none"
        super().__init__(
            f"interrupted: reports replaced: {done}; the others keep their previous version "
            f"(see {manifest}); run the batch again to finish"
        )


def describe_os_error(exc: OSError) -> str:
    """One line for a file that could not be written: the path and what to do about it."""
    import errno

    path = exc.filename or "the output folder"
    hints = {
        errno.ENOSPC: "the disk is full: free some space or choose another folder (--out/--build)",
        errno.EDQUOT: "the disk quota is used up: free some space or choose another folder",
        errno.EROFS: "the disk is read-only: choose a writable folder with --out/--build",
        errno.EACCES: "no permission to write there: fix the folder's permissions or choose "
        "another with --out/--build",
        errno.EPERM: "not permitted: fix the folder's permissions or choose another with --out",
        errno.ENOTDIR: "a part of that path is a file, not a folder: choose another --out/--build",
    }
    hint = hints.get(exc.errno or 0, "check the path and the disk, then run again")
    return f"cannot write {path}: {exc.strerror or exc}; {hint}"
