"""What a report was made from, recorded in its PDF metadata and its HTML, and read back.

:func:`collect` gathers the record as an ordered dict (the technical annex prints it in this
order); :func:`report_provenance` collects it for a report's font; :func:`pdf_keyword`/
:func:`html_block`/:func:`with_provenance` embed it; :func:`read` gets it out of a PDF or
HTML file. Nothing in the record depends on the machine (no paths, no times), so the same
commit, data, lock and fonts still give the same bytes. :func:`build_stamp` is the line
every report ends with (:func:`git_commit` names the commit there).
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reportlib import __version__, paths
from reportlib.data.dataset import Dataset
from reportlib.errors import ReportlibError
from reportlib.render.fonts import FontInfo, find_cjk_font

__all__ = [
    "FORMAT",
    "LOCK_FILE",
    "build_stamp",
    "collect",
    "file_sha256",
    "git_commit",
    "git_state",
    "html_block",
    "pdf_keyword",
    "read",
    "report_provenance",
    "table_hashes",
    "with_provenance",
]

#: Name and version of the record's layout (a verifier refuses layouts it does not know).
FORMAT = "reportlib-provenance/1"
#: The lock file, relative to the project root.
LOCK_FILE = "requirements.lock"
_PDF_PREFIX = "reportlib-provenance:"
_HTML_ID = "reportlib-provenance"
_HTML_RE = re.compile(r'<meta name="' + _HTML_ID + r'" content="([^"]*)">')


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes (cached per path, size and modification time)."""
    st = Path(path).stat()
    return _sha256(str(path), st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _sha256(path: str, size: int, mtime: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def table_hashes(data_dir: Path) -> dict[str, str]:
    """CSV file stem → sha256 of its bytes, for every CSV in ``data_dir`` (sorted)."""
    return {p.stem: file_sha256(p) for p in sorted(Path(data_dir).glob("*.csv"))}


def sources_hash(sources_dir: Path) -> str:
    """sha256 over the source texts' names and bytes (the same hash ``facts.load`` keeps)."""
    digest = hashlib.sha256()
    folder = Path(sources_dir)
    files = sorted((p for p in folder.iterdir() if p.is_file()), key=lambda p: p.name)
    for path in files if folder.is_dir() else []:
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def git_state(root: Path | None = None) -> tuple[str, bool]:
    """(``HEAD`` commit, whether tracked files are unchanged) of ``root``; ("unknown", False)."""
    root = root or paths.PROJECT_ROOT
    git = shutil.which("git")
    if git is None or not (root / ".git").exists():
        return "unknown", False
    try:
        run = functools.partial(subprocess.run, cwd=root, capture_output=True, text=True)
        head = run([git, "rev-parse", "HEAD"], check=True).stdout.strip()
        status = run([git, "status", "--porcelain", "--untracked-files=no"], check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown", False
    return head, not status.stdout.strip()


def git_commit(root: Path | None = None) -> str:
    """``git rev-parse HEAD`` of the project (``-dirty`` if tracked files changed), or unknown."""
    root = root or paths.PROJECT_ROOT
    git = shutil.which("git")
    if git is None or not (root / ".git").exists():
        return "unknown"
    try:
        head = subprocess.run(
            [git, "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        status = subprocess.run(
            [git, "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}-dirty" if status else head


def build_stamp(ds: Dataset, route: str) -> str:
    """The line every report ends with: data hash, package version, git commit, route."""
    return (
        f"数据哈希 data sha256 {ds.data_hash} · reportlib {__version__} · "
        f"git {git_commit()} · route {route}"
    )


def collect(
    ds: Dataset,
    locality: str,
    route: str,
    as_of: str,
    font_files: Iterable[tuple[str, Path]],
    font_source: str,
) -> OrderedDict[str, Any]:
    """The provenance record of one report, in the order the technical annex prints it.

    ``font_files`` are (role, path) pairs, e.g. ``("regular", …)``, ``("bold", …)``.
    """
    commit, clean = git_state()
    lock = paths.PROJECT_ROOT / LOCK_FILE
    return OrderedDict(
        [
            ("format", FORMAT),
            ("reportlib", __version__),
            ("git_commit", commit),
            ("git_clean", clean),
            ("locality", locality),
            ("route", route),
            ("as_of", as_of),
            ("parameters", _parameters(locality, as_of)),
            ("data_sha256", ds.data_hash),
            ("tables", table_hashes(ds.data_dir)),
            ("sources_sha256", sources_hash(ds.sources_dir)),
            ("lock_sha256", file_sha256(lock) if lock.exists() else "none"),
            ("font_source", font_source),
            (
                "fonts",
                [
                    OrderedDict([("role", role), ("file", p.name), ("sha256", file_sha256(p))])
                    for role, p in font_files
                ],
            ),
        ]
    )


def report_provenance(
    ds: Dataset, locality: str, route: str, as_of: str, font: FontInfo | None = None
) -> dict[str, Any]:
    """The provenance record of a report (:func:`collect` with the report's font files)."""
    font = font or find_cjk_font()
    files = [("regular", font.path)] + ([("bold", font.bold_path)] if font.bold_path else [])
    return collect(ds, locality, route, as_of, files, font.source)


def _parameters(locality: str, as_of: str) -> OrderedDict[str, Any]:
    params: OrderedDict[str, Any] = OrderedDict([("locality", locality), ("as_of", as_of)])
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:  # it sets the PDF's date, so a rebuild needs it too
        params["source_date_epoch"] = epoch
    return params


def _dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=True, separators=(",", ":"))


def pdf_keyword(record: dict[str, Any]) -> str:
    """The record as one PDF keyword (ASCII JSON after a fixed prefix)."""
    return _PDF_PREFIX + _dumps(record)


def html_block(record: dict[str, Any]) -> str:
    """The record as a ``<meta>`` element for the HTML head (no script: the page has none)."""
    return f'<meta name="{_HTML_ID}" content="{html.escape(_dumps(record), quote=True)}">'


def with_provenance(html_text: str, record: dict[str, Any]) -> str:
    """``html_text`` with the provenance record as a ``<meta>`` at the end of its head."""
    head_end = max(html_text.find("</head>"), 0)  # no head (a bare fragment): at the start
    return html_text[:head_end] + html_block(record) + "\n" + html_text[head_end:]


def read(path: Path) -> OrderedDict[str, Any]:
    """The provenance record embedded in a report's PDF or HTML file."""
    path = Path(path)
    if not path.is_file():
        raise ReportlibError(f"{path} does not exist; give a report's .pdf or .html file")
    if path.suffix.lower() == ".pdf":
        from pypdf import PdfReader

        try:
            metadata = PdfReader(path).metadata
            keywords = (metadata.keywords if metadata is not None else None) or ""
        except Exception as exc:  # pypdf's errors for damaged files vary
            raise ReportlibError(f"{path} is not a readable PDF: {exc}") from exc
        start = keywords.find(_PDF_PREFIX)
        text = keywords[start + len(_PDF_PREFIX) :] if start >= 0 else None
    else:
        m = _HTML_RE.search(path.read_text(encoding="utf-8", errors="replace"))
        text = html.unescape(m.group(1)) if m else None
    if not text:
        raise ReportlibError(
            f"{path} carries no reportlib provenance (made by an older reportlib, or not a "
            "reportlib report)"
        )
    try:
        record = json.JSONDecoder(object_pairs_hook=OrderedDict).raw_decode(text)[0]
    except json.JSONDecodeError as exc:
        raise ReportlibError(f"{path}: the provenance record is damaged: {exc}") from exc
    if record.get("format") != FORMAT:
        raise ReportlibError(f"{path}: unknown provenance format {record.get('format')!r}")
    return record
