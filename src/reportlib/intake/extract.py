"""Plain text out of a document: TXT as is, HTML (trafilatura), PDF (pypdf), DOCX."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from reportlib.errors import ReportlibError


class ExtractError(ReportlibError):
    """A document could not be read as text (unknown format, no text layer, bad bytes)."""


@dataclass(frozen=True)
class Extracted:
    """A document's text, what it was read from and whether it was converted to simplified."""

    text: str
    fmt: str
    traditional: bool

    @property
    def digest(self) -> str:
        """sha256 of the UTF-8 text: the stable part of the text's file name."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


FORMATS = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".pdf": "pdf"}
FORMATS[".docx"] = "docx"
#: Share of Chinese characters that simplified conversion changes above which a text is
#: taken as traditional (a simplified text has almost none: a few variant forms).
_TRADITIONAL_SHARE = 0.02


def _decode(raw: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExtractError(f"{path}: not UTF-8 or GB18030 text")


def _html(raw: bytes, path: Path) -> str:
    import trafilatura

    html = _decode(raw, path)
    text = trafilatura.extract(
        html, include_comments=False, include_tables=True, favor_recall=True, deduplicate=False
    )
    if not text:
        raise ExtractError(f"{path}: trafilatura found no main text in the page")
    return text


def _pdf(path: Path) -> str:
    from pypdf import PdfReader

    try:
        pages = [page.extract_text() or "" for page in PdfReader(path).pages]
    except Exception as exc:  # pypdf raises many types for broken files
        raise ExtractError(f"{path}: cannot read the PDF ({exc})") from exc
    text = "\n".join(pages)
    if not re.search(r"[\u4e00-\u9fff]", text):
        raise ExtractError(f"{path}: the PDF has no Chinese text layer (a scan needs OCR first)")
    return text


def _docx(path: Path) -> str:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises zipfile/KeyError/ValueError variants
        raise ExtractError(f"{path}: cannot read the DOCX ({exc})") from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _tidy(text: str) -> str:
    """Trailing spaces off every line, at most one blank line in a row, one final newline."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    tidy = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return tidy + "\n"


def _simplified(text: str) -> tuple[str, bool]:
    import opencc

    converted = opencc.OpenCC("t2s").convert(text)
    han = len(re.findall(r"[\u4e00-\u9fff]", text)) or 1
    changed = sum(a != b for a, b in zip(text, converted, strict=False))
    if len(converted) == len(text) and changed / han > _TRADITIONAL_SHARE:
        return converted, True
    return text, False


def extract(path: str | Path) -> Extracted:
    """The text of ``path`` as quotes will be checked against (TXT byte for byte)."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise ExtractError(f"{path}: unknown format {path.suffix!r}; expected one of {known}")
    if not path.is_file():
        raise ExtractError(f"{path}: no such file")
    if fmt == "txt":
        text = _decode(path.read_bytes(), path)
    elif fmt == "html":
        text = _tidy(_html(path.read_bytes(), path))
    elif fmt == "pdf":
        text = _tidy(_pdf(path))
    else:
        text = _tidy(_docx(path))
    text, traditional = _simplified(text)
    return Extracted(text, fmt, traditional)
