"""Every path reportlib uses, built from the package location (never the current directory)."""

from __future__ import annotations

import os
import re
import tempfile
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


#: A temporary file of ours: ``.<name>.<pid>.<random>.tmp`` (the pid of the process writing it).
_TEMP_NAME = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")


def temp_prefix(name: str) -> str:
    """The start of a temporary file name for ``name``, carrying this process' pid."""
    return f".{name}.{os.getpid()}."


def atomic_write(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it, then rename.

    A reader sees the old file or the new one, never half of one; a failure leaves the old
    file and removes the temporary one. ``mode``: mkstemp's 0600 is for secrets, reports and
    data files are meant to be shared.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path.name), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


def clean_stale_temps(folder: Path) -> list[Path]:
    """Remove temporary files in ``folder`` left by a process that no longer runs.

    A render killed outright (``kill -9``, power cut) cannot clean up after itself; its
    temporary files carry its pid, so the next render in that folder removes them.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        found = _TEMP_NAME.match(entry.name)
        if found and entry.is_file() and not _pid_alive(int(found.group(1))):
            Path(entry.path).unlink(missing_ok=True)
            removed.append(Path(entry.path))
    return removed
