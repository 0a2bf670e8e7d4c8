"""Shared fixtures: the hand-made minimal data set, a cell editor, the real data, the real
reports rendered once per session, and a Chromium driven by Playwright.

Every test that reads the project's real data or source texts asks for ``real_data`` (or
``rendered_report``, which does), so a checkout without ``../shared/sources`` shows skips.
"""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from reportlib import paths

if TYPE_CHECKING:
    from reportlib.render import RenderResult

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


RenderReport = Callable[[str], "RenderResult"]


@pytest.fixture(scope="session")
def rendered_report(real_data, tmp_path_factory: pytest.TempPathFactory) -> RenderReport:
    """``rendered_report(id)``: the real report ``id`` (a locality or ``"all"``), rendered at
    most once per session into a temporary folder (``<root>/reports``, ``<root>/build``).

    Rendering is the slow part of the suite: tests share these files and only read them.
    """
    from reportlib.render import render_locality

    root = tmp_path_factory.mktemp("rendered")
    done: dict[str, RenderResult] = {}

    def render(report_id: str) -> RenderResult:
        if report_id not in done:
            done[report_id] = render_locality(
                report_id, *real_data, out_dir=root / "reports", build_dir=root / "build"
            )
        return done[report_id]

    return render


def _chromium_or_skip(playwright: Any) -> str | None:
    """Playwright's own Chromium when it was downloaded, else the system's (Debian's
    ``chromium``); ``None`` means "Playwright's own". Missing in CI is a failure, not a skip:
    the browser tests must run there (`.ci/run` installs chromium)."""
    if Path(playwright.chromium.executable_path).is_file():
        return None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    reason = "no Chromium on this machine (apt-get install chromium, or playwright install)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser tests")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium (Playwright ``Browser``), one per test module.

    Module scope, not session: Playwright's sync API runs its own event loop, which must not
    stay open while other modules execute notebooks.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("playwright is not installed; CI must run the browser tests")
        pytest.skip("playwright is not installed (make venv)")
    with sync_playwright() as playwright:
        executable = _chromium_or_skip(playwright)
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()
