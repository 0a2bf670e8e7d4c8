"""Shared fixtures: the hand-made minimal data set, a cell editor, and the real data."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from reportlib import paths

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "minimal"


@pytest.fixture
def minimal_sources() -> Path:
    """Source texts of the minimal data set (read-only: don't edit them)."""
    return MINIMAL / "sources"


@pytest.fixture
def minimal_data(tmp_path: Path) -> Path:
    """A writable copy of the small, valid, hand-made data set (tests/fixtures/minimal)."""
    target = tmp_path / "data"
    shutil.copytree(MINIMAL / "data", target)
    return target


EditCell = Callable[[Path, int, str, str], None]


def edit_csv_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set ``column`` of record ``row`` (0 = first record, CSV line 2) in ``path``."""
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    records[row + 1][records[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(records)


@pytest.fixture
def edit_cell() -> EditCell:
    """``edit_cell(csv_path, row, column, value)``: change one cell of a CSV file."""
    return edit_csv_cell


@pytest.fixture(scope="session")
def real_data() -> tuple[Path, Path]:
    """(data dir, sources dir) of the project's real data; skips when either is absent."""
    data, sources = paths.data_dir(), paths.sources_dir()
    if not (data / "facts.csv").is_file():
        pytest.skip(f"the real data is not there yet ({data}/facts.csv missing)")
    if not sources.is_dir():
        pytest.skip(f"the source texts folder {sources} is absent (set $REPORTLIB_SOURCES)")
    return data, sources


@pytest.fixture(autouse=True, scope="session")
def _private_dataset_cache(tmp_path_factory: pytest.TempPathFactory):
    """Validated tables cached by the tests go to a temporary folder, not ~/.cache."""
    patch = pytest.MonkeyPatch()
    patch.setenv("REPORTLIB_CACHE", str(tmp_path_factory.mktemp("dataset-cache")))
    yield
    patch.undo()
