"""Every path reportlib uses, built from the package location (never the current directory)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent.parent

#: Environment variable naming the folder that holds the source documents' texts.
SOURCES_ENV = "REPORTLIB_SOURCES"
#: Environment variable naming the data folder (default: the project's ``data/``).
DATA_ENV = "REPORTLIB_DATA"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: ``override``, else ``$REPORTLIB_DATA``, else the project's ``data/``."""
    if override is not None:
        return Path(override).resolve()
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV]).resolve()
    return PROJECT_ROOT / "data"


def sources_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Where source texts live: ``override``, ``$REPORTLIB_SOURCES``, else ``../shared/sources``."""
    if override is not None:
        return Path(override).resolve()
    if os.environ.get(SOURCES_ENV):
        return Path(os.environ[SOURCES_ENV]).resolve()
    return (PROJECT_ROOT.parent / "shared" / "sources").resolve()


def notebooks_dir() -> Path:
    """The folder of the report notebooks."""
    return PROJECT_ROOT / "notebooks"


def templates_dir() -> Path:
    """Templates shipped inside the package (HTML, Typst, CSS)."""
    return PACKAGE_DIR / "templates"


def build_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Where executed notebooks and intermediates go (default: the project's ``build/``)."""
    return Path(override).resolve() if override is not None else PROJECT_ROOT / "build"


def reports_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Where finished reports go (default: the project's ``reports/``)."""
    return Path(override).resolve() if override is not None else PROJECT_ROOT / "reports"
