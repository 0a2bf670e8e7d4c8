"""``reports/index.html``: one self-contained page listing every rendered report.

Each report folder ``reports/<id>/`` holding ``<id>.html`` (and usually ``<id>.pdf``) gets a
row with the report's title and date, read back from the rendered HTML (its ``<title>`` and
the 报告日期 entry of the title block), and relative links to both files. The page has no
timestamps of its own, so the same reports give a byte-identical index.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

from reportlib import paths, render
from reportlib.errors import ReportlibError
from reportlib.fonts import find_cjk_font

__all__ = ["IndexEntry", "read_entries", "write_index"]

OVERVIEW_ID = "all"
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_DATE = re.compile(r"<dt>报告日期</dt>\s*<dd>(.*?)</dd>", re.S)

_CSS = """
body { font-family: "ReportCJK", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
  "Microsoft YaHei", sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem;
  color: #222; line-height: 1.6; }
h1 { color: #1f4e79; font-weight: normal; border-bottom: 1px solid #1f4e79; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid #ddd; }
th { color: #555; font-weight: normal; }
a { color: #1f4e79; }
.muted { color: #888; }
"""


@dataclass(frozen=True)
class IndexEntry:
    """One rendered report: id, title, report date and its files (relative to the index)."""

    report_id: str
    title: str
    date: str
    html: str
    pdf: str | None


def _read_entry(folder: Path) -> IndexEntry | None:
    report_id = folder.name
    page = folder / f"{report_id}.html"
    if not page.is_file():
        return None
    text = page.read_text(encoding="utf-8", errors="replace")
    title = _TITLE.search(text)
    date = _DATE.search(text)
    pdf = folder / f"{report_id}.pdf"
    return IndexEntry(
        report_id=report_id,
        title=html.unescape(title.group(1)).strip() if title else report_id,
        date=html.unescape(date.group(1)).strip() if date else "",
        html=f"{report_id}/{page.name}",
        pdf=f"{report_id}/{pdf.name}" if pdf.is_file() else None,
    )


def read_entries(reports_dir: str | os.PathLike[str] | None = None) -> list[IndexEntry]:
    """Every rendered report under ``reports_dir``: the overview first, then by id."""
    root = paths.reports_dir(reports_dir)
    if not root.is_dir():
        raise ReportlibError(
            f"reports folder {root} does not exist; render a report first "
            "(python -m reportlib render <locality>)"
        )
    entries = [e for d in sorted(root.iterdir()) if d.is_dir() and (e := _read_entry(d))]
    return sorted(entries, key=lambda e: (e.report_id != OVERVIEW_ID, e.report_id))


def write_index(reports_dir: str | os.PathLike[str] | None = None) -> Path:
    """Write ``<reports_dir>/index.html`` listing every rendered report; return its path."""
    root = paths.reports_dir(reports_dir)
    entries = read_entries(root)
    rows = []
    for e in entries:
        pdf = (
            f'<a href="{html.escape(e.pdf)}">PDF</a>'
            if e.pdf
            else '<span class="muted">无 PDF</span>'
        )
        rows.append(
            f"<tr><td>{html.escape(e.title)}</td><td>{html.escape(e.date) or '—'}</td>"
            f'<td><a href="{html.escape(e.html)}">HTML</a></td><td>{pdf}</td></tr>'
        )
    body = (
        "".join(rows)
        if rows
        else '<tr><td colspan="4" class="muted">还没有已生成的报告。</td></tr>'
    )
    content = (
        "<body>\n<h1>中小学人工智能教育进展报告</h1>\n"
        f"<p>共{len(entries)}份报告。每份报告中的数字都可溯源至答复原文。</p>\n"
        "<table>\n<thead><tr><th>报告</th><th>报告日期</th><th>网页版</th><th>PDF 版</th>"
        f"</tr></thead>\n<tbody>{body}</tbody>\n</table>\n</body>\n"
    )
    # Like the reports, the index carries the subset of the CJK font it needs, so it shows
    # Chinese on a machine that has no Chinese font.
    font_face = render.font_face_css(
        find_cjk_font(), html.unescape(re.sub(r"<[^>]+>", "", content))
    )
    page = (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>中小学人工智能教育进展报告目录</title>\n<style>{font_face}\n{_CSS}</style>\n"
        f"</head>\n{content}</html>\n"
    )
    target = root / "index.html"
    tmp = root / ".index.html.tmp"
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, target)
    return target
