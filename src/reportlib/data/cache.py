"""A disk cache of validated Datasets, keyed by the bytes they were made from.

Validating ~300,000 facts takes about three seconds, longer than rendering a report from
them; reading back the tables it produced takes a tenth of that. Each render runs in a new
process, so the tables are kept on disk: ``$REPORTLIB_CACHE`` (``off`` disables it), else
``$XDG_CACHE_HOME/reportlib``, else ``~/.cache/reportlib``.

The key covers everything the validated tables depend on: the data and source texts' bytes
(the hashes ``dataset.load`` computes anyway), the folders, the code that reads and checks
them, and the font the glyph check asked. Entries are pickles written atomically into a
folder only this user may write; one owned by someone else, or group/world-writable, is
ignored. Only the newest few entries are kept (one is ~50 MB for the country's data).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
from pathlib import Path
from typing import Any

from reportlib import __version__, paths

CACHE_ENV = "REPORTLIB_CACHE"
#: Entries kept; older ones are removed when a new one is written.
KEEP = 3
#: The code whose output the cache holds: the whole data layer (loading, schemas, numbers,
#: dates) and the font lookup that the glyph check uses.
_CODE_GLOBS = ("data/**/*.py", "render/fonts.py")


def cache_dir() -> Path | None:
    """Where entries go, or None when caching is off."""
    value = os.environ.get(CACHE_ENV, "").strip()
    if value.lower() in ("off", "0", "no", "false"):
        return None
    if value:
        return Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "reportlib"


def key(*parts: object) -> str:
    """The entry name for ``parts`` (hashes, folders, flags) plus the checking code's bytes."""
    digest = hashlib.sha256(__version__.encode())
    for pattern in _CODE_GLOBS:
        for path in sorted(paths.PACKAGE_DIR.glob(pattern)):
            digest.update(path.relative_to(paths.PACKAGE_DIR).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    for part in parts:
        digest.update(b"\0" + repr(part).encode("utf-8"))
    return digest.hexdigest()[:32]


def _safe(path: Path) -> bool:
    st = path.stat()
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def get(name: str) -> Any | None:
    """The object stored under ``name``, or None (no entry, unsafe or unreadable)."""
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"{name}.pickle"
    try:
        if not (_safe(folder) and _safe(path)):
            return None
        with path.open("rb") as fh:
            return pickle.load(fh)  # noqa: S301 - our own folder, checked above
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None


def put(name: str, value: Any) -> None:
    """Store ``value`` under ``name`` (atomically); a failure only means no cache."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _safe(folder):
            return
        paths.clean_stale_temps(folder)
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        paths.atomic_write(folder / f"{name}.pickle", data, mode=0o600)
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        return
